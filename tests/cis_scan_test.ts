/**
 * The cis scan (tensorQTL's algorithm): cisNominal, cisPermutations, permutationIndices, and the matrix
 * product under them, against committed references (tests/reference/cis_scan/reference.json, made by
 * record.py beside it on the tissue tests/support/cis_tissue.ts makes):
 *
 * - `numpy64`, tensorQTL's algorithm re-implemented in float64 numpy: p-values, slopes and standard
 *   errors ≤ 1e-9 relative (measured ≤ 3e-12), af ≤ 1e-14, ma_samples/ma_count equal, top
 *   variant and num_var equal, r2_perm ≤ 1e-9 relative (measured ≤ 2e-13) — for the integer dosages and
 *   for the copy with non-integer dosages;
 * - tensorQTL itself (float32 torch 1.13, Debian): ln p within 1e-4 relative (measured 1.6e-5),
 *   r2_perm within 1e-5 relative (measured 1.5e-6), the same top variants, num_var and pval_perm.
 *
 * And against this library's pair-by-pair path (pipelineEqtlStatistics, itself checked against
 * statsmodels): slope, slope_se ≤ 1e-12, p ≤ 1e-10 relative. The thread count never changes a bit.
 *
 * Imports internal modules by design (it tests them directly, below the entry points):
 * `lib/analysis/regression/_matmul.ts` (the product against a plain one), `lib/analysis/regression/_mt19937.ts`
 * (the generator against numpy's draws).
 */
import assert from "node:assert/strict";
import {
  cisNominal,
  cisPermutations,
  type CisScanInput,
  permutationIndices,
  pipelineEqtlStatistics,
  RegressionInputError,
} from "ratgtex/analysis";
import { gemmNTReference, MatrixArena } from "../lib/analysis/regression/_matmul.ts";
import { MersenneTwister } from "../lib/analysis/regression/_mt19937.ts";
import { makeTissue, nonIntegerDosages, REFERENCE_TISSUE, tissueInput } from "./support/cis_tissue.ts";

interface Reference64 {
  pval: number[];
  slope: number[];
  slope_se: number[];
  af: number[];
  ma_samples: number[];
  ma_count: number[];
  top: number[];
  num_var: number[];
  r2_nominal: number[];
  r2_perm: number[][];
}
const reference = JSON.parse(
  Deno.readTextFileSync(new URL("./reference/cis_scan/reference.json", import.meta.url)),
) as {
  nperm: number;
  seed: number;
  window: number;
  numpy64: Reference64;
  numpy64_non_integer: Reference64;
  tensorqtl: {
    nominal: { pval: number[]; slope: number[] };
    permutations: { variant_id: string[]; num_var: number[]; pval_perm: number[]; r2_perm: number[][] };
  };
};

const rel = (a: number, b: number) => a === b ? 0 : Math.abs(a - b) / Math.abs(b);
const tissue = makeTissue(REFERENCE_TISSUE);

function worst(got: ArrayLike<number>, want: ArrayLike<number>): number {
  assert.equal(got.length, want.length);
  let w = 0;
  for (let i = 0; i < got.length; i++) w = Math.max(w, rel(got[i], want[i]));
  return w;
}

function column(frame: { getColumn(name: string): { toArray(): unknown } }, name: string): number[] {
  return frame.getColumn(name).toArray() as number[];
}

Deno.test("the WebAssembly product equals the plain one (odd shapes, a split sample range)", () => {
  const rng = new MersenneTwister(3);
  const arena = new MatrixArena();
  for (const [m, p, n] of [[1, 1, 1], [3, 5, 7], [17, 9, 400], [6, 10, 1601]]) {
    arena.reset();
    const a = arena.alloc(m, n, 2);
    const b = arena.alloc(p, n, 4);
    const c = arena.alloc(a.paddedRows, b.paddedRows, 1);
    const av = Float64Array.from({ length: m * n }, () => rng.nextUint32() / 2 ** 32 - 0.5);
    const bv = Float64Array.from({ length: p * n }, () => rng.nextUint32() / 2 ** 32 - 0.5);
    for (let i = 0; i < m; i++) arena.view.set(av.subarray(i * n, i * n + n), a.offset + i * a.stride);
    for (let i = 0; i < p; i++) arena.view.set(bv.subarray(i * n, i * n + n), b.offset + i * b.stride);
    arena.gemmNT(a, b, c);
    const want = gemmNTReference(av, bv, m, p, n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < p; j++) {
        const got = arena.view[c.offset + i * c.stride + j];
        // Another summation order: ≤ n·ε·Σ|a·b|, and Σ|a·b| ≤ n/4 here.
        assert.ok(Math.abs(got - want[i * p + j]) <= n * n * Number.EPSILON, `${m}×${p}×${n} [${i},${j}]`);
      }
    }
  }
});

Deno.test("permutationIndices is numpy's np.random.seed + np.random.permutation, draw for draw", () => {
  // python3 -c "import numpy as np; r=np.random.RandomState(5489); print(r.randint(0,2**32,3,dtype=np.uint64))"
  const mt = new MersenneTwister(5489);
  assert.deepEqual([mt.nextUint32(), mt.nextUint32(), mt.nextUint32()], [3499211612, 581869302, 3890346734]);
  // np.random.seed(123456); [np.random.permutation(10) for _ in range(3)]
  assert.deepEqual(
    [...permutationIndices(10, 3, 123456)],
    [8, 7, 6, 4, 5, 3, 0, 9, 2, 1, 1, 5, 6, 0, 3, 9, 7, 2, 8, 4, 1, 4, 0, 3, 5, 8, 9, 2, 7, 6],
  );
  // np.random.seed(1); the 1,000th permutation(400)[:10]
  const many = permutationIndices(400, 1000, 1);
  assert.deepEqual([...many.subarray(999 * 400, 999 * 400 + 10)], [127, 226, 170, 203, 287, 268, 281, 322, 216, 390]);
  assert.throws(() => permutationIndices(10, 1, -1), RegressionInputError);
});

async function checkAgainst64(input: CisScanInput, ref: Reference64, what: string): Promise<void> {
  const nominal = await cisNominal(input, { window: reference.window, threads: 1 });
  assert.equal(nominal.height, ref.pval.length, what);
  assert.ok(worst(column(nominal, "pval_nominal"), ref.pval) <= 1e-9, `${what} pval`);
  assert.ok(worst(column(nominal, "slope"), ref.slope) <= 1e-9, `${what} slope`);
  assert.ok(worst(column(nominal, "slope_se"), ref.slope_se) <= 1e-9, `${what} slope_se`);
  // af: mean/2 here, Σ imputed / 2n there (the same number, rounded differently for non-integers).
  assert.ok(worst(column(nominal, "af"), ref.af) <= 1e-14, `${what} af`);
  assert.deepEqual(column(nominal, "ma_samples"), ref.ma_samples, `${what} ma_samples`);
  assert.deepEqual(column(nominal, "ma_count"), ref.ma_count, `${what} ma_count`);
  const perm = await cisPermutations(input, {
    window: reference.window,
    permutations: reference.nperm,
    seed: reference.seed,
    threads: 1,
  });
  const ids = input.genotypes.variantIds;
  const top = perm.table.getColumn("variant_id").toArray() as string[];
  // A scaled copy of a variant (x·0.9 + 0.1) has the same r² in exact arithmetic: there the tie is broken
  // by rounding, so only its r² (below) must agree.
  const ties = what === "integer" ? 0 : 1;
  assert.ok(top.filter((v, j) => v !== ids[ref.top[j]]).length <= ties, `${what} top`);
  assert.deepEqual(column(perm.table, "num_var"), ref.num_var, `${what} num_var`);
  assert.ok(worst(column(perm.table, "r2_nominal"), ref.r2_nominal) <= 1e-9, `${what} r2_nominal`);
  assert.ok(worst(perm.r2Perm, ref.r2_perm.flat()) <= 1e-9, `${what} r2_perm`);
}

Deno.test("cisNominal and cisPermutations equal tensorQTL's algorithm in float64 numpy (integer dosages)", async () => {
  await checkAgainst64(tissueInput(tissue), reference.numpy64, "integer");
});

Deno.test("… and with non-integer dosages (imputed or DS values in [0, 2])", async () => {
  const input = tissueInput(tissue);
  input.genotypes.dosages = nonIntegerDosages(tissue);
  await checkAgainst64(input, reference.numpy64_non_integer, "non-integer");
});

Deno.test("cisNominal and cisPermutations agree with tensorQTL itself (float32 torch), the same permutations", async () => {
  const input = tissueInput(tissue);
  const tq = reference.tensorqtl;
  const nominal = await cisNominal(input, { window: reference.window, threads: 1 });
  const p = column(nominal, "pval_nominal");
  let lnP = 0;
  p.forEach((x, i) => lnP = Math.max(lnP, rel(Math.log(x), Math.log(tq.nominal.pval[i]))));
  assert.ok(lnP <= 1e-4, `ln p ${lnP}`); // float32 residuals: measured 1.6e-5
  const perm = await cisPermutations(input, {
    window: reference.window,
    permutations: reference.nperm,
    seed: reference.seed,
    threads: 1,
  });
  assert.deepEqual(perm.table.getColumn("variant_id").toArray(), tq.permutations.variant_id);
  assert.deepEqual(column(perm.table, "num_var"), tq.permutations.num_var);
  assert.deepEqual(column(perm.table, "pval_perm"), tq.permutations.pval_perm);
  assert.ok(worst(perm.r2Perm, tq.permutations.r2_perm.flat()) <= 1e-5);
});

Deno.test("cisNominal and the permutation pass's top variants equal pipelineEqtlStatistics pair by pair (even and odd n)", async () => {
  for (const t of [tissue, makeTissue({ ...REFERENCE_TISSUE, samples: 61, covariates: 3, seed: 21 })]) {
    const input = tissueInput(t);
    const n = t.n;
    const nominal = await cisNominal(input, { window: reference.window, threads: 1 });
    const pairs = (nominal.select("phenotype_id", "variant_id").toRecords() as Record<string, string>[])
      .map((r) => ({ geneId: r.phenotype_id, variantId: r.variant_id }));
    const pipelineInput = {
      sampleIds: input.sampleIds,
      phenotypes: {
        geneIds: input.phenotypes.phenotypeIds,
        values: input.phenotypes.phenotypeIds.map((_, j) => t.phenotypes.subarray(j * n, j * n + n)),
      },
      genotypes: {
        variantIds: input.genotypes.variantIds,
        dosages: input.genotypes.variantIds.map((_, v) =>
          Array.from(t.dosages.subarray(v * n, v * n + n), (x) => x < 0 ? null : x)
        ),
      },
      covariates: input.covariates,
      pairs,
    };
    const one = pipelineEqtlStatistics(pipelineInput);
    assert.ok(worst(column(nominal, "slope"), column(one, "slope")) <= 1e-12, `n = ${n} slope`);
    assert.ok(worst(column(nominal, "slope_se"), column(one, "slope_se")) <= 1e-12, `n = ${n} slope_se`);
    assert.ok(worst(column(nominal, "pval_nominal"), column(one, "pval_nominal")) <= 1e-10, `n = ${n} p`);
    assert.deepEqual(column(nominal, "af"), column(one, "af"));
    const perm = await cisPermutations(input, { window: reference.window, permutations: 20, seed: 3, threads: 1 });
    const tops = perm.table.select("phenotype_id", "variant_id", "slope", "pval_nominal").toRecords() as Record<
      string,
      string | number
    >[];
    const byTop = pipelineEqtlStatistics({
      ...pipelineInput,
      pairs: tops.map((r) => ({ geneId: r.phenotype_id as string, variantId: r.variant_id as string })),
    });
    assert.ok(worst(tops.map((r) => r.slope as number), column(byTop, "slope")) <= 1e-12, `n = ${n} top slope`);
    assert.ok(worst(tops.map((r) => r.pval_nominal as number), column(byTop, "pval_nominal")) <= 1e-10);
  }
});

Deno.test("the thread count never changes a bit (1, 2, 3 threads; nominal and permutations)", async () => {
  const big = makeTissue({ ...REFERENCE_TISSUE, genes: 12, variantsPerWindow: 300, seed: 12 });
  const input = tissueInput(big);
  const frames = [];
  const perms = [];
  for (const threads of [1, 2, 3]) {
    frames.push(await cisNominal(input, { window: 50_000, threads }));
    perms.push(await cisPermutations(input, { window: 50_000, permutations: 50, seed: 9, threads }));
  }
  for (const t of [1, 2]) {
    assert.ok(frames[t].frameEqual(frames[0], true), `nominal, ${t + 1} threads`);
    assert.ok(perms[t].table.frameEqual(perms[0].table, true), `permutation table, ${t + 1} threads`);
    assert.deepEqual(perms[t].r2Perm, perms[0].r2Perm, `r2_perm, ${t + 1} threads`);
  }
  assert.ok(frames[0].height > 12 * 250);
});

Deno.test("the cis window includes both bounds; the MAF filter drops variants; explicit permutations", async () => {
  const sampleIds = ["a", "b", "c", "d", "e", "f", "g", "h"];
  const input: CisScanInput = {
    sampleIds,
    phenotypes: {
      phenotypeIds: ["P"],
      chromosomes: ["chr2"],
      positions: [1000],
      values: [[0.3, -1.2, 0.5, 2.0, -0.7, 0.1, 1.1, -0.4]],
    },
    genotypes: {
      variantIds: ["v1", "v2", "v3", "v4", "v5"],
      chromosomes: ["chr1", "chr2", "chr2", "chr2", "chr2"],
      positions: [1000, 899, 900, 1100, 1101],
      dosages: new Int8Array([
        ...[0, 1, 2, 0, 1, 2, 0, 1],
        ...[0, 1, 1, 0, 2, 1, 0, 0],
        ...[2, 1, 0, 0, 1, 2, 1, 0],
        ...[0, 0, 0, 0, 0, 0, 0, 1], // MAF 1/16
        ...[1, 1, 0, 2, 0, 1, 1, 0],
      ]),
    },
    covariates: { names: ["c"], values: [[1, 2, 3, 4, 5, 6, 7, 9]], sampleIds },
  };
  const all = await cisNominal(input, { window: 100 });
  assert.deepEqual(all.getColumn("variant_id").toArray(), ["v3", "v4"]);
  const filtered = await cisNominal(input, { window: 100, mafThreshold: 0.1 });
  assert.deepEqual(filtered.getColumn("variant_id").toArray(), ["v3"]);
  const explicit = Int32Array.from([7, 6, 5, 4, 3, 2, 1, 0, 1, 0, 3, 2, 5, 4, 7, 6]);
  const perm = await cisPermutations(input, { window: 100, permutations: explicit });
  assert.equal(perm.nPermutations, 2);
  assert.equal(perm.seed, null);
  assert.equal(perm.table.getColumn("num_var").get(0), 2);
  await assert.rejects(
    () => cisPermutations(input, { window: 100, permutations: Int32Array.from([0, 0, 1, 2, 3, 4, 5, 6]) }),
    /not a permutation/,
  );
});

Deno.test("degenerate phenotypes and variants get a reason, never a bare NaN", async () => {
  const sampleIds = ["a", "b", "c", "d", "e", "f"];
  const input: CisScanInput = {
    sampleIds,
    phenotypes: {
      phenotypeIds: ["flat", "ok", "far"],
      chromosomes: ["chr1", "chr1", "chr9"],
      positions: [100, 100, 100],
      values: [[1, 1, 1, 1, 1, 1], [0.1, 0.9, -0.3, 1.2, 0.4, -1.0], [1, 2, 3, 4, 5, 7]],
    },
    genotypes: {
      variantIds: ["mono", "v"],
      chromosomes: ["chr1", "chr1"],
      positions: [90, 110],
      dosages: [[1, 1, null, 1, 1, 1], [0, 1, 2, 1, 0, null]],
    },
    covariates: { names: ["c"], values: [[0.5, -0.2, 0.1, 0.3, -0.6, 0.2]], sampleIds },
  };
  const nominal = await cisNominal(input, { window: 50 });
  const rows = nominal.toRecords() as Record<string, unknown>[];
  assert.deepEqual(rows.map((r) => `${r.phenotype_id}/${r.variant_id}`), ["flat/mono", "flat/v", "ok/mono", "ok/v"]);
  assert.match(String(rows[0].reason), /one genotype class/);
  assert.match(String(rows[1].reason), /constant/);
  assert.ok(Number.isNaN(rows[2].pval_nominal) && /one genotype class/.test(String(rows[2].reason)));
  assert.ok(rows[3].reason === null && (rows[3].pval_nominal as number) > 0);
  const perm = await cisPermutations(input, { window: 50, permutations: 10, seed: 1 });
  const table = perm.table.toRecords() as Record<string, unknown>[];
  assert.match(String(table[0].reason), /constant/);
  assert.equal(table[1].variant_id, "v");
  assert.equal(table[1].num_var, 1); // the monomorphic variant is dropped, as tensorQTL does
  assert.match(String(table[2].reason), /no variant lies within the cis window/);
  assert.ok(perm.r2Perm.subarray(20, 30).every((x) => Number.isNaN(x)));
});

Deno.test("bad input: typed errors naming the parameter", async () => {
  const base = tissueInput(makeTissue({ ...REFERENCE_TISSUE, genes: 2, variantsPerWindow: 20 }));
  const unsorted = structuredClone(base);
  (unsorted.genotypes.positions as Int32Array)[3] = 1;
  await assert.rejects(
    () => cisNominal(unsorted),
    (e) => e instanceof RegressionInputError && /positions decrease/.test(e.message),
  );
  const bad = structuredClone(base);
  (bad.genotypes.dosages as Int8Array)[5] = 3;
  await assert.rejects(
    () => cisNominal(bad),
    (e) => e instanceof RegressionInputError && /genotypes\.dosages\[0\]\[5\]/.test(e.message),
  );
  const repeated = structuredClone(base);
  (repeated.phenotypes.phenotypeIds as string[])[1] = "G0";
  await assert.rejects(() => cisNominal(repeated), /phenotype ID repeated/);
  await assert.rejects(() => cisNominal(base, { threads: 0 }), /thread count/);
  await assert.rejects(() => cisNominal(base, { window: -1 }), /cis window/);
  await assert.rejects(() => cisPermutations(base, { permutations: 0 }), /permutation count/);
});

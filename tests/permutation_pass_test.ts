/**
 * The permutation statistics of a release recomputed from its own files (`Release.eqtlStatistics`,
 * `Release.permutationStatistics`, `Release.qValues`, `cisPermutationPass`, `pValueBetaInterval`), on the
 * bundled miniature release:
 *
 * - exactly, given the release's own permutations (`BUNDLED_PERMUTATIONS`), against an independent
 *   numpy/scipy implementation run on the same permutations (`tests/reference/permutation_pass/recompute.py`),
 *   against the generator's full-precision truth (`fixtures/truth/permutations.tsv`) and against the
 *   published values at their printed precision;
 * - statistically, with other permutations: the published `pval_beta` within the recomputed Monte-Carlo
 *   interval for ≥ 99 % of genes; the interval's width against the spread of independent runs;
 * - q-values against R's qvalue (`qvalues.R`), aFC against aFC.py (`afc_release.py`);
 * - grouped phenotypes against separate scans; typed errors.
 */
import assert from "node:assert/strict";
import { BUNDLED_PERMUTATIONS, BUNDLED_RELEASE, openRelease } from "ratgtex/release";
import {
  betaApproxPValue,
  cisPermutationPass,
  cisPermutations,
  permutationIndices,
  pValueBetaInterval,
} from "ratgtex/analysis";
import { ValidationError } from "ratgtex";
import { makeTissue, tissueInput } from "./support/cis_tissue.ts";

const here = (p: string) => new URL(p, import.meta.url);
const json = async (p: string) => JSON.parse(await Deno.readTextFile(here(p)));

interface RefScan {
  tissue: string;
  gene_id: string;
  table: "top_assoc" | "eqtls_indep";
  indep_variant_id?: string;
  conditioned_on: string[];
  num_var: number;
  window_variants: number;
  variant_id: string;
  pval_perm: number;
  pval_beta: number;
  beta_shape1: number;
  beta_shape2: number;
  true_df: number;
}
const reference: { rows: RefScan[]; seed: number; nperm: number } = await json(
  "./reference/permutation_pass/permutations.json",
);

/** The generator's truth (not part of the release): full-precision permutation statistics of the expression rows. */
async function truth(): Promise<Map<string, Record<string, string>>> {
  const lines = (await Deno.readTextFile(here("../fixtures/truth/permutations.tsv"))).trim().split("\n");
  const header = lines[0].split("\t");
  const rows = lines.slice(1).map((l) => Object.fromEntries(l.split("\t").map((v, i) => [header[i], v])));
  return new Map(
    rows.filter((r) => r.modality === "expression").map((
      r,
    ) => [`${r.tissue}\t${r.gene_id}\t${r.table}\t${r.variant_id}`, r]),
  );
}

interface Pair {
  geneId: string;
  tissueSiteDetailId: string;
  variantId: string;
}

const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

const release = await openRelease(BUNDLED_RELEASE);
const cols = ["geneId", "tissueSiteDetailId", "variantId"];
const top = (await release.topAssociations()).select(...cols).toRecords() as unknown as Pair[];
const indep = (await release.independentEqtls()).select(...cols).toRecords() as unknown as Pair[];
const indepCount = new Map<string, number>();
for (const p of indep) {
  indepCount.set(
    `${p.tissueSiteDetailId}\t${p.geneId}`,
    (indepCount.get(`${p.tissueSiteDetailId}\t${p.geneId}`) ?? 0) + 1,
  );
}

Deno.test("eqtlStatistics with the release's permutations: numpy's numbers on the same permutations, the generator's truth, and the published values", async () => {
  assert.equal(reference.seed, BUNDLED_PERMUTATIONS.seed);
  assert.equal(reference.nperm, BUNDLED_PERMUTATIONS.permutations);
  const pairs = [...top, ...indep];
  const rows = (await release.eqtlStatistics(pairs, BUNDLED_PERMUTATIONS)).toRecords() as Record<string, unknown>[];
  const refOf = new Map(reference.rows.map((r) => [
    r.table === "top_assoc" ? `${r.tissue}\t${r.gene_id}` : `${r.tissue}\t${r.gene_id}\t${r.indep_variant_id}`,
    r,
  ]));
  const known = await truth();
  const worst: Record<string, number> = {};
  let worstTruth = 0, comparedTruth = 0;
  const afcRef = new Map(
    ((await json("./reference/permutation_pass/afc.json")).rows as Record<string, string>[]).map((r) => [
      `${r.tissue}\t${r.gene_id}\t${r.variant_id}`,
      Number(r.log2_aFC),
    ]),
  );
  let worstAfc = 0, agreeing = 0;
  rows.forEach((r, i) => {
    const p = pairs[i];
    const key = `${p.tissueSiteDetailId}\t${p.geneId}`;
    const isIndep = i >= top.length;
    const conditional = isIndep && indepCount.get(key)! > 1;
    // numpy on the same permutations: the same scans. The permutation counts and the secant's true_df agree
    // to round-off (1e-9 relative); the beta shapes come from Nelder–Mead, which stops anywhere within 1e-4
    // of the optimum, and two float64 implementations whose sums differ in the last bit can stop at different
    // points of that box where the likelihood is flat: shapes to 1e-4, pval_beta to 2e-5 relative (the
    // library's OPTIMISER_SLACK). The gene's map_cis scan for every pair; for an independent row of a gene
    // with several signals, also its conditional scan.
    const gene = refOf.get(key)!;
    assert.ok(gene, `${key}: no numpy scan`);
    assert.equal(r.numVar, gene.num_var, `${key} num_var`);
    const TOLERANCE: Record<string, number> = {
      pValuePerm: 1e-12,
      trueDf: 1e-9,
      betaShape1: 1e-4,
      betaShape2: 1e-4,
      pValueBeta: 2e-5,
      conditionalPValueBeta: 2e-5,
    };
    const compare = (names: Record<string, keyof RefScan>, theirs: RefScan) => {
      for (const [a, b] of Object.entries(names)) {
        const d = relDiff(r[a] as number, theirs[b] as number);
        worst[a] = Math.max(worst[a] ?? 0, d);
        assert.ok(d <= TOLERANCE[a], `${key} ${a}: ${r[a]} vs numpy ${theirs[b]}`);
      }
    };
    compare(
      {
        pValueBeta: "pval_beta",
        pValuePerm: "pval_perm",
        betaShape1: "beta_shape1",
        betaShape2: "beta_shape2",
        trueDf: "true_df",
      },
      gene,
    );
    if (conditional) {
      const c = refOf.get(`${key}\t${p.variantId}`)!;
      assert.equal(r.conditionalNumVar, c.window_variants, `${key} ${p.variantId} window`);
      compare({ conditionalPValueBeta: "pval_beta" }, c);
    } else if (isIndep) assert.equal(r.conditionalPValueBeta, r.pValueBeta);
    // aFC.py's log2_aFC of the pair, to 1e-12 (measured ≤ 4e-15).
    const afc = afcRef.get(`${key}\t${p.variantId}`)!;
    worstAfc = Math.max(worstAfc, Math.abs((r.log2aFC as number) - afc));
    assert.ok(Math.abs((r.log2aFC as number) - afc) <= 1e-12, `${key} log2_aFC ${r.log2aFC} vs aFC.py ${afc}`);
    // The published values: the release tested every variant of the ±1 Mb window, as tensorQTL does.
    assert.equal(r.numVar, r.publishedNumVar, `${key}: num_var`);
    // The generator's full-precision truth, where the windows are the same.
    const t = known.get(`${key}\t${isIndep ? "eqtls_indep" : "top_assoc"}\t${p.variantId}`)!;
    assert.ok(t, `${key} ${p.variantId}: no truth row`);
    comparedTruth++;
    const ours = isIndep ? r.conditionalPValueBeta as number : r.pValueBeta as number;
    worstTruth = Math.max(worstTruth, relDiff(ours, Number(t.pval_beta)));
    if (!isIndep) {
      worstTruth = Math.max(worstTruth, relDiff(r.betaShape1 as number, Number(t.beta_shape1)));
      worstTruth = Math.max(worstTruth, relDiff(r.trueDf as number, Number(t.true_df)));
    }
    // Every published value agrees (nothing is pinned: the worked example's threshold is computed too).
    assert.equal(r.agrees, true, `${key} (${isIndep ? "eqtls_indep" : "top_assoc"}): ${r.disagrees}`);
    agreeing++;
  });
  assert.ok(worstTruth <= 1e-9, `truth: ${worstTruth}`);
  console.log(
    `${rows.length} rows, numpy on the same permutations: ` +
      Object.entries(worst).map(([k, v]) => `${k} ≤ ${v.toExponential(1)}`).join(", ") + "; " +
      `aFC.py ≤ ${worstAfc.toExponential(1)}; truth ≤ ${worstTruth.toExponential(1)} on ${comparedTruth} rows; ` +
      `agrees on ${agreeing} of ${rows.length} rows`,
  );
  assert.equal(agreeing, rows.length);
});

Deno.test("permutationStatistics of the other modalities and cross-modality (grouped by gene) with the release's permutations: the published values and the generator's truth", async () => {
  const lines = (await Deno.readTextFile(here("../fixtures/truth/permutations.tsv"))).trim().split("\n");
  const header = lines[0].split("\t");
  const rows = lines.slice(1).map((l) => Object.fromEntries(l.split("\t").map((v, i) => [header[i], v])))
    .filter((r) => r.table === "top_assoc" && r.modality !== "expression");
  const runs = [...new Set(rows.map((r) => `${r.tissue}\t${r.modality}`))];
  assert.ok(runs.some((r) => r.endsWith("cross_modality")) && runs.some((r) => r.endsWith("splicing")));
  let agree = 0, rowCount = 0, worst = 0;
  for (const run of runs) {
    const [tissue, modality] = run.split("\t");
    const f = await release.permutationStatistics({ tissueSiteDetailId: tissue, modality }, BUNDLED_PERMUTATIONS);
    for (const r of f.toRecords() as Record<string, unknown>[]) {
      rowCount++;
      const t = rows.find((x) => x.tissue === tissue && x.modality === modality && x.gene_id === r.geneId)!;
      assert.ok(t, `${run} ${r.geneId}: no truth row`);
      assert.equal(r.publishedNumVar, Number(t.num_var));
      // The same ±1 Mb window as the release's (every variant of it, as tensorQTL tests).
      assert.equal(r.numVar, r.publishedNumVar, `${run} ${r.geneId} num_var`);
      // The group's row: its strongest phenotype (tied phenotypes may swap; their pval_beta is the same).
      const d = relDiff(r.pValueBeta as number, Number(t.pval_beta));
      worst = Math.max(worst, d);
      // The beta fit's optimiser stops within its tolerance; grouped scans of few samples are flat: ≤ 2e-5.
      assert.ok(d <= 2e-5, `${run} ${r.geneId}: ${r.pValueBeta} vs ${t.pval_beta}`);
      assert.equal(relDiff(r.trueDf as number, Number(t.true_df)) <= 1e-9, true, `${run} ${r.geneId} true_df`);
      assert.equal(r.agrees, true, `${run} ${r.geneId}`);
      agree++;
    }
  }
  console.log(
    `${runs.length} tissue × modality runs: ${agree} genes agree with the release (pval_beta ≤ ` +
      `${worst.toExponential(1)} from the truth) of ${rowCount}`,
  );
  assert.equal(agree, rowCount);
});

Deno.test("permutationStatistics with other permutations: the published pval_beta within the Monte-Carlo interval for ≥ 99 % of genes", async () => {
  const seed = 1; // other permutations than the release's (20260426)
  console.log(`seed ${seed}`);
  let inside = 0, compared = 0, moved = 0;
  const layout = await release.layout();
  for (const tissue of layout.tissues) {
    const f = await release.permutationStatistics({ tissueSiteDetailId: tissue }, {
      permutations: 1000,
      seed,
      publishedPermutations: 1000,
    });
    for (const r of f.toRecords() as Record<string, unknown>[]) {
      compared++;
      if (r.withinInterval) inside++;
      if (Number((r.pValueBeta as number).toPrecision(6)) !== r.publishedPValueBeta) moved++;
    }
  }
  console.log(
    `${inside}/${compared} published pval_beta within the 99.9 % interval; ${moved} moved with the permutations`,
  );
  assert.ok(compared >= 450);
  assert.ok(moved >= compared * 0.9, "other permutations give other pval_beta");
  assert.ok(inside >= 0.99 * compared);
});

Deno.test("pValueBetaInterval: its standard error is the spread of pval_beta across independent runs of permutations", async () => {
  // One synthetic tissue (tests/support/cis_tissue.ts), 6 genes, 30 runs of 500 permutations each.
  const tissue = makeTissue({
    samples: 150,
    covariates: 3,
    genes: 6,
    variantsPerWindow: 60,
    window: 50_000,
    geneSpacing: 100_000,
    seed: 3,
  });
  const input = tissueInput(tissue);
  const runs = 30, nperm = 500;
  const logs: number[][] = Array.from({ length: 6 }, () => []);
  const ses: number[][] = Array.from({ length: 6 }, () => []);
  for (let run = 0; run < runs; run++) {
    const { table } = await cisPermutationPass(input, { window: 50_000, permutations: nperm, seed: 100 + run });
    const pb = table.getColumn("pval_beta").toArray() as number[];
    const low = table.getColumn("pval_beta_low").toArray() as number[];
    pb.forEach((p, j) => {
      logs[j].push(Math.log(p));
      // the default interval is for another run of the same size: z·se·√2
      ses[j].push((Math.log(p) - Math.log(low[j])) / (3.2905267314919255 * Math.SQRT2));
    });
  }
  for (let j = 0; j < 6; j++) {
    const m = logs[j].reduce((a, b) => a + b, 0) / runs;
    const sd = Math.sqrt(logs[j].reduce((a, b) => a + (b - m) ** 2, 0) / (runs - 1));
    const se = ses[j].reduce((a, b) => a + b, 0) / runs;
    // The sample SD of 30 runs is itself within ±30 % of the truth with high probability.
    assert.ok(sd / se > 0.6 && sd / se < 1.5, `gene ${j}: spread ${sd} vs standard error ${se}`);
  }
});

Deno.test("qValues: R qvalue on each tissue's published pval_beta column, bit for bit", async () => {
  const ref = await json("./reference/permutation_pass/qvalues.json");
  for (const t of ref.tissues as Record<string, unknown>[]) {
    const f = await release.qValues({ tissueSiteDetailId: t.tissue as string });
    assert.deepEqual(f.getColumn("geneId").toArray(), t.gene_id);
    assert.equal(f.getColumn("lambda").get(0), t.lambda);
    assert.equal(f.getColumn("pi0").get(0), Number(t.pi0));
    assert.deepEqual(f.getColumn("qValue").toArray(), (t.qvalues as string[]).map(Number), t.tissue as string);
    assert.ok((f.getColumn("agrees").toArray() as boolean[]).every((a) => a), t.tissue as string);
    // R stops at λ = 0.85 exactly where the fallback was taken.
    assert.equal(t.lambda === 0.85, t["error_at_0.85"] === null);
  }
});

Deno.test("cisPermutationPass: a group's row is its strongest phenotype's, its permutation maximum the members' maximum, its fit from dof/4", async () => {
  const tissue = makeTissue({
    samples: 120,
    covariates: 2,
    genes: 4,
    variantsPerWindow: 40,
    window: 50_000,
    geneSpacing: 1_000,
    seed: 11,
  });
  const input = tissueInput(tissue);
  const permutations = permutationIndices(tissue.n, 300, 5);
  const groups = ["A", "A", "B", "B"];
  const grouped = await cisPermutationPass(input, { window: 50_000, permutations, groups });
  const separate = await cisPermutations(input, { window: 50_000, permutations });
  const r2 = separate.table.getColumn("r2_nominal").toArray() as number[];
  const rows = grouped.table.toRecords() as Record<string, unknown>[];
  assert.deepEqual(rows.map((r) => r.group_id), ["A", "B"]);
  assert.deepEqual(rows.map((r) => r.group_size), [2, 2]);
  for (const [g, members] of [[0, [0, 1]], [1, [2, 3]]] as const) {
    const best = r2[members[0]] >= r2[members[1]] ? members[0] : members[1];
    assert.equal(rows[g].phenotype_id, `G${best}`);
    const r2Perm = Float64Array.from(
      { length: 300 },
      (_, i) => Math.max(...members.map((j) => separate.r2Perm[j * 300 + i])),
    );
    const fit = betaApproxPValue({ r2Perm, r2Nominal: r2[best], dof: separate.dof }, { dofInit: separate.dof / 4 });
    assert.equal(rows[g].pval_beta, fit.pvalBeta);
    assert.equal(rows[g].true_df, fit.trueDf);
    const mc = pValueBetaInterval({ r2Perm, r2Nominal: r2[best], dof: separate.dof }, fit);
    assert.equal(rows[g].pval_beta_low, mc.low);
  }
});

Deno.test("permutation statistics: typed errors for a bad tissue, modality, gene or option", async () => {
  await assert.rejects(() => release.permutationStatistics({ tissueSiteDetailId: "Livr" }), ValidationError);
  await assert.rejects(
    () => release.permutationStatistics({ tissueSiteDetailId: "IL", modality: "protein" }),
    /not a modality/,
  );
  await assert.rejects(
    () => release.permutationStatistics({ tissueSiteDetailId: "IL", geneIds: ["NotAGene"] }),
    /has no phenotype in phenos\.IL\.expression\.norm/,
  );
  await assert.rejects(
    () => release.permutationStatistics({ tissueSiteDetailId: "IL" }, { permutations: 1 }),
    /options\.permutations/,
  );
  await assert.rejects(
    () => release.eqtlStatistics(top.slice(0, 1), { seed: -1 }),
    /options\.seed/,
  );
  await assert.rejects(() => release.qValues({ tissueSiteDetailId: "il" }), ValidationError);
  assert.throws(
    () =>
      pValueBetaInterval(
        { r2Perm: [0.1, 0.2], r2Nominal: 0.3, dof: 10 },
        betaApproxPValue({
          r2Perm: [0.1, 0.2],
          r2Nominal: 0.3,
          dof: 10,
        }),
        { level: 1 },
      ),
    /options\.level/,
  );
});

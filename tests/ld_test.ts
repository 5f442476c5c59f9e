/**
 * LD (`lib/analysis/genetics/ld.ts`) against plink 1.9 and pandas on the synthetic VCFs of
 * `tests/reference/ld/` (made by `make_reference.py` there, which says how to re-run it).
 *
 * Tolerances:
 * - `r2` (dosage) and `r`: plink's `--r2 square bin` / `--r square bin` doubles, compared EXACTLY (same
 *   integer sums, same floating-point operations).
 * - `r2Haplotype`, `dprime`, `dprimeSigned`: plink's `--r2 dprime` text prints 6 significant digits (no flag
 *   gives more), so what its output lets us assert is half a unit of the 6th digit (≤ 5e-7 for values in
 *   [0.1, 1), less below; 5e-6 for a value printed "1"), that ours printed the way plink prints (%g, 6
 *   digits) equals its text, and |ours − printed| ≤ 1e-6 (every pair meets it: values printed "1" are
 *   within 1.2e-9 of 1).
 * - `r2V3`: pandas' rounded values, exactly.
 * - `n`: a direct count of rats called at both.
 */
import assert from "node:assert/strict";
import { ldMatrix, ldWithLead, packGenotypes } from "ratgtex/analysis";
import { ValidationError } from "ratgtex";
import type { LdPair } from "ratgtex/analysis";

const DIR = new URL("./reference/ld/", import.meta.url);
const text = (name: string): string => Deno.readTextFileSync(new URL(name, DIR));

/** A tiny VCF GT parser: ALT allele count per rat, −1 for `./.`. */
function readVcf(name: string): Int8Array[] {
  const out: Int8Array[] = [];
  for (const line of text(name).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const cells = line.split("\t").slice(9);
    out.push(Int8Array.from(cells, (c) => (c[0] === "." ? -1 : Number(c[0]) + Number(c[2]))));
  }
  return out;
}

/** plink's compact table: "i j" → [value strings]. */
function readTable(name: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of text(name).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const [i, j, ...vals] = line.split(" ");
    map.set(`${i} ${j}`, vals);
  }
  return map;
}

/** An upper triangle (with diagonal when `diag`) of repr() values as a full symmetric matrix; NaN for nan. */
function readSquare(name: string, m: number, diag: boolean): Float64Array {
  const out = new Float64Array(m * m).fill(NaN);
  const rows = text(name).split("\n").filter((l) => l !== "" && !l.startsWith("#"));
  rows.forEach((row, i) => {
    row.split(" ").forEach((v, k) => {
      const j = i + k + (diag ? 0 : 1);
      out[i * m + j] = out[j * m + i] = v === "nan" ? NaN : Number(v);
    });
  });
  return out;
}

/** C's `%g` with 6 significant digits (what plink's dtoa_g prints). */
function g6(x: number): string {
  if (x === 0) return "0";
  const [mant, exp] = x.toExponential(5).split("e");
  const e = Number(exp);
  const trim = (s: string): string => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (e < -4 || e >= 6) return `${trim(mant)}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  return trim(x.toFixed(5 - e));
}

/** Half a unit of the 6th significant digit of a printed value. */
function halfUnit(printed: string): number {
  const v = Math.abs(Number(printed));
  return v === 0 ? 5e-7 : 0.5 * 10 ** (Math.floor(Math.log10(v)) - 5);
}

function closeToPrinted(ours: number | null, printed: string, what: string): void {
  assert.ok(ours !== null, `${what}: plink printed ${printed}, we gave null`);
  const tol = halfUnit(printed) * (1 + 1e-9);
  assert.ok(Math.abs(ours - Number(printed)) <= tol, `${what}: ours ${ours}, plink ${printed} (tolerance ${tol})`);
  // and the bound, which holds too (values printed "1" are within 1.2e-9 of 1 here)
  assert.ok(Math.abs(ours - Number(printed)) <= 1e-6, `${what}: ours ${ours}, plink ${printed} (1e-6)`);
  assert.equal(g6(ours), printed, `${what}: ours printed as plink prints`);
}

function directN(a: Int8Array, b: Int8Array): number {
  let n = 0;
  for (let k = 0; k < a.length; k++) if (a[k] >= 0 && b[k] >= 0) n++;
  return n;
}

const sameDouble = (a: number | null, b: number): boolean => (a === null ? Number.isNaN(b) : Object.is(a, b));

for (const tag of ["a", "b"]) {
  const calls = readVcf(`ld_${tag}.vcf`);
  const m = calls.length;

  // Every pair i < j, the way a lead-variant query sees it.
  const rows: LdPair[][] = calls.map((lead, i) => ldWithLead(lead, calls.slice(i + 1)));
  const rowsKao: LdPair[][] = calls.map((lead, i) => ldWithLead(lead, calls.slice(i + 1), { keepAlleleOrder: true }));
  const at = (t: LdPair[][], i: number, j: number): LdPair => t[i][j - i - 1];

  Deno.test(`ld ${tag}: r2Haplotype and dprime equal plink --r2 dprime for every pair (6 printed digits)`, () => {
    const table = readTable(`ld_${tag}.dprime`);
    let printed = 0;
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        const p = at(rows, i, j), ref = table.get(`${i} ${j}`);
        if (ref === undefined) {
          // plink prints nothing where it has no number (its NaN): we give a reason.
          assert.equal(p.r2Haplotype, null, `pair ${i} ${j}: plink has no number, we gave ${p.r2Haplotype}`);
          assert.equal(p.dprime, null);
          assert.ok(p.reason, `pair ${i} ${j}: a reason`);
          continue;
        }
        printed++;
        closeToPrinted(p.r2Haplotype, ref[0], `pair ${i} ${j} R2`);
        closeToPrinted(p.dprime, ref[1], `pair ${i} ${j} DP`);
      }
    }
    assert.ok(printed > m * (m - 1) / 2 * 0.8, `most pairs printed (${printed})`);
  });

  Deno.test(`ld ${tag}: keepAlleleOrder and dprimeSigned equal plink --keep-allele-order (--r2 dprime, --r dprime-signed)`, () => {
    const unsigned = readTable(`ld_${tag}.dprime_kao`), signed = readTable(`ld_${tag}.dprime_signed_kao`);
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        const p = at(rowsKao, i, j), u = unsigned.get(`${i} ${j}`), s = signed.get(`${i} ${j}`);
        if (u === undefined) {
          assert.equal(p.r2Haplotype, null);
          assert.equal(s, undefined);
          continue;
        }
        closeToPrinted(p.r2Haplotype, u[0], `pair ${i} ${j} R2 (kao)`);
        closeToPrinted(p.dprime, u[1], `pair ${i} ${j} DP (kao)`);
        closeToPrinted(p.dprimeSigned, s![1], `pair ${i} ${j} signed DP (kao)`);
        // The signed haplotype r has D's sign, which D′ carries.
        if (Number(s![0]) !== 0) assert.equal(Math.sign(p.dprimeSigned!), Math.sign(Number(s![0])));
        // Default coding (minor allele 1) gives the same |D′| up to the cubic's rounding near a double root
        // (≤ 4e-8 seen; plink's two codings differ the same way); its sign can differ where the likelihood
        // is symmetric in D (e.g. a variant heterozygous in every rat), as plink's own two codings do.
        const d = at(rows, i, j).dprimeSigned!;
        assert.ok(Math.abs(Math.abs(d) - p.dprime!) <= 1e-6, `pair ${i} ${j}: |signed D′| ${d} vs ${p.dprime}`);
      }
    }
  });

  Deno.test(`ld ${tag}: r2 and r equal plink --r2 square / --r square exactly (binary doubles)`, () => {
    const r2 = readSquare(`ld_${tag}.r2_square`, m, true), r = readSquare(`ld_${tag}.r_square_kao`, m, true);
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        const p = at(rows, i, j);
        assert.ok(sameDouble(p.r2, r2[i * m + j]), `pair ${i} ${j}: r2 ${p.r2} vs plink ${r2[i * m + j]}`);
        assert.ok(sameDouble(p.r, r[i * m + j]), `pair ${i} ${j}: r ${p.r} vs plink ${r[i * m + j]}`);
        if (p.r2 === null) assert.ok(p.reason, `pair ${i} ${j}: a reason`);
      }
    }
    for (const kernel of ["wasm", "js"] as const) {
      const mat = ldMatrix(calls, { signed: true, kernel });
      assert.equal(mat.kernel, kernel);
      for (let k = 0; k < m * m; k++) {
        assert.ok(Object.is(mat.r2[k], r2[k]), `${kernel} matrix cell ${k}: ${mat.r2[k]} vs plink ${r2[k]}`);
        assert.ok(Object.is(mat.r![k], r[k]), `${kernel} matrix r cell ${k}: ${mat.r![k]} vs plink ${r[k]}`);
      }
    }
  });

  Deno.test(`ld ${tag}: n, the v3 route's r2V3 (pandas) and reasons`, () => {
    const v3 = readSquare(`ld_${tag}.v3`, m, false);
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        const p = at(rows, i, j);
        assert.equal(p.n, directN(calls[i], calls[j]), `pair ${i} ${j}: n`);
        assert.ok(sameDouble(p.r2V3, v3[i * m + j]), `pair ${i} ${j}: r2V3 ${p.r2V3} vs pandas ${v3[i * m + j]}`);
        const anyNull = [p.r2, p.r, p.r2Haplotype, p.dprime, p.dprimeSigned, p.r2V3].some((v) => v === null);
        assert.equal(p.reason !== null, anyNull, `pair ${i} ${j}: a reason exactly when a statistic is null`);
      }
    }
  });

  Deno.test(`ld ${tag}: ldMatrix haplotype cells and pair() agree with ldWithLead; wasm and js kernels agree`, () => {
    const wasm = ldMatrix(calls, { haplotype: true, signed: true, kernel: "wasm" });
    const js = ldMatrix(calls, { haplotype: true, signed: true, kernel: "js" });
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        const p = at(rows, i, j);
        assert.ok(sameDouble(p.r2Haplotype, wasm.r2Haplotype![i * m + j]), `pair ${i} ${j} r2Haplotype`);
        assert.ok(sameDouble(p.dprime, wasm.dprime![i * m + j]), `pair ${i} ${j} dprime`);
        // (reasons name variants by position here, by argument there)
        assert.deepEqual({ ...wasm.pair(i, j), reason: !!wasm.pair(i, j).reason }, { ...p, reason: !!p.reason });
      }
    }
    for (const key of ["r2", "r", "r2Haplotype", "dprime"] as const) {
      assert.ok(wasm[key]!.every((v, k) => Object.is(v, js[key]![k])), `${key}: wasm and js kernels`);
    }
    const jsRows = calls.map((lead, i) => ldWithLead(lead, calls.slice(i + 1), { kernel: "js" }));
    assert.deepEqual(jsRows, rows);
  });
}

Deno.test("ld: reasons name the variant and the cause", () => {
  const a = readVcf("ld_a.vcf");
  const ids = a.map((calls, i) => ({ calls, id: `v${i}` }));
  const [mono, hom, het, missing] = ldWithLead(ids[0], [ids[3], ids[4], ids[5], ids[6]]);
  assert.match(
    mono.reason!,
    /^v3 has one genotype \(0\/0\) in all \d+ rats called at both v0 and v3: LD is undefined$/,
  );
  assert.match(hom.reason!, /^v4 has one genotype \(1\/1\)/);
  assert.equal(het.r2, null);
  assert.ok(het.dprime !== null && het.r2Haplotype !== null);
  assert.match(het.reason!, /v5 has one genotype \(0\/1\) .* the dosage correlation \(r, r2, r2V3\) is undefined/);
  assert.equal(missing.n, 0);
  assert.equal(missing.reason, "no rat is called at both v0 and v6");
  const b = readVcf("ld_b.vcf");
  const [none, one] = ldWithLead(b[6], [b[7], b[8]]);
  assert.equal(none.reason, "no rat is called at both the lead variant and others[0]");
  assert.equal(one.n, 1);
  assert.equal(one.reason, "only 1 rat is called at both the lead variant and others[1] (minRats 2)");
  const [few] = ldWithLead(a[0], [a[1]], { minRats: 1000 });
  assert.equal(few.r2, null);
  assert.match(few.reason!, /^only \d+ rats are called at both .* \(minRats 1000\)$/);
  const [multi] = ldWithLead(a[0], [{ calls: a[1], id: "chr1:5", multiAllelic: true }]);
  assert.equal(multi.r2, null);
  assert.match(multi.reason!, /chr1:5 is multi-allelic/);
  const mat = ldMatrix([a[0], { calls: a[1], multiAllelic: true }, a[2]]);
  assert.ok(Number.isNaN(mat.r2[1]) && Number.isNaN(mat.r2[3 + 2]));
  assert.match(mat.reason(0, 1)!, /variant 1 is multi-allelic/);
  assert.equal(mat.reason(0, 2), null);
  assert.equal(mat.undefinedPairs, 2);
});

Deno.test("ld: bad input is a ValidationError naming the parameter", () => {
  const ok = Int8Array.from([0, 1, 2]);
  const bad = (f: () => unknown, param: RegExp) =>
    assert.throws(f, (e) => e instanceof ValidationError && param.test(e.parameter), String(param));
  bad(() => ldWithLead(ok, [Int8Array.from([0, 1])]), /^others\[0\]$/);
  bad(() => ldWithLead(ok, [Int8Array.from([0, 3, 1])]), /^others\[0\]$/);
  bad(() => ldWithLead(ok, [Int8Array.from([0, -2, 1])]), /^others\[0\]$/);
  bad(() => ldWithLead([0, 1, 2] as unknown as Int8Array, [ok]), /^lead$/);
  bad(() => ldWithLead(ok, ok as unknown as Int8Array[]), /^others$/);
  bad(() => ldWithLead(ok, [ok], { minRat: 3 } as never), /^options$/);
  bad(() => ldWithLead(ok, [ok], { minRats: 0 }), /^options$/);
  bad(() => ldWithLead(ok, [{ calls: ok, id: 5 } as never]), /^others\[0\]\.id$/);
  bad(() => ldMatrix([ok, Int8Array.from([1])]), /^variants\[1\]$/);
  bad(() => ldMatrix({ format: "other" } as never), /^variants$/);
  bad(() => ldMatrix([ok], { kernel: "gpu" as never }), /^options$/);
  assert.deepEqual(ldWithLead(ok, []), []);
  const empty = ldMatrix([]);
  assert.equal(empty.variantCount, 0);
  bad(() => ldMatrix([ok, ok]).pair(0, 2), /^j$/);
});

Deno.test("ld: packed input gives the same matrix as call arrays", () => {
  const b = readVcf("ld_b.vcf");
  const packed = packGenotypes(b);
  assert.deepEqual(ldMatrix(packed).r2, ldMatrix(b).r2);
});

/** mulberry32. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("ld: randomised shapes — kernels agree, n and r2 match a direct computation", () => {
  const seed = 20240611;
  console.log(`  seed ${seed}, 25 cases`);
  const rand = rng(seed);
  const sizes = [1, 2, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200, 1000];
  for (let c = 0; c < 25; c++) {
    const n = sizes[Math.floor(rand() * sizes.length)];
    const m = 1 + Math.floor(rand() * 12);
    const missing = rand() < 0.5 ? 0 : rand() * 0.3;
    const calls = Array.from({ length: m }, () => {
      const f = rand();
      return Int8Array.from(
        { length: n },
        () => (rand() < missing ? -1 : (rand() < f ? 1 : 0) + (rand() < f ? 1 : 0)),
      );
    });
    const wasm = ldMatrix(calls, { signed: true, haplotype: true, kernel: "wasm" });
    const js = ldMatrix(calls, { signed: true, haplotype: true, kernel: "js" });
    const fast = ldMatrix(calls, { signed: true }); // the dot-product path where rows are complete
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        const k = i * m + j;
        assert.ok(Object.is(wasm.r2[k], js.r2[k]) && Object.is(wasm.r2[k], fast.r2[k]), `case ${c} r2 ${i} ${j}`);
        assert.ok(Object.is(wasm.r![k], js.r![k]) && Object.is(wasm.r![k], fast.r![k]), `case ${c} r ${i} ${j}`);
        assert.ok(Object.is(wasm.dprime![k], js.dprime![k]), `case ${c} dprime ${i} ${j}`);
        // Direct: Pearson correlation over the rats called at both, in plain floating point.
        let nn = 0, sx = 0, sy = 0;
        for (let t = 0; t < n; t++) {
          if (calls[i][t] >= 0 && calls[j][t] >= 0) {
            nn++;
            sx += calls[i][t];
            sy += calls[j][t];
          }
        }
        let sxx = 0, syy = 0, sxy = 0;
        for (let t = 0; t < n; t++) {
          if (calls[i][t] >= 0 && calls[j][t] >= 0) {
            const dx = calls[i][t] - sx / nn, dy = calls[j][t] - sy / nn;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
          }
        }
        const direct = sxy / Math.sqrt(sxx * syy);
        if (nn < 2 || sxx === 0 || syy === 0) assert.ok(Number.isNaN(wasm.r2[k]), `case ${c} NaN ${i} ${j}`);
        else assert.ok(Math.abs(wasm.r![k] - direct) <= 1e-12, `case ${c} r ${i} ${j}: ${wasm.r![k]} vs ${direct}`);
        if (i < j) assert.equal(wasm.pair(i, j).n, nn);
      }
    }
  }
});

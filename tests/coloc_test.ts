/**
 * colocAbf / colocBfBf / colocSusie against the coloc R package (5.2.3) itself: references in
 * tests/reference/coloc/, made by make_reference.R beside them (it says how to install coloc outside the
 * repository and re-run it). Cases: coloc's vignette D1/D2 (quant with sdY; sdY estimated; as case-control;
 * as p-values + MAF + N; other priors), synthetic loci simulated there (shared causal variant, distinct
 * causal variants, a null trait, case-control p-values against log-ORs with partial overlap and shuffled
 * order, adjusted priors), coloc.susie on the SuSiE vignette's D3/D4 fits (with and without a null column)
 * and coloc.bf_bf on those lbf matrices (trimmed pairs, every pair trimmed, no trimming, other priors).
 *
 * Tolerance: every posterior (PP.H0–H4 and every variant's SNP.PP.H4) within 1e-6 ABSOLUTE of coloc's; log
 * ABFs within 1e-9 relative (·max(1, |lABF|)); nsnps, priors, hits, credible sets and pair indices exact.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/_core/errors.ts`,
 * `lib/analysis/mod.ts`.
 */
import assert from "node:assert/strict";
import {
  COLOC_ABF_PRIORS,
  colocAbf,
  type ColocAbfOptions,
  colocBfBf,
  type ColocBfBfOptions,
  type ColocBfBfResult,
  type ColocDataset,
  colocSusie,
  type SusieFitLike,
} from "../lib/analysis/mod.ts";
import { ValidationError } from "../lib/_core/errors.ts";

const PP_TOL = 1e-6;
const LABF_TOL = 1e-9;
const DIR = new URL("./reference/coloc/", import.meta.url);

/** jsonlite writes a length-1 vector as a scalar (auto_unbox): read every vector back as an array. */
function arr<T>(x: T | T[] | null | undefined): T[] {
  if (x === null || x === undefined) return [];
  return Array.isArray(x) ? x : [x];
}

type RDataset = Record<string, unknown>;
interface DatasetRef {
  name: string;
  omit?: string | string[];
  set?: Record<string, unknown>;
}
interface AbfCase {
  name: string;
  dataset1: DatasetRef;
  dataset2: DatasetRef;
  options?: Record<string, number>;
  expected: {
    nsnps: number;
    pp: number[];
    priors: { p1: number; p2: number; p12: number };
    results: { snp: string | string[]; lABF1: number[]; lABF2: number[]; snpPpH4: number[] };
    credibleSet: string | string[];
    warnings: string | string[];
  };
}
const abfRef = JSON.parse(await Deno.readTextFile(new URL("abf_reference.json", DIR))) as {
  versions: { coloc: string };
  datasets: Record<string, RDataset>;
  cases: AbfCase[];
};

/** The coloc dataset of a case, as the R script built it (`derive(name, omit, set)`). */
function dataset(ref: DatasetRef): ColocDataset {
  const d: RDataset = { ...abfRef.datasets[ref.name] };
  for (const k of arr(ref.omit)) delete d[k];
  Object.assign(d, ref.set ?? {});
  for (const k of ["snp", "beta", "varbeta", "pvalues", "MAF", "position"]) if (k in d) d[k] = arr(d[k]);
  return d as unknown as ColocDataset;
}

function close(got: number, want: number, tol: number, what: string) {
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, coloc ${want} (|Δ| ${Math.abs(got - want)} > ${tol})`);
}

Deno.test("reference made by coloc 5", () => {
  assert.match(abfRef.versions.coloc, /^5\./);
});

for (const c of abfRef.cases) {
  Deno.test(`colocAbf = coloc.abf: ${c.name}`, () => {
    const res = colocAbf(dataset(c.dataset1), dataset(c.dataset2), c.options as ColocAbfOptions);
    const e = c.expected;
    assert.equal(res.nsnps, e.nsnps);
    const pp = [res.ppH0, res.ppH1, res.ppH2, res.ppH3, res.ppH4];
    pp.forEach((p, h) => close(p, e.pp[h], PP_TOL, `PP.H${h}`));
    for (const k of ["p1", "p2", "p12"] as const) close(res.priors[k], e.priors[k], 1e-14 * e.priors[k], k);
    // Per variant: coloc's results are sorted by ID, ours in dataset 1's order: match by ID.
    const snps = arr(e.results.snp);
    assert.equal(res.variants.length, snps.length);
    const byId = new Map(res.variants.map((v) => [v.variantId, v]));
    snps.forEach((id, k) => {
      const v = byId.get(id);
      assert.ok(v, `variant ${id} missing`);
      close(v.snpPpH4, e.results.snpPpH4[k], PP_TOL, `SNP.PP.H4 of ${id}`);
      close(v.lABF1, e.results.lABF1[k], LABF_TOL * Math.max(1, Math.abs(e.results.lABF1[k])), `lABF.df1 of ${id}`);
      close(v.lABF2, e.results.lABF2[k], LABF_TOL * Math.max(1, Math.abs(e.results.lABF2[k])), `lABF.df2 of ${id}`);
    });
    assert.deepEqual(res.credibleSet.variantIds, arr(e.credibleSet));
    assert.ok(res.credibleSet.coverage > 0.95);
    // The warnings coloc gave, by kind: sdY estimated, priors adjusted, weak signal.
    const theirs = arr(e.warnings);
    const count = (xs: string[], re: RegExp) => xs.filter((w) => re.test(w)).length;
    assert.equal(count(res.warnings, /sdY estimated/), count(theirs, /estimating sdY/), "sdY warnings");
    assert.equal(count(res.warnings, /set to 1\/\(nsnps \+ 1\)/), count(theirs, /setting p/), "prior warnings");
    assert.equal(count(res.warnings, /no variant has p < 1e-6/), count(theirs, /minimum p value/), "weak warnings");
  });
}

Deno.test("colocAbf: the vignette's D1/D2 numbers (PP.H4 = 0.9992, PP.H3 = 8.339e-4)", () => {
  const c = abfRef.cases[0];
  const res = colocAbf(dataset(c.dataset1), dataset(c.dataset2));
  assert.equal(res.ppH4.toFixed(4), "0.9992");
  assert.equal(res.ppH3.toPrecision(4), "0.0008339");
  assert.deepEqual(res.priors, COLOC_ABF_PRIORS);
  assert.deepEqual(res.credibleSet.variantIds, ["s105"]);
});

// ------------------------------------------------------------------------------ coloc.bf_bf / coloc.susie

interface RFit {
  lbfVariable: number[][];
  columns: string[];
  csIndex: number | number[];
}
interface RSummaryRow {
  nsnps: number;
  hit1: string;
  hit2: string;
  pp: (number | null)[];
  idx1: number;
  idx2: number;
}
interface RExpected {
  summary: RSummaryRow[];
  results: { snp?: string | string[]; snpPpH4?: number[][] };
  priors: { p1?: number; p2?: number; p12?: number };
  warnings: string | string[];
}
interface RPart {
  fit: string;
  rows: number | number[];
  columns: string | string[];
}
const susieRef = JSON.parse(await Deno.readTextFile(new URL("susie_reference.json", DIR))) as {
  fits: Record<string, RFit>;
  susieCases: { name: string; fit1: string; fit2: string; options: Record<string, number>; expected: RExpected }[];
  bfCases: { name: string; bf1: RPart; bf2: RPart; options: Record<string, unknown>; expected: RExpected }[];
};

/** coloc's option names → ours. */
function bfOptions(o: Record<string, unknown>): ColocBfBfOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o ?? {})) {
    out[k === "overlap.min" ? "overlapMin" : k === "trim_by_posterior" ? "trimByPosterior" : k] = v;
  }
  return out as ColocBfBfOptions;
}

/** A recorded susieR fit as {@link SusieFitLike}: the null column (if any) is the last, cs_index is 1-based. */
function susieFit(name: string): SusieFitLike {
  const f = susieRef.fits[name];
  const variantIds = f.columns.filter((c) => c !== "null");
  return { lbfVariable: f.lbfVariable, variantIds, sets: arr(f.csIndex).map((i) => ({ effect: i - 1 })) };
}

function checkAgainst(res: ColocBfBfResult, e: RExpected, what: string, effectOfRow = (i: number) => i) {
  assert.equal(res.summary.length, e.summary.length, `${what}: rows`);
  const snps = arr(e.results?.snp);
  if (snps.length > 0) assert.deepEqual(res.variantIds, snps);
  e.summary.forEach((want, k) => {
    const got = res.summary[k];
    assert.equal(got.nsnps, want.nsnps);
    assert.equal(got.hit1, want.hit1, `${what} row ${k}: hit1`);
    assert.equal(got.hit2, want.hit2, `${what} row ${k}: hit2`);
    // coloc's idx are 1-based rows (coloc.susie: cs_index); ours 0-based rows / effects.
    assert.equal(got.idx1, effectOfRow(want.idx1 - 1), `${what} row ${k}: idx1`);
    assert.equal(got.idx2, want.idx2 - 1, `${what} row ${k}: idx2`);
    const pp = [got.ppH0, got.ppH1, got.ppH2, got.ppH3, got.ppH4];
    pp.forEach((p, h) => {
      if (want.pp[h] === null) {
        assert.equal(p, null, `${what} row ${k}: PP.H${h} should be null (coloc NA)`);
        assert.ok(got.reason);
      } else close(p as number, want.pp[h] as number, PP_TOL, `${what} row ${k}: PP.H${h}`);
    });
    const perSnp = e.results?.snpPpH4?.[k];
    if (perSnp) {
      assert.equal(got.snpPpH4!.length, perSnp.length);
      perSnp.forEach((x, s) => close(got.snpPpH4![s], x, PP_TOL, `${what} row ${k}: SNP.PP.H4 of ${snps[s]}`));
    }
  });
  if (e.priors?.p12 !== undefined) assert.deepEqual(res.priors, e.priors);
  const trimmedAll = arr(e.warnings).some((w) => /overlap too small/.test(w));
  assert.equal(res.warnings.some((w) => /overlap too small/.test(w)), trimmedAll);
}

for (const c of susieRef.susieCases) {
  Deno.test(`colocSusie = coloc.susie: ${c.name}`, () => {
    const res = colocSusie(susieFit(c.fit1), susieFit(c.fit2), bfOptions(c.options));
    // coloc.susie renumbers idx to cs_index (1-based); the rows of summary are then already effects.
    checkAgainst(res, { ...c.expected, summary: c.expected.summary }, c.name, (i) => i);
  });
}

Deno.test("colocSusie: the vignette's rows (s105/s105 PP.H4 = 0.99916, s89/s105 PP.H3 = 0.96311)", () => {
  const res = colocSusie(susieFit("S3"), susieFit("S4"));
  assert.equal(res.summary.length, 2);
  const [a, b] = res.summary;
  assert.deepEqual([a.hit1, a.hit2, b.hit1, b.hit2], ["s105", "s105", "s89", "s105"]);
  assert.equal(a.ppH4!.toFixed(5), "0.99916");
  assert.equal(b.ppH3!.toFixed(5), "0.96311");
});

for (const c of susieRef.bfCases) {
  Deno.test(`colocBfBf = coloc.bf_bf: ${c.name}`, () => {
    const part = (p: RPart) => {
      const f = susieRef.fits[p.fit];
      const cols = arr(p.columns);
      const at = cols.map((id) => f.columns.indexOf(id));
      return { lbf: arr(p.rows).map((r) => at.map((j) => f.lbfVariable[r - 1][j])), variantIds: cols };
    };
    const res = colocBfBf(part(c.bf1), part(c.bf2), bfOptions(c.options));
    checkAgainst(res, c.expected, c.name);
  });
}

// ------------------------------------------------------------------------------------- behaviour and errors

const SNP = ["a", "b", "c", "d"];
const base = (): ColocDataset => ({
  type: "quant",
  snp: [...SNP],
  beta: [0.1, 0.8, 0.3, 0.05],
  varbeta: [0.01, 0.01, 0.01, 0.01],
  sdY: 1,
});

function rejects(f: () => unknown, parameter: string, message: RegExp) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof ValidationError, String(e));
    assert.equal(e.parameter, parameter);
    assert.match(e.message, message);
    assert.ok(e.hint.length > 0, "a fix is given");
    return true;
  });
}

Deno.test("colocAbf: malformed datasets are ValidationErrors naming the field and the fix", () => {
  rejects(() => colocAbf({ ...base(), beta: [0.1, 0.2] }, base()), "dataset1.beta", /2 values for 4 variants/);
  rejects(() => colocAbf(base(), { ...base(), varbeta: [0.01, NaN, 0.01, 0.01] }), "dataset2.varbeta", /not a finite/);
  rejects(() => colocAbf({ ...base(), beta: [0.1, Infinity, 0, 0] }, base()), "dataset1.beta", /b \(entry 1\)/);
  rejects(() => colocAbf({ ...base(), snp: ["a", "b", "a", "d"] }, base()), "dataset1.snp", /duplicated/);
  rejects(
    () => colocAbf({ ...base(), MAF: [0.1, 0, 0.2, 0.3], sdY: undefined, N: 100 }, base()),
    "dataset1.MAF",
    /strictly/,
  );
  rejects(() => colocAbf({ ...base(), MAF: [0.1, 1.2, 0.2, 0.3] }, base()), "dataset1.MAF", /strictly/);
  rejects(() => colocAbf({ ...base(), sdY: undefined }, base()), "dataset1.sdY", /MAF and N/);
  rejects(() => colocAbf({ ...base(), type: "binary" as "cc" }, base()), "dataset1.type", /quant/);
  rejects(
    () => colocAbf({ type: "quant", snp: SNP, beta: [1, 2, 3, 4] } as ColocDataset, base()),
    "dataset1.varbeta",
    /missing/,
  );
  rejects(
    () => colocAbf({ type: "cc", snp: SNP, pvalues: [0.1, 0.2, 0.3, 0.4], MAF: [0.1, 0.2, 0.3, 0.4], N: 100 }, base()),
    "dataset1.s",
    /proportion of cases/,
  );
  rejects(
    () => colocAbf({ type: "quant", snp: SNP, pvalues: [0.1, 0, 0.3, 0.4], MAF: [0.1, 0.2, 0.3, 0.4], N: 100 }, base()),
    "dataset1.pvalues",
    /\(0, 1\]/,
  );
  rejects(
    () => colocAbf({ ...base(), se: [1, 1, 1, 1] } as unknown as ColocDataset, base()),
    "dataset1",
    /varbeta = se²/,
  );
  rejects(() => colocAbf(base(), { ...base(), snp: ["w", "x", "y", "z"] }), "dataset2.snp", /no variant ID in common/);
  rejects(() => colocAbf(base(), base(), { p12: 2 }), "p12", /\(0, 1\)/);
  rejects(() => colocAbf(base(), base(), { p_12: 1e-5 } as ColocAbfOptions), "options", /did you mean p12/);
  rejects(
    () => colocAbf({ ...base(), position: [1, 2, 3, 4] }, { ...base(), position: [1, 2, 30, 4] }),
    "dataset2.position",
    /variant c is at 3/,
  );
});

Deno.test("colocAbf: one variant gives H3 = 0 (not NaN); variants come back in dataset 1's order", () => {
  const one = (b: number): ColocDataset => ({ type: "quant", snp: ["x"], beta: [b], varbeta: [0.001], sdY: 1 });
  const res = colocAbf(one(0.3), one(0.2));
  assert.equal(res.ppH3, 0);
  assert.ok(Math.abs(res.ppH0 + res.ppH1 + res.ppH2 + res.ppH4 - 1) < 1e-12);
  const d2 = { ...base(), snp: ["d", "c", "b", "a"] };
  assert.deepEqual(colocAbf(base(), d2).variants.map((v) => v.variantId), SNP);
});

Deno.test("colocBfBf / colocSusie: malformed input, no shared variant, no credible set", () => {
  const m = { lbf: [[0, 1, 2]], variantIds: ["a", "b", "c"] };
  rejects(() => colocBfBf({ lbf: [[0, 1]], variantIds: ["a", "b", "c"] }, m), "lbf1.lbf[0]", /2 values for 3/);
  rejects(() => colocBfBf(m, { lbf: [[0, NaN, 1]], variantIds: ["a", "b", "c"] }), "lbf2.lbf[0]", /finite/);
  rejects(() => colocBfBf(m, { lbf: [[0, 1, 1]], variantIds: ["a", "b", "a"] }), "lbf2.variantIds", /duplicated/);
  const none = colocBfBf(m, { lbf: [[1, 2]], variantIds: ["x", "y"] });
  assert.deepEqual(none.summary, []);
  assert.match(none.reason!, /share no variant/);
  const fit = { lbfVariable: [[0, 5, 0]], variantIds: ["a", "b", "c"], sets: [] };
  const empty = colocSusie(fit, { ...fit, sets: [{ effect: 0 }] });
  assert.deepEqual(empty.summary, []);
  assert.match(empty.reason!, /fit1 has no credible set/);
  rejects(() => colocSusie({ ...fit, sets: [{ effect: 3 }] }, fit), "fit1.sets[0].effect", /0 … 0/);
});

Deno.test("colocBfBf: the same variants in another order are aligned by ID", () => {
  const ids = ["a", "b", "c", "d"];
  const row2 = [0, 9, 1, 0];
  const straight = colocBfBf({ lbf: [[0, 10, 2, 0]], variantIds: ids }, { lbf: [row2], variantIds: ids });
  const order = [3, 1, 0, 2];
  const permuted = colocBfBf({ lbf: [[0, 10, 2, 0]], variantIds: ids }, {
    lbf: [order.map((k) => row2[k])],
    variantIds: order.map((k) => ids[k]),
  });
  assert.deepEqual(permuted.summary[0], straight.summary[0]);
});

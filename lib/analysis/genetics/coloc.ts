/**
 * Colocalisation of two traits at one locus, as the coloc R package (version 5; Giambartolomei et al. 2014,
 * Wallace 2020 and 2021) computes it:
 *
 * - {@link colocAbf} is `coloc.abf`: approximate Bayes factors (Wakefield) for every variant of each trait,
 *   from beta + varbeta or from p-value + MAF + N, under one causal variant per trait; posteriors of H0–H4,
 *   each variant's SNP.PP.H4 and the credible set of the shared variant.
 * - {@link colocBfBf} is `coloc.bf_bf`: the same hypotheses for every pair of signals given as rows of log
 *   Bayes factors (SuSiE's `lbf_variable`), with coloc's check that the shared variants carry the signals.
 * - {@link colocSusie} is `coloc.susie`: `colocBfBf` on the credible-set effects of two SuSiE fits.
 *
 * No npm package implements coloc, so the arithmetic is written here, formula for formula as coloc's R code
 * (`R/claudia.R`, `R/susie.R` of coloc 5.2.3); it is checked against the installed R package on its vignette
 * datasets and on simulated loci within 1e-6 (tests/coloc_test.ts, references made by
 * tests/reference/coloc/make_reference.R). It costs well under a millisecond per 3,000-variant gene
 * (tests/bench/coloc_bench.ts).
 *
 * @module
 */
import { ValidationError } from "../../_core/errors.ts";
import { checkOptions, didYouMean } from "../../_core/options.ts";
import { normalQuantile } from "../regression/distributions.ts";

/** A trait's kind, as coloc's `type`: a quantitative trait or a case-control one. */
export type ColocTraitType = "quant" | "cc";

/** A numeric vector: an array or a typed array. */
export type ColocNumbers = readonly number[] | Float64Array | Float32Array;

/**
 * One trait's association statistics at a locus, in coloc's own list format (the same names, so a coloc
 * dataset from R ports as it is). Give `beta` + `varbeta` (preferred), or `pvalues` + `MAF` + `N`.
 */
export interface ColocDataset {
  /** `"quant"` (quantitative) or `"cc"` (case-control). */
  type: ColocTraitType;
  /** Variant IDs (coloc's `snp`): the two datasets are matched by them; unique within a dataset. */
  snp: readonly string[];
  /** Effect estimate per variant (log odds ratio for case-control). */
  beta?: ColocNumbers;
  /** Variance of `beta` (the squared standard error, not the standard error). */
  varbeta?: ColocNumbers;
  /** Association p-value per variant, in (0, 1]; used only when `beta`/`varbeta` are absent. */
  pvalues?: ColocNumbers;
  /** Minor allele frequency per variant, strictly between 0 and 1. */
  MAF?: ColocNumbers;
  /** Sample size: one number, or one per variant. */
  N?: number | ColocNumbers;
  /** The trait's standard deviation (quantitative traits); estimated as coloc's `sdY.est` when absent. */
  sdY?: number;
  /** Proportion of cases (case-control traits), in (0, 1); needed with p-values. */
  s?: number;
  /** Positions (optional, carried as coloc does; both datasets' positions must agree for a shared ID). */
  position?: ColocNumbers;
}

/** Prior probabilities: a variant is causal for trait 1 only (`p1`), trait 2 only (`p2`), both (`p12`). */
export interface ColocPriors {
  /** Prior that a given variant is causal for trait 1. */
  p1: number;
  /** Prior that a given variant is causal for trait 2. */
  p2: number;
  /** Prior that a given variant is causal for both traits. */
  p12: number;
}

/** coloc 5's defaults for `coloc.abf`: p1 = p2 = 1e-4, p12 = 1e-5. */
export const COLOC_ABF_PRIORS: Readonly<ColocPriors> = Object.freeze({ p1: 1e-4, p2: 1e-4, p12: 1e-5 });

/** coloc 5's defaults for `coloc.bf_bf` and `coloc.susie`: p1 = p2 = 1e-4, p12 = 5e-6 (not 1e-5). */
export const COLOC_BF_PRIORS: Readonly<ColocPriors> = Object.freeze({ p1: 1e-4, p2: 1e-4, p12: 5e-6 });

/** Options of {@link colocAbf}. */
export interface ColocAbfOptions {
  /** Prior for trait 1 only (default 1e-4). */
  p1?: number;
  /** Prior for trait 2 only (default 1e-4). */
  p2?: number;
  /** Prior for a shared causal variant (default 1e-5). */
  p12?: number;
  /** One MAF vector for both datasets, used by a dataset that has none (coloc's `MAF` argument). */
  MAF?: ColocNumbers;
  /** Coverage of the shared variant's credible set (default 0.95). */
  coverage?: number;
}

/** One variant of a {@link colocAbf} result. */
export interface ColocVariant {
  /** The variant ID. */
  variantId: string;
  /** Position, when dataset 1 (else dataset 2) gave positions; otherwise null. */
  position: number | null;
  /** Log approximate Bayes factor for trait 1 (coloc's `lABF.df1`). */
  lABF1: number;
  /** Log approximate Bayes factor for trait 2 (coloc's `lABF.df2`). */
  lABF2: number;
  /** Posterior that this variant is the shared causal variant, if H4 is true (coloc's `SNP.PP.H4`). */
  snpPpH4: number;
}

/** The credible set of the shared causal variant (meaningful only when H4 is well supported). */
export interface ColocCredibleSet {
  /** Its variants, by decreasing SNP.PP.H4. */
  variantIds: string[];
  /** The SNP.PP.H4 they add up to (just above `target`). */
  coverage: number;
  /** The coverage asked for. */
  target: number;
}

/** What {@link colocAbf} returns. */
export interface ColocAbfResult {
  /** Variants in both datasets (coloc's `nsnps`). */
  nsnps: number;
  /** Posterior of H0: no causal variant for either trait. */
  ppH0: number;
  /** Posterior of H1: a causal variant for trait 1 only. */
  ppH1: number;
  /** Posterior of H2: a causal variant for trait 2 only. */
  ppH2: number;
  /** Posterior of H3: two distinct causal variants. */
  ppH3: number;
  /** Posterior of H4: one shared causal variant. */
  ppH4: number;
  /** The priors used (after coloc's adjustment when nsnps × p ≥ 1). */
  priors: ColocPriors;
  /** sdY used for trait 1 (given or estimated; null for case-control or p-value input). */
  sdY1: number | null;
  /** sdY used for trait 2 (given or estimated; null for case-control or p-value input). */
  sdY2: number | null;
  /** One entry per shared variant, in dataset 1's order (coloc's `results`, which coloc sorts by ID). */
  variants: ColocVariant[];
  /** The credible set of the shared causal variant. */
  credibleSet: ColocCredibleSet;
  /** What coloc would warn about: sdY estimated, priors adjusted, no strong association. */
  warnings: string[];
}

const DATASET_KEYS = ["type", "snp", "beta", "varbeta", "pvalues", "MAF", "N", "sdY", "s", "position", "LD"];
const VECTOR_KEYS = ["beta", "varbeta", "pvalues", "MAF", "position"] as const;
const USAGE_DATASET =
  'a coloc dataset: { type: "quant" | "cc", snp: [...IDs], beta, varbeta, sdY } or { type, snp, pvalues, MAF, N, s }';
/** |z| below which every p-value exceeds 1e-6 (coloc warns then): qnorm(1 - 5e-7). */
const WEAK_Z = -normalQuantile(5e-7);

/** A dataset after checking: its IDs, log ABFs and what was used. */
interface ProcessedDataset {
  snp: readonly string[];
  /** Row of each variant ID. */
  index: Map<string, number>;
  lABF: Float64Array;
  position: ColocNumbers | null;
  sdY: number | null;
  warnings: string[];
}

/**
 * Colocalisation of two traits by approximate Bayes factors, as coloc 5's `coloc.abf` (one causal variant
 * per trait at most): the posteriors of H0 (no association), H1 (trait 1 only), H2 (trait 2 only), H3 (two
 * distinct causal variants) and H4 (one shared causal variant), over the variants the datasets share.
 *
 * Each dataset is a coloc list ({@link ColocDataset}). With `beta` + `varbeta`, z = beta/√varbeta and the
 * prior SD of the effect is 0.15·sdY (quantitative) or 0.2 (case-control), sdY estimated as coloc's
 * `sdY.est` when not given (regression of 2·N·MAF·(1−MAF) on 1/varbeta through the origin); with
 * `pvalues` + `MAF` + `N` (+ `s` for case-control), z = Φ⁻¹(1 − p/2) and varbeta = 1/(2·N·MAF·(1−MAF))
 * (÷ s(1−s) for case-control). A prior p with nsnps × p ≥ 1 becomes 1/(nsnps + 1), as coloc does (said in
 * `warnings`). The credible set follows coloc's vignette: variants by decreasing SNP.PP.H4 until their sum
 * exceeds `coverage`.
 *
 * Differences from coloc, none of which changes a number: variants come back in dataset 1's order (coloc
 * sorts them by ID); a duplicated ID, a missing or non-finite value, positions that disagree for a shared
 * ID, or no shared variant is a {@link ValidationError} naming the dataset, field and fix (coloc stops on
 * some and silently drops others); H3 is 0, never NaN, when the sum of log ABFs leaves no room for it
 * (coloc 6's fix of `logdiff`).
 *
 * @param dataset1 Trait 1 (e.g. the GWAS).
 * @param dataset2 Trait 2 (e.g. a gene's eQTL statistics in one tissue).
 * @param options Priors `p1`, `p2`, `p12` (defaults {@link COLOC_ABF_PRIORS}), a shared `MAF`, `coverage`.
 * @returns The posteriors, the priors used, each shared variant's lABFs and SNP.PP.H4, the credible set.
 * @throws {ValidationError} On a malformed dataset (naming `dataset1.beta` etc. and the fix) or option.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { colocAbf } from "ratgtex/analysis";
 * const snp = ["chr1:100", "chr1:200", "chr1:300"];
 * const gwas = { type: "quant" as const, snp, beta: [0.02, 0.9, 0.3], varbeta: [0.01, 0.01, 0.01], sdY: 1 };
 * const eqtl = { type: "quant" as const, snp, beta: [0.05, 1.1, 0.4], varbeta: [0.01, 0.01, 0.01], sdY: 1 };
 * const res = colocAbf(gwas, eqtl);
 * assert.equal(res.nsnps, 3);
 * assert.ok(res.ppH4 > 0.9); // one variant carries both signals
 * assert.deepEqual(res.credibleSet.variantIds, ["chr1:200"]);
 * ```
 */
export function colocAbf(dataset1: ColocDataset, dataset2: ColocDataset, options?: ColocAbfOptions): ColocAbfResult {
  const opts = checkOptions<ColocAbfOptions>(options, {
    p1: "number",
    p2: "number",
    p12: "number",
    MAF: { is: isNumericVector, expected: "an array of numbers" },
    coverage: "number",
  }, { usage: "colocAbf(dataset1, dataset2, { p1, p2, p12, MAF, coverage })" });
  let p1 = checkPrior("p1", opts.p1 ?? COLOC_ABF_PRIORS.p1);
  let p2 = checkPrior("p2", opts.p2 ?? COLOC_ABF_PRIORS.p2);
  let p12 = checkPrior("p12", opts.p12 ?? COLOC_ABF_PRIORS.p12);
  const coverage = opts.coverage ?? 0.95;
  if (!(coverage > 0 && coverage < 1)) {
    throw new ValidationError("coverage", coverage, "must be in (0, 1)", "pass e.g. { coverage: 0.95 }");
  }
  const d1 = processDataset(dataset1, "dataset1", opts.MAF);
  const d2 = processDataset(dataset2, "dataset2", opts.MAF);
  const warnings = [...d1.warnings, ...d2.warnings];
  p1 = adjustPrior(p1, d1.snp.length, "p1", warnings);
  p2 = adjustPrior(p2, d2.snp.length, "p2", warnings);

  // coloc's merge(): the variants in both datasets (here in dataset 1's order).
  const index2 = d2.index;
  const rows1: number[] = [], rows2: number[] = [];
  for (let i = 0; i < d1.snp.length; i++) {
    const j = index2.get(d1.snp[i]);
    if (j === undefined) continue;
    if (d1.position && d2.position && d1.position[i] !== d2.position[j]) {
      throw new ValidationError(
        "dataset2.position",
        d2.position[j],
        `variant ${d1.snp[i]} is at ${d1.position[i]} in dataset1 but at ${d2.position[j]} in dataset2`,
        "give both datasets positions on the same assembly (or leave position out); coloc would drop the variant",
      );
    }
    rows1.push(i), rows2.push(j);
  }
  const nsnps = rows1.length;
  if (nsnps === 0) {
    throw new ValidationError(
      "dataset2.snp",
      dataset2.snp,
      "no variant ID in common with dataset1.snp",
      `name the variants the same way in both datasets (e.g. chrN:pos); dataset1 starts ${
        JSON.stringify(d1.snp.slice(0, 2))
      }, dataset2 ${JSON.stringify(d2.snp.slice(0, 2))}`,
    );
  }
  p12 = adjustPrior(p12, nsnps, "p12", warnings);

  const l1 = new Float64Array(nsnps), l2 = new Float64Array(nsnps), sum = new Float64Array(nsnps);
  for (let k = 0; k < nsnps; k++) {
    l1[k] = d1.lABF[rows1[k]];
    l2[k] = d2.lABF[rows2[k]];
    sum[k] = l1[k] + l2[k];
  }
  const denom = logsum(sum);
  const pp = combineAbf(l1, l2, p1, p2, p12);
  const variants: ColocVariant[] = new Array(nsnps);
  for (let k = 0; k < nsnps; k++) {
    const position = d1.position ? d1.position[rows1[k]] : d2.position ? d2.position[rows2[k]] : null;
    variants[k] = {
      variantId: d1.snp[rows1[k]],
      position,
      lABF1: l1[k],
      lABF2: l2[k],
      snpPpH4: Math.exp(sum[k] - denom),
    };
  }
  return {
    nsnps,
    ppH0: pp[0],
    ppH1: pp[1],
    ppH2: pp[2],
    ppH3: pp[3],
    ppH4: pp[4],
    priors: { p1, p2, p12 },
    sdY1: d1.sdY,
    sdY2: d2.sdY,
    variants,
    credibleSet: credibleSet(variants, coverage),
    warnings,
  };
}

/** The coloc vignette's credible set: by decreasing SNP.PP.H4 (ties in input order) until the sum exceeds `target`. */
function credibleSet(variants: readonly ColocVariant[], target: number): ColocCredibleSet {
  // Sorting every variant took half of colocAbf's time on 3,000 variants (V8 profile). Variants below
  // t = (1 − target)/n hold less than 1 − target together, so when those at or above t already sum past
  // `target` the set lies among them: sort only those (all of them otherwise).
  const n = variants.length, t = (1 - target) / n;
  let candidates: number[] = [];
  let above = 0;
  for (let i = 0; i < n; i++) {
    if (variants[i].snpPpH4 >= t) candidates.push(i), above += variants[i].snpPpH4;
  }
  if (!(above > target)) candidates = variants.map((_, i) => i);
  const order = candidates.sort((a, b) => variants[b].snpPpH4 - variants[a].snpPpH4 || a - b);
  const ids: string[] = [];
  let cumulative = 0;
  for (const i of order) {
    ids.push(variants[i].variantId);
    cumulative += variants[i].snpPpH4;
    if (cumulative > target) break;
  }
  return { variantIds: ids, coverage: cumulative, target };
}

/** coloc's `adjust_prior`: a prior with nsnps × p ≥ 1 becomes 1/(nsnps + 1). */
function adjustPrior(p: number, nsnps: number, name: string, warnings: string[]): number {
  if (nsnps * p < 1) return p;
  const adjusted = 1 / (nsnps + 1);
  warnings.push(`${name} × nsnps ≥ 1 (${p} × ${nsnps}): ${name} set to 1/(nsnps + 1) = ${adjusted}, as coloc does`);
  return adjusted;
}

function checkPrior(name: string, p: number): number {
  if (!(p > 0 && p < 1)) {
    throw new ValidationError(name, p, "a prior probability must be in (0, 1)", `pass e.g. { ${name}: 1e-4 }`);
  }
  return p;
}

function isNumericVector(x: unknown): x is ColocNumbers {
  return Array.isArray(x) || x instanceof Float64Array || x instanceof Float32Array;
}

/** Check one coloc dataset as coloc's `check_dataset` does (and more), then compute its log ABFs. */
function processDataset(d: ColocDataset, label: string, sharedMaf: ColocNumbers | undefined): ProcessedDataset {
  if (d === null || typeof d !== "object" || Array.isArray(d)) {
    throw new ValidationError(label, d, "expected a coloc dataset object", USAGE_DATASET);
  }
  for (const key of Object.keys(d)) {
    if (DATASET_KEYS.includes(key)) continue;
    const near = didYouMean(key, DATASET_KEYS);
    const se = /^(se|stderr|standard_?error)$/i.test(key) ? " (coloc takes varbeta = se², not se)" : "";
    throw new ValidationError(
      label,
      d,
      `unknown field ${JSON.stringify(key)}${near ? ` (did you mean ${near}?)` : ""}${se}; known: ${
        DATASET_KEYS.join(", ")
      }`,
      USAGE_DATASET,
    );
  }
  if (d.type !== "quant" && d.type !== "cc") {
    throw new ValidationError(`${label}.type`, d.type, 'must be "quant" or "cc"', 'pass type: "quant" or "cc"');
  }
  const snp = d.snp;
  if (!Array.isArray(snp)) {
    throw new ValidationError(`${label}.snp`, snp, "missing: coloc matches variants by ID", "pass snp: [...IDs]");
  }
  const n = snp.length;
  if (n === 0) throw new ValidationError(`${label}.snp`, snp, "no variants", "pass at least one variant");
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = snp[i];
    if (typeof id !== "string" || id === "") {
      throw new ValidationError(`${label}.snp`, id, `entry ${i} is not a non-empty string`, "give every variant an ID");
    }
    const first = seen.get(id);
    if (first !== undefined) {
      throw new ValidationError(
        `${label}.snp`,
        id,
        `duplicated variant ID (entries ${first} and ${i})`,
        "coloc matches variants by ID: keep one row per variant (drop or merge the duplicates)",
      );
    }
    seen.set(id, i);
  }
  const maf = d.MAF ?? sharedMaf;
  const vector = (key: string, v: unknown): ColocNumbers | null => {
    if (v === undefined) return null;
    if (!isNumericVector(v)) {
      throw new ValidationError(
        `${label}.${key}`,
        v,
        "must be an array of numbers",
        `pass ${key}: [...] (one per snp)`,
      );
    }
    if (v.length !== n) {
      throw new ValidationError(
        `${label}.${key}`,
        v,
        `has ${v.length} values for ${n} variants (snp)`,
        `give one ${key} per entry of snp, in the same order`,
      );
    }
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (typeof x !== "number" || !Number.isFinite(x)) {
        throw new ValidationError(
          `${label}.${key}`,
          x,
          `value for ${snp[i]} (entry ${i}) is not a finite number`,
          "coloc takes no missing values: drop the variant from every vector first",
        );
      }
    }
    return v;
  };
  const vs: Record<(typeof VECTOR_KEYS)[number], ColocNumbers | null> = {
    beta: vector("beta", d.beta),
    varbeta: vector("varbeta", d.varbeta),
    pvalues: vector("pvalues", d.pvalues),
    MAF: vector("MAF", maf),
    position: vector("position", d.position),
  };
  if (vs.MAF) {
    for (let i = 0; i < n; i++) {
      if (!(vs.MAF[i] > 0 && vs.MAF[i] < 1)) {
        throw new ValidationError(
          `${label}.MAF`,
          vs.MAF[i],
          `MAF of ${snp[i]} (entry ${i}) must be strictly between 0 and 1`,
          "drop monomorphic variants; give the minor (or effect) allele frequency, not a count or a percentage",
        );
      }
    }
  }
  const N = checkN(d.N, n, label, snp);
  if (d.s !== undefined && !(typeof d.s === "number" && d.s > 0 && d.s < 1)) {
    throw new ValidationError(`${label}.s`, d.s, "the proportion of cases must be in (0, 1)", "pass e.g. s: 0.4");
  }
  if (d.sdY !== undefined && !(typeof d.sdY === "number" && Number.isFinite(d.sdY) && d.sdY > 0)) {
    throw new ValidationError(
      `${label}.sdY`,
      d.sdY,
      "must be a finite positive number",
      "pass the trait's SD, or leave it out",
    );
  }

  const warnings: string[] = [];
  const lABF = new Float64Array(n);
  let sdY: number | null = null;
  let maxAbsZ = 0;
  if (vs.beta && vs.varbeta) {
    const beta = vs.beta, varbeta = vs.varbeta;
    for (let i = 0; i < n; i++) {
      if (!(varbeta[i] > 0)) {
        throw new ValidationError(
          `${label}.varbeta`,
          varbeta[i],
          `variance of ${snp[i]} (entry ${i}) must be > 0`,
          "varbeta is the squared standard error of beta",
        );
      }
    }
    let sdPrior = 0.2;
    if (d.type === "quant") {
      if (d.sdY !== undefined) sdY = d.sdY;
      else {
        if (!vs.MAF || N === null) {
          throw new ValidationError(
            `${label}.sdY`,
            undefined,
            "missing, and it cannot be estimated without MAF and N",
            "give sdY (1 for an inverse-normal-transformed phenotype), or MAF and N so it can be estimated",
          );
        }
        sdY = estimateSdY(varbeta, vs.MAF, N, label);
        warnings.push(
          `${label}: sdY estimated from varbeta, MAF and N as coloc's sdY.est does (${sdY}); give sdY if known`,
        );
      }
      sdPrior = 0.15 * sdY;
    }
    const prior2 = sdPrior * sdPrior;
    for (let i = 0; i < n; i++) {
      const V = varbeta[i];
      const z = beta[i] / Math.sqrt(V);
      const r = prior2 / (prior2 + V);
      lABF[i] = 0.5 * (Math.log(1 - r) + r * z * z);
      if (Math.abs(z) > maxAbsZ) maxAbsZ = Math.abs(z);
    }
  } else {
    if (!vs.pvalues || !vs.MAF) {
      // Name the one field whose absence breaks the nearest complete form.
      const field = vs.beta && !vs.varbeta ? "varbeta" : vs.varbeta && !vs.beta ? "beta" : vs.pvalues ? "MAF" : "beta";
      throw new ValidationError(
        `${label}.${field}`,
        undefined,
        `missing: give beta + varbeta, or pvalues + MAF + N (${label} has ${
          Object.keys(d).filter((k) => d[k as keyof ColocDataset] !== undefined).join(", ")
        })`,
        USAGE_DATASET,
      );
    }
    if (N === null) {
      throw new ValidationError(`${label}.N`, undefined, "missing: p-values need the sample size", "pass N");
    }
    if (d.type === "cc" && d.s === undefined) {
      throw new ValidationError(
        `${label}.s`,
        undefined,
        "missing: case-control p-values need the proportion of cases",
        "pass s, e.g. s: 0.4",
      );
    }
    const p = vs.pvalues, f = vs.MAF;
    const sdPrior = d.type === "quant" ? 0.15 : 0.2;
    const prior2 = sdPrior * sdPrior;
    const ss = d.type === "cc" ? d.s! * (1 - d.s!) : 1;
    for (let i = 0; i < n; i++) {
      if (!(p[i] > 0 && p[i] <= 1)) {
        throw new ValidationError(
          `${label}.pvalues`,
          p[i],
          `p-value of ${snp[i]} (entry ${i}) must be in (0, 1]`,
          "give p-values, not -log10 p; a p-value of exactly 0 underflowed: give beta and varbeta instead",
        );
      }
      const Ni = typeof N === "number" ? N : N[i];
      const V = 1 / (2 * Ni * f[i] * (1 - f[i]) * ss);
      const z = -normalQuantile(0.5 * p[i]); // coloc: qnorm(0.5 * p, lower.tail = FALSE)
      const r = prior2 / (prior2 + V);
      lABF[i] = 0.5 * (Math.log(1 - r) + r * z * z);
      if (Math.abs(z) > maxAbsZ) maxAbsZ = Math.abs(z);
    }
  }
  if (maxAbsZ < WEAK_Z) {
    warnings.push(
      `${label}: no variant has p < 1e-6 (largest |z| ${maxAbsZ.toPrecision(4)}); expected for a weak signal, ` +
        "otherwise check varbeta is the variance (se²), not the standard error",
    );
  }
  return { snp, index: seen, lABF, position: vs.position, sdY, warnings };
}

function checkN(N: unknown, n: number, label: string, snp: readonly string[]): number | ColocNumbers | null {
  if (N === undefined) return null;
  if (typeof N === "number") {
    if (!(Number.isFinite(N) && N > 0)) {
      throw new ValidationError(`${label}.N`, N, "the sample size must be a finite number > 0", "pass N, e.g. N: 400");
    }
    return N;
  }
  if (!isNumericVector(N) || N.length !== n) {
    throw new ValidationError(`${label}.N`, N, `must be one number or ${n} (one per snp)`, "pass N: 400");
  }
  for (let i = 0; i < n; i++) {
    if (!(Number.isFinite(N[i]) && N[i] > 0)) {
      throw new ValidationError(`${label}.N`, N[i], `N of ${snp[i]} (entry ${i}) must be > 0`, "pass positive sizes");
    }
  }
  return N;
}

/**
 * coloc's `sdY.est`: var(betâ) ≈ var(Y) / (N·var(X)), var(X) = 2·MAF·(1−MAF), so var(Y) is the slope of
 * N·var(X) on 1/varbeta through the origin (R's `lm(nvx ~ oneover - 1)`).
 */
function estimateSdY(varbeta: ColocNumbers, maf: ColocNumbers, N: number | ColocNumbers, label: string): number {
  let sxy = 0, sxx = 0;
  for (let i = 0; i < varbeta.length; i++) {
    const x = 1 / varbeta[i];
    const Ni = typeof N === "number" ? N : N[i];
    sxy += x * 2 * Ni * maf[i] * (1 - maf[i]);
    sxx += x * x;
  }
  const cf = sxy / sxx;
  if (!(cf >= 0)) {
    throw new ValidationError(
      `${label}.sdY`,
      undefined,
      "estimated sdY is negative (small dataset, or errors in varbeta/MAF/N)",
      "give sdY: the trait's standard deviation (1 for an inverse-normal-transformed phenotype)",
    );
  }
  return Math.sqrt(cf);
}

/** log(Σ exp(x)), taking out the maximum (coloc's `logsum`). */
function logsum(x: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i] > max) max = x[i];
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.exp(x[i] - max);
  return max + Math.log(s);
}

/** log(exp(x) − exp(y)), −∞ when rounding leaves nothing (coloc 6's `logdiff`; coloc 5 gave NaN there). */
function logdiff(x: number, y: number): number {
  const max = Math.max(x, y);
  return max + Math.log(Math.max(Math.exp(x - max) - Math.exp(y - max), 0));
}

/** coloc's `combine.abf`: posteriors of H0–H4 from the two traits' log ABFs and the priors. */
function combineAbf(l1: Float64Array, l2: Float64Array, p1: number, p2: number, p12: number): number[] {
  const lsum = new Float64Array(l1.length);
  for (let i = 0; i < l1.length; i++) lsum[i] = l1[i] + l2[i];
  const ls1 = logsum(l1), ls2 = logsum(l2), ls12 = logsum(lsum);
  const all = [
    0,
    Math.log(p1) + ls1,
    Math.log(p2) + ls2,
    Math.log(p1) + Math.log(p2) + logdiff(ls1 + ls2, ls12),
    Math.log(p12) + ls12,
  ];
  const denom = logsum(all);
  return all.map((a) => Math.exp(a - denom));
}

// ------------------------------------------------------------------------------ coloc.bf_bf and coloc.susie

/**
 * Log Bayes factors of one trait: one row per signal (a SuSiE effect), one column per entry of
 * `variantIds`. A column named `"null"` is the null model's (susieR with `null_weight`), as in coloc.
 */
export interface LogBayesFactorMatrix {
  /** The log Bayes factors, row by row. */
  lbf: readonly ColocNumbers[];
  /** The column names: variant IDs, and optionally `"null"`. */
  variantIds: readonly string[];
}

/** Options of {@link colocBfBf} and {@link colocSusie}. */
export interface ColocBfBfOptions {
  /** Prior for trait 1 only (default 1e-4). */
  p1?: number;
  /** Prior for trait 2 only (default 1e-4). */
  p2?: number;
  /** Prior for a shared causal variant (default 5e-6, coloc.bf_bf's). */
  p12?: number;
  /** Least share of a signal's posterior that the shared variants must carry (default 0.5, coloc's `overlap.min`). */
  overlapMin?: number;
  /** Skip pairs whose signals the shared variants do not carry (default true, coloc's `trim_by_posterior`). */
  trimByPosterior?: boolean;
}

/** One pair of signals of a {@link colocBfBf} or {@link colocSusie} result (a row of coloc's `summary`). */
export interface ColocSignalPair {
  /** Signal of trait 1: row of `lbf1` (0-based; coloc's `idx1` − 1), or for colocSusie the SuSiE effect index. */
  idx1: number;
  /** Signal of trait 2, likewise. */
  idx2: number;
  /** Variants in both traits. */
  nsnps: number;
  /** Variant with the largest log BF for signal 1. */
  hit1: string;
  /** Variant with the largest log BF for signal 2. */
  hit2: string;
  /** Posterior of H0. */
  ppH0: number;
  /** Posterior of H1; null when the pair was not colocalised (see `reason`). */
  ppH1: number | null;
  /** Posterior of H2; null when not colocalised. */
  ppH2: number | null;
  /** Posterior of H3; null when not colocalised. */
  ppH3: number | null;
  /** Posterior of H4; null when not colocalised. */
  ppH4: number | null;
  /** SNP.PP.H4 per entry of the result's `variantIds`; null when not colocalised. */
  snpPpH4: number[] | null;
  /** Why the posteriors are null, else null. */
  reason: string | null;
}

/** A pair of signals left out because the shared variants do not carry them (coloc's trimming). */
export interface ColocTrimmedPair {
  /** Signal of trait 1 (as in {@link ColocSignalPair}). */
  idx1: number;
  /** Signal of trait 2. */
  idx2: number;
  /** Share of signal 1's posterior on the shared variants. */
  prop1: number;
  /** Share of signal 2's posterior on the shared variants. */
  prop2: number;
}

/** What {@link colocBfBf} and {@link colocSusie} return. */
export interface ColocBfBfResult {
  /** One row per pair of signals, in coloc's order (signal 1 varying fastest); trimmed pairs left out. */
  summary: ColocSignalPair[];
  /** The shared variants (the order of each row's `snpPpH4`). */
  variantIds: string[];
  /** Pairs left out by the overlap check (all of them are in `summary`, without posteriors, when every pair is). */
  trimmed: ColocTrimmedPair[];
  /** The priors used. */
  priors: ColocPriors;
  /** Why there is nothing to colocalise (no shared variant, no credible set), else null. */
  reason: string | null;
  /** What coloc would warn about. */
  warnings: string[];
}

/**
 * Colocalisation of every pair of signals given as log Bayes factors, as coloc 5's `coloc.bf_bf`: for each
 * row of `lbf1` and each row of `lbf2`, the posteriors of H0–H4 and SNP.PP.H4 over the variants both
 * share (matched by ID).
 *
 * As coloc: a `"null"` column is subtracted from its row; coloc then treats each matrix's LAST column as the
 * null model when it checks overlap (so without a `"null"` column, the last variant plays that part there,
 * as in coloc); a pair is trimmed when the shared variants hold less than `overlapMin` of either signal's
 * posterior, and when every pair would be, all come back with `ppH0` = the smaller single-trait null
 * posterior and the others null. Rows go signal 1 fastest (`expand.grid` order). One difference: rows of
 * `lbf2` are aligned to the shared variants by ID even when both matrices hold the same variants in
 * different orders (coloc 5.2.3 then pairs columns by position).
 *
 * @param lbf1 Trait 1: one row per signal.
 * @param lbf2 Trait 2: one row per signal.
 * @param options Priors (defaults {@link COLOC_BF_PRIORS}: p12 = 5e-6), `overlapMin`, `trimByPosterior`.
 * @returns The pairs' posteriors (`summary`), the shared variants, the trimmed pairs, the priors.
 * @throws {ValidationError} On a malformed matrix (ragged rows, non-finite values, duplicated IDs) or option.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { colocBfBf } from "ratgtex/analysis";
 * const variantIds = ["v1", "v2", "v3", "v4"];
 * const res = colocBfBf({ lbf: [[0, 20, 1, 0]], variantIds }, { lbf: [[0, 18, 2, 0]], variantIds });
 * assert.equal(res.summary.length, 1);
 * assert.equal(res.summary[0].hit1, "v2");
 * assert.ok(res.summary[0].ppH4! > 0.9);
 * ```
 */
export function colocBfBf(
  lbf1: LogBayesFactorMatrix,
  lbf2: LogBayesFactorMatrix,
  options?: ColocBfBfOptions,
): ColocBfBfResult {
  const opts = checkBfOptions(options, "colocBfBf(lbf1, lbf2, { p1, p2, p12, overlapMin, trimByPosterior })");
  const m1 = checkMatrix(lbf1, "lbf1");
  const m2 = checkMatrix(lbf2, "lbf2");
  return bfBf(m1, m2, opts);
}

/** A checked matrix: rows as Float64Arrays, column names, index of the "null" column (−1 when none). */
interface Matrix {
  rows: Float64Array[];
  columns: readonly string[];
  nullColumn: number;
}

interface BfOptions {
  priors: ColocPriors;
  overlapMin: number;
  trim: boolean;
}

function checkBfOptions(options: ColocBfBfOptions | undefined, usage: string): BfOptions {
  const opts = checkOptions<ColocBfBfOptions>(options, {
    p1: "number",
    p2: "number",
    p12: "number",
    overlapMin: "number",
    trimByPosterior: "boolean",
  }, { usage });
  const overlapMin = opts.overlapMin ?? 0.5;
  if (!(overlapMin >= 0 && overlapMin <= 1)) {
    throw new ValidationError("overlapMin", overlapMin, "must be in [0, 1]", "pass e.g. { overlapMin: 0.5 }");
  }
  return {
    priors: {
      p1: checkPrior("p1", opts.p1 ?? COLOC_BF_PRIORS.p1),
      p2: checkPrior("p2", opts.p2 ?? COLOC_BF_PRIORS.p2),
      p12: checkPrior("p12", opts.p12 ?? COLOC_BF_PRIORS.p12),
    },
    overlapMin,
    trim: opts.trimByPosterior ?? true,
  };
}

function checkMatrix(m: LogBayesFactorMatrix, label: string): Matrix {
  if (m === null || typeof m !== "object" || !Array.isArray(m.lbf) || !Array.isArray(m.variantIds)) {
    throw new ValidationError(
      label,
      m,
      "expected { lbf: number[][], variantIds: string[] }",
      "pass one row per signal",
    );
  }
  const columns = checkIds(m.variantIds, `${label}.variantIds`, true);
  if (m.lbf.length === 0) {
    throw new ValidationError(`${label}.lbf`, m.lbf, "has no rows", "pass at least one signal (row)");
  }
  const rows = m.lbf.map((row, r) => checkRow(row, columns, `${label}.lbf`, r));
  return { rows, columns, nullColumn: columns.indexOf("null") };
}

function checkIds(ids: readonly string[], label: string, allowNull: boolean): readonly string[] {
  if (ids.length === 0) throw new ValidationError(label, ids, "is empty", "give one ID per column");
  const seen = new Set<string>();
  for (const id of ids) {
    if (typeof id !== "string" || id === "") {
      throw new ValidationError(label, id, "every variant ID must be a non-empty string", "give each column an ID");
    }
    if (seen.has(id)) {
      throw new ValidationError(label, id, "duplicated ID", "variants are matched by ID: each must appear once");
    }
    if (id === "null" && !allowNull) {
      throw new ValidationError(label, id, '"null" names the null column in coloc', "rename that variant");
    }
    seen.add(id);
  }
  return ids;
}

function checkRow(row: ColocNumbers, columns: readonly string[], label: string, r: number): Float64Array {
  if (!isNumericVector(row) || row.length !== columns.length) {
    throw new ValidationError(
      `${label}[${r}]`,
      row,
      `row ${r} has ${isNumericVector(row) ? row.length : "no"} values for ${columns.length} columns`,
      "give one log Bayes factor per variant ID",
    );
  }
  const out = Float64Array.from(row);
  for (let c = 0; c < out.length; c++) {
    if (!Number.isFinite(out[c])) {
      throw new ValidationError(
        `${label}[${r}]`,
        out[c],
        `log Bayes factor of ${columns[c]} is not a finite number`,
        "pass finite log Bayes factors (susieR's lbf_variable)",
      );
    }
  }
  return out;
}

/** The posterior shares of each row, as coloc's `logbf_to_pp(bf, p, last_is_null = TRUE)` and what follows it. */
function signalShares(m: Matrix, p: number, shared: ReadonlySet<string>) {
  const ncol = m.columns.length, n = ncol - 1;
  let pi = p;
  if (pi > 1 / n) pi = 1 / n;
  const prior = new Float64Array(ncol).fill(pi);
  prior[ncol - 1] = 1 - n * pi;
  if (prior.some((x) => x === 0)) {
    let total = 0;
    for (let c = 0; c < ncol; c++) total += prior[c] === 0 ? (prior[c] = 1e-16) : prior[c];
    for (let c = 0; c < ncol; c++) prior[c] /= total;
  }
  const logPrior = prior.map(Math.log);
  const prop: number[] = [], ph0: number[] = [], hit: string[] = [];
  const v = new Float64Array(ncol);
  for (const row of m.rows) {
    for (let c = 0; c < ncol; c++) v[c] = row[c] - row[ncol - 1] + logPrior[c];
    const denom = logsum(v);
    let inShared = 0, notNull = 0, total = 0, best = 0;
    for (let c = 0; c < ncol; c++) {
      const pp = Math.exp(v[c] - denom);
      total += pp;
      if (c !== m.nullColumn) notNull += pp;
      if (shared.has(m.columns[c])) inShared += pp;
      if (v[c] > v[best]) best = c;
    }
    prop.push(inShared / notNull);
    ph0.push(m.nullColumn >= 0 ? Math.exp(v[m.nullColumn] - denom) : Math.max(0, 1 - total));
    hit.push(m.columns[best]);
  }
  return { prop, ph0, hit };
}

function bfBf(m1: Matrix, m2: Matrix, opts: BfOptions): ColocBfBfResult {
  const { p1, p2, p12 } = opts.priors;
  const in2 = new Set(m2.columns);
  const shared = m1.columns.filter((id) => id !== "null" && in2.has(id));
  const result: ColocBfBfResult = {
    summary: [],
    variantIds: shared,
    trimmed: [],
    priors: { p1, p2, p12 },
    reason: null,
    warnings: [],
  };
  if (shared.length === 0) {
    result.reason = "the two traits share no variant ID: nothing to colocalise (coloc returns nsnps = NA)";
    return result;
  }
  // Scale by the null column when there is one (on copies: a row may be shared by several signals).
  [m1, m2] = [m1, m2].map((m) => ({
    ...m,
    rows: m.rows.map((row) => m.nullColumn < 0 ? row : row.map((x) => x - row[m.nullColumn])),
  }));
  const sharedSet = new Set(shared);
  const s1 = signalShares(m1, p1, sharedSet), s2 = signalShares(m2, p2, sharedSet);
  const todo: [number, number][] = [];
  for (let j = 0; j < m2.rows.length; j++) for (let i = 0; i < m1.rows.length; i++) todo.push([i, j]);
  let keep = todo;
  if (opts.trim) {
    const dropped = todo.filter(([i, j]) => s1.prop[i] < opts.overlapMin || s2.prop[j] < opts.overlapMin);
    result.trimmed = dropped.map(([i, j]) => ({ idx1: i, idx2: j, prop1: s1.prop[i], prop2: s2.prop[j] }));
    if (dropped.length === todo.length) {
      const why = `the shared variants carry less than overlapMin = ${opts.overlapMin} of a signal's posterior`;
      result.warnings.push(
        "snp overlap too small between datasets: too few snps with high posterior in one trait represented in other",
      );
      result.summary = todo.map(([i, j]) => ({
        idx1: i,
        idx2: j,
        nsnps: shared.length,
        hit1: s1.hit[i],
        hit2: s2.hit[j],
        ppH0: Math.min(s1.ph0[i], s2.ph0[j]),
        ppH1: null,
        ppH2: null,
        ppH3: null,
        ppH4: null,
        snpPpH4: null,
        reason: why,
      }));
      return result;
    }
    if (dropped.length > 0) {
      keep = todo.filter(([i, j]) => !(s1.prop[i] < opts.overlapMin || s2.prop[j] < opts.overlapMin));
      result.warnings.push(
        `${dropped.length} of ${todo.length} pairs of signals left out: the shared variants carry less than ` +
          `overlapMin = ${opts.overlapMin} of a signal's posterior (see trimmed)`,
      );
    }
  }
  const col1 = new Map(m1.columns.map((id, c) => [id, c]));
  const col2 = new Map(m2.columns.map((id, c) => [id, c]));
  const pick = (row: Float64Array, cols: Map<string, number>) => Float64Array.from(shared, (id) => row[cols.get(id)!]);
  const r1 = m1.rows.map((row) => pick(row, col1));
  const r2 = m2.rows.map((row) => pick(row, col2));
  const nsnps = shared.length;
  const sum = new Float64Array(nsnps);
  for (const [i, j] of keep) {
    const b1 = r1[i], b2 = r2[j];
    for (let k = 0; k < nsnps; k++) sum[k] = b1[k] + b2[k];
    const denom = logsum(sum);
    const pp = combineAbf(b1, b2, p1, p2, p12);
    result.summary.push({
      idx1: i,
      idx2: j,
      nsnps,
      hit1: shared[argmax(b1)],
      hit2: shared[argmax(b2)],
      ppH0: pp[0],
      ppH1: pp[1],
      ppH2: pp[2],
      ppH3: pp[3],
      ppH4: pp[4],
      snpPpH4: Array.from(sum, (x) => Math.exp(x - denom)),
      reason: null,
    });
  }
  return result;
}

function argmax(x: Float64Array): number {
  let best = 0;
  for (let k = 1; k < x.length; k++) if (x[k] > x[best]) best = k;
  return best;
}

/** One credible set of a SuSiE fit, as {@link colocSusie} needs it: the effect (row) it comes from. */
export interface SusieCredibleSetLike {
  /** The effect's row in `lbfVariable` (0-based; susieR's `cs_index` − 1). */
  effect: number;
}

/**
 * What {@link colocSusie} needs of a SuSiE fit (adapt any fit to it): per-effect log Bayes factors, the
 * variant IDs of their columns, and the credible sets (only their effects are used, as coloc.susie does).
 */
export interface SusieFitLike {
  /** L × p log Bayes factors (susieR's `lbf_variable`); p + 1 columns when the last is the null model's. */
  lbfVariable: readonly ColocNumbers[];
  /** The p variant IDs of the columns. */
  variantIds: readonly string[];
  /** The credible sets, in the fit's order (susieR's `sets$cs`, `sets$cs_index`). */
  sets: readonly SusieCredibleSetLike[];
}

/**
 * Colocalisation with several causal variants per trait, as coloc 5's `coloc.susie`: {@link colocBfBf} on
 * the log Bayes factors of the effects that form credible sets in each SuSiE fit, every pair of sets; in
 * the result, `idx1`/`idx2` are those effects' indices (0-based rows of `lbfVariable`). A fit whose rows
 * have one more column than `variantIds` has a null column (susieR's `null_weight`), as coloc reads it.
 * When either fit has no credible set, the result has no pairs and says why in `reason`.
 *
 * @param fit1 Trait 1's fit (e.g. SuSiE-RSS on the GWAS).
 * @param fit2 Trait 2's fit (e.g. SuSiE on a gene's expression).
 * @param options Priors (defaults {@link COLOC_BF_PRIORS}: p12 = 5e-6), `overlapMin`, `trimByPosterior`.
 * @returns As {@link colocBfBf}, one row per pair of credible sets.
 * @throws {ValidationError} On a malformed fit (ragged rows, an effect index out of range, duplicated IDs).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { colocSusie } from "ratgtex/analysis";
 * const variantIds = ["v1", "v2", "v3", "v4"];
 * const fit1 = { lbfVariable: [[0, 0, 0, 0], [0, 25, 1, 0]], variantIds, sets: [{ effect: 1 }] };
 * const fit2 = { lbfVariable: [[0, 22, 2, 0]], variantIds, sets: [{ effect: 0 }] };
 * const res = colocSusie(fit1, fit2);
 * assert.equal(res.summary[0].idx1, 1); // the effect of fit1's credible set
 * assert.ok(res.summary[0].ppH4! > 0.9);
 * ```
 */
export function colocSusie(fit1: SusieFitLike, fit2: SusieFitLike, options?: ColocBfBfOptions): ColocBfBfResult {
  const opts = checkBfOptions(options, "colocSusie(fit1, fit2, { p1, p2, p12, overlapMin, trimByPosterior })");
  const f1 = checkFit(fit1, "fit1"), f2 = checkFit(fit2, "fit2");
  if (f1.effects.length === 0 || f2.effects.length === 0) {
    const which = [f1.effects.length === 0 ? "fit1" : null, f2.effects.length === 0 ? "fit2" : null]
      .filter(Boolean).join(" and ");
    return {
      summary: [],
      variantIds: [],
      trimmed: [],
      priors: opts.priors,
      reason: `${which} ${which.includes("and") ? "have" : "has"} no credible set: nothing to colocalise ` +
        "(coloc.susie returns nsnps = NA); a weaker signal may need a lower SuSiE coverage",
      warnings: ["at least one dataset has no credible sets, nothing to colocalise"],
    };
  }
  const m1: Matrix = { ...f1.matrix, rows: f1.effects.map((e) => f1.matrix.rows[e]) };
  const m2: Matrix = { ...f2.matrix, rows: f2.effects.map((e) => f2.matrix.rows[e]) };
  const res = bfBf(m1, m2, opts);
  const renumber = <T extends { idx1: number; idx2: number }>(r: T): T => ({
    ...r,
    idx1: f1.effects[r.idx1],
    idx2: f2.effects[r.idx2],
  });
  return { ...res, summary: res.summary.map(renumber), trimmed: res.trimmed.map(renumber) };
}

function checkFit(fit: SusieFitLike, label: string): { matrix: Matrix; effects: number[] } {
  if (fit === null || typeof fit !== "object" || !Array.isArray(fit.lbfVariable) || !Array.isArray(fit.sets)) {
    throw new ValidationError(
      label,
      fit,
      "expected { lbfVariable: number[][], variantIds: string[], sets: [{ effect }] }",
      "adapt the SuSiE fit: lbfVariable = its per-effect log Bayes factors, sets = its credible sets",
    );
  }
  if (!Array.isArray(fit.variantIds)) {
    throw new ValidationError(`${label}.variantIds`, fit.variantIds, "missing", "give the variant IDs of the columns");
  }
  const ids = checkIds(fit.variantIds, `${label}.variantIds`, false);
  const L = fit.lbfVariable.length;
  if (L === 0) throw new ValidationError(`${label}.lbfVariable`, fit.lbfVariable, "has no rows", "pass L × p");
  const width = isNumericVector(fit.lbfVariable[0]) ? fit.lbfVariable[0].length : -1;
  const columns = width === ids.length + 1 ? [...ids, "null"] : ids;
  const rows = fit.lbfVariable.map((row, r) => checkRow(row, columns, `${label}.lbfVariable`, r));
  const effects = fit.sets.map((s, k) => {
    const e = s?.effect;
    if (!Number.isInteger(e) || e < 0 || e >= L) {
      throw new ValidationError(
        `${label}.sets[${k}].effect`,
        e,
        `must be a row of lbfVariable (0 … ${L - 1})`,
        "give each credible set the 0-based index of its effect (susieR's cs_index − 1)",
      );
    }
    return e;
  });
  return { matrix: { rows, columns, nullColumn: columns.indexOf("null") }, effects };
}

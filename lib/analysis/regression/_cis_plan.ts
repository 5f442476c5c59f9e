/**
 * Internal: checking a cis scan's input and planning it on the calling thread — the covariate basis,
 * every dosage validated once (and the MAF filter applied) into one matrix of the scanned variants,
 * each phenotype's cis window (tensorQTL `genotypeio.get_cis_ranges`: variants at [TSS − window, TSS +
 * window], bounds included), the phenotypes in window order, their centred and residualised values.
 *
 * @module
 */
import { type CovariateBasis, covariateBasis } from "./_covariate_ols.ts";
import { alignSamples } from "./covariates.ts";
import { RegressionInputError } from "./regression_types.ts";
import type { CisScanInput, CisScanOptions } from "./cis_scan_types.ts";
import {
  centreDosages,
  DOSAGE_STATS,
  type DosageSource,
  DosageStat,
  readDosageCodes,
  readDosages,
} from "./_dosages.ts";
import { MatrixArena } from "./_matmul.ts";
import { Residualizer } from "./_residualizer.ts";
import { centreRows } from "./_covariate_pairs.ts";
import { phenotypeValues } from "./_regress_adjusted.ts";
import { badDosage } from "./_regression_input.ts";
import { defaultThreads, sharedBuffer } from "./_cis_pool.ts";
import type { CisShared } from "./_cis_kernel.ts";

/** The scan planned: shared data, and how phenotypes and variants map back to the caller's. */
export interface CisPlan {
  shared: CisShared;
  basis: CovariateBasis;
  threads: number;
  /** Scan order → the caller's phenotype index. */
  phenotypeOrder: Int32Array;
  /** Scanned variant → the caller's variant index. */
  variantIndex: Int32Array;
  /** Per caller's phenotype: its cis window over the scanned variants (lo = hi when empty). */
  windowLo: Int32Array;
  windowHi: Int32Array;
}

function fail(parameter: string, value: unknown, problem: string, fix: string, index: number | null = null): never {
  throw new RegressionInputError(parameter, index, value, problem, fix);
}

function checkIds(ids: unknown, parameter: string, length?: number): readonly string[] {
  if (!Array.isArray(ids)) fail(parameter, ids, "not an array", "pass one ID per row");
  if (length !== undefined && ids.length !== length) {
    fail(`${parameter}.length`, ids.length, `expected ${length}`, "pass one entry per row");
  }
  return ids;
}

function checkPositions(positions: ArrayLike<number>, parameter: string, length: number): void {
  if (positions?.length !== length) {
    fail(`${parameter}.length`, positions?.length, `expected ${length} positions`, "pass one position per row");
  }
  for (let i = 0; i < length; i++) {
    const x = positions[i];
    if (typeof x !== "number" || !Number.isSafeInteger(x)) {
      fail(parameter, x, "a position must be an integer", "pass 1-based base-pair positions", i);
    }
  }
}

/** Check the options; the thread count to use. */
export function scanOptions(options: CisScanOptions): { window: number; maf: number; threads: number } {
  const window = options.window ?? 1_000_000;
  if (typeof window !== "number" || !(window >= 0) || !Number.isFinite(window)) {
    fail("options.window", window, "the cis window must be a finite number ≥ 0", "pass a half-width in bp, e.g. 1e6");
  }
  const maf = options.mafThreshold ?? 0;
  if (typeof maf !== "number" || !(maf >= 0 && maf <= 0.5)) {
    fail("options.mafThreshold", maf, "a minor allele frequency is between 0 and 0.5", "pass e.g. 0.01, or 0");
  }
  const threads = options.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) {
    fail("options.threads", threads, "a thread count is an integer ≥ 1", "pass 1 to stay on the calling thread");
  }
  return { window, maf, threads };
}

/**
 * Validate and plan the scan. `keepCentred` also keeps the centred phenotypes (the permutation pass
 * permutes them).
 */
export function planCisScan(
  input: CisScanInput,
  options: CisScanOptions,
  keepCentred: boolean,
): CisPlan & { centred?: Float64Array } {
  if (input === null || typeof input !== "object") {
    fail("input", input, "not an object", "pass { sampleIds, phenotypes, genotypes, covariates }");
  }
  const { window, maf, threads } = scanOptions(options);
  const sampleIds = checkIds(input.sampleIds, "sampleIds");
  const n = sampleIds.length;
  const basis = covariateBasis(input.covariates, n, sampleIds);
  const { k } = basis;

  // Variants: sorted within contiguous chromosomes; every dosage checked once.
  const gt = input.genotypes;
  if (gt === null || typeof gt !== "object") fail("genotypes", gt, "not an object", "pass { variantIds, … }");
  const variantIds = checkIds(gt.variantIds, "genotypes.variantIds");
  const nv = variantIds.length;
  const vChrom = checkIds(gt.chromosomes, "genotypes.chromosomes", nv);
  checkPositions(gt.positions, "genotypes.positions", nv);
  const column = gt.sampleIds === undefined ? null : alignSamples(sampleIds, gt.sampleIds, "genotypes.sampleIds");
  const width = gt.sampleIds?.length ?? n;
  const values = gt.dosages;
  if (values instanceof Int8Array || values instanceof Float64Array) {
    if (values.length !== nv * width) {
      fail(
        "genotypes.dosages.length",
        values.length,
        `expected variants × samples = ${nv} × ${width} = ${nv * width}`,
        "pass one dosage per variant and sample, variant-major",
      );
    }
  } else if (!Array.isArray(values) || values.length !== nv) {
    fail("genotypes.dosages", values, `expected ${nv} rows of dosages`, "pass one row of dosages per variant");
  }
  const blocks = new Map<string, [number, number]>();
  for (let v = 0; v < nv; v++) {
    const c = vChrom[v];
    const block = blocks.get(c);
    if (block === undefined) blocks.set(c, [v, v + 1]);
    else if (block[1] !== v) {
      fail(
        "genotypes.chromosomes",
        c,
        "a chromosome's variants are not contiguous",
        "sort the variants by chromosome and position",
        v,
      );
    } else {
      if (gt.positions[v] < gt.positions[v - 1]) {
        fail(
          "genotypes.positions",
          gt.positions[v],
          "positions decrease within a chromosome",
          "sort the variants by position",
          v,
        );
      }
      block[1] = v + 1;
    }
  }
  const source: DosageSource = { values, width, column };
  const codes = new Int8Array(n);
  const raw = new Float64Array(n);
  const scratch = new Float64Array(n);
  const stats = new Float64Array(DOSAGE_STATS);
  const keep = new Uint8Array(nv);
  let integer = true;
  let kept = 0;
  const rowError = (v: number) => (c: number, x: unknown) => badDosage(`genotypes.dosages[${v}]`, c, x, "null");
  const lengthError = (v: number) => (length: unknown) =>
    new RegressionInputError(
      `genotypes.dosages[${v}].length`,
      null,
      length,
      `expected ${width} dosages`,
      "pass one dosage per sample",
    );
  for (let v = 0; v < nv; v++) {
    readDosageCodes(source, v, n, codes, rowError(v), lengthError(v));
    let af: number;
    let invalid = false;
    for (let s = 0; s < n; s++) if (codes[s] > 2 || codes[s] < -1) invalid = true;
    if (invalid) {
      // Not all 0/1/2: numbers in [0, 2] are dosages too (imputed, DS); anything else is an error.
      readDosages(source, v, n, raw);
      const bad = centreDosages(raw, n, scratch, 0, stats);
      if (bad >= 0) {
        const c = column === null ? bad : column[bad];
        const x = values instanceof Int8Array || values instanceof Float64Array ? values[v * width + c] : values[v][c];
        throw new RegressionInputError(
          `genotypes.dosages[${v}]`,
          c,
          x,
          "a dosage must be a number in [0, 2]",
          values instanceof Int8Array ? "use -1 for a missing call" : "use NaN or null for a missing call",
        );
      }
      integer = false;
      af = stats[DosageStat.Af];
    } else {
      let called = 0;
      let sum = 0;
      for (let s = 0; s < n; s++) {
        if (codes[s] >= 0) {
          called++;
          sum += codes[s];
        }
      }
      af = called > 0 ? sum / called / 2 : NaN;
    }
    const minor = Math.min(af, 1 - af);
    if (maf === 0 || minor >= maf) {
      keep[v] = 1;
      kept++;
    }
  }
  const variantIndex = new Int32Array(kept);
  for (let v = 0, i = 0; v < nv; v++) if (keep[v]) variantIndex[i++] = v;
  const dosages = integer
    ? new Int8Array(sharedBuffer(kept * n, threads))
    : new Float64Array(sharedBuffer(kept * n * 8, threads));
  for (let i = 0; i < kept; i++) {
    const v = variantIndex[i];
    if (dosages instanceof Int8Array) {
      readDosageCodes(source, v, n, codes, rowError(v), lengthError(v));
      dosages.set(codes, i * n);
    } else {
      readDosages(source, v, n, raw);
      dosages.set(raw, i * n);
    }
  }

  // Phenotypes: windows over the scanned variants.
  const ph = input.phenotypes;
  if (ph === null || typeof ph !== "object") fail("phenotypes", ph, "not an object", "pass { phenotypeIds, … }");
  const ids = checkIds(ph.phenotypeIds, "phenotypes.phenotypeIds");
  const np = ids.length;
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) fail("phenotypes.phenotypeIds", id, "phenotype ID repeated", "give each phenotype once", i);
    seen.add(id);
  });
  const pChrom = checkIds(ph.chromosomes, "phenotypes.chromosomes", np);
  checkPositions(ph.positions, "phenotypes.positions", np);
  const pv = ph.values;
  if (pv instanceof Float64Array ? pv.length !== np * n : !Array.isArray(pv) || pv.length !== np) {
    fail("phenotypes.values", pv, `expected ${np} rows of ${n} values`, "pass one row of values per phenotype");
  }
  // Kept variants per chromosome block, and their positions.
  const keptPos = new Float64Array(kept);
  for (let i = 0; i < kept; i++) keptPos[i] = gt.positions[variantIndex[i]];
  const keptBlocks = new Map<string, [number, number]>();
  for (let i = 0; i < kept; i++) {
    const c = vChrom[variantIndex[i]];
    const b = keptBlocks.get(c);
    if (b === undefined) keptBlocks.set(c, [i, i + 1]);
    else b[1] = i + 1;
  }
  const lowerBound = (lo: number, hi: number, x: number) => {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keptPos[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const upperBound = (lo: number, hi: number, x: number) => {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keptPos[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const windowLo = new Int32Array(np);
  const windowHi = new Int32Array(np);
  const order: number[] = [];
  for (let j = 0; j < np; j++) {
    const b = keptBlocks.get(pChrom[j]);
    if (b === undefined) continue;
    const tss = ph.positions[j];
    windowLo[j] = lowerBound(b[0], b[1], tss - window);
    windowHi[j] = upperBound(b[0], b[1], tss + window);
    if (windowHi[j] > windowLo[j]) order.push(j);
  }
  order.sort((a, b) => windowLo[a] - windowLo[b] || windowHi[a] - windowHi[b] || a - b);
  const phenotypeOrder = Int32Array.from(order);
  const g = phenotypeOrder.length;

  // Phenotypes in scan order: centred (kept for permuting) and residualised, 1,024 at a time.
  const yr = new Float64Array(sharedBuffer(g * n * 8, threads));
  const centred = keepCentred ? new Float64Array(sharedBuffer(g * n * 8, threads)) : undefined;
  const yy = new Float64Array(sharedBuffer(g * 8, threads));
  const syy = new Float64Array(sharedBuffer(g * 8, threads));
  const arena = new MatrixArena();
  const residualizer = new Residualizer(arena, basis);
  const block = 1024;
  const m = arena.alloc(Math.min(block, Math.max(g, 1)), n, 2);
  for (let j0 = 0; j0 < g; j0 += block) {
    const rows = Math.min(block, g - j0);
    for (let r = 0; r < rows; r++) {
      const j = phenotypeOrder[j0 + r];
      const row = pv instanceof Float64Array ? pv : pv[j];
      if (!(pv instanceof Float64Array) && row?.length !== n) {
        fail(
          `phenotypes.values[${j}].length`,
          row?.length,
          `the BED header has ${n} samples`,
          "pass one value per sample",
        );
      }
      phenotypeValues(
        row,
        pv instanceof Float64Array ? j * n : 0,
        n,
        "none",
        `phenotypes.values[${j}]`,
        arena.view,
        m.offset + r * m.stride,
      );
    }
    const sums = yy.subarray(j0, j0 + rows);
    centreRows(arena.view, m, rows, n, sums);
    if (centred) {
      const view = arena.view;
      for (let r = 0; r < rows; r++) {
        centred.set(view.subarray(m.offset + r * m.stride, m.offset + r * m.stride + n), (j0 + r) * n);
      }
    }
    residualizer.residualise(m, rows, sums, syy.subarray(j0, j0 + rows));
    const view = arena.view;
    for (let r = 0; r < rows; r++) {
      yr.set(view.subarray(m.offset + r * m.stride, m.offset + r * m.stride + n), (j0 + r) * n);
    }
  }
  const lo = new Int32Array(sharedBuffer(g * 4, threads));
  const hi = new Int32Array(sharedBuffer(g * 4, threads));
  for (let j = 0; j < g; j++) {
    lo[j] = windowLo[phenotypeOrder[j]];
    hi[j] = windowHi[phenotypeOrder[j]];
  }
  return {
    shared: { n, k, names: basis.names, q: basis.q, dosages, nVariants: kept, lo, hi, yr, yy, syy },
    basis,
    threads,
    phenotypeOrder,
    variantIndex,
    windowLo,
    windowHi,
    centred,
  };
}

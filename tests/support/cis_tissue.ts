/**
 * A seeded synthetic tissue for the cis scan's tests and benchmarks: genes on one chromosome spaced
 * evenly, variants at random gaps with some in perfect LD with their neighbour (exact ties, as in rat
 * HS genotypes), 1 % missing calls, phenotypes made of covariate effects, one cis effect and noise.
 * Written to a little-endian binary file that the Python peers read (`cis_scan_compare.py`,
 * `tests/reference/cis_scan/record.py`):
 *
 *   int32 n, k, genes, variants; float64 covariates (k × n); float64 phenotypes (genes × n);
 *   int32 TSS (genes); int32 variant positions (variants); int8 dosages (variants × n, -1 missing)
 *
 * Sample i is `S{i}`, gene j `G{j}`, a variant `chr1:{pos}`; the chromosome is `chr1`.
 *
 * @module
 */
import { MersenneTwister } from "../../lib/analysis/regression/_mt19937.ts";
import type { CisScanInput } from "ratgtex/analysis";

/** The tissue's shape. */
export interface TissueShape {
  samples: number;
  covariates: number;
  genes: number;
  /** Mean number of variants in a gene's cis window (±window). */
  variantsPerWindow: number;
  /** Cis window half-width (bp). */
  window: number;
  /** Distance between consecutive TSS (bp). */
  geneSpacing: number;
  seed: number;
}

/** The tissue in arrays. */
export interface Tissue {
  n: number;
  k: number;
  covariates: Float64Array;
  phenotypes: Float64Array;
  tss: Int32Array;
  positions: Int32Array;
  dosages: Int8Array;
}

/** Make the tissue. */
export function makeTissue(shape: TissueShape): Tissue {
  const rng = new MersenneTwister(shape.seed);
  const uniform = () => (rng.nextUint32() + 0.5) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const { samples: n, covariates: k, genes } = shape;
  const covariates = new Float64Array(k * n).map(() => Math.round(normal() * 1e6) / 1e6);
  // Variants from the first window's start to the last's end, a mean gap giving variantsPerWindow.
  const first = shape.window + 1000;
  const last = first + (genes - 1) * shape.geneSpacing;
  const gap = (2 * shape.window) / shape.variantsPerWindow;
  const pos: number[] = [];
  for (let p = first - shape.window; p <= last + shape.window; p += 1 + Math.floor(uniform() * (2 * gap - 1))) {
    pos.push(p);
  }
  const positions = Int32Array.from(pos);
  const v = positions.length;
  const dosages = new Int8Array(v * n);
  for (let i = 0; i < v; i++) {
    if (i > 0 && uniform() < 0.3) {
      dosages.copyWithin(i * n, (i - 1) * n, i * n); // perfect LD with the previous variant
      continue;
    }
    const af = 0.05 + 0.45 * uniform();
    for (let s = 0; s < n; s++) {
      dosages[i * n + s] = uniform() < 0.01 ? -1 : (uniform() < af ? 1 : 0) + (uniform() < af ? 1 : 0);
    }
  }
  const tss = new Int32Array(genes);
  const phenotypes = new Float64Array(genes * n);
  for (let j = 0; j < genes; j++) {
    tss[j] = first + j * shape.geneSpacing;
    // One cis effect from a variant near the TSS, covariate effects, noise.
    const causal = Math.min(v - 1, Math.max(0, positions.findIndex((p) => p >= tss[j]) + Math.floor(uniform() * 20)));
    const beta = uniform() < 0.5 ? 0.5 * uniform() : 0;
    const w = Array.from({ length: k }, () => 0.3 * normal());
    for (let s = 0; s < n; s++) {
      let y = normal();
      for (let c = 0; c < k; c++) y += w[c] * covariates[c * n + s];
      const g = dosages[causal * n + s];
      y += beta * (g < 0 ? 0 : g);
      phenotypes[j * n + s] = Math.round(y * 1e6) / 1e6;
    }
  }
  return { n, k, covariates, phenotypes, tss, positions, dosages };
}

/** The tissue as the cis scan's input. */
export function tissueInput(t: Tissue): CisScanInput {
  const { n, k } = t;
  const sampleIds = Array.from({ length: n }, (_, s) => `S${s}`);
  const genes = t.tss.length;
  return {
    sampleIds,
    phenotypes: {
      phenotypeIds: Array.from({ length: genes }, (_, j) => `G${j}`),
      chromosomes: new Array(genes).fill("chr1"),
      positions: t.tss,
      values: t.phenotypes,
    },
    genotypes: {
      variantIds: Array.from(t.positions, (p) => `chr1:${p}`),
      chromosomes: new Array(t.positions.length).fill("chr1"),
      positions: t.positions,
      dosages: t.dosages,
    },
    covariates: { names: Array.from({ length: k }, (_, c) => `PC${c + 1}`), values: t.covariates, sampleIds },
  };
}

/** Write the tissue in the binary layout above. */
export function writeTissue(path: string, t: Tissue): void {
  const parts: Uint8Array[] = [
    new Uint8Array(Int32Array.from([t.n, t.k, t.tss.length, t.positions.length]).buffer),
    new Uint8Array(t.covariates.buffer.slice(0)),
    new Uint8Array(t.phenotypes.buffer.slice(0)),
    new Uint8Array(t.tss.buffer.slice(0)),
    new Uint8Array(t.positions.buffer.slice(0)),
    new Uint8Array(t.dosages.buffer.slice(0)),
  ];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  Deno.writeFileSync(path, out);
}

/** The tissue of tests/cis_scan_test.ts and tests/reference/cis_scan (window 50 kb there). */
export const REFERENCE_TISSUE: TissueShape = {
  samples: 60,
  covariates: 4,
  genes: 6,
  variantsPerWindow: 120,
  window: 50_000,
  geneSpacing: 15_000,
  seed: 11,
};

/** record.py's non-integer copy: NaN for a missing call, every third variant's calls × 0.9 + 0.1. */
export function nonIntegerDosages(t: Tissue): Float64Array {
  const { n } = t;
  return Float64Array.from(t.dosages, (x, i) => x < 0 ? NaN : Math.floor(i / n) % 3 === 0 ? x * 0.9 + 0.1 : x);
}

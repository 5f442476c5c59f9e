/**
 * A GWAS matched to a release's variants: the release's alleles at a position, looked up in its genotype VCF
 * (`Release.genotypes`, a block of the VCF read once for every GWAS variant in it), and the match of every
 * GWAS variant by position and alleles (`matchGwasToVariants`), a low match rate said with its likely cause.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { checkOptions } from "../_core/options.ts";
import type { Release } from "../release/release.ts";
import { type GwasMatchResult, type MatchGwasOptions, matchGwasToVariants, type VariantAlleles } from "./gwas.ts";
import type { VariantLookup } from "./gwas.ts";
import { releaseOf } from "./_release.ts";
import type { ReleaseInput } from "./release_input.ts";

/** Positions per block a lookup reads at once (a block of a real VCF is a few hundred kB of BGZF). */
const BLOCK = 1_000_000;

/** Each release's alleles by VCF and 1 Mb block. */
const BLOCKS = new WeakMap<Release, Map<string, Map<string, Promise<Map<number, VariantAlleles>>>>>();

/** Options of {@link releaseVariantLookup}. */
export interface ReleaseVariantLookupOptions {
  /** The genotype dataset whose VCF to read (default: the reference dataset, the `variant` route's). */
  dataset?: string;
  /** Or the dataset of this tissue. */
  tissue?: string;
}

/**
 * The release's alleles at a position, as `matchGwasToVariants` takes them: a {@link VariantLookup} over the
 * release's genotype VCF. Each 1 Mb block of a chromosome is read once per release (alleles only, no
 * genotypes) and kept, so a GWAS sorted or not costs one read per block it touches, and a second GWAS none.
 *
 * @param release An open release.
 * @param options `dataset` or `tissue` (default: the reference VCF, `ratgtex_v4_round11_2`).
 * @returns The lookup: `(chromosome, pos) → { ref, alt } | null`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { releaseVariantLookup } from "ratgtex";
 * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
 * const lookup = releaseVariantLookup(await openRelease(BUNDLED_RELEASE));
 * assert.deepEqual(await lookup("chr10", 100826333), { ref: "C", alt: ["T"] });
 * assert.equal(await lookup("chr10", 100826334), null);
 * ```
 */
export function releaseVariantLookup(release: Release, options?: ReleaseVariantLookupOptions): VariantLookup {
  const opts = checkOptions<ReleaseVariantLookupOptions>(options, { dataset: "string", tissue: "string" }, {
    usage: "releaseVariantLookup(release, { dataset?, tissue? })",
  });
  // Blocks read once per release and VCF, shared by every lookup made on them (a second GWAS, a rerun).
  const vcfKey = opts.tissue !== undefined ? `tissue:${opts.tissue}` : `dataset:${opts.dataset ?? ""}`;
  let byVcf = BLOCKS.get(release);
  if (byVcf === undefined) BLOCKS.set(release, byVcf = new Map());
  let blocks = byVcf.get(vcfKey);
  if (blocks === undefined) byVcf.set(vcfKey, blocks = new Map());
  const cache = blocks;
  const block = (chromosome: string, b: number): Promise<Map<number, VariantAlleles>> => {
    const key = `${chromosome}:${b}`;
    let m = cache.get(key);
    if (m === undefined) {
      m = (async () => {
        const geno = await release.genotypes({
          region: { chromosome, start: b * BLOCK + 1, end: (b + 1) * BLOCK },
          rats: [],
          ...(opts.tissue !== undefined ? { tissue: opts.tissue } : {}),
          ...(opts.dataset !== undefined ? { dataset: opts.dataset } : {}),
        }); // a contig the VCF's index does not have gives no variant

        return new Map(geno.variants.map((v) => [v.pos, { ref: v.ref, alt: v.alts }]));
      })();
      m.catch(() => cache.delete(key));
      cache.set(key, m);
    }
    return m;
  };
  return async (chromosome, pos) => (await block(chromosome, Math.floor((pos - 1) / BLOCK))).get(pos) ?? null;
}

/** Options of {@link matchGwasToRelease}: the match's and the lookup's. */
export interface MatchGwasToReleaseOptions extends MatchGwasOptions, ReleaseVariantLookupOptions {}

/**
 * Match a GWAS (a frame from `readGwas`) to a release's variants by position and alleles, aligned to the
 * release's ALT (`matchGwasToVariants` over {@link releaseVariantLookup}): swapped alleles flipped with the
 * sign of beta, strand-ambiguous and mismatched ones dropped and counted, and a low match rate said with its
 * likely cause (positions from rn7 or rn6; RatGTEx v4 is GRCr8/rn8).
 *
 * @param release An open release, or its source.
 * @param gwas The GWAS frame (`readGwas(path).frame`).
 * @param options The match's (`minPositionRate`, `strandFlip`…) and the VCF's (`dataset`, `tissue`).
 * @returns As `matchGwasToVariants`: the aligned frame, the unmatched variants, counts and warnings.
 * @throws {ValidationError} When the frame lacks a GWAS column, or an option is wrong.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matchGwasToRelease, parseGwas } from "ratgtex";
 * const { frame } = parseGwas(
 *   "Chr\tSNP\tbp\tA1\tA2\tFreq\tb\tse\tp\n10\tchr10:100826333\t100826333\tC\tT\t0.6\t0.2\t0.05\t6e-5\n",
 * );
 * const m = await matchGwasToRelease("offline", frame);
 * assert.equal(m.counts.swapped, 1); // the GWAS's effect allele C is the release's REF
 * assert.equal(m.frame.getColumn("beta").get(0), -0.2); // now per copy of T, the release's ALT
 * ```
 */
export async function matchGwasToRelease(
  release: ReleaseInput,
  gwas: pl.DataFrame,
  options?: MatchGwasToReleaseOptions,
): Promise<GwasMatchResult> {
  const { dataset, tissue, ...match } = checkOptions<MatchGwasToReleaseOptions>(options, {
    minPositionRate: "number",
    assembly: "string",
    strandFlip: "boolean",
    keepAmbiguous: "boolean",
    dataset: "string",
    tissue: "string",
  }, { usage: "matchGwasToRelease(release, gwas, { minPositionRate, strandFlip, keepAmbiguous, dataset, tissue })" });
  const rel = await releaseOf(release);
  const lookup = releaseVariantLookup(rel, {
    ...(dataset !== undefined ? { dataset } : {}),
    ...(tissue !== undefined ? { tissue } : {}),
  });
  return await matchGwasToVariants(gwas, lookup, match);
}

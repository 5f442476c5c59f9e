/**
 * Linkage disequilibrium from a release's own genotypes: a lead variant against every variant of a window
 * around it, or against a list, over all rats of a genotype VCF or one tissue's rats — what the RatGTEx
 * portal's removed `/api/v3/ld` route gave, and what `plink1.9 --r2 --ld-snp` gives on the same VCF.
 *
 * @module
 */
import pl from "nodejs-polars";
import { ValidationError } from "../_core/errors.ts";
import { checkOptions } from "../_core/options.ts";
import { type LdPair, ldWithLead } from "../analysis/genetics/ld.ts";
import type { Genotypes, GenotypeVariant } from "../release/vcf.ts";
import type { Release } from "../release/release.ts";
import { checkRange, checkWindow, parseVariant, type ReleaseInput, releaseOf, tissueRats } from "./_release.ts";

export type { ReleaseInput } from "./_release.ts";

/** Options of {@link ldFromRelease}. */
export interface LdFromReleaseOptions {
  /** Half-width of the window around the lead, in base pairs (default 1,000,000); ignored with `variantIds`. */
  window?: number;
  /** The variants to pair with the lead, instead of a window (each must be in the VCF). */
  variantIds?: readonly string[];
  /**
   * One tissue's rats (`rat_ids/rat_ids.{T}.v4.txt`), from the tissue's genotype dataset. Default: every rat
   * of the VCF the API's `variant` route reads (`ratgtex_v4_round11_2`), as plink reads that file.
   */
  tissue?: string;
  /** Keep only variants with dosage r² ≥ this (default 0: every variant, those without a number too). */
  minR2?: number;
  /** Code allele 1 as ALT, as plink's `--keep-allele-order` (default false: the minor allele, as plink). */
  keepAlleleOrder?: boolean;
}

/**
 * Linkage disequilibrium between a lead variant and every variant within `window` bases of it (or each of
 * `variantIds`), from the release's genotype VCF: dosages 0/1/2 from `GT`, missing calls left out pair by
 * pair. Over every rat of the reference VCF (`ratgtex_v4_round11_2`, the `variant` route's) or, with
 * `tissue`, the tissue's rats in its own dataset's VCF. Statistics as `ldWithLead` computes them
 * (`plink1.9 --r2` for `r2`, `--r2 dprime` for `r2Haplotype` and `dprime`); a multi-allelic or monomorphic
 * site (among the rats called at both) gets null statistics and a `reason`.
 *
 * Columns (one row per variant, by position, the lead included with r² = 1): `variantId`, `chromosome`
 * (str); `pos`, `distance` (i64, position − the lead's; null on
 * another chromosome); `r2` (f64, squared dosage correlation), `r` (f64,
 * signed, ALT vs ALT), `dprime` (f64, |D′| from the haplotype frequencies), `r2Haplotype` (f64, r² from
 * the same haplotype frequencies); `n` (i32, rats called at both); `ref`, `alt` (str, ALT comma-joined at
 * a multi-allelic site); `reason` (str, why the statistics are null, else null).
 *
 * @param release An open release, or its source (`"offline"`, a folder, an https URL).
 * @param variantId The lead variant (`chrN:pos`, GRCr8).
 * @param options `window`, `variantIds`, `tissue`, `minR2`, `keepAlleleOrder`.
 * @returns The frame described above.
 * @throws {ValidationError} For a malformed variant ID, a lead (or listed variant) the VCF does not have,
 *   a tissue the release does not have, a bad option.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ldFromRelease } from "ratgtex";
 * const ld = await ldFromRelease("offline", "chr10:100826333", { window: 200_000 });
 * const rows = ld.toRecords() as { distance: number; r2: number | null; alt: string; reason: string | null }[];
 * assert.equal(rows.find((r) => r.distance === 0)!.r2, 1); // the lead with itself
 * assert.match(rows.find((r) => r.alt.includes(","))!.reason!, /multi-allelic/); // a reason, not a number
 * ```
 */
export async function ldFromRelease(
  release: ReleaseInput,
  variantId: string,
  options?: LdFromReleaseOptions,
): Promise<pl.DataFrame> {
  const usage = "ldFromRelease(release, variantId, { window, variantIds, tissue, minR2, keepAlleleOrder })";
  const opts = checkOptions<LdFromReleaseOptions>(options, {
    window: "number",
    variantIds: { is: (v) => Array.isArray(v), expected: "a list of variant IDs" },
    tissue: "string",
    minR2: "number",
    keepAlleleOrder: "boolean",
  }, { usage });
  const lead = parseVariant(variantId, "variantId");
  const window = checkWindow(opts.window, "options.window", 1_000_000);
  const minR2 = opts.minR2 === undefined ? 0 : checkRange(opts.minR2, "options.minR2", 0, 1, "0.6");
  opts.variantIds?.forEach((v, i) => parseVariant(v, `options.variantIds[${i}]`));
  const rel = await releaseOf(release);
  const geno = await leadGenotypes(rel, variantId, lead, { window, variantIds: opts.variantIds, tissue: opts.tissue });
  const pairs = ldOfLead(geno.lead, geno.variants, opts.keepAlleleOrder === true);
  const frame = ldFrame(geno.lead, geno.variants, pairs);
  return minR2 > 0 ? frame.filter(pl.col("r2").gtEq(minR2)) : frame;
}

/** The lead's and the others' genotypes (the lead first in `variants` only when it is in the window). */
export interface LeadGenotypes {
  /** The lead. */
  lead: GenotypeVariant;
  /** The variants paired with it (the window's, by position, the lead included; or the list, in order). */
  variants: GenotypeVariant[];
  /** The rats (the order of every dosage array). */
  rats: string[];
  /** The VCF read. */
  file: string;
}

/**
 * The genotypes of a lead and of the variants of its window (or a list), over the reference VCF's rats or
 * a tissue's. Internal to the workflows (proxies and the regional figure read LD this way).
 */
export async function leadGenotypes(
  release: Release,
  variantId: string,
  lead: { chromosome: string; pos: number },
  query: { window: number; variantIds?: readonly string[]; tissue?: string },
): Promise<LeadGenotypes> {
  const rats = query.tissue === undefined ? undefined : await tissueRats(release, query.tissue);
  const base = { ...(rats ? { rats } : {}), ...(query.tissue ? { tissue: query.tissue } : {}) };
  let geno: Genotypes;
  let leadVariant: GenotypeVariant | undefined;
  if (query.variantIds !== undefined) {
    geno = await release.genotypes({ ...base, variantIds: [variantId, ...query.variantIds] });
    leadVariant = geno.variants[0];
    geno = { ...geno, variants: geno.variants.slice(1) };
  } else {
    geno = await release.genotypes({
      ...base,
      region: {
        chromosome: lead.chromosome,
        start: Math.max(1, lead.pos - query.window),
        end: lead.pos + query.window,
      },
    });
    leadVariant = geno.variants.find((v) => v.pos === lead.pos);
  }
  if (leadVariant === undefined) {
    throw new ValidationError(
      "variantId",
      variantId,
      `not in the release's genotype VCF (${geno.file})`,
      "check the position (GRCr8/rn8; positions from rn7 or rn6 must be lifted over)",
    );
  }
  return { lead: leadVariant, variants: geno.variants, rats: geno.rats, file: geno.file };
}

/** `ldWithLead` on release genotypes (IDs and multi-allelic flags passed, so reasons name the variant). */
export function ldOfLead(
  lead: GenotypeVariant,
  others: readonly GenotypeVariant[],
  keepAlleleOrder: boolean,
): LdPair[] {
  const calls = (v: GenotypeVariant) => ({ calls: v.dosages, id: v.variantId, multiAllelic: v.multiAllelic });
  return ldWithLead(calls(lead), others.map(calls), { keepAlleleOrder });
}

/** The LD frame (see {@link ldFromRelease}). */
function ldFrame(lead: GenotypeVariant, variants: readonly GenotypeVariant[], pairs: readonly LdPair[]): pl.DataFrame {
  const f64 = (name: string, get: (p: LdPair) => number | null) => pl.Series(name, pairs.map(get), pl.Float64);
  return pl.DataFrame([
    pl.Series("variantId", variants.map((v) => v.variantId), pl.Utf8),
    pl.Series("chromosome", variants.map((v) => v.chromosome), pl.Utf8),
    pl.Series("pos", variants.map((v) => v.pos), pl.Int64),
    pl.Series(
      "distance",
      variants.map((v) => (v.chromosome === lead.chromosome ? v.pos - lead.pos : null)),
      pl.Int64,
    ),
    f64("r2", (p) => p.r2),
    f64("r", (p) => p.r),
    f64("dprime", (p) => p.dprime),
    f64("r2Haplotype", (p) => p.r2Haplotype),
    pl.Series("n", pairs.map((p) => p.n), pl.Int32),
    pl.Series("ref", variants.map((v) => v.ref), pl.Utf8),
    pl.Series("alt", variants.map((v) => v.alts.join(",")), pl.Utf8),
    pl.Series("reason", pairs.map((p) => p.reason), pl.Utf8),
  ]);
}

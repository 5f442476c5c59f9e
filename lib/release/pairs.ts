/**
 * The gene–variant pair of a recomputation (`Release.eqtlStatistics`): its own file so that the release and
 * the recomputation behind it both name it without importing each other.
 *
 * @module
 */

/** One gene–variant pair in one tissue. */
export interface EqtlPair {
  /** Gene ID, e.g. `"Cd300lf"`. */
  geneId: string;
  /** Tissue ID, e.g. `"IL"`. */
  tissueSiteDetailId: string;
  /** Variant ID `chrN:pos`, e.g. `"chr10:100826333"`. */
  variantId: string;
}

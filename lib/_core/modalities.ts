/**
 * The six molecular modalities of RatGTEx's xQTLs (Pantry), by the codes the `xqtl` route uses.
 *
 * @module
 */

/** The six RNA modalities of `xqtl`, with the portal's labels. */
export const XQTL_MODALITIES: Readonly<Record<string, string>> = {
  alt_polyA: "Alternative polyA usage",
  alt_TSS: "Alternative TSS usage",
  expression: "Expression",
  isoforms: "Isoform ratio",
  splicing: "Intron excision ratio",
  stability: "RNA stability",
};

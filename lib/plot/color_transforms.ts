/**
 * The dendro-heatmap's colour vocabulary, in a module without Plot, so the CLI can list it without loading
 * the figure code.
 *
 * @module
 */

/**
 * The colour scale of a heatmap cell, a vocabulary of its own (not an `ExpressionTransform`, which
 * prepares values for a regression): `"log10"` colours by log10(median TPM + 1), `"log2"` by
 * log2(median TPM + 1), `"none"` by median TPM (these three on a sequential scheme, `ylgnbu`);
 * `"zscore"` by each gene's z-score of median TPM across tissues, `"zscore-log2"` by its z-score of
 * log2(median TPM + 1) (these two on a diverging scheme centred at 0, `rdbu`, red = above the gene's mean).
 */
export type ColorTransform = "log10" | "log2" | "none" | "zscore" | "zscore-log2";

/** The accepted {@link ColorTransform}s, the default first. */
export const COLOR_TRANSFORMS: readonly ColorTransform[] = ["log10", "log2", "none", "zscore", "zscore-log2"];

/** The default {@link ColorTransform} of the server's trees: `"log10"`, as the RatGTEx portal's heatmap. */
export const DEFAULT_COLOR_TRANSFORM: ColorTransform = "log10";

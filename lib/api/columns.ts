/**
 * The columns of every frame a route returns, in order, with their types: the one source of the column
 * lists. The route functions build their frames from these specs, their JSDoc lists the same names (a
 * test checks it), and the CLI can print them with {@link frameColumns}.
 *
 * @module
 */
import type { ColumnSpec } from "./_frame.ts";
import { splitVariantId } from "./_frame.ts";
import { XQTL_MODALITIES } from "../_core/modalities.ts";

type Row = Record<string, unknown>;

const chromosomeOf = (r: Row) => splitVariantId(r.variantId).chromosome;
const posOf = (r: Row) => splitVariantId(r.variantId).pos;

/** The frame specs, by the name of the function that returns the frame. */
export const FRAME_COLUMNS = {
  tissueInfo: [
    ["tissueSiteDetailId", "str"],
    ["tissueSiteDetail", "str"],
    ["tissueSiteDetailAbbr", "str"],
    ["tissueSite", "str"],
    ["colorHex", "str"],
    ["color", "str", (r) => `#${r.colorHex}`],
    ["colorRgb", "str"],
    ["dataset", "str"],
    ["datasetId", "str"],
    ["eGeneCount", "i64"],
    ["expressedGeneCount", "i64"],
    ["hasEGenes", "bool"],
    ["rnaSeqSampleCount", "i64"],
    ["rnaSeqAndGenotypeSampleCount", "i64"],
  ],
  /** Without the nested `statusInTissue`, which `gene` appends as a list-of-struct column. */
  gene: [
    ["geneId", "str"],
    ["chromosome", "str"],
    ["start", "i64"],
    ["end", "i64"],
    ["strand", "str"],
    ["tss", "i64"],
    ["description", "str"],
    ["hasEqtl", "bool"],
  ],
  geneStatus: [
    ["geneId", "str"],
    ["tissueSiteDetailId", "str"],
    ["expressed", "bool"],
    ["testedEqtl", "bool"],
    ["eqtl", "bool"],
  ],
  exon: [
    ["geneId", "str"],
    ["transcriptId", "str"],
    ["exonId", "str"],
    ["exonNumber", "i32"],
    ["chromosome", "str"],
    ["start", "i64"],
    ["end", "i64"],
    ["strand", "str"],
    ["featureType", "str"],
  ],
  variant: [
    ["variantId", "str"],
    ["chromosome", "str"],
    ["pos", "i64"],
    ["ref", "str"],
    ["alt", "str"],
  ],
  /** Built column by column (typed arrays), in this order. */
  geneExpression: [
    ["geneId", "str"],
    ["tissueSiteDetailId", "str"],
    ["sampleIndex", "i32"],
    ["tpm", "f64"],
  ],
  /** The `long` frame of the result. */
  medianGeneExpression: [
    ["geneId", "str"],
    ["tissueSiteDetailId", "str"],
    ["median", "f64"],
  ],
  topExpressedGene: [
    ["tissueSiteDetailId", "str"],
    ["rank", "i32"],
    ["geneId", "str"],
    ["chromosome", "str"],
    ["median", "f64"],
    ["unit", "str"],
    ["datasetId", "str"],
  ],
  singleTissueEqtl: [
    ["geneId", "str"],
    ["tissueSiteDetailId", "str"],
    ["variantId", "str"],
    ["chromosome", "str"],
    ["pos", "i64"],
    ["nes", "f64"],
    ["pValue", "f64"],
  ],
  eqtl: [
    ["geneId", "str"],
    ["tissueSiteDetailId", "str"],
    ["variantId", "str"],
    ["chromosome", "str", chromosomeOf],
    ["pos", "i64", posOf],
    ["ref", "str"],
    ["alt", "str"],
    ["pValueBeta", "f64"],
    ["log2aFC", "f64"],
  ],
  xqtl: [
    ["geneId", "str"],
    ["tissueSiteDetailId", "str"],
    ["modality", "str"],
    ["modalityLabel", "str", (r) => XQTL_MODALITIES[r.modality as string] ?? null],
    ["phenotypeId", "str"],
    ["variantId", "str"],
    ["chromosome", "str", chromosomeOf],
    ["pos", "i64", posOf],
    ["ref", "str"],
    ["alt", "str"],
    ["pValueBeta", "f64"],
  ],
  /** The `samples` frame of the result. */
  dyneqtl: [
    ["sampleIndex", "i32"],
    ["genotype", "i32"],
    ["tpm", "f64"],
  ],
} as const satisfies Record<string, readonly ColumnSpec<Row>[]>;

/** A function whose frame columns {@link FRAME_COLUMNS} gives. */
export type FrameRoute = keyof typeof FRAME_COLUMNS;

/**
 * The column names of a route's frame, in order (`gene` adds `statusInTissue` last; for
 * `medianGeneExpression` the `long` frame, for `dyneqtl` the `samples` frame).
 *
 * @param route The function's name.
 * @returns The column names.
 */
export function frameColumns(route: FrameRoute): string[] {
  const names = FRAME_COLUMNS[route].map((c) => c[0] as string);
  return route === "gene" ? [...names, "statusInTissue"] : names;
}

/**
 * Frames the subcommands build from library results (dyneqtl summaries and samples, the median matrix in
 * dendrogram order, the cache's info). Loaded on demand: it loads polars.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { DyneqtlResult, MedianGeneExpressionResult } from "../analysis/route_results.ts";
import type { NewickNode } from "../analysis/clustering/newick.ts";

/**
 * Leaves of a parsed server tree in dendrogram order (the server writes each node's children right to left).
 */
export function dendrogramOrder(tree: NewickNode | null, fallback: string[]): string[] {
  if (tree === null) return fallback;
  const written: string[] = [];
  const stack = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.children.length === 0) written.push(node.name ?? "");
    else for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return written.reverse();
}

/** The median matrix with genes and tissues in the given order: `geneId`, then one column per tissue. */
export function orderedMatrix(
  med: MedianGeneExpressionResult,
  geneOrder: string[],
  tissueOrder: string[],
): pl.DataFrame {
  const gi = new Map(med.geneIds.map((g, i) => [g, i]));
  const ti = new Map(med.tissueIds.map((t, j) => [t, j]));
  return pl.DataFrame([
    pl.Series("geneId", geneOrder, pl.Utf8),
    ...tissueOrder.map((t) =>
      pl.Series(
        t,
        geneOrder.map((g) => {
          const v = med.values[gi.get(g)!][ti.get(t)!];
          return Number.isNaN(v) ? null : v;
        }),
        pl.Float64,
      )
    ),
  ]);
}

/** One row per dyneqtl answer: the triple, alleles, genotype counts, p-value and threshold. */
export function dyneqtlSummary(results: DyneqtlResult[]): pl.DataFrame {
  const col = <K extends keyof DyneqtlResult>(k: K) => results.map((r) => r[k]);
  return pl.DataFrame([
    pl.Series("geneId", col("geneId"), pl.Utf8),
    pl.Series("tissueSiteDetailId", col("tissueSiteDetailId"), pl.Utf8),
    pl.Series("variantId", col("variantId"), pl.Utf8),
    pl.Series("ref", col("ref"), pl.Utf8),
    pl.Series("alt", col("alt"), pl.Utf8),
    pl.Series("homoRefCount", col("homoRefCount") as number[], pl.Int32),
    pl.Series("hetCount", col("hetCount") as number[], pl.Int32),
    pl.Series("homoAltCount", col("homoAltCount") as number[], pl.Int32),
    pl.Series("maf", col("maf") as number[], pl.Float64),
    pl.Series("pValue", col("pValue") as (number | null)[], pl.Float64),
    pl.Series("pValueThreshold", col("pValueThreshold") as number[], pl.Float64),
  ]);
}

/** One row per sample of every dyneqtl answer: the triple, sampleIndex, genotype, tpm. */
export function dyneqtlSamples(results: DyneqtlResult[]): pl.DataFrame {
  const frames = results.map((r) =>
    r.samples.select(
      pl.lit(r.geneId).alias("geneId"),
      pl.lit(r.tissueSiteDetailId).alias("tissueSiteDetailId"),
      pl.lit(r.variantId).alias("variantId"),
      pl.col("sampleIndex"),
      pl.col("genotype"),
      pl.col("tpm"),
    )
  );
  return frames.length === 1 ? frames[0] : pl.concat(frames, { how: "vertical" });
}

/** The cache's info as a one-row frame: dir, entries, bytes. */
export function cacheInfoFrame(info: { dir: string; entries: number; bytes: number }): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("dir", [info.dir], pl.Utf8),
    pl.Series("entries", [info.entries], pl.Int64),
    pl.Series("bytes", [info.bytes], pl.Int64),
  ]);
}

/** Cut-tree groups as a table: the ID column, then `group` (1-based, scipy's fcluster numbering). */
export function groupsFrame(idColumn: string, ids: readonly string[], group: readonly number[]): pl.DataFrame {
  return pl.DataFrame([pl.Series(idColumn, [...ids], pl.Utf8), pl.Series("group", [...group], pl.Int32)]);
}

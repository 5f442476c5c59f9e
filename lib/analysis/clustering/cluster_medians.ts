/**
 * Recluster a `medianGeneExpression` answer: the server clusters raw medians (Euclidean,
 * average linkage, optimal leaf ordering); here the transform, metric and method are yours.
 * With the defaults the Newick strings equal the server's, byte for byte.
 *
 * @module
 */

import { tagResult } from "../../_core/result_kind.ts";
import type { MedianGeneExpressionResult } from "../route_results.ts";
import { hclust } from "./hclust.ts";
import { ClusteringInputError, DEFAULT_LINKAGE_METHOD, type LinkageMethod, type LinkageRow } from "./linkage.ts";
import { DEFAULT_DISTANCE_METRIC, type DistanceMetric } from "./pdist.ts";
import { type NewickNode, NOT_ENOUGH_DATA, parseNewick, toNewick } from "./newick.ts";

/**
 * How {@link clusterMedians} transforms the medians before clustering (its own vocabulary, distinct from
 * the regression's `ExpressionTransform`): `"none"` = the medians as given (as the server), `"log2"` =
 * log2(TPM + 1), `"zscore"` = each gene centred and scaled across tissues (sample SD; a gene with zero
 * variance becomes all zeros).
 */
export type ClusterTransform = "none" | "log2" | "zscore";

/** The accepted {@link ClusterTransform} names, in the order they are documented. */
export const CLUSTER_TRANSFORMS: readonly ClusterTransform[] = ["none", "log2", "zscore"];

/** The default {@link ClusterTransform}: `"none"`, so the trees equal the server's byte for byte. */
export const DEFAULT_CLUSTER_TRANSFORM: ClusterTransform = "none";

/** Options of {@link clusterMedians}. */
export interface ClusterMediansOptions {
  /**
   * Transform of the medians before clustering (default {@link DEFAULT_CLUSTER_TRANSFORM}, `"none"`, as
   * the server); see {@link ClusterTransform}. The tissue tree uses the same transformed matrix.
   */
  transform?: ClusterTransform;
  /** Distance metric; default `"euclidean"`. */
  metric?: DistanceMetric;
  /** Linkage method; default `"average"`. */
  method?: LinkageMethod;
}

/** The result of {@link clusterMedians}. */
export interface ClusterMediansResult {
  /** Newick strings written as the server writes them (`"Not enough data"` for a single gene / tissue, or no genes). */
  clusters: { gene: string; tissue: string };
  /** The gene tree parsed, or `null` for "Not enough data". */
  geneTree: NewickNode | null;
  /** The tissue tree parsed, or `null` for "Not enough data". */
  tissueTree: NewickNode | null;
  /** Gene linkage (leaf `i` = `geneIds[i]`), or `null` with fewer than 2 genes. */
  geneLinkage: LinkageRow[] | null;
  /** Tissue linkage (leaf `j` = `tissueIds[j]`), or `null` with fewer than 2 tissues. */
  tissueLinkage: LinkageRow[] | null;
  /** Gene IDs in dendrogram order, left to right (scipy's `leaves_list`; the Newick text lists them reversed). */
  geneOrder: string[];
  /** Tissue IDs in dendrogram order, left to right. */
  tissueOrder: string[];
  /** The transform the trees were built on (so a figure can colour by what was clustered). */
  transform: ClusterTransform;
  /** The distance metric of the trees. */
  metric: DistanceMetric;
  /** The linkage method of the trees. */
  method: LinkageMethod;
}

/**
 * The matrix {@link clusterMedians} clusters: the medians after a {@link ClusterTransform} (genes × tissues,
 * z-scores per gene across tissues). Exported so a figure can colour exactly what was clustered.
 *
 * @param values Medians, genes × tissues.
 * @param transform The transform.
 * @returns The transformed matrix (the input itself for `"none"`).
 * @throws {ClusteringInputError} On a negative median with `"log2"`.
 */
export function transformMatrix(
  values: readonly (readonly number[])[],
  transform: ClusterTransform,
): number[][] {
  if (transform === "none") return values.map((row) => [...row]);
  if (transform === "log2") {
    return values.map((row, i) =>
      row.map((v, j) => {
        if (v < 0) {
          throw new ClusteringInputError(
            `values[${i}][${j}]`,
            v,
            `clusterMedians: median [${i}][${j}] = ${v} is negative; log2(TPM + 1) needs TPM ≥ 0`,
            'use transform "none" or "zscore"',
          );
        }
        return Math.log2(v + 1);
      })
    );
  }
  return values.map((row) => {
    const p = row.length;
    // Test constancy exactly: a constant's computed mean can be off by rounding (0.1 × 3), and
    // scaling those ~1e-17 deviations by their own SD would turn a flat gene into ±0.8.
    if (p < 2 || row.every((v) => v === row[0])) return row.map(() => 0);
    // Plain sums, not simple-statistics: its compensated mean moves the last bits, and so the linkage
    // heights, away from the documented formula (measured: the zscore test in tests/hclust_test.ts fails).
    const mean = row.reduce((s, v) => s + v, 0) / p;
    const ss = row.reduce((s, v) => s + (v - mean) ** 2, 0);
    const sd = Math.sqrt(ss / (p - 1));
    return row.map((v) => (v - mean) / sd);
  });
}

/**
 * Cluster the genes × tissues median matrix of a `medianGeneExpression` answer, as the server
 * does but with a choice of transform, metric and method. With the defaults
 * (`none`/`euclidean`/`average`) `clusters` equals the server's `clusters` exactly.
 *
 * @param result A parsed `medianGeneExpression` answer (needs `geneIds`, `tissueIds`, `values`).
 * @param options Transform (default `"none"`), metric (default `"euclidean"`), method (default `"average"`).
 * @returns Newick strings, parsed trees, linkages and dendrogram orders for genes and tissues
 *   (`"Not enough data"` and `null` trees on a side with fewer than 2 entries, and on both sides with no genes).
 * @throws {ClusteringInputError} On a bad transform, metric, method or options object, or a values
 *   matrix that is not genes × tissues of finite numbers (≥ 0 for `"log2"`).
 *
 * @example
 * ```ts
 * import { clusterMedians } from "ratgtex/analysis";
 * import type { MedianGeneExpressionResult } from "ratgtex";
 * import assert from "node:assert/strict";
 * const med = {
 *   geneIds: ["A", "B", "C"], tissueIds: ["Liver", "Eye"],
 *   values: [[1, 50], [2, 48], [300, 0]],
 * } as unknown as MedianGeneExpressionResult;
 * const res = clusterMedians(med, { transform: "log2" });
 * assert.equal(res.clusters.gene, "((A:0.587803,B:0.587803):8.35957,C:8.94738);");
 * assert.deepEqual(res.geneOrder, ["C", "B", "A"]);
 * assert.equal(res.transform, "log2"); // what the trees were built on
 * ```
 */
export function clusterMedians(
  result: MedianGeneExpressionResult,
  options: ClusterMediansOptions = {},
): ClusterMediansResult {
  if (options === null || typeof options !== "object") {
    throw new ClusteringInputError(
      "options",
      options,
      "clusterMedians: options must be an object",
      'pass e.g. { transform: "log2" }, or nothing for the server\'s clustering',
    );
  }
  const transform = options.transform ?? DEFAULT_CLUSTER_TRANSFORM;
  if (!CLUSTER_TRANSFORMS.includes(transform)) {
    throw new ClusteringInputError(
      "transform",
      transform,
      `clusterMedians: transform "${transform}" is not one of ${CLUSTER_TRANSFORMS.join(", ")}`,
      `use ${CLUSTER_TRANSFORMS.map((t) => `"${t}"`).join(", ")}`,
    );
  }
  const { geneIds, tissueIds, values } = result ?? {};
  if (
    !Array.isArray(geneIds) || !Array.isArray(tissueIds) ||
    !Array.isArray(values)
  ) {
    throw new ClusteringInputError(
      "result",
      typeof result,
      "clusterMedians: result must be a medianGeneExpression answer with geneIds, tissueIds and values (genes × tissues)",
      "pass what medianGeneExpression returns",
    );
  }
  if (values.length !== geneIds.length) {
    throw new ClusteringInputError(
      "values",
      values.length,
      `clusterMedians: values has ${values.length} rows but there are ${geneIds.length} genes`,
      "values needs one row per gene",
    );
  }
  values.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== tissueIds.length) {
      throw new ClusteringInputError(
        `values[${i}]`,
        row?.length,
        `clusterMedians: values[${i}] (${
          geneIds[i]
        }) has ${row?.length} entries but there are ${tissueIds.length} tissues`,
        "each row needs one median per tissue",
      );
    }
    row.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new ClusteringInputError(
          `values[${i}][${j}]`,
          v,
          `clusterMedians: median of ${geneIds[i]} in ${tissueIds[j]} is ${v}; every median must be a finite number`,
          "drop the gene or tissue with missing medians",
        );
      }
    });
  });
  const method = options.method ?? DEFAULT_LINKAGE_METHOD;
  const metric = options.metric ?? DEFAULT_DISTANCE_METRIC;
  const x = transformMatrix(values, transform);
  const xt = tissueIds.map((_, j) => x.map((row) => row[j]));

  const side = (m: number[][], labels: string[]) => {
    // No genes leaves the tissues as empty vectors: no tree on either side.
    if (m.length < 2 || geneIds.length === 0) {
      return {
        newick: NOT_ENOUGH_DATA,
        tree: null,
        linkage: null,
        order: [...labels],
      };
    }
    const res = hclust(m, { method, metric, optimalOrdering: true, labels });
    const newick = toNewick(res.linkage, labels);
    return {
      newick,
      tree: parseNewick(newick),
      linkage: res.linkage,
      order: res.order.map((i) => labels[i]),
    };
  };
  const g = side(x, geneIds);
  const t = side(xt, tissueIds);
  // The result shows itself in Jupyter (the trees drawn).
  return tagResult({
    clusters: { gene: g.newick, tissue: t.newick },
    geneTree: g.tree,
    tissueTree: t.tree,
    geneLinkage: g.linkage,
    tissueLinkage: t.linkage,
    geneOrder: g.order,
    tissueOrder: t.order,
    transform,
    metric,
    method,
  }, "clustering");
}

/**
 * Dendrograms from Newick trees: the d3-hierarchy cluster layout places the leaves, branch lengths
 * give the heights, and the elbows become line segments that Plot draws with `link`.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
// @ts-types="npm:@types/d3-hierarchy@3"
import { cluster, hierarchy, type HierarchyNode } from "d3-hierarchy";
import type { NewickNode } from "../analysis/clustering/newick.ts";
import { serverChildOrder } from "../analysis/clustering/linkage.ts";
import { checkChoice, figureOptions } from "./_check.ts";
import { type FigureOverrides, mergePlotOptions, PlotFigure } from "./figure.ts";
import { formatNumber } from "../_core/format.ts";
import { textWidth } from "./_text.ts";
import { niceTicks } from "./legend.ts";

/** A dendrogram laid out in abstract units: leaf i at position i, a node at its merge height. */
export interface DendrogramLayout {
  /** Leaf labels, left to right (or top to bottom). */
  leaves: string[];
  /** Elbow segments: for each inner node one crossbar at its height and one stem per child. */
  segments: { x1: number; y1: number; x2: number; y2: number }[];
  /** Height of the root (the largest height). */
  height: number;
}

/** Options of {@link dendrogramLayout}. */
export interface DendrogramLayoutOptions {
  /**
   * `"server"` (default): the tree was written as the RatGTEx server (and scipy's `to_tree` + its writer)
   * write it, right child first; it is drawn in scipy's left-to-right order (`leaves_list`).
   * `"as-written"`: children in the order the text gives them.
   */
  childOrder?: "server" | "as-written";
}

/**
 * Lay out a Newick tree as a dendrogram. Heights come from branch lengths (leaf at 0, a node at the
 * largest child height + branch length); a tree without lengths uses topological height.
 *
 * @param tree A parsed tree (`parseNewick`).
 * @param options Child order.
 * @returns Leaves in drawing order and the elbow segments (x = leaf position, y = height).
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import { parseNewick } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const layout = plots.dendrogramLayout(parseNewick("((Rtel1:1,Polr3k:1):2,Eno1:3);")!);
 * assert.deepEqual(layout.leaves, ["Eno1", "Polr3k", "Rtel1"]); // scipy's order for the server's trees
 * assert.equal(layout.height, 3);
 * assert.equal(layout.segments.length, 6); // a crossbar and two stems per inner node
 * ```
 */
export function dendrogramLayout(tree: NewickNode, options: DendrogramLayoutOptions = {}): DendrogramLayout {
  const childOrder = checkChoice(
    options.childOrder ?? "server",
    "options.childOrder",
    ["server", "as-written"],
    "dendrogramLayout",
  );
  const root: HierarchyNode<NewickNode> = hierarchy<NewickNode>(
    tree,
    (d) => d.children.length === 0 ? undefined : childOrder === "server" ? serverChildOrder(d.children) : d.children,
  );
  // nodeSize (not size) keeps leaves exactly 1 apart; separation 1 stops wider gaps between subtrees.
  // Inner nodes sit at the mean of their children, as d3's cluster layout places them.
  cluster<NewickNode>().separation(() => 1).nodeSize([1, 1])(root);
  const first = root.leaves()[0].x!;
  root.each((n) => {
    n.x = n.x! - first;
  });
  const useLengths = root.descendants().every((n) => n === root || n.data.length !== null);
  const heightOf = new Map<HierarchyNode<NewickNode>, number>();
  root.eachAfter((n) => {
    if (!n.children) heightOf.set(n, 0);
    else {
      heightOf.set(n, Math.max(...n.children.map((c) => heightOf.get(c)! + (useLengths ? c.data.length! : 1))));
    }
  });
  const segments: DendrogramLayout["segments"] = [];
  root.each((n) => {
    if (!n.children) return;
    const h = heightOf.get(n)!;
    const xs = n.children.map((c) => c.x!);
    segments.push({ x1: Math.min(...xs), y1: h, x2: Math.max(...xs), y2: h });
    for (const c of n.children) segments.push({ x1: c.x!, y1: heightOf.get(c)!, x2: c.x!, y2: h });
  });
  const leaves = root.leaves().map((l) => l.data.name ?? "");
  return { leaves, segments, height: heightOf.get(root)! };
}

/** Where to draw a dendrogram, in the plot's coordinates. */
export interface DendrogramPlacement {
  /** `"top"`: leaves along x at the bottom edge, root up; `"left"`: leaves along y at the right edge, root left. */
  side: "top" | "left";
  /** Coordinate of leaf i: `leafStart + (i + 0.5) * leafStep`. */
  leafStart: number;
  /** Distance between leaves. */
  leafStep: number;
  /** Coordinate of the leaves' edge (height 0). */
  base: number;
  /** Coordinate of the root (the tallest height). */
  tip: number;
}

/**
 * A dendrogram as one Plot `link` mark (one straight segment per datum), on identity-like coordinates.
 *
 * @param layout From {@link dendrogramLayout}.
 * @param placement Where to draw it.
 * @param options Mark options (default: stroke `#555`, width 1).
 * @returns The mark.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import { parseNewick } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const layout = plots.dendrogramLayout(parseNewick("((a:1,b:1):2,c:3);")!);
 * const mark = plots.dendrogramMark(layout, { side: "top", leafStart: 0, leafStep: 20, base: 100, tip: 10 });
 * const fig = plots.renderFigure({ x: { type: "identity", axis: null }, y: { type: "identity", axis: null }, marks: [mark] });
 * assert.equal(fig.svg!.match(/<path/g)!.length, 6); // one path per segment
 * ```
 */
export function dendrogramMark(
  layout: DendrogramLayout,
  placement: DendrogramPlacement,
  options: Plot.LinkOptions = {},
): Plot.Link {
  const { side, leafStart, leafStep, base, tip } = placement;
  const along = (x: number) => leafStart + (x + 0.5) * leafStep;
  const across = (h: number) => (layout.height > 0 ? base + ((tip - base) * h) / layout.height : base);
  const rows = layout.segments.map((s) =>
    side === "top"
      ? { x1: along(s.x1), x2: along(s.x2), y1: across(s.y1), y2: across(s.y2) }
      : { y1: along(s.x1), y2: along(s.x2), x1: across(s.y1), x2: across(s.y2) }
  );
  return Plot.link(rows, { x1: "x1", y1: "y1", x2: "x2", y2: "y2", stroke: "#555", strokeWidth: 1, ...options });
}

/** Options of {@link dendrogram}; any Plot option overrides the defaults. */
export interface DendrogramOptions extends FigureOverrides {
  /** How the tree was written (default `"server"`). */
  childOrder?: "server" | "as-written";
  /** Pixels per leaf (default 22). */
  leafStep?: number;
  /** Leaf label colour, e.g. `tissueColor` for tissue trees (default: none, plain text). */
  leafColor?: (label: string) => string | null;
}

/**
 * A dendrogram on its own: leaves along the bottom (labels rotated), root at the top, heights from the
 * branch lengths with an axis. Leaves with a `leafColor` get a coloured square.
 *
 * Marks: one `link` (3 segments per inner node of a binary tree), `text` leaf labels, `rect` swatches.
 *
 * @param tree A parsed tree (`parseNewick`, or `geneTree`/`tissueTree` of a result).
 * @param options Child order, spacing, leaf colours, and any Plot option to override.
 * @returns The figure.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import { parseNewick } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const fig = plots.dendrogram(parseNewick("((IL:1,PL:1):2,Eye:3);")!, { leafColor: plots.tissueColor });
 * for (const color of ["#377eb8", "#984ea3", "#ff66ff"]) assert.ok(fig.svg!.includes(color)); // a swatch per leaf
 * ```
 */
export function dendrogram(tree: NewickNode, options: DendrogramOptions = {}): PlotFigure {
  figureOptions<DendrogramOptions>("dendrogram", options, {
    childOrder: "string",
    leafStep: "number",
    leafColor: "function",
  });
  const { childOrder = "server", leafStep = 22, leafColor, title, ...plot } = options;
  const layout = dendrogramLayout(tree, { childOrder });
  const n = layout.leaves.length;
  const left = 56;
  const top = 10;
  const treeHeight = 110;
  const base = top + treeHeight;
  const labelDrop = Math.max(...layout.leaves.map((l) => textWidth(l, 10))) * Math.SQRT1_2 + 16;
  const width = Math.max(200, Math.ceil(left + n * leafStep + 30));
  const colors = layout.leaves.map((l) => leafColor?.(l) ?? null);
  const hasSwatches = colors.some((c) => c !== null);
  const labelTop = base + (hasSwatches ? 14 : 4);
  const marks: Plot.Markish[] = [
    dendrogramMark(layout, { side: "top", leafStart: left, leafStep, base, tip: top }),
    Plot.text(layout.leaves, {
      x: (_l: string, i: number) => left + (i + 0.5) * leafStep,
      y: labelTop,
      text: (l: string) => l,
      rotate: -45,
      textAnchor: "end",
      fontSize: 10,
    }),
    Plot.ruleX([left - 8], { y1: base, y2: top, stroke: "#999" }),
    Plot.text(niceTicks(0, layout.height, 4), {
      x: left - 11,
      y: (h: number) => (layout.height > 0 ? base - (treeHeight * h) / layout.height : base),
      text: (h: number) => formatNumber(h),
      textAnchor: "end",
      fontSize: 9,
      fill: "#666",
    }),
  ];
  if (hasSwatches) {
    const swatches = layout.leaves.flatMap((_l, i) => (colors[i] === null ? [] : [{ i, color: colors[i]! }]));
    marks.push(Plot.rect(swatches, {
      x1: (d: { i: number }) => left + (d.i + 0.5) * leafStep - 5,
      x2: (d: { i: number }) => left + (d.i + 0.5) * leafStep + 5,
      y1: base + 2,
      y2: base + 12,
      fill: "color",
    }));
  }
  const defaults: FigureOverrides = {
    width,
    height: Math.ceil(labelTop + labelDrop),
    margin: 0,
    x: { type: "identity", axis: null },
    y: { type: "identity", axis: null },
    marks,
  };
  return new PlotFigure(mergePlotOptions(defaults, plot), typeof title === "string" ? { title } : {});
}

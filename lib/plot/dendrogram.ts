/**
 * Dendrograms from Newick trees: the d3-hierarchy cluster layout places the leaves, branch lengths
 * give the heights, and the elbows become line segments that Plot draws with `link`.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
// @ts-types="npm:@types/d3-hierarchy@3"
import { cluster, hierarchy, type HierarchyNode } from "d3-hierarchy";
import type { NewickNode } from "../analysis/newick.ts";

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
 * import { parseNewick, plots } from "ratgtex";
 * const layout = plots.dendrogramLayout(parseNewick("((Rtel1:1,Polr3k:1):2,Eno1:3);")!);
 * layout.leaves; // ["Eno1", "Polr3k", "Rtel1"]
 * ```
 */
export function dendrogramLayout(tree: NewickNode, options: DendrogramLayoutOptions = {}): DendrogramLayout {
  const childOrder = options.childOrder ?? "server";
  if (childOrder !== "server" && childOrder !== "as-written") {
    throw new RangeError(`dendrogramLayout: childOrder is ${JSON.stringify(childOrder)}; use "server" or "as-written"`);
  }
  const root: HierarchyNode<NewickNode> = hierarchy<NewickNode>(
    tree,
    (d) => d.children.length === 0 ? undefined : childOrder === "server" ? [...d.children].reverse() : d.children,
  );
  const leafCount = root.leaves().length;
  // Even spacing: leaf k at x = k (cluster's default separation would widen gaps between subtrees).
  cluster<NewickNode>().separation(() => 1).size([Math.max(leafCount - 1, 0), 1])(root);
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
 * import { parseNewick, plots } from "ratgtex";
 * const layout = plots.dendrogramLayout(parseNewick("((a:1,b:1):2,c:3);")!);
 * plots.dendrogramMark(layout, { side: "top", leafStart: 0, leafStep: 20, base: 100, tip: 10 });
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

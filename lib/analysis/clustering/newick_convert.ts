/**
 * Converting parsed Newick trees: to d3-hierarchy nodes for layouts ({@link toHierarchy}) and back to
 * a scipy-style linkage ({@link newickToLinkage}).
 *
 * @module
 */

// @ts-types="npm:@types/d3-hierarchy@3"
import { hierarchy, type HierarchyNode } from "d3-hierarchy";
import { leavesList } from "./leaves.ts";
import { type ChildOrder, ClusteringInputError, type LinkageRow, serverChildOrder } from "./linkage.ts";
import type { NewickNode } from "./newick_read.ts";

/**
 * A d3-hierarchy node over a parsed tree (for `d3.cluster()`/`d3.tree()` layouts); leaves have
 * no `children`. Each node's `data` is the {@link NewickNode}.
 *
 * @param tree The root of a parsed tree.
 * @returns `d3.hierarchy(tree)`.
 *
 * @example
 * ```ts
 * import { parseNewick, toHierarchy } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const root = toHierarchy(parseNewick("((a:1,b:1):2,c:3);")!);
 * assert.deepEqual(root.leaves().map((d) => d.data.name), ["a", "b", "c"]);
 * ```
 */
export function toHierarchy(tree: NewickNode): HierarchyNode<NewickNode> {
  // d3.hierarchy computes heights in O(n · depth) (quadratic on a 100,000-deep chain), so build
  // the same nodes with d3's own Node class and set heights in one post-order pass.
  const root = hierarchy<NewickNode>(tree, () => undefined);
  const Node = root.constructor as new (data: NewickNode) => HierarchyNode<NewickNode>;
  const order: HierarchyNode<NewickNode>[] = [];
  const stack: HierarchyNode<NewickNode>[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    order.push(node);
    const kids = node.data.children;
    if (kids.length === 0) continue;
    const children = kids.map((c) => {
      const child = new Node(c);
      (child as { parent: HierarchyNode<NewickNode> | null }).parent = node;
      (child as { depth: number }).depth = node.depth + 1;
      return child;
    });
    node.children = children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    let h = 0;
    for (const c of node.children ?? []) h = Math.max(h, c.height + 1);
    (node as { height: number }).height = h;
  }
  return root;
}

/** Options of {@link newickToLinkage}. */
export interface NewickToLinkageOptions {
  /**
   * Leaf numbering: `labels[i]` is leaf `i` (e.g. the gene IDs in query order, so the linkage
   * matches {@link hclust}'s). Default: leaves numbered in the order they are written.
   */
  labels?: readonly string[];
  /**
   * `"server"` (default): children are written right then left, as the RatGTEx server does, so
   * the last written child is the linkage's left (`a`) side. `"as-written"`: first child is left.
   */
  childOrder?: ChildOrder;
  /** Branch length used where the text gives none; default 1. */
  missingLength?: number;
}

/** The result of {@link newickToLinkage}. */
export interface NewickLinkage {
  /** scipy-style linkage rows `[a, b, height, size]`, sorted by height. */
  linkage: LinkageRow[];
  /** Leaf labels, `labels[i]` naming leaf `i`. */
  labels: string[];
  /** Leaf order, left to right (scipy's `leaves_list`). */
  order: number[];
}

/**
 * Convert a parsed tree back to a scipy-style linkage. A node's height is the largest
 * (child height + child branch length), so a server tree gives back its merge heights (to the
 * 6 digits the text keeps). Nodes with more than two children become successive merges at the
 * same height; nodes with one child are passed through.
 *
 * @param tree The root of a parsed tree.
 * @param options Leaf numbering, child order, default branch length.
 * @returns The linkage, labels and leaf order.
 *
 * @example
 * ```ts
 * import { newickToLinkage, parseNewick } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const tree = parseNewick("((Rtel1:233.244,Polr3k:233.244):1054.57,Eno1:1287.81);")!;
 * const { linkage } = newickToLinkage(tree, { labels: ["Polr3k", "Rtel1", "Eno1"] });
 * assert.deepEqual(linkage, [[0, 1, 233.244, 2], [2, 3, 233.244 + 1054.57, 3]]);
 * ```
 */
export function newickToLinkage(
  tree: NewickNode,
  options: NewickToLinkageOptions = {},
): NewickLinkage {
  const serverOrder = (options.childOrder ?? "server") === "server";
  const missing = options.missingLength ?? 1;
  // Post-order without recursion.
  const post: NewickNode[] = [];
  const stack: NewickNode[] = [tree];
  while (stack.length > 0) {
    const v = stack.pop()!;
    post.push(v);
    for (const c of v.children) stack.push(c);
  }
  post.reverse();
  const leaves = post.filter((v) => v.children.length === 0);
  // post-order visits children last-to-first here; collect leaves in written order instead.
  const written: NewickNode[] = [];
  {
    const st: NewickNode[] = [tree];
    while (st.length > 0) {
      const v = st.pop()!;
      if (v.children.length === 0) written.push(v);
      for (let i = v.children.length - 1; i >= 0; i--) st.push(v.children[i]);
    }
  }
  const n = leaves.length;
  let labels: string[];
  const leafId = new Map<NewickNode, number>();
  if (options.labels) {
    labels = [...options.labels];
    if (labels.length !== n) {
      throw new ClusteringInputError(
        "options.labels",
        labels.length,
        `newickToLinkage: ${labels.length} labels given but the tree has ${n} leaves`,
        "give one label per leaf of the tree",
      );
    }
    const index = new Map<string, number>();
    labels.forEach((l, i) => {
      if (index.has(l)) {
        throw new ClusteringInputError(
          "options.labels",
          l,
          `newickToLinkage: label "${l}" appears twice in options.labels`,
          "labels must be distinct",
        );
      }
      index.set(l, i);
    });
    for (const leaf of written) {
      const i = leaf.name === null ? undefined : index.get(leaf.name);
      if (i === undefined) {
        throw new ClusteringInputError(
          "options.labels",
          leaf.name,
          `newickToLinkage: tree leaf "${leaf.name}" is not in options.labels`,
          "list every leaf name of the tree in options.labels",
        );
      }
      leafId.set(leaf, i);
    }
    if (new Set(leafId.values()).size !== n) {
      throw new ClusteringInputError(
        "tree",
        n,
        "newickToLinkage: the tree's leaf names are not distinct",
        "they must match options.labels one to one",
      );
    }
  } else {
    labels = written.map((leaf, i) => {
      leafId.set(leaf, i);
      return leaf.name ?? "";
    });
  }
  const id = new Map<NewickNode, number>();
  const height = new Map<NewickNode, number>();
  const rows: { a: number; b: number; h: number; s: number; post: number }[] = [];
  const sizes: number[] = [];
  const sizeOf = (c: number): number => (c < n ? 1 : sizes[c - n]);
  let next = n;
  for (const v of post) {
    if (v.children.length === 0) {
      id.set(v, leafId.get(v)!);
      height.set(v, 0);
      continue;
    }
    let h = -Infinity;
    for (const c of v.children) {
      h = Math.max(h, height.get(c)! + (c.length ?? missing));
    }
    height.set(v, h);
    const kids = serverOrder ? serverChildOrder(v.children) : v.children;
    let acc = id.get(kids[0])!;
    for (let i = 1; i < kids.length; i++) {
      const b = id.get(kids[i])!;
      const s = sizeOf(acc) + sizeOf(b);
      rows.push({ a: acc, b, h, s, post: rows.length });
      sizes.push(s);
      acc = next++;
    }
    id.set(v, acc);
  }
  // Sort by height (stable: children stay before parents at equal heights), then renumber.
  const order = rows.map((_, i) => i).sort((p, q) => rows[p].h - rows[q].h);
  const newId = new Int32Array(rows.length);
  order.forEach((r, i) => (newId[r] = i));
  const relabel = (c: number): number => (c < n ? c : n + newId[c - n]);
  const linkage: LinkageRow[] = order.map((
    r,
  ) => [relabel(rows[r].a), relabel(rows[r].b), rows[r].h, rows[r].s]);
  return { linkage, labels, order: n === 1 ? [0] : leavesList(linkage) };
}

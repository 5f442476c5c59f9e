/**
 * Newick trees: writing them byte-identical to the RatGTEx server, parsing what any tool
 * writes, and converting to d3-hierarchy nodes and back to a linkage.
 *
 * The server (api/app.py in daniel-munro/ratgtex) runs scipy's
 * `linkage(d, method="average", optimal_ordering=True)`, `to_tree`, and a `get_newick` that
 * writes each inner node as `(right,left)` (it prepends while recursing) with branch lengths
 * formatted by Python's `"%g"`. {@link serverTree} and {@link toNewick} do exactly that.
 *
 * @module
 */

// @ts-types="npm:@types/d3-hierarchy@3"
import { hierarchy, type HierarchyNode } from "d3-hierarchy";
import { ValidationError } from "../_core/errors.ts";
import { ClusteringInputError, hclust, leavesList, type LinkageRow } from "./hclust.ts";
import { checkLinkage } from "./linkage_check.ts";

/** A node of a parsed Newick tree. */
export interface NewickNode {
  /** Label, or `null` for an unnamed (inner) node. */
  name: string | null;
  /** Branch length to the parent, or `null` when the text gives none. */
  length: number | null;
  /** Children, left to right as written; empty for a leaf. */
  children: NewickNode[];
}

/** What the server writes instead of a tree when there is a single gene (or tissue). */
export const NOT_ENOUGH_DATA = "Not enough data";

/**
 * A Newick text that cannot be parsed (a {@link ValidationError} on parameter `text`):
 * `position` is the 0-based character offset of the problem, shown with an excerpt in the message.
 */
export class NewickParseError extends ValidationError {
  /** 0-based character offset where parsing failed. */
  readonly position: number;
  /**
   * @param message What is wrong.
   * @param position 0-based character offset in the text.
   * @param text The text being parsed (a short excerpt around `position` goes into the message).
   */
  constructor(message: string, position: number, text: string) {
    const from = Math.max(0, position - 20);
    const excerpt = JSON.stringify(text.slice(from, position + 20));
    super(
      "text",
      text,
      `parseNewick: ${message} at position ${position} (near ${excerpt})`,
      "pass one Newick tree: balanced parentheses, labels quoted when they hold ( ) , : ; [ ], ';' at the end",
    );
    this.name = "NewickParseError";
    this.position = position;
  }
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Is `x` exactly equal to `digits × 10^exp10` (digits a decimal integer string)? */
function exactlyEquals(x: number, digits: string, exp10: number): boolean {
  f64[0] = x;
  const lo = u32[0];
  const hi = u32[1];
  const eb = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (eb === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = eb - 1075;
  }
  let lhs = mant;
  let rhs = BigInt(digits);
  if (e2 >= 0) lhs <<= BigInt(e2);
  else rhs <<= BigInt(-e2);
  if (exp10 >= 0) rhs *= 10n ** BigInt(exp10);
  else lhs *= 10n ** BigInt(-exp10);
  return lhs === rhs;
}

/**
 * Format a number as Python's `"%g" % x`: 6 significant digits, rounded half-to-even on the
 * exact binary value, fixed notation for exponents −4…5 and `1e-05` / `1.5e+06` otherwise,
 * trailing zeros removed; `-0`, `inf`, `-inf`, `nan` as Python writes them.
 *
 * @param x Any number.
 * @returns The text Python would write.
 *
 * @example
 * ```ts
 * import { formatG } from "ratgtex";
 * console.log(formatG(1054.566), formatG(0.00001), formatG(1500000), formatG(1.015625));
 * // 1054.57 1e-05 1.5e+06 1.01562
 * ```
 */
export function formatG(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const sign = x < 0 ? "-" : "";
  const a = Math.abs(x);
  // JS rounds exact halves away from zero, Python to even: detect an exact half at digit 7.
  let s = a.toExponential(5);
  const s7 = a.toExponential(6);
  if (
    s7.charCodeAt(7) === 53 /* '5' */ && ((s7.charCodeAt(6) - 48) & 1) === 0
  ) {
    const e7 = Number(s7.slice(9));
    if (exactlyEquals(a, s7[0] + s7.slice(2, 8), e7 - 6)) {
      s = s7.slice(0, 7) + s7.slice(8);
    }
  }
  const ePos = s.indexOf("e");
  const digits = s[0] + s.slice(2, ePos);
  const exp = Number(s.slice(ePos + 1));
  if (exp >= -4 && exp < 6) {
    let out: string;
    if (exp >= 0) {
      const int = digits.slice(0, exp + 1);
      const frac = digits.slice(exp + 1).replace(/0+$/, "");
      out = frac ? `${int}.${frac}` : int;
    } else {
      out = `0.${"0".repeat(-exp - 1)}${digits}`.replace(/0+$/, "");
    }
    return sign + out;
  }
  const frac = digits.slice(1).replace(/0+$/, "");
  const mant = frac ? `${digits[0]}.${frac}` : digits[0];
  const ae = Math.abs(exp);
  return `${sign}${mant}e${exp < 0 ? "-" : "+"}${ae < 10 ? "0" : ""}${ae}`;
}

/**
 * Write a linkage as the RatGTEx server writes its trees (scipy `to_tree` + the server's
 * `get_newick`): `(right,left):length`, leaf lengths = parent height, inner lengths = parent
 * height − node height, all with Python's `%g`, labels verbatim, `;` after the root.
 * Iterative, so deep trees are fine.
 *
 * @param linkage A linkage with n − 1 rows (n ≥ 2).
 * @param labels The n leaf labels.
 * @returns The Newick string.
 *
 * @example
 * ```ts
 * import { toNewick } from "ratgtex";
 * console.log(toNewick([[0, 1, 233.244, 2], [2, 3, 1287.81, 3]], ["Polr3k", "Rtel1", "Eno1"]));
 * // ((Rtel1:233.244,Polr3k:233.244):1054.57,Eno1:1287.81);
 * ```
 */
export function toNewick(
  linkage: readonly (readonly number[])[],
  labels: readonly string[],
): string {
  const n = linkage.length + 1;
  if (linkage.length === 0) {
    throw new ClusteringInputError(
      "linkage",
      linkage.length,
      `toNewick: the linkage is empty; a tree needs at least 2 leaves`,
      `the server writes "${NOT_ENOUGH_DATA}" for a single row (serverTree does too)`,
    );
  }
  checkLinkage(linkage, "toNewick");
  if (labels.length !== n) {
    throw new ClusteringInputError(
      "labels",
      labels.length,
      `toNewick: ${labels.length} labels for a linkage of ${n} leaves`,
      "give one label per leaf",
    );
  }
  const parts: string[] = [];
  // Work stack: a number ≥ 0 is a node id to write (with its parent height in `heights`), a string is literal text.
  const stack: (number | string)[] = [];
  const parentHeight: number[] = [];
  const push = (v: number | string, ph = 0): void => {
    stack.push(v);
    parentHeight.push(ph);
  };
  const root = 2 * n - 2;
  push(root, linkage[n - 2][2]);
  while (stack.length > 0) {
    const v = stack.pop()!;
    const ph = parentHeight.pop()!;
    if (typeof v === "string") {
      parts.push(v);
      continue;
    }
    if (v < n) {
      parts.push(`${labels[v]}:${formatG(ph - 0)}`);
      continue;
    }
    const row = linkage[v - n];
    if (!row || row.length < 3) {
      throw new ClusteringInputError(
        "linkage",
        v,
        `toNewick: node ${v} refers to linkage row ${v - n}, which does not exist`,
        "pass a valid linkage (from hclust)",
      );
    }
    const h = row[2];
    // Emit "(" right "," left ")" suffix: push in reverse.
    push(v === root ? ");" : `):${formatG(ph - h)}`);
    push(row[0], h);
    push(",");
    push(row[1], h);
    parts.push("(");
  }
  return parts.join("");
}

/**
 * Exactly the Newick string the RatGTEx server returns for these rows: average linkage,
 * Euclidean distance, optimal leaf ordering, written by the server's `get_newick`; the literal
 * `"Not enough data"` for fewer than 2 rows. Gene tree: rows = genes (values[gene][tissue]);
 * tissue tree: pass the transpose and the tissue IDs.
 *
 * @param matrix One row per leaf (e.g. a gene's medians across tissues).
 * @param labels One label per row.
 * @returns The server's Newick text.
 *
 * @example
 * ```ts
 * import { serverTree } from "ratgtex";
 * console.log(serverTree([[0, 1], [0, 3], [4, 4]], ["a", "b", "c"])); // ((a:2,b:2):2.56155,c:4.56155);
 * console.log(serverTree([[1, 2]], ["only"])); // Not enough data
 * ```
 */
export function serverTree(matrix: number[][], labels: string[]): string {
  if (matrix.length !== labels.length) {
    throw new ClusteringInputError(
      "labels",
      labels.length,
      `serverTree: ${matrix.length} rows but ${labels.length} labels`,
      "give one label per row",
    );
  }
  if (matrix.length < 2) return NOT_ENOUGH_DATA;
  const res = hclust(matrix, {
    method: "average",
    metric: "euclidean",
    optimalOrdering: true,
    labels,
  });
  return toNewick(res.linkage, res.labels);
}

// ---------------------------------------------------------------------------------------------
// Parsing

const OPEN = 40; // (
const CLOSE = 41; // )
const COMMA = 44;
const COLON = 58;
const SEMI = 59;
const LBRACK = 91;
const RBRACK = 93;
const SQUOTE = 39;
const DQUOTE = 34;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

const NUMBER_RE = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:inf(?:inity)?|nan)/iy;

/**
 * Parse Newick text into a tree of {@link NewickNode}s. Tolerant of what other tools write:
 * whitespace and line breaks anywhere between tokens, comments in `[ ]` (nested too), quoted
 * labels (`'it''s'`, `"a b"`), inner-node labels, missing branch lengths, exponents, `inf`/`nan`,
 * a missing final `;`. Underscores are kept as written; blanks inside unquoted labels are kept, blanks around them trimmed. Iterative: 100,000 levels of nesting
 * are fine. The server's `"Not enough data"` gives `null`.
 *
 * @param text Newick text.
 * @returns The root node, or `null` for `"Not enough data"`.
 * @throws {NewickParseError} On malformed text, with the position of the problem.
 *
 * @example
 * ```ts
 * import { parseNewick } from "ratgtex";
 * const tree = parseNewick("((Rtel1:233.244,Polr3k:233.244):1054.57,Eno1:1287.81);");
 * console.log(tree?.children[1]); // { name: "Eno1", length: 1287.81, children: [] }
 * ```
 */
export function parseNewick(text: string): NewickNode | null {
  if (typeof text !== "string") {
    throw new ClusteringInputError(
      "text",
      text === null ? "null" : typeof text,
      `parseNewick: text must be a string, got ${text === null ? "null" : typeof text}`,
      "pass the Newick text",
    );
  }
  if (text.trim() === NOT_ENOUGH_DATA) return null;
  const len = text.length;
  let pos = 0;

  const skip = (): void => {
    while (pos < len) {
      const c = text.charCodeAt(pos);
      if (isSpace(c)) pos++;
      else if (c === LBRACK) {
        const start = pos;
        let depth = 0;
        do {
          const d = text.charCodeAt(pos);
          if (d === LBRACK) depth++;
          else if (d === RBRACK) depth--;
          pos++;
        } while (depth > 0 && pos < len);
        if (depth > 0) {
          throw new NewickParseError("unterminated comment '['", start, text);
        }
      } else return;
    }
  };

  const parseLabel = (): string | null => {
    skip();
    if (pos >= len) return null;
    const c = text.charCodeAt(pos);
    if (c === SQUOTE || c === DQUOTE) {
      const start = pos;
      pos++;
      let out = "";
      for (;;) {
        const end = text.indexOf(String.fromCharCode(c), pos);
        if (end < 0) {
          throw new NewickParseError("unterminated quoted label", start, text);
        }
        out += text.slice(pos, end);
        pos = end + 1;
        // A doubled quote inside a quoted label stands for one quote.
        if (pos < len && text.charCodeAt(pos) === c) {
          out += String.fromCharCode(c);
          pos++;
        } else break;
      }
      return out;
    }
    const start = pos;
    while (pos < len) {
      const d = text.charCodeAt(pos);
      if (
        d === OPEN || d === CLOSE || d === COMMA || d === COLON || d === SEMI ||
        d === LBRACK
      ) break;
      if (d === SQUOTE || d === DQUOTE) {
        throw new NewickParseError("quote inside an unquoted label", pos, text);
      }
      pos++;
    }
    const label = text.slice(start, pos).trim();
    return label === "" ? null : label;
  };

  const parseLength = (): number | null => {
    skip();
    if (pos >= len || text.charCodeAt(pos) !== COLON) return null;
    pos++;
    skip();
    NUMBER_RE.lastIndex = pos;
    const m = NUMBER_RE.exec(text);
    if (!m) {
      throw new NewickParseError("expected a number after ':'", pos, text);
    }
    pos += m[0].length;
    const lower = m[0].toLowerCase();
    if (lower.includes("nan")) return NaN;
    if (lower.includes("inf")) {
      return lower.startsWith("-") ? -Infinity : Infinity;
    }
    return Number(m[0]);
  };

  skip();
  if (pos >= len) {
    throw new NewickParseError(
      "empty text; expected a tree such as '(A:1,B:1);'",
      0,
      text,
    );
  }
  const root: NewickNode = { name: null, length: null, children: [] };
  const open: { node: NewickNode; at: number }[] = [];
  let node = root;
  let expectNode = true;
  for (;;) {
    skip();
    if (expectNode) {
      if (pos < len && text.charCodeAt(pos) === OPEN) {
        open.push({ node, at: pos });
        const child: NewickNode = { name: null, length: null, children: [] };
        node.children.push(child);
        node = child;
        pos++;
        continue;
      }
      node.name = parseLabel();
      node.length = parseLength();
      expectNode = false;
      continue;
    }
    if (pos >= len) break;
    const c = text.charCodeAt(pos);
    if (c === COMMA) {
      if (open.length === 0) {
        throw new NewickParseError("',' outside any parentheses", pos, text);
      }
      const sibling: NewickNode = { name: null, length: null, children: [] };
      open[open.length - 1].node.children.push(sibling);
      node = sibling;
      expectNode = true;
      pos++;
    } else if (c === CLOSE) {
      if (open.length === 0) {
        throw new NewickParseError(
          "unbalanced ')' with no matching '('",
          pos,
          text,
        );
      }
      node = open.pop()!.node;
      pos++;
      node.name = parseLabel();
      node.length = parseLength();
    } else if (c === SEMI) {
      break;
    } else {
      throw new NewickParseError(
        `unexpected character ${JSON.stringify(text[pos])}; expected ',', ')' or ';'`,
        pos,
        text,
      );
    }
  }
  if (open.length > 0) {
    const at = open[open.length - 1].at;
    throw new NewickParseError(
      `unbalanced '(' (${open.length} left open)`,
      at,
      text,
    );
  }
  if (pos < len) {
    pos++; // the ';'
    skip();
    if (pos < len) {
      throw new NewickParseError(
        "text after the final ';' (one tree per string)",
        pos,
        text,
      );
    }
  }
  return root;
}

function quoteLabel(name: string): string {
  return /^[^\s()[\]':;,"]+$/.test(name) ? name : `'${name.replaceAll("'", "''")}'`;
}

/**
 * Write a {@link NewickNode} tree as Newick text (children in their stored order, labels
 * quoted when they need it, lengths in shortest round-trip form), so that
 * `parseNewick(formatNewick(t))` equals `t`. Iterative.
 *
 * @param tree The root.
 * @returns Newick text ending in `;`.
 *
 * @example
 * ```ts
 * import { formatNewick } from "ratgtex";
 * console.log(formatNewick({ name: null, length: null, children: [
 *   { name: "gene A", length: 1.5, children: [] }, { name: "B", length: 2, children: [] }] }));
 * // ('gene A':1.5,B:2);
 * ```
 */
export function formatNewick(tree: NewickNode): string {
  const parts: string[] = [];
  const stack: (NewickNode | string)[] = [tree];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === "string") {
      parts.push(item);
      continue;
    }
    const tail = (item.name !== null ? quoteLabel(item.name) : "") +
      (item.length !== null ? `:${String(item.length)}` : "");
    if (item.children.length === 0) {
      parts.push(tail);
      continue;
    }
    parts.push("(");
    stack.push(")" + tail);
    for (let i = item.children.length - 1; i >= 0; i--) {
      stack.push(item.children[i]);
      if (i > 0) stack.push(",");
    }
  }
  return parts.join("") + ";";
}

/**
 * A d3-hierarchy node over a parsed tree (for `d3.cluster()`/`d3.tree()` layouts); leaves have
 * no `children`. Each node's `data` is the {@link NewickNode}.
 *
 * @param tree The root of a parsed tree.
 * @returns `d3.hierarchy(tree)`.
 *
 * @example
 * ```ts
 * import { parseNewick, toHierarchy } from "ratgtex";
 * const root = toHierarchy(parseNewick("((a:1,b:1):2,c:3);")!);
 * console.log(root.leaves().map((d) => d.data.name)); // ["a", "b", "c"]
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
  childOrder?: "server" | "as-written";
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
 * import { newickToLinkage, parseNewick } from "ratgtex";
 * const tree = parseNewick("((Rtel1:233.244,Polr3k:233.244):1054.57,Eno1:1287.81);")!;
 * const { linkage } = newickToLinkage(tree, { labels: ["Polr3k", "Rtel1", "Eno1"] });
 * console.log(linkage); // [[0, 1, 233.244, 2], [2, 3, 1287.814, 3]] (233.244 + 1054.57)
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
    const kids = serverOrder ? [...v.children].reverse() : v.children;
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

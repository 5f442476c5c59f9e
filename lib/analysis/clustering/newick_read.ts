/**
 * Reading Newick text: {@link parseNewick} parses what any tool writes into {@link NewickNode}s; a
 * malformed text is a {@link NewickParseError} (a `RatGtexError`, not a `ValidationError`: the text
 * may come from the server).
 *
 * @module
 */

import { RatGtexError } from "../../_core/errors.ts";
import { ClusteringInputError } from "./linkage.ts";

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
 * A Newick text that cannot be parsed: a {@link RatGtexError} but NOT a `ValidationError`, because the
 * text may come from the server (a malformed tree in an answer is not the caller's fault). `position`
 * is the 0-based character offset of the problem, shown with an excerpt in the message; `parameter` is
 * `"text"` and `value` the text, as before.
 *
 * @example
 * ```ts
 * import { RatGtexError, ValidationError } from "ratgtex";
 * import { NewickParseError, parseNewick } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * let err: unknown;
 * try {
 *   parseNewick("((a,b);");
 * } catch (e) {
 *   err = e;
 * }
 * assert.ok(err instanceof NewickParseError && err.position === 0);
 * assert.ok(err instanceof RatGtexError && !(err instanceof ValidationError));
 * ```
 */
export class NewickParseError extends RatGtexError {
  /** 0-based character offset where parsing failed. */
  readonly position: number;
  /** The parameter holding the text: `"text"`. */
  readonly parameter: string;
  /** The text being parsed. */
  readonly value: unknown;
  /**
   * Build the error; the message names the position and shows an excerpt of the text around it.
   *
   * @param message What is wrong.
   * @param position 0-based character offset in the text.
   * @param text The text being parsed (a short excerpt around `position` goes into the message).
   */
  constructor(message: string, position: number, text: string) {
    const from = Math.max(0, position - 20);
    const excerpt = JSON.stringify(text.slice(from, position + 20));
    super(`parseNewick: ${message} at position ${position} (near ${excerpt})`, {
      hint: "pass one Newick tree: balanced parentheses, labels quoted when they hold ( ) , : ; [ ], ';' at the end",
    });
    this.name = "NewickParseError";
    this.position = position;
    this.parameter = "text";
    this.value = text;
  }
}

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
 * import { parseNewick } from "ratgtex/analysis";
 * import assert from "node:assert/strict";
 * const tree = parseNewick("((Rtel1:233.244,Polr3k:233.244):1054.57,Eno1:1287.81);");
 * assert.deepEqual(tree?.children[1], { name: "Eno1", length: 1287.81, children: [] });
 * assert.equal(parseNewick("Not enough data"), null);
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

/**
 * The server-side DOM that Plot draws into (linkedom), and the two repairs its output needs before a
 * browser or JupyterLab will show it: the SVG namespace on every `<svg>`, and IDs that do not depend on
 * how many figures the process drew before.
 *
 * @module
 */
import type * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/** The DOM document type Plot's `document` option takes. */
export type ServerDocument = NonNullable<Plot.PlotOptions["document"]>;

/** The SVG namespace: an `<svg>` without it renders nothing inside an `<img>` (JupyterLab's SVG view). */
export const SVG_NS = "http://www.w3.org/2000/svg";
const XLINK_NS = "http://www.w3.org/1999/xlink";

let shared: ServerDocument | undefined;

/**
 * A linkedom document for Plot's `document` option. Plot only creates detached elements in it, so one
 * document serves every figure.
 */
export function serverDocument(): ServerDocument {
  if (shared === undefined) {
    const window = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>") as unknown as {
      document: unknown;
    };
    shared = window.document as ServerDocument;
  }
  return shared;
}

/**
 * Add `xmlns` (and `xmlns:xlink` where `xlink:` is used) to every `<svg>` start tag that lacks it.
 *
 * @param markup SVG or HTML text.
 * @returns The text with namespaced `<svg>` elements.
 */
export function ensureXmlns(markup: string): string {
  const needsXlink = markup.includes("xlink:");
  return markup.replace(/<svg(?=[\s>\/])([^>]*)>/g, (_whole, attrs: string) => {
    let extra = "";
    if (!/\sxmlns\s*=/.test(attrs)) extra += ` xmlns="${SVG_NS}"`;
    if (needsXlink && !/\sxmlns:xlink\s*=/.test(attrs)) extra += ` xmlns:xlink="${XLINK_NS}"`;
    return `<svg${extra}${attrs}>`;
  });
}

/**
 * FNV-1a, 32 bits, as 8 hex digits: a short content hash for ID prefixes.
 *
 * @param text Any text.
 * @returns 8 lower-case hex digits.
 */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Rewrite every `id` (and its `url(#…)` / `href="#…"` references) to `<hash>-<n>`: n counts IDs in
 * order of appearance and the hash is of the markup with IDs blanked. Plot's clip-path and marker IDs
 * come from process-global counters; after this the same figure always has the same bytes, and two
 * different figures on one page cannot collide.
 *
 * @param markup SVG or HTML text.
 * @returns The text with content-based IDs.
 */
export function stabilizeIds(markup: string): string {
  const ids: string[] = [];
  for (const m of markup.matchAll(/\sid="([^"]+)"/g)) if (!ids.includes(m[1])) ids.push(m[1]);
  if (ids.length === 0) return markup;
  const rewrite = (text: string, name: (k: number) => string) => {
    let out = text;
    ids.forEach((id, k) => {
      const e = escapeRegExp(id);
      out = out
        .replace(new RegExp(`(\\sid=")${e}(")`, "g"), `$1${name(k)}$2`)
        .replace(new RegExp(`url\\(#${e}\\)`, "g"), `url(#${name(k)})`)
        .replace(new RegExp(`((?:xlink:)?href="#)${e}(")`, "g"), `$1${name(k)}$2`);
    });
    return out;
  };
  const blank = rewrite(markup, (k) => `\uE000${k}`);
  const prefix = `rg${fnv1a(blank)}`;
  return blank.replace(/\uE000(\d+)/g, (_m, k: string) => `${prefix}-${k}`);
}

/**
 * What a library result is, said by the result itself, and how it shows itself in Jupyter.
 *
 * Results below the display layer (regressions, `dyneqtl` answers, median expression, clusterings) are
 * plain objects tagged with their kind by {@link tagResult}. The tag adds one non-enumerable method under
 * `Symbol.for("Jupyter.display")` (the key Deno's kernel looks up) that asks the renderer registered for
 * the kind; `lib/jupyter/` registers them. So no module below `jupyter/` imports display or plot code,
 * and the display layer never guesses a result's kind from its fields.
 *
 * @module
 */
import { escapeControl } from "./escape.ts";

/** The key Deno's Jupyter kernel looks up to display an object richly (`Deno.jupyter` throws outside it). */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** The key under which a tagged result carries its {@link ResultKind}. */
export const RESULT_KIND: unique symbol = Symbol.for("ratgtex.resultKind") as never;

/** A MIME bundle for Deno's kernel: plain text always, HTML and SVG when there is a picture or a table. */
export interface DisplayBundle {
  /** Plain text (no ANSI escapes), for terminals and as the fallback. */
  "text/plain": string;
  /** HTML (tables, inline SVG). */
  "text/html"?: string;
  /** A standalone SVG document. */
  "image/svg+xml"?: string;
}

/** The kinds of tagged results. */
export type ResultKind = "dyneqtl" | "regression" | "median" | "clustering";

type Renderer = (value: object) => DisplayBundle;
const renderers = new Map<ResultKind, Renderer>();

/** Register how results of one kind display (the display layer calls this once per kind at import). */
export function registerRenderer(kind: ResultKind, render: Renderer): void {
  renderers.set(kind, render);
}

/** The bundle for a tagged result: its kind's renderer, or plain text when none is registered. */
export function renderResult(value: object, kind: ResultKind): DisplayBundle {
  const render = renderers.get(kind);
  if (!render) return { "text/plain": Deno.inspect(value, { colors: false, depth: 4 }) };
  // Server text in a summary (IDs, alleles, trees) never reaches a terminal with its control characters.
  const bundle = render(value);
  return { ...bundle, "text/plain": escapeControl(bundle["text/plain"]) };
}

/**
 * Tag a result with its kind (non-enumerable, so it stays out of `Object.keys`, JSON and spreads) and make
 * a notebook cell that ends in it show its kind's rendering.
 */
export function tagResult<T extends object>(obj: T, kind: ResultKind): T {
  Object.defineProperty(obj, RESULT_KIND, { value: kind, enumerable: false, configurable: true, writable: true });
  Object.defineProperty(obj, JUPYTER_DISPLAY, {
    value: () => renderResult(obj, kind),
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return obj;
}

/** The kind a result was tagged with, or `null`. */
export function resultKind(value: unknown): ResultKind | null {
  if (typeof value !== "object" || value === null) return null;
  return ((value as Record<symbol, unknown>)[RESULT_KIND] as ResultKind | undefined) ?? null;
}

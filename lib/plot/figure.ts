/**
 * A rendered figure: Plot draws into the server-side DOM, and the result is assembled into ONE
 * standalone SVG (title, subtitle, legends, the plot, notes) with the SVG namespace and content-based
 * IDs, so it shows the same in JupyterLab (SVG in an `<img>`), VS Code, a browser or a file.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { Buffer } from "node:buffer";
import { ensureXmlns, serverDocument, stabilizeIds } from "./_dom.ts";
import { escapeXml } from "../_core/format.ts";
import { escapeControl } from "../_core/escape.ts";
import { ValidationError } from "../_core/errors.ts";
import { writeFileAtomic } from "../_core/atomic_write.ts";
import { wrapText } from "./_text.ts";
import { legendMarkup, type LegendSpec } from "./legend.ts";
import { type DisplayBundle, JUPYTER_DISPLAY } from "../_core/result_kind.ts";
import { settleCellOutputs } from "../_core/kernel.ts";

/** Plot options a figure helper accepts to override its defaults (scales merge key by key; `marks` are appended). */
export type FigureOverrides = Omit<Plot.PlotOptions, "document">;

/** Options of {@link PlotFigure.save} and {@link PlotFigure.png} (used by `.png` only). */
export interface SaveOptions {
  /** PNG pixels per SVG pixel (default 2). */
  scale?: number;
  /** The font for text whose `font-family` names no installed font (default: the platform's user-interface font). */
  fontFamily?: string;
}

const SAVE_OPTIONS = ["scale", "fontFamily"];

function checkSaveOptions(options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new ValidationError("options", options, "is not an object", "pass e.g. { scale: 2 }");
  }
  for (const key of Object.keys(options)) {
    if (!SAVE_OPTIONS.includes(key)) {
      throw new ValidationError("options", key, "is not an option of save()", `use ${SAVE_OPTIONS.join(" or ")}`);
    }
  }
  const { fontFamily } = options as SaveOptions;
  if (fontFamily !== undefined && (typeof fontFamily !== "string" || fontFamily.trim() === "")) {
    throw new ValidationError("fontFamily", fontFamily, "is not a font family name", 'pass e.g. "DejaVu Sans"');
  }
}

/** Text and legends set around the plot in the assembled SVG. */
export interface FigureDecorations {
  /** Heading (bold, 15 px). */
  title?: string;
  /** Lines under the heading (12 px); long lines wrap. */
  subtitle?: string | readonly string[];
  /** Legends between the subtitle and the plot. */
  legends?: readonly LegendSpec[];
  /** Notes under the plot (11 px, grey); long lines wrap. */
  notes?: string | readonly string[];
}

const SCALE_KEYS = ["x", "y", "fx", "fy", "color", "opacity", "r", "symbol", "length", "facet"] as const;

/**
 * Merge Plot options: scale objects (x, y, fx, fy, color, …) merge key by key, `marks` are concatenated
 * (so overrides add marks on top), everything else in `overrides` wins.
 *
 * @param base The figure's defaults.
 * @param overrides The caller's options.
 * @returns The merged options.
 */
export function mergePlotOptions(base: FigureOverrides, overrides: FigureOverrides = {}): FigureOverrides {
  const out: Record<string, unknown> = { ...base, ...overrides };
  for (const key of SCALE_KEYS) {
    const a = (base as Record<string, unknown>)[key];
    const b = (overrides as Record<string, unknown>)[key];
    if (isPlainObject(a) && isPlainObject(b)) out[key] = { ...a, ...b };
  }
  out.marks = [...(base.marks ?? []), ...(overrides.marks ?? [])];
  return out as FigureOverrides;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x) && Object.getPrototypeOf(x) === Object.prototype;
}

/** Plot's text-valued `title`/`subtitle`/`caption` become decorations (so the result stays one SVG). */
function splitDecorations(
  options: FigureOverrides,
  decorations: FigureDecorations,
): [FigureOverrides, FigureDecorations] {
  const { title, subtitle, caption, ...rest } = options;
  const d = { ...decorations };
  if (typeof title === "string") d.title = title;
  if (typeof subtitle === "string") d.subtitle = subtitle;
  if (typeof caption === "string") d.notes = caption;
  const plotOptions: FigureOverrides = { ...rest };
  // Node-valued ones (rare outside a browser) stay with Plot.
  if (title != null && typeof title !== "string") plotOptions.title = title;
  if (subtitle != null && typeof subtitle !== "string") plotOptions.subtitle = subtitle;
  if (caption != null && typeof caption !== "string") plotOptions.caption = caption;
  return [plotOptions, d as FigureDecorations];
}

/**
 * A figure: the assembled SVG (or HTML when Plot itself made a `<figure>`), the Plot options and marks
 * that drew it, and its decorations. It shows itself in Deno's Jupyter kernel; `with` re-renders it
 * with more options or marks.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import * as Plot from "@observablehq/plot";
 * import assert from "node:assert/strict";
 * const fig = new plots.PlotFigure({ marks: [Plot.dot([[1, 2], [2, 3]])] }, { title: "Two dots" });
 * const more = fig.with({ marks: [Plot.ruleY([0])] }); // a new figure
 * assert.equal(fig.marks.length, 1);
 * assert.equal(more.marks.length, 2);
 * assert.ok(more.svg!.includes(">Two dots</text>"));
 * ```
 */
export class PlotFigure {
  /** The Plot options that drew the plot (without `document`), marks included. */
  readonly options: Readonly<FigureOverrides>;
  /** Title, subtitle, legends and notes around the plot. */
  readonly decorations: Readonly<FigureDecorations>;
  /**
   * The standalone SVG document. When Plot made an HTML `<figure>` (a Plot legend), it is that HTML inside
   * an SVG `<foreignObject>` (browsers show it; `html` is then the better form to embed).
   */
  readonly svg: string;
  /** HTML for inline display: the SVG itself, or Plot's `<figure>` with every inner `<svg>` namespaced. */
  readonly html: string;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Whether `svg` is drawn SVG (false: HTML wrapped in a foreignObject). */
  readonly #nativeSvg: boolean;

  /**
   * Render a figure (prefer {@link renderFigure} or a figure helper).
   *
   * @param options Plot options (without `document`).
   * @param decorations Title, subtitle, legends and notes.
   */
  constructor(options: FigureOverrides, decorations: FigureDecorations = {}) {
    const [plotOptions, d] = splitDecorations(options, decorations);
    this.options = plotOptions;
    this.decorations = d;
    const rendered = assemble(plotOptions, d);
    this.#nativeSvg = rendered.svg !== null;
    this.svg = rendered.svg ?? htmlAsSvg(rendered.html, rendered.width, rendered.height);
    this.html = rendered.html;
    this.width = rendered.width;
    this.height = rendered.height;
  }

  /**
   * Write the figure to a file, by its extension: `.svg` (the SVG document), `.html`/`.htm` (a standalone
   * page) or `.png` (rendered without a browser by resvg, `scale` pixels per SVG pixel, default 2; text in
   * the system's user-interface font, see `options.fontFamily`; needs `--allow-ffi` for the renderer's
   * native module). Written whole or not at all (a temporary file renamed into place).
   *
   * @param path The file to write.
   * @param options For `.png`: `scale` (default 2) and `fontFamily` (the font for text whose families are
   *   not installed; default the first of DejaVu Sans, Liberation Sans, Noto Sans found on Linux, Helvetica
   *   on macOS, Segoe UI or Arial on Windows).
   * @returns The path written.
   * @throws {ValidationError} For another extension (the message names the formats), a bad `scale`, an
   *   unknown option, or `.png` of a figure that is HTML (a Plot legend).
   *
   * @example
   * ```ts
   * import { plots } from "ratgtex";
   * import * as Plot from "@observablehq/plot";
   * import assert from "node:assert/strict";
   * const fig = new plots.PlotFigure({ marks: [Plot.dot([[1, 2]])] }, { title: "One dot" });
   * const dir = await Deno.makeTempDir();
   * await fig.save(`${dir}/dot.svg`);
   * assert.ok((await Deno.readTextFile(`${dir}/dot.svg`)).startsWith("<svg"));
   * await fig.save(`${dir}/dot.html`);
   * assert.match(await Deno.readTextFile(`${dir}/dot.html`), /^<!doctype html>/);
   * await fig.save(`${dir}/dot.png`, { scale: 3 });
   * const png = await Deno.readFile(`${dir}/dot.png`);
   * assert.equal(new DataView(png.buffer).getUint32(16), fig.width * 3); // the PNG's width
   * await assert.rejects(fig.save(`${dir}/dot.gif`), { name: "ValidationError" });
   * ```
   */
  async save(path: string, options: SaveOptions = {}): Promise<string> {
    checkSaveOptions(options);
    const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
    let content: string | Uint8Array;
    if (ext === "svg") content = this.svg;
    else if (ext === "html" || ext === "htm") {
      const title = escapeXml(this.decorations.title ?? "RatGTEx figure");
      content = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>\n` +
        `<body style="margin:16px;background:#fff">\n${this.html}\n</body></html>\n`;
    } else if (ext === "png") {
      content = await this.png(options);
    } else {
      throw new ValidationError(
        "path",
        path,
        `the extension ${ext ? `.${ext}` : "(none)"} is not a figure format`,
        "save as .svg (the SVG document), .html (a standalone page) or .png (a picture)",
      );
    }
    await writeFileAtomic(path, content);
    return path;
  }

  /**
   * The figure as PNG bytes (see {@link PlotFigure.save} for the renderer, scale and fonts).
   *
   * @param options `scale` (default 2) and `fontFamily`.
   * @returns The PNG file's bytes.
   * @throws {ValidationError} For a figure that is HTML (a Plot legend: no SVG renderer draws it) or a bad scale.
   */
  async png(options: SaveOptions = {}): Promise<Uint8Array> {
    checkSaveOptions(options);
    if (!this.#nativeSvg) {
      throw new ValidationError(
        "figure",
        this.decorations.title ?? "(untitled)",
        "is HTML (Plot drew a legend of its own), which an SVG renderer cannot draw as a picture",
        "save it as .svg or .html and screenshot it in a browser, or use the figure's own legends (legends: [...])",
      );
    }
    const { svgToPng } = await import("./_png.ts");
    return await svgToPng(this.svg, this.width, this.height, options);
  }

  /** The Plot marks (for composing: `Plot.plot({ marks: [...fig.marks, more] })`). */
  get marks(): readonly Plot.Markish[] {
    return this.options.marks ?? [];
  }

  /**
   * A new figure with options merged in (scales key by key, marks appended, title/subtitle/caption replaced).
   *
   * @param overrides Plot options.
   * @returns The new figure.
   */
  with(overrides: FigureOverrides): PlotFigure {
    return new PlotFigure(mergePlotOptions(this.options, overrides), this.decorations);
  }

  /** The HTML markup. */
  toString(): string {
    return this.html;
  }

  /** A one-line description of the figure, for plain-text front ends. */
  describe(): string {
    const title = this.decorations.title ? `"${escapeControl(this.decorations.title, false)}" ` : "";
    return `PlotFigure ${title}(${Math.round(this.width)}×${Math.round(this.height)} px, ${this.marks.length} marks; ` +
      `open in a notebook or write .svg to see it)`;
  }

  /**
   * The MIME bundle Deno's Jupyter kernel displays. A drawn figure: `text/html`, the SVG as an
   * `<img src="data:image/svg+xml;base64,…">` (what front ends and HTML exports pick: nbconvert 6.x's HTML
   * templates strip inline SVG elements, an image they keep), `image/svg+xml` (the SVG document itself,
   * for exports to other formats and tools that read it), and `text/plain` for plain-text front ends. A
   * figure that is HTML (a Plot legend): `text/html` and `text/plain`.
   */
  [JUPYTER_DISPLAY](): DisplayBundle {
    // Figures used without the display layer (ratgtex/plot alone) keep their cells' outputs in place too.
    settleCellOutputs();
    if (!this.#nativeSvg) return { "text/plain": this.describe(), "text/html": this.html };
    const alt = escapeXml(this.decorations.title ?? "figure");
    const html = `<img src="data:image/svg+xml;base64,${Buffer.from(this.svg).toString("base64")}" ` +
      `width="${Math.round(this.width)}" height="${Math.round(this.height)}" alt="${alt}" ` +
      `style="max-width:100%;height:auto">`;
    return { "text/plain": this.describe(), "text/html": html, "image/svg+xml": this.svg };
  }
}

/**
 * Render Plot options into a {@link PlotFigure} (the server-side DOM is supplied for you).
 *
 * @param options Plot options; string `title`/`subtitle`/`caption` are drawn inside the SVG.
 * @param decorations Title, subtitle, legends and notes.
 * @returns The figure.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import * as Plot from "@observablehq/plot";
 * import assert from "node:assert/strict";
 * const fig = plots.renderFigure({ marks: [Plot.dot([[1, 2], [2, 3]])] }, { title: "Two dots" });
 * assert.ok(fig.svg!.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
 * assert.equal(fig.svg!.match(/<circle/g)!.length, 2);
 * assert.ok(fig.describe().startsWith('PlotFigure "Two dots"'));
 * ```
 */
export function renderFigure(options: FigureOverrides, decorations: FigureDecorations = {}): PlotFigure {
  return new PlotFigure(options, decorations);
}

/** What Plot returns, as far as assembling needs it (linkedom's element). */
interface RenderedElement {
  nodeName: string;
  outerHTML: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): RenderedElement | null;
}

interface Assembled {
  svg: string | null;
  html: string;
  width: number;
  height: number;
}

const PAD = 10;

function assemble(options: FigureOverrides, d: FigureDecorations): Assembled {
  const element = Plot.plot(
    { ...options, document: serverDocument() } as Plot.PlotOptions,
  ) as unknown as RenderedElement;
  if (element.nodeName.toLowerCase() !== "svg") {
    // Plot made an HTML <figure> (a Plot legend or a Node title was asked for): keep it, namespaced.
    const head = [
      d.title ? `<h3 style="margin:4px 0">${escapeXml(d.title)}</h3>` : "",
      ...lines(d.subtitle).map((l) => `<div style="font-size:12px">${escapeXml(l)}</div>`),
    ].join("");
    const foot = lines(d.notes).map((l) => `<div style="font-size:11px;color:#555">${escapeXml(l)}</div>`).join("");
    const html = stabilizeIds(
      ensureXmlns(
        `<div style="color:#222;background:#fff;font-family:system-ui,sans-serif">${head}` +
          `${element.outerHTML}${foot}</div>`,
      ),
    );
    const svgElement = element.querySelector("svg:last-of-type") ?? element.querySelector("svg");
    return {
      svg: null,
      html,
      width: Number(svgElement?.getAttribute("width") ?? 640),
      height: Number(svgElement?.getAttribute("height") ?? 400),
    };
  }
  const plotWidth = Number(element.getAttribute("width"));
  const plotHeight = Number(element.getAttribute("height"));
  // A narrow plot (one tissue, one gene) still needs room for its legends.
  const legendFragments = (d.legends ?? []).map((legend) => legendMarkup(legend, Math.max(plotWidth - 2 * PAD, 240)));
  const width = Math.ceil(Math.max(plotWidth, ...legendFragments.map((f) => f.width + 2 * PAD)));
  const textWidthAvailable = width - 2 * PAD;
  const parts: string[] = [];
  let y = 6;
  if (d.title) {
    // Bold runs about 10 % wider than the regular estimate.
    for (const line of wrapText(d.title, textWidthAvailable, 16.5)) {
      y += 18;
      parts.push(`<text x="${PAD}" y="${y - 4}" font-size="15" font-weight="bold">${escapeXml(line)}</text>`);
    }
  }
  for (const line of lines(d.subtitle).flatMap((l) => wrapText(l, textWidthAvailable, 12))) {
    y += 16;
    parts.push(`<text x="${PAD}" y="${y - 4}" font-size="12">${escapeXml(line)}</text>`);
  }
  for (const fragment of legendFragments) {
    y += 6;
    parts.push(`<g transform="translate(${PAD},${y})">${fragment.markup}</g>`);
    y += fragment.height;
  }
  if (y > 6) y += 4;
  // The plot's own <svg> becomes a <g>: a nested <svg> would pick up Plot's `height: auto` style.
  const inner = element.outerHTML
    .replace(
      /^<svg([^>]*)>/,
      (_m: string, attrs: string) =>
        `<g${attrs.replace(/\s(viewBox|width|height|xmlns(:\w+)?)="[^"]*"/g, "")} transform="translate(0,${y})">`,
    )
    .replace(/<\/svg>$/, "</g>");
  parts.push(inner);
  y += plotHeight;
  const notes = lines(d.notes).flatMap((l) => wrapText(l, textWidthAvailable, 11));
  if (notes.length > 0) y += 4;
  for (const line of notes) {
    y += 14;
    parts.push(`<text x="${PAD}" y="${y - 3}" font-size="11" fill="#555">${escapeXml(line)}</text>`);
  }
  const height = Math.ceil(y + 6);
  const svg = compactNumbers(stabilizeIds(ensureXmlns(
    `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
      `font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" ` +
      `style="color:#222;background:#fff;max-width:100%;height:auto">` +
      `<rect width="${width}" height="${height}" fill="#fff" />${parts.join("")}</svg>`,
  )));
  return { svg, html: svg, width, height };
}

/**
 * Round the coordinates inside attribute values to 1/100 px (path data to 1/10 px) (Plot writes 16 digits: `275.7333333333333`),
 * which halves a violin figure; text content (labels, titles) is left exactly as written.
 */
function compactNumbers(svg: string): string {
  return svg.replace(
    /\s([\w:-]+)="([^"]*)"/g,
    (_m: string, name: string, value: string) => {
      // Path data to 1/10 px (a shape's outline), positions to 1/100 px.
      const scale = name === "d" ? 10 : 100;
      const digits = name === "d" ? /\d+\.\d{2,}/g : /\d+\.\d{3,}/g;
      return ` ${name}="${value.replace(digits, (n: string) => String(Math.round(Number(n) * scale) / scale))}"`;
    },
  );
}

/** HTML as a standalone SVG document: inside a `<foreignObject>` the size of the figure. */
function htmlAsSvg(html: string, width: number, height: number): string {
  const w = Math.ceil(width);
  // The HTML adds a title, subtitle and legend above the plot: leave room for them.
  const h = Math.ceil(height + 120);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">` +
    `<foreignObject x="0" y="0" width="${w}" height="${h}">` +
    `<div xmlns="http://www.w3.org/1999/xhtml">${html}</div></foreignObject></svg>`;
}

function lines(x: string | readonly string[] | undefined): string[] {
  if (x === undefined) return [];
  return typeof x === "string" ? [x] : [...x];
}

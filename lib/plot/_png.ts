/**
 * SVG → PNG without a browser: resvg (`@resvg/resvg-js`, a Rust SVG renderer whose native binary comes in
 * npm platform packages; loaded only when a PNG is asked for). Fonts: the system's, with the figure's
 * `font-family` list resolved the way Chromium resolves it on the platform (resvg knows no `system-ui`
 * and no fontconfig aliases, so the family it falls back to is named here). Nothing is bundled.
 *
 * @module
 */
import { RatGtexError, ValidationError } from "../_core/errors.ts";

/** Options of {@link svgToPng}. */
export interface PngOptions {
  /** Pixels per SVG pixel (default 2: sharp on slides and in print at the figure's size). */
  scale?: number;
  /**
   * The font for text whose `font-family` list names no installed font (default: the first installed of
   * the platform's user-interface fonts, see {@link defaultPngFontFamily}).
   */
  fontFamily?: string;
}

/** The largest PNG side, in pixels (a 16k × 16k RGBA image is already 1 GiB in memory). */
export const MAX_PNG_SIDE = 16384;

/**
 * Candidate fonts by platform, each with a file that says it is installed: what Chromium draws `system-ui`
 * and `sans-serif` with there (on Debian, fontconfig's default DejaVu Sans).
 */
const FONT_CANDIDATES: Record<string, readonly [string, string][]> = {
  linux: [
    ["DejaVu Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
    ["Liberation Sans", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"],
    ["Liberation Sans", "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"],
    ["Noto Sans", "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"],
    ["DejaVu Sans", "/usr/share/fonts/dejavu/DejaVuSans.ttf"],
  ],
  darwin: [["Helvetica", "/System/Library/Fonts/Helvetica.ttc"]],
  windows: [["Segoe UI", "C:\\Windows\\Fonts\\segoeui.ttf"], ["Arial", "C:\\Windows\\Fonts\\arial.ttf"]],
};

function readable(path: string): boolean {
  try {
    // Asked first: without read permission a stat would prompt or throw.
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return false;
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * The font PNGs use for text whose families are not installed: the first of the platform's candidates
 * found (Linux: DejaVu Sans, Liberation Sans, Noto Sans; macOS: Helvetica; Windows: Segoe UI, Arial), or
 * `undefined` (then resvg takes the first font it finds, and says so on stderr).
 *
 * @returns A family name, or undefined.
 */
export function defaultPngFontFamily(): string | undefined {
  return (FONT_CANDIDATES[Deno.build.os] ?? []).find(([, file]) => readable(file))?.[0];
}

interface ResvgModule {
  Resvg: new (svg: string, options: Record<string, unknown>) => {
    render(): { asPng(): Uint8Array; width: number; height: number };
  };
}

let resvg: Promise<ResvgModule> | null = null;

/**
 * Render an SVG document to PNG bytes.
 *
 * @param svg A standalone SVG document (with `width` and `height`).
 * @param width The SVG's width in pixels (for the size check).
 * @param height The SVG's height in pixels.
 * @param options Scale and fallback font.
 * @returns The PNG file's bytes.
 * @throws {ValidationError} For a scale that is not a positive number or makes a side above {@link MAX_PNG_SIDE}.
 * @throws {RatGtexError} When the renderer cannot be loaded (no `--allow-ffi`, or no binary for the platform).
 */
export async function svgToPng(
  svg: string,
  width: number,
  height: number,
  options: PngOptions = {},
): Promise<Uint8Array> {
  const scale = options.scale ?? 2;
  if (typeof scale !== "number" || !Number.isFinite(scale) || scale <= 0) {
    throw new ValidationError(
      "scale",
      scale,
      "is not a positive number",
      "pass e.g. { scale: 2 } (pixels per SVG pixel)",
    );
  }
  if (Math.ceil(width * scale) > MAX_PNG_SIDE || Math.ceil(height * scale) > MAX_PNG_SIDE) {
    throw new ValidationError(
      "scale",
      scale,
      `makes a ${Math.ceil(width * scale)} × ${Math.ceil(height * scale)} px image (at most ${MAX_PNG_SIDE} px a side)`,
      `pass a scale of at most ${Math.floor((MAX_PNG_SIDE / Math.max(width, height)) * 100) / 100}`,
    );
  }
  const { Resvg } = await loadResvg();
  const family = options.fontFamily ?? defaultPngFontFamily();
  const renderer = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: true, ...(family ? { defaultFontFamily: family, sansSerifFamily: family } : {}) },
    logLevel: "error",
  });
  const png = renderer.render().asPng(); // a Node Buffer: handed out as a plain Uint8Array view
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

function loadResvg(): Promise<ResvgModule> {
  resvg ??= import("@resvg/resvg-js").then((m) => m as unknown as ResvgModule).catch((cause) => {
    resvg = null;
    const permission = cause instanceof Deno.errors.NotCapable || cause instanceof Deno.errors.PermissionDenied ||
      /--allow-ffi|NotCapable|Requires ffi/i.test(String(cause));
    throw new RatGtexError(
      permission
        ? "PNG export needs permission to load the resvg renderer's native module"
        : `the PNG renderer (@resvg/resvg-js) could not be loaded: ${String(cause).split("\n")[0]}`,
      {
        hint: permission
          ? "run with --allow-ffi (and --allow-read), or save as .svg"
          : "save as .svg or .html, or check that npm packages install on this platform",
        cause,
      },
    );
  });
  return resvg;
}

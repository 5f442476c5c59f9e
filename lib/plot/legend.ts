/**
 * Legends drawn as plain SVG: categorical swatches and a continuous colour ramp. Plot's own ramp
 * legend needs a canvas, which linkedom lacks; these need nothing but arithmetic.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { ValidationError } from "../_core/errors.ts";
import { fnv1a } from "./_dom.ts";
import { escapeXml, formatNumber } from "../_core/format.ts";
import { textWidth } from "./_text.ts";

/** A categorical legend: one coloured swatch per label. */
export interface SwatchLegend {
  /** Kind of legend. */
  type: "swatches";
  /** Heading shown before the swatches. */
  label?: string;
  /** Labels, in order. */
  domain: readonly string[];
  /** Colours, one per label. */
  range: readonly string[];
  /** Swatch shape (default `"square"`). */
  shape?: "square" | "circle";
}

/** A continuous legend: a colour gradient with ticks. */
export interface RampLegend {
  /** Kind of legend. */
  type: "ramp";
  /** Heading above the ramp. */
  label?: string;
  /** Lowest and highest value. */
  domain: readonly [number, number];
  /** Colours sampled evenly from the low to the high end (at least 2). */
  colors: readonly string[];
  /** Tick values (default: 5 round values within the domain). */
  ticks?: readonly number[];
  /** Ramp width in pixels (default 240). */
  width?: number;
}

/** A legend drawn by {@link legendMarkup}. */
export type LegendSpec = SwatchLegend | RampLegend;

/** An SVG fragment with its size. */
export interface Fragment {
  /** SVG markup, a `<g>` drawn from (0, 0). */
  markup: string;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

/**
 * A ramp legend for a continuous Plot colour scale, sampled through `Plot.scale` (no DOM needed).
 *
 * @param color Plot colour-scale options with a numeric `domain` (e.g. `{ type: "linear", scheme: "ylgnbu", domain: [0, 3] }`).
 * @param label Heading above the ramp.
 * @param steps Colour samples (default 32).
 * @returns The legend spec.
 */
export function rampLegend(color: Plot.ScaleOptions, label?: string, steps = 32): RampLegend {
  const domain = color.domain as number[] | undefined;
  if (
    !Array.isArray(domain) || domain.length < 2 || !domain.every((d) => typeof d === "number" && Number.isFinite(d))
  ) {
    throw new ValidationError(
      "color.domain",
      domain,
      "a ramp legend needs a continuous colour scale's domain: two finite numbers",
      "pass color: { domain: [lo, hi] } with finite numbers",
    );
  }
  const scale = Plot.scale({ color: { ...color, domain } });
  const lo = domain[0];
  const hi = domain[domain.length - 1];
  const colors = Array.from({ length: steps }, (_, i) => String(scale.apply(lo + ((hi - lo) * i) / (steps - 1))));
  return { type: "ramp", label, domain: [lo, hi], colors };
}

/**
 * Round tick values within [lo, hi] (steps of 1, 2 or 5 × 10^k), at most about `count` of them.
 *
 * @param lo Lowest value.
 * @param hi Highest value.
 * @param count Wanted number of ticks (default 5).
 * @returns The ticks, ascending.
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => (hi - lo) / s <= count) ?? 10 * power;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * Draw a legend as an SVG `<g>` fragment no wider than `maxWidth` (swatches wrap onto new rows).
 *
 * @param spec The legend.
 * @param maxWidth Available width in pixels.
 * @returns The fragment and its size.
 */
export function legendMarkup(spec: LegendSpec, maxWidth: number): Fragment {
  return spec.type === "ramp" ? rampMarkup(spec) : swatchMarkup(spec, maxWidth);
}

function swatchMarkup(spec: SwatchLegend, maxWidth: number): Fragment {
  if (spec.domain.length !== spec.range.length) {
    throw new ValidationError(
      "legend.range",
      spec.range,
      `${spec.domain.length} labels but ${spec.range.length} colours`,
      "give one colour per label (range and domain of the same length)",
    );
  }
  const size = 10;
  const rowHeight = 16;
  const parts: string[] = [];
  let x = 0;
  let y = 0;
  let width = 0;
  if (spec.label) {
    parts.push(`<text x="0" y="${y + 9}" font-size="10" font-weight="bold">${escapeXml(spec.label)}</text>`);
    x = textWidth(spec.label, 10) + 10;
  }
  spec.domain.forEach((label, i) => {
    const w = size + 4 + textWidth(label, 10) + 12;
    if (x > 0 && x + w > maxWidth) {
      x = 0;
      y += rowHeight;
    }
    const color = escapeXml(spec.range[i]);
    parts.push(
      spec.shape === "circle"
        ? `<circle cx="${x + size / 2}" cy="${y + size / 2}" r="${size / 2}" fill="${color}" />`
        : `<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="${color}" />`,
      `<text x="${x + size + 4}" y="${y + 9}" font-size="10">${escapeXml(label)}</text>`,
    );
    x += w;
    width = Math.max(width, x);
  });
  return {
    markup: `<g aria-label="legend">${parts.join("")}</g>`,
    width: Math.min(width, maxWidth),
    height: y + rowHeight,
  };
}

function rampMarkup(spec: RampLegend): Fragment {
  if (spec.colors.length < 2) {
    throw new ValidationError(
      "legend.colors",
      spec.colors,
      "a ramp needs at least 2 colours",
      "pass colors sampled low to high",
    );
  }
  const width = spec.width ?? 240;
  const [lo, hi] = spec.domain;
  const top = spec.label ? 14 : 0;
  const barHeight = 10;
  // The gradient's ID is rewritten to a content-based one when the figure is assembled.
  const stops = spec.colors.map((c, i) =>
    `<stop offset="${((100 * i) / (spec.colors.length - 1)).toFixed(2)}%" stop-color="${escapeXml(c)}" />`
  ).join("");
  const ticks = (spec.ticks ?? niceTicks(lo, hi)).filter((t) => t >= lo && t <= hi);
  const xOf = (v: number) => (hi > lo ? ((v - lo) / (hi - lo)) * width : 0);
  const tickMarks = ticks.map((t) =>
    `<line x1="${xOf(t)}" x2="${xOf(t)}" y1="${top}" y2="${top + barHeight + 4}" stroke="currentColor" />` +
    `<text x="${xOf(t)}" y="${top + barHeight + 14}" font-size="10" text-anchor="middle">${formatNumber(t)}</text>`
  ).join("");
  const id = `ramp-${fnv1a(stops)}`;
  const label = spec.label
    ? `<text x="0" y="10" font-size="10" font-weight="bold">${escapeXml(spec.label)}</text>`
    : "";
  return {
    markup: `<g aria-label="legend">${label}<defs><linearGradient id="${id}" x1="0" x2="1" y1="0" y2="0">${stops}` +
      `</linearGradient></defs><rect x="0" y="${top}" width="${width}" height="${barHeight}" fill="url(#${id})" />` +
      `${tickMarks}</g>`,
    width: width + 10,
    height: top + barHeight + 18,
  };
}

/**
 * The official RatGTEx tissue colours and names (release v4), used by every figure.
 *
 * @module
 */
import { closest } from "./options.ts";
import type pl from "nodejs-polars";
import { isDataFrame } from "./data_frame.ts";
import { ResponseFormatError, ValidationError } from "./errors.ts";

/** One tissue's facts in release v4: its display (ID, name, colour) and what the release measured. */
export interface TissueStyle {
  /** Tissue ID, e.g. `"IL"`. */
  id: string;
  /** Full name, e.g. `"Infralimbic cortex"` (tissueInfo's `tissueSiteDetail`). */
  name: string;
  /** Colour `#rrggbb`, from tissueInfo's `colorHex`. */
  color: string;
  /** The broad site, e.g. `"Brain"` (tissueInfo's `tissueSite`). */
  site: string;
  /** RNA-seq samples with genotypes in v4 (tissueInfo's `rnaSeqAndGenotypeSampleCount`). */
  samples: number;
  /** The v4 dataset the tissue belongs to (tissueInfo's `dataset`). */
  dataset: string;
}

/** The 13 v4 tissues in the server's order, with their tissueInfo names, colours, sites, sample counts and datasets. */
export const V4_TISSUE_STYLES: readonly TissueStyle[] = [
  { id: "Adipose", name: "Adipose", color: "#17d2eb", site: "Adipose", samples: 411, dataset: "ratgtex_v4_round11_1" },
  {
    id: "BLA",
    name: "Basolateral amygdala",
    color: "#ffd700",
    site: "Brain",
    samples: 189,
    dataset: "ratgtex_v4_round11_2",
  },
  {
    id: "Brain",
    name: "Brain hemisphere",
    color: "#75d1c0",
    site: "Brain",
    samples: 342,
    dataset: "ratgtex_v4_round11_1",
  },
  { id: "Eye", name: "Eye", color: "#ff66ff", site: "Eye", samples: 53, dataset: "ratgtex_v4_round11_1" },
  { id: "IC", name: "Insular cortex", color: "#9673d1", site: "Brain", samples: 148, dataset: "ratgtex_v4_round11_2" },
  {
    id: "IL",
    name: "Infralimbic cortex",
    color: "#377eb8",
    site: "Brain",
    samples: 83,
    dataset: "ratgtex_v4_round11_2",
  },
  {
    id: "LHb",
    name: "Lateral habenula",
    color: "#4daf4a",
    site: "Brain",
    samples: 82,
    dataset: "ratgtex_v4_round11_2",
  },
  { id: "Liver", name: "Liver", color: "#c2fa82", site: "Liver", samples: 411, dataset: "ratgtex_v4_round11_1" },
  {
    id: "NAcc",
    name: "Nucleus accumbens core",
    color: "#e41a1c",
    site: "Brain",
    samples: 570,
    dataset: "ratgtex_v4_round11_2",
  },
  {
    id: "OFC",
    name: "Orbitofrontal cortex",
    color: "#ff7f00",
    site: "Brain",
    samples: 82,
    dataset: "ratgtex_v4_round11_2",
  },
  {
    id: "PL",
    name: "Prelimbic cortex",
    color: "#984ea3",
    site: "Brain",
    samples: 404,
    dataset: "ratgtex_v4_round11_2",
  },
  {
    id: "pVTA",
    name: "Posterior ventral tegmental area",
    color: "#d6ac67",
    site: "Brain",
    samples: 293,
    dataset: "ratgtex_v4_round11_2",
  },
  {
    id: "RMTg",
    name: "Rostromedial tegmental nucleus",
    color: "#915c2d",
    site: "Brain",
    samples: 92,
    dataset: "ratgtex_v4_round11_2",
  },
];

const styles: ReadonlyMap<string, TissueStyle> = new Map<string, TissueStyle>(V4_TISSUE_STYLES.map((t) => [t.id, t]));

/** Colour for tissues the table does not know (a later release, a typo): neutral grey. */
export const UNKNOWN_TISSUE_COLOR = "#888888";

/** Tissue colours by ID (`#rrggbb`), to override or extend the v4 table in a figure's `tissueColors` option. */
export type TissueColors = Readonly<Record<string, string>>;

/**
 * The colours of a `tissueInfo` frame (columns `tissueSiteDetailId`, `colorHex`) as a {@link TissueColors}
 * map, for a release whose tissues differ from v4's.
 *
 * @param info A `tissueInfo` frame.
 * @returns Colour by tissue ID.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import pl from "nodejs-polars";
 * import assert from "node:assert/strict";
 * // The two columns of a tissueInfo() frame that matter here.
 * const info = pl.DataFrame({ tissueSiteDetailId: ["IL", "Heart"], colorHex: ["377EB8", "b22222"] });
 * assert.deepEqual(plots.tissueColorsFrom(info), { IL: "#377eb8", Heart: "#b22222" });
 * ```
 */
export function tissueColorsFrom(info: pl.DataFrame): TissueColors {
  if (!isDataFrame(info)) {
    throw new ValidationError("info", info, "is not a polars DataFrame", "pass the frame tissueInfo() returns");
  }
  for (const column of ["tissueSiteDetailId", "colorHex"]) {
    if (!info.columns.includes(column)) {
      throw new ValidationError(
        "info.columns",
        info.columns,
        `has no column "${column}" (columns: ${info.columns.join(", ")})`,
        "pass the frame tissueInfo() returns",
      );
    }
  }
  const out: Record<string, string> = {};
  for (const r of info.toRecords() as Record<string, unknown>[]) {
    const id = String(r.tissueSiteDetailId);
    const hex = String(r.colorHex).replace(/^#/, "");
    if (!/^[0-9a-fA-F]{6}$/.test(hex)) {
      // The colours are the server's (tissueInfo's colorHex), so a bad one is a bad answer, not a bad argument.
      throw new ResponseFormatError(
        `tissueInfo answer: colorHex of ${id} is ${JSON.stringify(r.colorHex)}; expected rrggbb`,
        "",
        {
          route: "tissueInfo",
          hint: "pass the figure a tissueColors map of your own for that tissue",
        },
      );
    }
    out[id] = `#${hex.toLowerCase()}`;
  }
  return out;
}

/**
 * The official colour of a tissue (`#rrggbb`), grey for an unknown ID.
 *
 * @param tissueSiteDetailId Tissue ID.
 * @param overrides Colours that take precedence over the v4 table.
 * @returns The colour.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import assert from "node:assert/strict";
 * assert.equal(plots.tissueColor("IL"), "#377eb8");
 * assert.equal(plots.tissueColor("IL", { IL: "#000000" }), "#000000");
 * assert.equal(plots.tissueColor("Heart"), "#888888"); // unknown: grey
 * ```
 */
export function tissueColor(tissueSiteDetailId: string, overrides?: TissueColors): string {
  return overrides?.[tissueSiteDetailId] ?? styles.get(tissueSiteDetailId)?.color ?? UNKNOWN_TISSUE_COLOR;
}

/**
 * The full name of a tissue (the ID itself when unknown).
 *
 * @param tissueSiteDetailId Tissue ID.
 * @returns The name.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import assert from "node:assert/strict";
 * assert.equal(plots.tissueName("IL"), "Infralimbic cortex");
 * assert.equal(plots.tissueName("Heart"), "Heart");
 * ```
 */
export function tissueName(tissueSiteDetailId: string): string {
  return styles.get(tissueSiteDetailId)?.name ?? tissueSiteDetailId;
}

/**
 * Sort tissue IDs in the server's order (v4 order, unknown IDs after, alphabetically).
 *
 * @param ids Tissue IDs.
 * @returns A sorted copy without duplicates.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import assert from "node:assert/strict";
 * assert.deepEqual(plots.tissueOrder(["RMTg", "IL", "Adipose", "IL"]), ["Adipose", "IL", "RMTg"]);
 * ```
 */
export function tissueOrder(ids: Iterable<string>): string[] {
  const rank = (id: string) => {
    const k = V4_TISSUE_STYLES.findIndex((t) => t.id === id);
    return k < 0 ? Infinity : k;
  };
  return [...new Set(ids)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Plot colour-scale options mapping tissue IDs to their official colours.
 *
 * @param ids Tissue IDs (the scale's domain, in this order).
 * @param overrides Colours that take precedence over the v4 table.
 * @returns `{ type: "ordinal", domain, range }` for Plot's `color` option.
 *
 * @example
 * ```ts
 * import { plots } from "ratgtex";
 * import assert from "node:assert/strict";
 * assert.deepEqual(plots.tissueColorScale(["IL", "PL"]), { type: "ordinal", domain: ["IL", "PL"], range: ["#377eb8", "#984ea3"] });
 * ```
 */
export function tissueColorScale(
  ids: readonly string[],
  overrides?: TissueColors,
): { type: "ordinal"; domain: string[]; range: string[] } {
  return { type: "ordinal", domain: [...ids], range: ids.map((id) => tissueColor(id, overrides)) };
}

/** The v4 tissue IDs, in the server's order (the authority is still `tissueInfo`). */
export const V4_TISSUE_IDS: readonly string[] = V4_TISSUE_STYLES.map((t) => t.id);

/**
 * The tissue ID a mistyped one most likely meant, or null: a case slip (`il` → `IL`), a full name or site
 * (`Infralimbic cortex` → `IL`, `liver` → `Liver`), or a typo within two edits (`Livr` → `Liver`).
 *
 * @param value The tissue ID given.
 * @param valid The valid IDs (default: the v4 tissues).
 * @returns The suggested ID, or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { suggestTissue } from "ratgtex";
 * assert.equal(suggestTissue("Livr"), "Liver");
 * assert.equal(suggestTissue("il"), "IL");
 * assert.equal(suggestTissue("Basolateral amygdala"), "BLA");
 * assert.equal(suggestTissue("Spleen"), null);
 * ```
 */
export function suggestTissue(value: string, valid: readonly string[] = V4_TISSUE_IDS): string | null {
  const lower = value.trim().toLowerCase();
  const byCase = valid.find((t) => t.toLowerCase() === lower);
  if (byCase) return byCase;
  const byName = V4_TISSUE_STYLES.find((t) =>
    valid.includes(t.id) && (t.name.toLowerCase() === lower || t.site.toLowerCase() === lower)
  );
  if (byName) return byName.id;
  return closest(value, valid, 1, 2)[0] ?? null;
}

/**
 * Check tissue IDs given to a function (a figure's `tissues`, a filter): each must be a tissue of `valid`;
 * an unknown one is a ValidationError naming the parameter, with the likely ID ({@link suggestTissue}).
 *
 * @param values The IDs given.
 * @param parameter The parameter's name in the error, e.g. `"options.tissues"`.
 * @param valid The valid IDs (default: the v4 tissues).
 * @returns The IDs, unchanged.
 */
export function checkTissueIds(
  values: readonly unknown[],
  parameter: string,
  valid: readonly string[] = V4_TISSUE_IDS,
): string[] {
  for (const v of values) {
    if (typeof v === "string" && valid.includes(v)) continue;
    const near = typeof v === "string" ? suggestTissue(v, valid) : null;
    throw new ValidationError(
      parameter,
      v,
      `not a tissue ID${near ? ` (did you mean ${near}?)` : ""}`,
      `tissue IDs are case-sensitive: ${valid.join(", ")}`,
    );
  }
  return values as string[];
}

/**
 * Internal: what the GWAS workflows need of a release besides its public queries — a release from what the
 * user passed (an open `Release` or a source), a tissue's rats, a checked variant ID and window.
 *
 * @module
 */
import { ValidationError } from "../_core/errors.ts";
import { BUNDLED_RELEASE } from "../release/folder.ts";
import { openRelease, Release } from "../release/release.ts";
import type { ReleaseInput } from "./release_input.ts";

export type { ReleaseInput } from "./release_input.ts";

const opened = new Map<string, Promise<Release>>();

/**
 * The release `input` names: itself when open; a source string opened once per process (so that repeated
 * calls share the release's loaded tables and files).
 */
export function releaseOf(input: ReleaseInput, parameter = "release"): Promise<Release> {
  if (input instanceof Release) return Promise.resolve(input);
  if (typeof input === "string" || input instanceof URL) {
    const key = String(input) === "offline" ? BUNDLED_RELEASE : String(input);
    let r = opened.get(key);
    if (r === undefined) {
      r = openRelease(key);
      r.catch(() => opened.delete(key));
      opened.set(key, r);
    }
    return r;
  }
  throw new ValidationError(
    parameter,
    input,
    "not a release",
    'pass await openRelease("offline") (or a folder, or https://ratgtex.org/data/v4), or that source as a string',
  );
}

/** A variant ID `chrN:pos`, checked; its chromosome and position. */
export function parseVariant(id: unknown, parameter = "variantId"): { chromosome: string; pos: number } {
  const m = typeof id === "string" ? /^(chr[0-9A-Za-z]+):([1-9]\d*)$/.exec(id) : null;
  if (m === null) {
    throw new ValidationError(parameter, id, "is not a variant ID chrN:pos (GRCr8)", "e.g. chr10:100826333");
  }
  return { chromosome: m[1], pos: Number(m[2]) };
}

/** A gene × tissue query, checked to be `{ geneId, tissueSiteDetailId }` (the IDs themselves by the release). */
export function checkGeneTissue(params: unknown): void {
  if (params === null || typeof params !== "object" || typeof (params as { geneId?: unknown }).geneId !== "string") {
    throw new ValidationError(
      "params",
      params,
      "must be { geneId, tissueSiteDetailId }",
      'e.g. { geneId: "SynG049", tissueSiteDetailId: "Adipose" }',
    );
  }
}

/** A window half-width in base pairs, checked (a whole number ≥ 0). */
export function checkWindow(window: unknown, parameter: string, fallback: number): number {
  if (window === undefined) return fallback;
  if (typeof window !== "number" || !Number.isInteger(window) || window < 0 || window > 1e9) {
    throw new ValidationError(parameter, window, "must be a whole number of bases in [0, 1e9]", "e.g. 1000000");
  }
  return window;
}

/** A number in [lo, hi], checked. */
export function checkRange(value: unknown, parameter: string, lo: number, hi: number, example: string): number {
  if (typeof value !== "number" || !(value >= lo && value <= hi)) {
    throw new ValidationError(parameter, value, `must be a number in [${lo}, ${hi}]`, `e.g. ${example}`);
  }
  return value;
}

const tissueRatsCache = new WeakMap<Release, Map<string, Promise<string[]>>>();

/**
 * The rats of a tissue's final sample set (`rat_ids/rat_ids.{T}.v4.txt`, one ID per line), read once per
 * release. The tissue is checked against the release's own tissues.
 */
export function tissueRats(release: Release, tissue: string): Promise<string[]> {
  let byTissue = tissueRatsCache.get(release);
  if (byTissue === undefined) tissueRatsCache.set(release, byTissue = new Map());
  let rats = byTissue.get(tissue);
  if (rats === undefined) {
    rats = (async () => {
      const layout = await release.layout();
      const rel = layout.ratIds(layout.tissue(tissue, "tissue"));
      const text = await Deno.readTextFile(await release.file(rel));
      const ids = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
      if (ids.length === 0) {
        throw new ValidationError("tissue", tissue, `${rel} lists no rat`, "use a complete copy of the release");
      }
      return ids;
    })();
    rats.catch(() => byTissue!.delete(tissue));
    byTissue.set(tissue, rats);
  }
  return rats;
}

/**
 * The output formats, their file extensions, and the writers behind `--out` and standard output. No
 * polars here: the command line loads this at start-up, whatever the subcommand.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/** The output formats of every data subcommand. */
export const FORMATS = ["table", "csv", "tsv", "json", "ndjson", "parquet"] as const;

/** One output format. */
export type Format = typeof FORMATS[number];

/** File extensions that choose a format when `--out` is given without `--format`. */
export const EXTENSIONS: Readonly<Record<string, Format>> = {
  ".txt": "table",
  ".csv": "csv",
  ".tsv": "tsv",
  ".tab": "tsv",
  ".json": "json",
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
  ".parquet": "parquet",
  ".pq": "parquet",
};

/**
 * The format of a file name's extension, or `null` when the extension says nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatOfPath } from "./formats.ts";
 * assert.deepEqual(formatOfPath("genes.parquet"), "parquet");
 * ```
 */
export function formatOfPath(path: string): Format | null {
  const dot = path.lastIndexOf(".");
  return dot < 0 ? null : EXTENSIONS[path.slice(dot).toLowerCase()] ?? null;
}

/**
 * Write `data` to `path` atomically: to a temporary file in the same folder, then renamed over `path`,
 * so a reader never sees a partial file and a failure leaves nothing behind (an existing file is kept).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeFileAtomic } from "./formats.ts";
 * const path = `${await Deno.makeTempDir()}/out.tsv`;
 * await writeFileAtomic(path, new TextEncoder().encode("geneId\nCd300lf\n"));
 * assert.equal(await Deno.readTextFile(path), "geneId\nCd300lf\n");
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeFile(tmp, data, { createNew: true });
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/** Write all of `data` to standard output. */
export async function writeStdout(data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) offset += await Deno.stdout.write(data.subarray(offset));
}

/**
 * The output formats, their file extensions, and the writers behind `--out` and standard output. No
 * polars here: the command line loads this at start-up, whatever the subcommand.
 *
 * @module
 */

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
 */
export function formatOfPath(path: string): Format | null {
  const dot = path.lastIndexOf(".");
  return dot < 0 ? null : EXTENSIONS[path.slice(dot).toLowerCase()] ?? null;
}

/** `--out` goes through the one atomic writer (symlinks followed, special files in place, modes kept). */
export { writeFileAtomic } from "../_core/atomic_write.ts";

/** Write all of `data` to standard output. */
export async function writeStdout(data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) offset += await Deno.stdout.write(data.subarray(offset));
}

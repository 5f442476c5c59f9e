/**
 * Write a file whole or not at all: to a temporary file in the same folder, then renamed over the path,
 * so a reader never sees half a file and a failure leaves nothing behind (an existing file is kept).
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/**
 * Write `data` to `path` atomically (temporary file + rename).
 *
 * @param path The file.
 * @param data Text or bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeAtomic } from "./write_atomic.ts";
 * const path = `${await Deno.makeTempDir()}/out.txt`;
 * await writeAtomic(path, "whole");
 * assert.equal(await Deno.readTextFile(path), "whole");
 * ```
 */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${crypto.randomUUID()}.tmp`);
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data, { createNew: true });
    else await Deno.writeFile(tmp, data, { createNew: true });
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

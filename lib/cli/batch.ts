/**
 * Batches on the command line: one ID is sent as itself (its error stands: a bad ID is a usage error);
 * several are a batch whose failed items are each reported on stderr while the others are written.
 * The run exits 1 when nothing succeeded, or with `--strict` when anything failed.
 *
 * @module
 */
import { BATCH_SHOWN, BatchError, firstLine, RatGtexError } from "../_core/errors.ts";
import { writeFileAtomic } from "../_core/atomic_write.ts";
import { plural } from "../_core/format.ts";
import type { CommandContext } from "./command.ts";

/** `--strict`: the option every batch subcommand takes. */
export const STRICT_OPTION = {
  strict: {
    type: "boolean",
    help: "exit 1 if any item fails (default: report each failed item on stderr, write the others, and\n" +
      "exit 1 only when none succeeded)",
  },
  report: {
    type: "string",
    help: "write every failed item (TSV: item, error) to FILE; stderr lists the first few and the count",
  },
} as const;

/**
 * The result of a batch call, after reporting each failed item on stderr: the partial result when some
 * succeeded (and not `--strict`), else an error (exit 1).
 */
export async function settle<P>(
  context: CommandContext,
  command: string,
  work: Promise<P>,
  describe: (item: unknown) => string = (item) => (typeof item === "string" ? item : JSON.stringify(item)),
  failed?: Set<unknown>,
): Promise<P> {
  try {
    return await work;
  } catch (e) {
    if (!(e instanceof BatchError)) throw e;
    for (const f of e.failures) failed?.add(f.item);
    // Bounded on stderr: the first few and the count; every one in --report FILE.
    const report = typeof context.values.report === "string" ? context.values.report : null;
    for (const f of e.failures.slice(0, BATCH_SHOWN)) {
      context.note(`ratgtex ${command}: failed: ${describe(f.item)}: ${firstLine(f.error)}`);
    }
    if (report !== null) {
      const tsv = "item\terror\n" +
        e.failures.map((f) => `${tsvCell(describe(f.item))}\t${tsvCell(firstLine(f.error))}\n`).join("");
      await writeFileAtomic(report, tsv);
    }
    if (e.failures.length > BATCH_SHOWN || report !== null) {
      const rest = e.failures.length - Math.min(BATCH_SHOWN, e.failures.length);
      context.note(
        `ratgtex ${command}: ${rest > 0 ? `… and ${rest} more; ` : ""}` +
          (report !== null ? `every failed item in ${report}` : "every failed item with --report FILE"),
      );
    }
    const count = `${e.failures.length} of ${plural(e.total, "item")} failed`;
    if (e.failures.length === e.total) throw new RatGtexError(`${count}: nothing to write`);
    if (context.values.strict === true) throw new RatGtexError(`${count} (--strict): nothing written`);
    return e.partial as P;
  }
}

/** One ID as itself (its own error), several as a list (a batch). */
export function oneOrMany(ids: string[]): string | string[] {
  return ids.length === 1 ? ids[0] : ids;
}

/** A TSV cell: tabs and line breaks become spaces (an error message may hold either). */
function tsvCell(text: string): string {
  return text.replace(/[\t\r\n]+/g, " ");
}

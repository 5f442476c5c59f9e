/**
 * The parts of the command line that are not subcommands: option tables (parsed with `node:util`
 * `parseArgs`), the usage error, the help text, and ID lists from arguments or standard input.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** One option of a subcommand: what `parseArgs` needs plus its help. */
export interface OptionSpec {
  /** `"string"` takes a value, `"boolean"` is a flag. */
  type: "string" | "boolean";
  /** One-letter alias. */
  short?: string;
  /** May be given several times (values collected in order). */
  multiple?: boolean;
  /** The value's placeholder in the help, e.g. `"FMT"`. */
  value?: string;
  /** One line of help. */
  help: string;
}

/** Options by long name. */
export type OptionTable = Record<string, OptionSpec>;

/** Parsed option values by long name. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** Bad command-line usage: exit code 2, message and usage on stderr. */
export class UsageError extends Error {
  /** The subcommand whose usage to show, if any. */
  readonly command?: string;
  /**
   * @param message What is wrong and how to fix it.
   * @param command The subcommand whose usage to show.
   */
  constructor(message: string, command?: string) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

/**
 * Parse `args` against an option table: unknown options, missing values and stray values are usage errors.
 */
export function parseOptions(
  args: string[],
  options: OptionTable,
  command: string,
): { values: OptionValues; positionals: string[] } {
  const config: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(options)) {
    config[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  try {
    const { values, positionals } = parseArgs({ args, options: config, allowPositionals: true, strict: true });
    return { values: values as OptionValues, positionals };
  } catch (e) {
    // parseArgs' messages name the option; drop its advice about '--' which does not apply here.
    const message = e instanceof Error ? e.message.replace(/\s*To specify a positional argument.*$/s, "") : String(e);
    throw new UsageError(message, command);
  }
}

/**
 * The help lines of an option table: `  -f, --format FMT   help`.
 */
export function optionLines(options: OptionTable): string[] {
  const left = Object.entries(options).map(([name, spec]) =>
    `  ${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.value ? ` ${spec.value}` : ""}`
  );
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return Object.values(options).map((spec, i) => left[i].padEnd(width) + spec.help);
}

/**
 * The value of a string option (the last one when repeated), or undefined.
 */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  if (Array.isArray(v)) return v.at(-1);
  return typeof v === "string" ? v : undefined;
}

/**
 * The values of a list option: repeated and/or comma-joined (`--tissue IL,LHb --tissue PL`).
 */
export function listOption(values: OptionValues, name: string): string[] | undefined {
  const v = values[name];
  if (v === undefined || typeof v === "boolean") return undefined;
  const items = (Array.isArray(v) ? v : [v]).flatMap(splitList);
  return items.length > 0 ? items : undefined;
}

/**
 * One of a fixed set of values, or a usage error listing them.
 */
export function choiceOption<T extends string>(
  values: OptionValues,
  name: string,
  choices: readonly T[],
  command: string,
): T | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) {
    throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(v)}`, command);
  }
  return v as T;
}

/**
 * An integer option within [min, max], or a usage error.
 */
export function integerOption(
  values: OptionValues,
  name: string,
  min: number,
  max: number,
  command: string,
): number | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  const n = /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`, command);
  }
  return n;
}

/**
 * A number option (`1e-4`, `0.6`, `1000000`) within [min, max], or undefined when absent; anything else is a
 * usage error naming the option.
 */
export function numberOption(
  values: OptionValues,
  name: string,
  min: number,
  max: number,
  command: string,
): number | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  const n = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v) ? Number(v) : NaN;
  if (!(n >= min && n <= max)) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`, command);
  }
  return n;
}

/**
 * Split a comma- and/or whitespace-separated list, dropping empty items.
 */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s !== "");
}

let stdinText: Promise<string> | null = null;

/**
 * All of standard input as text (read once, however many `-` arguments ask for it).
 */
export function readStdin(): Promise<string> {
  stdinText ??= new Response(Deno.stdin.readable).text();
  return stdinText;
}

/**
 * IDs from the positional arguments: each may be comma-joined; `-` stands for the IDs on standard
 * input (separated by newlines, tabs, spaces or commas; blank lines and `#` comments skipped). A token
 * equal to `header` (the column name, e.g. `geneId`) is skipped, so the tool's own TSV output pipes back in.
 */
export async function idsFrom(
  positionals: string[],
  what: string,
  header: string,
  command: string,
): Promise<string[]> {
  const ids: string[] = [];
  if (positionals.filter((a) => a === "-").length > 1) {
    throw new UsageError("standard input ('-') can be read only once: give '-' once", command);
  }
  for (const arg of positionals) {
    if (arg !== "-") {
      for (const id of splitList(arg)) ids.push(id);
      continue;
    }
    const lines = (await readStdin()).split(/\r?\n/).filter((l) => !/^\s*(#|$)/.test(l));
    const fromStdin = lines.flatMap(splitList).filter((id) => id !== header);
    if (fromStdin.length === 0) throw new UsageError(`no ${what}s on standard input ('-')`, command);
    // One at a time: spreading 100,000s of IDs into push() would overflow the call stack.
    for (const id of fromStdin) ids.push(id);
  }
  if (ids.length === 0) {
    throw new UsageError(`give at least one ${what} (or '-' to read them from standard input)`, command);
  }
  return ids;
}

/** One gene–tissue–variant triple. */
export interface Triple {
  /** Gene ID. */
  geneId: string;
  /** Tissue ID. */
  tissueSiteDetailId: string;
  /** Variant ID. */
  variantId: string;
}

/**
 * Gene–tissue–variant triples from `--gene/--tissue/--variant`, from positional `GENE TISSUE VARIANT`
 * groups, and from standard input (`-`: one triple per line, fields separated by tabs, spaces or commas;
 * a `geneId tissueSiteDetailId variantId` header line is skipped, so `ratgtex eqtl … -f tsv | cut -f1-3`
 * pipes in).
 */
export async function triplesFrom(values: OptionValues, positionals: string[], command: string): Promise<Triple[]> {
  const triples: Triple[] = [];
  // A triple has one gene, one tissue, one variant: a repeated or comma-joined option is a usage error,
  // not "the last one wins".
  for (const name of ["gene", "tissue", "variant"]) {
    const v = values[name];
    const all = (Array.isArray(v) ? v : typeof v === "string" ? [v] : []).flatMap((x) => String(x).split(","));
    if (all.length > 1) {
      throw new UsageError(
        `--${name} takes one value for a gene–tissue–variant triple, got ${all.join(", ")}`,
        command,
      );
    }
  }
  const gene = stringOption(values, "gene");
  const tissue = stringOption(values, "tissue");
  const variant = stringOption(values, "variant");
  if (gene !== undefined || tissue !== undefined || variant !== undefined) {
    const missing = [["gene", gene], ["tissue", tissue], ["variant", variant]].filter(([, v]) => v === undefined);
    if (missing.length > 0) {
      throw new UsageError(
        `--gene, --tissue and --variant go together: missing --${missing.map(([n]) => n).join(", --")}`,
        command,
      );
    }
    triples.push({ geneId: gene!, tissueSiteDetailId: tissue!, variantId: variant! });
  }
  const loose: string[] = [];
  for (const arg of positionals) {
    if (arg !== "-") {
      loose.push(arg);
      continue;
    }
    const lines = (await readStdin()).split(/\r?\n/);
    let found = 0;
    lines.forEach((line, i) => {
      if (/^\s*(#|$)/.test(line)) return;
      const fields = splitList(line);
      if (fields[0] === "geneId") return;
      if (fields.length !== 3) {
        throw new UsageError(
          `standard input line ${i + 1}: expected GENE TISSUE VARIANT, got ${JSON.stringify(line)}`,
          command,
        );
      }
      triples.push({ geneId: fields[0], tissueSiteDetailId: fields[1], variantId: fields[2] });
      found++;
    });
    if (found === 0) throw new UsageError("no GENE TISSUE VARIANT lines on standard input ('-')", command);
  }
  if (loose.length % 3 !== 0) {
    throw new UsageError(`positional arguments come in GENE TISSUE VARIANT triples; got ${loose.length}`, command);
  }
  for (let i = 0; i < loose.length; i += 3) {
    triples.push({ geneId: loose[i], tissueSiteDetailId: loose[i + 1], variantId: loose[i + 2] });
  }
  if (triples.length === 0) {
    throw new UsageError(
      "give --gene, --tissue and --variant (or GENE TISSUE VARIANT, or '-' for standard input)",
      command,
    );
  }
  return triples;
}

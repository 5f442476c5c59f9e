/**
 * `ratgtex`: the command-line face of the library, for shell pipelines and reproducible scripts, and the
 * project's one program. The same client, cache and typed errors as the library; one subcommand per API
 * route plus `regress`, `cluster` and `figures`, and the services `serve`, `cache`, `demo`, `gallery`,
 * `kernel` and `notebook run` (the deno tasks call these). The table in `lib/cli/command_table.ts` drives parsing
 * and help. This file and the table load no polars and no plot code: each subcommand imports what it needs
 * when it runs, so `deno task serve` or `deno task kernel` run with their own narrow permissions.
 *
 * ```sh
 * npx -y deno@2.9.6 task cli gene Cd300lf Eno1
 * cut -f1 genes.txt | npx -y deno@2.9.6 task cli gene - --format csv
 * ```
 *
 * Exit codes: 0 success, 1 runtime error (HTTP, network, file, a malformed answer from the server; a batch
 * of several IDs where none succeeded, or any failed with `--strict`), 2 usage error (bad option or
 * argument, including one ID the library refuses before sending). A batch reports each failed item on
 * stderr and writes the others. Errors go to stderr;
 * stdout carries data only, written after the whole answer is in hand, so a failed run prints nothing there.
 *
 * @module
 */
import { RatGtexError, ValidationError } from "../_core/errors.ts";
import type { Client } from "../api/client.ts";
import { optionLines, type OptionValues, parseOptions, stringOption, UsageError } from "./args.ts";
import { type Command, HELP_OPTION, optionsOf, OUTPUT_OPTIONS, SOURCE_OPTIONS } from "./command.ts";
import { EXTENSIONS, type Format, formatOfPath, FORMATS, writeFileAtomic, writeStdout } from "./formats.ts";
import { COMMANDS, findCommand } from "./command_table.ts";
import { escapeControl } from "../_core/escape.ts";
import { cliText } from "./hints.ts";
import { PATH_OPTIONS, userPath } from "./paths.ts";

const encoder = new TextEncoder();

/** Write a line to stderr, its advice in command-line terms (see `cliText`). */
function printErr(text: string): void {
  // What a server sent can be in a message: its control characters (OSC, clear screen) are shown, not obeyed;
  // its advice is put in command-line terms.
  const safe = escapeControl(cliText(text));
  Deno.stderr.writeSync(encoder.encode(safe.endsWith("\n") ? safe : safe + "\n"));
}

function isTerminal(stream: { isTerminal(): boolean }): boolean {
  try {
    return stream.isTerminal();
  } catch {
    return false;
  }
}

/** The overview: every subcommand with its summary. */
function overview(): string {
  const width =
    Math.max(...COMMANDS.map((c) => (c.name + (c.aliases.length ? ` (${c.aliases.join(", ")})` : "")).length)) + 2;
  const lines = COMMANDS.map((c) =>
    `  ${(c.name + (c.aliases.length ? ` (${c.aliases.join(", ")})` : "")).padEnd(width)}${c.summary}`
  );
  return [
    "ratgtex — the RatGTEx API (rat eQTLs, 13 tissues, release v4) from the command line",
    "",
    "Usage: ratgtex COMMAND [arguments] [options]",
    "       ratgtex COMMAND --help",
    "",
    "Commands (aliases in parentheses):",
    ...lines,
    "",
    "Common options of the data commands:",
    ...optionLines({ ...OUTPUT_OPTIONS, ...SOURCE_OPTIONS }),
    "",
    "IDs come from the arguments (comma-joined or separate) or from standard input with '-'. Gene IDs are checked",
    "against RatGTEx's own list before anything is sent: a wrong-case or unknown ID is refused with the closest IDs.",
    "Several IDs are a batch: each failed item is reported on stderr and the others are written (--strict: none).",
    "The offline source is a synthetic mini-RatGTEx (not real data).",
    "Exit codes: 0 ok; 1 runtime error, a batch where nothing succeeded, or any failure with --strict; 2 usage",
    "error (including one ID refused before sending). Relative paths are relative to where you stand.",
    "",
    "Examples:",
    "  ratgtex gene Cd300lf Eno1",
    "  cut -f1 genes.txt | ratgtex gene - --format csv",
    "  ratgtex dyneqtl --gene Cd300lf --tissue IL --variant chr10:100826333",
    "  RATGTEX_SOURCE=offline ratgtex median Polr3k Rtel1 Eno1 --tissue IL,LHb",
  ].join("\n") + "\n";
}

/** The help of one subcommand: usage, what it does, options, examples. */
async function commandHelp(command: Command): Promise<string> {
  const own = optionLines({ ...command.options, ...HELP_OPTION });
  const sections = [
    `ratgtex ${command.name} — ${command.summary}`,
    "",
    ...command.usage.map((u, i) => `${i === 0 ? "Usage: " : "       "}ratgtex ${u}`),
    ...(command.aliases.length ? [`Aliases: ${command.aliases.join(", ")}`] : []),
  ];
  const details = typeof command.details === "function" ? await command.details() : command.details;
  if (details) sections.push("", details);
  sections.push("", "Options:", ...own);
  if (command.common.output) sections.push("", "Output options:", ...optionLines(OUTPUT_OPTIONS));
  if (command.common.source) sections.push("", "Source options:", ...optionLines(SOURCE_OPTIONS));
  sections.push("", "Examples:", ...command.examples.map((e) => `  ${e}`));
  return sections.join("\n") + "\n";
}

function shortUsage(name?: string): string {
  const command = name ? findCommand(name) : undefined;
  if (!command) return "Usage: ratgtex COMMAND [arguments] [options]   (ratgtex --help lists the commands)";
  return command.usage.map((u, i) => `${i === 0 ? "Usage: " : "       "}ratgtex ${u}`).join("\n") +
    `\nRun 'ratgtex ${command.name} --help' for the options and examples.`;
}

/** The output format: --format, else --out's extension, else table on a terminal and tsv in a pipe. */
function chooseFormat(values: OptionValues, command: string): Format {
  const given = stringOption(values, "format");
  const out = stringOption(values, "out");
  if (given !== undefined) {
    if (!(FORMATS as readonly string[]).includes(given)) {
      throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got ${JSON.stringify(given)}`, command);
    }
    if (given === "parquet" && out === undefined && isTerminal(Deno.stdout)) {
      throw new UsageError("parquet is binary: give --out FILE or redirect standard output", command);
    }
    return given as Format;
  }
  if (out !== undefined) {
    const format = formatOfPath(out);
    if (format) return format;
    const ext = /\.[^./\\]+$/.exec(out)?.[0];
    if (ext) {
      // An extension that names no format (.xlsx) would silently get TSV: refuse it.
      const known = Object.entries(EXTENSIONS).map(([e, f]) => `${e} (${f})`).join(", ");
      throw new UsageError(
        `--out ${JSON.stringify(out)}: the extension ${ext} names no output format; use one of ${known}, ` +
          `or give --format ${FORMATS.join("|")}`,
        command,
      );
    }
    return "tsv";
  }
  return isTerminal(Deno.stdout) ? "table" : "tsv";
}

/**
 * Run the command line with `args` (without the program name) and return the exit code: 0 success,
 * 1 runtime error, 2 usage error. Data goes to stdout (or `--out`), help to stdout, errors to stderr.
 */
export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  let commandName: string | undefined;
  // The library's warnings (cache trouble, a skipped item) speak code: say them in flags here.
  const warn = console.warn;
  console.warn = (...parts: unknown[]) => warn(...parts.map((p) => (typeof p === "string" ? cliText(p) : p)));
  try {
    if (name === undefined) throw new UsageError("no command given");
    if (name === "-h" || name === "--help" || (name === "help" && rest.length === 0)) {
      await writeStdout(encoder.encode(overview()));
      return 0;
    }
    const command = findCommand(name === "help" ? rest[0] : name);
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name === "help" ? rest[0] : name)}`);
    commandName = command.name;
    const { values, positionals } = parseOptions(name === "help" ? ["--help"] : rest, optionsOf(command), command.name);
    // Paths are relative to where the user stands (INIT_CWD under `deno task`), not to the project.
    for (const key of PATH_OPTIONS) if (typeof values[key] === "string") values[key] = userPath(values[key] as string);
    if (values.help) {
      await writeStdout(encoder.encode(await commandHelp(command)));
      return 0;
    }
    const format = command.common.output ? chooseFormat(values, command.name) : "table";
    // The client (and with it polars) is loaded only for a subcommand that takes the source options.
    const clientFrom = command.common.source ? (await import("./source.ts")).clientFrom : null;
    let client: Client | undefined;
    const output = await command.run({
      values,
      positionals,
      client: () => {
        // A programming error in the command table (a subcommand without source options asked for a client).
        if (clientFrom === null) throw new RatGtexError(`ratgtex ${command.name} takes no source options`);
        return (client ??= clientFrom(values, command.name));
      },
      note: printErr,
      forHuman: format === "table",
    });
    if (output === null) return 0;
    if ("exitCode" in output) return output.exitCode;
    const out = stringOption(values, "out");
    const bytes = "frame" in output
      ? (await import("./output.ts")).renderFrame(output.frame, format, {
        tableWidth: isTerminal(Deno.stdout) ? Deno.consoleSize().columns : undefined,
        rawCells: values["raw-cells"] === true,
        terminal: out === undefined && isTerminal(Deno.stdout),
      })
      : encoder.encode(out === undefined && isTerminal(Deno.stdout) ? escapeControl(output.text) : output.text);
    if (out !== undefined) await writeFileAtomic(out, bytes);
    else await writeStdout(bytes);
    return 0;
  } catch (e) {
    return reportError(e, commandName, await isAboutData(e));
  } finally {
    console.warn = warn;
  }
}

/**
 * Whether a ValidationError is about data rather than the command line: data a regression cannot fit
 * (RegressionInputError; in the CLI the data come from a server). Its module is loaded only to compare
 * classes when such an error is in hand (if it was thrown, it is loaded already). A malformed answer is a
 * ResponseFormatError, not a ValidationError, so it needs no case here.
 */
async function isAboutData(e: unknown): Promise<boolean> {
  if (!(e instanceof ValidationError)) return false;
  const { RegressionInputError } = await import("../analysis/regression/regression_types.ts");
  return e instanceof RegressionInputError;
}

/**
 * Print an error on stderr and return its exit code: 2 for a usage error (UsageError, a ValidationError
 * about the arguments: usage shown), 1 for everything else (HTTP, network, a malformed answer: no usage).
 */
function reportError(e: unknown, command: string | undefined, aboutData: boolean): number {
  const prefix = `ratgtex${command ? ` ${command}` : ""}: `;
  // A library error names its route first ("eqtl: invalid geneId …", "topExpressedGene: …"); the prefix
  // already says it, in the subcommand's spelling (top-expressed-gene): the route is printed once.
  if (e instanceof Error && command) {
    const route = e instanceof RatGtexError && e.route ? e.route : null;
    for (const name of [command, route, kebabToCamel(command)]) {
      if (name && e.message.startsWith(`${name}: `)) {
        e.message = e.message.slice(name.length + 2);
        break;
      }
    }
  }
  if (e instanceof UsageError) {
    printErr(`${prefix}${e.message}\n${shortUsage(e.command ?? command)}`);
    return 2;
  }
  // A bad ID or parameter refused before any request: the arguments were wrong.
  if (e instanceof ValidationError && !aboutData) {
    printErr(`${prefix}${e.message}\n${shortUsage(command)}`);
    return 2;
  }
  if (e instanceof Deno.errors.BrokenPipe) return 0; // e.g. `| head`: the reader has what it wanted
  if (e instanceof RatGtexError) {
    printErr(`${prefix}${e.message}`);
    return 1;
  }
  if (e instanceof Deno.errors.NotCapable) {
    printErr(`${prefix}${e.message}\n  → run with the permissions of 'npx -y deno@2.9.6 task cli' (see the README)`);
    return 1;
  }
  printErr(`${prefix}${e instanceof Error ? e.message : String(e)}`);
  return 1;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}

/** `top-expressed-gene` → `topExpressedGene` (a subcommand's route name). */
function kebabToCamel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The shape of one subcommand and the option groups the subcommands share. Light on purpose (no polars,
 * no plot): `lib/cli/main.ts` loads it at start-up whatever the subcommand, so that `ratgtex serve` or
 * `ratgtex kernel` run with their own narrow permissions. What a subcommand needs to run, it imports in
 * its `run`.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { Client } from "../api/client.ts";
import { type OptionTable, type OptionValues, UsageError } from "./args.ts";
import { FORMATS } from "./formats.ts";

/**
 * What a subcommand produces: a frame (written in the chosen format), plain text, nothing, or only an exit
 * code (for a subcommand that printed its own report, such as `notebook run`).
 */
export type CommandOutput = { frame: pl.DataFrame } | { text: string } | { exitCode: number } | null;

/** What a subcommand's `run` gets. */
export interface CommandContext {
  /** Parsed option values by long name (common options included). */
  values: OptionValues;
  /** Positional arguments after the subcommand name. */
  positionals: string[];
  /** The client built from `--source`, `--cache-dir`, `--no-cache`, `--refresh`, `--concurrency`. */
  client(): Client;
  /** Write a line to standard error (notes and warnings; never data). */
  note(text: string): void;
  /** True when the output is the terminal table (notes for a human reader are welcome). */
  forHuman: boolean;
}

/** One subcommand. */
export interface Command {
  /** Name, e.g. `"gene"` (the route's name in kebab case). */
  name: string;
  /** Other names, e.g. `["median"]`. */
  aliases: string[];
  /** One line: what it does. */
  summary: string;
  /** Usage lines after `ratgtex `, e.g. `"gene ID... [options]"`. */
  usage: string[];
  /** More help: columns, caveats; a function when the text comes from a module loaded on demand. */
  details?: string | (() => Promise<string>);
  /** Its own options. */
  options: OptionTable;
  /** Which common option groups it takes. */
  common: { output: boolean; source: boolean };
  /** Example command lines. */
  examples: string[];
  /** Do it. */
  run(context: CommandContext): Promise<CommandOutput>;
}

/** Options that say where the output goes and how it looks. */
export const OUTPUT_OPTIONS: OptionTable = {
  format: {
    type: "string",
    short: "f",
    value: "FMT",
    help: `${FORMATS.join("|")} (default: --out's extension, else table on a terminal, tsv otherwise)`,
  },
  out: {
    type: "string",
    short: "o",
    value: "FILE",
    help:
      "write to FILE instead of stdout, whole or not at all (a symlink is written through, a FIFO or device in place, the mode kept)",
  },
  "raw-cells": {
    type: "boolean",
    help:
      "csv/tsv: write text cells as they are (default: a cell starting with = + - @ gets a leading ' so spreadsheets do not run it)",
  },
};

/** Options that say where answers come from. */
export const SOURCE_OPTIONS: OptionTable = {
  source: {
    type: "string",
    value: "SRC",
    help: "offline | live | an API base URL (default: $RATGTEX_SOURCE, else live)",
  },
  "cache-dir": {
    type: "string",
    value: "DIR",
    help: "cache folder (default: $RATGTEX_CACHE_DIR, else the platform's)",
  },
  "no-cache": { type: "boolean", help: "do not read or write the disk cache" },
  refresh: { type: "boolean", help: "ignore cached answers (and store the fresh ones)" },
  concurrency: {
    type: "string",
    value: "N",
    help: "requests in flight at once (default 4; the server is one process)",
  },
};

/** The `--help` option every subcommand takes. */
export const HELP_OPTION: OptionTable = { help: { type: "boolean", short: "h", help: "show this help" } };

/** The common option groups of the data subcommands. */
export const DATA = { output: true, source: true };

/** The common option groups of a subcommand that takes neither. */
export const NO_COMMON = { output: false, source: false };

/**
 * The option table a command parses: its own, then the common groups it takes, then --help.
 */
export function optionsOf(command: Command): OptionTable {
  return {
    ...command.options,
    ...(command.common.output ? OUTPUT_OPTIONS : {}),
    ...(command.common.source ? SOURCE_OPTIONS : {}),
    ...HELP_OPTION,
  };
}

/**
 * Refuse positional arguments for a subcommand that takes none.
 */
export function noPositionals(positionals: string[], name: string): void {
  if (positionals.length > 0) {
    throw new UsageError(`${name} takes no arguments, got ${JSON.stringify(positionals.join(" "))}`, name);
  }
}

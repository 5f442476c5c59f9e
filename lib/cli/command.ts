/**
 * The shape of one subcommand, shared by the command table and the subcommands defined in other files.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { Client } from "../api/client.ts";
import type { OptionTable, OptionValues } from "./args.ts";

/** What a subcommand produces: a frame (written in the chosen format), plain text, or nothing. */
export type CommandOutput = { frame: pl.DataFrame } | { text: string } | null;

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
  /** More help: columns, caveats. */
  details?: string;
  /** Its own options. */
  options: OptionTable;
  /** Which common option groups it takes. */
  common: { output: boolean; source: boolean };
  /** Example command lines. */
  examples: string[];
  /** Do it. */
  run(context: CommandContext): Promise<CommandOutput>;
}

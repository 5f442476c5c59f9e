/**
 * The table of subcommands: the route, analysis, figure and service subcommands, in the order the help
 * lists them. `lib/cli/main.ts` drives parsing and help from this table alone.
 *
 * @module
 */
import { ANALYSIS_COMMANDS } from "./analysis.ts";
import type { Command } from "./command.ts";
import { FIGURES_COMMAND } from "./figures.ts";
import { GWAS_COMMANDS } from "./gwas.ts";
import { RELEASE_COMMANDS } from "./release.ts";
import { ROUTE_COMMANDS } from "./routes.ts";
import { SERVICE_COMMANDS } from "./services.ts";

/** Every subcommand, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  ...ROUTE_COMMANDS,
  ...RELEASE_COMMANDS,
  ...GWAS_COMMANDS,
  ...ANALYSIS_COMMANDS,
  FIGURES_COMMAND,
  ...SERVICE_COMMANDS,
];

/**
 * The command called `name` (or one of its aliases, or its route's camelCase name), or undefined.
 */
export function findCommand(name: string): Command | undefined {
  const camel = (s: string) => s.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
  return COMMANDS.find((c) => c.name === name || c.aliases.includes(name) || camel(c.name) === name);
}

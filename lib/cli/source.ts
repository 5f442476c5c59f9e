/**
 * The client a data subcommand asked for. Loaded when such a subcommand runs (the client loads polars).
 *
 * @module
 */
import { type Client, createClient, defaultClient } from "../api/client.ts";
import { integerOption, type OptionValues, stringOption } from "./args.ts";

/**
 * Build the client a data subcommand asked for: `--source`, else the library's default source
 * (`$RATGTEX_SOURCE`, else live: read by the library, in one place), with the cache and concurrency options.
 */
export function clientFrom(values: OptionValues, command: string): Client {
  const source = stringOption(values, "source") ?? defaultClient().source;
  const concurrency = integerOption(values, "concurrency", 1, 64, command);
  const cacheDir = stringOption(values, "cache-dir");
  return createClient({
    source,
    ...(cacheDir ? { cacheDir } : {}),
    ...(values["no-cache"] ? { cache: false } : {}),
    ...(values.refresh ? { refresh: true } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
  });
}

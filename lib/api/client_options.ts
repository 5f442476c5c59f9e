/**
 * The options of a client and its counters: the types, their documentation (defaults and ranges), and
 * the table `checkOptions` applies. (The options of one call, which name the client, are in client.ts.)
 *
 * @module
 */
import type { OptionType } from "../_core/options.ts";

/** Options of {@link createClient}. */
export interface ClientOptions {
  /**
   * `"live"` (default unless `RATGTEX_SOURCE` says otherwise), `"offline"`, an API base URL ending in
   * `/api/v4`, or a release folder (`data/v4`, e.g. a copy of https://ratgtex.org/data/v4/) given as an
   * absolute path, a `./`/`../`/`~/` path or a `file:` URL, answered in-process by the twin over that folder.
   */
  source?: "live" | "offline" | string;
  /**
   * Cache folder (default: the platform cache folder, or `RATGTEX_CACHE_DIR`; none without a home). A
   * folder owned by another user or writable by others is refused (warned once; answers are then not cached).
   */
  cacheDir?: string;
  /** Use the disk cache (default: true for HTTP sources, false for offline). */
  cache?: boolean;
  /** Ignore cached answers (they are still refreshed on disk). */
  refresh?: boolean;
  /** Requests in flight at once, across all calls of this client (default 4: the server is one process). */
  concurrency?: number;
  /**
   * Time limit of one attempt, in ms (default 30,000; at most 2,147,483,647, the longest timer): it covers
   * connecting, redirects, reading the body and parsing it.
   */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** Base of the exponential backoff, in ms (default 250). */
  retryBaseMs?: number;
  /** Longest `Retry-After` honoured, in ms (default 60,000; at most 2,147,483,647); a longer one fails at once. */
  maxRetryAfterMs?: number;
  /**
   * Largest answer read, in bytes counted after decompression (default 67,108,864 = 64 MiB, about ten
   * times the largest real answer; at most 536,870,912). The body is read as a stream and reading stops
   * there: a bigger or endless answer is a `ResponseTooLargeError`, not retried and never cached.
   */
  maxResponseBytes?: number;
  /** IDs per request for the list routes `gene` and `variant` (default 100; URL length also caps it). */
  batchSize?: number;
  /** Longest URL sent, in characters (default 2,000). */
  maxUrlLength?: number;
  /**
   * Check gene IDs against RatGTEx's own list before sending (default true): an unknown or wrong-case ID
   * is a ValidationError with the closest IDs. `false` sends them unchecked (the server then answers an
   * unknown gene with an empty list or an HTTP 500).
   */
  checkGenes?: boolean;
  /** Draw a progress bar on stderr for long fan-outs when stderr is a terminal (default true). */
  progress?: boolean;
  /** The fetch function (default: the global `fetch`). */
  fetch?: (input: Request) => Promise<Response>;
}

/** Counters of one client. */
export interface ClientStats {
  /** HTTP requests sent (attempts, retries included). */
  requests: number;
  /** Answers served from the disk cache. */
  cacheHits: number;
  /** Retries made. */
  retries: number;
  /** Most requests in flight at once. */
  maxInFlight: number;
  /** Requests for RatGTEx's gene list (`autocomplete.v4.json`, fetched once per client to check gene IDs). */
  geneListRequests: number;
  /** Milliseconds waited before retries, in all (`Retry-After` when the server sent it, else the backoff). */
  retryWaitMs: number;
  /** Milliseconds waited before the latest retry (0 before any). */
  lastRetryWaitMs: number;
}

/** The longest delay a timer takes (2³¹ − 1 ms): a longer one would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A number option: its range (and type) is checked by the constructor, which names the option. */
const NUMBER: OptionType = { is: () => true, expected: "a number" };

/** What each option of {@link ClientOptions} must be. */
export const CLIENT_OPTIONS = {
  source: "string",
  cacheDir: "string",
  cache: "boolean",
  refresh: "boolean",
  concurrency: NUMBER,
  timeoutMs: NUMBER,
  retries: NUMBER,
  retryBaseMs: NUMBER,
  maxRetryAfterMs: NUMBER,
  maxResponseBytes: NUMBER,
  batchSize: NUMBER,
  maxUrlLength: NUMBER,
  checkGenes: "boolean",
  progress: "boolean",
  fetch: "function",
} as const satisfies Record<keyof ClientOptions, OptionType>;

/** What the cache holds: counts and size. */
export interface CacheInfo {
  /** The cache folder. */
  dir: string;
  /** Number of entries. */
  entries: number;
  /** Total size in bytes. */
  bytes: number;
}

/**
 * The client: where answers come from (the live API, any base URL, or the bundled offline universe) and
 * the policy for getting them — validation before sending, one concurrency limit, timeouts, retries with
 * backoff that honour `Retry-After`, a verified disk cache, and typed errors.
 *
 * Retry policy (documented for users in the README): an idempotent GET is retried up to `retries` times on
 * a network error, a timeout, a truncated JSON body, and HTTP 429, 502, 503 and 504, waiting
 * `Retry-After` when the server sends it (up to `maxRetryAfterMs`) and otherwise an exponential backoff
 * with full jitter (a random wait up to `retryBaseMs · 2^(attempt − 1)`, capped at 8 s). HTTP 500 is NOT retried: the RatGTEx
 * server answers 500 for bad input (unknown gene or tissue, untested pair, multi-allelic variant), which
 * a retry cannot fix; the error says what to check. 404 is a {@link NotFoundError}, never retried.
 * A 200 whose body is not JSON (an HTML page from a proxy) or not the route's shape fails at once
 * ({@link ResponseFormatError}); only a complete, well-formed answer is returned and cached. A request URL
 * longer than `maxUrlLength` is refused before sending (the real server's gunicorn rejects long lines).
 * Cache trouble (no permission, a broken disk) never loses an answer: it is warned once and skipped.
 *
 * @module
 */
import { defaultCacheDir, ResponseCache } from "./_cache.ts";
import { checkOptions, type OptionType } from "../_core/options.ts";
import { resolveSource } from "../_core/source.ts";
import {
  HttpError,
  NetworkError,
  NotFoundError,
  type RatGtexError,
  ResponseFormatError,
  TimeoutError,
  ValidationError,
} from "../_core/errors.ts";
import { parseApiJson } from "../_core/json_read.ts";
import { type Route, UnknownTissueError, V4_TISSUE_IDS, validateParams } from "./_params.ts";

export { defaultCacheDir, ResponseCache };
export type { CacheInfo } from "./_cache.ts";

/** The live API. */
export const LIVE_BASE_URL = "https://ratgtex.org/api/v4";
/** The pseudo base URL of the in-process twin over a release folder (never resolved on a network). */
export const FOLDER_BASE_URL = "http://folder.ratgtex.invalid/api/v4";

/** The pseudo base URL of the in-process offline twin (never resolved on a network). */
export const OFFLINE_BASE_URL = "http://offline.ratgtex.invalid/api/v4";

/** Options of {@link createClient}. */
export interface ClientOptions {
  /**
   * `"live"` (default unless `RATGTEX_SOURCE` says otherwise), `"offline"`, an API base URL ending in
   * `/api/v4`, or the path of a release folder (`data/v4`, e.g. a copy of https://ratgtex.org/data/v4/),
   * answered in-process by the twin over that folder.
   */
  source?: "live" | "offline" | string;
  /** Cache folder (default: the platform cache folder, or `RATGTEX_CACHE_DIR`). */
  cacheDir?: string;
  /** Use the disk cache (default: true for HTTP sources, false for offline). */
  cache?: boolean;
  /** Ignore cached answers (they are still refreshed on disk). */
  refresh?: boolean;
  /** Requests in flight at once, across all calls of this client (default 4: the server is one process). */
  concurrency?: number;
  /** Time limit of one attempt, in ms (default 30,000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** Base of the exponential backoff, in ms (default 250). */
  retryBaseMs?: number;
  /** Longest `Retry-After` honoured, in ms (default 60,000); a longer one fails at once. */
  maxRetryAfterMs?: number;
  /** IDs per request for the list routes `gene` and `variant` (default 100; URL length also caps it). */
  batchSize?: number;
  /** Longest URL sent, in characters (default 2,000). */
  maxUrlLength?: number;
  /** Draw a progress bar on stderr for long fan-outs when stderr is a terminal (default true). */
  progress?: boolean;
  /** The fetch function (default: the global `fetch`). */
  fetch?: (input: Request) => Promise<Response>;
}

/** Options of one call. */
export interface CallOptions {
  /** The client (default: {@link defaultClient}). */
  client?: Client;
  /** Return the parsed JSON unchanged (NaN tokens read as NaN) instead of frames. */
  raw?: boolean;
  /** Abort the call. */
  signal?: AbortSignal;
  /** Ignore cached answers for this call. */
  refresh?: boolean;
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
}

/** A counting semaphore: at most `limit` holders at once, first come first served. */
class Semaphore {
  #free: number;
  #queue: (() => void)[] = [];
  constructor(limit: number) {
    this.#free = limit;
  }
  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = this.#queue.indexOf(grant);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(grant);
    });
  }
  release(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#free++;
  }
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** A number option: its range (and type) is checked by the constructor, which names the option. */
const NUMBER: OptionType = { is: () => true, expected: "a number" };

/** What each option of {@link ClientOptions} must be. */
const CLIENT_OPTIONS = {
  source: "string",
  cacheDir: "string",
  cache: "boolean",
  refresh: "boolean",
  concurrency: NUMBER,
  timeoutMs: NUMBER,
  retries: NUMBER,
  retryBaseMs: NUMBER,
  maxRetryAfterMs: NUMBER,
  batchSize: NUMBER,
  maxUrlLength: NUMBER,
  progress: "boolean",
  fetch: "function",
} as const satisfies Record<keyof ClientOptions, OptionType>;

/** Why a 500 from this route happens, and what to check: the real server's 500s are bad input. */
const HINT_500: Partial<Record<Route, string>> = {
  geneExpression: "the server answers 500 for an unknown gene: check the ID with gene() (IDs are exact, e.g. Cd300lf)",
  medianGeneExpression:
    "the server answers 500 when no gene ID is known or a tissue ID is unknown: check the genes with gene()",
  dyneqtl:
    "the server answers 500 for an unknown gene, a pair never tested for eQTLs in that tissue (see geneStatus()), or a multi-allelic variant (see variant())",
  variant: "the server answers 500 for a multi-allelic variant: ask for the others separately",
  gene: "the server answers 500 for an empty gene ID",
};

/**
 * A source of RatGTEx answers with its policy. Create one with {@link createClient}.
 */
export class Client {
  /** `"live"`, `"offline"` or the base URL given. */
  readonly source: string;
  /** The API base URL requests go to. */
  readonly baseUrl: string;
  /** True for the in-process offline twin (synthetic data). */
  readonly offline: boolean;
  /** The disk cache, or null when off. */
  readonly cache: ResponseCache | null;
  /** Counters. */
  readonly stats: ClientStats = { requests: 0, cacheHits: 0, retries: 0, maxInFlight: 0 };
  /** Options in force (defaults filled in). */
  readonly options: Required<Omit<ClientOptions, "fetch" | "cacheDir" | "source">>;

  #fetch: (input: Request) => Promise<Response>;
  #slots: Semaphore;
  #inFlight = 0;
  #pending = new Map<string, SharedRequest>();
  #tissues: string[] | null = null;

  /** Use {@link createClient}. */
  constructor(options: ClientOptions = {}) {
    checkOptions(options, CLIENT_OPTIONS, { name: "options", usage: "createClient({ source: 'offline' })" });
    const source = options.source ?? "live";
    this.source = source;
    this.offline = source === "offline";
    const folder = this.offline || source === "live" ? null : folderOf(source);
    this.baseUrl = source === "live"
      ? LIVE_BASE_URL
      : this.offline
      ? OFFLINE_BASE_URL
      : folder !== null
      ? FOLDER_BASE_URL
      : normaliseBase(source);
    const positive = (name: string, v: number | undefined, d: number, min = 1) => {
      const value = v ?? d;
      if (!Number.isFinite(value) || value < min) {
        throw new ValidationError(name, v, `must be a number ≥ ${min}`, `e.g. createClient({ ${name}: ${d} })`);
      }
      return value;
    };
    this.options = {
      cache: options.cache ?? (!this.offline && folder === null),
      refresh: options.refresh ?? false,
      concurrency: Math.floor(positive("concurrency", options.concurrency, 4)),
      timeoutMs: positive("timeoutMs", options.timeoutMs, 30_000),
      retries: Math.floor(positive("retries", options.retries, 3, 0)),
      retryBaseMs: positive("retryBaseMs", options.retryBaseMs, 250, 0),
      maxRetryAfterMs: positive("maxRetryAfterMs", options.maxRetryAfterMs, 60_000, 0),
      batchSize: Math.floor(positive("batchSize", options.batchSize, 100)),
      maxUrlLength: positive("maxUrlLength", options.maxUrlLength, 2000, 100),
      progress: options.progress ?? true,
    };
    this.cache = this.options.cache ? new ResponseCache(options.cacheDir ?? defaultCacheDir()) : null;
    this.#slots = new Semaphore(this.options.concurrency);
    if (options.fetch) this.#fetch = options.fetch;
    else if (this.offline) this.#fetch = offlineFetch;
    else if (folder !== null) this.#fetch = folderFetch(folder);
    else this.#fetch = (request) => fetch(request);
  }

  /** The full URL of a route call (query values percent-encoded; commas kept, as the portal sends them). */
  url(route: Route, query: Record<string, string>): string {
    const parts = Object.entries(query).map(([k, v]) =>
      `${encodeURIComponent(k)}=${encodeURIComponent(v).replaceAll("%2C", ",").replaceAll("%3A", ":")}`
    );
    return `${this.baseUrl}/${route}${parts.length ? "?" + parts.join("&") : ""}`;
  }

  /**
   * The valid tissue IDs, from `tissueInfo` (fetched once per client). Concurrent callers share one
   * request through {@link Client.json}, each with its own signal: one giving up never fails another.
   */
  async tissueIds(signal?: AbortSignal): Promise<string[]> {
    if (this.#tissues) return this.#tissues;
    // json() has checked the answer's shape: tissueInfo is a list.
    const body = await this.json("tissueInfo", {}, { signal }) as { tissueInfo: { tissueSiteDetailId: string }[] };
    return this.#tissues ??= body.tissueInfo.map((t) => t.tissueSiteDetailId);
  }

  /**
   * Validate a route's parameters and return its query. Tissue IDs are checked against `tissueInfo`,
   * which is fetched (once) only when an ID is not one of the known v4 tissues.
   */
  async validate(route: Route, params: object, signal?: AbortSignal): Promise<Record<string, string>> {
    try {
      return validateParams(route, params, V4_TISSUE_IDS);
    } catch (e) {
      // A well-formed tissue ID that is not a v4 tissue: ask the server's own list (one tissueInfo request per
      // client) before refusing. A case slip of a v4 ID (`il` for `IL`) is refused at once: IDs are case-sensitive.
      if (!(e instanceof UnknownTissueError)) throw e;
      const value = String(e.value).toLowerCase();
      if (V4_TISSUE_IDS.some((t) => t.toLowerCase() === value)) throw e;
      return validateParams(route, params, await this.tissueIds(signal));
    }
  }

  /** Get the body text of a validated route call, through the cache, the concurrency limit and retries. */
  text(
    route: Route,
    query: Record<string, string>,
    options: { signal?: AbortSignal; refresh?: boolean } = {},
  ): Promise<string> {
    const url = this.url(route, query);
    if (url.length > this.options.maxUrlLength) {
      // Refused before sending: the real server (gunicorn) rejects request lines over 4094 bytes with a bare 400.
      const [name, value] = Object.entries(query).reduce((a, b) => (b[1].length > a[1].length ? b : a), ["query", ""]);
      return Promise.reject(
        new ValidationError(
          name,
          value,
          `the request URL would be ${url.length} characters, more than maxUrlLength (${this.options.maxUrlLength})`,
          route === "medianGeneExpression"
            ? "ask for fewer genes at once (the portal caps this view at 100)"
            : "ask for fewer IDs at once",
          route,
        ),
      );
    }
    return this.#shared(route, query, url, options).then((answer) => answer.text);
  }

  /**
   * The parsed body of a validated route call (the server's bare `NaN` read as NaN), through the same path
   * as {@link Client.text}; the body is parsed once, when it is fetched or read from the cache.
   */
  json(
    route: Route,
    query: Record<string, string>,
    options: { signal?: AbortSignal; refresh?: boolean } = {},
  ): Promise<unknown> {
    const url = this.url(route, query);
    if (url.length > this.options.maxUrlLength) return this.text(route, query, options);
    return this.#shared(route, query, url, options).then((answer) => answer.body);
  }

  /**
   * Identical concurrent calls share one fetch. The fetch runs under its own controller, and each caller
   * races it against its own signal: one caller giving up never cancels another's call; the fetch is
   * aborted only when every caller waiting for it has given up.
   */
  async #shared(
    route: Route,
    query: Record<string, string>,
    url: string,
    options: { signal?: AbortSignal; refresh?: boolean },
  ): Promise<Answer> {
    options.signal?.throwIfAborted();
    const refresh = options.refresh ?? this.options.refresh;
    const key = `${refresh ? "refresh " : ""}${url}`;
    let entry = this.#pending.get(key);
    if (!entry) {
      const controller = new AbortController();
      const created: SharedRequest = {
        controller,
        waiters: 0,
        promise: this.#textUncached(route, query, url, refresh, controller.signal).finally(() => {
          if (this.#pending.get(key) === created) this.#pending.delete(key);
        }),
      };
      entry = created;
      this.#pending.set(key, entry);
    }
    const shared = entry;
    shared.waiters++;
    const signal = options.signal;
    if (!signal) {
      try {
        return await shared.promise;
      } finally {
        shared.waiters--;
      }
    }
    const abort = aborted(signal);
    try {
      return await Promise.race([shared.promise, abort.promise]);
    } finally {
      abort.dispose();
      if (--shared.waiters === 0 && signal.aborted) {
        this.#pending.delete(key);
        shared.controller.abort(signal.reason);
        shared.promise.catch(() => {}); // nobody waits for it any more
      }
    }
  }

  async #textUncached(
    route: Route,
    query: Record<string, string>,
    url: string,
    refresh: boolean,
    signal?: AbortSignal,
  ): Promise<Answer> {
    if (this.cache && !refresh) {
      // A cache that cannot be read (no permission, a broken disk) is a miss, not a failure.
      const hit = await this.cache.get(url).catch((e) => this.#cacheTrouble("read", e));
      if (hit) {
        // Entries are only written for answers that parsed and had the route's shape; a hit that no longer
        // does (written by another version) is refetched.
        try {
          const body = parseApiJson(hit);
          if (shapeProblem(route, body) === null) {
            this.stats.cacheHits++;
            return { text: hit, body };
          }
        } catch {
          // fall through to a fresh fetch
        }
      }
    }
    const answer = await this.#fetchWithRetries(route, query, url, signal);
    if (this.cache) await this.cache.put(url, answer.text).catch((e) => this.#cacheTrouble("write", e));
    return answer;
  }

  #cacheWarned = false;

  /** Report a cache problem once per client; the answer itself is still served. */
  #cacheTrouble(what: string, error: unknown): null {
    if (!this.#cacheWarned) {
      this.#cacheWarned = true;
      const why = error instanceof Error ? error.message : String(error);
      console.warn(
        `ratgtex: cannot ${what} the cache in ${this.cache?.dir} (${why}); answers are not cached. ` +
          "Set cacheDir (or RATGTEX_CACHE_DIR) to a writable folder, allow it with --allow-write=<folder>, or pass cache: false.",
      );
    }
    return null;
  }

  async #fetchWithRetries(
    route: Route,
    query: Record<string, string>,
    url: string,
    signal?: AbortSignal,
  ): Promise<Answer> {
    const context = { route, params: query };
    const maxAttempts = this.options.retries + 1;
    let lastError: RatGtexError | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      signal?.throwIfAborted();
      let waitMs: number | null = null;
      await this.#slots.acquire(signal);
      this.#inFlight++;
      this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.#inFlight);
      this.stats.requests++;
      try {
        const outcome = await this.#attempt(url, signal);
        if (outcome.kind === "ok") {
          const { status, text, retryAfter } = outcome;
          if (status === 200) {
            let body: unknown;
            try {
              body = parseApiJson(text);
            } catch (cause) {
              // A body that starts like JSON but does not parse was cut short: retry. Anything else is
              // a deterministic wrong answer (an HTML page from a proxy): fail now.
              const truncated = /^\s*[{[]/.test(text);
              lastError = new ResponseFormatError(
                truncated ? "the answer was cut short (truncated JSON)" : "the answer is not JSON",
                text,
                { ...context, cause, attempts: attempt },
              );
              if (!truncated) throw lastError;
              body = undefined;
            }
            if (body !== undefined) {
              // Valid JSON of the wrong shape (an error object, another API) is never accepted nor cached.
              const problem = shapeProblem(route, body);
              if (problem) throw new ResponseFormatError(problem, text, { ...context, attempts: attempt });
              return { text, body };
            }
          } else if (status === 404) {
            throw new NotFoundError(text, {
              ...context,
              attempts: attempt,
              hint: route === "dyneqtl"
                ? "the variant is not in this tissue's genotypes: check it with variant() and the gene's eQTLs with eqtl()"
                : "the route or base URL may be wrong: the source must end in /api/v4",
            });
          } else if (RETRYABLE_STATUS.has(status)) {
            lastError = new HttpError(status, text, {
              ...context,
              attempts: attempt,
              hint: status === 429
                ? "the server is rate-limiting: lower `concurrency`, or wait and retry"
                : "the server is unavailable: try again later",
            });
            if (retryAfter !== null) {
              if (retryAfter > this.options.maxRetryAfterMs) {
                throw new HttpError(status, text, {
                  ...context,
                  attempts: attempt,
                  hint: `the server asks to wait ${
                    Math.round(retryAfter / 1000)
                  } s (Retry-After), more than maxRetryAfterMs: try again later`,
                });
              }
              waitMs = retryAfter;
            }
          } else {
            throw new HttpError(status, text, {
              ...context,
              attempts: attempt,
              hint: status === 500
                ? HINT_500[route] ?? "the server answers 500 for bad input: check the IDs"
                : "unexpected status from the server",
            });
          }
        } else {
          lastError = outcome.error(context, attempt);
        }
      } finally {
        this.#inFlight--;
        this.#slots.release();
      }
      if (attempt < maxAttempts) {
        this.stats.retries++;
        const backoff = Math.random() * Math.min(8000, this.options.retryBaseMs * 2 ** (attempt - 1));
        await sleep(waitMs ?? backoff, signal);
      }
    }
    throw withAttempts(lastError!, maxAttempts);
  }

  async #attempt(url: string, signal?: AbortSignal): Promise<
    | { kind: "ok"; status: number; text: string; retryAfter: number | null }
    | {
      kind: "failed";
      error: (context: { route: Route; params: Record<string, string> }, attempt: number) => RatGtexError;
    }
  > {
    // An own timer, cleared when the attempt ends: AbortSignal.timeout with a listener would keep the
    // process alive for timeoutMs after the answer (a script would hang 30 s before exiting).
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new DOMException("timed out", "TimeoutError")),
      this.options.timeoutMs,
    );
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    const abort = aborted(combined);
    try {
      const exchange = (async () => {
        const response = await this.#fetch(
          new Request(url, { signal: combined, headers: { accept: "application/json" } }),
        );
        const text = await response.text();
        return { status: response.status, text, retryAfter: parseRetryAfter(response.headers.get("retry-after")) };
      })();
      // Race the abort too: a fetch function that ignores the signal (an in-process handler) still times out.
      const { status, text, retryAfter } = await Promise.race([exchange, abort.promise]);
      return { kind: "ok", status, text, retryAfter };
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      if (cause instanceof Deno.errors.NotCapable || cause instanceof Deno.errors.PermissionDenied) {
        // No permission is not a network fault: retrying cannot help, and the hint names the flag.
        const host = new URL(url).host;
        throw new NetworkError(`no permission to reach ${host}`, {
          cause,
          hint: `run Deno with --allow-net=${host} (or use the offline source: RATGTEX_SOURCE=offline)`,
        });
      }
      if (timeout.signal.aborted) {
        return {
          kind: "failed",
          error: (context, attempts) => new TimeoutError(this.options.timeoutMs, { ...context, attempts }),
        };
      }
      return {
        kind: "failed",
        error: (context, attempts) =>
          new NetworkError(
            `no answer from ${this.baseUrl}: ${cause instanceof Error ? cause.message : String(cause)}`,
            {
              ...context,
              attempts,
              cause,
              hint: this.source === "live"
                ? "check the network connection, or work offline with createClient({ source: 'offline' }) / RATGTEX_SOURCE=offline"
                : "check that the server at the source URL is running",
            },
          ),
      };
    } finally {
      clearTimeout(timer);
      abort.dispose();
    }
  }
}

/** A fetched answer: its text (what the cache stores) and its parsed body. */
interface Answer {
  text: string;
  body: unknown;
}

/** One fetch shared by identical concurrent calls. */
interface SharedRequest {
  promise: Promise<Answer>;
  controller: AbortController;
  waiters: number;
}

/** What is wrong with a parsed 200 answer of `route`, or null when it has the route's shape. */
function shapeProblem(route: Route, body: unknown): string | null {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return "the answer is not a JSON object";
  const b = body as Record<string, unknown>;
  if (route === "dyneqtl") {
    return Array.isArray(b.data) && Array.isArray(b.genotypes)
      ? null
      : 'the answer has no "data" and "genotypes" lists';
  }
  if (!Array.isArray(b[route])) return `the answer has no "${route}" list`;
  if (route === "medianGeneExpression" && (b.clusters === null || typeof b.clusters !== "object")) {
    return 'the answer has no "clusters"';
  }
  return null;
}

function withAttempts(error: RatGtexError, attempts: number): RatGtexError {
  (error as { attempts?: number }).attempts = attempts;
  return error;
}

function normaliseBase(source: string): string {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new ValidationError(
      "source",
      source,
      "neither 'live', 'offline' nor a URL",
      "e.g. 'offline' or 'http://127.0.0.1:8000/api/v4'",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ValidationError(
      "source",
      source,
      "only http and https URLs are supported",
      "e.g. 'http://127.0.0.1:8000/api/v4'",
    );
  }
  return url.href.replace(/\/+$/, "");
}

/** Retry-After in ms: seconds or an HTTP date; null when absent or unreadable. */
function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/** A promise that rejects when `signal` aborts (never settles otherwise), and a way to stop listening. */
function aborted(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  promise.catch(() => {}); // settled after the race is over: not an unhandled rejection
  return { promise, dispose: () => signal.removeEventListener("abort", onAbort) };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const id = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(id);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

let offlineHandler: Promise<(request: Request) => Promise<Response>> | null = null;

/** The in-process twin: the same handler that `deno task serve` puts behind HTTP. */
function offlineFetch(request: Request): Promise<Response> {
  offlineHandler ??= import("../offline/twin.ts")
    .then(async ({ createTwin }) => (await createTwin()).handler)
    .catch((e) => {
      offlineHandler = null; // a failed start (e.g. no --allow-read) is not remembered
      throw e;
    });
  return offlineHandler.then((handler) => handler(request));
}

/** A source that names a folder (a path or a file: URL, not an http(s) URL), or null. */
function folderOf(source: string): string | null {
  if (source.startsWith("file:")) return new URL(source).pathname;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return null;
  return source;
}

/** The in-process twin over a release folder (one per folder and process). */
const folderHandlers = new Map<string, Promise<(request: Request) => Promise<Response>>>();
function folderFetch(folder: string): (request: Request) => Promise<Response> {
  return (request) => {
    let handler = folderHandlers.get(folder);
    if (!handler) {
      handler = import("../offline/twin.ts").then(async ({ createTwin }) =>
        (await createTwin({ data: folder })).handler
      );
      handler.catch(() => folderHandlers.delete(folder));
      folderHandlers.set(folder, handler);
    }
    return handler.then((h) => h(request));
  };
}

/**
 * Create a client.
 *
 * @param options Where answers come from and the policy for getting them (every option optional; an
 *   unknown or mistyped option is a ValidationError naming `options`).
 * @returns The client.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, tissueInfo, ValidationError } from "ratgtex";
 * const client = createClient({ source: "offline" });
 * const tissues = await tissueInfo({}, { client });
 * assert.equal(tissues.height, 13);
 * assert.throws(() => createClient({ sorce: "offline" } as never), ValidationError);
 * ```
 */
export function createClient(options: ClientOptions = {}): Client {
  return new Client(options);
}

let defaultInstance: Client | null = null;

/**
 * The client used when a call passes none: its source is the environment variable `RATGTEX_SOURCE`
 * (`live`, `offline` or a base URL; `live` when unset or unreadable), its cache folder
 * `RATGTEX_CACHE_DIR` or the platform default. Created once.
 *
 * @returns The shared default client.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultClient } from "ratgtex";
 * assert.equal(defaultClient(), defaultClient());
 * assert.equal(typeof defaultClient().source, "string");
 * ```
 */
export function defaultClient(): Client {
  return defaultInstance ??= new Client({ source: resolveSource() });
}

/**
 * One line that says where a client's answers come from — and, for the offline source, that they are
 * synthetic. Notebooks and the demo print it first, so no reader mistakes the offline universe for RatGTEx.
 *
 * @param client The client (default: {@link defaultClient}).
 * @returns One line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, describeSource } from "ratgtex";
 * const line = describeSource(createClient({ source: "offline" }));
 * assert.ok(line.startsWith("Source: offline, the bundled synthetic universe"));
 * assert.match(line, /SYNTHETIC/);
 * ```
 */
export function describeSource(client: Client = defaultClient()): string {
  if (client.offline) {
    return "Source: offline, the bundled synthetic universe (fixtures/README.md). " +
      "The data are SYNTHETIC: do not draw biological conclusions.";
  }
  return client.source === "live" ? `Source: ${client.baseUrl} (the live RatGTEx API)` : `Source: ${client.baseUrl}`;
}

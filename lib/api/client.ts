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
 * A 200 whose body is not JSON (an HTML page from a proxy), not UTF-8, or not the route's schema row by row
 * fails at once ({@link ResponseFormatError} naming the row and field); only a complete, checked answer is
 * returned and cached. A body is read as a stream up to `maxResponseBytes` (after decompression; over it:
 * `ResponseTooLargeError`, not retried), and `timeoutMs` covers connecting, redirects, reading and parsing.
 * Redirects are followed only within the source's origin (never to another host or port, never https→http),
 * at most 5 times. A request URL longer than `maxUrlLength` is refused before sending (the real server's
 * gunicorn rejects long lines).
 * Cache trouble (no permission, a broken disk) never loses an answer: it is warned once and skipped.
 *
 * @module
 */
import { defaultCacheDir, ResponseCache } from "./_cache.ts";
import { checkOptions } from "../_core/options.ts";
import { resolveSource } from "../_core/source.ts";
import { HttpError, NetworkError, NotFoundError, ResponseFormatError, ValidationError } from "../_core/errors.ts";
import { parseApiJson } from "../_core/json_read.ts";
import {
  checkKnownGenes,
  checkTissueId,
  geneListUrl,
  type Route,
  UnknownTissueError,
  V4_TISSUE_IDS,
  validateParams,
} from "./_params.ts";
import { type Fetched, GENE_LIST } from "./_answer.ts";
import { baseUrlOf, folderOf, LIVE_BASE_URL, OFFLINE_BASE_URL, sourceFetch } from "./_source.ts";
import { aborted, type Answer, RETRYABLE_STATUS, Transport } from "./_transport.ts";
import {
  type CacheInfo,
  CLIENT_OPTIONS,
  type ClientOptions,
  type ClientStats,
  MAX_TIMER_MS,
} from "./client_options.ts";

export type { ClientOptions, ClientStats };

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

import { answerProblem } from "./_answer.ts";

// For the CLI's `cache` command (not exported by any entry point).
export { defaultCacheDir, LIVE_BASE_URL, OFFLINE_BASE_URL, ResponseCache };
export type { CacheInfo };

/** A client's disk cache of answers, as a user may look into it or clear it (`client.cache`). */
export interface AnswerCache {
  /** The cache folder. */
  readonly dir: string;
  /** The cached body of a route call's URL, or null (absent, stale or damaged). */
  get(url: string): Promise<string | null>;
  /** Forget one URL's answer. */
  delete(url: string): Promise<void>;
  /** Forget every answer. */
  clear(): Promise<void>;
  /** How many answers are cached and how many bytes they take. */
  info(): Promise<CacheInfo>;
}

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
  /** The disk cache of answers, or null when off. */
  readonly cache: AnswerCache | null;
  #cache: ResponseCache | null;
  /** Counters. */
  readonly stats: ClientStats = {
    requests: 0,
    cacheHits: 0,
    retries: 0,
    maxInFlight: 0,
    geneListRequests: 0,
    retryWaitMs: 0,
    lastRetryWaitMs: 0,
  };
  /** Where RatGTEx's list of gene IDs is (derived from the base URL), or null when the base URL has none. */
  readonly geneListUrl: string | null;
  /** Options in force (defaults filled in). */
  readonly options: Required<Omit<ClientOptions, "fetch" | "cacheDir" | "source">>;

  #transport: Transport;
  #pending = new Map<string, SharedRequest>();
  #tissues: string[] | null = null;
  /** The gene IDs (a set), null when the source has no list, undefined before the first fetch. */
  #genes: Set<string> | null | undefined = undefined;
  #genesWarned = false;

  /** Use {@link createClient}. */
  constructor(options: ClientOptions = {}) {
    checkOptions(options, CLIENT_OPTIONS, { name: "options", usage: "createClient({ source: 'offline' })" });
    const source = options.source ?? "live";
    this.source = source;
    this.offline = source === "offline";
    this.baseUrl = baseUrlOf(source);
    const folder = folderOf(source);
    this.geneListUrl = geneListUrl(this.baseUrl);
    const positive = (name: string, v: number | undefined, d: number, min = 1, max = Number.MAX_SAFE_INTEGER) => {
      const value = v ?? d;
      if (!Number.isFinite(value) || value < min || value > max) {
        throw new ValidationError(
          name,
          v,
          `must be a number from ${min} to ${max}`,
          `e.g. createClient({ ${name}: ${d} })`,
        );
      }
      return value;
    };
    this.options = {
      cache: options.cache ?? (!this.offline && folder === null),
      refresh: options.refresh ?? false,
      concurrency: Math.floor(positive("concurrency", options.concurrency, 4)),
      timeoutMs: positive("timeoutMs", options.timeoutMs, 30_000, 1, MAX_TIMER_MS),
      retries: Math.floor(positive("retries", options.retries, 3, 0, 100)),
      retryBaseMs: positive("retryBaseMs", options.retryBaseMs, 250, 0, MAX_TIMER_MS),
      maxRetryAfterMs: positive("maxRetryAfterMs", options.maxRetryAfterMs, 60_000, 0, MAX_TIMER_MS),
      maxResponseBytes: Math.floor(positive("maxResponseBytes", options.maxResponseBytes, 64 * 2 ** 20, 1, 2 ** 29)),
      batchSize: Math.floor(positive("batchSize", options.batchSize, 100)),
      maxUrlLength: positive("maxUrlLength", options.maxUrlLength, 2000, 100),
      checkGenes: options.checkGenes ?? true,
      progress: options.progress ?? true,
    };
    const cacheDir = this.options.cache ? options.cacheDir ?? defaultCacheDir() : null;
    if (this.options.cache && cacheDir === null) {
      console.warn(
        "ratgtex: no cache folder (no HOME, XDG_CACHE_HOME or RATGTEX_CACHE_DIR): answers are not cached. " +
          "Set cacheDir (or RATGTEX_CACHE_DIR), or pass cache: false.",
      );
    }
    this.cache = this.#cache = cacheDir === null
      ? null
      : new ResponseCache(cacheDir, { maxEntryBytes: this.options.maxResponseBytes + 64 * 1024 });
    this.#transport = new Transport({
      ...this.options,
      fetch: options.fetch ??
        sourceFetch(source),
      baseUrl: this.baseUrl,
      live: source === "live",
      stats: this.stats,
    });
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
    const query = await this.#validateForm(route, params, signal);
    if (this.options.checkGenes && route !== "tissueInfo" && route !== "variant" && route !== "topExpressedGene") {
      const genes = await this.geneIds(signal);
      if (genes) checkKnownGenes(route, query, genes);
    }
    return query;
  }

  /**
   * Every gene ID RatGTEx has, from its own list (`/data/v4/autocomplete.v4.json`, derived from the base
   * URL), fetched once per client through the cache; concurrent callers share one request. Null when the
   * source has no such list (a custom base URL without it): gene IDs are then not checked, and a warning
   * says so once. A network failure is thrown (and not remembered: the next call tries again).
   */
  async geneIds(signal?: AbortSignal): Promise<Set<string> | null> {
    if (this.#genes !== undefined) return this.#genes;
    if (this.geneListUrl === null) return this.#noGeneList("the source URL does not end in /api/v4");
    let body: unknown;
    try {
      body = await this.#shared(GENE_LIST, {}, this.geneListUrl, { signal }).then((a) => a.body);
    } catch (e) {
      // An unreachable source (no connection, timeouts after every retry) fails the call itself: the route
      // request would fail the same way, and treating it as "no list" made every item of a batch retry it.
      if (signal?.aborted || e instanceof NetworkError) throw e;
      const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
      // A 404 or a body that is not the list: this source has none. A network fault: try again next time.
      const permanent = e instanceof NotFoundError || e instanceof ResponseFormatError ||
        (e instanceof HttpError && !RETRYABLE_STATUS.has(e.status));
      const result = this.#noGeneList(why);
      if (!permanent) this.#genes = undefined;
      return result;
    }
    return this.#genes ??= new Set(body as string[]);
  }

  #noGeneList(why: string): null {
    this.#genes = null;
    if (!this.#genesWarned) {
      this.#genesWarned = true;
      console.warn(
        `ratgtex: gene IDs are not checked against RatGTEx's list for ${this.baseUrl} (${why}); ` +
          "an unknown gene may give an empty answer.",
      );
    }
    return null;
  }

  /**
   * Check one tissue ID given to a workflow (not a route parameter): a v4 tissue, or else one of the
   * server's own list (fetched once). Returns it, or throws a ValidationError naming `parameter`.
   */
  async checkTissue(value: unknown, parameter: string, route: string, signal?: AbortSignal): Promise<string> {
    try {
      return checkTissueId(value, V4_TISSUE_IDS, parameter, route);
    } catch (e) {
      if (!(e instanceof UnknownTissueError)) throw e;
      const lower = String(value).toLowerCase();
      if (V4_TISSUE_IDS.some((t) => t.toLowerCase() === lower)) throw e;
      return checkTissueId(value, await this.tissueIds(signal), parameter, route);
    }
  }

  /** Check the parameters' form, and tissue IDs against the v4 list (or, when not one of them, the server's). */
  async #validateForm(route: Route, params: object, signal?: AbortSignal): Promise<Record<string, string>> {
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
    route: Fetched,
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
    route: Fetched,
    query: Record<string, string>,
    url: string,
    refresh: boolean,
    signal?: AbortSignal,
  ): Promise<Answer> {
    if (this.#cache && !refresh) {
      // A cache that cannot be read (no permission, a broken disk) is a miss, not a failure.
      const hit = await this.#cache.get(url).catch((e) => this.#cacheTrouble("read", e));
      if (hit) {
        // Entries are only written for answers that parsed and had the route's shape; a hit that no longer
        // does (written by another version) is refetched.
        try {
          const body = parseApiJson(hit);
          if (answerProblem(route, body) === null) {
            this.stats.cacheHits++;
            return { text: hit, body };
          }
        } catch {
          // fall through to a fresh fetch
        }
      }
    }
    const answer = await this.#transport.fetchWithRetries(route, query, url, signal);
    if (this.#cache) await this.#cache.put(url, answer.text).catch((e) => this.#cacheTrouble("write", e));
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
}

/** One fetch shared by identical concurrent calls. */
interface SharedRequest {
  promise: Promise<Answer>;
  controller: AbortController;
  waiters: number;
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

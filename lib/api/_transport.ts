/**
 * Getting one answer over HTTP: one attempt (a time limit, the body read), the retries around it with
 * backoff that honours `Retry-After`, the concurrency limit they share, and the check of a 200 answer
 * against its route's schema (`_answer.ts`). The {@link Client} owns one {@link Transport}; the retry policy is described there.
 *
 * @module
 */
import { ASSEMBLY_HINT } from "../_core/assembly.ts";
import {
  HttpError,
  NetworkError,
  NotFoundError,
  RatGtexError,
  ResponseFormatError,
  ResponseTooLargeError,
  TimeoutError,
} from "../_core/errors.ts";
import { escapeControl } from "../_core/escape.ts";
import { isTruncatedJson, parseApiJson } from "../_core/json_read.ts";
import { answerProblem, type Fetched, GENE_LIST } from "./_answer.ts";
import { decodeLoose, decodeUtf8, readBounded } from "./_body.ts";

/** A fetched answer: its text (what the cache stores) and its parsed body. */
export interface Answer {
  text: string;
  body: unknown;
}

/** Counters of one client (see `ClientStats`). */
export interface TransportStats {
  requests: number;
  geneListRequests: number;
  retries: number;
  maxInFlight: number;
  retryWaitMs: number;
  lastRetryWaitMs: number;
}

/** What a {@link Transport} needs from its client. */
export interface TransportOptions {
  fetch: (input: Request) => Promise<Response>;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  maxRetryAfterMs: number;
  /** Largest answer read, in bytes after decompression. */
  maxResponseBytes: number;
  /** The base URL (named in network errors). */
  baseUrl: string;
  /** The live API (its network hint says how to work offline). */
  live: boolean;
  /** Counters, updated in place. */
  stats: TransportStats;
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

export const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** Why a 500 from this route happens, and what to check: the real server's 500s are bad input. */
const HINT_500: Partial<Record<Fetched, string>> = {
  geneExpression: "the server answers 500 for an unknown gene: check the ID with gene() (IDs are exact, e.g. Cd300lf)",
  medianGeneExpression:
    "the server answers 500 when no gene ID is known or a tissue ID is unknown: check the genes with gene()",
  dyneqtl:
    "the server answers 500 for an unknown gene, a pair never tested for eQTLs in that tissue (see geneStatus()), or a multi-allelic variant (see variant())",
  variant: "the server answers 500 for a multi-allelic variant (a batch is split until it is isolated)",
  gene: "the server answers 500 for an empty gene ID",
};

type Context = { route: Fetched; params: Record<string, string> };
/** One attempt's context: its number and the caller's signal too. */
type AttemptContext = Context & { signal?: AbortSignal; attempt: number };
type Outcome =
  | { kind: "ok"; status: number; text: string; retryAfter: number | null; started: number }
  | { kind: "failed"; error: (context: Context, attempt: number) => RatGtexError };

/** The HTTP side of a client: attempts, retries and the concurrency limit. */
export class Transport {
  #o: TransportOptions;
  #slots: Semaphore;
  #inFlight = 0;

  constructor(options: TransportOptions) {
    this.#o = options;
    this.#slots = new Semaphore(options.concurrency);
  }

  /** Fetch `url` with retries; a 200 answer is parsed and checked row by row against its route's schema. */
  async fetchWithRetries(
    route: Fetched,
    query: Record<string, string>,
    url: string,
    signal?: AbortSignal,
  ): Promise<Answer> {
    const context = { route, params: query };
    const stats = this.#o.stats;
    const maxAttempts = this.#o.retries + 1;
    let lastError: RatGtexError | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      signal?.throwIfAborted();
      let waitMs: number | null = null;
      await this.#slots.acquire(signal);
      this.#inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, this.#inFlight);
      if (route === GENE_LIST) stats.geneListRequests++;
      else stats.requests++;
      try {
        const outcome = await this.#attempt(url, { ...context, signal, attempt });
        if (outcome.kind === "ok") {
          const { status, text, retryAfter } = outcome;
          if (status === 200) {
            let body: unknown;
            try {
              body = parseApiJson(text);
            } catch (cause) {
              // A body that ends in the middle of a value was cut short: retry. Anything else is a
              // deterministic wrong answer (an HTML page from a proxy, `{NaN:1}`): fail now.
              const truncated = isTruncatedJson(cause);
              lastError = new ResponseFormatError(
                truncated ? "the answer was cut short (truncated JSON)" : "the answer is not JSON",
                text,
                { ...context, cause, attempts: attempt },
              );
              if (!truncated) throw lastError;
              body = undefined;
            }
            if (performance.now() - outcome.started > this.#o.timeoutMs) {
              // The time limit covers the whole attempt: reading and parsing too.
              lastError = new TimeoutError(this.#o.timeoutMs, { ...context, attempts: attempt });
            } else if (body !== undefined) {
              // Valid JSON of the wrong shape (an error object, another API, one bad row) is never accepted
              // nor cached: every row is checked against the route's schema.
              const problem = answerProblem(route, body);
              if (problem) throw new ResponseFormatError(problem, text, { ...context, attempts: attempt });
              return { text, body };
            }
          } else if (status === 404) {
            throw new NotFoundError(text, {
              ...context,
              attempts: attempt,
              hint: route === "dyneqtl"
                ? "the variant is not in this tissue's genotypes: check it with variant() and the gene's eQTLs with " +
                  `eqtl(). ${ASSEMBLY_HINT}`
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
              if (retryAfter > this.#o.maxRetryAfterMs) {
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
        stats.retries++;
        const backoff = Math.random() * Math.min(8000, this.#o.retryBaseMs * 2 ** (attempt - 1));
        const wait = waitMs ?? backoff;
        stats.retryWaitMs += wait;
        stats.lastRetryWaitMs = wait;
        await sleep(wait, signal);
      }
    }
    throw withAttempts(lastError!, maxAttempts);
  }

  async #attempt(url: string, context: AttemptContext): Promise<Outcome> {
    const started = performance.now();
    const signal = context.signal;
    // An own timer, cleared when the attempt ends: AbortSignal.timeout with a listener would keep the
    // process alive for timeoutMs after the answer (a script would hang 30 s before exiting).
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new DOMException("timed out", "TimeoutError")),
      this.#o.timeoutMs,
    );
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    const abort = aborted(combined);
    let host = new URL(url).host;
    try {
      const exchange = (async () => {
        let current = url;
        for (let hop = 0;; hop++) {
          host = new URL(current).host;
          const response = await this.#o.fetch(
            new Request(current, { signal: combined, headers: { accept: "application/json" }, redirect: "manual" }),
          );
          if (!REDIRECT_STATUS.has(response.status)) {
            // A 200 is the answer (every byte counted); an error page only needs its start, for the excerpt.
            const ok = response.status === 200;
            const limit = ok ? this.#o.maxResponseBytes : ERROR_BODY_BYTES;
            const { bytes, complete } = await readBounded(response, limit);
            if (ok && !complete) {
              throw new ResponseTooLargeError(limit, decodeLoose(bytes.subarray(0, 4096)), {
                route: context.route,
                params: context.params,
                attempts: context.attempt,
              });
            }
            return {
              status: response.status,
              text: ok ? decodeUtf8(bytes, context) : decodeLoose(bytes),
              retryAfter: parseRetryAfter(response.headers.get("retry-after")),
            };
          }
          current = nextHop(response, current, url, hop, context);
          await response.body?.cancel().catch(() => {});
        }
      })();
      // Race the abort too: a fetch function that ignores the signal (an in-process handler) still times out.
      const { status, text, retryAfter } = await Promise.race([exchange, abort.promise]);
      return { kind: "ok", status, text, retryAfter, started };
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      if (cause instanceof RatGtexError) throw cause; // a definite answer (too large, a foreign redirect): no retry
      if (cause instanceof Deno.errors.NotCapable || cause instanceof Deno.errors.PermissionDenied) {
        // No permission is not a network fault: retrying cannot help, and the hint names the flag and the host
        // that was denied (after a redirect, not the first one).
        throw new NetworkError(`no permission to reach ${host}`, {
          cause,
          hint: `run Deno with --allow-net=${host} (or use the offline source: RATGTEX_SOURCE=offline)`,
        });
      }
      if (timeout.signal.aborted) {
        return {
          kind: "failed",
          error: (context, attempts) => new TimeoutError(this.#o.timeoutMs, { ...context, attempts }),
        };
      }
      return {
        kind: "failed",
        error: (context, attempts) =>
          new NetworkError(
            `no answer from ${this.#o.baseUrl}: ${cause instanceof Error ? cause.message : String(cause)}`,
            {
              ...context,
              attempts,
              cause,
              hint: this.#o.live
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

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
/** Redirects followed in one attempt (all within the source's origin). */
export const MAX_REDIRECTS = 5;
/** How much of an error page is read: enough for its excerpt. */
const ERROR_BODY_BYTES = 64 * 1024;

/**
 * Where a redirect leads, or a definite HttpError: only a redirect within the first URL's origin (same
 * scheme, host and port: never https→http, never another host) is followed, at most {@link MAX_REDIRECTS}
 * times. A redirect to another origin is not followed because its answer would be cached under this URL.
 */
function nextHop(response: Response, current: string, first: string, hop: number, context: AttemptContext): string {
  const location = response.headers.get("location");
  let next: URL | null = null;
  try {
    next = location === null ? null : new URL(location, current);
  } catch {
    next = null;
  }
  const shown = escapeControl(location ?? "(none)", false).slice(0, 200);
  const origin = new URL(first).origin;
  const fail = (why: string, hint: string) =>
    new HttpError(response.status, "", { ...context, attempts: context.attempt, hint: `${why}: ${hint}` });
  if (next === null || next.origin !== origin) {
    throw fail(
      `the server redirected to ${shown}, outside ${origin}`,
      "only redirects within the source's origin are followed; if you trust the new address, use it as the source",
    );
  }
  if (hop >= MAX_REDIRECTS) {
    throw fail(`more than ${MAX_REDIRECTS} redirects (last to ${shown})`, "the server is redirecting in a loop");
  }
  return next.href;
}

function withAttempts(error: RatGtexError, attempts: number): RatGtexError {
  (error as { attempts?: number }).attempts = attempts;
  return error;
}

/** Retry-After in ms: seconds or an HTTP date; null when absent or unreadable. */
function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/** A promise that rejects when `signal` aborts (never settles otherwise), and a way to stop listening. */
export function aborted(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
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

/**
 * The path every route function takes: validate, fetch through the client, parse (NaN-tolerant), and
 * check the answer's shape.
 *
 * @module
 */
import { type CallOptions, Client, defaultClient } from "./client.ts";
import {
  BATCH_SHOWN,
  BatchError,
  type BatchFailure,
  firstLine,
  HttpError,
  NetworkError,
  ResponseFormatError,
} from "../_core/errors.ts";
import { checkOptions, type OptionSpec, type OptionType } from "../_core/options.ts";
import { type CALL_OPTION_NAMES, isUnknownId, type Route } from "./_params.ts";
import { progressBar } from "./_progress.ts";

/** What each option of {@link CallOptions} must be. */
const CALL_OPTIONS = {
  client: { is: (v) => v instanceof Client, expected: "a Client from createClient()" },
  raw: "boolean",
  signal: { is: (v) => v instanceof AbortSignal, expected: "an AbortSignal" },
  refresh: "boolean",
} as const satisfies Record<typeof CALL_OPTION_NAMES[number], OptionType>;

/**
 * Check the options of a route call (or of a workflow over routes, with its `extra` options): an unknown
 * key (with a did-you-mean), a wrong type or `null` is a ValidationError naming `options`.
 * `undefined` gives `{}`.
 */
export function callOptions<T extends CallOptions = CallOptions>(
  options: unknown,
  route: string,
  extra: OptionSpec = {},
): T {
  const spec = { ...CALL_OPTIONS, ...extra };
  const usage = `${route}(${route === "tissueInfo" ? "{}" : "params"}, { ${Object.keys(spec).join(", ")} }), ` +
    "every option optional";
  return checkOptions<T>(options, spec, { usage, route });
}

/** Validate and fetch one route call; returns the parsed body. */
export async function callRoute(route: Route, params: object, options: CallOptions = {}): Promise<unknown> {
  const client = options.client ?? defaultClient();
  const query = await client.validate(route, params, options.signal);
  return await callQuery(route, query, { ...options, client });
}

/** Fetch one query that {@link Client.validate} has already produced; returns the parsed body. */
export function callQuery(route: Route, query: Record<string, string>, options: CallOptions = {}): Promise<unknown> {
  const client = options.client ?? defaultClient();
  return client.json(route, query, { signal: options.signal, refresh: options.refresh });
}

/** The list under `key` of a route's answer, or a ResponseFormatError. */
export function listField<T = Record<string, unknown>>(body: unknown, key: string, route: Route): T[] {
  const value = (body as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(value)) {
    throw new ResponseFormatError(`the answer has no "${key}" list`, JSON.stringify(body)?.slice(0, 300) ?? "", {
      route,
    });
  }
  return value as T[];
}

/**
 * What a batch call does when some items fail: `"throw"` (the default) tries every item, then throws one
 * `BatchError` listing each failed item with its error and holding the result of the others in
 * `partial`; `"skip"` returns the result of the items that succeeded and warns once per failed item.
 */
export type OnError = "throw" | "skip";

/** The option every batch call takes (see {@link OnError}). */
export interface BatchOptions {
  /** What to do when some items fail (default `"throw"`: a `BatchError` with the partial result). */
  onError?: OnError;
}

/** The spec of {@link BatchOptions}, for {@link callOptions}' `extra`. */
export const BATCH_OPTIONS: OptionSpec = {
  onError: { is: (v) => v === "throw" || v === "skip", expected: '"throw" or "skip"' },
};

/** The outcome of every item of a batch: the results (undefined where the item failed) and the failures. */
export interface Settled<T, R> {
  /** One entry per item, in input order; undefined for a failed item. */
  results: (R | undefined)[];
  /** The failed items, in input order. */
  failures: BatchFailure<T>[];
}

/**
 * Finish a batch: the result built from the items that succeeded when none failed; otherwise, by
 * `onError`, a warning per failed item and that result (`"skip"`), or a `BatchError` holding it
 * (`"throw"`, the default).
 */
export function finishBatch<T, P>(
  route: string,
  total: number,
  failures: BatchFailure<T>[],
  onError: OnError | undefined,
  build: () => P,
  describeItem: (item: T) => string = (item) => (typeof item === "string" ? item : JSON.stringify(item)),
): P {
  if (failures.length === 0) return build();
  const partial = build();
  if (onError === "skip") {
    // Bounded: one line per failed item up to BATCH_SHOWN, then one line with the count of the rest.
    for (const f of failures.slice(0, BATCH_SHOWN)) {
      console.warn(`ratgtex: ${route}: skipped ${describeItem(f.item)}: ${firstLine(f.error)}`);
    }
    if (failures.length > BATCH_SHOWN) {
      console.warn(
        `ratgtex: ${route}: … and ${
          failures.length - BATCH_SHOWN
        } more skipped (${failures.length} of ${total} in all; ` +
          'onError: "throw" gives every one in error.failures)',
      );
    }
    return partial;
  }
  throw new BatchError(route, total, failures, partial, describeItem);
}

/**
 * Whether a failure ends a whole batch instead of failing one item: it is about the source, not the item —
 * the source cannot be reached (a {@link NetworkError}: no connection, or timeouts after every retry), or
 * what it sent is not RatGTEx's answer (a {@link ResponseFormatError}), or it redirects where the client
 * will not follow (an {@link HttpError} with a 3xx status). Every other item would meet the same (a dead
 * server and 3,000 batches of IDs waited out 3,000 rounds of retries). An unknown ID or an HTTP error
 * status (4xx, 5xx) for the item's own request stays that item's failure.
 */
export function endsBatch(error: unknown): boolean {
  return error instanceof NetworkError || error instanceof ResponseFormatError ||
    (error instanceof HttpError && error.status < 400);
}

/**
 * Run `task` for every item under the client's concurrency limit, with a progress bar for long runs, and
 * settle each: a failed item is recorded, never stops the others. The caller's own signal, and a failure
 * that {@link endsBatch}, end the whole run instead (the tasks still running are aborted) and reject.
 */
export async function fanOutSettled<T, R>(
  items: readonly T[],
  label: string,
  options: CallOptions,
  task: (item: T, options: CallOptions) => Promise<R>,
): Promise<Settled<T, R>> {
  const client: Client = options.client ?? defaultClient();
  const progress = progressBar(label, items.length, client.options.progress);
  const failures: (BatchFailure<T> | undefined)[] = new Array(items.length);
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  try {
    const results = await Promise.all(items.map(async (item, i) => {
      try {
        return await task(item, { ...options, client, signal });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        if (endsBatch(error) || controller.signal.aborted) {
          controller.abort(error);
          throw controller.signal.reason;
        }
        failures[i] = { item, error };
        return undefined;
      } finally {
        progress.tick();
      }
    }));
    return { results, failures: failures.filter((f): f is BatchFailure<T> => f !== undefined) };
  } finally {
    progress.done();
  }
}

/**
 * Validate every item first, then fetch the valid ones under the concurrency limit; every item is
 * settled. A well-formed ID RatGTEx does not have is that item's failure (nothing is sent for it); any
 * other validation error (a malformed ID, a misspelt parameter) is thrown at once, before anything is
 * sent.
 */
export async function settleBatch<T, Q, R>(
  items: readonly T[],
  label: string,
  options: CallOptions,
  validate: (item: T) => Promise<Q>,
  fetch: (query: Q, options: CallOptions) => Promise<R>,
): Promise<Settled<T, R>> {
  const checked: { index: number; item: T; query: Q }[] = [];
  const failures: (BatchFailure<T> & { index: number })[] = [];
  for (const [index, item] of items.entries()) {
    try {
      checked.push({ index, item, query: await validate(item) });
    } catch (error) {
      if (!isUnknownId(error)) throw error;
      failures.push({ index, item, error });
    }
  }
  const fetched = await fanOutSettled(checked, label, options, (c, o) => fetch(c.query, o));
  const results: (R | undefined)[] = new Array(items.length).fill(undefined);
  checked.forEach((c, i) => (results[c.index] = fetched.results[i]));
  for (const f of fetched.failures) failures.push({ index: f.item.index, item: f.item.item, error: f.error });
  failures.sort((a, b) => a.index - b.index);
  return { results, failures: failures.map(({ item, error }) => ({ item, error })) };
}

/** Normalise `string | string[]` to a list. */
export function asList(value: string | readonly string[]): string[] {
  return typeof value === "string" ? [value] : [...value];
}

/**
 * Split IDs into batches of at most `batchSize` whose comma-joined form is at most `maxChars` long, as few
 * as possible (greedy, order kept). `length` measures one ID as it appears in the URL: pass the client's
 * own encoding (the default, `encodeURIComponent`, over-counts the `:` the client leaves unencoded). An ID
 * longer than `maxChars` on its own still gets a batch: it cannot be split.
 */
export function batchIds(
  ids: readonly string[],
  batchSize: number,
  maxChars: number,
  length: (id: string) => number = (id) => encodeURIComponent(id).length,
): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let used = 0;
  for (const id of ids) {
    const size = length(id);
    // The first ID of a batch needs no comma before it.
    if (current.length > 0 && (current.length >= batchSize || used + 1 + size > maxChars)) {
      batches.push(current);
      current = [];
      used = 0;
    }
    used += (current.length > 0 ? 1 : 0) + size;
    current.push(id);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

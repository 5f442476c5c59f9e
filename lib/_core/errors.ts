/**
 * Typed errors. Every failure of the library is a {@link RatGtexError}: it names the route, the parameters,
 * what went wrong and what to do, so that a notebook user never has to guess.
 *
 * @module
 */
import { escapeControl } from "./escape.ts";

/** Where an error happened: the route and its parameters. */
export interface ErrorContext {
  /** Route name, e.g. `"dyneqtl"`; `undefined` outside a request. */
  route?: string;
  /** The request's parameters (already comma-joined). */
  params?: Record<string, string>;
}

/**
 * Base class of every error thrown by the library.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient, gene, RatGtexError, ValidationError } from "ratgtex";
 * await assert.rejects(
 *   gene("Cd300lf,Eno1", { client: createClient({ source: "offline" }) }),
 *   (e) => e instanceof RatGtexError && e instanceof ValidationError && /array/.test(e.hint),
 * );
 * ```
 */
export class RatGtexError extends Error {
  /** Route name, when the error belongs to a request. */
  readonly route?: string;
  /** Request parameters, when the error belongs to a request. */
  readonly params?: Record<string, string>;
  /** What to do about it. */
  readonly hint: string;
  /** Build an error with its context and a hint. */
  constructor(message: string, context: ErrorContext & { hint?: string; cause?: unknown } = {}) {
    const where = context.route ? `${context.route}${formatParams(context.params)}: ` : "";
    const hint = context.hint ?? "";
    // Control characters (from a server's text) are escaped: messages reach terminals and notebooks.
    super(escapeControl(`${where}${message}${hint ? `\n  → ${hint}` : ""}`), { cause: context.cause });
    this.name = "RatGtexError";
    this.route = context.route;
    this.params = context.params;
    this.hint = hint;
  }
}

/** A bad argument, caught before any request is sent. */
export class ValidationError extends RatGtexError {
  /** The parameter at fault, e.g. `"variantId"`. */
  readonly parameter: string;
  /** The bad value. */
  readonly value: unknown;
  /** Build a validation error: parameter, value, what is wrong, and the fix. */
  constructor(parameter: string, value: unknown, problem: string, fix: string, route?: string) {
    super(`invalid ${parameter} ${describe(value)}: ${problem}`, { route, hint: fix });
    this.name = "ValidationError";
    this.parameter = parameter;
    this.value = value;
  }
}

/** The server answered with an error status. */
export class HttpError extends RatGtexError {
  /** HTTP status. */
  readonly status: number;
  /** The start of the response body (HTML pages are reduced to their text). */
  readonly bodyExcerpt: string;
  /** Number of attempts made. */
  readonly attempts: number;
  /** Build an HTTP error. */
  constructor(status: number, body: string, context: ErrorContext & { hint?: string; attempts?: number }) {
    const excerpt = excerptOf(body);
    super(`HTTP ${status}${excerpt ? ` — ${excerpt}` : ""}`, context);
    this.name = "HttpError";
    this.status = status;
    this.bodyExcerpt = excerpt;
    this.attempts = context.attempts ?? 1;
  }
}

/** The server said the thing asked for does not exist (`dyneqtl`'s "Variant not found"). */
export class NotFoundError extends HttpError {
  /** Build a not-found error. */
  constructor(body: string, context: ErrorContext & { hint?: string; attempts?: number }) {
    super(404, body, context);
    this.name = "NotFoundError";
  }
}

/** The request never got a usable answer: connection refused or dropped, timeout, truncated body. */
export class NetworkError extends RatGtexError {
  /** Number of attempts made. */
  readonly attempts: number;
  /** Build a network error. */
  constructor(message: string, context: ErrorContext & { hint?: string; cause?: unknown; attempts?: number }) {
    super(message, context);
    this.name = "NetworkError";
    this.attempts = context.attempts ?? 1;
  }
}

/** An attempt took longer than the client's `timeoutMs`. */
export class TimeoutError extends NetworkError {
  /** Build a timeout error. */
  constructor(timeoutMs: number, context: ErrorContext & { attempts?: number; hint?: string; what?: string }) {
    super(`${context.what ?? "no answer"} within ${timeoutMs} ms`, {
      ...context,
      hint: context.hint ?? "the server may be busy: try again later, or raise `timeoutMs` in createClient()",
    });
    this.name = "TimeoutError";
  }
}

/** A 200 answer whose body is not the JSON the route promises (e.g. an HTML page from a proxy). */
export class ResponseFormatError extends RatGtexError {
  /** The start of the body. */
  readonly bodyExcerpt: string;
  /** Number of attempts made (a truncated body is retried; other bad bodies are not). */
  readonly attempts: number;
  /** Build a response-format error. */
  constructor(
    problem: string,
    body: string,
    context: ErrorContext & { hint?: string; cause?: unknown; attempts?: number },
  ) {
    const excerpt = excerptOf(body);
    super(`${problem}${excerpt ? ` — body starts: ${excerpt}` : ""}`, {
      hint: "the answer was not RatGTEx JSON: check the source URL (it must end in /api/v4) and any proxy",
      ...context,
    });
    this.name = "ResponseFormatError";
    this.bodyExcerpt = excerpt;
    this.attempts = context.attempts ?? 1;
  }
}

/**
 * An answer larger than the client's `maxResponseBytes` (counted after decompression): reading stopped
 * at the limit, the answer is not retried and never cached.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ResponseFormatError, ResponseTooLargeError } from "ratgtex";
 * const e = new ResponseTooLargeError(1024, "[1,2,3", { route: "gene" });
 * assert.ok(e instanceof ResponseFormatError);
 * assert.equal(e.limitBytes, 1024);
 * assert.match(e.message, /maxResponseBytes/);
 * ```
 */
export class ResponseTooLargeError extends ResponseFormatError {
  /** The limit that was reached, in bytes. */
  readonly limitBytes: number;
  /** Build one: the limit and the start of the body. */
  constructor(limitBytes: number, body: string, context: ErrorContext & { attempts?: number } = {}) {
    super(`the answer is larger than maxResponseBytes (${limitBytes} bytes, after decompression)`, body, {
      hint: "check the source URL; if answers this large are expected, raise maxResponseBytes in createClient()",
      ...context,
    });
    this.name = "ResponseTooLargeError";
    this.limitBytes = limitBytes;
  }
}

/** Where in a release file a problem is: the file (release-relative), and the line and field when known. */
export interface FileLocation {
  /** The file, relative to the release folder (a zip member as `archive.zip: member`). */
  file: string;
  /** 1-based line number, when the problem is on one line. */
  line?: number;
  /** The column or field at fault (e.g. `pval_nominal`, or a VCF sample's genotype). */
  field?: string;
}

/**
 * A file of a release (a folder or a remote copy) that is damaged or not what the RatGTEx pipeline writes:
 * a malformed zip, gzip/BGZF or tabix structure, a ragged row, a duplicated record, a genotype that is not
 * diploid, a non-finite value where the pipeline writes finite ones. Names the file, and the line and
 * field when the problem is on one line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReleaseFormatError, ResponseFormatError } from "ratgtex";
 * const e = new ReleaseFormatError({ file: "eqtl/top_assoc.v4_rn8.tsv", line: 7, field: "slope" }, 'is "inf", not a finite number');
 * assert.ok(e instanceof ResponseFormatError);
 * assert.match(e.message, /^eqtl\/top_assoc.v4_rn8.tsv, line 7, field slope: is "inf"/);
 * ```
 */
export class ReleaseFormatError extends ResponseFormatError {
  /** The file (release-relative). */
  readonly file: string;
  /** The 1-based line, when known. */
  readonly line: number | null;
  /** The field, when known. */
  readonly field: string | null;
  /** Build one: where, what is wrong, and (optionally) what to do. */
  constructor(where: FileLocation, problem: string, options: { hint?: string; cause?: unknown } = {}) {
    const at = [
      where.file,
      where.line === undefined ? "" : `, line ${where.line}`,
      where.field === undefined ? "" : `, field ${where.field}`,
    ].join("");
    super(`${at}: ${problem}`, "", {
      hint: options.hint ??
        "the release's files are damaged or not RatGTEx's: download the file again, or use an unmodified copy of the release",
      cause: options.cause,
    });
    this.name = "ReleaseFormatError";
    this.file = where.file;
    this.line = where.line ?? null;
    this.field = where.field ?? null;
  }
}

/**
 * A release file (or a zip member, an index, a line, a download) larger than one of the reading caps:
 * reading stopped at the cap, so memory stays bounded whatever the file holds. Names the file, the cap and
 * the option that raises it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReleaseFormatError, ReleaseTooLargeError } from "ratgtex";
 * const e = new ReleaseTooLargeError({ file: "cis_pvals/IL.v4.zip: IL.v4/Cd300lf.txt" }, "maxMemberBytes", 1024);
 * assert.ok(e instanceof ReleaseFormatError);
 * assert.equal(e.limitBytes, 1024);
 * assert.match(e.message, /maxMemberBytes/);
 * ```
 */
export class ReleaseTooLargeError extends ReleaseFormatError {
  /** The cap that was reached, in bytes. */
  readonly limitBytes: number;
  /** The option that sets the cap (e.g. `maxFileBytes`). */
  readonly option: string;
  /** Build one: where, which cap, its value. */
  constructor(where: FileLocation, option: string, limitBytes: number, what = "is larger than") {
    super(where, `${what} ${option} (${limitBytes} bytes${option === "maxLineBytes" ? "" : ", after decompression"})`, {
      hint:
        `if a file this large is expected, raise limits.${option} (openRelease(…, { limits }) or createTwin({ limits }))`,
    });
    this.name = "ReleaseTooLargeError";
    this.limitBytes = limitBytes;
    this.option = option;
  }
}

/** One failed item of a batch: the item as given and why it failed. */
export interface BatchFailure<I = unknown> {
  /** The item as the caller gave it (a gene ID, a variant ID, a dyneqtl triple…). */
  item: I;
  /** Why it failed (a RatGtexError for anything the library or the server reported). */
  error: unknown;
}

/** How many failed items a batch's error or warning lists before saying how many more there are. */
export const BATCH_SHOWN = 5;

/**
 * Some items of a batch call failed (`onError: "throw"`, the default). Every item was tried; `failures`
 * names each failed item and its error, and `partial` holds the result built from the items that
 * succeeded, so nothing is lost and nothing is silent. Pass `onError: "skip"` to get that result directly
 * (with one warning per failed item).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BatchError, createClient, eqtl } from "ratgtex";
 * const client = createClient({ source: "offline" });
 * await assert.rejects(eqtl(["Cd300lf", "NotAGene"], { client }), (e) =>
 *   e instanceof BatchError && e.failures.length === 1 && e.failures[0].item === "NotAGene" &&
 *   (e.partial as { height: number }).height > 0);
 * ```
 */
export class BatchError<P = unknown, I = unknown> extends RatGtexError {
  /** Every failed item, in input order. */
  readonly failures: BatchFailure<I>[];
  /** The result built from the items that succeeded (what `onError: "skip"` returns). */
  readonly partial: P;
  /** How many items the batch had. */
  readonly total: number;
  /** Build a batch error from its failures and the partial result. */
  constructor(
    route: string,
    total: number,
    failures: BatchFailure<I>[],
    partial: P,
    describeItem: (item: I) => string = describe,
  ) {
    // Bounded: the count and the first few; the whole list is error.failures.
    const lines = failures.slice(0, BATCH_SHOWN).map((f) => `  ${describeItem(f.item)}: ${firstLine(f.error)}`);
    const more = failures.length > BATCH_SHOWN
      ? `\n  … and ${failures.length - BATCH_SHOWN} more (every one in error.failures)`
      : "";
    super(`${failures.length} of ${total} ${total === 1 ? "item" : "items"} failed:\n${lines.join("\n")}${more}`, {
      route,
      hint: 'the result of the items that succeeded is in error.partial; pass onError: "skip" to get it directly',
    });
    this.name = "BatchError";
    this.failures = failures;
    this.partial = partial;
    this.total = total;
  }
}

/**
 * Why an item failed, in one line: the first line of the error's message (its hint is on the next ones),
 * or for an HTTP error its status and hint (the server's page says nothing an item needs).
 */
export function firstLine(error: unknown): string {
  if (error instanceof HttpError && error.hint) {
    // The server's own words when it said something (a JSON error), not its generic HTML error page.
    const said = error.bodyExcerpt && !error.bodyExcerpt.startsWith(`${error.status} `)
      ? ` — ${error.bodyExcerpt}`
      : "";
    return `${error.route ? `${error.route}: ` : ""}HTTP ${error.status}${said} (${error.hint})`;
  }
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0];
}

function formatParams(params?: Record<string, string>): string {
  if (!params || Object.keys(params).length === 0) return "";
  const text = Object.entries(params).map(([k, v]) => `${k}=${v.length > 60 ? v.slice(0, 57) + "..." : v}`)
    .join("&");
  return `?${text}`;
}

/** How much of a body an excerpt looks at: an excerpt never costs more than this, whatever the body's size. */
const EXCERPT_PREFIX = 4096;

/**
 * A short, readable excerpt of a response body: HTML reduced to its title and first paragraph (or its
 * text), whitespace collapsed, control characters escaped, at most 200 characters. Only the first
 * 4,096 characters are read, in one pass: a hostile body costs no more than a small one.
 */
export function excerptOf(body: string): string {
  let text = body.slice(0, EXCERPT_PREFIX);
  if (/^\s*</.test(text)) {
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
    const p = /<p>([^<]*)<\/p>/i.exec(text)?.[1];
    text = [title, p].filter(Boolean).join(": ") || stripTags(text);
  }
  text = escapeControl(text.replace(/\s+/g, " ").trim());
  return text.length > 200 ? text.slice(0, 197) + "..." : text;
}

/** The text between tags, each tag replaced by a space; an unclosed tag ends the text. One pass. */
function stripTags(html: string): string {
  const parts: string[] = [];
  let i = 0;
  while (i < html.length) {
    const open = html.indexOf("<", i);
    if (open < 0) {
      parts.push(html.slice(i));
      break;
    }
    parts.push(html.slice(i, open), " ");
    const close = html.indexOf(">", open);
    if (close < 0) break;
    i = close + 1;
  }
  return parts.join("");
}

function describe(value: unknown): string {
  if (typeof value === "string") {
    const shown = value.length > 80 ? value.slice(0, 77) + "..." : value;
    return JSON.stringify(shown);
  }
  if (Array.isArray(value)) return `[${value.length} items]`;
  // JSON would print NaN and ±Infinity as null: show them as they are.
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return shapeOf(value);
}

/**
 * A value named by its shape, never printed whole: a polars frame by its size and first columns, a class
 * instance (a Client, a Release) by its class, a plain object by its keys (values shown only when short),
 * anything else bounded to 80 characters.
 */
export function shapeOf(value: unknown): string {
  if (value === null || value === undefined || typeof value !== "object") return String(value);
  const v = value as Record<string, unknown>;
  if (typeof v.toRecords === "function" && typeof v.height === "number" && Array.isArray(v.columns)) {
    const cols = v.columns as string[];
    return `(a DataFrame, ${v.height} rows × ${cols.length} columns: ${cols.slice(0, 5).join(", ")}` +
      `${cols.length > 5 ? ", …" : ""})`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype) {
    const name = proto.constructor?.name;
    if (name && name !== "Object") return `(a ${name})`;
  }
  const entries = Object.entries(v);
  const parts = entries.slice(0, 6).map(([k, x]) => {
    if (x === null || typeof x === "boolean" || typeof x === "number") return `${k}: ${String(x)}`;
    if (typeof x === "string") return `${k}: ${JSON.stringify(x.length > 24 ? x.slice(0, 21) + "..." : x)}`;
    return `${k}: ${Array.isArray(x) ? `[${x.length} items]` : shapeOf(x)}`;
  });
  const text = `{ ${parts.join(", ")}${entries.length > 6 ? `, … ${entries.length - 6} more` : ""} }`;
  return text.length > 200 ? text.slice(0, 197) + "...}" : text;
}

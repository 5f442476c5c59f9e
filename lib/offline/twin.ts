/**
 * The twin of the RatGTEx server: a `(Request) => Promise<Response>` handler that answers the 11 routes of
 * `https://ratgtex.org/api/v4` from a release folder (`data/v4/`: the bundled miniature release, or a copy
 * of a real one), exactly as the real Flask server (`api/app.py`) does over that folder — sorted
 * keys, compact JSON with a trailing newline, Python float forms, bare `NaN` tokens, unknown IDs dropped,
 * `404 {"error":"Variant not found: …"}` from `dyneqtl`, Werkzeug's HTML 500 pages where the real server
 * crashes on bad input, `"Not enough data"` trees.
 *
 * In-process it is the `offline` source of the client; behind `Deno.serve` it is a loopback server for
 * tests, teaching and other clients. Fault injection (latency, 5xx, 429 with Retry-After, truncated
 * bodies, dropped connections, non-JSON 200s, huge answers) exists only in a twin created with
 * `faultInjection` (or fault rules), and is chosen per request. Request lines over 4094 bytes get 414
 * (`_limits.ts`).
 *
 * @module
 */
import { RatGtexError } from "../_core/errors.ts";
import { isRoute, type Route, ROUTE_NAMES } from "../_core/routes.ts";
import { limitRequests, MAX_JUNK_URL, MAX_LARGE_ROWS, OverWorkCap, WorkQueue } from "./_limits.ts";
import { BUNDLED_RELEASE, ReleaseFolder } from "../release/folder.ts";
import { FILE_KINDS } from "../release/layout.ts";
import type { ReadLimits } from "../release/source.ts";
import { type JsonAnswer, ROUTE_HANDLERS, type RouteContext, ServerCrash } from "./_routes.ts";
import { serveFile } from "./_files.ts";
import { join, sep } from "node:path";

/** The path prefix of the API, as on ratgtex.org. */
export const API_PREFIX = "/api/v4";

/** The path prefix of the release's files, as on ratgtex.org. */
export const DATA_PREFIX = "/data/v4";

/** The 11 routes of the API, in the server's order (the one route table, shared with the client). */
export const ROUTES: readonly RouteName[] = ROUTE_NAMES;

/** One route name. */
export type RouteName = Route;

/**
 * A fault the twin can inject into one response.
 *
 * - `latency`: wait `ms` before answering (then answer normally, or with the other faults listed);
 * - `status`: answer `status` (500 gives the HTML page; 429/503 add `Retry-After: retryAfter` seconds when set);
 * - `truncate`: send only the first half of the body;
 * - `drop`: send the headers, then break the connection (the body stream errors);
 * - `notJson`: a `200` whose body is an HTML page (as a proxy or captive portal would send);
 * - `large`: pad a list answer with `rows` synthetic copies of its rows (a very large answer).
 */
export type TwinFault =
  | { kind: "latency"; ms: number }
  | { kind: "status"; status: number; retryAfter?: number }
  | { kind: "truncate" }
  | { kind: "drop" }
  | { kind: "notJson" }
  | { kind: "large"; rows: number };

/** A rule that injects faults into matching requests, at most `times` times (default: always). */
export interface FaultRule {
  /** Only requests to this route (default: any). */
  route?: RouteName;
  /** How many matching requests get the faults (default: unlimited). */
  times?: number;
  /** The faults, applied together. */
  faults: TwinFault[];
}

/** What the twin has seen: for tests that count requests and concurrency. */
export interface TwinStats {
  /** Requests received (all paths). */
  requests: number;
  /** Requests per route (the 11 routes only). */
  byRoute: Record<string, number>;
  /** Requests being answered right now. */
  inFlight: number;
  /** The most requests ever answered at once. */
  maxInFlight: number;
  /** Every request URL's path and query, in arrival order (the last 10,000). */
  urls: string[];
  /** Requests for the gene list (`GET /data/v4/autocomplete.v4.json`), counted apart from the routes. */
  geneListRequests: number;
}

/** Options of {@link createTwin}. */
export interface TwinOptions {
  /** The release folder to serve: `data/v4` or the `data` folder above it (default: the bundled miniature release). */
  data?: string;
  /** Fault rules, consumed in order; more can be added later with `twin.inject`. */
  faults?: FaultRule[];
  /**
   * Allow fault injection at all (default: true when `faults` are given, else false): without it `inject`
   * throws and the `X-Twin-Fault` header has no effect, as on the real server. `serve` leaves it off.
   */
  faultInjection?: boolean;
  /** Honour the `X-Twin-Fault` request header when fault injection is on (default true): e.g. `status=503;retry-after=1`, `latency=200`, `drop`. */
  headerFaults?: boolean;
  /** Caps on reading the folder's files (default `DEFAULT_READ_LIMITS` of `ratgtex/release`). */
  limits?: Partial<ReadLimits>;
}

/** A running twin: its handler, its counters and its fault controls. */
export interface Twin {
  /** Answer one request as ratgtex.org would. */
  handler: (request: Request) => Promise<Response>;
  /** Counters (live object). */
  stats: TwinStats;
  /** Add a fault rule. */
  inject(rule: FaultRule): void;
  /** Remove every fault rule. */
  clearFaults(): void;
  /** Zero the counters. */
  resetStats(): void;
  /** The release folder served (the one holding `tissue_info.v4.tsv`). */
  dataDir: string;
}

/**
 * Create a twin of the RatGTEx server over a release folder (default: the bundled miniature release).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTwin } from "ratgtex/offline";
 * const twin = await createTwin();
 * const res = await twin.handler(new Request("http://twin/api/v4/gene?geneId=Cd300lf"));
 * assert.equal((await res.json()).gene[0].tss, 100875111);
 * assert.equal(twin.stats.byRoute.gene, 1);
 * ```
 */
export async function createTwin(options: TwinOptions = {}): Promise<Twin> {
  const folder = ReleaseFolder.open(options.data ?? BUNDLED_RELEASE, { limits: options.limits });
  await folder.tissueInfo(); // as the real server, fail at start-up on a folder it cannot read
  // Copies: a rule's `times` is counted down here, and the caller's objects must not be consumed.
  const rules: FaultRule[] = (options.faults ?? []).map((rule) => ({ ...rule }));
  const faultInjection = options.faultInjection ?? options.faults !== undefined;
  const headerFaults = faultInjection && (options.headerFaults ?? true);
  const stats: TwinStats = { requests: 0, byRoute: {}, inFlight: 0, maxInFlight: 0, urls: [], geneListRequests: 0 };
  const context: RouteContext = { work: new WorkQueue() };

  const pickFaults = (request: Request, route: string): TwinFault[] => {
    const faults: TwinFault[] = [];
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (rule.route !== undefined && rule.route !== route) continue;
      faults.push(...rule.faults);
      if (rule.times !== undefined && --rule.times <= 0) rules.splice(i--, 1);
      break;
    }
    if (headerFaults) {
      const header = request.headers.get("x-twin-fault");
      if (header) faults.push(...parseFaultHeader(header));
    }
    return faults;
  };

  // The folder's real path: a served file must resolve (symlinks followed) inside it.
  let realRoot: Promise<string> | undefined;
  const serveFolderFile = async (rel: string, request: Request): Promise<Response> => {
    realRoot ??= Deno.realPath(folder.dir);
    if (!(await insideFolder(await realRoot, folder.dir, rel))) return notServed();
    return await serveFile(folder, rel, request);
  };

  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    // The portal's gene list (the client fetches it once to check gene IDs) is served from the folder before
    // the counters and faults, so request counts and fault rules stay about the routes.
    if (url.pathname === GENE_LIST_PATH) {
      stats.geneListRequests++;
      return await serveFolderFile(GENE_LIST_PATH.slice(DATA_PREFIX.length + 1), request);
    }
    const route = url.pathname.startsWith(API_PREFIX + "/") ? url.pathname.slice(API_PREFIX.length + 1) : "";
    stats.requests++;
    // Counters for the real routes only; a junk path is stored shortened (bounded memory).
    if (isRoute(route)) stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    stats.urls.push(isRoute(route) ? url.pathname + url.search : (url.pathname + url.search).slice(0, MAX_JUNK_URL));
    if (stats.urls.length > 10_000) stats.urls.shift();
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    try {
      const faults = pickFaults(request, route);
      for (const fault of faults) {
        if (fault.kind === "latency") await new Promise((resolve) => setTimeout(resolve, fault.ms));
      }
      const status = faults.find((x) => x.kind === "status");
      if (status && status.kind === "status") return faultStatus(status.status, status.retryAfter);
      if (faults.some((x) => x.kind === "notJson")) {
        return new Response("<html><body>Service temporarily rerouted</body></html>", {
          status: 200,
          headers: { "content-type": "text/html; charset=utf-8", ...CORS },
        });
      }
      let response: Response;
      if (url.pathname.startsWith(DATA_PREFIX + "/")) {
        const rel = decodePath(url.pathname.slice(DATA_PREFIX.length + 1));
        response = rel === null ? badEscape() : await serveFolderFile(rel, request);
      } else response = await answer(folder, request.method, route, url.searchParams, context);
      const large = faults.find((x) => x.kind === "large");
      if (large && large.kind === "large") response = await enlarge(response, large.rows);
      if (faults.some((x) => x.kind === "truncate")) response = await truncate(response);
      if (faults.some((x) => x.kind === "drop")) response = drop(response);
      if (request.method === "HEAD") return new Response(null, { status: response.status, headers: response.headers });
      return response;
    } finally {
      stats.inFlight--;
    }
  };

  return {
    handler: limitRequests(handler),
    stats,
    dataDir: folder.dir,
    inject: (rule) => {
      if (!faultInjection) {
        throw new RatGtexError("this twin was created without fault injection", {
          hint: "createTwin({ faultInjection: true }) (or serveTwin({ faultInjection: true }))",
        });
      }
      rules.push({ ...rule });
    },
    clearFaults: () => void rules.splice(0),
    resetStats: () => {
      stats.requests = 0;
      stats.byRoute = {};
      stats.maxInFlight = stats.inFlight;
      stats.urls = [];
      stats.geneListRequests = 0;
    },
  };
}

// ------------------------------------------------------------------ the folder as a boundary

/** `decodeURIComponent`, or null for a malformed escape (`%`, `%zz`, an invalid UTF-8 sequence). */
function decodePath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

function badEscape(): Response {
  return new Response("Bad Request: malformed percent escape in the path\n", {
    status: 400,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

function notServed(): Response {
  return new Response("Not Found\n", { status: 404, headers: { "content-type": "text/plain" } });
}

/**
 * Whether `rel` inside the folder `dir` (real path `root`) resolves, every symlink followed, to a path inside
 * the folder: a link to a file, a folder or `/` outside it is never served. A path that does not exist is
 * let through (the file server answers 404).
 */
async function insideFolder(root: string, dir: string, rel: string): Promise<boolean> {
  if (rel.includes("\0")) return false;
  let real: string;
  try {
    real = await Deno.realPath(join(dir, rel));
  } catch (e) {
    return e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory;
  }
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

// ------------------------------------------------------------------ the portal's gene list

/** Where the portal publishes every gene ID (the release folder beside the API). */
export const GENE_LIST_PATH = `${DATA_PREFIX}/${FILE_KINDS.geneList.pattern}`;

/**
 * Parse an `X-Twin-Fault` header: `;`-separated items, e.g. `latency=200;status=429;retry-after=1`,
 * `truncate`, `drop`, `not-json`, `large=200000`.
 */
export function parseFaultHeader(header: string): TwinFault[] {
  const faults: TwinFault[] = [];
  const items = new Map<string, string>();
  for (const part of header.split(";")) {
    const [k, v = ""] = part.trim().split("=");
    if (k) items.set(k.toLowerCase(), v);
  }
  if (items.has("latency")) faults.push({ kind: "latency", ms: Number(items.get("latency")) || 0 });
  if (items.has("status")) {
    const ra = items.get("retry-after");
    faults.push({ kind: "status", status: Number(items.get("status")), retryAfter: ra ? Number(ra) : undefined });
  }
  if (items.has("truncate")) faults.push({ kind: "truncate" });
  if (items.has("drop")) faults.push({ kind: "drop" });
  if (items.has("not-json")) faults.push({ kind: "notJson" });
  if (items.has("large")) {
    faults.push({ kind: "large", rows: Math.min(Number(items.get("large")) || MAX_LARGE_ROWS, MAX_LARGE_ROWS) });
  }
  return faults;
}

// ------------------------------------------------------------------ responses as Flask/Werkzeug writes them

const CORS = { "access-control-allow-origin": "*" };

const WERKZEUG: Record<number, [string, string]> = {
  404: [
    "Not Found",
    "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
  ],
  405: ["Method Not Allowed", "The method is not allowed for the requested URL."],
  429: ["Too Many Requests", "This user has exceeded an allotted request count. Try again later."],
  500: [
    "Internal Server Error",
    "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.",
  ],
  502: ["Bad Gateway", "The proxy server received an invalid response from an upstream server."],
  503: [
    "Service Unavailable",
    "The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.",
  ],
  504: ["Gateway Timeout", "The connection to an upstream server timed out."],
};

/** Werkzeug's HTML error page for `status`. */
export function werkzeugPage(status: number): string {
  const [name, description] = WERKZEUG[status] ?? ["Error", "An error occurred."];
  return `<!doctype html>\n<html lang=en>\n<title>${status} ${name}</title>\n<h1>${name}</h1>\n<p>${description}</p>\n`;
}

function html(status: number, extra: Record<string, string> = {}): Response {
  return new Response(werkzeugPage(status), {
    status,
    headers: { "content-type": "text/html; charset=utf-8", ...CORS, ...extra },
  });
}

function faultStatus(status: number, retryAfter?: number): Response {
  return html(status, retryAfter !== undefined ? { "retry-after": String(retryAfter) } : {});
}

async function answer(
  folder: ReleaseFolder,
  method: string,
  route: string,
  q: URLSearchParams,
  context: RouteContext,
): Promise<Response> {
  if (!isRoute(route)) return html(404);
  if (method === "OPTIONS") {
    return new Response(null, { status: 200, headers: { allow: "GET, HEAD, OPTIONS", ...CORS } });
  }
  if (method !== "GET" && method !== "HEAD") return html(405, { allow: "GET, HEAD, OPTIONS" });
  let answer: JsonAnswer;
  try {
    answer = await ROUTE_HANDLERS[route](folder, q, context);
  } catch (e) {
    // The twin's own bound on the work of one request (not the real server's): JSON naming the cap.
    if (e instanceof OverWorkCap) {
      return new Response(JSON.stringify({ error: e.message }) + "\n", {
        status: e.status,
        headers: { "content-type": "application/json", ...CORS, ...(e.status === 503 ? { "retry-after": "1" } : {}) },
      });
    }
    // The Flask app raises (a KeyError, an assertion, a missing file): Werkzeug's 500 page.
    if (e instanceof ServerCrash || e instanceof RatGtexError || e instanceof Deno.errors.NotFound) return html(500);
    throw e;
  }
  return new Response(answer.body, {
    status: answer.status,
    headers: { "content-type": "application/json", ...CORS },
  });
}

// ------------------------------------------------------------------ fault shaping

async function enlarge(response: Response, rows: number): Promise<Response> {
  if (response.status !== 200) return response;
  const text = await response.text();
  // Repeat the first list's rows until there are `rows` of them: one very large, valid answer.
  const m = /^\{"(\w+)":\[(.*)\]\}\n$/s.exec(text);
  if (!m || m[2] === "") return new Response(text, response);
  const items = splitTopLevel(m[2]);
  const out: string[] = [];
  for (let i = 0; i < Math.min(rows, MAX_LARGE_ROWS); i++) out.push(items[i % items.length]);
  return new Response(`{"${m[1]}":[${out.join(",")}]}\n`, { status: 200, headers: response.headers });
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0, start = 0, inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

async function truncate(response: Response): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  return new Response(bytes.slice(0, Math.floor(bytes.length / 2)), { status: response.status, headers });
}

function drop(response: Response): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.error(new DOMException("twin: connection dropped", "NetworkError"));
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

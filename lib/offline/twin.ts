/**
 * The twin of the RatGTEx server: a `(Request) => Promise<Response>` handler that answers the 11 routes of
 * `https://ratgtex.org/api/v4` from the offline universe, exactly as the real Flask server does — sorted
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
import { serverTree } from "../analysis/newick.ts";
import { parseApiJson } from "../_core/json_read.ts";
import { f, pyJson } from "../_core/json_write.ts";
import { loadUniverse, type Universe } from "./universe.ts";
import { RatGtexError } from "../_core/errors.ts";
import { isRoute, type Route, ROUTE_NAMES } from "../_core/routes.ts";
import { limitRequests, MAX_JUNK_URL, MAX_LARGE_ROWS } from "./_limits.ts";

/** The path prefix of the API, as on ratgtex.org. */
export const API_PREFIX = "/api/v4";

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
  /** The universe to serve (default: the bundled offline universe). */
  universe?: Universe;
  /** Fault rules, consumed in order; more can be added later with `twin.inject`. */
  faults?: FaultRule[];
  /**
   * Allow fault injection at all (default: true when `faults` are given, else false): without it `inject`
   * throws and the `X-Twin-Fault` header has no effect, as on the real server. `serve` leaves it off.
   */
  faultInjection?: boolean;
  /** Honour the `X-Twin-Fault` request header when fault injection is on (default true): e.g. `status=503;retry-after=1`, `latency=200`, `drop`. */
  headerFaults?: boolean;
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
  /** The universe served. */
  universe: Universe;
}

/**
 * Create a twin of the RatGTEx server over the offline universe.
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
  const universe = options.universe ?? await loadUniverse();
  // Copies: a rule's `times` is counted down here, and the caller's objects must not be consumed.
  const rules: FaultRule[] = (options.faults ?? []).map((rule) => ({ ...rule }));
  const faultInjection = options.faultInjection ?? options.faults !== undefined;
  const headerFaults = faultInjection && (options.headerFaults ?? true);
  const stats: TwinStats = { requests: 0, byRoute: {}, inFlight: 0, maxInFlight: 0, urls: [], geneListRequests: 0 };

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

  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname === GENE_LIST_PATH) {
      stats.geneListRequests++;
      return geneListAnswer(universe, request.method);
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
      let response = answer(universe, request.method, route, url.searchParams);
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
    universe,
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

// ------------------------------------------------------------------ the portal's gene list

/** Where the portal publishes every gene ID (the release folder beside the API). */
export const GENE_LIST_PATH = "/data/v4/autocomplete.v4.json";

/** `autocomplete.v4.json`: a JSON array of every gene ID of the universe, sorted (as the portal serves it). */
function geneListAnswer(u: Universe, method: string): Response {
  if (method !== "GET" && method !== "HEAD") return html(405, { allow: "GET, HEAD" });
  const ids = [...u.genes.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const headers = { "content-type": "application/json", ...CORS };
  return new Response(method === "HEAD" ? null : JSON.stringify(ids), { status: 200, headers });
}

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

function json(value: unknown, status = 200): Response {
  return new Response(pyJson(value), { status, headers: { "content-type": "application/json", ...CORS } });
}

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

/** What the real server raises on: Flask turns it into its HTML 500 page. */
class ServerCrash extends RatGtexError {}

function crash(why: string): never {
  throw new ServerCrash(why);
}

function answer(u: Universe, method: string, route: string, q: URLSearchParams): Response {
  if (!isRoute(route)) return html(404);
  if (method === "OPTIONS") {
    return new Response(null, { status: 200, headers: { allow: "GET, HEAD, OPTIONS", ...CORS } });
  }
  if (method !== "GET" && method !== "HEAD") return html(405, { allow: "GET, HEAD, OPTIONS" });
  try {
    return ROUTE_HANDLERS[route](u, q);
  } catch (e) {
    if (e instanceof ServerCrash) return html(500);
    throw e;
  }
}

// ------------------------------------------------------------------ the routes (mirroring api/app.py)

type RouteHandler = (u: Universe, q: URLSearchParams) => Response;

/** `request.args.get(name)` and then `.split(",")`, which raises on a missing parameter. */
function list(q: URLSearchParams, name: string): string[] {
  const v = q.get(name);
  if (v === null) crash(`'NoneType' object has no attribute 'split' (${name})`);
  return v.split(",");
}

function tissueIndex(u: Universe, tissue: string | null): number {
  return u.tissues.findIndex((t) => t.tissueSiteDetailId === tissue);
}

/** Python's `int(text)` for the position part of a variant ID; null where Python raises ValueError. */
function pyInt(text: string): number | null {
  const m = /^\s*([+-]?\d+(?:_\d+)*)\s*$/.exec(text);
  return m ? Number(m[1].replaceAll("_", "")) : null;
}

/** `variant_record`: the single VCF record at `chr:pos`, or null (the server's "not found"). */
function variantRecord(u: Universe, variantId: string | null) {
  if (variantId === null) crash("'NoneType' object has no attribute 'split'");
  const parts = variantId.split(":");
  if (parts.length !== 2) return null;
  const pos = pyInt(parts[1]);
  if (pos === null || pos - 1 < 0) return null;
  const v = u.variants.get(`${parts[0]}:${pos}`);
  return v ?? null;
}

const ROUTE_HANDLERS: Record<RouteName, RouteHandler> = {
  tissueInfo(u) {
    return json({
      tissueInfo: u.tissues.map((t) => ({
        colorHex: t.colorHex,
        colorRgb: [0, 2, 4].map((i) => parseInt(t.colorHex.slice(i, i + 2), 16)).join(","),
        dataset: t.dataset,
        datasetId: "ratgtex_v4",
        eGeneCount: t.eGeneCount,
        expressedGeneCount: t.expressedGeneCount,
        hasEGenes: t.eGeneCount > 0,
        rnaSeqAndGenotypeSampleCount: t.samples,
        rnaSeqSampleCount: t.samples,
        tissueSite: t.tissueSite,
        tissueSiteDetail: t.tissueSiteDetail,
        tissueSiteDetailAbbr: t.tissueSiteDetailId,
        tissueSiteDetailId: t.tissueSiteDetailId,
      })),
    });
  },

  gene(u, q) {
    const valid: string[] = [];
    for (const id of list(q, "geneId")) {
      if (u.genes.has(id)) valid.push(id);
      else {
        if (id.length === 0) crash("string index out of range");
        const id2 = id[0].toUpperCase() + id.slice(1).toLowerCase();
        if (u.genes.has(id2)) valid.push(id2);
      }
    }
    return json({
      gene: valid.map((id) => {
        const g = u.genes.get(id)!;
        return {
          chromosome: g.chromosome,
          description: g.description,
          end: g.end,
          geneId: g.geneId,
          hasEqtl: g.status.some((s) => s.eqtl),
          start: g.start,
          statusInTissue: u.tissues.map((t, i) => ({ ...g.status[i], tissueSiteDetailId: t.tissueSiteDetailId })),
          strand: g.strand,
          tss: g.tss,
        };
      }),
    });
  },

  exon(u, q) {
    const g = u.genes.get(q.get("geneId") ?? "");
    if (!g) return json({ exon: [] });
    // exonNumber counts in transcription order: from the last exon on the minus strand.
    const ordered = g.strand === "+" ? g.exons : [...g.exons].reverse();
    return json({
      exon: ordered.map(([start, end], i) => ({
        chromosome: g.chromosome,
        end,
        exonId: `${g.geneId}_${i + 1}`,
        exonNumber: i + 1,
        featureType: "exon",
        geneId: g.geneId,
        start,
        strand: g.strand,
        transcriptId: g.geneId,
      })),
    });
  },

  variant(u, q) {
    const out = [];
    for (const id of list(q, "variantId")) {
      const v = variantRecord(u, id);
      if (v === null) continue;
      if (v.alt.includes(",")) crash(`Multiple alt alleles: ${id}`);
      out.push({ alt: v.alt, chromosome: v.chromosome, pos: v.pos, ref: v.ref, variantId: id });
    }
    return json({ variant: out });
  },

  geneExpression(u, q) {
    const geneId = q.get("geneId");
    const infos = u.tissues.map((t) => {
      const data = u.expression.get(t.tissueSiteDetailId)!.get(geneId ?? "");
      if (!data) crash(`KeyError: ${geneId}`);
      return {
        data: Array.from(data, f),
        datasetId: "ratgtex_v4",
        geneId,
        geneSymbol: geneId,
        tissueSiteDetailId: t.tissueSiteDetailId,
        unit: "TPM",
      };
    });
    return json({ geneExpression: infos });
  },

  medianGeneExpression(u, q) {
    const ids = list(q, "geneId").filter((id) => u.medians.has(id));
    const tissueParam = q.get("tissueSiteDetailId");
    const tissues = tissueParam === null ? u.tissues.map((t) => t.tissueSiteDetailId) : tissueParam.split(",");
    const cols = tissues.map((t) => {
      const i = tissueIndex(u, t);
      if (i < 0) crash(`KeyError: ${t}`);
      return i;
    });
    const rows = ids.map((id) => cols.map((c) => u.medians.get(id)![c]));
    // scipy's linkage raises on an empty matrix: the server answers 500.
    if (rows.length === 0) crash("The number of observations cannot be determined on an empty distance matrix.");
    const geneTree = rows.length === 1 ? "Not enough data" : serverTree(rows, ids);
    const tissueTree = cols.length === 1
      ? "Not enough data"
      : serverTree(cols.map((_, j) => rows.map((r) => r[j])), tissues);
    const long = [];
    for (let j = 0; j < cols.length; j++) {
      for (let i = 0; i < ids.length; i++) {
        long.push({ geneId: ids[i], median: f(rows[i][j]), tissueSiteDetailId: tissues[j] });
      }
    }
    return json({ clusters: { gene: geneTree, tissue: tissueTree }, medianGeneExpression: long });
  },

  topExpressedGene(u, q) {
    const tissue = q.get("tissueSiteDetailId");
    const filterMt = pyTruthyJson(q.get("filterMtGene"));
    let rows = u.top.get(tissue ?? "") ?? [];
    if (filterMt) rows = rows.filter((r) => !r.mtGene);
    return json({
      topExpressedGene: rows.slice(0, 50).map((r) => ({
        chromosome: r.chromosome,
        datasetId: "ratgtex_v4",
        geneId: r.geneId,
        median: f(r.median),
        tissueSiteDetailId: tissue,
        unit: "TPM",
      })),
    });
  },

  singleTissueEqtl(u, q) {
    const geneId = q.get("geneId") ?? "";
    const rows = u.significant.get(geneId) ?? [];
    return json({
      singleTissueEqtl: rows.map((r) => {
        const v = u.variants.get(r.variantId)!;
        return {
          chromosome: v.chromosome,
          geneId,
          nes: f(r.nes),
          // The server re-rounds p to 4 significant digits: float(f"{x:.3e}").
          pValue: f(Number(r.pValue.toExponential(3))),
          pos: v.pos,
          tissueSiteDetailId: r.tissue,
          variantId: r.variantId,
        };
      }),
    });
  },

  eqtl(u, q) {
    const geneId = q.get("geneId") ?? "";
    return json({
      eqtl: (u.eqtls.get(geneId) ?? []).map((r) => ({
        alt: r.alt,
        geneId,
        log2aFC: f(r.log2aFC),
        pValueBeta: f(r.pValueBeta),
        ref: r.ref,
        tissueSiteDetailId: r.tissue,
        variantId: r.variantId,
      })),
    });
  },

  xqtl(u, q) {
    const geneId = q.get("geneId") ?? "";
    return json({
      xqtl: (u.xqtls.get(geneId) ?? []).map((r) => ({
        alt: r.alt,
        geneId,
        modality: r.modality,
        pValueBeta: f(r.pValueBeta),
        phenotypeId: r.phenotypeId,
        ref: r.ref,
        tissueSiteDetailId: r.tissue,
        variantId: r.variantId,
      })),
    });
  },

  dyneqtl(u, q) {
    const variantId = q.get("variantId");
    const geneId = q.get("geneId");
    const tissue = q.get("tissueSiteDetailId");
    // Same order of failures as the server: expression lookup, variant record, alleles, threshold.
    const expr = u.expression.get(tissue ?? "");
    if (!expr) crash(`KeyError: ${tissue}`);
    const data = expr.get(geneId ?? "");
    if (!data) crash(`KeyError: ${geneId}`);
    const v = variantRecord(u, variantId);
    if (v === null) return json({ error: `Variant not found: ${variantId}` }, 404);
    if (v.alt.includes(",")) crash(`Multiple alt alleles: ${variantId}`);
    const rats = u.samples.get(tissue!)!;
    const genotypes = rats.map((r) => (v.dosages[r] < 0 ? null : v.dosages[r]));
    const counts = [0, 1, 2].map((d) => genotypes.filter((g) => g === d).length);
    const called = counts[0] + counts[1] + counts[2];
    const pValue = u.nominal.get(`${tissue}|${geneId}`)?.get(variantId!);
    const threshold = u.thresholds.get(`${tissue}|${geneId}`);
    if (threshold === undefined) crash(`KeyError: (${tissue}, ${geneId})`);
    if (called === 0) crash("ZeroDivisionError: division by zero");
    return json({
      alt: v.alt,
      data: Array.from(data, f),
      geneId,
      genotypes,
      hetCount: counts[1],
      homoAltCount: counts[2],
      homoRefCount: counts[0],
      maf: f((counts[1] + 2 * counts[2]) / (2 * called)),
      pValue: pValue === undefined ? null : f(pValue),
      pValueThreshold: f(threshold),
      ref: v.ref,
      tissueSiteDetailId: tissue,
      variantId,
    });
  },
};

/**
 * `request.args.get("filterMtGene", type=json.loads, default=False)` then Python truthiness: only JSON
 * works (`true`, `1`); `True` fails to parse and silently means false. Python's json also reads `NaN`
 * and `±Infinity`, and a float is true unless it is zero: `NaN` is true.
 */
function pyTruthyJson(text: string | null): boolean {
  if (text === null) return false;
  let value: unknown;
  try {
    value = parseApiJson(text);
  } catch {
    return false;
  }
  if (typeof value === "number") return value !== 0; // NaN !== 0: true, as in Python
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === "object") return Object.keys(value).length > 0;
  return Boolean(value);
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

/**
 * The fault matrix: every route × every fault the twin can inject, over real HTTP on 127.0.0.1.
 *
 * Each cell ends in the right frame or the right typed error; the number of requests the twin received
 * equals the client's documented retry policy (retried: timeouts, dropped connections, truncated JSON,
 * 429/502/503/504; not retried: 500, non-JSON 200, a Retry-After beyond maxRetryAfterMs); the cache folder
 * holds no temporary file and no entry for a failed URL, and a success is cached whole and served again.
 * Small `timeoutMs`/`retryBaseMs` keep the matrix to seconds.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/offline/twin.ts`.
 */
import assert from "node:assert/strict";
import type pl from "nodejs-polars";
import * as rg from "ratgtex";
import type { FaultRule, RouteName } from "ratgtex/offline";
import {
  assertUrlsEncoded,
  listFiles,
  type LoopbackTwin,
  startLoopbackTwin,
  withDeadline,
} from "../support/reliability.ts";

const RETRIES = 2; // so a persistent retryable fault costs RETRIES + 1 = 3 requests
const TIMEOUT_MS = 100; // for the latency cells; the twin waits LATENCY_MS
const LATENCY_MS = 400;
const LARGE_ROWS = 20_000;

/** A route call and how to read its result as frames. */
interface RouteCase {
  route: RouteName;
  call: (client: rg.Client) => Promise<unknown>;
  /** The main frame of the result. */
  frame: (result: unknown) => pl.DataFrame;
  /** True when the answer is one list the twin's `large` fault can pad. */
  list: boolean;
  /** Rows of the main frame per answer row (geneExpression: one per sample). */
  rowsPerItem?: (result: unknown) => number;
}

const asFrame = (r: unknown) => r as pl.DataFrame;
const CASES: RouteCase[] = [
  { route: "tissueInfo", call: (client) => rg.tissueInfo({}, { client }), frame: asFrame, list: true },
  { route: "gene", call: (client) => rg.gene("Cd300lf", { client }), frame: asFrame, list: true },
  { route: "exon", call: (client) => rg.exon("Cd300lf", { client }), frame: asFrame, list: true },
  { route: "variant", call: (client) => rg.variant("chr10:100826333", { client }), frame: asFrame, list: true },
  { route: "geneExpression", call: (client) => rg.geneExpression("Cd300lf", { client }), frame: asFrame, list: true },
  {
    route: "medianGeneExpression",
    call: (client) => rg.medianGeneExpression(["Polr3k", "Rtel1", "Eno1"], { client }),
    frame: (r) => (r as rg.MedianGeneExpressionResult).long,
    list: false,
  },
  { route: "topExpressedGene", call: (client) => rg.topExpressedGene("IL", { client }), frame: asFrame, list: true },
  {
    route: "singleTissueEqtl",
    call: (client) => rg.singleTissueEqtl("Cd300lf", { client }),
    frame: asFrame,
    list: true,
  },
  { route: "eqtl", call: (client) => rg.eqtl("Cd300lf", { client }), frame: asFrame, list: true },
  { route: "xqtl", call: (client) => rg.xqtl("Cd300lf", { client }), frame: asFrame, list: true },
  {
    route: "dyneqtl",
    call: (client) =>
      rg.dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, { client }),
    frame: (r) => (r as rg.DyneqtlResult).samples,
    list: false,
  },
];

/** What a cell must end in. */
type Expect =
  | { kind: "frame"; requests: number; nan?: boolean; large?: boolean; waitMs?: number }
  | {
    kind: "error";
    requests: number;
    type: new (...args: never[]) => rg.RatGtexError;
    status?: number;
    attempts: number;
    waitMs?: number;
  };

/** One fault of the matrix. */
interface FaultCase {
  name: string;
  rule: (route: RouteName) => FaultRule | null;
  expect: Expect;
  /** Use the short per-attempt timeout. */
  shortTimeout?: boolean;
  /** The client's timeout for this fault (default TIMEOUT_MS when shortTimeout, else 10 s). */
  timeoutMs?: number;
  nan?: boolean;
}

const ALL = RETRIES + 1;
const FAULTS: FaultCase[] = [
  {
    name: "latency beyond timeoutMs, every attempt",
    rule: (route) => ({ route, faults: [{ kind: "latency", ms: LATENCY_MS }] }),
    expect: { kind: "error", type: rg.TimeoutError, attempts: ALL, requests: ALL },
    shortTimeout: true,
  },
  {
    name: "latency beyond timeoutMs, once",
    // The retry must succeed within the timeout, so this cell's timeout leaves room for a loaded machine
    // (a normal answer took over 100 ms at load 12): 1 s, and the one slow answer 2.5 s.
    rule: (route) => ({ route, times: 1, faults: [{ kind: "latency", ms: 2_500 }] }),
    expect: { kind: "frame", requests: 2 },
    timeoutMs: 1_000,
  },
  {
    name: "500 HTML (bad input on the real server: not retried)",
    rule: (route) => ({ route, faults: [{ kind: "status", status: 500 }] }),
    expect: { kind: "error", type: rg.HttpError, status: 500, attempts: 1, requests: 1 },
  },
  {
    name: "503, every attempt",
    rule: (route) => ({ route, faults: [{ kind: "status", status: 503 }] }),
    expect: { kind: "error", type: rg.HttpError, status: 503, attempts: ALL, requests: ALL },
  },
  {
    name: "503, once",
    rule: (route) => ({ route, times: 1, faults: [{ kind: "status", status: 503 }] }),
    expect: { kind: "frame", requests: 2 },
  },
  {
    name: "429 with Retry-After 0.1 s, once",
    rule: (route) => ({ route, times: 1, faults: [{ kind: "status", status: 429, retryAfter: 0.1 }] }),
    expect: { kind: "frame", requests: 2, waitMs: 100 },
  },
  {
    name: "429 with Retry-After 3600 s (beyond maxRetryAfterMs: fails at once)",
    rule: (route) => ({ route, faults: [{ kind: "status", status: 429, retryAfter: 3600 }] }),
    expect: { kind: "error", type: rg.HttpError, status: 429, attempts: 1, requests: 1, waitMs: 0 },
  },
  {
    name: "truncated body, every attempt",
    rule: (route) => ({ route, faults: [{ kind: "truncate" }] }),
    expect: { kind: "error", type: rg.ResponseFormatError, attempts: ALL, requests: ALL },
  },
  {
    name: "truncated body, once",
    rule: (route) => ({ route, times: 1, faults: [{ kind: "truncate" }] }),
    expect: { kind: "frame", requests: 2 },
  },
  {
    name: "dropped connection, every attempt",
    rule: (route) => ({ route, faults: [{ kind: "drop" }] }),
    expect: { kind: "error", type: rg.NetworkError, attempts: ALL, requests: ALL },
  },
  {
    name: "dropped connection, once",
    rule: (route) => ({ route, times: 1, faults: [{ kind: "drop" }] }),
    expect: { kind: "frame", requests: 2 },
  },
  {
    name: "200 with an HTML body (not retried)",
    rule: (route) => ({ route, faults: [{ kind: "notJson" }] }),
    expect: { kind: "error", type: rg.ResponseFormatError, attempts: 1, requests: 1 },
  },
  {
    name: "every float written as a bare NaN",
    rule: () => null,
    nan: true,
    expect: { kind: "frame", requests: 1, nan: true },
  },
  {
    name: `a very large answer (${LARGE_ROWS.toLocaleString("en")} rows; geneExpression ${
      largeRows("geneExpression")
    } tissues)`,
    rule: (route) => ({ route, faults: [{ kind: "large", rows: largeRows(route) }] }),
    expect: { kind: "frame", requests: 1, large: true },
  },
];

/** Items of a padded answer: geneExpression's carry a whole tissue of samples each, so fewer of them. */
function largeRows(route: RouteName): number {
  return route === "geneExpression" ? LARGE_ROWS / 20 : LARGE_ROWS;
}

/** Frame rows per answer item, in answer order (1 each, or the per-tissue sample counts of geneExpression). */
function itemSizes(route: RouteName, base: pl.DataFrame): number[] {
  if (route !== "geneExpression") return Array(base.height).fill(1);
  const sizes: number[] = [];
  let last: unknown = undefined;
  for (const t of base.getColumn("tissueSiteDetailId").toArray()) {
    if (t !== last) sizes.push(0);
    sizes[sizes.length - 1]++;
    last = t;
  }
  return sizes;
}

/** The frame's content as one string (for equality with the fault-free answer). */
function digest(frame: pl.DataFrame): string {
  return JSON.stringify(frame.columns) + JSON.stringify(frame.toRecords());
}

function floatColumns(frame: pl.DataFrame): string[] {
  return frame.columns.filter((c) => String(frame.getColumn(c).dtype) === "DataType(Float64)");
}

Deno.test("fault matrix: every route × every twin fault ends in the right frame or typed error, with the documented attempts, and no partial cache entry", async () => {
  const served: LoopbackTwin = await startLoopbackTwin();
  const root = await Deno.makeTempDir({ prefix: "ratgtex-faults-" });
  const outcomes: Record<string, number> = {};
  let cells = 0, maxElapsed = 0, requestsTotal = 0;
  try {
    // The fault-free answers, for comparison.
    const baseline = new Map<RouteName, pl.DataFrame>();
    for (const c of CASES) {
      const client = rg.createClient({ source: served.baseUrl, cache: false, progress: false });
      baseline.set(c.route, c.frame(await c.call(client)));
      assert.ok(baseline.get(c.route)!.height > 0, `${c.route}: the fault-free answer has rows`);
    }
    for (const fault of FAULTS) {
      for (const c of CASES) {
        const label = `${c.route} × ${fault.name}`;
        const cacheDir = `${root}/${cells++}`;
        const client = rg.createClient({
          source: served.baseUrl,
          cacheDir,
          retries: RETRIES,
          retryBaseMs: 5,
          timeoutMs: fault.timeoutMs ?? (fault.shortTimeout ? TIMEOUT_MS : 10_000),
          maxRetryAfterMs: 2_000,
          progress: false,
          checkGenes: false, // the matrix counts route requests and their cache entries only
        });
        served.twin.clearFaults();
        served.twin.resetStats();
        const rule = fault.rule(c.route);
        if (rule) served.twin.inject(rule);
        served.mode.nan = fault.nan ?? false;
        served.mode.nanTokensWritten = 0;
        const started = performance.now();
        let result: unknown = null, error: unknown = null;
        try {
          result = await withDeadline(c.call(client), 30_000, label);
        } catch (e) {
          error = e;
        }
        const elapsed = performance.now() - started;
        served.mode.nan = false;
        maxElapsed = Math.max(maxElapsed, elapsed);
        const requests = served.twin.stats.byRoute[c.route] ?? 0;
        requestsTotal += served.twin.stats.requests;
        assertUrlsEncoded(served.twin.stats.urls);
        // Only the route itself was asked (no tissueInfo look-up for valid v4 tissues).
        assert.equal(served.twin.stats.requests, requests, `${label}: requests to other routes`);
        if (fault.shortTimeout) {
          // A 100 ms attempt on a loaded machine can time out before its request reaches the twin: the client
          // made every attempt the policy allows; the twin saw at most that many.
          assert.ok(requests >= 1 && requests <= fault.expect.requests, `${label}: requests received by the twin`);
        } else assert.equal(requests, fault.expect.requests, `${label}: requests received by the twin`);
        assert.equal(client.stats.requests, fault.expect.requests, `${label}: requests counted by the client`);

        const files = await listFiles(cacheDir);
        assert.deepEqual(files.filter((f) => f.endsWith(".tmp")), [], `${label}: temporary files left in the cache`);
        const expect = fault.expect;
        if (expect.kind === "error") {
          assert.ok(error instanceof expect.type, `${label}: expected ${expect.type.name}, got ${error}`);
          const e = error as rg.RatGtexError & { attempts?: number; status?: number };
          assert.equal(e.route, c.route, `${label}: the error names the route`);
          assert.equal(e.attempts, expect.attempts, `${label}: attempts`);
          if (expect.status !== undefined) assert.equal(e.status, expect.status, `${label}: status`);
          assert.ok(e.hint.length > 10, `${label}: the error says what to do`);
          if (expect.waitMs !== undefined) {
            // The client's own record of the wait it scheduled (not a clock reading): none, it failed at once.
            assert.equal(client.stats.retryWaitMs, expect.waitMs, `${label}: waited ${client.stats.retryWaitMs} ms`);
          }
          assert.deepEqual(files, [], `${label}: a failed URL left a cache entry`);
          outcomes[e.name] = (outcomes[e.name] ?? 0) + 1;
          continue;
        }
        assert.equal(error, null, `${label}: expected a frame, got ${error}`);
        const frame = c.frame(result);
        const base = baseline.get(c.route)!;
        assert.deepEqual(frame.columns, base.columns, `${label}: columns`);
        if (expect.waitMs !== undefined) {
          assert.equal(client.stats.retryWaitMs, expect.waitMs, `${label}: Retry-After honoured`);
        }
        if (expect.nan) {
          assert.equal(frame.height, base.height, `${label}: rows`);
          for (const col of floatColumns(frame)) {
            assert.equal(frame.getColumn(col).nullCount(), frame.height, `${label}: ${col}: every NaN read as null`);
          }
          if (c.route === "dyneqtl") {
            const dyn = result as rg.DyneqtlResult;
            assert.ok(
              Number.isNaN(dyn.maf) && dyn.pValue === null && dyn.data.every(Number.isNaN),
              `${label}: NaN fields`,
            );
          }
          // Routes without floats are unchanged; the others have each float replaced.
          if (floatColumns(base).length === 0 && c.route !== "dyneqtl") assert.equal(digest(frame), digest(base));
          else assert.ok(served.mode.nanTokensWritten > 0, `${label}: NaN tokens were written`);
        } else if (expect.large) {
          if (c.list) {
            // The twin repeats the answer's items in order: for geneExpression an item is one tissue's samples.
            const perItem = itemSizes(c.route, base);
            let expected = 0;
            for (let i = 0; i < largeRows(c.route); i++) expected += perItem[i % perItem.length];
            assert.equal(frame.height, expected, `${label}: rows`);
          } else {
            // The twin pads only answers that are one list: the others come back whole and unchanged.
            assert.equal(digest(frame), digest(base), `${label}: unchanged`);
          }
        } else {
          assert.equal(digest(frame), digest(base), `${label}: same frame as without the fault`);
        }
        // A success is cached whole, and the next call is served from it with the same frame.
        assert.equal(files.length, 1, `${label}: one cache entry`);
        const before = served.twin.stats.requests;
        const again = c.frame(await c.call(client));
        assert.equal(served.twin.stats.requests, before, `${label}: second call served from the cache`);
        assert.equal(client.stats.cacheHits, 1, `${label}: cache hit`);
        assert.equal(again.height, frame.height, `${label}: cached frame`);
        if (!expect.large) assert.equal(digest(again), digest(frame), `${label}: cached frame equal`);
        outcomes.frame = (outcomes.frame ?? 0) + 1;
      }
    }
  } finally {
    await served.close();
    await Deno.remove(root, { recursive: true });
  }
  console.log(
    `fault matrix: ${CASES.length} routes × ${FAULTS.length} faults = ${cells} cells; outcomes ${
      JSON.stringify(outcomes)
    }; ` +
      `${requestsTotal} requests; slowest cell ${
        Math.round(maxElapsed)
      } ms; no temporary file, no entry for a failed URL`,
  );
  assert.equal(cells, CASES.length * FAULTS.length);
});

Deno.test("fault matrix in-process: a handler that ignores the abort signal still times out", async () => {
  // `fetch: twin.handler` never looks at the request's signal: the client must race its own timeout.
  const { createTwin } = await import("../../lib/offline/twin.ts");
  const twin = await createTwin({ faultInjection: true });
  twin.inject({ route: "eqtl", faults: [{ kind: "latency", ms: 400 }] });
  const client = rg.createClient({ source: "offline", fetch: twin.handler, timeoutMs: 50, retries: 1, retryBaseMs: 1 });
  // A TimeoutError after two attempts: the twin (400 ms) never answered within the 50 ms timeout.
  await assert.rejects(
    rg.eqtl("Cd300lf", { client }),
    (e: unknown) => e instanceof rg.TimeoutError && e.attempts === 2,
  );
  assert.equal(twin.stats.byRoute.eqtl, 2);
  await new Promise((r) => setTimeout(r, 450)); // let the twin's timers end (sanitizers)
});

Deno.test("a valid 200 JSON of the wrong shape is refused, not retried, and never cached", async () => {
  const root = await Deno.makeTempDir({ prefix: "ratgtex-shape-" });
  let calls = 0;
  const client = rg.createClient({
    source: "http://127.0.0.1:9/api/v4",
    cacheDir: root,
    checkGenes: false, // this fetch answers every URL alike: count route calls only
    fetch: () => {
      calls++;
      return Promise.resolve(new Response('{"error":"maintenance"}\n', { status: 200 }));
    },
  });
  try {
    await assert.rejects(
      rg.eqtl("Cd300lf", { client }),
      (e: unknown) => e instanceof rg.ResponseFormatError && /"eqtl" list/.test(e.message),
    );
    assert.equal(calls, 1);
    assert.deepEqual(await listFiles(root), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/**
 * The client's policy over real HTTP on loopback against the twin server and its fault injection: typed
 * errors (HTML 500, 404, non-JSON), retries and `Retry-After`, the concurrency limit, the verified disk
 * cache (hits, a fresh client on the same folder, damaged entries refetched), batching of list routes,
 * validation before any request, timeouts and aborts. The twin counts what it receives, so every claim
 * about requests is checked on the server side.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/api/call.ts`.
 */
import assert from "node:assert/strict";
import {
  type Client,
  createClient,
  dyneqtl,
  eqtl,
  exon,
  gene,
  geneExpression,
  HttpError,
  NetworkError,
  NotFoundError,
  RatGtexError,
  ResponseFormatError,
  singleTissueEqtl,
  TimeoutError,
  topExpressedGene,
  ValidationError,
  variant,
} from "ratgtex";
import { batchIds } from "../lib/api/call.ts";
import { loadUniverse, type ServedTwin, serveTwin } from "ratgtex/offline";

const universe = await loadUniverse();
const geneIds = [...universe.genes.keys()];
const WORKED = { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" };

type ClientOverrides = Parameters<typeof createClient>[0];

/** A twin on loopback, a fresh cache folder, and a client factory on both; everything closed after `fn`. */
async function withTwin(
  fn: (ctx: { served: ServedTwin; cacheDir: string; client: (o?: ClientOverrides) => Client }) => Promise<void>,
): Promise<void> {
  const served = await serveTwin({ faultInjection: true });
  const cacheDir = await Deno.makeTempDir({ prefix: "ratgtex-client-" });
  try {
    const client = (o: ClientOverrides = {}) =>
      // Gene IDs unchecked by default here: these tests count the transport's requests
      // (tests/gene_check_test.ts tests the check against the gene list).
      createClient({ source: served.baseUrl, cacheDir, retryBaseMs: 1, progress: false, checkGenes: false, ...o });
    await fn({ served, cacheDir, client });
  } finally {
    await served.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
}

/** The files of the cache folder's entry directory. */
async function cacheFiles(cacheDir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const e of Deno.readDir(`${cacheDir}/ratgtex-cache-1`)) {
    if (e.isFile && e.name.endsWith(".json")) files.push(`${cacheDir}/ratgtex-cache-1/${e.name}`);
  }
  return files;
}

Deno.test("errors: HTML 500 → readable HttpError; 404 → NotFoundError; neither retried", async (t) => {
  await withTwin(async ({ served, client }) => {
    const c = client();
    await t.step("HTML 500 names the route, the parameters, the status and the page's text", async () => {
      const err = await geneExpression("NoSuchGene", { client: c }).catch((e) => e);
      assert.ok(err instanceof HttpError, String(err));
      assert.ok(err instanceof RatGtexError);
      assert.equal(err.status, 500);
      assert.equal(err.route, "geneExpression");
      assert.deepEqual(err.params, { geneId: "NoSuchGene" });
      assert.match(err.message, /^geneExpression\?geneId=NoSuchGene: HTTP 500/);
      assert.match(err.message, /Internal Server Error: The server encountered an internal error/);
      assert.ok(!err.message.includes("<"), "no HTML tags in the message");
      assert.match(err.hint, /unknown gene/);
      assert.equal(err.attempts, 1);
      assert.equal(served.twin.stats.byRoute.geneExpression, 1, "500 is not retried");
    });

    await t.step("404 from dyneqtl is a NotFoundError with the server's message", async () => {
      const err = await dyneqtl({ ...WORKED, variantId: "chr1:1" }, { client: c }).catch((e) => e);
      assert.ok(err instanceof NotFoundError, String(err));
      assert.ok(err instanceof HttpError);
      assert.equal(err.status, 404);
      assert.match(err.message, /^dyneqtl\?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=chr1:1: HTTP 404/);
      assert.match(err.message, /Variant not found: chr1:1/);
      assert.equal(served.twin.stats.byRoute.dyneqtl, 1, "404 is not retried");
    });

    await t.step("a 200 that is not JSON (a proxy page) is a ResponseFormatError, not retried", async () => {
      served.twin.inject({ route: "exon", times: 1, faults: [{ kind: "notJson" }] });
      const err = await exon("Eno1", { client: c }).catch((e) => e);
      assert.ok(err instanceof ResponseFormatError, String(err));
      assert.match(err.message, /^exon\?geneId=Eno1: the answer is not JSON/);
      assert.equal(served.twin.stats.byRoute.exon, 1);
      // Nothing was cached: the next call asks again and succeeds.
      assert.ok((await exon("Eno1", { client: c })).height > 0);
      assert.equal(served.twin.stats.byRoute.exon, 2);
    });
  });
});

Deno.test("retries: 429/502/503/504, truncated and dropped bodies; Retry-After honoured", async (t) => {
  await withTwin(async ({ served, client }) => {
    const stats = served.twin.stats;

    await t.step("transient statuses are retried until an answer comes", async () => {
      for (const status of [429, 502, 503, 504]) {
        const c = client({ cache: false });
        served.twin.inject({ route: "gene", times: 2, faults: [{ kind: "status", status }] });
        const before = stats.byRoute.gene ?? 0;
        const frame = await gene("Eno1", { client: c });
        assert.equal(frame.height, 1, `status ${status}`);
        assert.equal(stats.byRoute.gene - before, 3, `status ${status}: two failures, then the answer`);
        assert.equal(c.stats.retries, 2);
        assert.equal(c.stats.requests, 3);
      }
    });

    await t.step("retries run out: HttpError with the attempts made", async () => {
      const c = client({ cache: false, retries: 2 });
      served.twin.inject({ route: "exon", times: 10, faults: [{ kind: "status", status: 503 }] });
      const before = stats.byRoute.exon ?? 0;
      const err = await exon("Eno1", { client: c }).catch((e) => e);
      served.twin.clearFaults();
      assert.ok(err instanceof HttpError, String(err));
      assert.equal(err.status, 503);
      assert.equal(err.attempts, 3);
      assert.equal(stats.byRoute.exon - before, 3, "1 + retries requests");
      assert.match(err.message, /Service Unavailable/);
    });

    await t.step("a truncated body is retried; so is a dropped connection", async () => {
      for (const kind of ["truncate", "drop"] as const) {
        const c = client({ cache: false });
        served.twin.inject({ route: "singleTissueEqtl", times: 1, faults: [{ kind }] });
        const before = stats.byRoute.singleTissueEqtl ?? 0;
        const frame = await singleTissueEqtl("Eno1", { client: c });
        assert.equal(frame.height, universe.significant.get("Eno1")!.length, kind);
        assert.equal(stats.byRoute.singleTissueEqtl - before, 2, `${kind}: one retry`);
      }
      // Always truncated: the error says so, after every attempt.
      const c = client({ cache: false, retries: 1 });
      served.twin.inject({ route: "singleTissueEqtl", times: 2, faults: [{ kind: "truncate" }] });
      const err = await singleTissueEqtl("Eno1", { client: c }).catch((e) => e);
      assert.ok(err instanceof ResponseFormatError, String(err));
      assert.match(err.message, /cut short/);
      // Always dropped: a NetworkError.
      served.twin.inject({ route: "singleTissueEqtl", times: 2, faults: [{ kind: "drop" }] });
      const dropped = await singleTissueEqtl("Cd300lf", { client: c }).catch((e) => e);
      assert.ok(dropped instanceof NetworkError, String(dropped));
      assert.equal(dropped.attempts, 2);
    });

    await t.step("Retry-After: the client waits exactly that long before the next attempt", async () => {
      for (const status of [503, 429]) {
        const c = client({ cache: false });
        served.twin.inject({ route: "eqtl", times: 1, faults: [{ kind: "status", status, retryAfter: 1 }] });
        const before = stats.byRoute.eqtl ?? 0;
        await eqtl("Eno1", { client: c });
        assert.equal(stats.byRoute.eqtl - before, 2);
        // The wait scheduled before the retry (the client's own record, not a clock reading).
        assert.equal(c.stats.retries, 1);
        assert.equal(c.stats.lastRetryWaitMs, 1000, `status ${status}: Retry-After is 1 s`);
        assert.equal(c.stats.retryWaitMs, 1000);
      }
    });

    await t.step("a Retry-After longer than maxRetryAfterMs fails at once", async () => {
      const c = client({ cache: false, maxRetryAfterMs: 500 });
      served.twin.inject({ route: "eqtl", times: 1, faults: [{ kind: "status", status: 503, retryAfter: 5 }] });
      const before = stats.byRoute.eqtl ?? 0;
      const err = await eqtl("Eno1", { client: c }).catch((e) => e);
      assert.ok(err instanceof HttpError, String(err));
      assert.match(err.message, /Retry-After/);
      assert.equal(stats.byRoute.eqtl - before, 1);
      assert.equal(c.stats.retries, 0, "no retry");
      assert.equal(c.stats.retryWaitMs, 0, "did not wait the 5 s");
    });
  });
});

Deno.test("timeouts and aborts", async (t) => {
  await withTwin(async ({ served, client }) => {
    await t.step("an attempt slower than timeoutMs is a TimeoutError after the retries", async () => {
      const c = client({ cache: false, timeoutMs: 100, retries: 1 });
      served.twin.inject({ route: "exon", times: 2, faults: [{ kind: "latency", ms: 400 }] });
      const err = await exon("Eno1", { client: c }).catch((e) => e);
      assert.ok(err instanceof TimeoutError, String(err));
      assert.equal(err.attempts, 2);
      assert.match(err.message, /no answer within 100 ms/);
    });

    await t.step("an aborted signal rejects with its reason", async () => {
      const c = client({ cache: false });
      served.twin.inject({ route: "singleTissueEqtl", times: 1, faults: [{ kind: "latency", ms: 300 }] });
      const controller = new AbortController();
      const reason = new Error("stop");
      const pending = singleTissueEqtl("Eno1", { client: c, signal: controller.signal });
      const timer = setTimeout(() => controller.abort(reason), 20);
      try {
        await assert.rejects(pending, (e) => e === reason);
      } finally {
        clearTimeout(timer);
      }
      assert.equal(c.stats.retries, 0, "an abort is not retried");
    });

    await t.step("one caller's abort never cancels another caller sharing the same request", async () => {
      const c = client({ cache: false });
      served.twin.inject({ route: "exon", times: 1, faults: [{ kind: "latency", ms: 200 }] });
      const before = served.twin.stats.byRoute.exon ?? 0;
      const controller = new AbortController();
      const a = exon("Eno1", { client: c, signal: controller.signal });
      const b = exon("Eno1", { client: c });
      const timer = setTimeout(() => controller.abort(new Error("A gave up")), 20);
      try {
        await assert.rejects(a, /A gave up/);
        const frame = await b;
        assert.equal(frame.height, universe.genes.get("Eno1")!.exons.length);
        assert.equal((served.twin.stats.byRoute.exon ?? 0) - before, 1, "one shared request");
      } finally {
        clearTimeout(timer);
      }
    });
  });
});

Deno.test("concurrency: in-flight requests never exceed the client's limit", async (t) => {
  await withTwin(async ({ served, client }) => {
    served.twin.inject({ faults: [{ kind: "latency", ms: 50 }] });
    await t.step("50 parallel calls with concurrency 3", async () => {
      const c = client({ concurrency: 3, cache: false });
      served.twin.resetStats();
      const ids = Array.from({ length: 50 }, (_, i) => geneIds[i % geneIds.length]);
      // Distinct requests: exon for the first genes, eqtl for the rest (no shared URL to merge).
      const calls = ids.map((id, i) => i < geneIds.length ? exon(id, { client: c }) : eqtl(id, { client: c }));
      await Promise.all(calls);
      assert.equal(served.twin.stats.requests, 50);
      assert.equal(served.twin.stats.maxInFlight, 3, "the limit is reached and never exceeded");
      assert.equal(c.stats.maxInFlight, 3);
    });

    await t.step("one fan-out and other calls share the limit", async () => {
      const c = client({ concurrency: 2, cache: false });
      served.twin.resetStats();
      await Promise.all([
        singleTissueEqtl(geneIds.slice(0, 20), { client: c }),
        geneExpression(geneIds.slice(0, 5), { client: c }),
        gene(geneIds, { client: c }),
      ]);
      assert.equal(served.twin.stats.requests, 26);
      assert.equal(served.twin.stats.maxInFlight, 2);
    });

    await t.step("identical concurrent calls share one request", async () => {
      const c = client({ cache: false });
      served.twin.resetStats();
      const frames = await Promise.all(Array.from({ length: 5 }, () => exon("Cd300lf", { client: c })));
      assert.equal(served.twin.stats.requests, 1);
      assert.ok(frames.every((f) => f.frameEqual(frames[0])));
    });
  });
});

Deno.test("cache: hits make no request, a fresh client reuses the folder, damaged entries are refetched", async (t) => {
  await withTwin(async ({ served, cacheDir, client }) => {
    const stats = served.twin.stats;
    const call = (c: Client) => singleTissueEqtl("Cd300lf", { client: c });
    let first!: Awaited<ReturnType<typeof call>>;

    await t.step("the second identical call makes no request", async () => {
      const c = client();
      first = await call(c);
      assert.equal(stats.requests, 1);
      const second = await call(c);
      assert.equal(stats.requests, 1);
      assert.equal(c.stats.cacheHits, 1);
      assert.ok(second.frameEqual(first));
      assert.equal((await cacheFiles(cacheDir)).length, 1);
    });

    await t.step("a fresh client on the same cacheDir makes none either", async () => {
      const c = client();
      assert.ok((await call(c)).frameEqual(first));
      assert.equal(stats.requests, 1);
      assert.equal(c.stats.requests, 0);
    });

    await t.step("refresh: true asks again and rewrites the entry", async () => {
      const c = client();
      assert.ok((await singleTissueEqtl("Cd300lf", { client: c, refresh: true })).frameEqual(first));
      assert.equal(stats.requests, 2);
      assert.ok((await call(client())).frameEqual(first));
      assert.equal(stats.requests, 2);
    });

    const damages: [string, (path: string) => Promise<void>][] = [
      ["truncated", async (path) => {
        const size = (await Deno.stat(path)).size;
        await Deno.truncate(path, Math.floor(size * 0.75));
      }],
      ["one byte flipped", async (path) => {
        const bytes = await Deno.readFile(path);
        const i = bytes.length - 20; // inside the body, after the header line
        bytes[i] ^= 0x01;
        await Deno.writeFile(path, bytes);
      }],
      ["header damaged", async (path) => {
        const bytes = await Deno.readFile(path);
        bytes[3] ^= 0x20;
        await Deno.writeFile(path, bytes);
      }],
    ];
    for (const [what, damage] of damages) {
      await t.step(`a ${what} cache file is refetched, not served`, async () => {
        const [path] = await cacheFiles(cacheDir);
        await damage(path);
        const before = stats.requests;
        const c = client();
        const again = await call(c);
        assert.ok(again.frameEqual(first));
        assert.equal(stats.requests - before, 1, "refetched");
        assert.equal(c.stats.cacheHits, 0);
        // The entry was rewritten whole: the next fresh client is served from it.
        const d = client();
        assert.ok((await call(d)).frameEqual(first));
        assert.equal(stats.requests - before, 1);
        assert.equal(d.stats.cacheHits, 1);
      });
    }

    await t.step("cache: false never reads nor writes the folder", async () => {
      const c = client({ cache: false });
      const before = stats.requests;
      await call(c);
      await call(c);
      assert.equal(stats.requests - before, 2);
      assert.equal(c.cache, null);
    });

    await t.step("errors are not cached", async () => {
      const c = client();
      const before = stats.requests;
      await assert.rejects(geneExpression("NoSuchGene", { client: c }), HttpError);
      await assert.rejects(geneExpression("NoSuchGene", { client: c }), HttpError);
      assert.equal(stats.requests - before, 2);
    });
  });
});

Deno.test("batching: 1,000 gene IDs take as few requests as batchSize and the URL length allow", async (t) => {
  await withTwin(async ({ served, client }) => {
    // Half known genes (cycled), half unknown IDs the server drops; every ID distinct in its batch.
    const ids = Array.from(
      { length: 1000 },
      (_, i) => (i % 2 === 0 ? geneIds[(i / 2) % geneIds.length] : `NoGene${i}`),
    );
    const known = ids.filter((id) => universe.genes.has(id));
    const origin = new URL(served.baseUrl).origin;

    for (
      const [label, batchSize, maxUrlLength] of [["batchSize binds", 100, 2000], [
        "URL length binds",
        100,
        400,
      ]] as const
    ) {
      await t.step(`${label} (batchSize ${batchSize}, maxUrlLength ${maxUrlLength})`, async () => {
        // Concurrency 1: the semaphore is first come first served, so the twin sees the batches in order.
        const c = client({ cache: false, batchSize, maxUrlLength, concurrency: 1 });
        served.twin.resetStats();
        const frame = await gene(ids, { client: c });
        const urls = served.twin.stats.urls.map((u) => origin + u);
        const base = c.url("gene", { geneId: "" }).length;
        const expected = batchIds(ids, batchSize, maxUrlLength - base).length;
        assert.equal(served.twin.stats.requests, expected);
        if (label === "batchSize binds") assert.equal(expected, Math.ceil(1000 / batchSize));
        else assert.ok(expected > Math.ceil(1000 / batchSize));
        // Every URL within the limit, every ID sent once, in order.
        assert.ok(urls.every((u) => u.length <= maxUrlLength), `longest URL ${Math.max(...urls.map((u) => u.length))}`);
        const sent = urls.map((u) => new URL(u).searchParams.get("geneId")!.split(","));
        assert.deepEqual(sent.flat(), ids);
        assert.ok(sent.every((b) => b.length <= batchSize));
        // As few as possible: no batch could have taken the next ID.
        for (let i = 0; i < sent.length - 1; i++) {
          const next = sent[i + 1][0];
          assert.ok(
            sent[i].length === batchSize || urls[i].length + 1 + next.length > maxUrlLength,
            `batch ${i} could have taken ${next}`,
          );
        }
        assert.deepEqual(frame.getColumn("geneId").toArray(), known);
      });
    }

    await t.step("variant batches the same way (its ':' is sent as is, and counted so)", async () => {
      const variants = [...universe.variants.values()].filter((v) => !v.alt.includes(",")).slice(0, 250);
      const variantIds = variants.map((v) => v.variantId);
      for (const maxUrlLength of [2000, 300]) {
        const c = client({ cache: false, batchSize: 100, maxUrlLength, concurrency: 1 });
        served.twin.resetStats();
        const frame = await variant(variantIds, { client: c });
        const urls = served.twin.stats.urls.map((u) => origin + u);
        if (maxUrlLength === 2000) assert.equal(urls.length, Math.ceil(250 / 100));
        assert.ok(urls.every((u) => u.length <= maxUrlLength));
        const sent = urls.map((u) => new URL(u).searchParams.get("variantId")!.split(","));
        assert.deepEqual(sent.flat(), variantIds);
        for (let i = 0; i < sent.length - 1; i++) {
          assert.ok(sent[i].length === 100 || urls[i].length + 1 + sent[i + 1][0].length > maxUrlLength, `batch ${i}`);
        }
        assert.deepEqual(frame.getColumn("variantId").toArray(), variantIds);
      }
    });
  });
});

Deno.test("validation: bad input is refused before any request, naming the parameter and the fix", async (t) => {
  await withTwin(async ({ served, client }) => {
    const c = client();
    const cases: [string, () => Promise<unknown>, string, RegExp][] = [
      ["case-wrong tissue", () => topExpressedGene("il", { client: c }), "tissueSiteDetailId", /did you mean IL/],
      ["variant without chr:pos", () => variant("10-100826333", { client: c }), "variantId", /chrN:pos/],
      ["comma-joined genes", () => gene("Cd300lf,Eno1", { client: c }), "geneId", /array/],
      ["empty gene ID", () => eqtl("", { client: c }), "geneId", /empty/],
      ["empty gene list", () => gene([], { client: c }), "geneId", /empty list/],
      [
        "string for a boolean",
        () => topExpressedGene({ tissueSiteDetailId: "IL", filterMtGene: "true" as unknown as boolean }, { client: c }),
        "filterMtGene",
        /boolean/,
      ],
      [
        "missing required parameter",
        () => dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL" } as typeof WORKED, { client: c }),
        "variantId",
        /required/,
      ],
      [
        "misspelt parameter",
        () => gene({ geneID: "Eno1" } as unknown as { geneId: string }, { client: c }),
        "geneID",
        /did you mean geneId/,
      ],
      // A malformed item among good ones fails the whole call before anything is sent (a well-formed
      // unknown ID is a failed item of the batch instead: tests/gene_check_test.ts).
      [
        "one bad triple among good ones",
        () => dyneqtl([WORKED, { ...WORKED, variantId: "rs123" }], { client: c }),
        "variantId",
        /chrN:pos/,
      ],
      [
        "one bad gene among many",
        () => singleTissueEqtl(["Eno1", "Cd300lf", "bad gene"], { client: c }),
        "geneId",
        /symbol/,
      ],
    ];
    for (const [what, call, parameter, pattern] of cases) {
      await t.step(what, async () => {
        served.twin.resetStats();
        const err = await call().then(() => null, (e) => e);
        assert.ok(err instanceof ValidationError, `${what}: ${err}`);
        assert.equal(err.parameter, parameter);
        assert.match(err.message, pattern);
        // A well-formed tissue ID outside the known v4 list is checked against the server's tissueInfo
        // (once per client); nothing else is sent.
        const sent = Object.keys(served.twin.stats.byRoute).filter((r) => r !== "tissueInfo");
        assert.deepEqual(sent, [], "no route request sent");
      });
    }

    await t.step("a well-formed tissue ID outside v4 is checked against tissueInfo, fetched once", async () => {
      served.twin.resetStats();
      const c = client();
      for (let i = 0; i < 2; i++) {
        const err = await topExpressedGene("Heart", { client: c }).catch((e) => e);
        assert.ok(err instanceof ValidationError, String(err));
        assert.match(err.message, /unknown tissue/);
        assert.match(err.hint, /Adipose, BLA/);
      }
      assert.ok((served.twin.stats.byRoute.tissueInfo ?? 0) <= 1, "tissueInfo fetched at most once per client");
      assert.deepEqual(Object.keys(served.twin.stats.byRoute).filter((r) => r !== "tissueInfo"), []);
    });
  });
});

Deno.test("client: one caller giving up on the tissue list does not fail another caller's validation", async () => {
  const { createTwin } = await import("ratgtex/offline");
  const twin = await createTwin({
    faults: [{ route: "tissueInfo", faults: [{ kind: "latency", ms: 100 }] }],
  });
  const c = createClient({ source: "http://twin.invalid/api/v4", cache: false, fetch: twin.handler });
  const giveUp = new AbortController();
  const first = topExpressedGene("Heart", { client: c, signal: giveUp.signal }).catch((e) => e);
  const second = topExpressedGene("Heart", { client: c }).catch((e) => e);
  giveUp.abort(new Error("the first caller gave up"));
  assert.match(String(await first), /the first caller gave up/);
  // The second caller's own answer: the tissue is unknown (not the first caller's abort reason).
  const err = await second;
  assert.ok(err instanceof ValidationError, String(err));
  assert.match(err.message, /unknown tissue/);
  assert.equal(twin.stats.byRoute.tissueInfo, 1, "one tissueInfo request for both callers");
});

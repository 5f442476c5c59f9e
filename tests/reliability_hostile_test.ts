/**
 * The client against hostile servers started on 127.0.0.1: size bombs (an endless body, a gzip bomb) stop
 * at `maxResponseBytes` without a retry or a cache entry; hostile texts parse in linear time (a ratio
 * measured in one run); redirects are followed only within the source's origin and a bounded number of
 * times; a source URL with a query, fragment or credentials is refused without printing the password;
 * timer options are range-checked and a huge Retry-After fails at once.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/_core/errors.ts`,
 * `lib/_core/json_read.ts`.
 */
import assert from "node:assert/strict";
import * as rg from "ratgtex";
import { createTwin } from "ratgtex/offline";
import { parseApiJson } from "../lib/_core/json_read.ts";
import { excerptOf } from "../lib/_core/errors.ts";
import { listFiles, startHostile, streamOf, withDeadline } from "./support/reliability.ts";

const MiB = 2 ** 20;

async function gzipOf(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A client of `baseUrl` with a fresh cache folder, no progress bar, fast retries. */
async function clientOf(baseUrl: string, options: rg.ClientOptions = {}) {
  const cacheDir = await Deno.makeTempDir();
  // checkGenes: false — these servers attack the transport, and count the requests a route call makes.
  const client = rg.createClient({
    source: baseUrl,
    cacheDir,
    retryBaseMs: 1,
    progress: false,
    checkGenes: false,
    ...options,
  });
  return { client, cacheDir };
}

Deno.test("size bombs: an endless body and a gzip bomb stop at maxResponseBytes, typed, not retried, not cached", async () => {
  const zeros = await gzipOf(new Uint8Array(64 * MiB).fill(0x20)); // 64 MiB of spaces, ~64 KiB of gzip
  const server = await startHostile((request, signal) => {
    if (request.url.includes("gzip")) {
      return new Response(zeros, { headers: { "content-type": "application/json", "content-encoding": "gzip" } });
    }
    // "Endless": 64 KiB pieces up to 1 GiB, until the client hangs up.
    return new Response(streamOf(new Uint8Array(64 * 1024).fill(0x5b), 16 * 1024, signal));
  });
  try {
    for (const geneId of ["endless", "gzip"]) {
      const { client, cacheDir } = await clientOf(server.baseUrl, { maxResponseBytes: 4 * MiB });
      const error = await withDeadline(
        rg.gene([geneId], { client }).then(() => null, (e) => e),
        20_000,
        geneId,
      );
      assert.ok(error instanceof rg.ResponseTooLargeError, `${geneId}: ${error}`);
      assert.ok(error instanceof rg.ResponseFormatError);
      assert.equal(error.limitBytes, 4 * MiB);
      assert.equal(error.attempts, 1);
      assert.equal(client.stats.requests, 1, `${geneId}: not retried`);
      assert.deepEqual(await listFiles(cacheDir), [], `${geneId}: nothing cached`);
      assert.ok(error.message.length < 1000, "the excerpt is short");
    }
  } finally {
    await server.close();
  }
});

Deno.test("size limit: the option is range-checked; an answer just under it is read", async () => {
  assert.throws(() => rg.createClient({ maxResponseBytes: 0 }), rg.ValidationError);
  assert.throws(() => rg.createClient({ maxResponseBytes: 2 ** 40 }), rg.ValidationError);
  const twin = await createTwin();
  const server = await startHostile((request) => twin.handler(request));
  try {
    const { client } = await clientOf(server.baseUrl);
    const full = await client.text("tissueInfo", {});
    const exact = await clientOf(server.baseUrl, { maxResponseBytes: new TextEncoder().encode(full).length });
    assert.equal((await rg.tissueInfo({}, { client: exact.client })).height, 13);
    const under = await clientOf(server.baseUrl, { maxResponseBytes: new TextEncoder().encode(full).length - 1 });
    await assert.rejects(rg.tissueInfo({}, { client: under.client }), rg.ResponseTooLargeError);
  } finally {
    await server.close();
  }
});

/** The shortest of `reps` timings of `fn` (ms): the least noisy estimate of its cost. */
function fastest(fn: () => void, reps = 5): number {
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/**
 * time(2n) / time(n) for `make(n)` fed to `run`. Load from other processes only ever inflates one side,
 * so the ratio is measured up to three times and the smallest kept.
 */
function doublingRatio(make: (n: number) => string, run: (text: string) => void, n: number): number {
  const small = make(n), big = make(2 * n);
  const call = (text: string) => () => {
    try {
      run(text);
    } catch { /* the hostile inputs are refused: only the time matters */ }
  };
  fastest(call(small), 2); // warm up
  let ratio = Infinity;
  for (let round = 0; round < 3 && ratio >= 2.5; round++) {
    ratio = Math.min(ratio, fastest(call(big)) / fastest(call(small)));
  }
  return ratio;
}

Deno.test("linear time: doubling a hostile text at most about doubles its parsing time (ratio in one run)", () => {
  const n = 2 * MiB;
  const cases: [string, (n: number) => string, (text: string) => void][] = [
    ['parseApiJson: unterminated string after NaN ([NaN,"aaa…)', (k) => '[NaN,"' + "a".repeat(k), parseApiJson],
    ['parseApiJson: many strings after NaN ([NaN,"a","a",…)', (k) => "[NaN" + ',"a"'.repeat(k / 4), parseApiJson],
    ["parseApiJson: backslashes in a string", (k) => '[NaN,"' + "\\\\".repeat(k / 2) + '"]', parseApiJson],
    ["excerptOf: a page of '<'", (k) => "<".repeat(k), excerptOf],
    ["excerptOf: '<a' without '>'", (k) => "<a".repeat(k / 2), excerptOf],
    ["error message of a huge body", (k) => "<p>" + "x".repeat(k), (t) => new rg.ResponseFormatError("bad", t, {})],
  ];
  const ratios: string[] = [];
  for (const [label, make, run] of cases) {
    const ratio = doublingRatio(make, run, n);
    ratios.push(`${label}: ×${ratio.toFixed(2)}`);
    assert.ok(ratio < 3, `${label}: doubling the input multiplied the time by ${ratio.toFixed(2)}`);
  }
  console.log(`time ratio per doubled hostile input (${n} → ${2 * n} chars):\n  ${ratios.join("\n  ")}`);
});

Deno.test("a bad body starting with '{' is not 'truncated' (not retried); {NaN:1} is refused; a cut-short body is retried", async () => {
  const bodies: Record<string, string> = {
    extra: '{"gene":[]}}',
    nankey: '{NaN:1,"gene":[]}',
    cut: '{"gene":[{"geneId":"Eno1"',
  };
  const server = await startHostile((request) => {
    const id = new URL(request.url).searchParams.get("geneId") ?? "";
    return new Response(bodies[id], { headers: { "content-type": "application/json" } });
  });
  try {
    for (const [id, retried] of [["extra", false], ["nankey", false], ["cut", true]] as const) {
      const { client } = await clientOf(server.baseUrl, { retries: 2 });
      const error = await rg.gene([id], { client }).then(() => null, (e) => e);
      assert.ok(error instanceof rg.ResponseFormatError, `${id}: ${error}`);
      assert.equal(client.stats.requests, retried ? 3 : 1, id);
      assert.equal(/cut short/.test(error.message), retried, `${id}: ${error.message}`);
    }
  } finally {
    await server.close();
  }
});

Deno.test("redirects: followed within the origin only, a bounded number of times; another origin's answer is never cached", async () => {
  const twin = await createTwin();
  const other = await startHostile((request) => twin.handler(request));
  const server = await startHostile((request) => {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/moved/")) {
      return twin.handler(new Request(url.href.replace("/moved/", "/"), { headers: request.headers }));
    }
    const where = url.searchParams.get("geneId");
    const location = where === "same"
      ? `/moved${url.pathname}${url.search}`
      : where === "loop"
      ? `${url.pathname}${url.search}`
      : `${other.origin}${url.pathname}?geneId=Eno1`;
    return new Response(null, { status: 302, headers: { location } });
  });
  try {
    const same = await clientOf(server.baseUrl);
    // The same-origin redirect leads to the twin's own answer for geneId=same (unknown: an empty list).
    assert.equal((await rg.gene(["same"], { client: same.client })).height, 0);

    const foreign = await clientOf(server.baseUrl);
    const error = await rg.gene(["foreign"], { client: foreign.client }).then(() => null, (e) => e);
    assert.ok(error instanceof rg.HttpError, String(error));
    assert.match(error.message, new RegExp(`redirected to ${other.origin}.*outside ${server.origin}`));
    assert.equal(other.seen.length, 0, "the other origin was never asked");
    assert.equal(foreign.client.stats.requests, 1, "not retried");
    assert.deepEqual(await listFiles(foreign.cacheDir), []);

    const before = server.seen.length;
    const loop = await clientOf(server.baseUrl);
    await assert.rejects(
      rg.gene(["loop"], { client: loop.client }),
      (e) => e instanceof rg.HttpError && /more than 5 redirects/.test(e.message),
    );
    assert.equal(server.seen.length - before, 6, "one request and 5 redirects, then stop (no retry)");
  } finally {
    await server.close();
    await other.close();
  }
});

Deno.test("redirects: https → http is never followed (same host)", async () => {
  const asked: string[] = [];
  const client = rg.createClient({
    source: "https://ratgtex.invalid/api/v4",
    cache: false,
    progress: false,
    fetch: (request) => {
      asked.push(request.url);
      return Promise.resolve(
        new Response(null, { status: 301, headers: { location: request.url.replace("https:", "http:") } }),
      );
    },
  });
  await assert.rejects(
    rg.tissueInfo({}, { client }),
    (e) => e instanceof rg.HttpError && /outside https:/.test(e.message),
  );
  assert.equal(asked.length, 1);
});

Deno.test("base URL: a query, a fragment or credentials are refused; the password is never printed", () => {
  for (
    const source of ["http://127.0.0.1:9/api/v4?x=1", "http://127.0.0.1:9/api/v4#top", "http://127.0.0.1:9/api/v4?"]
  ) {
    assert.throws(
      () => rg.createClient({ source }),
      (e) => e instanceof rg.ValidationError && /query|fragment/.test(e.message),
      source,
    );
  }
  for (const source of ["http://me:s3cret@127.0.0.1:9/api/v4", "http://s3cret@127.0.0.1:9/api/v4"]) {
    assert.throws(() => rg.createClient({ source }), (e) => {
      assert.ok(e instanceof rg.ValidationError);
      assert.match(e.message, /credentials/);
      assert.ok(!e.message.includes("s3cret") && !String(e.value).includes("s3cret"), e.message);
      return true;
    });
  }
  assert.throws(
    () => rg.createClient({ source: "ftp:me:s3cret@host" }),
    (e) => e instanceof rg.ValidationError && !e.message.includes("s3cret"),
  );
});

Deno.test("timers: out-of-range timeouts are refused; a huge Retry-After fails at once even with the largest cap", async () => {
  for (
    const [name, value] of [["timeoutMs", 2 ** 31], ["maxRetryAfterMs", 2 ** 31], ["retryBaseMs", 2 ** 40], [
      "timeoutMs",
      Infinity,
    ]] as const
  ) {
    assert.throws(
      () => rg.createClient({ [name]: value }),
      (e) => e instanceof rg.ValidationError && e.parameter === name,
    );
  }
  assert.equal(rg.createClient({ timeoutMs: 2 ** 31 - 1 }).options.timeoutMs, 2 ** 31 - 1);
  const server = await startHostile(() => new Response("busy", { status: 503, headers: { "retry-after": "3000000" } }));
  try {
    const { client } = await clientOf(server.baseUrl, { maxRetryAfterMs: 2 ** 31 - 1 });
    const error = await withDeadline(rg.tissueInfo({}, { client }).then(() => null, (e) => e), 10_000, "retry-after");
    assert.ok(error instanceof rg.HttpError && /Retry-After/.test(error.message), String(error));
    assert.equal(client.stats.requests, 1);
  } finally {
    await server.close();
  }
});

Deno.test({
  name: "size bombs in a child process: peak memory stays under the limit plus a small overhead",
  ignore: Deno.build.os !== "linux", // VmHWM is read from /proc
  fn: async () => {
    const { sizeBombPeaks } = await import("./bench/size_bomb_rss.ts");
    const limit = 16 * MiB;
    const peaks = await sizeBombPeaks(limit, 256 * MiB);
    const lines: string[] = [];
    for (const p of peaks) {
      const growth = p.afterBytes - p.beforeBytes;
      lines.push(`${p.bomb}: +${(growth / MiB).toFixed(0)} MiB peak RSS for a ${limit / MiB} MiB limit`);
      assert.equal(p.error, "ResponseTooLargeError", p.bomb);
      assert.equal(p.requests, 1, `${p.bomb}: not retried`);
      // The buffer (doubling: at most 1.5 × the limit at once), the text, and Deno's own read-ahead.
      assert.ok(growth < 3 * limit + 96 * MiB, `${p.bomb}: peak RSS grew by ${(growth / MiB).toFixed(0)} MiB`);
    }
    console.log(lines.join("\n"));
  },
});

/**
 * The twin under attack by hostile clients on 127.0.0.1 (issue 27, rows "twin" and "twin files"): every
 * attack is written here, against the twin behind its own HTTP server (`serveTwin`).
 *
 * - the folder is a boundary: symlinks in the served folder to a file, a folder, `/` (and `..` links)
 *   are never served — `/etc/passwd` never comes out;
 * - a foreign `Host` header (DNS rebinding) gets 421; `localhost` and the listening address are answered,
 *   and so are the names given in `allowedHosts`; a request without Host gets 400;
 * - malformed `%` escapes in a file path get 400, never 500;
 * - half-sent requests are closed after the header timeout; beyond the connection cap the oldest
 *   half-sent connection is evicted, so a normal client is still answered; request bodies are bounded;
 * - `medianGeneExpression` work is bounded per request (the issue's 61 genes × 768 tissue IDs: 414 naming
 *   the cap); that expensive requests take turns is measured in `tests/e2e/reliability_twin_child_test.ts`.
 *
 * Imports internal modules by design (to name the caps it checks): `lib/offline/_limits.ts`.
 */
import assert from "node:assert/strict";
import { loadUniverse, serveTwin } from "ratgtex/offline";
import { MAX_MEDIAN_GENES, MAX_MEDIAN_TISSUES } from "../lib/offline/_limits.ts";

const FIXTURE = new URL("../fixtures/data/v4", import.meta.url).pathname;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Send raw bytes, read the whole answer (the server closes, or `until` matches). */
async function raw(port: number, text: string, until?: RegExp): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(encoder.encode(text));
    let out = "";
    const buf = new Uint8Array(65536);
    while (true) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      out += decoder.decode(buf.subarray(0, n), { stream: true });
      if (until?.test(out)) break;
    }
    return out;
  } finally {
    try {
      conn.close();
    } catch {
      // closed by the server
    }
  }
}

const statusOf = (reply: string) => Number(/^HTTP\/1\.1 (\d{3}) /.exec(reply)?.[1] ?? 0);

/** A copy of the bundled release with hostile symlinks in it. */
async function hostileFolder(): Promise<{ root: string; data: string }> {
  const root = await Deno.makeTempDir({ prefix: "ratgtex-twin-attack-" });
  const data = `${root}/data/v4`;
  await Deno.mkdir(`${root}/data`);
  const cp = await new Deno.Command("cp", { args: ["-r", FIXTURE, data] }).output();
  assert.ok(cp.success, "copied the fixture");
  await Deno.writeTextFile(`${root}/secret.txt`, "beside the folder, not in it\n");
  await Deno.symlink("/etc/passwd", `${data}/passwd.txt`); // a link to a file
  await Deno.symlink("/etc", `${data}/etc`); // to a folder
  await Deno.symlink("/", `${data}/root`); // to /
  await Deno.symlink("../../secret.txt", `${data}/eqtl/secret.txt`); // relative, out of the folder
  await Deno.symlink("../../..", `${data}/expr/up`); // a relative folder link out
  await Deno.symlink("tissue_info.v4.tsv", `${data}/inside.tsv`); // a link that stays inside: served
  return { root, data };
}

Deno.test("twin files: symlinks out of the served folder (a file, a folder, /) are never served", async () => {
  const { root, data } = await hostileFolder();
  const served = await serveTwin({ data });
  try {
    const base = served.baseUrl.replace(/\/api\/v4$/, "/data/v4");
    const passwd = await Deno.readTextFile("/etc/passwd").catch(() => "root:");
    const attempts = [
      "passwd.txt",
      "etc/passwd",
      "root/etc/passwd",
      "root/etc/hostname",
      "eqtl/secret.txt",
      "expr/up/secret.txt",
      "root" + FIXTURE + "/tissue_info.v4.tsv",
      "etc",
      "root",
      "%2e%2e/%2e%2e/secret.txt",
      "..%2f..%2fsecret.txt",
      "%2fetc%2fpasswd",
      "expr/up%2f..%2f..%2fetc%2fpasswd",
    ];
    for (const path of attempts) {
      for (const method of ["GET", "HEAD"]) {
        const res = await fetch(`${base}/${path}`, { method, headers: { range: "bytes=0-" } });
        const body = await res.text();
        assert.equal(res.status, 404, `${method} ${path}: ${res.status}`);
        assert.ok(!body.includes("root:") && !body.includes(passwd.slice(0, 20)), `${path} leaked`);
        assert.ok(!body.includes("beside the folder"), `${path} leaked the file beside the folder`);
      }
    }
    // The gene list path (served before the routes) is held the same way.
    await Deno.remove(`${data}/autocomplete.v4.json`);
    await Deno.symlink("/etc/passwd", `${data}/autocomplete.v4.json`);
    const list = await fetch(`${base}/autocomplete.v4.json`);
    assert.equal(list.status, 404);
    assert.ok(!(await list.text()).includes("root:"));
    // A link that stays inside the folder is the folder's own file.
    const inside = await fetch(`${base}/inside.tsv`);
    assert.equal(inside.status, 200);
    assert.equal(await inside.text(), await Deno.readTextFile(`${data}/tissue_info.v4.tsv`));
    console.log(`${attempts.length} paths through symlinks out of the folder × GET/HEAD: 404, nothing leaked`);
  } finally {
    await served.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("twin: a foreign Host header (DNS rebinding) gets 421; the server's own names and allowed names are answered", async () => {
  const served = await serveTwin({ allowedHosts: ["twin.lan", "other.lan:8443"] });
  const port = served.port;
  const get = (host: string | null) =>
    raw(
      port,
      `GET /api/v4/tissueInfo HTTP/1.1\r\n${host === null ? "" : `Host: ${host}\r\n`}Connection: close\r\n\r\n`,
    ).then(statusOf);
  try {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      assert.equal(await get(host), 200, host);
    }
    assert.equal(await get(`twin.lan:${port}`), 200, "an allowed name, on the server's port");
    assert.equal(await get("other.lan:8443"), 200, "an allowed name:port (a proxy in front)");
    for (
      const host of [
        "attacker.example",
        `attacker.example:${port}`,
        `127.0.0.1.attacker.example:${port}`,
        `localhost.:${port + 1}`,
        `127.0.0.1:${port + 1}`,
        "127.0.0.1",
        `twin.lan:${port + 1}`,
        "other.lan:8444",
        `127.0.0.1:${port}@attacker.example`,
        `attacker.example/${port}`,
        "",
      ]
    ) assert.equal(await get(host), host === "" ? 400 : 421, JSON.stringify(host));
    assert.equal(await get(null), 400, "HTTP/1.1 without Host");
    const twoHosts = await raw(
      port,
      `GET /api/v4/tissueInfo HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: attacker.example\r\n\r\n`,
    );
    assert.equal(statusOf(twoHosts), 400, "two Host headers");
    assert.equal(served.twin.stats.requests, 6, "no refused request reached the twin");
    assert.ok(served.connections.rejected >= 13);
  } finally {
    await served.close();
  }
});

Deno.test("twin files: malformed % escapes get 400 (in-process and over HTTP), never 500", async () => {
  const served = await serveTwin();
  try {
    const bad = ["%", "%zz", "%E0%A4%A", "%C0%AF", "%ED%A0%80", "tissue_info.v4.tsv%", "%FF", "a%2"];
    for (const path of bad) {
      const over = await raw(
        served.port,
        `GET /data/v4/${path} HTTP/1.1\r\nHost: 127.0.0.1:${served.port}\r\nConnection: close\r\n\r\n`,
      );
      assert.equal(statusOf(over), 400, `${path} over HTTP`);
      const inProcess = await served.twin.handler(new Request(`http://twin/data/v4/${path}`));
      assert.equal(inProcess.status, 400, `${path} in-process`);
      await inProcess.body?.cancel();
    }
    // Well-formed escapes still work.
    const ok = await fetch(`${served.baseUrl.replace(/\/api\/v4$/, "")}/data/v4/tissue%5Finfo.v4.tsv`);
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  } finally {
    await served.close();
  }
});

Deno.test("twin: half-sent requests time out; beyond the connection cap the oldest half-sent one is evicted", async () => {
  const served = await serveTwin({ maxConnections: 8, headerTimeoutMs: 300, idleTimeoutMs: 300 });
  const port = served.port;
  const conns: Deno.Conn[] = [];
  try {
    // 20 clients that send half a request head and wait.
    for (let i = 0; i < 20; i++) {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      await c.write(encoder.encode(`GET /api/v4/tissueInfo HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `));
      conns.push(c);
    }
    // A normal client is answered at once: a half-sent connection made room for it.
    const res = await fetch(`${served.baseUrl}/gene?geneId=Cd300lf`);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).gene[0].geneId, "Cd300lf");
    assert.ok(served.connections.maxOpen <= 8, `at most 8 open (${served.connections.maxOpen})`);
    assert.ok(served.connections.evicted >= 12, `evicted ${served.connections.evicted}`);
    // Every half-sent connection ends: evicted, or closed by the header timeout (read → end of stream).
    for (const c of conns) assert.equal(await c.read(new Uint8Array(1024)).catch(() => null), null);
    assert.ok(served.connections.timedOut >= 1, `timed out ${served.connections.timedOut}`);
    assert.equal(served.twin.stats.requests, 1, "no half-sent request reached the twin");
    console.log(
      `20 half-sent connections, cap 8: ${served.connections.evicted} evicted, ${served.connections.timedOut} ` +
        "timed out, the normal request answered",
    );
  } finally {
    for (const c of conns) {
      try {
        c.close();
      } catch {
        // closed already
      }
    }
    await served.close();
  }
});

Deno.test("twin: request bodies are bounded (413, 501), a small one is skipped and the connection kept", async () => {
  const served = await serveTwin();
  const port = served.port;
  const host = `Host: 127.0.0.1:${port}\r\n`;
  try {
    const big = await raw(port, `POST /api/v4/gene HTTP/1.1\r\n${host}Content-Length: 1000000000\r\n\r\n`);
    assert.equal(statusOf(big), 413);
    const chunked = await raw(port, `POST /api/v4/gene HTTP/1.1\r\n${host}Transfer-Encoding: chunked\r\n\r\n5\r\n`);
    assert.equal(statusOf(chunked), 501);
    const bad = await raw(port, `GET /api/v4/gene HTTP/1.1\r\n${host}Content-Length: -1\r\n\r\n`);
    assert.equal(statusOf(bad), 400);
    // A small body is read and skipped; the next request on the same connection is answered.
    const two = await raw(
      port,
      `POST /api/v4/gene?geneId=Eno1 HTTP/1.1\r\n${host}Content-Length: 5\r\n\r\nhello` +
        `GET /api/v4/gene?geneId=Eno1 HTTP/1.1\r\n${host}Connection: close\r\n\r\n`,
    );
    const statuses = [...two.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    assert.deepEqual(statuses, [405, 200]);
    // Heads are bounded as gunicorn bounds them.
    const longLine = await raw(port, `GET /api/v4/gene?geneId=${"A".repeat(5000)} HTTP/1.1\r\n${host}\r\n`);
    assert.equal(statusOf(longLine), 414);
    const fields = Array.from({ length: 150 }, (_, i) => `X-${i}: 1\r\n`).join("");
    assert.equal(statusOf(await raw(port, `GET /api/v4/tissueInfo HTTP/1.1\r\n${host}${fields}\r\n`)), 431);
    const huge = `X-Big: ${"a".repeat(70_000)}\r\n`;
    assert.equal(statusOf(await raw(port, `GET /api/v4/tissueInfo HTTP/1.1\r\n${host}${huge}\r\n`)), 431);
    assert.equal(statusOf(await raw(port, `GET /api/v4/tissueInfo HTTP/1.1\r\n${host} folded\r\n\r\n`)), 400);
    assert.equal(statusOf(await raw(port, `GET http://evil/ HTTP/1.1\r\n${host}\r\n`)), 400);
    assert.equal(statusOf(await raw(port, `GET /api/v4/tissueInfo HTTP/2.0\r\n${host}\r\n`)), 505);
  } finally {
    await served.close();
  }
});

Deno.test("twin: a client that never reads a large answer is cut off by the send timeout", async () => {
  const served = await serveTwin({ faultInjection: true, sendTimeoutMs: 300 });
  const c = await Deno.connect({ hostname: "127.0.0.1", port: served.port });
  try {
    // About 15 MB of JSON, never read: the writes stall, the server gives up on this client.
    await c.write(encoder.encode(
      `GET /api/v4/variant?variantId=chr10:100826333 HTTP/1.1\r\nHost: 127.0.0.1:${served.port}\r\n` +
        "X-Twin-Fault: large=100000\r\n\r\n",
    ));
    for (let i = 0; i < 200 && served.connections.timedOut === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(served.connections.timedOut, 1, "the stalled writer was closed");
    const res = await fetch(`${served.baseUrl}/tissueInfo`);
    assert.equal(res.status, 200, "others are served");
    await res.body?.cancel();
  } finally {
    c.close();
    await served.close();
  }
});

/** The issue's query: 61 genes × 768 tissue IDs (every tissue but Adipose, repeated), a 3.9 KB URL. */
async function expensiveQueries(): Promise<{ issue: string; worst: string; normal: string }> {
  const u = await loadUniverse();
  const genes = [...u.genes.keys()];
  const tissues = u.tissues.map((t) => t.tissueSiteDetailId).filter((t) => t !== "Adipose");
  const list = (n: number, from: string[]) => Array.from({ length: n }, (_, i) => from[i % from.length]).join(",");
  return {
    issue: `medianGeneExpression?geneId=${list(61, genes)}&tissueSiteDetailId=${list(768, tissues)}`,
    // The most work one request may ask for now: both lists at their caps, repeats included.
    worst: `medianGeneExpression?geneId=${list(MAX_MEDIAN_GENES, genes)}&tissueSiteDetailId=${
      list(MAX_MEDIAN_TISSUES, tissues)
    }`,
    normal: "gene?geneId=Cd300lf",
  };
}

Deno.test("twin: medianGeneExpression's work is bounded per request (the issue's 61 × 768 query: 414 naming the cap)", async () => {
  const served = await serveTwin();
  const q = await expensiveQueries();
  const get = async (path: string) => {
    const res = await fetch(`${served.baseUrl}/${path}`);
    return { status: res.status, body: await res.text() };
  };
  try {
    assert.ok(q.issue.length + 24 < 4094, "the issue's query fits under the request-line cap");
    const issue = await get(q.issue);
    assert.equal(issue.status, 414);
    assert.match(JSON.parse(issue.body).error, /768 tissue IDs; the twin clusters at most 256 gene IDs and 32 tissue/);
    const worst = await get(q.worst);
    assert.equal(worst.status, 200, "both lists at their caps: answered");
    assert.equal(JSON.parse(worst.body).medianGeneExpression.length, MAX_MEDIAN_GENES * MAX_MEDIAN_TISSUES);
    const u = await loadUniverse();
    const gene = [...u.genes.keys()][0];
    const overGenes = await get(`medianGeneExpression?geneId=${Array(MAX_MEDIAN_GENES + 1).fill(gene).join(",")}`);
    assert.equal(overGenes.status, 414, "one gene ID over the cap");
    const overTissues = await get(`medianGeneExpression?geneId=${gene}&tissueSiteDetailId=${Array(33).fill("IL")}`);
    assert.equal(overTissues.status, 414, "one tissue ID over the cap");
    // Unknown gene IDs are dropped before counting, as the server drops them: they cost nothing.
    const unknown = await get(`medianGeneExpression?geneId=${gene},${Array(400).fill("Nope").join(",")}`);
    assert.equal(unknown.status, 200);
    // That expensive requests take turns (a normal client waits for about one of them) is measured with the
    // twin in its own process: tests/e2e/reliability_twin_child_test.ts.
  } finally {
    await served.close();
  }
});

/**
 * A remote release and its cache hold as the API client does (issue 27's table), against hostile servers
 * on 127.0.0.1: a body without a size, larger than announced, or gzip-encoded; range requests answered
 * 200 (with an endless body), from the wrong start, or spliced from a changed file; redirects to another
 * origin; a server that never answers or stalls (the timeout option and `--timeout`); tissue IDs that
 * would leave the cache; no HOME; a cache folder others can write; a planted `.part` link or FIFO, a cached
 * file that is a link; and several processes downloading one file. Each asserts the typed error, what is
 * (and is not) left in the cache, and that nothing was written outside it.
 *
 * Imports internal modules by design: the remote byte source itself (`RemoteSource`, what child processes
 * download through) and the reader below `openRelease` (ranged reads of a zip).
 */
import assert from "node:assert/strict";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
import { HttpError, NetworkError, ReleaseFormatError, TimeoutError, ValidationError } from "ratgtex";
import { folderOf } from "../lib/release/release.ts";
import { RemoteSource } from "../lib/release/remote.ts";
import { listFiles, runCli, startHostile, streamOf, withDeadline } from "./support/reliability.ts";

const MiB = 2 ** 20;
const EQTLS = "eqtl/eqtls_indep.v4_rn8.tsv";

/** The files of the cache, without the lock files (`.locks/`, which stay, empty, by design). */
async function cached(dir: string): Promise<string[]> {
  return (await listFiles(dir)).filter((f) => !f.startsWith(".locks/"));
}

/** What nginx would answer for a file of the bundled release: size, ETag, Last-Modified, ranges, If-Range. */
async function nginx(request: Request, options: { etag?: string | null; body?: Uint8Array } = {}): Promise<Response> {
  const path = new URL(request.url).pathname.replace(/^\/data\/v4\//, "");
  let bytes: Uint8Array;
  try {
    bytes = options.body ?? await Deno.readFile(`${BUNDLED_RELEASE}/${path}`);
  } catch {
    return new Response("Not Found", { status: 404 });
  }
  const etag = options.etag === undefined ? `"${bytes.length.toString(16)}-v1"` : options.etag;
  const headers: Record<string, string> = { "content-length": String(bytes.length), "accept-ranges": "bytes" };
  if (etag !== null) headers.etag = etag;
  const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.get("range") ?? "");
  const ifRange = request.headers.get("if-range");
  if (range && (ifRange === null || ifRange === etag)) {
    const start = Number(range[1]);
    const end = range[2] === "" ? bytes.length - 1 : Math.min(bytes.length - 1, Number(range[2]));
    if (start >= bytes.length) {
      return new Response(null, { status: 416, headers: { "content-range": `bytes */${bytes.length}` } });
    }
    return new Response(bytes.slice(start, end + 1) as Uint8Array<ArrayBuffer>, {
      status: 206,
      headers: {
        ...headers,
        "content-length": String(end - start + 1),
        "content-range": `bytes ${start}-${end}/${bytes.length}`,
      },
    });
  }
  return new Response(bytes as Uint8Array<ArrayBuffer>, { headers });
}

/** A body that sends `bytes` then fails (a dropped connection), once the client has had them. */
function cut(bytes: Uint8Array, after: number): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    async pull(c) {
      if (!sent) {
        sent = true;
        c.enqueue(bytes.slice(0, after));
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
      c.error(new Error("connection reset"));
    },
  });
}

async function withCache<T>(run: (cacheDir: string) => Promise<T>): Promise<T> {
  const cacheDir = await Deno.makeTempDir({ prefix: "ratgtex-release-cache-" });
  try {
    return await run(cacheDir);
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
}

Deno.test("bodies: no announced size, more than announced, gzip-encoded → typed, nothing left in the cache", async () => {
  const server = await startHostile((request, signal) => {
    const url = new URL(request.url);
    if (!url.pathname.endsWith(EQTLS)) return nginx(request);
    const mode = url.searchParams.get("m") ?? url.pathname.split("/")[1];
    if (mode === "chunked") return new Response(streamOf(new Uint8Array(64 * 1024).fill(0x41), 8 * 1024, signal));
    // gzip: a small body that inflates to 512 MiB, sent although identity was asked for.
    return new Response(new Uint8Array(1024), { headers: { "content-encoding": "gzip", "content-length": "1024" } });
  });
  try {
    for (const mode of ["chunked", "longer", "gzip"]) {
      await withCache(async (cacheDir) => {
        // Deno.serve never sends more than its Content-Length: "longer" is a fetch that does (80 KB announced, 512 MiB sent).
        const longer = async (request: Request) =>
          new URL(request.url).pathname.endsWith(EQTLS)
            ? new Response(streamOf(new Uint8Array(64 * 1024).fill(0x41), 8 * 1024, new AbortController().signal), {
              headers: { "content-length": "81920" },
            })
            : await fetch(request);
        const rel = await openRelease(`${server.origin}/${mode}/data/v4`, {
          cacheDir,
          timeoutMs: 10_000,
          ...(mode === "longer" ? { fetch: longer } : {}),
        });
        const error = await withDeadline(rel.independentEqtls().then(() => null, (e) => e), 20_000, mode);
        assert.ok(error instanceof ReleaseFormatError || error instanceof NetworkError, `${mode}: ${error}`);
        assert.match(
          error.message,
          mode === "gzip"
            ? /Content-Encoding/
            : mode === "longer"
            ? /more than the 81920 bytes it announced/
            : /did not announce its size/,
          mode,
        );
        assert.deepEqual(await cached(cacheDir), [], `${mode}: no .part, no file`);
      });
    }
  } finally {
    await server.close();
  }
});

Deno.test("ranges: a 200 with an endless body, a range from the wrong start, a longer body → typed at once; nothing spliced", async () => {
  let mode = "";
  const server = await startHostile((request, signal) => {
    const range = request.headers.get("range");
    if (range === null || new URL(request.url).pathname.endsWith("tissue_info.v4.tsv")) return nginx(request);
    if (mode === "200") return new Response(streamOf(new Uint8Array(MiB).fill(0x50), 1024, signal)); // 1 GiB, status 200
    if (mode === "start") {
      return new Response(new Uint8Array(10), { status: 206, headers: { "content-range": "bytes 0-9/999999" } });
    }
    return new Response(streamOf(new Uint8Array(MiB), 64, signal), {
      status: 206,
      headers: {
        "content-range": /bytes=(\d+)-(\d+)/.exec(range)!.slice(1).join("-").replace(/^/, "bytes ") + "/999999",
      },
    });
  });
  try {
    for (const m of ["200", "start", "longer"]) {
      mode = m;
      await withCache(async (cacheDir) => {
        const rel = await openRelease(`${server.origin}/data/v4`, { cacheDir });
        const error = await withDeadline(folderOf(rel).cisPvals("IL").then(() => null, (e) => e), 20_000, m);
        assert.ok(error instanceof NetworkError || error instanceof ReleaseFormatError, `${m}: ${error}`);
        assert.match(
          String(error),
          m === "200"
            ? /does not answer range requests/
            : m === "start"
            ? /answered bytes 0-9\/999999 to a request for bytes 0-0/
            : /more than the 1 bytes/,
          m,
        );
        assert.deepEqual(await cached(cacheDir), [
          "127.0.0.1:" + new URL(server.origin).port + "/data/v4/tissue_info.v4.tsv",
        ]);
      });
    }
  } finally {
    await server.close();
  }
});

Deno.test("redirects: within the origin followed; to another origin refused and never cached", async () => {
  const other = await startHostile(() => new Response("forged\ttable\n", { headers: { "content-length": "13" } }));
  const server = await startHostile((request) => {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/moved/")) {
      return new Response(null, { status: 302, headers: { location: url.pathname.replace("/moved", "") } });
    }
    if (url.pathname.startsWith("/away/")) {
      return new Response(null, {
        status: 302,
        headers: { location: `${other.origin}${url.pathname.replace("/away", "")}` },
      });
    }
    return nginx(request);
  });
  try {
    await withCache(async (cacheDir) => {
      const rel = await openRelease(`${server.origin}/moved/data/v4`, { cacheDir });
      assert.ok((await rel.independentEqtls()).height > 0);
    });
    await withCache(async (cacheDir) => {
      const rel = await openRelease(`${server.origin}/away/data/v4`, { cacheDir });
      await assert.rejects(rel.independentEqtls(), (e) => e instanceof HttpError && /outside/.test(e.message));
      assert.deepEqual(await cached(cacheDir), []);
      assert.deepEqual(other.seen, [], "the other origin was never asked");
    });
  } finally {
    await server.close();
    await other.close();
  }
});

Deno.test("timeouts: a server that never answers, or stalls mid-body, fails within timeoutMs (option and --timeout); no .part left", async () => {
  const server = await startHostile((request, signal) => {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/silent/")) {
      return new Promise<Response>((resolve) => signal.addEventListener("abort", () => resolve(new Response(null))));
    }
    if (url.pathname.endsWith("top_assoc.v4_rn8.tsv") || url.pathname.endsWith(EQTLS)) {
      // 1 KiB of the file, then nothing: a stalled body (no validator, so nothing is kept for a resume).
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (!sent) {
            sent = true;
            c.enqueue(new Uint8Array(1024).fill(0x41));
            return;
          }
          return new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
        },
      });
      return new Response(body, { headers: { "content-length": "100000" } });
    }
    return nginx(request);
  });
  try {
    for (const path of ["/silent/data/v4", "/data/v4"]) {
      await withCache(async (cacheDir) => {
        const rel = await openRelease(`${server.origin}${path}`, { cacheDir, timeoutMs: 300 });
        const error = await withDeadline(rel.independentEqtls().then(() => null, (e) => e), 10_000, path);
        assert.ok(error instanceof TimeoutError, `${path}: ${error}`);
        assert.match(error.message, /within 300 ms/);
        assert.deepEqual(await cached(cacheDir), [], `${path}: nothing left`);
      });
    }
    await withCache(async (cacheDir) => {
      const run = await withDeadline(
        runCli(["egenes", "--data", `${server.origin}/data/v4`, "--timeout", "1"], { RATGTEX_CACHE_DIR: cacheDir }),
        30_000,
        "ratgtex egenes --timeout 1",
      );
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /within 1000 ms/);
    });
    assert.throws(() => new RemoteSource(`${server.origin}/data/v4`, { timeoutMs: -1 }), ValidationError);
  } finally {
    await server.close();
  }
});

Deno.test("resume: If-Range carries the validator; a changed file restarts whole; a 206 from the wrong start or of another version is never spliced", async () => {
  const v1 = await Deno.readFile(`${BUNDLED_RELEASE}/${EQTLS}`);
  const v2 = new TextEncoder().encode(new TextDecoder().decode(v1).replace("Polr3k", "Polr3x"));
  let version = v1, etag = '"v1"', mode = "honest", gets = 0;
  const asked: string[] = [];
  const server = await startHostile((request) => {
    if (!new URL(request.url).pathname.endsWith(EQTLS)) return nginx(request);
    asked.push(`${request.headers.get("range") ?? ""} ${request.headers.get("if-range") ?? ""}`);
    if (gets++ === 0) {
      // The first download breaks after 4 KiB.
      return new Response(cut(version, 4096), { headers: { "content-length": String(version.length), etag } });
    }
    const range = /^bytes=(\d+)-$/.exec(request.headers.get("range") ?? "");
    if (mode === "fromZero" && range) {
      return new Response(version as Uint8Array<ArrayBuffer>, {
        status: 206,
        headers: { "content-range": `bytes 0-${version.length - 1}/${version.length}`, etag },
      });
    }
    if (mode === "splice" && range) {
      const rest = version.slice(Number(range[1]));
      return new Response(rest as Uint8Array<ArrayBuffer>, {
        status: 206,
        headers: { "content-range": `bytes ${range[1]}-${version.length - 1}/${version.length}`, etag },
      });
    }
    return nginx(request, { etag, body: version });
  });
  try {
    for (const m of ["honest", "fromZero", "splice"]) {
      await withCache(async (cacheDir) => {
        [version, etag, mode, gets] = [v1, '"v1"', m, 0];
        asked.length = 0;
        const rel = await openRelease(`${server.origin}/data/v4`, { cacheDir });
        await assert.rejects(rel.independentEqtls(), /interrupted after 4096 bytes/);
        const file = `${cacheDir}/127.0.0.1:${new URL(server.origin).port}/data/v4/${EQTLS}`;
        assert.equal((await Deno.stat(`${file}.part`)).size, 4096, "kept for a resume: the server named its version");
        // Now the file changes on the server.
        [version, etag] = [v2, '"v2"'];
        const again = await openRelease(`${server.origin}/data/v4`, { cacheDir });
        if (m === "honest") {
          await again.independentEqtls();
          assert.deepEqual(await Deno.readFile(file), v2, "the new version, whole");
          assert.match(asked[1], /^bytes=4096- "v1"$/, "Range with If-Range");
        } else {
          await assert.rejects(again.independentEqtls(), ReleaseFormatError, m);
          await assert.rejects(Deno.lstat(`${file}.part`), Deno.errors.NotFound, `${m}: .part removed`);
          await assert.rejects(Deno.lstat(file), Deno.errors.NotFound, `${m}: nothing cached`);
          mode = "honest";
          await (await openRelease(`${server.origin}/data/v4`, { cacheDir })).independentEqtls();
          assert.deepEqual(await Deno.readFile(file), v2, `${m}: then downloaded whole`);
        }
      });
    }
  } finally {
    await server.close();
  }
});

Deno.test("IDs from a hostile tissue_info never become paths: nothing written outside the cache, no folder made", async () => {
  const info = await Deno.readTextFile(`${BUNDLED_RELEASE}/tissue_info.v4.tsv`);
  const hostileInfo = info.replace("\nIL\t", "\n../../../../tmp/x\t");
  const server = await startHostile((request) =>
    nginx(
      request,
      new URL(request.url).pathname.endsWith("tissue_info.v4.tsv")
        ? { body: new TextEncoder().encode(hostileInfo) }
        : {},
    )
  );
  const marker = `/tmp/x.v4.zip`;
  try {
    await withCache(async (cacheDir) => {
      const rel = await openRelease(`${server.origin}/data/v4`, { cacheDir });
      await assert.rejects(
        rel.significantPairs(),
        (e) =>
          e instanceof ReleaseFormatError && e.file === "tissue_info.v4.tsv" && e.line === 7 &&
          e.field === "tissueSiteDetailId",
      );
      await assert.rejects(folderOf(rel).cisPvals("../../../../tmp/x"), ReleaseFormatError);
      await assert.rejects(Deno.lstat(marker), Deno.errors.NotFound);
      assert.deepEqual(await cached(cacheDir), [`127.0.0.1:${new URL(server.origin).port}/data/v4/tissue_info.v4.tsv`]);
      assert.ok(server.seen.every((p) => !p.includes("..") && !p.includes("tmp")), server.seen.join(" "));
    });
  } finally {
    await server.close();
  }
});

Deno.test("the cache: none without HOME; a folder others can write, or another user's, refused; a planted .part link or FIFO and a cached link never followed", async () => {
  const server = await startHostile((request) => nginx(request));
  const port = new URL(server.origin).port;
  try {
    // No HOME, no XDG_CACHE_HOME, no RATGTEX_CACHE_DIR: no cache (never /tmp), a typed error with the fix.
    const script = `import { openRelease } from ${
      JSON.stringify(new URL("../lib/release/mod.ts", import.meta.url).href)
    };
const rel = await openRelease(${JSON.stringify(`${server.origin}/data/v4`)});
const e = await rel.independentEqtls().then(() => null, (e) => e);
console.log(JSON.stringify({ name: e?.name ?? null, message: e?.message ?? "" }));`;
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        "--no-prompt",
        "--allow-env",
        "--allow-read",
        "--allow-write",
        "--allow-net=127.0.0.1",
        "--allow-ffi",
        "--allow-sys",
        script,
      ],
      clearEnv: true,
      env: {
        PATH: Deno.env.get("PATH") ?? "",
        DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      },
      cwd: new URL("..", import.meta.url).pathname,
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const r = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
    assert.equal(r.name, "ValidationError");
    assert.match(r.message, /no cache folder/);
    assert.ok(!server.seen.some((p) => p.endsWith(EQTLS)), "nothing was downloaded");

    // A cache folder others can write: refused, a planted table never served.
    await withCache(async (cacheDir) => {
      const planted = `${cacheDir}/127.0.0.1:${port}/data/v4/eqtl`;
      await Deno.mkdir(planted, { recursive: true });
      await Deno.writeTextFile(`${planted}/eqtls_indep.v4_rn8.tsv`, "forged\n");
      await Deno.chmod(cacheDir, 0o777);
      const rel = await openRelease(`${server.origin}/data/v4`, { cacheDir });
      await assert.rejects(
        rel.independentEqtls(),
        (e) => e instanceof ValidationError && /writable by other users/.test(e.message),
      );
      await Deno.chmod(cacheDir, 0o700);
    });

    // Another user's cache folder (only root can hand one over): refused, whatever it holds.
    if (Deno.uid() === 0) {
      await withCache(async (cacheDir) => {
        await Deno.chown(cacheDir, 1, 1);
        const rel = await openRelease(`${server.origin}/data/v4`, { cacheDir });
        await assert.rejects(
          rel.independentEqtls(),
          (e) => e instanceof ValidationError && /belongs to another user/.test(e.message),
        );
        await Deno.chown(cacheDir, 0, 0);
      });
    }

    // A .part planted as a link to a victim file, a .part FIFO, a cached file that is a link out.
    await withCache(async (cacheDir) => {
      const folder = `${cacheDir}/127.0.0.1:${port}/data/v4/eqtl`;
      await Deno.mkdir(folder, { recursive: true, mode: 0o700 });
      const victim = await Deno.makeTempFile();
      await Deno.writeTextFile(victim, "the victim's file\n");
      await Deno.symlink(victim, `${folder}/eqtls_indep.v4_rn8.tsv.part`);
      await Deno.writeTextFile(
        `${folder}/eqtls_indep.v4_rn8.tsv.part.json`,
        JSON.stringify({ url: `${server.origin}/data/v4/${EQTLS}`, total: 10 ** 6, etag: '"x"' }),
      );
      const mk = await new Deno.Command("mkfifo", { args: [`${folder}/top_assoc.v4_rn8.tsv.part`] }).output();
      assert.ok(mk.success);
      const outside = await Deno.makeTempFile();
      await Deno.writeTextFile(outside, "forged\ttable\n");
      await Deno.mkdir(`${cacheDir}/127.0.0.1:${port}/data/v4/xqtl`, { mode: 0o700 });
      await Deno.symlink(outside, `${cacheDir}/127.0.0.1:${port}/data/v4/xqtl/xqtls_indep.cross_modality.v4_rn8.tsv`);
      try {
        const rel = await openRelease(`${server.origin}/data/v4`, { cacheDir });
        const eq = await withDeadline(rel.independentEqtls(), 20_000, ".part link");
        assert.ok(eq.height > 0);
        assert.equal(await Deno.readTextFile(victim), "the victim's file\n", "nothing written through the link");
        assert.ok(
          (await withDeadline(rel.topAssociations(), 20_000, "FIFO .part")).height > 0,
          "a FIFO .part: no hang",
        );
        assert.ok((await rel.independentXqtls()).height > 0, "the linked entry was replaced by the real file");
        assert.ok(
          !(await Deno.lstat(`${cacheDir}/127.0.0.1:${port}/data/v4/xqtl/xqtls_indep.cross_modality.v4_rn8.tsv`))
            .isSymlink,
        );
        assert.equal(await Deno.readTextFile(outside), "forged\ttable\n");
      } finally {
        await Deno.remove(victim);
        await Deno.remove(outside);
      }
    });
  } finally {
    await server.close();
  }
});

Deno.test("concurrent downloaders of one file: processes and callers coordinate (one download, every copy whole)", async () => {
  const bytes = await Deno.readFile(`${BUNDLED_RELEASE}/${EQTLS}`);
  let full = 0, finished = false;
  // Each downloader pings when it starts: whether the one download was still under way then (an order of
  // events, no clock).
  const pings: boolean[] = [];
  const server = await startHostile((request, signal) => {
    if (new URL(request.url).pathname === "/ping") {
      pings.push(!finished);
      return new Response("ok");
    }
    if (!new URL(request.url).pathname.endsWith(EQTLS)) return nginx(request);
    full++;
    // Slowly: 16 pieces, 60 ms apart (about a second), so that the downloaders overlap.
    let at = 0;
    const piece = Math.ceil(bytes.length / 16);
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (at >= bytes.length || signal.aborted) {
          finished = true;
          return c.close();
        }
        await new Promise((r) => setTimeout(r, 60));
        c.enqueue(bytes.slice(at, at += piece));
      },
    });
    return new Response(body, { headers: { "content-length": String(bytes.length), etag: '"v1"' } });
  });
  try {
    await withCache(async (cacheDir) => {
      const script = `import { RemoteSource } from ${
        JSON.stringify(new URL("../lib/release/remote.ts", import.meta.url).href)
      };
await (await fetch(${JSON.stringify(`${server.origin}/ping`)})).text();
const path = await new RemoteSource(${JSON.stringify(`${server.origin}/data/v4`)}, { cacheDir: ${
        JSON.stringify(cacheDir)
      } }).download(${JSON.stringify(EQTLS)});
console.log(path);`;
      const runs = await Promise.all(Array.from({ length: 4 }, () =>
        new Deno.Command(Deno.execPath(), {
          args: [
            "eval",
            "--no-prompt",
            "--allow-env",
            "--allow-read",
            "--allow-write",
            "--allow-net=127.0.0.1",
            script,
          ],
          cwd: new URL("..", import.meta.url).pathname,
        }).output()));
      for (const run of runs) assert.ok(run.success, new TextDecoder().decode(run.stderr));
      const paths = new Set(runs.map((r) => new TextDecoder().decode(r.stdout).trim()));
      assert.equal(paths.size, 1);
      assert.deepEqual(await Deno.readFile([...paths][0]), bytes, "whole, never appended twice");
      assert.equal(full, 1, "downloaded once; the others waited and took it");
      assert.equal(pings.length, 4);
      assert.ok(pings.every((underWay) => underWay), "every downloader started while the download was under way");
      assert.deepEqual(await cached(cacheDir), [`127.0.0.1:${new URL(server.origin).port}/data/v4/${EQTLS}`]);
    });
    // Callers in one process, through separate release objects.
    full = 0;
    finished = false;
    await withCache(async (cacheDir) => {
      const sources = Array.from({ length: 3 }, () => new RemoteSource(`${server.origin}/data/v4`, { cacheDir }));
      const paths = await Promise.all(sources.map((s) => s.download(EQTLS)));
      assert.equal(new Set(paths).size, 1);
      assert.deepEqual(await Deno.readFile(paths[0]), bytes);
      assert.equal(full, 1);
    });
  } finally {
    await server.close();
  }
});

/**
 * Cache integrity: keys cannot escape the cache folder; a process killed (SIGKILL) in the middle of writing
 * leaves nothing that is served later; two processes writing the same entry at once leave one whole
 * answer; a truncated, corrupted or misplaced entry is detected and refetched; a different API version or
 * base URL never shares an entry.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/api/_cache.ts`.
 */
import assert from "node:assert/strict";
import * as rg from "ratgtex";
import { ResponseCache } from "../lib/api/_cache.ts";
import { listFiles, startLoopbackTwin } from "./support/reliability.ts";

const CACHE_MODULE = new URL("../lib/api/_cache.ts", import.meta.url).href;

/** A child `deno run` that stores `count` answers for one URL (tagged, padded to `size`), printing "ready" after the first. */
const WRITER = `
import { ResponseCache } from ${JSON.stringify(CACHE_MODULE)};
const [dir, url, tag, count, size] = Deno.args;
const cache = new ResponseCache(dir);
const pad = "x".repeat(Number(size));
for (let i = 0; i < Number(count); i++) {
  await cache.put(url, \`{"tag":"\${tag}","i":\${i},"pad":"\${pad}"}\\n\`);
  if (i === 0) console.log("ready");
}
console.log("done");
`;

async function writerScript(dir: string): Promise<string> {
  const path = `${dir}/writer.ts`;
  await Deno.writeTextFile(path, WRITER);
  return path;
}

function spawnWriter(script: string, cacheDir: string, url: string, tag: string, count: number, size: number) {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      `--allow-read=${cacheDir},${script}`,
      `--allow-write=${cacheDir}`,
      script,
      cacheDir,
      url,
      tag,
      String(count),
      String(size),
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Read a child's stdout until `word` appears. */
async function waitFor(
  stream: ReadableStream<Uint8Array>,
  word: string,
): Promise<ReadableStreamDefaultReader<Uint8Array>> {
  const reader = stream.getReader();
  let text = "";
  while (!text.includes(word)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`child ended before printing ${word}: ${text}`);
    text += new TextDecoder().decode(value);
  }
  return reader;
}

/** A served body is whole: valid JSON with the expected tag and the full padding. */
function assertWhole(body: string, tags: string[], size: number): void {
  const parsed = JSON.parse(body) as { tag: string; pad: string };
  assert.ok(tags.includes(parsed.tag), `tag ${parsed.tag}`);
  assert.equal(parsed.pad.length, size);
}

Deno.test("cache keys cannot escape the cache folder", async () => {
  const root = await Deno.makeTempDir({ prefix: "ratgtex-keys-" });
  try {
    const cache = new ResponseCache(`${root}/cache`);
    const hostile = [
      "../../../../etc/passwd",
      "/etc/passwd",
      "https://ratgtex.org/api/v4/gene?geneId=../../x",
      "..\\..\\windows\\system32",
      "\u0000/dev/null",
      "C:\\temp\\x",
      "https://ratgtex.org/api/v4/" + "a/".repeat(5000),
      "~/.ssh/id_rsa",
      "file:///etc/shadow",
      "",
    ];
    for (const [i, url] of hostile.entries()) await cache.put(url, `{"i":${i}}\n`);
    for (const [i, url] of hostile.entries()) assert.equal(await cache.get(url), `{"i":${i}}\n`);
    const files = await listFiles(root);
    assert.equal(files.length, hostile.length);
    for (const f of files) assert.match(f, /^cache\/ratgtex-cache-1\/[0-9a-f]{64}\.json$/);
    assert.equal((await cache.info()).entries, hostile.length);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a writer killed with SIGKILL mid-write leaves nothing that is served", async () => {
  const root = await Deno.makeTempDir({ prefix: "ratgtex-kill-" });
  const script = await writerScript(root);
  const cacheDir = `${root}/cache`;
  const url = "https://ratgtex.org/api/v4/geneExpression?geneId=Cd300lf";
  const size = 24_000_000; // large, so that a write takes long enough to be interrupted
  const kills = 6;
  let leftTemp = 0, partial = 0, served = 0, absent = 0, seenMidWrite = 0;
  try {
    for (let k = 0; k < kills; k++) {
      const child = spawnWriter(script, cacheDir, url, "K", 1_000, size);
      // Even rounds: kill during the very first write (nothing stored yet). Odd rounds: after one whole
      // write, during a later one. Either way the kill comes the moment a temporary file is seen.
      const first = k % 2 === 0;
      const reader = first ? child.stdout.getReader() : await waitFor(child.stdout, "ready");
      // Poll the folder (an attempt counter, not a clock): the writer loops for long, so a temporary file
      // appears within the first few hundred looks on any machine.
      let seen = false;
      for (let look = 0; !seen && look < 100_000; look++) {
        seen = (await listFiles(cacheDir)).some((f) => f.endsWith(".tmp"));
      }
      child.kill("SIGKILL");
      const status = await child.status;
      assert.equal(status.signal, "SIGKILL", "the writer was killed, not finished");
      await reader.cancel();
      await child.stderr.cancel();
      if (seen) seenMidWrite++;
      for (const f of (await listFiles(cacheDir)).filter((f) => f.endsWith(".tmp"))) {
        leftTemp++;
        // What the killed writer left is a part of an entry, never at an entry's name.
        if ((await Deno.stat(`${cacheDir}/${f}`)).size < size) partial++;
      }
      const cache = new ResponseCache(cacheDir);
      const hit = await cache.get(url);
      if (hit === null) absent++;
      else {
        assertWhole(hit, ["K"], size);
        served++;
      }
      // Killed during its first write, a writer leaves nothing to serve — or, when the kill lands after the
      // rename (a loaded machine can let the writer finish between the look and the kill), the whole answer,
      // checked above: never a part.
      await cache.clear();
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
  console.log(
    `SIGKILL mid-write: ${kills} kills, ${seenMidWrite} during a write, ${leftTemp} left a temporary file (${partial} of them partial; never read), ` +
      `${served} served a whole earlier answer, ${absent} served nothing; no partial answer served`,
  );
  assert.equal(served + absent, kills);
  assert.ok(seenMidWrite > 0, "at least one kill landed while a write was in progress");
});

Deno.test("two processes writing the same entry at once leave one whole answer; readers never see a mix", async () => {
  const root = await Deno.makeTempDir({ prefix: "ratgtex-race-" });
  const script = await writerScript(root);
  const cacheDir = `${root}/cache`;
  const url = "https://ratgtex.org/api/v4/eqtl?geneId=Cd300lf";
  const size = 2_000_000, count = 40;
  try {
    const a = spawnWriter(script, cacheDir, url, "A", count, size);
    const b = spawnWriter(script, cacheDir, url, "B", count, size);
    const cache = new ResponseCache(cacheDir);
    let reads = 0, whole = 0;
    const done = Promise.all([a.status, b.status]);
    let finished = false;
    done.then(() => (finished = true));
    while (!finished) {
      const hit = await cache.get(url);
      reads++;
      if (hit !== null) {
        assertWhole(hit, ["A", "B"], size);
        whole++;
      }
    }
    const [sa, sb] = await done;
    assert.ok(sa.success && sb.success, "both writers finished");
    await a.stdout.cancel(), await b.stdout.cancel(), await a.stderr.cancel(), await b.stderr.cancel();
    const final = await cache.get(url);
    assert.ok(final !== null);
    assertWhole(final, ["A", "B"], size);
    const files = await listFiles(cacheDir);
    assert.equal(files.length, 1, `one entry, no temporary file: ${files}`);
    console.log(
      `concurrent writers: 2 × ${count} writes of the same entry, ${reads} reads during them, ${whole} whole answers, 0 mixed`,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a truncated, corrupted or misplaced entry is detected, removed and refetched", async () => {
  const served = await startLoopbackTwin();
  const cacheDir = await Deno.makeTempDir({ prefix: "ratgtex-damage-" });
  const damages: [string, (bytes: Uint8Array, other: Uint8Array) => Uint8Array][] = [
    ["truncated to half", (b) => b.slice(0, b.length >> 1)],
    ["cut by one byte", (b) => b.slice(0, b.length - 1)],
    ["empty", () => new Uint8Array()],
    ["one body byte flipped", (b) => {
      const c = b.slice();
      c[c.length - 10] ^= 0x01;
      return c;
    }],
    ["a byte appended", (b) => Uint8Array.from([...b, 0x20])],
    ["header only", (b) => b.slice(0, b.indexOf(10) + 1)],
    ["header damaged", (b) => {
      const c = b.slice();
      c[2] = 0x7b;
      return c;
    }],
    ["another URL's entry copied over it", (_b, other) => other],
    ["invalid UTF-8 body", (b) => Uint8Array.from([...b.slice(0, b.indexOf(10) + 1), 0xff, 0xfe, 0xfd])],
  ];
  try {
    // Gene IDs unchecked: the gene list would be one more cache entry.
    const client = rg.createClient({ source: served.baseUrl, cacheDir, progress: false, checkGenes: false });
    const reference = await rg.eqtl("Cd300lf", { client });
    await rg.eqtl("Eno1", { client });
    const cache = client.cache!;
    const files = (await listFiles(cacheDir)).map((f) => `${cacheDir}/${f}`);
    assert.equal(files.length, 2);
    const urlOf = (gene: string) => client.url("eqtl", { geneId: gene });
    // Which file is Cd300lf's: the one whose header names its URL.
    const texts = await Promise.all(files.map((f) => Deno.readTextFile(f)));
    const mine = files[texts.findIndex((t) => t.startsWith("{") && t.includes(JSON.stringify(urlOf("Cd300lf"))))];
    const other = await Deno.readFile(files.find((f) => f !== mine)!);
    for (const [name, damage] of damages) {
      const good = await Deno.readFile(mine);
      await Deno.writeFile(mine, damage(good, other));
      const before = served.twin.stats.byRoute.eqtl;
      const frame = await rg.eqtl("Cd300lf", { client });
      assert.equal(served.twin.stats.byRoute.eqtl, before + 1, `${name}: refetched`);
      assert.deepEqual(frame.toRecords(), reference.toRecords(), `${name}: the right frame`);
      assert.deepEqual(await Deno.readFile(mine).then((b) => b.length), good.length, `${name}: entry rewritten whole`);
      assert.ok((await cache.get(urlOf("Cd300lf"))) !== null, `${name}: entry valid again`);
    }
    assert.deepEqual((await listFiles(cacheDir)).filter((f) => f.endsWith(".tmp")), []);
    console.log(`damaged entries: ${damages.length} kinds of damage, each detected and refetched`);
  } finally {
    await served.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
});

Deno.test("a different base URL or API version never shares a cache entry", async () => {
  const one = await startLoopbackTwin();
  const two = await startLoopbackTwin();
  const cacheDir = await Deno.makeTempDir({ prefix: "ratgtex-share-" });
  try {
    const a = rg.createClient({ source: one.baseUrl, cacheDir, progress: false });
    const b = rg.createClient({ source: two.baseUrl, cacheDir, progress: false });
    await rg.tissueInfo({}, { client: a });
    await rg.tissueInfo({}, { client: a });
    assert.equal(one.twin.stats.requests, 1, "a's second call is a cache hit");
    await rg.tissueInfo({}, { client: b });
    assert.equal(two.twin.stats.requests, 1, "b (another base URL, same folder) asks its own server");
    // Another API version on the same host: asked of the server (which has no v3: 404), never served from v4's entry.
    const v3 = rg.createClient({ source: one.baseUrl.replace("/api/v4", "/api/v3"), cacheDir, progress: false });
    await assert.rejects(rg.tissueInfo({}, { client: v3 }), rg.NotFoundError);
    assert.equal(one.twin.stats.requests, 2);
    // And at the cache level, for URLs that differ only in scheme, host spelling, version or a trailing character.
    const cache = new ResponseCache(cacheDir);
    const url = "https://ratgtex.org/api/v4/gene?geneId=Cd300lf";
    await cache.put(url, '{"gene":[]}\n');
    for (
      const near of [
        "http://ratgtex.org/api/v4/gene?geneId=Cd300lf",
        "https://www.ratgtex.org/api/v4/gene?geneId=Cd300lf",
        "https://ratgtex.org/api/v3/gene?geneId=Cd300lf",
        "https://ratgtex.org/api/v4/gene?geneId=Cd300lf&",
        "https://ratgtex.org/api/v4/gene?geneId=cd300lf",
      ]
    ) assert.equal(await cache.get(near), null, near);
    assert.equal(await cache.get(url), '{"gene":[]}\n');
    assert.equal((await cache.info()).entries, 3);
  } finally {
    await one.close();
    await two.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
});

Deno.test("a cache that cannot be written never loses an answer", async () => {
  const served = await startLoopbackTwin();
  const root = await Deno.makeTempDir({ prefix: "ratgtex-ro-" });
  // A file where the cache folder should be: every write fails.
  await Deno.writeTextFile(`${root}/blocked`, "not a folder");
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
  try {
    const client = rg.createClient({ source: served.baseUrl, cacheDir: `${root}/blocked`, progress: false });
    const frame = await rg.eqtl("Cd300lf", { client });
    await rg.eqtl("Eno1", { client });
    assert.ok(frame.height > 0);
    assert.equal(warnings.length, 1, "warned once");
    assert.match(warnings[0], /cannot (read|write) the cache/);
  } finally {
    console.warn = warn;
    await served.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("temporary files left by killed writers are swept once they are stale; fresh ones are left alone", async () => {
  const root = await Deno.makeTempDir({ prefix: "ratgtex-sweep-" });
  try {
    const cache = new ResponseCache(root);
    await Deno.mkdir(`${root}/ratgtex-cache-1`, { recursive: true });
    const stale = `${root}/ratgtex-cache-1/${"a".repeat(64)}.json.1.tmp`;
    const fresh = `${root}/ratgtex-cache-1/${"b".repeat(64)}.json.2.tmp`;
    await Deno.writeTextFile(stale, "half an entry");
    await Deno.writeTextFile(fresh, "a write in progress");
    const hourAgo = new Date(Date.now() - 3_600_000);
    await Deno.utime(stale, hourAgo, hourAgo);
    await cache.put("https://ratgtex.org/api/v4/tissueInfo", '{"tissueInfo":[]}\n');
    const files = await listFiles(root);
    assert.ok(!files.some((f) => f.endsWith(".1.tmp")), "stale temporary file removed");
    assert.ok(files.some((f) => f.endsWith(".2.tmp")), "fresh temporary file kept (another writer may own it)");
    assert.equal((await cache.info()).entries, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

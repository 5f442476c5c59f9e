/**
 * The cache folder is not trusted blindly: a folder others can write (or another user's) is refused with
 * the fix, even when a planted entry's checksum matches; an entry that is a FIFO, a symlink (to
 * `/dev/zero`) or too big is removed unread and never hangs a call; without a home there is no default
 * cache (never `/tmp`).
 *
 * Imports internal modules by design (the cache policy is internal): `lib/api/_cache.ts`, `lib/api/client.ts`.
 */
import assert from "node:assert/strict";
import * as rg from "ratgtex";
import { ResponseCache } from "../lib/api/_cache.ts";
import { createTwin } from "ratgtex/offline";
import { startHostile, withDeadline } from "./support/reliability.ts";

async function entryPath(dir: string, url: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(url));
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${dir}/ratgtex-cache-1/${hex}.json`;
}

/** Run `fn` with console.warn captured; returns what was warned. */
async function warned(fn: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => lines.push(args.join(" "));
  try {
    await fn();
  } finally {
    console.warn = original;
  }
  return lines;
}

Deno.test("cache folder: writable by others → refused with the fix; a forged entry with a matching checksum is not served", async () => {
  const twin = await createTwin();
  const server = await startHostile((request) => twin.handler(request));
  try {
    const cacheDir = await Deno.makeTempDir();
    const url = `${server.baseUrl}/tissueInfo`;
    // Forge a well-formed entry (a valid checksum, a valid shape) while the folder is still the user's.
    await new ResponseCache(cacheDir).put(url, '{"tissueInfo":[]}\n');
    await Deno.chmod(cacheDir, 0o777);
    const direct = new ResponseCache(cacheDir);
    await assert.rejects(direct.get(url), (e) => {
      assert.ok(e instanceof rg.ValidationError && e.parameter === "cacheDir");
      assert.match(e.message, /writable by other users/);
      assert.match(e.hint, /chmod go-w/);
      return true;
    });
    const client = rg.createClient({ source: server.baseUrl, cacheDir, progress: false });
    let height = -1;
    const lines = await warned(async () => (height = (await rg.tissueInfo({}, { client })).height));
    assert.equal(height, 13, "the server's answer, not the forged one");
    assert.equal(client.stats.cacheHits, 0);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /writable by other users/);
  } finally {
    await server.close();
  }
});

Deno.test({
  name: "cache folder: another user's folder is refused",
  ignore: Deno.build.os === "windows" || Deno.uid() !== 0, // only root can hand a folder to another user
  fn: async () => {
    const cacheDir = await Deno.makeTempDir();
    await Deno.chown(cacheDir, 65534, 65534);
    await assert.rejects(
      new ResponseCache(cacheDir).get("http://127.0.0.1:9/api/v4/tissueInfo"),
      (e) => e instanceof rg.ValidationError && /belongs to another user/.test(e.message),
    );
  },
});

Deno.test("cache entries: a FIFO, a symlink to /dev/zero and an oversized file are removed unread, promptly", async () => {
  const cacheDir = await Deno.makeTempDir();
  const cache = new ResponseCache(cacheDir, { maxEntryBytes: 1024 });
  const url = (k: string) => `http://127.0.0.1:9/api/v4/gene?geneId=${k}`;
  await cache.put(url("ok"), '{"gene":[]}\n'); // creates the folder
  const fifo = await entryPath(cacheDir, url("fifo"));
  const mk = await new Deno.Command("mkfifo", { args: [fifo] }).output();
  assert.ok(mk.success, "mkfifo");
  const link = await entryPath(cacheDir, url("zero"));
  await Deno.symlink("/dev/zero", link);
  const big = await entryPath(cacheDir, url("big"));
  await Deno.writeFile(big, new Uint8Array(4096));
  for (const [k, path] of [["fifo", fifo], ["zero", link], ["big", big]]) {
    assert.equal(await withDeadline(cache.get(url(k)), 5000, k), null, k);
    await assert.rejects(Deno.lstat(path), Deno.errors.NotFound, `${k} removed`);
  }
  assert.equal(await cache.get(url("ok")), '{"gene":[]}\n', "a good entry is still served");
  assert.ok((await Deno.stat("/dev/zero")).isCharDevice, "/dev/zero untouched");
});

Deno.test("default cache folder: none without a home (never /tmp); a relative XDG_CACHE_HOME is ignored", async () => {
  // defaultCacheDir is internal (the cache policy): this test of it imports its module by design.
  const script = `import { createClient } from ${JSON.stringify(new URL("../mod.ts", import.meta.url).href)};
import { defaultCacheDir } from ${JSON.stringify(new URL("../lib/api/client.ts", import.meta.url).href)};
const warnings = [];
console.warn = (m) => warnings.push(m);
const client = createClient({ source: "http://127.0.0.1:9/api/v4" });
console.log(JSON.stringify({ dir: defaultCacheDir(), cache: client.cache?.dir ?? null, warnings }));`;
  const run = async (env: Record<string, string>) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--no-prompt", "--allow-env", "--allow-read", "--allow-ffi", "--allow-sys", script],
      clearEnv: true,
      env: {
        PATH: Deno.env.get("PATH") ?? "",
        DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
        ...env,
      },
      cwd: new URL("..", import.meta.url).pathname,
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
  };
  const none = await run({});
  assert.equal(none.dir, null);
  assert.equal(none.cache, null);
  assert.match(none.warnings.join(" "), /no cache folder/);
  assert.equal((await run({ HOME: "/home/me", XDG_CACHE_HOME: "relative/dir" })).dir, "/home/me/.cache/ratgtex");
  assert.equal((await run({ HOME: "/home/me", XDG_CACHE_HOME: "/xdg" })).dir, "/xdg/ratgtex");
});

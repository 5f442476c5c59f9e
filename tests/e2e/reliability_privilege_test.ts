/**
 * Least privilege: small scripts that use the library run in child processes with exactly the narrowest
 * flags, and succeed:
 *
 * - offline source: `--allow-read --allow-env --allow-ffi --allow-sys` (no network, no write: the offline
 *   client keeps no disk cache);
 * - a loopback source: the same plus `--allow-net=127.0.0.1` and `--allow-write=<cache folder>`;
 * - the demo, offline: `--allow-write=<report folder>` only.
 *
 * Negative controls show the flags matter: without `--allow-net` the loopback script gets a typed
 * NetworkError (no prompt, no crash); with the cache outside `--allow-write` the answer still comes and
 * nothing is written. (`--no-prompt` everywhere: a refused permission fails instead of asking.)
 */
import assert from "node:assert/strict";
import { listFiles, startLoopbackTwin } from "../support/reliability.ts";

const REPO = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const CONFIG = `${REPO}/deno.json`;
const BASE_FLAGS = ["--allow-read", "--allow-env", "--allow-ffi", "--allow-sys"];

const OFFLINE_SCRIPT = `
import * as rg from ${JSON.stringify(`${REPO}/mod.ts`)};
// The default client: RATGTEX_SOURCE=offline.
const tissues = await rg.tissueInfo();
const dyn = await rg.dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" });
const fit = rg.analysis.regressEqtl(dyn, { transform: "log2" });
const med = await rg.medianGeneExpression(["Polr3k", "Rtel1", "Eno1"]);
console.log(JSON.stringify({ source: rg.defaultClient().source, tissues: tissues.height, n: fit.n, p: fit.pValue, genes: med.geneIds.length }));
`;

const LOOPBACK_SCRIPT = `
import * as rg from ${JSON.stringify(`${REPO}/mod.ts`)};
const client = rg.createClient({ source: Deno.env.get("RATGTEX_SOURCE"), retries: 0, progress: false });
try {
  const tissues = await rg.tissueInfo({}, { client });
  const again = await rg.tissueInfo({}, { client });
  const e = await rg.eqtl("Cd300lf", { client });
  console.log(JSON.stringify({ tissues: tissues.height, again: again.height, eqtl: e.height, cacheHits: client.stats.cacheHits, entries: (await client.cache.info().catch(() => ({ entries: -1 }))).entries }));
} catch (e) {
  console.log(JSON.stringify({ error: e.name, attempts: e.attempts, hint: e.hint }));
}
`;

async function run(
  script: string,
  flags: string[],
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--config", CONFIG, ...flags, script, ...args],
    env: { NO_COLOR: "1", ...env },
    clearEnv: false,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr: new TextDecoder().decode(out.stderr) };
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1)!);

Deno.test("least privilege: offline with --allow-read --allow-env --allow-ffi --allow-sys only", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ratgtex-priv-" });
  try {
    await Deno.writeTextFile(`${dir}/offline.ts`, OFFLINE_SCRIPT);
    const r = await run(`${dir}/offline.ts`, BASE_FLAGS, {
      RATGTEX_SOURCE: "offline",
      RATGTEX_CACHE_DIR: `${dir}/cache`,
    });
    assert.equal(r.code, 0, r.stderr);
    // That the script exits when its work is done (no timer of the client's 30 s timeoutMs keeps it alive)
    // is held by Deno's timer sanitizer in every in-process test of the client, without reading a clock.
    const out = lastJson(r.stdout);
    assert.deepEqual({ ...out, p: typeof out.p }, { source: "offline", tissues: 13, n: out.n, p: "number", genes: 3 });
    assert.deepEqual(await listFiles(`${dir}/cache`), [], "the offline source writes nothing");
    console.log(`least privilege (offline): ${BASE_FLAGS.join(" ")} → ok`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("least privilege: a loopback source with --allow-net=127.0.0.1 and --allow-write=<cache folder>", async () => {
  const served = await startLoopbackTwin();
  const dir = await Deno.makeTempDir({ prefix: "ratgtex-priv-" });
  const cacheDir = `${dir}/cache`;
  try {
    await Deno.writeTextFile(`${dir}/loopback.ts`, LOOPBACK_SCRIPT);
    const env = { RATGTEX_SOURCE: served.baseUrl, RATGTEX_CACHE_DIR: cacheDir };
    const flags = [...BASE_FLAGS, "--allow-net=127.0.0.1", `--allow-write=${cacheDir}`];
    const r = await run(`${dir}/loopback.ts`, flags, env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lastJson(r.stdout), {
      tissues: 13,
      again: 13,
      eqtl: lastJson(r.stdout).eqtl,
      cacheHits: 1,
      entries: 3, // tissueInfo, eqtl, and RatGTEx's gene list (checked before eqtl is sent)
    });
    assert.ok(lastJson(r.stdout).eqtl > 0);
    assert.equal((await listFiles(cacheDir)).length, 3, "three cache entries, in the cache folder only");
    assert.equal(served.twin.stats.requests, 2);

    // Without --allow-net: a typed NetworkError, no prompt.
    const noNet = await run(`${dir}/loopback.ts`, [...BASE_FLAGS, `--allow-write=${cacheDir}`], {
      ...env,
      RATGTEX_CACHE_DIR: `${dir}/empty-cache`,
    });
    // A missing permission is not retried, and the hint names the flag to add.
    const denied = lastJson(noNet.stdout);
    assert.equal(denied.error, "NetworkError");
    assert.equal(denied.attempts, 1, "no retries for a missing permission");
    assert.match(denied.hint, /--allow-net=127\.0\.0\.1/);
    assert.equal(served.twin.stats.requests, 2, "nothing reached the server");

    // The cache outside --allow-write: the answers still come, nothing is written, one warning.
    const elsewhere = `${dir}/elsewhere`;
    const noWrite = await run(`${dir}/loopback.ts`, flags, { ...env, RATGTEX_CACHE_DIR: elsewhere });
    assert.equal(noWrite.code, 0, noWrite.stderr);
    assert.equal(lastJson(noWrite.stdout).tissues, 13);
    assert.equal(lastJson(noWrite.stdout).cacheHits, 0);
    assert.match(noWrite.stderr, /cannot (read|write) the cache/);
    assert.deepEqual(await listFiles(elsewhere), []);
    console.log(
      `least privilege (loopback): ${
        flags.join(" ").replace(cacheDir, "<cache>")
      } → ok; without --allow-net: NetworkError`,
    );
  } finally {
    await served.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("least privilege: the demo, offline, with --allow-write=<report folder> and no network", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ratgtex-priv-demo-" });
  const out = `${dir}/report`;
  try {
    const r = await run(`${REPO}/lib/cli/main.ts`, [...BASE_FLAGS, `--allow-write=${out}`], {
      RATGTEX_SOURCE: "offline",
    }, [
      "demo",
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    assert.ok((await Deno.stat(`${out}/index.html`)).size > 1000, "the report was written");
    console.log(`least privilege (demo, offline): ${BASE_FLAGS.join(" ")} --allow-write=<report> → ok`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The flags of a deno task (`deno run FLAGS… script args…`), from deno.json. */
async function taskFlags(name: string): Promise<{ flags: string[]; rest: string[] }> {
  const tasks = JSON.parse(await Deno.readTextFile(CONFIG)).tasks as Record<string, string>;
  const words = tasks[name].split(/\s+/);
  assert.deepEqual(words.slice(0, 2), ["deno", "run"], name);
  const flags = words.slice(2).filter((w) => w.startsWith("--"));
  return { flags, rest: words.slice(2 + flags.length) };
}

Deno.test("deno task serve: reads only fixtures/, listens on 127.0.0.1 only, and serves with exactly those flags", async () => {
  const { flags, rest } = await taskFlags("serve");
  assert.deepEqual(flags.toSorted(), ["--allow-net=127.0.0.1", "--allow-read=fixtures"]);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--config", CONFIG, ...flags, ...rest, "--port", "0"],
    cwd: REPO,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    for (let i = 0; i < 100 && !text.includes("\n"); i++) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    const baseUrl = text.split("\n")[0];
    assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/v4$/);
    const answer = await fetch(`${baseUrl}/gene?geneId=Cd300lf`);
    assert.equal((await answer.json()).gene[0].geneId, "Cd300lf");
    // Fault injection is off for serve: the header has no effect.
    const faulted = await fetch(`${baseUrl}/tissueInfo`, { headers: { "x-twin-fault": "status=503" } });
    assert.equal(faulted.status, 200);
    await faulted.body?.cancel();
    reader.releaseLock();
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await child.stdout.cancel().catch(() => {});
  }
});

Deno.test("deno task fixtures and serve: no task reads everything where a folder suffices", async () => {
  for (const name of ["serve", "fixtures"]) {
    const { flags } = await taskFlags(name);
    assert.ok(!flags.includes("--allow-read"), `${name}: a bare --allow-read`);
    assert.ok(!flags.includes("--allow-write"), `${name}: a bare --allow-write`);
  }
});

Deno.test("deno task serve --hostname 0.0.0.0: refused without --public, a permission message with it, never a stack trace", async () => {
  const { flags, rest } = await taskFlags("serve");
  const serve = async (extra: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "--config", CONFIG, ...flags, ...rest, ...extra],
      cwd: REPO,
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  };
  const refused = await serve(["--hostname", "0.0.0.0"]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /beyond this machine.*--public/);
  const denied = await serve(["--hostname", "0.0.0.0", "--public"]);
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, /warning: serving on 0\.0\.0\.0/);
  assert.match(denied.stderr, /no permission to listen on 0\.0\.0\.0.*\n.*--allow-net=0\.0\.0\.0/);
  for (const r of [refused, denied]) assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
});

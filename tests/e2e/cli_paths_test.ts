/**
 * Paths are relative to where the user stands: `deno task cli … -o FILE` run from a subfolder writes the
 * file there (Deno runs tasks in the project folder and sets INIT_CWD); the demo refuses an --out its
 * task may not write before doing any work, naming the command that can.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

function withoutInitCwd(): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.INIT_CWD;
  return env;
}

async function task(cwd: string, args: string[]): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", ...args],
    cwd,
    stdin: "null",
    stdout: "null",
    // Without the caller's INIT_CWD: `deno task test` sets it to the project folder, and a task keeps an
    // INIT_CWD it inherits (as npm does), so the child would resolve paths against the project folder.
    clearEnv: true,
    env: { ...withoutInitCwd(), NO_COLOR: "1", RATGTEX_SOURCE: "" },
  }).output();
  return { code, stderr: new TextDecoder().decode(stderr) };
}

Deno.test("paths: a relative --out from a subfolder lands in that subfolder; the demo checks its permission first", async () => {
  const name = `.paths-test-${crypto.randomUUID().slice(0, 8)}`;
  const sub = join(ROOT, name);
  await Deno.mkdir(sub);
  try {
    const r = await task(sub, ["cli", "eqtl", "Cd300lf", "--source", "offline", "-o", "e.json"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(await Deno.readTextFile(join(sub, "e.json")));
    assert.ok(rows.length > 0);
    await assert.rejects(Deno.stat(join(ROOT, "e.json")), Deno.errors.NotFound, "nothing in the project folder");

    const t0 = performance.now();
    const demo = await task(sub, ["demo", "--out", "scratch/x"]);
    const seconds = (performance.now() - t0) / 1000;
    assert.equal(demo.code, 2, demo.stderr);
    assert.match(demo.stderr, new RegExp(`no permission to write ${sub}/scratch/x`));
    assert.ok(demo.stderr.includes(`npx -y deno@2.9.6 task cli demo --out ${sub}/scratch/x`), demo.stderr);
    assert.deepEqual([...Deno.readDirSync(sub)].map((e) => e.name), ["e.json"], "the demo wrote nothing");
    console.log(`demo refused in ${seconds.toFixed(1)} s, before computing`);
  } finally {
    await Deno.remove(sub, { recursive: true });
  }
});

/**
 * The README's promises, checked: its first lines are the two set-up commands, every `deno task` it names
 * exists, and in a fresh clone the demo and the command line run with exactly their tasks' permissions
 * (the tasks are run as written in deno.json, so a permission they lack fails here).
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;
const readme = await Deno.readTextFile(`${root}README.md`);
const config = JSON.parse(await Deno.readTextFile(`${root}deno.json`)) as { tasks: Record<string, string> };

Deno.test("README: the first lines are the two set-up commands, and every task it names exists", () => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)![1];
  const commands = firstBlock.split("\n").map((l) => l.replace(/#.*/, "").trim()).filter(Boolean);
  assert.deepEqual(commands, ["npx -y deno@2.9.6 task demo", "npx -y deno@2.9.6 task test"]);
  assert.ok(readme.indexOf(firstBlock) < 200, "the commands come first");
  const named = new Set([...readme.matchAll(/deno(?:@2\.9\.6)? task ([\w:-]+)/g)].map((m) => m[1]));
  for (const task of named) assert.ok(task in config.tasks, `README names "deno task ${task}", which deno.json lacks`);
});

async function run(cmd: string[], cwd: string, env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name: "fresh clone: deno task demo and deno task cli work with exactly their tasks' permissions",
  // A clone needs the repository's history: skipped (not failed) where the tree is not a git checkout.
  ignore: !(await Deno.stat(`${root}.git`).then(() => true, () => false)),
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "ratgtex-clone-" });
    try {
      const clone = await run(["git", "clone", "--quiet", root, `${dir}/repo`], dir);
      assert.equal(clone.code, 0, clone.stderr);
      const repo = `${dir}/repo`;
      // RATGTEX_SOURCE unset: the demo's default is the offline universe.
      const env = { RATGTEX_SOURCE: "" };
      const demo = await run([Deno.execPath(), "task", "demo"], repo, env);
      assert.equal(demo.code, 0, demo.stderr);
      assert.match(demo.stdout, /synthetic/);
      assert.match(demo.stdout, /gene tree reproduced, tissue tree reproduced/);
      const report = await Deno.readTextFile(`${repo}/demo-report/index.html`);
      assert.match(report, /<svg[^>]*xmlns=/);

      const cli = await run(
        [Deno.execPath(), "task", "cli", "gene", "Cd300lf", "--source", "offline", "-f", "json"],
        repo,
        env,
      );
      assert.equal(cli.code, 0, cli.stderr);
      const rows = JSON.parse(cli.stdout) as { geneId: string; tss: number }[];
      assert.deepEqual(rows.map((r) => [r.geneId, r.tss]), [["Cd300lf", 100875111]]);

      // Nothing else was written into the clone.
      const status = await run(["git", "status", "--porcelain", "--ignored"], repo);
      assert.deepEqual(status.stdout.trim().split("\n").sort(), ["!! demo-report/"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("README: the 'first look' code runs as written (offline source)", async () => {
  const code = /## A first look\n\n```ts\n([\s\S]*?)```/.exec(readme)![1];
  const dir = await Deno.makeTempDir({ prefix: "ratgtex-readme-" });
  try {
    // The snippet as a script, plus checks of what its comments promise.
    await Deno.writeTextFile(
      `${dir}/first_look.ts`,
      code + `
if (tissues.height !== 13) throw new Error("tissues");
if (expr.columns.join() !== "geneId,tissueSiteDetailId,sampleIndex,tpm") throw new Error("expr columns");
if (!(fit.nes > 0 && fit.pValue < 1e-6)) throw new Error("fit");
if (med.geneIds.length !== 3) throw new Error("med");
console.log("ok");
`,
    );
    const out = await run([
      Deno.execPath(),
      "run",
      "--config",
      `${root}deno.json`,
      "--allow-read",
      "--allow-env",
      "--allow-ffi",
      "--allow-sys",
      `${dir}/first_look.ts`,
    ], root);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout.trim(), "ok");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

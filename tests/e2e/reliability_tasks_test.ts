/**
 * Least privilege that holds (issue 27, row "tasks"):
 *
 * - the README says plainly which tasks are confined by their flags: a task is marked confined exactly when
 *   it has neither `--allow-ffi` (native code is all-powerful) nor `--allow-run` nor a bare `--allow-write`;
 * - the serve path loads no polars (nor Plot, linkedom): `serve` needs no FFI, and its task has none;
 * - `deno task kernel` writes only the Jupyter folder and runs nothing: with `HOME` in a temporary folder
 *   it registers the kernel there; `--dir` elsewhere is refused with the command that can, nothing written;
 * - `deno task test:notebooks` and `gallery` have no bare `--allow-write`.
 */
import assert from "node:assert/strict";
import { moduleGraph, staticClosure } from "../support/architecture_rules.ts";

const REPO = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const tasks = JSON.parse(await Deno.readTextFile(`${REPO}/deno.json`)).tasks as Record<string, string>;
const flagsOf = (task: string) => tasks[task].split(/\s+/).filter((w) => w.startsWith("--allow"));

/** Whether Deno's flags confine a task: no FFI, no child programs, no write anywhere. */
function confined(task: string): boolean {
  const flags = flagsOf(task);
  return !flags.some((f) =>
    f.startsWith("--allow-ffi") || f.startsWith("--allow-run") || f === "--allow-write" ||
    f === "--allow-all"
  );
}

Deno.test("README: every task's row says whether its flags confine it, and says it right", async () => {
  const readme = await Deno.readTextFile(`${REPO}/README.md`);
  const section = readme.slice(readme.indexOf("## Permissions"), readme.indexOf("## What replaces"));
  const rows = new Map<string, string>();
  for (const m of section.matchAll(/^\| `deno task ([\w:-]+)`\s*\|([^|]*)\|([^|]*)\|$/gm)) rows.set(m[1], m[3].trim());
  assert.ok(
    section.includes("native code loaded with `--allow-ffi` can do anything"),
    "FFI is said to be all-powerful",
  );
  for (const task of ["demo", "serve", "cli", "gallery", "fixtures", "kernel", "test:notebooks", "test"]) {
    const said = rows.get(task);
    assert.ok(said !== undefined, `the README's table has a row for deno task ${task}`);
    assert.equal(said.startsWith("**yes**"), confined(task), `deno task ${task}: README says "${said}"`);
    const table = section.split("\n").find((l) => l.startsWith(`| \`deno task ${task}\``))!;
    for (const flag of flagsOf(task)) assert.ok(table.includes(flag), `README's row for ${task} lists ${flag}`);
  }
  for (const task of Object.keys(tasks)) {
    if (flagsOf(task).some((f) => f.startsWith("--allow-ffi"))) {
      assert.ok(rows.get(task)?.startsWith("**no**") ?? task === "test:e2e", `${task} has FFI: not confined`);
    }
  }
  assert.match(
    section,
    /--allow-read=\$HOME\/ratgtex\/data\/v4 --allow-net=127\.0\.0\.1 lib\/cli\/main\.ts serve --data/,
  );
});

Deno.test("the serve path loads no polars, Plot or linkedom: serve needs no --allow-ffi, and its task has none", async () => {
  const graph = await moduleGraph(Deno.execPath(), REPO);
  // main.ts, then the serve command's dynamic import.
  const loaded = new Set([...staticClosure(graph, "lib/cli/main.ts"), ...staticClosure(graph, "lib/offline/serve.ts")]);
  const native = [...loaded].filter((f) => /npm:(nodejs-polars|@observablehq\/plot|linkedom)/.test(f));
  assert.deepEqual(native, [], "the serve path");
  for (const f of ["lib/offline/twin.ts", "lib/offline/_http_server.ts", "lib/release/folder.ts"]) {
    assert.ok(loaded.has(f), `the closure reaches ${f}`);
  }
  // The check sees polars where it is loaded (the frame renderer).
  assert.ok([...staticClosure(graph, "lib/cli/output.ts")].some((f) => f.includes("nodejs-polars")));
  for (const task of ["serve", "fixtures", "kernel", "test:notebooks"]) {
    assert.ok(!flagsOf(task).some((f) => f.startsWith("--allow-ffi")), `${task} gets no FFI`);
  }
  assert.deepEqual(flagsOf("serve").toSorted(), ["--allow-net=127.0.0.1", "--allow-read=fixtures"]);
  for (const file of ["lib/cli/tools/kernel.ts", "lib/cli/tools/notebook.ts"]) {
    const polars = [...staticClosure(graph, file)].filter((f) => f.includes("nodejs-polars"));
    assert.deepEqual(polars, [], `${file} loads no polars`);
  }
});

Deno.test("deno task kernel writes only the Jupyter folder and runs nothing", async () => {
  assert.ok(!flagsOf("kernel").includes("--allow-write"), "no bare --allow-write");
  assert.ok(!flagsOf("kernel").some((f) => f.startsWith("--allow-run")), "no --allow-run");
  for (const task of ["test:notebooks", "gallery"]) assert.ok(!flagsOf(task).includes("--allow-write"), task);
  const home = await Deno.makeTempDir({ prefix: "ratgtex-kernel-home-" });
  try {
    const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" }).output();
    const denoDir = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
    const env = { HOME: home, DENO_DIR: denoDir, NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "" };
    const run = (args: string[]) =>
      new Deno.Command(Deno.execPath(), { args: ["task", "-q", "kernel", ...args], cwd: REPO, env, clearEnv: true })
        .output();
    const ok = await run([]);
    const okErr = new TextDecoder().decode(ok.stderr);
    assert.equal(ok.code, 0, okErr);
    const spec = JSON.parse(
      await Deno.readTextFile(`${home}/.local/share/jupyter/kernels/ratgtex-deno/kernel.json`),
    );
    assert.equal(spec.display_name, "RatGTEx (Deno)");
    const elsewhere = `${home}/elsewhere`;
    const refused = await run(["--dir", elsewhere]);
    const text = new TextDecoder().decode(refused.stderr);
    assert.equal(refused.code, 1, text);
    assert.match(text, /no permission to write the kernelspec into .*elsewhere/);
    assert.match(text, /task cli kernel --dir/);
    assert.doesNotMatch(text, /\n\s+at /, "no stack trace");
    assert.equal(await Deno.stat(elsewhere).then(() => true, () => false), false, "nothing written elsewhere");
    console.log(
      `deno task kernel (${flagsOf("kernel").join(" ")}): registered in $HOME's Jupyter folder; elsewhere refused`,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

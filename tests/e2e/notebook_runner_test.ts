/**
 * `ratgtex notebook run` on a notebook built to have late outputs (many quick cells, each with a result:
 * Deno's kernel publishes some results after reporting the cell idle, which plain nbconvert drops): no
 * output is lost over repeated runs, an error cell fails the run, and --out / --html write the results.
 * Needs Jupyter (Debian's jupyter-nbconvert); skipped, saying so, when it is missing.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/cli/tools/kernel.ts`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { kernelSpec, writeKernelSpec } from "../../lib/cli/tools/kernel.ts";

const CLI = new URL("../../lib/cli/main.ts", import.meta.url).pathname;
const CELLS = 30;
const RUNS = 3;

function notebook(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "ratgtex-deno", display_name: "Deno (ratgtex)", language: "typescript" } },
    cells: cells.map((source, i) => ({
      id: `c${i}`,
      cell_type: "code",
      metadata: {},
      execution_count: null,
      source,
      outputs: [],
    })),
  });
}

async function hasJupyter(): Promise<boolean> {
  try {
    return (await new Deno.Command("jupyter", { args: ["nbconvert", "--version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

function run(args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "notebook", "run", ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
}

/** Code cells of an executed notebook that show nothing. */
function lost(path: string): number {
  const nb = JSON.parse(Deno.readTextFileSync(path)) as { cells: { outputs?: unknown[] }[] };
  return nb.cells.filter((c) => (c.outputs ?? []).length === 0).length;
}

Deno.test({
  name: "notebook run: no output lost over repeated runs of a late-output notebook; an error cell exits 1",
  ignore: !(await hasJupyter()),
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "ratgtex-nbrun-" });
    try {
      const path = join(dir, "late.ipynb");
      await Deno.writeTextFile(path, notebook(Array.from({ length: CELLS }, (_, i) => `${i} * 2`)));
      let lostByRunner = 0;
      let recovered = 0;
      for (let i = 0; i < RUNS; i++) {
        const out = join(dir, `executed-${i}.ipynb`);
        const r = await run([path, "--out", out, ...(i === 0 ? ["--html", join(dir, "report.html")] : [])]);
        const text = new TextDecoder().decode(r.stdout);
        assert.equal(r.code, 0, text + new TextDecoder().decode(r.stderr));
        lostByRunner += lost(out);
        recovered += Number(/(\d+) late outputs? recovered/.exec(text)?.[1] ?? 0);
      }
      assert.match(await Deno.readTextFile(join(dir, "report.html")), /<html/);
      // Plain nbconvert on the same notebook, for the record (not asserted: its losses are random).
      await writeKernelSpec(join(dir, "kernels"), kernelSpec({}));
      let lostByPlain = 0;
      for (let i = 0; i < RUNS; i++) {
        const plain = await new Deno.Command("jupyter", {
          args: ["nbconvert", "--to", "notebook", "--execute", "--output", `plain-${i}.ipynb`, path],
          env: { JUPYTER_PATH: dir },
          stdout: "null",
          stderr: "null",
        }).output();
        if (plain.success) lostByPlain += lost(join(dir, `plain-${i}.ipynb`));
        else lostByPlain = NaN;
      }
      console.log(
        `notebook runner: ${RUNS} runs × ${CELLS} cells, ${lostByRunner} outputs lost (${recovered} late outputs recovered); ` +
          `plain nbconvert --execute: ${
            Number.isNaN(lostByPlain) ? "no kernelspec installed, not run" : `${lostByPlain} lost`
          }`,
      );
      assert.equal(lostByRunner, 0);

      const bad = join(dir, "bad.ipynb");
      await Deno.writeTextFile(bad, notebook(["1", "undefinedName + 1", "2"]));
      const r = await run([bad]);
      assert.equal(r.code, 1);
      assert.match(new TextDecoder().decode(r.stdout), /cell 2: error ReferenceError/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

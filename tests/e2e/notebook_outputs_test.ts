/**
 * The committed notebook outputs are what the code gives. `deno task test:notebooks` re-executes every
 * notebook offline and compares each output with the committed one (text and tables exactly, figures as SVG
 * with IDs and Plot's class names renumbered); a changed number fails until the notebooks are refreshed on
 * purpose (`deno task test:notebooks --update`, then `deno fmt notebooks/`). Two controls on a copy of
 * notebook 04: a committed number changed must fail, a figure whose IDs were renamed must not.
 * Skipped, saying why, without nbconvert.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { nbconvertMissing, type Notebook, ROOT, sayWhySkipped } from "./_tools.ts";

const NAME = "notebooks: re-executed, every output equals the committed one";
const skip = sayWhySkipped(NAME, [nbconvertMissing()]);

async function task(args: string[]): Promise<{ code: number; text: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "test:notebooks", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr) };
}

Deno.test({
  name: NAME,
  ignore: skip,
  fn: async () => {
    const all = await task([]);
    assert.equal(all.code, 0, all.text);
    const count = [...Deno.readDirSync(new URL("../../notebooks/", import.meta.url))]
      .filter((e) => e.isFile && e.name.endsWith(".ipynb")).length;
    assert.match(all.text, new RegExp(`notebooks: ${count} passed, 0 failed`));
  },
});

Deno.test({
  name: "notebooks: a changed number fails the comparison; renamed figure IDs do not",
  ignore: skip,
  fn: async () => {
    const work = await Deno.makeTempDir({ dir: join(ROOT, "tests", "e2e"), prefix: "run-" });
    try {
      const committed: Notebook = JSON.parse(await Deno.readTextFile(join(ROOT, "notebooks", "04_locus_xqtl.ipynb")));
      // Control 1: the IDs inside every figure renamed (as another process's counters would): still equal.
      const renamed = structuredClone(committed);
      let figures = 0;
      for (const cell of renamed.cells) {
        for (const out of cell.outputs ?? []) {
          const svg = out.data?.["image/svg+xml"];
          if (svg === undefined) continue;
          const text = Array.isArray(svg) ? svg.join("") : String(svg);
          out.data!["image/svg+xml"] = text.replace(/\brg([0-9a-f]{8})-/g, "rgdeadbeef-");
          figures++;
        }
      }
      assert.ok(figures > 0);
      // Control 2: one number of a printed line changed.
      const changed = structuredClone(committed);
      const stream = changed.cells.flatMap((c) => c.outputs ?? []).find((o) =>
        o.output_type === "stream" && /\d+ xQTLs/.test(Array.isArray(o.text) ? o.text.join("") : o.text ?? "")
      )!;
      stream.text = (Array.isArray(stream.text) ? stream.text.join("") : stream.text!).replace(/\d+ xQTLs/, "20 xQTLs");
      await Deno.writeTextFile(join(work, "renamed.ipynb"), JSON.stringify(renamed, null, 1));
      await Deno.writeTextFile(join(work, "changed.ipynb"), JSON.stringify(changed, null, 1));
      const r = await task([join(work, "renamed.ipynb"), join(work, "changed.ipynb")]);
      assert.match(r.text, /ok {4}renamed\.ipynb/, r.text);
      assert.match(r.text, /FAIL {2}changed\.ipynb/, r.text);
      assert.match(
        r.text,
        /stream stdout differs from the committed output at character 0: committed "20 xQTLs/,
        r.text,
      );
      assert.equal(r.code, 1);
    } finally {
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
});

/**
 * The notebook runner's output check (lib/cli/tools/notebook.ts), on hand-made executed notebooks: each rule
 * must catch its fault, and a clean notebook must pass.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/cli/tools/notebook.ts`.
 */
import assert from "node:assert/strict";
import { checkNotebook, notebooksDir } from "../lib/cli/tools/notebook.ts";

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="1" height="1"/></svg>';

// deno-lint-ignore no-explicit-any
type Cell = any;

function code(outputs: unknown[], tags: string[] = []): Cell {
  return { cell_type: "code", metadata: { tags }, source: "x", outputs };
}
const banner = code([{ output_type: "stream", name: "stdout", text: ["Source: offline. The data are SYNTHETIC.\n"] }]);
const table = code([{ output_type: "execute_result", data: { "text/html": "<table><tr><td>1</td></tr></table>" } }], [
  "table",
]);
const figure = code([{ output_type: "display_data", data: { "image/svg+xml": SVG, "text/plain": "fig" } }], ["figure"]);

function problems(cells: Cell[], offline = true): string[] {
  return checkNotebook({ cells }, offline).problems;
}

Deno.test("notebook check: a clean notebook passes and is counted", () => {
  const check = checkNotebook({ cells: [banner, { cell_type: "markdown", source: "# t" }, table, figure] });
  assert.deepEqual(check.problems, []);
  assert.deepEqual([check.codeCells, check.tables, check.figures], [3, 1, 1]);
});

Deno.test("notebook check: each fault is caught", () => {
  const error = code([{ output_type: "error", ename: "TypeError", evalue: "x is undefined", traceback: [] }]);
  assert.match(problems([banner, table, error]).join("\n"), /cell 3: error TypeError: x is undefined/);

  const ansi = code([{ output_type: "stream", name: "stdout", text: "\x1b[31mred\x1b[0m" }]);
  assert.match(problems([banner, table, ansi]).join("\n"), /ANSI/);

  const bare = code([{ output_type: "display_data", data: { "text/html": "<svg width='3'></svg>" } }], ["figure"]);
  assert.match(problems([banner, table, bare]).join("\n"), /no xmlns/);

  const noSvg = code([{ output_type: "execute_result", data: { "text/plain": "PlotFigure" } }], ["figure"]);
  assert.match(problems([banner, table, noSvg]).join("\n"), /tagged figure but shows no SVG/);

  const noTable = code([{ output_type: "execute_result", data: { "text/plain": "shape: (1, 1)" } }], ["table"]);
  assert.match(problems([banner, noTable]).join("\n"), /tagged table but shows no HTML table/);
  assert.match(problems([banner, noTable]).join("\n"), /no HTML table in any output/);

  assert.match(problems([banner, table, code([])]).join("\n"), /cell 3: no output/);
  assert.deepEqual(problems([banner, table, code([], ["no-output"])]), []);

  const stderr = code([{ output_type: "stream", name: "stderr", text: "Warning: x\n" }]);
  assert.match(problems([banner, table, stderr]).join("\n"), /wrote to stderr: Warning: x/);
  assert.deepEqual(problems([banner, table, code(stderr.outputs, ["stderr-ok"])]), []);
});

Deno.test("notebook check: the first code cell names the source, and offline says synthetic", () => {
  const quiet = code([{ output_type: "stream", name: "stdout", text: "hello\n" }]);
  assert.match(problems([quiet, table]).join("\n"), /which source is in use/);
  const live = code([{ output_type: "stream", name: "stdout", text: "Source: https://ratgtex.org/api/v4\n" }]);
  assert.match(problems([live, table]).join("\n"), /synthetic/);
  assert.deepEqual(problems([live, table], false), []);
});

Deno.test("notebook runner: the default notebooks folder is a real path, even with a space in it", () => {
  if (Deno.build.os === "windows") return;
  assert.equal(
    notebooksDir("file:///home/me/My%20Projects/ratgtex/lib/cli/tools/notebook.ts"),
    "/home/me/My Projects/ratgtex/notebooks",
  );
  assert.equal(
    notebooksDir(new URL("../lib/cli/tools/notebook.ts", import.meta.url)),
    new URL("../notebooks", import.meta.url).pathname,
  );
});

Deno.test("notebook 05: the exercises notebook says how many exercises it has, and has that many", async () => {
  const nb = JSON.parse(await Deno.readTextFile(new URL("../notebooks/05_exercises.ipynb", import.meta.url))) as {
    cells: { cell_type: string; source: string | string[] }[];
  };
  const text = nb.cells.filter((c) => c.cell_type === "markdown").map((c) => [c.source].flat().join("")).join("\n");
  const headings = text.match(/^## \d+\. /gm) ?? [];
  const words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
  const said = /\b(\w+) short exercises\b/i.exec(text)?.[1]?.toLowerCase();
  assert.equal(said, words[headings.length], `the intro says "${said}", the notebook has ${headings.length}`);
  assert.equal(headings.length, (await import("ratgtex/teach")).EXERCISES.length, "one section per exercise");
});

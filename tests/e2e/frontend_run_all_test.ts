/**
 * Run All in a real front end puts every output under its own cell. Debian's classic Jupyter Notebook is
 * driven by puppeteer-core in Debian's Chromium: for each run and each notebook (the project's notebooks and
 * a stress notebook of many quick cells with large figures, tables, `display()` calls and prints), the test
 * opens the notebook, clears its outputs, clicks Cell → Run All, waits for the kernel to finish and for
 * stragglers, and compares every cell's outputs with a headless run of the same notebook (the project's
 * runner, which recovers late outputs). An expected output found under another cell is *misplaced*, one found
 * nowhere is *lost*, one that should not be there is *extra*; all three must be 0.
 *
 * Why outputs moved before: Deno's kernel publishes a cell's queued outputs with the header of the request it
 * is handling when it gets to them, and replies before its queue is drained (`lib/_core/kernel.ts`).
 *
 * Environment: `RATGTEX_E2E_RUNS` (default 10) Run-All runs of every notebook; `RATGTEX_E2E_SCREENSHOTS` the
 * folder for full-page screenshots of the first and last run (default `/tmp/ratgtex-e2e-screens`);
 * `RATGTEX_E2E_NOTEBOOKS` a comma-separated subset of notebook names. Skipped, saying why, without
 * `jupyter notebook`, `jupyter nbconvert` or Chromium.
 */
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import {
  chromiumMissing,
  jupyterEnv,
  launchChromium,
  nbconvertMissing,
  type Notebook,
  notebookServerMissing,
  type Output,
  ROOT,
  runHeadless,
  sayWhySkipped,
  startNotebookServer,
} from "./_tools.ts";
import type { Page } from "puppeteer-core";

const RUNS = Number(Deno.env.get("RATGTEX_E2E_RUNS") ?? 10);
const SHOTS = Deno.env.get("RATGTEX_E2E_SCREENSHOTS") ?? "/tmp/ratgtex-e2e-screens";
const ONLY = Deno.env.get("RATGTEX_E2E_NOTEBOOKS")?.split(",").map((s) => s.trim()).filter(Boolean);
const CELL_TIMEOUT_MS = 240_000;
/** After the kernel is idle, how long late messages may still arrive before the outputs are read. */
const STRAGGLERS_MS = 1500;

const NAME = "classic Notebook: Run All puts every output under its own cell (no output misplaced or lost)";
const skip = sayWhySkipped(NAME, [notebookServerMissing(), nbconvertMissing(), chromiumMissing()]);

/**
 * Many quick cells whose outputs are large (a 2,000-point figure, a table), or come from `display()` or
 * `console.log` just before the cell ends: the cells most exposed to the kernel's late publishing.
 */
function stressNotebook(): Notebook {
  const cells = [
    'import * as rg from "ratgtex";\nimport * as Plot from "@observablehq/plot";\n' +
    'const client = rg.createClient({ source: "offline" });\nconst tissues = await rg.tissueInfo({}, { client });\n' +
    'console.log("stress notebook: source offline, synthetic data");',
  ];
  for (let i = 1; i <= 24; i++) {
    cells.push(
      [
        `rg.plots.renderFigure({ marks: [Plot.dot(Array.from({ length: 2000 }, (_, k) => [k, (k * ${i}) % 97]))] }, { title: "figure ${i}" });`,
        `rg.jupyter.view(tissues.head(${i % 13 + 1}));`,
        `console.log("line ${i}");`,
        `rg.jupyter.display(rg.jupyter.view(tissues.head(${i % 13 + 1})));\nconsole.log("after display ${i}");`,
      ][i % 4],
    );
  }
  return {
    metadata: {
      kernelspec: { name: "ratgtex-deno", display_name: "RatGTEx (Deno)", language: "typescript" },
      language_info: { name: "typescript" },
    },
    cells: cells.map((source, i) => ({
      id: `s${i}`,
      cell_type: "code",
      metadata: {},
      execution_count: null,
      source,
      outputs: [],
    })),
    ...{ nbformat: 4, nbformat_minor: 5 },
  } as Notebook;
}

/** An output as compared: its type, and its text or data (streams of one name merged, as front ends do). */
function comparable(outputs: Output[]): string[] {
  const merged: Output[] = [];
  for (const o of outputs) {
    const text = Array.isArray(o.text) ? o.text.join("") : o.text;
    const last = merged.at(-1);
    if (o.output_type === "stream" && last?.output_type === "stream" && last.name === o.name) {
      last.text = `${last.text}${text}`;
    } else merged.push({ ...o, text });
  }
  return merged.map((o) => {
    if (o.output_type === "stream") return JSON.stringify(["stream", o.name, o.text]);
    if (o.output_type === "error") return JSON.stringify(["error", o.ename]);
    const data = Object.fromEntries(
      Object.entries(o.data ?? {}).sort(([a], [b]) => a.localeCompare(b)).map((
        [k, v],
      ) => [k, Array.isArray(v) ? v.join("") : v]),
    );
    return JSON.stringify([o.output_type, data]);
  });
}

/** Misplaced, lost and extra outputs of a front-end run against the headless reference, with details. */
export function compareOutputs(
  got: Output[][],
  expected: Output[][],
): { misplaced: number; lost: number; extra: number; details: string[] } {
  const g = got.map(comparable);
  const e = expected.map(comparable);
  let misplaced = 0;
  let lost = 0;
  let extra = 0;
  const details: string[] = [];
  const short = (s: string) => s.slice(0, 90);
  e.forEach((outs, i) => {
    const here = [...(g[i] ?? [])];
    for (const o of outs) {
      const k = here.indexOf(o);
      if (k >= 0) {
        here.splice(k, 1);
        continue;
      }
      const elsewhere = g.findIndex((c, j) => j !== i && c.includes(o));
      if (elsewhere >= 0) {
        misplaced++;
        details.push(`cell ${i}: output shown under cell ${elsewhere}: ${short(o)}`);
      } else {
        lost++;
        details.push(`cell ${i}: output lost: ${short(o)}`);
      }
    }
    for (const o of here) {
      if (!e.some((c, j) => j !== i && c.includes(o))) {
        extra++;
        details.push(`cell ${i}: unexpected output: ${short(o)}`);
      }
    }
  });
  return { misplaced, lost, extra, details };
}

/** Open a notebook, clear it, Run All from the Cell menu, wait for the end; the code cells' outputs. */
async function runAll(page: Page, url: string, shot: string | null): Promise<Output[][]> {
  await page.goto(url, { waitUntil: "load" });
  // In-page code is browser JavaScript against the classic Notebook's own API (Jupyter.notebook), as strings.
  await page.waitForFunction(
    `window.Jupyter?.notebook?._fully_loaded && Jupyter.notebook.kernel?.info_reply?.status === "ok"`,
    { timeout: 180_000, polling: 200 },
  );
  // Never written back (no autosave), and no committed output left to be mistaken for a fresh one.
  await page.evaluate(`Jupyter.notebook.set_autosave_interval(0); Jupyter.notebook.clear_all_output();`);
  await page.click("#celllink");
  await page.waitForSelector("#run_all_cells > a", { visible: true });
  await page.click("#run_all_cells > a");
  // Done: the kernel idle and every code cell numbered (a queued cell shows "*").
  await page.waitForFunction(
    `!Jupyter.notebook.kernel_busy && Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code")
      .every((c) => typeof c.input_prompt_number === "number")`,
    { timeout: CELL_TIMEOUT_MS, polling: 250 },
  );
  await new Promise((r) => setTimeout(r, STRAGGLERS_MS));
  const outputs = await page.evaluate(
    `Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code").map((c) => c.output_area.toJSON())`,
  ) as Output[][];
  if (shot) {
    // The notebook scrolls inside #site: let it grow, and the viewport with it, so the screenshot holds every cell.
    const height = await page.evaluate(
      `(() => { const site = document.getElementById("site"); site.style.height = "auto"; site.style.overflow = "visible";
        document.body.style.overflow = "visible"; document.documentElement.style.overflow = "visible";
        window.scrollTo(0, 0); return document.documentElement.scrollHeight; })()`,
    ) as number;
    await page.setViewport({ width: 1200, height: Math.min(Math.max(height, 900), 16000) });
    await page.screenshot({ path: shot as `${string}.png` });
  }
  await page.evaluate(`Jupyter.notebook.session.delete()`).catch(() => {});
  return outputs;
}

Deno.test({
  name: NAME,
  ignore: skip,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    assert.ok(RUNS >= 1, "RATGTEX_E2E_RUNS must be at least 1");
    // Copies inside the project (not in a hidden folder: the server refuses those; the kernel finds deno.json by walking up from the notebook's folder),
    // removed at the end; the committed notebooks are never opened by the front end.
    const work = await Deno.makeTempDir({ dir: join(ROOT, "tests", "e2e"), prefix: "run-" });
    const jupyterDir = await Deno.makeTempDir({ prefix: "ratgtex-e2e-jupyter-" });
    await Deno.mkdir(SHOTS, { recursive: true });
    const stops: (() => Promise<void>)[] = [];
    try {
      const names: string[] = [];
      for await (const e of Deno.readDir(join(ROOT, "notebooks"))) {
        if (e.isFile && e.name.endsWith(".ipynb")) names.push(e.name);
      }
      names.sort();
      const chosen = names.filter((n) => !ONLY || ONLY.some((o) => n.startsWith(o)));
      const paths: string[] = [];
      for (const n of chosen) {
        await Deno.copyFile(join(ROOT, "notebooks", n), join(work, n));
        paths.push(join(work, n));
      }
      if (!ONLY || ONLY.some((o) => "stress".startsWith(o) || o === "stress")) {
        await Deno.writeTextFile(join(work, "stress.ipynb"), JSON.stringify(stressNotebook(), null, 1));
        paths.push(join(work, "stress.ipynb"));
      }
      const reference = await runHeadless(paths);
      const env = await jupyterEnv(jupyterDir);
      const server = await startNotebookServer(ROOT, env);
      stops.push(server.stop);
      const chromium = await launchChromium();
      stops.push(chromium.close);

      const totals = { outputs: 0, misplaced: 0, lost: 0, extra: 0 };
      const problems: string[] = [];
      for (let run = 1; run <= RUNS; run++) {
        for (const path of paths) {
          const name = basename(path, ".ipynb");
          const expected = (reference.get(path)!.cells.filter((c) => c.cell_type === "code")).map((c) =>
            c.outputs ?? []
          );
          const page = await chromium.browser.newPage();
          await page.setViewport({ width: 1200, height: 900 });
          const rel = `tests/e2e/${basename(work)}/${basename(path)}`;
          const shot = run === 1 || run === RUNS ? join(SHOTS, `run${String(run).padStart(2, "0")}-${name}.png`) : null;
          const got = await runAll(page, `${server.base}/notebooks/${rel}?token=${server.token}`, shot);
          await page.close();
          const r = compareOutputs(got, expected);
          const count = expected.reduce((n, o) => n + comparable(o).length, 0);
          totals.outputs += count;
          totals.misplaced += r.misplaced;
          totals.lost += r.lost;
          totals.extra += r.extra;
          console.log(
            `run ${run}/${RUNS} ${name}: ${count} outputs, ${r.misplaced} misplaced, ${r.lost} lost, ${r.extra} extra`,
          );
          for (const d of r.details) problems.push(`run ${run} ${name} ${d}`);
        }
      }
      console.log(
        `${RUNS} Run-All runs of ${paths.length} notebooks: ${totals.outputs} outputs, ${totals.misplaced} misplaced, ` +
          `${totals.lost} lost, ${totals.extra} extra; screenshots in ${SHOTS}`,
      );
      assert.deepEqual(
        { misplaced: totals.misplaced, lost: totals.lost, extra: totals.extra },
        { misplaced: 0, lost: 0, extra: 0 },
        problems.slice(0, 30).join("\n"),
      );
    } finally {
      for (const stop of stops.reverse()) await stop().catch(() => {});
      await Deno.remove(work, { recursive: true }).catch(() => {});
      await Deno.remove(jupyterDir, { recursive: true }).catch(() => {});
    }
  },
});

/**
 * `ratgtex notebook run NB.ipynb [--out executed.ipynb] [--html report.html]`: execute notebooks headless with
 * Deno's Jupyter kernel without losing outputs, and exit 1 when a cell raised an error. Plain
 * `jupyter nbconvert --execute` is not enough with Deno's kernel: the kernel sometimes publishes a cell's
 * result just after reporting the cell idle, and nbconvert drops it silently (a figure or a table goes
 * missing, with no error). This runner routes such late outputs to their cell.
 *
 * With `--check` (`deno task test:notebooks`), the project's own notebooks in `notebooks/` run on the
 * offline universe and are checked further:
 *
 * - the run finished and no cell produced an error (or wrote to stderr, unless tagged `stderr-ok`);
 * - every code cell shows something (unless tagged `no-output`): a lost output fails the run;
 * - no ANSI escape code anywhere in the outputs;
 * - every cell tagged `figure` shows an SVG, and every SVG carries `xmlns` (JupyterLab shows nothing without it);
 * - every cell tagged `table` shows an HTML table, and each notebook shows at least one;
 * - the first code cell says which source is in use and, offline, that the data are synthetic;
 * - every output is the committed one (offline runs, not with `--update`): text and tables exactly, figures
 *   as SVG with IDs and Plot's class names renumbered ({@link compareWithCommitted}), so a change that
 *   alters a number fails until the notebooks are refreshed on purpose (`--update`).
 *
 * Prints one line per notebook and ends with `notebooks: N passed, N failed`; the command exits 1 on any failure,
 * including a missing `jupyter` (CI installs Debian's `jupyter-nbconvert` and `python3-nbclient`).
 *
 * ```sh
 * deno task test:notebooks                      # all notebooks
 * deno task test:notebooks notebooks/01_tour.ipynb
 * deno task test:notebooks --update             # refresh: write the new outputs into the notebooks (then deno fmt notebooks/)
 * ```
 *
 * The kernelspec is written to a temporary folder put first on `JUPYTER_PATH`, so the run needs no
 * `deno task kernel` beforehand and does not touch the user's kernels.
 *
 * @module
 */
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { KERNEL_NAME, kernelSpec, writeKernelSpec } from "./kernel.ts";
import { userPath } from "../paths.ts";
import { writeFileAtomic } from "../../_core/atomic_write.ts";

/**
 * nbconvert's executor with one change, for Deno's kernel. Deno (2.x) sometimes publishes a cell's
 * `execute_result` or `display_data` just after the cell's `idle` status; nbclient stops listening at
 * `idle` and drops it, so a figure or table goes missing at random (~1 cell in 20 here). This subclass
 * routes a late message to the cell it belongs to (by its parent message id) and, after the last cell,
 * waits half a second for stragglers. It writes how many outputs it recovered to stderr.
 */
const LATE_OUTPUT_PREPROCESSOR = `
import sys
from traitlets import Bool
from nbclient.exceptions import CellExecutionComplete
from nbclient.util import ensure_async, run_sync
from nbconvert.preprocessors import ExecutePreprocessor

class LateOutputExecutePreprocessor(ExecutePreprocessor):
    enabled = Bool(True)

    def _owners(self):
        if not hasattr(self, "_late_owners"):
            self._late_owners, self._late_count = {}, 0
        return self._late_owners

    def _take(self, msg, parent_msg_id, cell, cell_index):
        pid = msg["parent_header"].get("msg_id")
        if pid == parent_msg_id:
            self.process_message(msg, cell, cell_index)  # raises CellExecutionComplete at idle
        elif pid in self._owners() and msg["msg_type"] not in ("status", "execute_input"):
            owner, owner_index = self._owners()[pid]
            self.process_message(msg, owner, owner_index)
            self._late_count += 1

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        self._owners()[parent_msg_id] = (cell, cell_index)
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            try:
                self._take(msg, parent_msg_id, cell, cell_index)
            except CellExecutionComplete:
                return

    async def _async_drain(self, seconds):
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=seconds))
            except Exception:
                return
            try:
                self._take(msg, None, None, None)
            except CellExecutionComplete:
                pass

    def preprocess_cell(self, cell, resources, index):
        result = super().preprocess_cell(cell, resources, index)
        if index == len(self.nb.cells) - 1:
            self._owners()
            run_sync(self._async_drain)(0.5)
            print(f"late outputs recovered: {self._late_count}", file=sys.stderr)
        return result
`;

/** One output of a code cell (nbformat 4). */
interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** One cell (nbformat 4). */
interface Cell {
  cell_type: string;
  metadata?: { tags?: string[] };
  source: string | string[];
  outputs?: Output[];
}

/** What the check found in one executed notebook. */
export interface NotebookCheck {
  /** Problems, one line each; empty = passed. */
  problems: string[];
  /** Code cells. */
  codeCells: number;
  /** Outputs with an HTML table. */
  tables: number;
  /** Outputs with an SVG. */
  figures: number;
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[/;
const SVG_OPEN = /<svg\b[^>]*>/g;

function joined(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join("") : text ?? "";
}

/** Every string inside a MIME bundle value (nested JSON included). */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/**
 * Check an executed notebook's outputs (see the module doc for the rules).
 *
 * @param notebook The parsed `.ipynb`.
 * @param offline Whether it ran on the offline source (then the first cell must say the data are synthetic).
 * @returns Problems and counts.
 */
export function checkNotebook(notebook: { cells: Cell[] }, offline = true): NotebookCheck {
  const problems: string[] = [];
  let tables = 0;
  let figures = 0;
  let codeCells = 0;
  let firstCode = true;
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    codeCells++;
    const where = `cell ${index + 1}`;
    const tags = cell.metadata?.tags ?? [];
    const outputs = cell.outputs ?? [];
    let cellSvg = false;
    let cellTable = false;
    let printed = "";
    for (const out of outputs) {
      if (out.output_type === "error") {
        problems.push(`${where}: error ${out.ename}: ${(out.evalue ?? "").split("\n")[0]}`);
      }
      if (out.output_type === "stream" && out.name === "stderr" && !tags.includes("stderr-ok")) {
        problems.push(`${where}: wrote to stderr: ${joined(out.text).trim().split("\n")[0].slice(0, 160)}`);
      }
      const texts = [joined(out.text), ...(out.traceback ?? []), ...strings(out.data)];
      if (texts.some((t) => ANSI.test(t))) problems.push(`${where}: ANSI escape codes in the output`);
      if (out.output_type === "stream") printed += joined(out.text);
      for (const [mime, value] of Object.entries(out.data ?? {})) {
        const text = strings(value).join("");
        if (mime === "text/plain") printed += text;
        if (mime === "text/html" && /<table\b/.test(text)) cellTable = true;
        const svgs = text.match(SVG_OPEN) ?? [];
        if (svgs.length > 0) cellSvg = true;
        for (const tag of svgs) {
          if (!/\sxmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(tag)) {
            problems.push(`${where}: an <svg> in ${mime} has no xmlns (JupyterLab would show nothing)`);
            break;
          }
        }
      }
    }
    if (cellSvg) figures++;
    if (cellTable) tables++;
    if (outputs.length === 0 && !tags.includes("no-output")) {
      problems.push(`${where}: no output (tag the cell no-output if that is intended)`);
    }
    if (tags.includes("figure") && !cellSvg) problems.push(`${where}: tagged figure but shows no SVG`);
    if (tags.includes("table") && !cellTable) problems.push(`${where}: tagged table but shows no HTML table`);
    if (firstCode) {
      firstCode = false;
      if (!/source/i.test(printed)) problems.push(`${where}: the first code cell must say which source is in use`);
      if (offline && !/synthetic/i.test(printed)) {
        problems.push(`${where}: the first code cell must say, offline, that the data are synthetic`);
      }
    }
  });
  if (tables === 0) problems.push("no HTML table in any output");
  return { problems, codeCells, tables, figures };
}

/**
 * An SVG (or HTML holding SVG) with its element IDs, their references and Plot's generated class names
 * (`plot-1a2b3c`) renumbered in order of first appearance, so two renderings of the same figure compare equal
 * whatever counters or hashes named them; the SVG inside an `<img src="data:image/svg+xml;base64,…">` is
 * decoded and normalised the same way.
 *
 * @param markup SVG or HTML.
 * @returns The normalised markup.
 */
export function normalizeSvg(markup: string): string {
  const decoded = markup.replace(
    /data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/g,
    (_m, b64: string) =>
      `data:image/svg+xml;utf8,${new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)))}`,
  );
  const names = new Map<string, string>();
  const rename = (name: string, kind: string) => {
    const key = `${kind}:${name}`;
    if (!names.has(key)) names.set(key, `${kind}${names.size}`);
    return names.get(key)!;
  };
  return decoded
    .replace(/\b(plot-[0-9a-f]{6,})\b/g, (_m, c: string) => rename(c, "plot-c"))
    .replace(/(\sid=")([^"]+)(")/g, (_m, a: string, id: string, b: string) => `${a}${rename(id, "id")}${b}`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${rename(id, "id")})`)
    .replace(
      /((?:xlink:)?href="#)([^"]+)(")/g,
      (_m, a: string, id: string, b: string) => `${a}${rename(id, "id")}${b}`,
    );
}

/** One output as compared: its type and its content, figures normalised; streams of one name merged. */
function comparableOutputs(outputs: Output[]): { label: string; text: string }[] {
  const merged: { label: string; text: string }[] = [];
  for (const out of outputs) {
    if (out.output_type === "stream") {
      const last = merged.at(-1);
      if (last?.label === `stream ${out.name}`) last.text += joined(out.text);
      else merged.push({ label: `stream ${out.name}`, text: joined(out.text) });
    } else if (out.output_type === "error") {
      merged.push({ label: "error", text: `${out.ename}: ${out.evalue}` });
    } else {
      const data = Object.entries(out.data ?? {}).sort(([a], [b]) => a.localeCompare(b));
      for (const [mime, value] of data) {
        const text = typeof value === "string" || Array.isArray(value)
          ? joined(value as string | string[])
          : JSON.stringify(value);
        merged.push({ label: `${out.output_type} ${mime}`, text: /svg/.test(text) ? normalizeSvg(text) : text });
      }
    }
  }
  return merged;
}

/** A short view of where two texts first differ. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const show = (t: string) => JSON.stringify(t.slice(Math.max(0, i - 30), i + 50));
  return `at character ${i}: committed ${show(a)}, now ${show(b)}`;
}

/**
 * Compare an executed notebook's outputs with the committed ones, cell by cell: text, tables and other
 * HTML exactly, figures after {@link normalizeSvg}; execution counts and metadata are ignored.
 *
 * @param committed The notebook as committed.
 * @param executed The same notebook, executed now.
 * @returns One line per differing cell (empty: the same).
 */
export function compareWithCommitted(committed: { cells: Cell[] }, executed: { cells: Cell[] }): string[] {
  const problems: string[] = [];
  const code = (nb: { cells: Cell[] }) => nb.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === "code");
  const before = code(committed);
  const after = code(executed);
  if (before.length !== after.length) {
    return [`${after.length} code cells now, ${before.length} committed: refresh the notebook (--update)`];
  }
  before.forEach(({ c, i }, k) => {
    const a = comparableOutputs(c.outputs ?? []);
    const b = comparableOutputs(after[k].c.outputs ?? []);
    const where = `cell ${i + 1}`;
    if (a.map((o) => o.label).join() !== b.map((o) => o.label).join()) {
      problems.push(
        `${where}: outputs differ from the committed ones: committed [${a.map((o) => o.label).join(", ")}], ` +
          `now [${b.map((o) => o.label).join(", ")}]`,
      );
      return;
    }
    a.forEach((o, j) => {
      if (o.text !== b[j].text) {
        problems.push(`${where}: ${o.label} differs from the committed output ${firstDifference(o.text, b[j].text)}`);
      }
    });
  });
  return problems;
}

/**
 * The check of a user's notebook: it ran, and no cell produced an error.
 *
 * @param notebook The parsed, executed `.ipynb`.
 * @returns Problems (one per error cell) and counts.
 */
export function errorCells(notebook: { cells: Cell[] }): NotebookCheck {
  const problems: string[] = [];
  let codeCells = 0;
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    codeCells++;
    for (const out of cell.outputs ?? []) {
      if (out.output_type === "error") {
        problems.push(`cell ${index + 1}: error ${out.ename}: ${(out.evalue ?? "").split("\n")[0]}`);
      }
    }
  });
  return { problems, codeCells, tables: 0, figures: 0 };
}

/**
 * The project's `notebooks/` folder, three levels above `moduleUrl` (this runner's `import.meta.url`, in
 * `lib/cli/`), as a file path. `URL.pathname` would keep percent escapes: a checkout under "My Projects" would
 * look for "My%20Projects".
 *
 * @param moduleUrl A `file:` URL inside `lib/cli/`.
 * @returns The absolute path of `notebooks/`.
 */
export function notebooksDir(moduleUrl: string | URL): string {
  return fileURLToPath(new URL("../../../notebooks", moduleUrl));
}

/**
 * `jupyter nbconvert --version`, or why it cannot be had: Jupyter is not installed, or this process may not
 * run it (Deno's `--allow-run`), which is a different fix and must not read as "not found".
 */
async function jupyterVersion(): Promise<{ version: string } | { problem: string }> {
  const install = "install Jupyter to run the notebooks (Debian/Ubuntu: apt-get install -y jupyter-nbconvert " +
    "python3-nbclient jupyter-client python3-ipykernel)";
  try {
    const out = await new Deno.Command("jupyter", { args: ["nbconvert", "--version"], stdout: "piped", stderr: "null" })
      .output();
    if (out.success) return { version: new TextDecoder().decode(out.stdout).trim() };
    return { problem: `jupyter is installed but 'jupyter nbconvert --version' failed: ${install}` };
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      return {
        problem: "no permission to run jupyter (Deno's --allow-run): run the notebooks with " +
          "'npx -y deno@2.9.6 task cli notebook run …' (the cli task may run jupyter) or add --allow-run=jupyter",
      };
    }
    if (error instanceof Deno.errors.NotFound) return { problem: `jupyter nbconvert not found: ${install}` };
    return { problem: `jupyter nbconvert could not be started (${(error as Error).message}): ${install}` };
  }
}

/** Run `tasks` with at most `limit` at once, keeping results in input order. */
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface RunResult {
  name: string;
  seconds: number;
  late: number;
  check: NotebookCheck;
  executed: string | null;
}

/** Options of {@link runNotebooks}. */
export interface NotebookRunOptions {
  /** Notebooks to run (default: every `notebooks/*.ipynb`). */
  paths: string[];
  /** Notebooks at a time. */
  jobs: number;
  /** Seconds per cell. */
  timeout: number;
  /** Write the outputs of passing notebooks back into them (offline runs only). */
  update: boolean;
  /** Keep the executed copies. */
  keep: boolean;
  /** `offline`, `live` or an API base URL; undefined: the kernel's environment decides (RATGTEX_SOURCE, else live). */
  source: string | undefined;
  /** Apply the project's checks (outputs, tables, figures, banner) instead of only "no error cell". */
  check: boolean;
  /** Write the executed notebook here (one notebook only). */
  out?: string;
  /** Write the executed notebook as HTML here (one notebook only). */
  html?: string;
}

/**
 * Execute the notebooks and check them, printing one line per notebook and the summary line
 * `notebooks: N passed, N failed` on standard output.
 *
 * @returns The number of notebooks that failed (all of them when Jupyter is missing).
 */
export async function runNotebooks(options: NotebookRunOptions): Promise<number> {
  const values = options;
  let paths = options.paths.map((p) => resolve(userPath(p)));
  if (paths.length === 0) {
    const dir = notebooksDir(import.meta.url);
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".ipynb")) paths.push(join(dir, entry.name));
    }
    paths = paths.sort();
  }

  const found = await jupyterVersion();
  if ("problem" in found) {
    console.log(found.problem);
    console.log(`notebooks: 0 passed, ${paths.length} failed`);
    return Math.max(paths.length, 1);
  }
  const version = found.version;
  if (paths.length === 0) {
    console.log("no notebooks found");
    console.log("notebooks: 0 passed, 0 failed");
    return 1;
  }

  const work = await Deno.makeTempDir({ prefix: "ratgtex-notebooks-" });
  // The temporary folder goes whatever happens (a full disk, a failed write), unless --keep asked for it.
  try {
    return await runIn(work, paths, version, values);
  } finally {
    if (!values.keep) await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

/** {@link runNotebooks} in its temporary folder `work`. */
async function runIn(work: string, paths: string[], version: string, values: NotebookRunOptions): Promise<number> {
  const { jobs } = values;
  await Deno.writeTextFile(join(work, "ratgtex_nbexec.py"), LATE_OUTPUT_PREPROCESSOR);
  const source = values.source;
  await writeKernelSpec(join(work, "kernels"), kernelSpec(source === undefined ? {} : { source }));
  const sep = Deno.build.os === "windows" ? ";" : ":";
  const jupyterPath = [work, Deno.env.get("JUPYTER_PATH")].filter(Boolean).join(sep);
  const pythonPath = [work, Deno.env.get("PYTHONPATH")].filter(Boolean).join(sep);
  const outDir = join(work, "executed");
  await Deno.mkdir(outDir);
  console.log(
    `jupyter nbconvert ${version}, kernel ${KERNEL_NAME}, RATGTEX_SOURCE=${source ?? "(the environment's)"}, ` +
      `${paths.length} ${paths.length === 1 ? "notebook" : "notebooks"}`,
  );

  const started = performance.now();
  const results = await pool(paths, jobs, async (path): Promise<RunResult> => {
    const name = basename(path);
    const t0 = performance.now();
    const out = await new Deno.Command("jupyter", {
      args: [
        "nbconvert",
        "--to",
        "notebook",
        // = --execute, with the late-output fix above
        "--NotebookExporter.preprocessors=ratgtex_nbexec.LateOutputExecutePreprocessor",
        "--ExecutePreprocessor.allow_errors=True", // keep the outputs so that the check can say which cell failed
        `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
        `--ExecutePreprocessor.timeout=${values.timeout}`,
        "--ExecutePreprocessor.record_timing=False", // no timestamps in committed notebooks
        "--output-dir",
        outDir,
        path,
      ],
      env: {
        JUPYTER_PATH: jupyterPath,
        PYTHONPATH: pythonPath,
        NO_COLOR: "1",
        ...(source === undefined ? {} : { RATGTEX_SOURCE: source }),
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const seconds = (performance.now() - t0) / 1000;
    const executed = join(outDir, name);
    const late = Number(new TextDecoder().decode(out.stderr).match(/late outputs recovered: (\d+)/)?.[1] ?? 0);
    if (!out.success) {
      const stderr = new TextDecoder().decode(out.stderr).trim().split("\n").filter((l) => l.trim()).slice(-3);
      return {
        name,
        seconds,
        late,
        executed: null,
        check: { problems: [`nbconvert failed: ${stderr.join(" | ")}`], codeCells: 0, tables: 0, figures: 0 },
      };
    }
    const parsed = JSON.parse(await Deno.readTextFile(executed));
    const check = values.check ? checkNotebook(parsed, source === "offline") : errorCells(parsed);
    // The committed outputs must be what the code gives (they come from an offline run); --update is how
    // they are refreshed on purpose, so it does not compare.
    if (values.check && !values.update && source === "offline") {
      const committed = JSON.parse(await Deno.readTextFile(path));
      check.problems.push(...compareWithCommitted(committed, parsed));
    }
    return { name, seconds, late, check, executed };
  });
  const wall = (performance.now() - started) / 1000;

  let passed = 0;
  for (const r of results) {
    const { problems, codeCells, tables, figures } = r.check;
    const counts = `${codeCells} code cells, ${tables} tables, ${figures} figures` +
      (r.late > 0 ? `; ${r.late} late output${r.late > 1 ? "s" : ""} recovered` : "");
    if (problems.length === 0) {
      passed++;
      console.log(`ok    ${r.name}  ${r.seconds.toFixed(1)} s  (${counts})`);
    } else {
      console.log(
        `FAIL  ${r.name}  ${r.seconds.toFixed(1)} s${r.late > 0 ? `  (${r.late} late outputs recovered)` : ""}`,
      );
      // Bounded: a stale notebook differs in every cell.
      for (const p of problems.slice(0, 12)) console.log(`        ${p}`);
      if (problems.length > 12) console.log(`        … and ${problems.length - 12} more`);
    }
  }
  if (values.update && source !== "offline") {
    console.log("--update writes only offline runs into the notebooks: skipped");
  } else if (values.update) {
    for (const [i, r] of results.entries()) {
      if (r.check.problems.length === 0 && r.executed) {
        await writeFileAtomic(paths[i], await Deno.readFile(r.executed));
        console.log(`updated ${paths[i]}`);
      }
    }
  }
  const only = results.length === 1 ? results[0] : null;
  if (only?.executed && values.out) {
    await writeFileAtomic(values.out, await Deno.readFile(only.executed)); // whole or not at all
    console.log(`executed notebook written to ${values.out}`);
  }
  if (only?.executed && values.html) {
    const html = await new Deno.Command("jupyter", {
      args: ["nbconvert", "--to", "html", "--output-dir", outDir, "--output", "report", only.executed],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (html.success) {
      await writeFileAtomic(values.html, await Deno.readFile(join(outDir, "report.html")));
      console.log(`HTML report written to ${values.html}`);
    } else {
      console.log(`HTML conversion failed: ${new TextDecoder().decode(html.stderr).trim().split("\n").at(-1)}`);
      results.push({ ...only, check: { ...only.check, problems: ["HTML conversion failed"] } });
    }
  }
  if (values.keep) console.log(`executed notebooks kept in ${outDir}`);
  console.log(`all notebooks: ${wall.toFixed(1)} s wall clock, ${jobs} at a time`);
  const failed = results.filter((r) => r.check.problems.length > 0).length;
  console.log(`notebooks: ${passed} passed, ${failed} failed`);
  return failed;
}

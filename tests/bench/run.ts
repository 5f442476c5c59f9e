/**
 * `deno task bench`: run every benchmark in `tests/bench/` (each in its own process, with the permissions it
 * declares) and print ONE table — case, ours, peer, ratio with its direction, goal, met or not — with the
 * machine and its load. The last line of the output is the whole run as JSON, for `readme_table.ts`.
 *
 *   deno task bench                       every bench at its full size
 *   deno task bench --smoke               every bench at its smoke size (seconds each): does each still run?
 *   deno task bench --only cluster_compare,convert_bench
 *   deno task bench --skip release_scale --verbose
 *
 * The convention a bench follows is in tests/bench/README.md (and `_record.ts`). Exit status 1 when a bench
 * failed (crashed, timed out, or printed no valid records); a goal not met is reported, not a failure.
 *
 * @module
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { type BenchRecord, validateRecords } from "./_record.ts";

/** Files in tests/bench/ that are tools, not benchmarks. */
export const TOOLS: readonly string[] = ["run.ts", "readme_table.ts"];

/** What one bench file declares and how its run ended. */
export interface BenchRun {
  file: string;
  flags: string[] | null;
  ok: boolean;
  seconds: number;
  /** Why it failed (exit status, timeout, missing records…); empty when ok. */
  failure: string;
  records: BenchRecord[];
}

/** The machine and its load, as the README's table states them. */
export interface Machine {
  cpu: string;
  cpus: number;
  /** /proc/loadavg's three averages when the run started and when it ended. */
  loadBefore: number[];
  loadAfter: number[];
  deno: string;
  v8: string;
  date: string;
}

/** The whole run, printed as the last output line. */
export interface BenchRunDocument {
  kind: "ratgtex-bench-run";
  smoke: boolean;
  machine: Machine;
  runs: BenchRun[];
}

const HERE = new URL(".", import.meta.url);
const ROOT = new URL("../../", import.meta.url);

/** The bench files: every `*.ts` in tests/bench/ not starting with `_` and not a tool, sorted. */
export function benchFiles(dir: URL = HERE): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    if (e.isFile && e.name.endsWith(".ts") && !e.name.startsWith("_") && !TOOLS.includes(e.name)) out.push(e.name);
  }
  return out.sort();
}

/** The `bench-flags:` line of a bench file (its `deno run` permissions), or null when it has none. */
export function declaredFlags(source: string): string[] | null {
  const m = source.match(/^\s*(?:\/\/|\*)\s*bench-flags:(.*)$/m);
  if (!m) return null;
  return m[1].trim().split(/\s+/).filter((f) => f !== "");
}

/** The 1, 5 and 15 minute load averages (/proc/loadavg; Deno reads it with --allow-sys=loadavg). */
function loadavg(): number[] {
  try {
    return Deno.loadavg();
  } catch {
    return [];
  }
}

/** The CPU model (node:os, with --allow-sys=cpus). */
function cpuModel(): string {
  try {
    return os.cpus()[0]?.model.trim() || "unknown CPU";
  } catch {
    return "unknown CPU";
  }
}

/** Run one bench file; never throws (a failure is reported in the result). */
export async function runBench(
  file: string,
  options: { smoke: boolean; timeoutSeconds: number; verbose: boolean; deno?: string },
): Promise<BenchRun> {
  const path = new URL(file, HERE).pathname;
  const flags = declaredFlags(await Deno.readTextFile(path));
  const result: BenchRun = { file, flags, ok: false, seconds: 0, failure: "", records: [] };
  if (!flags) {
    result.failure = "no `// bench-flags: …` line (its deno run permissions); see tests/bench/README.md";
    return result;
  }
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutSeconds * 1000);
  try {
    const child = new Deno.Command(options.deno ?? "deno", {
      args: ["run", ...flags, path, ...(options.smoke ? ["--smoke"] : [])],
      cwd: ROOT.pathname,
      env: options.smoke ? { BENCH_SMOKE: "1", NO_COLOR: "1" } : { NO_COLOR: "1" },
      stdout: "piped",
      stderr: options.verbose ? "inherit" : "piped",
      signal: controller.signal,
    }).spawn();
    const [status, stdout, stderr] = await Promise.all([
      child.status,
      new Response(child.stdout).text(),
      options.verbose ? Promise.resolve("") : new Response(child.stderr!).text(),
    ]);
    if (options.verbose) console.error(stdout.trimEnd());
    result.seconds = (performance.now() - started) / 1000;
    const lastLine = stdout.trimEnd().split("\n").at(-1) ?? "";
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(lastLine);
    } catch {
      // reported below
    }
    const problems = parsed === undefined ? ["the last line of its output is not JSON"] : validateRecords(parsed);
    if (controller.signal.aborted) {
      result.failure = `timed out after ${options.timeoutSeconds} s`;
    } else if (!status.success) {
      result.failure = `exit status ${status.code}${tail(stderr)}`;
    } else if (problems.length > 0) {
      result.failure = `${problems.slice(0, 3).join("; ")}${tail(stderr)}`;
    } else {
      result.ok = true;
      result.records = parsed as BenchRecord[];
    }
  } catch (e) {
    result.failure = `could not run: ${e instanceof Error ? e.message : e}`;
  } finally {
    clearTimeout(timer);
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

function tail(stderr: string): string {
  const lines = stderr.trim().split("\n").filter((l) => l.trim() !== "");
  return lines.length ? ` — ${lines.slice(-3).join(" | ")}` : "";
}

/** A number for the table: 3 significant digits, thousands separated. */
export function fmtNumber(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString("en-US");
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  if (a === 0) return "0";
  return v.toPrecision(2);
}

/** A ratio for the tables: 2 decimals, or 2 significant digits below 0.1. */
export function fmtRatio(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return "—";
  return `${v >= 10 ? v.toFixed(1) : v >= 0.1 ? v.toFixed(2) : v.toPrecision(2)}×`;
}

/** The table rows for one run: one per record, one per failed bench. */
export function tableRows(runs: readonly BenchRun[]): string[][] {
  const rows: string[][] = [];
  for (const run of runs) {
    if (!run.ok) {
      rows.push([run.file, "FAILED", "", "", "", "", "", run.failure]);
      continue;
    }
    for (const r of run.records) {
      const ours = r.ours === null ? "—" : `${fmtNumber(r.ours)} ${r.unit}`;
      const peer = r.peerName === null
        ? "—"
        : r.peer === null
        ? `${r.peerName}: —`
        : `${r.peerName}: ${fmtNumber(r.peer)} ${r.unit}`;
      const ratio = fmtRatio(r.ratio);
      const cmp = r.direction.endsWith("lower is better") ? "≤" : "≥";
      const goal = r.goal === null ? "—" : `${cmp} ${r.goal}`;
      const met = r.skipped ? r.skipped : r.smoke ? "smoke" : r.met === null ? "—" : r.met ? "met" : "NOT met";
      rows.push([run.file, r.case, ours, peer, ratio, r.direction, goal, met]);
    }
  }
  return rows;
}

/** Render rows as a plain-text table (aligned columns) for the terminal. */
export function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The header for the table: machine and load. */
export function machineLine(m: Machine): string {
  const load = (l: number[]) => (l.length ? l.map((x) => x.toFixed(2)).join(" ") : "unknown");
  return `${m.cpu}, ${m.cpus} CPUs; load average (1, 5, 15 min) ${load(m.loadBefore)} at the start, ${
    load(m.loadAfter)
  } at the end; Deno ${m.deno}, V8 ${m.v8}; ${m.date}`;
}

export const TABLE_HEAD = ["bench", "case", "ours", "peer", "ratio", "direction", "goal", "met"];

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      smoke: { type: "boolean", default: false },
      only: { type: "string" },
      skip: { type: "string" },
      verbose: { type: "boolean", default: false },
      timeout: { type: "string" },
    },
  });
  const names = (s?: string) => new Set((s ?? "").split(",").filter(Boolean).map((n) => n.replace(/\.ts$/, "")));
  const only = names(values.only);
  const skip = names(values.skip);
  const files = benchFiles().filter((f) => {
    const n = f.replace(/\.ts$/, "");
    return (only.size === 0 || only.has(n)) && !skip.has(n);
  });
  const timeoutSeconds = Number(values.timeout ?? (values.smoke ? 120 : 3600));
  const machine: Machine = {
    cpu: cpuModel(),
    cpus: navigator.hardwareConcurrency,
    loadBefore: loadavg(),
    loadAfter: [],
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
  };
  const runs: BenchRun[] = [];
  for (const [i, file] of files.entries()) {
    console.error(`[${i + 1}/${files.length}] ${file}${values.smoke ? " (smoke)" : ""} …`);
    const run = await runBench(file, { smoke: values.smoke!, timeoutSeconds, verbose: values.verbose! });
    console.error(`  ${run.ok ? "ok" : "FAILED"} in ${run.seconds.toFixed(1)} s${run.ok ? "" : `: ${run.failure}`}`);
    runs.push(run);
  }
  machine.loadAfter = loadavg();
  console.log(
    `\n${values.smoke ? "Smoke run (tiny sizes: the figures only show that each bench runs). " : ""}${
      machineLine(machine)
    }\n`,
  );
  console.log(textTable(TABLE_HEAD, tableRows(runs)));
  const failed = runs.filter((r) => !r.ok).length;
  console.log(`\n${runs.length - failed} benches ran, ${failed} failed`);
  const doc: BenchRunDocument = { kind: "ratgtex-bench-run", smoke: values.smoke!, machine, runs };
  console.log(JSON.stringify(doc));
  return failed > 0 ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());

/**
 * The contract between a benchmark in `tests/bench/` and the runner (`deno task bench`, `run.ts`): each bench
 * prints, as the LAST line of its standard output, a JSON array of {@link BenchRecord}s (use {@link emit}).
 * Everything before that line is the bench's own report for humans. See `tests/bench/README.md`.
 *
 * @module
 */

/** Whether a bigger ratio is better (rates) or a smaller one (times, memory). */
export type Better = "lower" | "higher";

/** One measured comparison: a row of the `deno task bench` table. */
export interface BenchRecord {
  /** The bench file that measured it, e.g. `"cluster_compare.ts"` ({@link emit} fills it in). */
  bench: string;
  /** What was measured, with its size: `"average linkage, n = 10,000 × 13"`. */
  case: string;
  /** The unit of `ours` and `peer`: `"s"`, `"ms"`, `"s CPU"`, `"pairs/s"`, `"MB"`, `"requests"`… */
  unit: string;
  /** Our figure, or null when it could not be measured. */
  ours: number | null;
  /** The peer's figure (null: no peer, or the peer was skipped). */
  peer: number | null;
  /** Who the peer is, with its version where known (`"fastcluster 1.2.3"`); null for an absolute figure. */
  peerName: string | null;
  /** `ours ÷ peer` (null without a peer figure). Always ours over theirs: never the other way round. */
  ratio: number | null;
  /** How to read `ratio`, e.g. `"ours ÷ theirs, time: lower is better"`. */
  direction: string;
  /** The goal on `ratio` (`ratio ≤ goal` when lower is better, `≥` when higher is), or null for none. */
  goal: number | null;
  /** Whether the goal was met; null without a goal, without a ratio, or in smoke mode. */
  met: boolean | null;
  /** Why the comparison did not run, e.g. `"peer not installed: skipped (python3-fastcluster)"`. */
  skipped?: string;
  /** Anything a reader needs to trust the figure: agreement between the results, repeats, caveats. */
  note?: string;
  /** True when measured at the smoke size (the figures then only show that the bench runs). */
  smoke?: boolean;
}

/** What a bench passes to {@link record}: the rest is derived so the direction cannot be written backwards. */
export interface RecordInput {
  case: string;
  unit: string;
  ours: number | null;
  peer?: number | null;
  peerName?: string | null;
  /** The quantity compared, for the direction text: `"time"`, `"CPU time"`, `"rate"`, `"peak RSS"`… */
  quantity: string;
  better: Better;
  goal?: number | null;
  skipped?: string;
  note?: string;
}

/**
 * Whether the bench runs at its smoke size: `--smoke` among the arguments, or `BENCH_SMOKE=1` in the
 * environment (read only when the bench was granted that variable, so no permission prompt).
 */
export function isSmoke(args: readonly string[] = Deno.args): boolean {
  if (args.includes("--smoke")) return true;
  const granted = Deno.permissions.querySync({ name: "env", variable: "BENCH_SMOKE" }).state === "granted";
  return granted && Deno.env.get("BENCH_SMOKE") === "1";
}

/** Deno.args without `--smoke` (for benches that parse their own options strictly). */
export function argsWithoutSmoke(args: readonly string[] = Deno.args): string[] {
  return args.filter((a) => a !== "--smoke");
}

/** Build a record: ratio = ours ÷ peer, the direction text, and whether the goal was met. */
export function record(input: RecordInput, smoke = isSmoke()): Omit<BenchRecord, "bench"> {
  const peer = input.peer ?? null;
  const ours = input.ours;
  const ratio = ours !== null && peer !== null && peer !== 0 && Number.isFinite(ours) && Number.isFinite(peer)
    ? ours / peer
    : null;
  const goal = input.goal ?? null;
  const met = smoke || goal === null || ratio === null
    ? null
    : input.better === "lower"
    ? ratio <= goal
    : ratio >= goal;
  const direction = peer === null && !input.peerName
    ? `absolute ${input.quantity}: ${input.better} is better`
    : `ours ÷ theirs, ${input.quantity}: ${input.better} is better`;
  const out: Omit<BenchRecord, "bench"> = {
    case: input.case,
    unit: input.unit,
    ours,
    peer,
    peerName: input.peerName ?? null,
    ratio,
    direction,
    goal,
    met,
  };
  if (input.skipped) out.skipped = input.skipped;
  if (input.note) out.note = input.note;
  if (smoke) out.smoke = true;
  return out;
}

/** A record for a comparison whose peer is missing on this machine: it says so instead of failing. */
export function skippedRecord(
  input: Omit<RecordInput, "peer" | "skipped"> & { why: string },
): Omit<BenchRecord, "bench"> {
  return record({ ...input, peer: null, skipped: `peer not installed: skipped (${input.why})` });
}

/** Print the records as the last line of standard output (the runner reads that line). */
export function emit(records: Omit<BenchRecord, "bench">[], mainModule: string = Deno.mainModule): void {
  const bench = new URL(mainModule).pathname.split("/").pop()!;
  console.log(JSON.stringify(records.map((r) => ({ bench, ...r }))));
}

/** Whether `cmd args…` runs and exits 0 (to decide if a peer is installed). */
export async function runs(cmd: string, args: string[] = ["--version"]): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output();
    return out.success;
  } catch {
    return false;
  }
}

/** Whether /usr/bin/python3 can import every module named. */
export function pythonHas(...modules: string[]): Promise<boolean> {
  return runs("/usr/bin/python3", ["-c", modules.map((m) => `import ${m}`).join("; ")]);
}

/** Process CPU time (user + system) in seconds, for measurements that a shared machine's load distorts less. */
export async function cpuSeconds(): Promise<number> {
  const { default: process } = await import("node:process");
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Check a record list read back from a bench's last line; returns the problems found (empty: valid). */
export function validateRecords(value: unknown): string[] {
  if (!Array.isArray(value)) return ["the last line is not a JSON array"];
  if (value.length === 0) return ["the record list is empty"];
  const problems: string[] = [];
  value.forEach((r, i) => {
    const where = `record ${i}`;
    if (r === null || typeof r !== "object") return problems.push(`${where}: not an object`);
    for (const key of ["bench", "case", "unit", "direction"]) {
      if (typeof r[key] !== "string" || r[key] === "") problems.push(`${where}: ${key} must be a non-empty string`);
    }
    for (const key of ["ours", "peer", "ratio", "goal"]) {
      if (!(key in r) || (r[key] !== null && typeof r[key] !== "number")) {
        problems.push(`${where}: ${key} must be a number or null`);
      }
    }
    if (!("met" in r) || (r.met !== null && typeof r.met !== "boolean")) {
      problems.push(`${where}: met must be true, false or null`);
    }
    if (typeof r.direction === "string" && !/: (lower|higher) is better$/.test(r.direction)) {
      problems.push(`${where}: direction must end "lower is better" or "higher is better"`);
    }
    if (r.ours === null && !r.skipped) problems.push(`${where}: no figure and no reason (skipped)`);
  });
  return problems;
}

/** Median wall time of `fn` in ms over `runs` calls, after `warmup` calls (for benches without a peer process). */
export async function medianMs(fn: () => unknown, runs: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

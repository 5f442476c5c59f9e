/**
 * Side-by-side benchmark: this library's hclust vs scipy (average linkage with optimal leaf ordering,
 * n = 100 / 1,000 / 3,000 genes × 13 tissues) and vs fastcluster (average linkage alone, n = 10,000 × 13;
 * scipy's linkage as a second peer), each case in a fresh process per side so peak RSS is per case.
 *
 * Run from the repository root (needs Debian's python3-scipy and python3-fastcluster; a missing peer is
 * reported as skipped):
 *
 *     deno run --allow-read --allow-write --allow-run --allow-env tests/bench/cluster_compare.ts [--smoke]
 *
 * Each side times the clustering call only (distances included, input loading excluded): one warm-up on
 * small inputs, then `repeats` runs, median. Three clocks per call: wall time, the CPU time of the thread
 * that computes (clock_gettime(CLOCK_THREAD_CPUTIME_ID): FFI in Deno, time.thread_time in Python) and of
 * the whole process. The
 * ratio uses the computing thread's CPU time: on this shared 2-core machine wall time mostly measures the
 * other engineers' load, and on an idle machine the two agree (V8 compiles and collects garbage on other
 * threads, concurrently, as an idle second core lets it). The wall and whole-process ratios are in each
 * record's note. Prints a table (ratio ours ÷ theirs, < 1 = we are faster), then its records
 * (tests/bench/README.md). `--smoke`: n = 60 / 200 / 400.
 *
 * bench-flags: --allow-read --allow-write --allow-run --allow-env --allow-ffi --allow-sys
 *
 * (The worker processes it starts run with --allow-all: Deno grants /proc/self/status, read for peak RSS,
 * only with it, and the thread clock is read through FFI.)
 *
 * @module
 */

import { hclust } from "ratgtex/analysis";
import { cpuSeconds, emit, isSmoke, pythonHas, record, skippedRecord } from "./_record.ts";

const P = 13;

interface Measure {
  seconds: number;
  cpuSeconds: number;
  threadSeconds: number;
  peakRssMB: number;
  order: number[];
  heights: number[];
}

/** Deterministic TPM-like medians (log-normal, 3 decimals), as the API returns them. */
function makeMatrix(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float64Array(n * P);
  for (let i = 0; i < out.length; i += 2) {
    const u1 = rand() || 1e-12;
    const u2 = rand();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = Math.round(Math.exp(2 + 2 * r * Math.cos(2 * Math.PI * u2)) * 1000) / 1000;
    if (i + 1 < out.length) out[i + 1] = Math.round(Math.exp(2 + 2 * r * Math.sin(2 * Math.PI * u2)) * 1000) / 1000;
  }
  return out;
}

/**
 * CPU time of the calling (main) thread in seconds: clock_gettime(CLOCK_THREAD_CPUTIME_ID) through libc
 * (what Python's time.thread_time reads). /proc/thread-self/schedstat is only updated at scheduler ticks.
 */
function threadClock(): () => number {
  const libc = Deno.dlopen("libc.so.6", { clock_gettime: { parameters: ["i32", "buffer"], result: "i32" } });
  const ts = new BigInt64Array(2);
  const bytes = new Uint8Array(ts.buffer);
  const CLOCK_THREAD_CPUTIME_ID = 3;
  return () => {
    libc.symbols.clock_gettime(CLOCK_THREAD_CPUTIME_ID, bytes);
    return Number(ts[0]) + Number(ts[1]) / 1e9;
  };
}

function peakRssMB(): number {
  // VmHWM is the process's peak resident set size (Linux).
  const status = Deno.readTextFileSync("/proc/self/status");
  const m = status.match(/VmHWM:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : NaN;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Worker mode: time hclust on one matrix, print one JSON line. */
async function worker(kind: string, file: string, n: number, repeats: number): Promise<void> {
  const flat = new Float64Array(Deno.readFileSync(file).buffer);
  const rows: number[][] = Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * P, (i + 1) * P)));
  const times: number[] = [];
  const cpus: number[] = [];
  const threads: number[] = [];
  const threadSeconds = threadClock();
  // Warm the JIT on small inputs only; at large n one run is long enough and a warm-up would inflate peak RSS.
  let res = n <= 1000 ? hclust(rows, { optimalOrdering: kind === "ours-olo" }) : undefined;
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let r = 0; r < repeats; r++) {
    // Collect the previous run's matrices so peak RSS reflects one run, as in the Python process.
    res = undefined;
    gc?.();
    const c0 = await cpuSeconds();
    const h0 = threadSeconds();
    const t0 = performance.now();
    res = hclust(rows, { optimalOrdering: kind === "ours-olo" });
    times.push((performance.now() - t0) / 1000);
    threads.push(threadSeconds() - h0);
    cpus.push(await cpuSeconds() - c0);
  }
  const out: Measure = {
    seconds: median(times),
    cpuSeconds: median(cpus),
    threadSeconds: median(threads),
    peakRssMB: peakRssMB(),
    order: res!.order,
    heights: res!.linkage.map((r) => r[2]),
  };
  console.log(JSON.stringify(out));
}

async function run(cmd: string, args: string[]): Promise<Measure> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "inherit" }).output();
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed`);
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").pop()!;
  return JSON.parse(text);
}

interface Case {
  n: number;
  ours: "ours" | "ours-olo";
  theirs: "scipy-olo" | "scipy-linkage" | "fastcluster";
  label: string;
  vs: "scipy" | "fastcluster";
  repeats: number;
  /** The goal on ours ÷ theirs, or null for none (issue 28: 0.5 and 0.25 vs scipy, 1.0 vs fastcluster). */
  goal: number | null;
}

async function main(): Promise<void> {
  const smoke = isSmoke();
  const here = new URL(".", import.meta.url).pathname;
  const dir = await Deno.makeTempDir({ prefix: "cluster_bench_" });
  const olo = (n: number, repeats: number, goal: number | null): Case => ({
    n,
    ours: "ours-olo",
    theirs: "scipy-olo",
    label: "average + optimal leaf ordering",
    vs: "scipy",
    repeats,
    goal,
  });
  const linkage = (n: number, theirs: "fastcluster" | "scipy-linkage", repeats: number, goal: number | null): Case => ({
    n,
    ours: "ours",
    theirs,
    label: "average linkage only",
    vs: theirs === "fastcluster" ? "fastcluster" : "scipy",
    repeats,
    goal,
  });
  const cases: Case[] = smoke
    ? [olo(60, 3, null), olo(200, 3, 0.5), linkage(400, "fastcluster", 2, 1.0), linkage(400, "scipy-linkage", 1, null)]
    : [
      olo(100, 21, null),
      olo(1000, 5, 0.5),
      olo(3000, 3, 0.25),
      linkage(10000, "fastcluster", 3, 1.0),
      linkage(10000, "scipy-linkage", 1, null),
    ];
  const versions = await pyVersions();
  console.log(
    `hclust vs ${versions.scipy ?? "scipy (missing)"} / ${versions.fastcluster ?? "fastcluster (missing)"}` +
      ` — genes × ${P} tissues, median of repeats, one process per cell; ratios ours ÷ theirs`,
  );
  console.log(
    "| case | n | ours s (thread CPU) | theirs | theirs s (thread CPU) | ratio, thread CPU | ratio, process CPU | ratio, wall | goal | ours peak RSS MB | theirs peak RSS MB | agree |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
  const records = [];
  try {
    for (const c of cases) {
      const peerName = c.vs === "fastcluster" ? versions.fastcluster : versions.scipy;
      const caseName = `${c.label}, n = ${c.n.toLocaleString("en-US")} × ${P}`;
      const quantity = "CPU time of the computing thread (median of repeats)";
      if (!peerName) {
        records.push(skippedRecord({
          case: caseName,
          unit: "s",
          ours: null,
          peerName: c.vs,
          quantity,
          better: "lower",
          goal: c.goal,
          why: c.vs === "fastcluster" ? "apt-get install python3-fastcluster" : "apt-get install python3-scipy",
        }));
        console.log(`| ${c.label} | ${c.n} | — | ${c.vs} | — | peer not installed: skipped | | | | | | |`);
        continue;
      }
      const file = `${dir}/m${c.n}.f64`;
      const m = makeMatrix(c.n, 20240611 + c.n);
      await Deno.writeFile(file, new Uint8Array(m.buffer));
      const ours = await run(Deno.execPath(), [
        "run",
        // Deno grants /proc/self/status (peak RSS) only with --allow-all.
        "--allow-all",
        "--v8-flags=--expose-gc",
        `${here}cluster_compare.ts`,
        "--worker",
        c.ours,
        file,
        String(c.n),
        String(c.repeats),
      ]);
      const theirs = await run("/usr/bin/python3", [
        `${here}cluster_compare.py`,
        c.theirs,
        file,
        String(c.n),
        String(P),
        String(c.repeats),
      ]);
      let agree: string;
      if (c.ours === "ours-olo") {
        agree = JSON.stringify(ours.order) === JSON.stringify(theirs.order) ? "same leaf order" : "ORDER DIFFERS";
      } else {
        const a = [...ours.heights].sort((x, y) => x - y);
        const b = [...theirs.heights].sort((x, y) => x - y);
        let worst = 0;
        for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(b[i], 1e-300));
        agree = `heights max rel diff ${worst.toExponential(1)}`;
      }
      const ratioOf = (a: number, b: number) => (a / b).toFixed(2);
      const rec = record({
        case: caseName,
        unit: "s",
        ours: ours.threadSeconds,
        peer: theirs.threadSeconds,
        peerName,
        quantity,
        better: "lower",
        goal: c.goal,
        note: `whole-process CPU ${ours.cpuSeconds.toFixed(3)} vs ${theirs.cpuSeconds.toFixed(3)} s (ratio ${
          ratioOf(ours.cpuSeconds, theirs.cpuSeconds)
        }); wall ${ours.seconds.toFixed(3)} vs ${theirs.seconds.toFixed(3)} s (ratio ${
          ratioOf(ours.seconds, theirs.seconds)
        }); peak RSS ${ours.peakRssMB.toFixed(0)} vs ${theirs.peakRssMB.toFixed(0)} MB; ${agree}; ${c.repeats} repeats`,
      });
      records.push(rec);
      const goal = c.goal === null
        ? "—"
        : `≤ ${c.goal.toFixed(2)} ${rec.met === null ? "" : rec.met ? "met" : "NOT met"}`;
      console.log(
        `| ${c.label} | ${c.n} | ${ours.threadSeconds.toFixed(4)} | ${c.vs} | ${theirs.threadSeconds.toFixed(4)} | ${
          rec.ratio!.toFixed(2)
        } | ${ratioOf(ours.cpuSeconds, theirs.cpuSeconds)} | ${ratioOf(ours.seconds, theirs.seconds)} | ${goal} | ${
          ours.peakRssMB.toFixed(0)
        } | ${theirs.peakRssMB.toFixed(0)} | ${agree} |`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  emit(records);
}

/** scipy's and fastcluster's versions, each null when it cannot be imported. */
async function pyVersions(): Promise<{ scipy: string | null; fastcluster: string | null }> {
  const version = async (module: string) => {
    if (!(await pythonHas(module))) return null;
    const out = await new Deno.Command("/usr/bin/python3", {
      args: ["-c", `import ${module}; print(${module}.__version__)`],
      stdout: "piped",
    }).output();
    return `${module} ${new TextDecoder().decode(out.stdout).trim()}`;
  };
  return { scipy: await version("scipy"), fastcluster: await version("fastcluster") };
}

if (import.meta.main) {
  if (Deno.args[0] === "--worker") {
    await worker(Deno.args[1], Deno.args[2], Number(Deno.args[3]), Number(Deno.args[4]));
  } else {
    await main();
  }
}

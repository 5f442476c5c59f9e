/**
 * Side-by-side benchmark: this library's `ldMatrix` (dosage r², one thread, WebAssembly popcount kernel)
 * vs Debian's `plink1.9 --r2 square` on the same synthetic VCF — 2,000 variants × 1,000 rats, a 3 Mb
 * window's worth, mosaics of 8 founder haplotypes as in heterogeneous-stock rats — with plink at
 * `--threads 1` and `--threads 2`.
 *
 * Run from the repository root (needs plink1.9 on the PATH):
 *
 *     deno run --allow-read --allow-write --allow-run --allow-env --allow-sys=loadavg tests/bench/ld_compare.ts
 *     BENCH_SMOKE=1 deno run --allow-read --allow-write --allow-run --allow-env --allow-sys=loadavg tests/bench/ld_compare.ts
 *
 * What is timed (median of 7 runs, interleaved so that a change of load on the shared machine hits every
 * contender alike; wall clock, and CPU time = user + system over all threads, from /usr/bin/time for
 * processes and process.cpuUsage() in process):
 * - plink: the whole process — start-up, VCF → .bed conversion, allele counts, the matrix, and writing it
 *   (text for `--r2 square`: 4 M numbers, ~45 MB; also `--r2 square bin`: 32 MB of doubles, less output
 *   work). plink computes every cell of the square; we compute the upper triangle and mirror it.
 * - ours, in process: read the VCF bytes, parse GT into one Int8Array per variant (the parser below),
 *   pack, compute the matrix (nothing written). The first ratio printed uses this. The matrix alone
 *   (packed input) and the first call in the process (cold JIT) are printed too.
 * - ours, as a process: the same in a fresh `deno run` (start-up, module loading, cold JIT), timed from
 *   outside as plink is: the second ratio printed.
 *
 * Two data sets: with 0.5% missing calls (as the bundled miniature release has), where every pair takes
 * the nine-count kernel, and with none, where complete pairs take the dot-product kernel.
 *
 * Without plink1.9 only ours is timed and its records say "peer not installed: skipped". Prints its report,
 * then its records (tests/bench/README.md): ours in process ÷ plink `--r2 square bin` at one and two threads.
 *
 * bench-flags: --allow-read --allow-write --allow-run --allow-env --allow-sys=loadavg
 *
 * @module
 */
import process from "node:process";
// The LD module itself rather than "ratgtex/analysis": the process-level run then loads only what LD needs
// (the analysis entry point also loads nodejs-polars), as plink's start-up loads only plink.
import { ldMatrix, packGenotypes } from "../../lib/analysis/genetics/ld.ts";
import { type BenchRecord, emit, record, runs as commandRuns, skippedRecord } from "./_record.ts";

/** What a VCF's GT columns hold, as the kernel takes them. */
interface VcfCalls {
  ids: string[];
  calls: Int8Array[];
  multiAllelic: boolean[];
}

/**
 * A fast VCF → Int8Array parser over the raw bytes (uncompressed VCF; `GT` first in FORMAT): ALT allele
 * count per rat, −1 for a missing or half-missing call; a site with an allele index ≥ 2 is flagged
 * multi-allelic (its calls are then meaningless and LD refuses it).
 */
export function parseVcfGenotypes(bytes: Uint8Array): VcfCalls {
  const TAB = 9, NL = 10, HASH = 35, DOT = 46, ZERO = 48;
  const len = bytes.length;
  let pos = 0;
  let ratCount = -1;
  const ids: string[] = [], calls: Int8Array[] = [], multiAllelic: boolean[] = [];
  const decoder = new TextDecoder();
  while (pos < len) {
    let end = bytes.indexOf(NL, pos);
    if (end < 0) end = len;
    if (bytes[pos] === HASH) {
      if (bytes[pos + 1] !== HASH) {
        let tabs = 0;
        for (let k = pos; k < end; k++) if (bytes[k] === TAB) tabs++;
        ratCount = tabs - 8;
      }
      pos = end + 1;
      continue;
    }
    if (end === pos) {
      pos = end + 1;
      continue;
    }
    // Fields 1–9: keep the ID (field 3).
    let field = 0, k = pos, idStart = 0, idEnd = 0;
    while (field < 9) {
      if (bytes[k] === TAB) {
        field++;
        if (field === 2) idStart = k + 1;
        if (field === 3) idEnd = k;
      }
      k++;
    }
    const out = new Int8Array(ratCount);
    let multi = false;
    for (let r = 0; r < ratCount; r++) {
      // allele 1
      let a = -1, b = -1;
      if (bytes[k] !== DOT) {
        a = 0;
        while (bytes[k] >= ZERO && bytes[k] <= ZERO + 9) a = a * 10 + bytes[k++] - ZERO;
      } else k++;
      if (bytes[k] === 47 || bytes[k] === 124) { // '/' or '|'
        k++;
        if (bytes[k] !== DOT) {
          b = 0;
          while (bytes[k] >= ZERO && bytes[k] <= ZERO + 9) b = b * 10 + bytes[k++] - ZERO;
        } else k++;
      }
      if (a > 1 || b > 1) multi = true;
      out[r] = a < 0 || b < 0 ? -1 : a + b;
      while (k < end && bytes[k] !== TAB) k++; // skip other FORMAT fields
      k++;
    }
    ids.push(decoder.decode(bytes.subarray(idStart, idEnd)));
    calls.push(out);
    multiAllelic.push(multi);
    pos = end + 1;
  }
  return { ids, calls, multiAllelic };
}

/** mulberry32. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A deterministic VCF: each rat two mosaics of 8 founder haplotypes; `missing` fraction of calls `./.`. */
function writeVcf(path: string, m: number, n: number, missing: number, seed: number): void {
  const rand = rng(seed);
  const founders = Array.from({ length: 8 }, () => new Uint8Array(m));
  for (let j = 0; j < m; j++) {
    const carriers = 1 + Math.floor(rand() * 7);
    const order = [0, 1, 2, 3, 4, 5, 6, 7].sort(() => rand() - 0.5);
    for (let c = 0; c < carriers; c++) founders[order[c]][j] = 1;
  }
  const hap = Array.from({ length: 2 * n }, () => Math.floor(rand() * 8));
  const lines = [
    "##fileformat=VCFv4.2",
    "##source=tests/bench/ld_compare.ts (synthetic)",
    "##contig=<ID=chr1>",
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"].join("\t") + "\t" +
    Array.from({ length: n }, (_, r) => `rat${r}`).join("\t"),
  ];
  for (let j = 0; j < m; j++) {
    const cells = new Array<string>(n);
    for (let r = 0; r < n; r++) {
      for (let h = 0; h < 2; h++) if (rand() < 0.01) hap[2 * r + h] = Math.floor(rand() * 8);
      cells[r] = rand() < missing ? "./." : `${founders[hap[2 * r]][j]}/${founders[hap[2 * r + 1]][j]}`;
    }
    const pos = 1_000_000 + 1500 * j;
    lines.push(`chr1\t${pos}\tchr1:${pos}\tA\tG\t.\tPASS\t.\tGT\t${cells.join("\t")}`);
  }
  Deno.writeTextFileSync(path, lines.join("\n") + "\n");
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Wall and CPU (user + system, all threads) milliseconds of one run. */
interface Timing {
  wall: number;
  cpu: number;
}

/** Run a program under /usr/bin/time (for its CPU time), or bare when that is missing (CPU then NaN). */
async function timeProcess(cmd: string, args: string[], dir: string): Promise<Timing> {
  const timed = haveTime();
  const t0 = performance.now();
  const res = await new Deno.Command(timed ? "/usr/bin/time" : cmd, {
    args: timed ? ["-f", "%U %S", "-o", `${dir}/time.txt`, cmd, ...args] : args,
    stdout: "null",
    stderr: "piped",
  }).output();
  const wall = performance.now() - t0;
  if (!res.success) throw new Error(`${cmd} failed: ${new TextDecoder().decode(res.stderr)}`);
  if (!timed) return { wall, cpu: NaN };
  const [user, sys] = Deno.readTextFileSync(`${dir}/time.txt`).trim().split("\n").pop()!.split(" ").map(Number);
  return { wall, cpu: 1000 * (user + sys) };
}

let timeChecked: boolean | undefined;
function haveTime(): boolean {
  if (timeChecked === undefined) {
    try {
      timeChecked = Deno.statSync("/usr/bin/time").isFile;
    } catch {
      timeChecked = false;
    }
  }
  return timeChecked;
}

function plinkArgs(vcf: string, out: string, threads: number, bin: boolean): string[] {
  const r2 = ["--r2", "square", ...(bin ? ["bin"] : [])];
  return ["--vcf", vcf, "--double-id", "--allow-extra-chr", ...r2, "--threads", String(threads), "--out", out];
}

/** Ours in this process: read + parse + pack + matrix (and the matrix alone); CPU from process.cpuUsage(). */
function oursInProcess(vcf: string): { all: Timing; kernel: Timing; r2: Float64Array } {
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const t0 = performance.now(), c0 = cpu();
  const parsed = parseVcfGenotypes(Deno.readFileSync(vcf));
  const variants = parsed.calls.map((calls, i) => ({ calls, id: parsed.ids[i], multiAllelic: parsed.multiAllelic[i] }));
  const packed = packGenotypes(variants);
  const t1 = performance.now(), c1 = cpu();
  const ld = ldMatrix(packed);
  const t2 = performance.now(), c2 = cpu();
  return { all: { wall: t2 - t0, cpu: c2 - c0 }, kernel: { wall: t2 - t1, cpu: c2 - c1 }, r2: ld.r2 };
}

function loadavg(): string {
  try {
    return Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  } catch {
    return "unknown (run with --allow-sys=loadavg)";
  }
}

async function main(): Promise<void> {
  const smoke = Deno.env.get("BENCH_SMOKE") === "1" || Deno.args.includes("--smoke");
  const m = smoke ? 200 : 2000, n = smoke ? 100 : 1000, reps = smoke ? 1 : 7;
  const dir = await Deno.makeTempDir({ prefix: "ratgtex-ld-bench-" });
  console.log(
    `LD matrix: ${m} variants × ${n} rats; median of ${reps} interleaved runs; ${navigator.hardwareConcurrency} ` +
      `cores; load average ${loadavg()}`,
  );
  console.log("ours: one thread (ldMatrix, WebAssembly kernel); plink1.9 --r2 square at --threads 1 and 2");
  console.log("wall = elapsed; cpu = user + system of every thread (less sensitive to other load on the machine)\n");
  const self = new URL(import.meta.url).pathname;
  const hasPlink = await commandRuns("plink1.9", ["--version"]);
  const records: Omit<BenchRecord, "bench">[] = [];
  try {
    for (const [label, missing] of [["0.5% missing calls", 0.005], ["no missing calls", 0]] as const) {
      const vcf = `${dir}/bench.vcf`;
      writeVcf(vcf, m, n, missing, 7);
      console.log(`— ${label} (${(Deno.statSync(vcf).size / 1e6).toFixed(1)} MB VCF)`);
      const caseName = (threads: number) =>
        `LD r² matrix, ${m.toLocaleString("en-US")} variants × ${n.toLocaleString("en-US")} rats, ${label}: ` +
        `ours in process vs plink --threads ${threads}`;
      const base = {
        unit: "ms",
        peerName: "plink1.9 --r2 square bin",
        quantity: "wall time",
        better: "lower" as const,
      };
      if (!hasPlink) {
        const ours = oursInProcess(vcf).all;
        console.log(`  ours (in process) wall ${ours.wall.toFixed(0)} ms; plink1.9: not installed`);
        for (const threads of [1, 2]) {
          records.push(
            skippedRecord({ ...base, case: caseName(threads), ours: ours.wall, why: "apt-get install plink1.9" }),
          );
        }
        continue;
      }
      const runs: Record<string, Timing[]> = {};
      const add = (key: string, t: Timing) => (runs[key] ??= []).push(t);
      let identical = true;
      const first = oursInProcess(vcf).all; // the first call: JIT cold, the kernel compiled
      for (let k = 0; k < reps; k++) {
        for (const threads of [1, 2]) {
          for (const bin of [false, true]) {
            add(
              `${bin ? "bin" : "text"}${threads}`,
              await timeProcess("plink1.9", plinkArgs(vcf, `${dir}/p`, threads, bin), dir),
            );
          }
        }
        const plinkR2 = new Float64Array(Deno.readFileSync(`${dir}/p.ld.bin`).buffer);
        const ours = oursInProcess(vcf);
        identical &&= plinkR2.length === ours.r2.length && ours.r2.every((v, i) => Object.is(v, plinkR2[i]));
        add("ours", ours.all);
        add("kernel", ours.kernel);
        add("proc", await timeProcess(Deno.execPath(), ["run", "--allow-read", self, "--worker", vcf], dir));
      }
      const med = (key: string): Timing => ({
        wall: median(runs[key].map((t) => t.wall)),
        cpu: median(runs[key].map((t) => t.cpu)),
      });
      const row = (name: string, t: Timing) =>
        console.log(
          `  ${name.padEnd(60)} wall ${t.wall.toFixed(0).padStart(5)} ms   cpu ${t.cpu.toFixed(0).padStart(5)} ms`,
        );
      row("plink1.9 --r2 square      --threads 1 (process)", med("text1"));
      row("plink1.9 --r2 square      --threads 2 (process)", med("text2"));
      row("plink1.9 --r2 square bin  --threads 1 (process)", med("bin1"));
      row("plink1.9 --r2 square bin  --threads 2 (process)", med("bin2"));
      row("ours: read + parse VCF + pack + matrix (in process)", med("ours"));
      row("ours: matrix only (packed input, in process)", med("kernel"));
      row("ours: as a process (deno run: start-up, read, parse, matrix)", med("proc"));
      row("ours: in process, first call (cold JIT, kernel compiled)", first);
      console.log(`  our r2 identical to plink's --r2 square bin doubles: ${identical ? "yes" : "NO"}`);
      console.log("  ours ÷ plink, time: lower is better (wall; ours in process / ours as a process)");
      for (const threads of [1, 2]) {
        const ratio = (ours: string, theirs: string) => (med(ours).wall / med(theirs).wall).toFixed(2);
        console.log(
          `    --threads ${threads}: vs --r2 square ${ratio("ours", `text${threads}`)}× / ${
            ratio("proc", `text${threads}`)
          }×;  vs --r2 square bin ${ratio("ours", `bin${threads}`)}× / ${ratio("proc", `bin${threads}`)}×`,
        );
        records.push(record({
          ...base,
          case: caseName(threads),
          ours: med("ours").wall,
          peer: med(`bin${threads}`).wall,
          note: `median of ${reps} interleaved runs; vs --r2 square (text) ${ratio("ours", `text${threads}`)}; ` +
            `ours as a process ${ratio("proc", `bin${threads}`)}; r² identical to plink's: ${identical ? "yes" : "NO"}`,
        }));
      }
      console.log();
    }
    console.log(`load average at the end ${loadavg()}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  emit(records);
}

if (Deno.args[0] === "--worker") {
  // ours as a whole process, timed from outside (start-up included)
  const parsed = parseVcfGenotypes(Deno.readFileSync(Deno.args[1]));
  const ld = ldMatrix(parsed.calls.map((calls, i) => ({ calls, multiAllelic: parsed.multiAllelic[i] })));
  console.log(ld.undefinedPairs);
} else if (import.meta.main) {
  await main();
}

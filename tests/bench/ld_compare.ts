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
 * What is timed (wall clock, median of the repetitions):
 * - plink: the whole process — start-up, VCF → .bed conversion, allele counts, the matrix, and writing it
 *   (text for `--r2 square`: 4 M numbers, ~45 MB; also `--r2 square bin`: 32 MB of doubles, less output
 *   work). plink computes every cell of the square; we compute the upper triangle and mirror it.
 * - ours, in process: read the VCF bytes, parse GT into one Int8Array per variant (the parser below),
 *   pack, compute the matrix (nothing written). The ratio uses this. "kernel only" (packed input, no
 *   parsing) is printed too.
 * - ours, as a process: the same in a fresh `deno run` (start-up and a cold JIT included), like plink's.
 *
 * Two data sets: with 0.5% missing calls (as the bundled miniature release has), where every pair takes
 * the nine-count kernel, and with none, where complete pairs take the dot-product kernel.
 *
 * @module
 */
import { ldMatrix, packGenotypes } from "../../lib/analysis/genetics/ld.ts";

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

async function timePlink(vcf: string, out: string, threads: number, bin: boolean): Promise<number> {
  const args = ["--vcf", vcf, "--double-id", "--allow-extra-chr", "--r2", "square", ...(bin ? ["bin"] : [])];
  const t0 = performance.now();
  const res = await new Deno.Command("plink1.9", {
    args: [...args, "--threads", String(threads), "--out", out],
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (!res.success) throw new Error(`plink1.9 failed: ${new TextDecoder().decode(res.stderr)}`);
  return ms;
}

function oursInProcess(vcf: string): { ms: number; kernelMs: number; r2: Float64Array } {
  const t0 = performance.now();
  const parsed = parseVcfGenotypes(Deno.readFileSync(vcf));
  const variants = parsed.calls.map((calls, i) => ({ calls, id: parsed.ids[i], multiAllelic: parsed.multiAllelic[i] }));
  const packed = packGenotypes(variants);
  const t1 = performance.now();
  const ld = ldMatrix(packed);
  const t2 = performance.now();
  return { ms: t2 - t0, kernelMs: t2 - t1, r2: ld.r2 };
}

async function oursAsProcess(vcf: string): Promise<number> {
  const t0 = performance.now();
  const res = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", new URL(import.meta.url).pathname, "--worker", vcf],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (!res.success) throw new Error(`worker failed: ${new TextDecoder().decode(res.stderr)}`);
  return ms;
}

function loadavg(): string {
  try {
    return Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  } catch {
    return "unknown";
  }
}

async function main(): Promise<void> {
  const smoke = Deno.env.get("BENCH_SMOKE") === "1" || Deno.args.includes("--smoke");
  const m = smoke ? 200 : 2000, n = smoke ? 100 : 1000, reps = smoke ? 1 : 5;
  const dir = await Deno.makeTempDir({ prefix: "ratgtex-ld-bench-" });
  const cores = navigator.hardwareConcurrency;
  console.log(`LD matrix: ${m} variants × ${n} rats; median of ${reps}; ${cores} cores; load average ${loadavg()}`);
  console.log("ours: one thread (ldMatrix, WebAssembly kernel); plink1.9 --r2 square at --threads 1 and 2\n");
  try {
    for (const [label, missing] of [["0.5% missing calls", 0.005], ["no missing calls", 0]] as const) {
      const vcf = `${dir}/bench.vcf`;
      writeVcf(vcf, m, n, missing, 7);
      const size = Deno.statSync(vcf).size;
      console.log(`— ${label} (${(size / 1e6).toFixed(1)} MB VCF)`);
      // plink
      const plinkMs: Record<string, number> = {};
      let plinkR2: Float64Array | null = null;
      for (const threads of [1, 2]) {
        for (const bin of [false, true]) {
          const times: number[] = [];
          for (let k = 0; k < reps; k++) times.push(await timePlink(vcf, `${dir}/p`, threads, bin));
          plinkMs[`${bin ? "bin" : "text"}${threads}`] = median(times);
          if (bin && !plinkR2) plinkR2 = new Float64Array(Deno.readFileSync(`${dir}/p.ld.bin`).buffer);
        }
      }
      // ours in process (the first repetition includes the JIT warming up and compiling the kernel)
      const runs = Array.from({ length: reps + 1 }, () => oursInProcess(vcf));
      const first = runs[0];
      const warm = runs.slice(reps > 1 ? 1 : 0);
      const ours = median(warm.map((r) => r.ms)), kernel = median(warm.map((r) => r.kernelMs));
      const identical = plinkR2 !== null && plinkR2.length === first.r2.length &&
        first.r2.every((v, k) => Object.is(v, plinkR2![k]));
      const procTimes: number[] = [];
      for (let k = 0; k < reps; k++) procTimes.push(await oursAsProcess(vcf));
      const proc = median(procTimes);
      const row = (name: string, ms: number) => console.log(`  ${name.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms`);
      row("plink1.9 --r2 square         --threads 1 (process)", plinkMs.text1);
      row("plink1.9 --r2 square         --threads 2 (process)", plinkMs.text2);
      row("plink1.9 --r2 square bin     --threads 1 (process)", plinkMs.bin1);
      row("plink1.9 --r2 square bin     --threads 2 (process)", plinkMs.bin2);
      row("ours: read + parse VCF + pack + matrix (in process, warm)", ours);
      row("ours: the same, first run in the process (cold JIT)", first.ms);
      row("ours: matrix only (packed input)", kernel);
      row("ours: as a process (deno run: start-up, parse, matrix)", proc);
      console.log(`  our r2 identical to plink's --r2 square bin doubles: ${identical ? "yes" : "NO"}`);
      console.log("  ours ÷ plink, time: lower is better");
      for (const threads of [1, 2]) {
        console.log(
          `    --threads ${threads}: in process ${(ours / plinkMs[`text${threads}`]).toFixed(2)}× (vs bin ${
            (ours / plinkMs[`bin${threads}`]).toFixed(2)
          }×); as a process ${(proc / plinkMs[`text${threads}`]).toFixed(2)}× (vs bin ${
            (proc / plinkMs[`bin${threads}`]).toFixed(2)
          }×)`,
        );
      }
      console.log();
    }
    console.log(`load average at the end ${loadavg()}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (Deno.args[0] === "--worker") {
  const parsed = parseVcfGenotypes(Deno.readFileSync(Deno.args[1]));
  const ld = ldMatrix(parsed.calls.map((calls, i) => ({ calls, multiAllelic: parsed.multiAllelic[i] })));
  console.log(ld.undefinedPairs);
} else if (import.meta.main) {
  await main();
}

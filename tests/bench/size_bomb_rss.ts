/**
 * Peak memory of a client fed size bombs: a hostile server on 127.0.0.1 (in this process) sends an endless
 * body (up to 1 GiB) and a gzip bomb (1 GiB of spaces in one gzip member of about 1 MB); for each, a child process that
 * only runs the client asks once and reports its peak RSS (`VmHWM` from /proc/self/status) before and after.
 * Linux only. `sizeBombPeaks` is also what tests/reliability_hostile_test.ts runs.
 *
 * Run: deno run -A tests/bench/size_bomb_rss.ts [maxResponseBytes, default 64 MiB] (`--smoke`: a 64 MiB gzip
 * bomb instead of 1 GiB). No peer: absolute figures. Prints its report, then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-all
 *
 * (--allow-all: the child reads its peak RSS from /proc/self/status, which Deno grants only with it.)
 */
import { startHostile, streamOf } from "../support/reliability.ts";
import { argsWithoutSmoke, emit, isSmoke, record } from "./_record.ts";

const MOD = new URL("../../mod.ts", import.meta.url).href;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

/** The child: load the library, note the peak so far, ask once, note the peak again. */
const CHILD = `
import * as rg from ${JSON.stringify(MOD)};
const hwm = () => Number(/VmHWM:\\s+(\\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"))[1]) * 1024;
const [source, limit] = Deno.args;
const client = rg.createClient({ source, cache: false, retries: 0, progress: false, checkGenes: false, ...(limit ? { maxResponseBytes: Number(limit) } : {}) });
const before = hwm();
const t0 = performance.now();
const error = await rg.gene(["bomb"], { client }).then(() => null, (e) => e);
console.log(JSON.stringify({ before, after: hwm(), ms: performance.now() - t0, error: error?.name ?? null, requests: client.stats.requests }));
`;

/** One bomb's measurement. */
export interface BombPeak {
  bomb: string;
  limitBytes: number;
  /** Peak RSS after loading the library, before the request. */
  beforeBytes: number;
  /** Peak RSS after the request failed. */
  afterBytes: number;
  ms: number;
  error: string | null;
  requests: number;
}

/** One gzip member of `bytes` spaces, compressed as a stream (never `bytes` in memory). */
async function gzipBomb(bytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const spaces = streamOf(new Uint8Array(2 ** 20).fill(0x20), bytes / 2 ** 20, new AbortController().signal);
  const gzip = new CompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;
  return new Uint8Array(await new Response(spaces.pipeThrough(gzip)).arrayBuffer());
}

/**
 * Measure each bomb against a child client with `limitBytes` (undefined: the default): an endless body of
 * up to 1 GiB, and `gzipBytes` (default 1 GiB) of spaces in one gzip member.
 */
export async function sizeBombPeaks(limitBytes?: number, gzipBytes = 2 ** 30): Promise<BombPeak[]> {
  const bomb = await gzipBomb(gzipBytes);
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(script, CHILD);
  const server = await startHostile((request, signal) => {
    if (request.url.includes("gzip")) {
      return new Response(bomb, { headers: { "content-encoding": "gzip" } });
    }
    return new Response(streamOf(new Uint8Array(64 * 1024).fill(0x5b), 16 * 1024, signal));
  });
  const out: BombPeak[] = [];
  try {
    for (const bomb of ["endless", "gzip"]) {
      const run = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--config",
          CONFIG,
          script,
          `${server.origin}/${bomb}/api/v4`,
          ...(limitBytes ? [String(limitBytes)] : []),
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(run.stdout).trim().split("\n").at(-1) ?? "";
      if (!run.success) throw new Error(`child failed: ${new TextDecoder().decode(run.stderr)}`);
      const r = JSON.parse(text);
      out.push({
        bomb,
        limitBytes: limitBytes ?? 64 * 2 ** 20,
        beforeBytes: r.before,
        afterBytes: r.after,
        ms: r.ms,
        error: r.error,
        requests: r.requests,
      });
    }
  } finally {
    await server.close();
    await Deno.remove(script);
  }
  return out;
}

if (import.meta.main) {
  const smoke = isSmoke();
  const args = argsWithoutSmoke();
  const limit = args[0] ? Number(args[0]) : undefined;
  const MiB = 2 ** 20;
  const peaks = await sizeBombPeaks(limit, smoke ? 64 * MiB : 2 ** 30);
  for (const p of peaks) {
    console.log(
      `${p.bomb}: limit ${p.limitBytes / MiB} MiB → ${p.error} after ${p.requests} request(s), ${
        p.ms.toFixed(0)
      } ms; ` +
        `peak RSS ${(p.beforeBytes / MiB).toFixed(0)} MiB before, ${(p.afterBytes / MiB).toFixed(0)} MiB after ` +
        `(+${((p.afterBytes - p.beforeBytes) / MiB).toFixed(0)} MiB)`,
    );
  }
  emit(peaks.map((p) =>
    record({
      case: `client fed ${p.bomb === "gzip" ? "a gzip bomb" : "an endless body"}, limit ${p.limitBytes / MiB} MiB: ` +
        "peak RSS growth",
      unit: "MiB",
      ours: (p.afterBytes - p.beforeBytes) / MiB,
      quantity: "memory",
      better: "lower",
      note: `${p.error} after ${p.requests} request(s), ${p.ms.toFixed(0)} ms`,
    })
  ));
}

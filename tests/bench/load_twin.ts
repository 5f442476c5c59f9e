/**
 * Load on the twin server: `clients` concurrent HTTP clients on 127.0.0.1, each asking a mix of routes in a
 * loop for a bounded time (the loop stops by itself; every request also has its own time limit), counting
 * errors and measuring requests per second and latency quantiles.
 *
 * `deno run --allow-read --allow-net=127.0.0.1 --allow-run tests/bench/load_twin.ts [seconds=10] [clients=200]`
 * runs the twin in a child process (`ratgtex serve`, so server and clients each get a core) and
 * loads it for 10 s; the short form (3 s, in-process) runs in `tests/e2e/reliability_load_test.ts`. `--smoke`:
 * 2 s, 10 clients. No peer: absolute figures. Prints its report, then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-read --allow-net=127.0.0.1 --allow-run
 *
 * @module
 */
import { argsWithoutSmoke, emit, isSmoke, record } from "./_record.ts";

/** Paths asked, round-robin: light and heavy routes, the worked example, a clustering. */
export const LOAD_PATHS: readonly string[] = [
  "tissueInfo",
  "gene?geneId=Cd300lf,Eno1",
  "eqtl?geneId=Cd300lf",
  "variant?variantId=chr10:100826333",
  "dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=chr10:100826333",
  "topExpressedGene?tissueSiteDetailId=IL",
  "singleTissueEqtl?geneId=Cd300lf",
  "medianGeneExpression?geneId=Polr3k,Rtel1,Eno1",
  "geneExpression?geneId=Cd300lf",
];

/** What a load run measured. */
export interface LoadReport {
  /** Concurrent clients. */
  clients: number;
  /** Duration asked, in ms. */
  durationMs: number;
  /** Wall time until the last client stopped, in ms. */
  elapsedMs: number;
  /** Requests completed (answered or failed). */
  requests: number;
  /** Requests that failed: a network error, a non-200 status, or a body that is not the whole JSON answer. */
  errors: number;
  /** The first few error descriptions. */
  errorSamples: string[];
  /** Requests per second. */
  rps: number;
  /** Latency quantiles, in ms. */
  p50: number;
  p99: number;
  max: number;
  /** Bytes of answers received. */
  bytes: number;
}

/** Nearest-rank quantile of sorted values. */
function q(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/**
 * Load `baseUrl` with `clients` concurrent loops for `durationMs`. Each loop sends one request at a time
 * and stops at the deadline; each request is limited to `requestTimeoutMs`, so the run cannot hang.
 */
export async function runLoad(
  baseUrl: string,
  options: { clients?: number; durationMs?: number; requestTimeoutMs?: number } = {},
): Promise<LoadReport> {
  const clients = options.clients ?? 200;
  const durationMs = options.durationMs ?? 10_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0, bytes = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async (k: number) => {
    for (let i = k; performance.now() < deadline; i += clients) {
      const path = LOAD_PATHS[i % LOAD_PATHS.length];
      const t0 = performance.now();
      try {
        const res = await fetch(`${baseUrl}/${path}`, { signal: AbortSignal.timeout(requestTimeoutMs) });
        const text = await res.text();
        bytes += text.length;
        // Whole answers only: status 200 and the server's closing "}\n".
        if (res.status !== 200 || !text.endsWith("}\n")) throw new Error(`HTTP ${res.status}, ${text.length} chars`);
      } catch (e) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${path}: ${e instanceof Error ? e.message : e}`);
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, k) => loop(k)));
  const elapsedMs = performance.now() - started;
  const sorted = Float64Array.from(latencies).sort();
  return {
    clients,
    durationMs,
    elapsedMs,
    requests: latencies.length,
    errors,
    errorSamples,
    rps: latencies.length / (elapsedMs / 1000),
    p50: q(sorted, 0.5),
    p99: q(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    bytes,
  };
}

/** One line for humans. */
export function formatLoad(r: LoadReport, where: string): string {
  return `load (${where}): ${r.clients} concurrent clients for ${(r.durationMs / 1000).toFixed(0)} s: ` +
    `${r.requests.toLocaleString("en")} requests, ${r.errors} errors, ${
      Math.round(r.rps).toLocaleString("en")
    } requests/s, ` +
    `latency p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, ` +
    `${(r.bytes / 1e6).toFixed(0)} MB received`;
}

if (import.meta.main) {
  const smoke = isSmoke();
  const args = argsWithoutSmoke();
  const seconds = Number(args[0] ?? (smoke ? 2 : 10));
  const clients = Number(args[1] ?? (smoke ? 10 : 200));
  const cli = new URL("../../lib/cli/main.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-net=127.0.0.1", cli, "serve", "--port", "0"],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  let text = "";
  let baseUrl: string | undefined;
  while (!baseUrl) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the twin did not start: ${text}`);
    text += new TextDecoder().decode(value);
    baseUrl = /^(http:\/\/127\.0\.0\.1:\d+\/api\/v4)$/m.exec(text)?.[1];
  }
  try {
    const report = await runLoad(baseUrl, { clients, durationMs: seconds * 1000 });
    console.log(formatLoad(report, "twin in a child process"));
    if (report.errors > 0) console.log("errors:", report.errorSamples);
    const what = `twin (child process) under ${clients} concurrent clients for ${seconds} s`;
    const note = `${report.requests} requests, ${report.errors} errors`;
    emit([
      record({
        case: `${what}: throughput`,
        unit: "requests/s",
        ours: report.rps,
        quantity: "rate",
        better: "higher",
        note,
      }),
      record({
        case: `${what}: latency p99`,
        unit: "ms",
        ours: report.p99,
        quantity: "latency",
        better: "lower",
        note,
      }),
    ]);
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await reader.cancel();
  }
}

/**
 * The twin's own HTTP server against `Deno.serve` (what served the twin before), in one run, each twin in
 * its own child process:
 *
 * 1. load: `clients` concurrent loopback clients for `seconds` (requests/s: higher is better; p99: lower);
 * 2. the descriptor attack: 1,100 half-sent requests against a twin limited to 1,024 descriptors
 *    (`prlimit`): does it survive, does a normal client get an answer during and after, peak RSS;
 * 3. the issue's expensive query (`medianGeneExpression`, 61 genes × 768 tissue IDs): the time of the work
 *    the twin did for it before (its two trees, computed here in-process) and of the twin's answer now (414
 *    naming the cap): time ratio now ÷ before, lower is better.
 *
 * `deno run -A tests/bench/twin_server_compare.ts [seconds=5] [clients=100]`; `BENCH_SMOKE=1` (or `--smoke`):
 * 1 s, 50 clients, and the expensive query's "before" on 384 tissue IDs instead of 768 (a few seconds).
 * Machine load is printed first: the 2 cores are shared, ratios in one run are what to read.
 *
 * Prints its report, then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-all
 *
 * (--allow-all: the children's peak RSS is read from /proc/<pid>/status, which Deno grants only with it.)
 *
 * @module
 */
import { runLoad } from "./load_twin.ts";
import { emit, record } from "./_record.ts";
import { serverTree } from "ratgtex/analysis";
import { createTwin, loadUniverse } from "ratgtex/offline";

const smoke = Deno.env.get("BENCH_SMOKE") === "1" || Deno.args.includes("--smoke");
const args = Deno.args.filter((a) => a !== "--smoke");
const seconds = smoke ? 1 : Number(args[0] ?? 5);
const clients = smoke ? 50 : Number(args[1] ?? 100);
const REPO = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const encoder = new TextEncoder();

const DENO_SERVE_SCRIPT = `
import { createTwin } from ${JSON.stringify(`${REPO}/lib/offline/twin.ts`)};
const twin = await createTwin();
Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: (a) => console.log("http://127.0.0.1:" + a.port + "/api/v4") },
  twin.handler);
`;

interface Child {
  baseUrl: string;
  port: number;
  pid: number;
  exited: () => boolean;
  peakKb: () => number;
  stop: () => Promise<void>;
}

async function start(kind: "Deno.serve" | "own server", nofile?: number): Promise<Child> {
  let script = `${REPO}/lib/cli/main.ts`;
  const extra = kind === "own server" ? ["serve", "--port", "0"] : [];
  if (kind === "Deno.serve") {
    script = await Deno.makeTempFile({ suffix: ".ts" });
    await Deno.writeTextFile(script, DENO_SERVE_SCRIPT);
  }
  const deno = [
    Deno.execPath(),
    "run",
    "--config",
    `${REPO}/deno.json`,
    "--allow-read",
    "--allow-net=127.0.0.1",
    script,
  ];
  const cmd = nofile === undefined
    ? [...deno, ...extra]
    : ["prlimit", `--nofile=${nofile}:${nofile}`, ...deno, ...extra];
  const child = new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd: REPO,
    stdout: "piped",
    stderr: "null",
    env: { NO_COLOR: "1" },
  }).spawn();
  let exited = false;
  const status = child.status.then(() => (exited = true));
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  const baseUrl = out.split("\n")[0];
  return {
    baseUrl,
    port: Number(new URL(baseUrl).port),
    pid: child.pid,
    exited: () => exited,
    peakKb: () => {
      try {
        return Number(/VmHWM:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${child.pid}/status`))?.[1] ?? NaN);
      } catch {
        return NaN;
      }
    },
    stop: async () => {
      if (!exited) child.kill("SIGTERM");
      await status;
      if (kind === "Deno.serve") await Deno.remove(script).catch(() => {});
    },
  };
}

async function get(url: string, ms = 15_000): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(ms) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

console.log(`machine: ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")} load average, smoke=${smoke}`);

// 1. Load.
const load: Record<string, { rps: number; p99: number; errors: number }> = {};
for (const kind of ["Deno.serve", "own server"] as const) {
  const child = await start(kind);
  try {
    const r = await runLoad(child.baseUrl, { clients, durationMs: seconds * 1000 });
    load[kind] = { rps: r.rps, p99: r.p99, errors: r.errors };
    console.log(
      `load, ${kind}: ${clients} clients × ${seconds} s: ${Math.round(r.rps)} requests/s, p50 ${
        r.p50.toFixed(1)
      } ms, ` +
        `p99 ${r.p99.toFixed(1)} ms, ${r.errors} errors`,
    );
  } finally {
    await child.stop();
  }
}
console.log(
  `load ratio own server ÷ Deno.serve: requests/s ${(load["own server"].rps / load["Deno.serve"].rps).toFixed(2)} ` +
    `(higher is better), p99 ${(load["own server"].p99 / load["Deno.serve"].p99).toFixed(2)} (lower is better)`,
);

// 2. The descriptor attack.
const attack: Record<string, string> = {};
for (const kind of ["Deno.serve", "own server"] as const) {
  const child = await start(kind, 1024);
  const conns: Deno.Conn[] = [];
  try {
    const head = encoder.encode(`GET /api/v4/tissueInfo HTTP/1.1\r\nHost: 127.0.0.1:${child.port}\r\nX-Half: `);
    for (let i = 0; i < 1100; i++) {
      try {
        const c = await Deno.connect({ hostname: "127.0.0.1", port: child.port });
        await c.write(head).catch(() => 0);
        conns.push(c);
      } catch {
        // refused: the listener is gone
      }
    }
    const during = await get(`${child.baseUrl}/gene?geneId=Cd300lf`);
    for (const c of conns.splice(0)) {
      try {
        c.close();
      } catch {
        // closed by the server
      }
    }
    const after = await get(`${child.baseUrl}/gene?geneId=Cd300lf`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    attack[kind] = `${child.exited() ? "died" : "survived"}, normal request during ${during || "no answer"}`;
    console.log(
      `descriptor attack, ${kind} (1,024 descriptors, 1,100 half-sent requests): ` +
        `${child.exited() ? "DIED" : "survived"}; a normal request during: ${during || "no answer"}, after: ` +
        `${after || "no answer"}; peak RSS ${
          Number.isNaN(child.peakKb()) ? "n/a (process gone)" : `${(child.peakKb() / 1024).toFixed(0)} MiB`
        }`,
    );
  } finally {
    for (const c of conns) {
      try {
        c.close();
      } catch {
        // closed
      }
    }
    await child.stop();
  }
}

// 3. The expensive query: the work it cost before, and the twin's answer now.
const u = await loadUniverse();
const genes = [...u.genes.keys()];
const tissueIds = u.tissues.map((t) => t.tissueSiteDetailId).filter((t) => t !== "Adipose");
const nTissues = smoke ? 384 : 768;
const tissues = Array.from({ length: nTissues }, (_, i) => tissueIds[i % tissueIds.length]);
const twin = await createTwin();
const medians = (await (await twin.handler(
  new Request(`http://twin/api/v4/medianGeneExpression?geneId=${genes.join(",")}&tissueSiteDetailId=${tissueIds}`),
)).json()).medianGeneExpression as { geneId: string; tissueSiteDetailId: string; median: number }[];
const value = new Map(medians.map((r) => [`${r.geneId}\t${r.tissueSiteDetailId}`, r.median]));
const rows = genes.map((g) => tissues.map((t) => value.get(`${g}\t${t}`)!));
let t0 = performance.now();
serverTree(rows, genes);
serverTree(tissues.map((_, j) => rows.map((r) => r[j])), tissues);
const before = performance.now() - t0;
const url = `http://twin/api/v4/medianGeneExpression?geneId=${genes.join(",")}&tissueSiteDetailId=${tissues.join(",")}`;
t0 = performance.now();
const res = await twin.handler(new Request(url));
await res.text();
const now = performance.now() - t0;
console.log(
  `expensive query, ${genes.length} genes × ${nTissues} tissue IDs (${url.length - 11} bytes of path): ` +
    `the two trees the twin built before ${before.toFixed(0)} ms; the twin's answer now HTTP ${res.status} in ` +
    `${now.toFixed(2)} ms; time ratio now ÷ before ${(now / before).toExponential(2)} (lower is better)`,
);
const loadCase = `twin under ${clients} concurrent loopback clients for ${seconds} s`;
const peerName = "the same twin behind Deno.serve";
emit([
  record({
    case: `${loadCase}: throughput (own HTTP server)`,
    unit: "requests/s",
    ours: load["own server"].rps,
    peer: load["Deno.serve"].rps,
    peerName,
    quantity: "rate",
    better: "higher",
    note: `errors ${load["own server"].errors} vs ${load["Deno.serve"].errors}; descriptor attack: own server ${
      attack["own server"]
    }, Deno.serve ${attack["Deno.serve"]}`,
  }),
  record({
    case: `${loadCase}: latency p99 (own HTTP server)`,
    unit: "ms",
    ours: load["own server"].p99,
    peer: load["Deno.serve"].p99,
    peerName,
    quantity: "latency",
    better: "lower",
  }),
  record({
    case: `medianGeneExpression with ${nTissues} tissue IDs: the twin's answer now (414) vs the trees it built before`,
    unit: "ms",
    ours: now,
    peer: before,
    peerName: "the work the same query cost before (two serverTree calls)",
    quantity: "time",
    better: "lower",
  }),
]);

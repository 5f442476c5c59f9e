/**
 * Conversion cost of a large `singleTissueEqtl` answer: JSON text → polars DataFrame, against a bare
 * `JSON.parse` of the same text (the floor any JSON client pays). The text is the twin's own answer for
 * the gene with the most significant pairs, padded by its `large` fault to ≥ 200,000 rows.
 *
 * Timings (the machine is shared and noisy: the three are interleaved round by round, and the median and
 * the minimum over the rounds are both reported):
 * - `JSON.parse`: the bare parse;
 * - `convert`: `parseApiJson` + `singleTissueEqtlFrame`, i.e. what the route does with the text;
 * - `frame only`: `singleTissueEqtlFrame` on the already parsed answer;
 * - `route call`: `singleTissueEqtl()` end to end on a client whose `fetch` returns the text at once
 *   (no network, no cache): the conversion plus what the client itself does with the body.
 *
 * Run: deno run --allow-read --allow-env --allow-ffi --allow-sys tests/bench/convert_bench.ts [rows] [rounds]
 * (`--smoke`: 5,000 rows, 3 rounds). Prints its report, then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-read --allow-env --allow-ffi --allow-sys
 */
import { createClient, singleTissueEqtl } from "ratgtex";
import { parseApiJson } from "../../lib/_core/json_read.ts";
import { singleTissueEqtlFrame } from "../../lib/api/qtl.ts";
import { createTwin, loadUniverse } from "ratgtex/offline";
import { argsWithoutSmoke, emit, isSmoke, record } from "./_record.ts";

const smoke = isSmoke();
const args = argsWithoutSmoke();
const rows = Number(args[0] ?? (smoke ? 5_000 : 250_000));
const rounds = Number(args[1] ?? (smoke ? 3 : 15));

// The `large` fault pads the answer; fault injection is opt-in on a twin.
const twin = await createTwin({ faultInjection: true });
const busiest = [...(await loadUniverse()).significant].sort((a, b) => b[1].length - a[1].length)[0][0];
twin.inject({ route: "singleTissueEqtl", faults: [{ kind: "large", rows }] });
const text = await (await twin.handler(new Request(`http://twin/api/v4/singleTissueEqtl?geneId=${busiest}`))).text();
const parsed = parseApiJson(text);

const client = createClient({
  source: "http://bench.invalid/api/v4",
  cache: false,
  progress: false,
  checkGenes: false,
  fetch: () => Promise.resolve(new Response(text, { headers: { "content-type": "application/json" } })),
});

const tasks: [string, () => unknown][] = [
  ["JSON.parse", () => JSON.parse(text)],
  ["convert", () => singleTissueEqtlFrame(parseApiJson(text))],
  ["frame only", () => singleTissueEqtlFrame(parsed)],
  ["route call", () => singleTissueEqtl(busiest, { client })],
];

const frame = singleTissueEqtlFrame(parsed);
console.log(
  `singleTissueEqtl answer for ${busiest}: ${frame.height.toLocaleString("en")} rows × ${frame.width} columns, ` +
    `${(text.length / 1e6).toFixed(1)} MB of JSON; ${rounds} interleaved rounds after a warm-up`,
);
for (const [, fn] of tasks) await fn(); // warm-up
const times = new Map<string, number[]>(tasks.map(([label]) => [label, []]));
for (let r = 0; r < rounds; r++) {
  for (const [label, fn] of tasks) {
    const t0 = performance.now();
    await fn();
    times.get(label)!.push(performance.now() - t0);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stat = new Map([...times].map(([label, ms]) => [label, { median: median(ms), min: Math.min(...ms) }]));
for (const [label, s] of stat) {
  console.log(
    `${label.padEnd(11)} median ${s.median.toFixed(1).padStart(7)} ms   min ${s.min.toFixed(1).padStart(7)} ms`,
  );
}
const ratio = (a: string, b: string) => {
  const x = stat.get(a)!, y = stat.get(b)!;
  return `${(x.median / y.median).toFixed(2)}× (medians), ${(x.min / y.min).toFixed(2)}× (minima)`;
};
const met = (a: string, b: string, goal: number) => {
  const x = stat.get(a)!, y = stat.get(b)!;
  return `goal ≤ ${goal}× ${
    x.median / y.median <= goal && x.min / y.min <= goal ? "met" : "NOT met"
  } (both medians and minima)`;
};
console.log(`convert / JSON.parse:    ${ratio("convert", "JSON.parse")}   ${met("convert", "JSON.parse", 1.25)}`);
console.log(`route call / JSON.parse: ${ratio("route call", "JSON.parse")}`);
const size = `${frame.height.toLocaleString("en-US")} singleTissueEqtl rows`;
const minima = (a: string, b: string) => (stat.get(a)!.min / stat.get(b)!.min).toFixed(2);
emit([
  record({
    case: `JSON → DataFrame (parse + frame), ${size}`,
    unit: "ms",
    ours: stat.get("convert")!.median,
    peer: stat.get("JSON.parse")!.median,
    peerName: "bare JSON.parse",
    quantity: "time (median of interleaved rounds)",
    better: "lower",
    goal: 1.25,
    note: `${rounds} rounds; ratio of minima ${minima("convert", "JSON.parse")}`,
  }),
  record({
    case: `singleTissueEqtl route call (no network), ${size}`,
    unit: "ms",
    ours: stat.get("route call")!.median,
    peer: stat.get("JSON.parse")!.median,
    peerName: "bare JSON.parse",
    quantity: "time (median of interleaved rounds)",
    better: "lower",
    note: `${rounds} rounds; ratio of minima ${minima("route call", "JSON.parse")}`,
  }),
]);

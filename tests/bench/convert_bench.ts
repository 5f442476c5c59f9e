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
 */
import { createClient, singleTissueEqtl } from "ratgtex";
import { parseApiJson } from "../../lib/_core/json_read.ts";
import { singleTissueEqtlFrame } from "../../lib/api/qtl.ts";
import { createTwin, loadUniverse } from "ratgtex/offline";

const rows = Number(Deno.args[0] ?? 250_000);
const rounds = Number(Deno.args[1] ?? 15);

const twin = await createTwin();
const busiest = [...(await loadUniverse()).significant].sort((a, b) => b[1].length - a[1].length)[0][0];
twin.inject({ route: "singleTissueEqtl", faults: [{ kind: "large", rows }] });
const text = await (await twin.handler(new Request(`http://twin/api/v4/singleTissueEqtl?geneId=${busiest}`))).text();
const parsed = parseApiJson(text);

const client = createClient({
  source: "http://bench.invalid/api/v4",
  cache: false,
  progress: false,
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

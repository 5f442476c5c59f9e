/**
 * Short fuzzing runs (a fixed 3,000 inputs per parser, from a fixed seed) of the NaN-tolerant JSON reader, the variant ID parser and the
 * Newick parser; the engines and the longer form are in tests/support/fuzz_parsers.ts. Each run's seed is
 * printed (and fixed here), so a failure replays exactly.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/_core/json_read.ts`.
 */
import assert from "node:assert/strict";
import { parseApiJson } from "../lib/_core/json_read.ts";
import { answerSeeds, fuzzApiJson, fuzzNewick, type FuzzReport, fuzzVariantId } from "./support/fuzz_parsers.ts";
import { parseNewick } from "ratgtex/analysis";

const CASES = 3_000;
const SEED = 20_260_511;

function print(report: FuzzReport): void {
  console.log(
    `${report.parser}: ${report.inputs} inputs (${report.accepted} parsed, ${report.rejected} refused with its typed error), ` +
      `slowest ${report.slowestMs.toFixed(2)} ms, seed ${report.seed}`,
  );
  assert.equal(report.inputs, CASES, "every input tried");
  assert.ok(report.accepted > 0 && report.rejected > 0, "both outcomes reached");
}

Deno.test("fuzz parseApiJson: only SyntaxError, and the same value as JSON.parse where that succeeds", async () => {
  print(fuzzApiJson(CASES, SEED, await answerSeeds()));
});

Deno.test("fuzz parseVariantId: only ValidationError naming variantId; accepted IDs rebuild from their parts", () => {
  print(fuzzVariantId(CASES, SEED));
});

Deno.test("fuzz parseNewick: only NewickParseError; the server's trees keep their leaves", () => {
  print(fuzzNewick(CASES, SEED));
});

Deno.test("deep nesting: the Newick parser and plain JSON take 100,000 levels without a stack overflow", () => {
  const depth = 100_000;
  const tree = parseNewick("(".repeat(depth) + "a,b" + ")".repeat(depth) + ";");
  assert.ok(tree !== null);
  assert.ok(Array.isArray(parseApiJson("[".repeat(depth) + "1" + "]".repeat(depth))));
});

Deno.test({
  // Once a gap: the NaN path used JSON.parse's recursive reviver (stack overflow past ~5,000 levels) and a
  // fixed marker that a real string could equal. Now an iterative walk and a marker absent from the text.
  name: "deep nesting with NaN parses without a stack overflow; a marker-like string stays a string",
  fn: () => {
    const depth = 100_000;
    assert.ok(Array.isArray(parseApiJson("[".repeat(depth) + "NaN" + "]".repeat(depth))));
    assert.deepStrictEqual(parseApiJson('["\\u0000ratgtex:NaN",NaN]'), ["\u0000ratgtex:NaN", NaN]);
  },
});

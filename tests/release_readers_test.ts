/**
 * The readers of a release's files read them as the API server's pandas does: column types, NA tokens,
 * pandas' own float parser (not correctly rounded past e±22) and Python's float repr of what it parsed.
 * The pandas facts below are pinned by the recorded real-server answers (twin_real_server_test.ts).
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/_core/json_write.ts`,
 * `lib/release/table.ts`, `lib/release/bed.ts`, `lib/release/source.ts`.
 */
import assert from "node:assert/strict";
import { pyFloatRepr } from "../lib/_core/json_write.ts";
import { floatTokenRepr, inferDtype, pandasFloat, Table } from "../lib/release/table.ts";
import { PhenotypeBed } from "../lib/release/bed.ts";
import { memoryBytes } from "../lib/release/source.ts";
import { pyPercentG, readrNumber } from "../fixtures/release_write.ts";

Deno.test("column dtypes as pandas infers them", () => {
  assert.equal(inferDtype(["1", "-2", "30"]), "int");
  assert.equal(inferDtype(["1", "NA", "3"]), "float");
  assert.equal(inferDtype(["1", "2.5"]), "float");
  assert.equal(inferDtype(["True", "False"]), "bool");
  assert.equal(inferDtype(["True", ""]), "str");
  assert.equal(inferDtype(["NA", ""]), "float");
  assert.equal(inferDtype(["chr1", "chr2"]), "str");
  assert.equal(inferDtype(["1", "2"], true), "str");
  const t = Table.parse("a\tb\tc\n1\tx\tNA\n2\tNA\t0.5\n");
  assert.deepEqual(t.dtypes, ["int", "str", "float"]);
  assert.equal(t.value(0, 0), 1);
  assert.ok(Number.isNaN((t.value(1, 1) as { value: number }).value), "NA in a str column is NaN");
});

Deno.test("pandasFloat is pandas' precise_xstrtod; floatTokenRepr is repr of it", () => {
  // Exact below e22 for short decimals; one multiplication/division by 10^k beyond.
  assert.equal(pandasFloat("2.98572e-27"), 298572 / 1e32);
  assert.equal(pandasFloat("1.34047e-34"), 1.3404700000000001e-34);
  assert.equal(pandasFloat("12.3456"), 12.3456);
  assert.ok(Number.isNaN(pandasFloat("abc")));
  // The fast path of floatTokenRepr agrees with the general one on every token a writer makes.
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 20_000; i++) {
    const x = Math.pow(10, next() * 40 - 20) * (next() < 0.1 ? -1 : 1);
    for (const token of [pyPercentG(x), readrNumber(x), String(Math.round(x)), x.toFixed(3)]) {
      assert.equal(floatTokenRepr(token), pyFloatRepr(pandasFloat(token)), token);
    }
  }
});

Deno.test("PhenotypeBed: rows on demand, integer-only frames detected, CRLF and NA", async () => {
  const enc = new TextEncoder();
  const m = await PhenotypeBed.read(memoryBytes(
    "a.bed",
    enc.encode("#chr\tstart\tend\tphenotype_id\tR1\tR2\r\nchr1\t0\t1\tA\t1.5\t\r\nchr1\t1\t2\tB\t3\t4\r\n"),
  ));
  assert.deepEqual(m.samples, ["R1", "R2"]);
  assert.equal(m.allInt, false);
  assert.deepEqual(m.rowRepr("A"), ["1.5", "NaN"]);
  assert.deepEqual(Array.from(m.row("B")!), [3, 4]);
  assert.equal(m.row("C"), undefined);
  const ints = await PhenotypeBed.read(memoryBytes(
    "b.bed",
    enc.encode("#chr\tstart\tend\tphenotype_id\tR1\nchr1\t0\t1\tA\t1\nchr1\t0\t1\tB\t-2\n"),
  ));
  assert.equal(ints.allInt, true);
});

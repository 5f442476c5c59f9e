/**
 * The one-pass frame builder (lib/api/_frame.ts) on large answers: every path a column can take (dictionary,
 * bulk text through polars' CSV reader, direct) gives back exactly the values of the rows.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/api/_frame.ts`.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { buildFrame, bulkStringColumn, type ColumnSpec } from "../lib/api/_frame.ts";

type Row = Record<string, unknown>;
const N = 5000;
const COLUMNS: ColumnSpec<Row>[] = [
  ["id", "str"],
  ["group", "str"],
  ["x", "f64"],
  ["k", "i64"],
  ["tag", "str", (r) => r.group === "b" ? null : `t${r.k}`],
];

function rows(make: (i: number) => string): Row[] {
  return Array.from({ length: N }, (_, i) => ({ id: make(i), group: "abc"[i % 3], x: i / 7, k: i }));
}

function assertSame(frame: ReturnType<typeof buildFrame>, input: Row[]): void {
  assert.deepEqual(frame.columns, ["id", "group", "x", "k", "tag"]);
  assert.deepEqual(frame.getColumn("id").toArray(), input.map((r) => r.id));
  assert.deepEqual(frame.getColumn("group").toArray(), input.map((r) => r.group));
  assert.deepEqual(frame.getColumn("x").toArray(), input.map((r) => r.x));
  assert.deepEqual(frame.getColumn("k").toArray().map(Number), input.map((r) => r.k));
  assert.deepEqual(frame.getColumn("tag").toArray(), input.map((r) => (r.group === "b" ? null : `t${r.k}`)));
}

const TRICKY = [" lead", "trail ", "a,b", "tab\there", "NaN", "null", "1e5", "true", "ünï", "日本", "x;y", "'q'", "#c"];

Deno.test("mostly distinct strings (the bulk path) come back verbatim, spaces, commas and unicode included", () => {
  const input = rows((i) => `${TRICKY[i % TRICKY.length]}:${i}`);
  assertSame(buildFrame(input, COLUMNS), input);
});

Deno.test("the bulk path is taken for plain IDs (not read and then thrown away) and refused for odd text", () => {
  const ids = Array.from({ length: N }, (_, i) => `chr${i % 20 + 1}:${i}`);
  const bulk = bulkStringColumn("variantId", ids);
  assert.ok(bulk !== null, "plain variant IDs take the bulk path");
  assert.equal(bulk.name, "variantId");
  assert.deepEqual(bulk.toArray(), ids);
  assert.equal(bulkStringColumn("x", [...ids.slice(0, 9), 'say "hi"']), null);
  assert.equal(bulkStringColumn("x", []), null);
});

Deno.test("strings the CSV reader would not return verbatim take the direct path", () => {
  for (const odd of ['say "hi"', "cr\rlf", "line\nbreak", "\uFEFFbom", "pair \u{1F600}", "\u0001", ""]) {
    const input = rows((i) => (i === 17 ? odd : `v${i}`));
    assertSame(buildFrame(input, COLUMNS), input);
  }
});

Deno.test("missing values: null, undefined and NaN become nulls in number and string columns", () => {
  const input = rows((i) => `v${i}`);
  input[3].x = NaN;
  input[4].x = null;
  delete input[5].x;
  input[6].id = null;
  input[7].group = NaN;
  const frame = buildFrame(input, COLUMNS);
  const x = frame.getColumn("x").toArray();
  assert.deepEqual([x[3], x[4], x[5], x[8]], [null, null, null, 8 / 7]);
  assert.equal(frame.getColumn("id").toArray()[6], null);
  assert.equal(frame.getColumn("group").toArray()[7], null);
  assert.equal(frame.getColumn("group").toArray()[8], "c");
});

Deno.test("a column of one value (a gene's geneId) is that value on every row, whatever else is coded", () => {
  const input = rows((i) => `v${i % 40}`).map((r) => ({ ...r, group: "only" }));
  const frame = buildFrame(input, COLUMNS);
  assertSame(frame, input);
  assert.equal(frame.getColumn("group").dtype.equals(pl.String), true);
  assert.equal(frame.getColumn("group").nUnique(), 1);
  assert.equal(frame.getColumn("group").nullCount(), 0);
});

Deno.test("an empty answer is a frame with the declared columns", () => {
  const frame = buildFrame([], COLUMNS);
  assert.equal(frame.height, 0);
  assert.deepEqual(frame.columns, ["id", "group", "x", "k", "tag"]);
});

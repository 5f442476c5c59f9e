/**
 * The pieces between JSON text and frames, without a server: the NaN-tolerant JSON reader, frame building
 * with explicit schemas (empty answers, missing values, the dictionary path for large string columns),
 * variant ID splitting, ID batching, and the result builders of the routes that return objects.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/_core/json_read.ts`,
 * `lib/api/_frame.ts`, `lib/api/call.ts`, `lib/api/expression.ts`, `lib/api/qtl.ts`.
 */
import assert from "node:assert/strict";
import {
  createClient,
  eqtl,
  geneExpression,
  medianGeneExpression,
  ResponseFormatError,
  ValidationError,
} from "ratgtex";
import { parseApiJson } from "../lib/_core/json_read.ts";
import { medianResult } from "../lib/api/expression.ts";
import { dyneqtlResult, singleTissueEqtlFrame } from "../lib/api/qtl.ts";
import { batchIds } from "../lib/api/call.ts";
import { buildFrame, splitVariantId } from "../lib/api/_frame.ts";

Deno.test("parseApiJson: Python's NaN/Infinity tokens, never inside strings", () => {
  const v = parseApiJson('{"a":NaN,"b":[1,-Infinity,Infinity],"s":"NaN, Infinity","k":{"NaN":NaN}}\n') as {
    a: number;
    b: number[];
    s: string;
    k: Record<string, number>;
  };
  assert.ok(Number.isNaN(v.a));
  assert.deepEqual(v.b, [1, -Infinity, Infinity]);
  assert.equal(v.s, "NaN, Infinity");
  assert.ok(Number.isNaN(v.k.NaN));
  // Escaped quotes inside a string do not end it.
  const w = parseApiJson('{"s":"say \\"NaN\\"","x":NaN}') as { s: string; x: number };
  assert.equal(w.s, 'say "NaN"');
  assert.ok(Number.isNaN(w.x));
  // Plain JSON takes the fast path and is unchanged.
  assert.deepEqual(parseApiJson('{"gene":[]}\n'), { gene: [] });
  // Anything else that is not JSON still throws.
  assert.throws(() => parseApiJson('{"a":NaN'), SyntaxError);
  assert.throws(() => parseApiJson("<html>"), SyntaxError);
  assert.throws(() => parseApiJson('{"a":nan}'), SyntaxError);
});

Deno.test("buildFrame: explicit schema, empty input keeps every column and type", () => {
  const columns: Parameters<typeof buildFrame>[1] = [
    ["s", "str"],
    ["f", "f64"],
    ["i", "i64"],
    ["j", "i32"],
    ["b", "bool"],
  ];
  const expected = ["String", "Float64", "Int64", "Int32", "Bool"].map((t) => `DataType(${t})`);
  const empty = buildFrame([], columns);
  assert.equal(empty.height, 0);
  assert.deepEqual(empty.columns, ["s", "f", "i", "j", "b"]);
  assert.deepEqual(empty.columns.map((c) => String(empty.getColumn(c).dtype)), expected);
  const rows = [
    { s: "a", f: 1.5, i: 100826333, j: 3, b: true },
    { s: NaN, f: NaN, i: null, j: undefined, b: null },
    { s: "7", f: null, i: 2 ** 40, j: -1, b: false },
  ];
  const frame = buildFrame(rows, columns);
  // A value of the wrong type is refused, naming the row and the field (never stringified or nulled).
  for (
    const [field, bad] of [["s", 7], ["i", "12"], ["i", 1e300], ["i", Infinity], ["i", 2 ** 64], ["j", 2 ** 31], [
      "b",
      "yes",
    ], ["f", "1.5"]] as const
  ) {
    assert.throws(
      () => buildFrame([rows[0], { ...rows[0], [field]: bad }], columns),
      (e) => e instanceof ResponseFormatError && e.message.includes(`row 1: field "${field}"`),
      `${field}: ${bad}`,
    );
  }
  assert.deepEqual(frame.columns.map((c) => String(frame.getColumn(c).dtype)), expected);
  assert.deepEqual(frame.getColumn("s").toArray(), ["a", null, "7"], "NaN in a string column is missing");
  assert.deepEqual(frame.getColumn("f").toArray(), [1.5, null, null]);
  assert.deepEqual(frame.getColumn("i").toArray().map((x) => (x === null ? null : Number(x))), [
    100826333,
    null,
    2 ** 40,
  ]);
  assert.deepEqual(frame.getColumn("j").toArray(), [3, null, -1]);
  assert.deepEqual(frame.getColumn("b").toArray(), [true, null, false]);
  // Derived columns read through their getter.
  const derived = buildFrame(rows.slice(0, 1), [["color", "str", (r) => `#${r.s}`]]);
  assert.deepEqual(derived.getColumn("color").toArray(), ["#a"]);
});

Deno.test("buildFrame: large string columns (dictionary path) equal the direct path", () => {
  const n = 20_000;
  const tissues = ["Adipose", "BLA", "Brain", "Eye", "IL"];
  const rows = Array.from({ length: n }, (_, i) => ({
    low: tissues[(i * 7) % tissues.length], // few values: dictionary path
    high: `chr1:${i + 1}`, // all distinct: direct path
    gappy: i % 1000 === 0 ? null : tissues[i % 2], // missing values: direct path
  }));
  const frame = buildFrame(rows, [["low", "str"], ["high", "str"], ["gappy", "str"]]);
  for (const c of ["low", "high", "gappy"] as const) {
    assert.equal(String(frame.getColumn(c).dtype), "DataType(String)", c);
    assert.deepEqual(frame.getColumn(c).toArray(), rows.map((r) => r[c]), c);
  }
  assert.equal(frame.getColumn("gappy").nullCount(), n / 1000);
});

Deno.test("splitVariantId: chromosome and position, nulls when it does not parse", () => {
  assert.deepEqual(splitVariantId("chr10:100826333"), { chromosome: "chr10", pos: 100826333 });
  assert.deepEqual(splitVariantId("chrX:5"), { chromosome: "chrX", pos: 5 });
  for (const bad of ["chr10", "chr10:", ":5", "chr10:5.5", "chr10:abc", null, 5]) {
    assert.deepEqual(splitVariantId(bad), { chromosome: null, pos: null }, String(bad));
  }
});

Deno.test("batchIds: greedy, order kept, within batchSize and the character budget", () => {
  const ids = Array.from({ length: 23 }, (_, i) => `G${i}`); // 2 or 3 characters each
  // batchSize binds.
  assert.deepEqual(batchIds(ids, 10, 10_000).map((b) => b.length), [10, 10, 3]);
  // The character budget binds: "G0,G1,G2" is 8 characters, a fourth ID would make 11.
  const tight = batchIds(ids.slice(0, 6), 100, 10);
  assert.deepEqual(tight, [["G0", "G1", "G2"], ["G3", "G4", "G5"]]);
  // Exactly at the budget fits (no comma before the first ID).
  assert.deepEqual(batchIds(["AAAA", "BBBBB"], 100, 10), [["AAAA", "BBBBB"]]);
  assert.deepEqual(batchIds(["AAAA", "BBBBBB"], 100, 10), [["AAAA"], ["BBBBBB"]]);
  // An ID longer than the budget still goes out, alone.
  assert.deepEqual(batchIds(["x".repeat(20), "y"], 100, 10), [["x".repeat(20)], ["y"]]);
  // A custom measure (the client leaves ':' unencoded).
  assert.equal(batchIds(["chr1:1", "chr1:2"], 100, 13, (id) => id.length).length, 1);
  assert.equal(batchIds(["chr1:1", "chr1:2"], 100, 13).length, 2, "encodeURIComponent counts ':' as 3");
  assert.deepEqual(batchIds([], 10, 100), []);
});

Deno.test("result builders: dyneqtl, medianGeneExpression, singleTissueEqtl from parsed answers", () => {
  const dyn = dyneqtlResult(parseApiJson(
    '{"alt":"T","data":[1.5,NaN,3.0],"geneId":"G","genotypes":[0,null,2],"hetCount":0,"homoAltCount":1,' +
      '"homoRefCount":1,"maf":0.5,"pValue":null,"pValueThreshold":0.001,"ref":"C","tissueSiteDetailId":"IL",' +
      '"variantId":"chr1:5"}',
  ));
  assert.equal(dyn.pValue, null);
  assert.deepEqual(dyn.genotypes, [0, null, 2]);
  assert.deepEqual(dyn.samples.getColumn("genotype").toArray(), [0, null, 2]);
  assert.deepEqual(dyn.samples.getColumn("tpm").toArray(), [1.5, null, 3]);
  assert.deepEqual(dyn.samples.getColumn("sampleIndex").toArray(), [0, 1, 2]);
  assert.throws(() => dyneqtlResult({ data: [1], genotypes: [] }), ResponseFormatError);
  assert.throws(() => dyneqtlResult({ error: "Variant not found" }), ResponseFormatError);

  const med = medianResult(parseApiJson(
    '{"clusters":{"gene":"(B:1,A:1);","tissue":"Not enough data"},"medianGeneExpression":[' +
      '{"geneId":"A","median":1.0,"tissueSiteDetailId":"IL"},{"geneId":"B","median":NaN,"tissueSiteDetailId":"IL"}]}',
  ));
  assert.deepEqual(med.geneIds, ["A", "B"]);
  assert.deepEqual(med.tissueIds, ["IL"]);
  assert.equal(med.tissueTree, null);
  assert.ok(med.geneTree !== null);
  assert.deepEqual(med.long.getColumn("median").toArray(), [1, null]);
  assert.deepEqual(med.wide.getColumn("IL").toArray(), [1, null]);
  assert.ok(Number.isNaN(med.values[1][0]));
  assert.throws(() => medianResult({ medianGeneExpression: [] }), ResponseFormatError);

  const empty = singleTissueEqtlFrame({ singleTissueEqtl: [] });
  assert.equal(empty.height, 0);
  assert.equal(empty.width, 7);
  assert.throws(() => singleTissueEqtlFrame({ gene: [] }), ResponseFormatError);
  const two = singleTissueEqtlFrame([
    { singleTissueEqtl: [{ geneId: "A", variantId: "chr1:2", pos: 2, chromosome: "chr1", nes: 1, pValue: 0.1 }] },
    { singleTissueEqtl: [{ geneId: "B", variantId: "chr1:3", pos: 3, chromosome: "chr1", nes: -1, pValue: 0.2 }] },
  ]);
  assert.deepEqual(two.getColumn("geneId").toArray(), ["A", "B"]);
});

Deno.test("geneExpression: a null or NaN TPM is missing, never 0", async () => {
  const body = '{"geneExpression":[{"data":[1.0,null,NaN,0.0],"datasetId":"ratgtex_v4","geneId":"G",' +
    '"geneSymbol":"G","tissueSiteDetailId":"IL","unit":"TPM"}]}\n';
  const client = createClient({
    source: "http://frames.invalid/api/v4",
    cache: false,
    progress: false,
    fetch: () => Promise.resolve(new Response(body)),
  });
  const frame = await geneExpression("G", { client });
  assert.deepEqual(frame.getColumn("tpm").toArray(), [1, null, null, 0]);
  assert.deepEqual(frame.getColumn("sampleIndex").toArray(), [0, 1, 2, 3]);
});

Deno.test("missing or mistyped gene parameters are ValidationErrors, not TypeErrors", async () => {
  let requests = 0;
  const client = createClient({
    source: "http://frames.invalid/api/v4",
    cache: false,
    progress: false,
    fetch: () => {
      requests++;
      return Promise.resolve(new Response('{"eqtl":[]}'));
    },
  });
  const cases: [string, () => Promise<unknown>, string][] = [
    ["no geneId", () => eqtl({} as { geneId: string }, { client }), "geneId"],
    ["a number", () => eqtl({ geneId: 5 } as unknown as { geneId: string }, { client }), "geneId"],
    ["misspelt key", () => eqtl({ gene: "Eno1" } as unknown as { geneId: string }, { client }), "gene"],
    ["empty list", () => eqtl([], { client }), "geneId"],
    ["median without genes", () => medianGeneExpression({} as { geneId: string }, { client }), "geneId"],
  ];
  for (const [what, call, parameter] of cases) {
    const err = await call().then(() => null, (e) => e);
    assert.ok(err instanceof ValidationError, `${what}: ${err}`);
    assert.equal(err.parameter, parameter, what);
  }
  assert.equal(requests, 0);
});

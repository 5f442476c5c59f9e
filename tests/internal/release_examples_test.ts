/**
 * Tests of private modules by design: the examples that the JSDoc of internal names in `lib/release/` carried.
 * No entry point exports these names (the readers below `openRelease`), so their documentation keeps the
 * prose and the checks live here (the public surface's own examples import from the entry points and run
 * as doc tests).
 *
 * @module
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { zipSync } from "fflate";
import { ReleaseFormatError, ReleaseTooLargeError } from "ratgtex";
import { BUNDLED_RELEASE, DEFAULT_READ_LIMITS } from "ratgtex/release";
import { PhenotypeBed } from "../../lib/release/bed.ts";
import { ReleaseFolder } from "../../lib/release/folder.ts";
import { memoryBytes, readLimits } from "../../lib/release/source.ts";
import { floatTokenRepr, pandasFloat, Table } from "../../lib/release/table.ts";
import { readBytes, textLines } from "../../lib/release/text.ts";
import { readTable } from "../../lib/release/tsv.ts";
import { readFrame } from "../../lib/release/frame.ts";
import { parseVcfRecord } from "../../lib/release/vcf.ts";
import { ZipArchive } from "../../lib/release/zip.ts";

Deno.test("lib/release/table.ts: pandasFloat", () => {
  assert.equal(pandasFloat("2.98572e-27"), 2.9857199999999998e-27);
  assert.equal(pandasFloat("0.00172939"), 0.00172939);
});

Deno.test("lib/release/table.ts: floatTokenRepr", () => {
  assert.deepEqual(["12.3400", "0", "007", "0.5", "1e-05", "NA"].map(floatTokenRepr), [
    "12.34",
    "0.0",
    "7.0",
    "0.5",
    "1e-05",
    "NaN",
  ]);
});

Deno.test("lib/release/table.ts: Table.parse", () => {
  const t = Table.parse("a\tb\n1\tx\n2\tNA\n");
  assert.deepEqual(t.dtypes, ["int", "str"]);
  assert.equal(t.value(1, 0), 2);
});

Deno.test("lib/release/folder.ts: open", async () => {
  const folder = ReleaseFolder.open(BUNDLED_RELEASE);
  assert.equal((await folder.tissueInfo()).rows.length, 13);
});

Deno.test("lib/release/source.ts: readLimits, memoryBytes", async () => {
  assert.equal(readLimits({ maxMemberBytes: 1024 }).maxMemberBytes, 1024);
  assert.equal(readLimits().maxFileBytes, DEFAULT_READ_LIMITS.maxFileBytes);
  assert.throws(() => readLimits({ maxLineBytes: -1 }), /positive/);
  const src = memoryBytes("x.tsv", new TextEncoder().encode("a\tb\n"));
  assert.equal(await src.size(), 4);
  assert.deepEqual(await src.read(2, 10), new TextEncoder().encode("b\n"));
});

Deno.test("lib/release/text.ts: readBytes, textLines", async () => {
  const bomb = memoryBytes("x.tsv.gz", gzipSync(new Uint8Array(1 << 20)));
  assert.equal((await readBytes(bomb, { maxFileBytes: 2 << 20 })).length, 1 << 20);
  await assert.rejects(readBytes(bomb, { maxFileBytes: 1000 }), ReleaseTooLargeError);
  const src = memoryBytes("a.tsv", new TextEncoder().encode("x\ty\r\n1\t2\n"));
  const lines: string[] = [];
  for await (const batch of textLines(src, { maxFileBytes: 100, maxLineBytes: 10 })) lines.push(...batch.lines);
  assert.deepEqual(lines, ["x\ty", "1\t2"]);
});

Deno.test("lib/release/tsv.ts: readTable, readFrame", async () => {
  const spec = { columns: { gene: "id", p: "float" }, key: ["gene"] } as const;
  const ok = await readTable(memoryBytes("t.tsv", new TextEncoder().encode("gene\tp\nA\t0.5\n")), spec);
  assert.deepEqual(ok.dtypes, ["str", "float"]);
  const bad = memoryBytes("t.tsv", new TextEncoder().encode("gene\tp\nA\t0.5\nB\tinf\n"));
  await assert.rejects(readTable(bad, spec), (e) => e instanceof ReleaseFormatError && e.line === 3 && e.field === "p");
  const src = memoryBytes("g.tsv", new TextEncoder().encode("geneId\thasEqtl\tn\nA\tTrue\t1\nB\tFalse\t2\n"));
  const df = await readFrame(src, { columns: { geneId: "id", hasEqtl: "bool", n: "int" } });
  assert.deepEqual(df.getColumn("hasEqtl").toArray(), [true, false]);
  assert.equal(df.getColumn("n").dtype.toString(), "DataType(Int64)");
});

Deno.test("lib/release/bed.ts: PhenotypeBed.read", async () => {
  const text = "#chr\tstart\tend\tphenotype_id\tR1\tR2\nchr1\t0\t1\tA\t1.5\t2\n";
  const bed = await PhenotypeBed.read(memoryBytes("a.bed", new TextEncoder().encode(text)));
  assert.deepEqual(Array.from(bed.row("A")!), [1.5, 2]);
  const twice = memoryBytes("a.bed", new TextEncoder().encode(text + "chr1\t0\t1\tA\t1\t2\n"));
  await assert.rejects(PhenotypeBed.read(twice), (e) => e instanceof ReleaseFormatError && e.line === 3);
});

Deno.test("lib/release/vcf.ts: parseVcfRecord, VcfFile.genotypes", async () => {
  const rec = parseVcfRecord("chr1\t5\tchr1:5\tA\tG\t.\tPASS\t.\tGT\t0/1\t./.", ["R1", "R2"], { file: "x.vcf" });
  assert.deepEqual(rec.alts, ["G"]);
  assert.throws(
    () => parseVcfRecord("chr1\t5\t.\tA\tG\t.\t.\t.\tGT\t5/7\t0/0", ["R1", "R2"], { file: "x.vcf" }),
    (e) => e instanceof ReleaseFormatError && e.field === "R1" && /allele 7/.test(e.message),
  );
  const vcf = await ReleaseFolder.open(BUNDLED_RELEASE).vcf("ratgtex_v4_round11_2");
  const g = await vcf.genotypes({ variantIds: ["chr10:100826333"] });
  assert.equal(g.variants[0].dosages.length, g.rats.length);
  assert.ok(g.variants[0].dosages.every((d) => d >= -1 && d <= 2));
});

Deno.test("lib/release/zip.ts: ZipArchive.open", async () => {
  const limits = { maxIndexBytes: 1 << 20, maxMemberBytes: 1 << 20 };
  const zip = await ZipArchive.open(
    memoryBytes("a.zip", zipSync({ "a/x.txt": new TextEncoder().encode("hi\n") })),
    limits,
  );
  assert.equal(await zip.text("a/x.txt"), "hi\n");
  await assert.rejects(ZipArchive.open(memoryBytes("b.zip", new Uint8Array(100)), limits), ReleaseFormatError);
});

Deno.test("lib/release/frame.ts: the fast path (polars) gives the reference path's frame for every table of the bundled release", async () => {
  const { readFrameChecked, readFrameFast } = await import("../../lib/release/frame.ts");
  const { FolderSource } = await import("../../lib/release/source.ts");
  const { ReleaseLayout, tableSpec } = await import("../../lib/release/layout.ts");
  const source = new FolderSource(BUNDLED_RELEASE);
  const layout = await ReleaseFolder.open(BUNDLED_RELEASE).layout();
  const tables: [Parameters<typeof tableSpec>[0], string][] = [
    ["tissueInfo", layout.tissueInfo()],
    ["genes", layout.geneTable()],
    ["exons", layout.exons()],
    ["medianExpression", layout.medianExpression()],
    ["topExpressed", layout.topExpressed()],
    ["topAssoc", layout.topAssoc()],
    ["eqtlsIndep", layout.eqtlsIndep()],
    ["xqtlsIndepCrossModality", layout.xqtlsIndepCrossModality()],
    ["covariates", layout.covariates("IL", "expression")],
    ["cisQtlSignif", layout.cisQtlSignif("IL", "expression")],
  ];
  void ReleaseLayout;
  for (const [kind, rel] of tables) {
    const spec = tableSpec(kind)!;
    const fast = await readFrameFast(await source.whole(rel), spec, DEFAULT_READ_LIMITS, undefined);
    assert.ok(fast !== null, `${kind}: the fast path read it (no fallback)`);
    const reference = await readFrameChecked(await source.whole(rel), spec, DEFAULT_READ_LIMITS);
    assert.deepEqual(fast.columns, reference.columns, kind);
    assert.deepEqual(fast.dtypes.map(String), reference.dtypes.map(String), kind);
    assert.deepEqual(fast.toRecords(), reference.toRecords(), kind);
  }
});

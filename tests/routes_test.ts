/**
 * Every route function against the twin server over real HTTP on loopback (and a few in-process through
 * `source: "offline"`): the frame's columns in the documented order and types, row counts and values
 * against the offline universe the twin serves, multi-gene fan-out, empty answers, NaN tokens, raw answers,
 * the `medianGeneExpression` and `dyneqtl` result objects and the API page's worked example.
 *
 * Expected values are computed from `loadUniverse()`, never copied from a response.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/_core/json_read.ts`.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  createClient,
  dyneqtl,
  eqtl,
  eqtlEffects,
  exon,
  gene,
  geneExpression,
  geneStatus,
  HttpError,
  medianGeneExpression,
  ResponseFormatError,
  singleTissueEqtl,
  tissueInfo,
  topExpressedGene,
  ValidationError,
  variant,
  xqtl,
  XQTL_MODALITIES,
} from "ratgtex";
import { loadUniverse, type ServedTwin, serveTwin } from "ratgtex/offline";
import { parseApiJson } from "../lib/_core/json_read.ts";

const universe = await loadUniverse();
const tissueIds = universe.tissues.map((t) => t.tissueSiteDetailId);
const geneIds = [...universe.genes.keys()];

/** Column names and polars dtype names, in order. */
function schemaOf(frame: pl.DataFrame): [string, string][] {
  return frame.columns.map((c) => [c, String(frame.getColumn(c).dtype)]);
}

function assertSchema(frame: pl.DataFrame, expected: [string, string][]): void {
  assert.deepEqual(schemaOf(frame), expected);
}

/** A polars dtype name as `String(series.dtype)` prints it. */
const STR = "DataType(String)",
  F64 = "DataType(Float64)",
  I64 = "DataType(Int64)",
  I32 = "DataType(Int32)",
  BOOL = "DataType(Bool)";

const SIG_SCHEMA: [string, string][] = [
  ["geneId", STR],
  ["tissueSiteDetailId", STR],
  ["variantId", STR],
  ["chromosome", STR],
  ["pos", I64],
  ["nes", F64],
  ["pValue", F64],
];
const EQTL_SCHEMA: [string, string][] = [
  ["geneId", STR],
  ["tissueSiteDetailId", STR],
  ["variantId", STR],
  ["chromosome", STR],
  ["pos", I64],
  ["ref", STR],
  ["alt", STR],
  ["pValueBeta", F64],
  ["log2aFC", F64],
];
const XQTL_SCHEMA: [string, string][] = [
  ["geneId", STR],
  ["tissueSiteDetailId", STR],
  ["modality", STR],
  ["modalityLabel", STR],
  ["phenotypeId", STR],
  ["variantId", STR],
  ["chromosome", STR],
  ["pos", I64],
  ["ref", STR],
  ["alt", STR],
  ["pValueBeta", F64],
];
const EXON_SCHEMA: [string, string][] = [
  ["geneId", STR],
  ["transcriptId", STR],
  ["exonId", STR],
  ["exonNumber", I32],
  ["chromosome", STR],
  ["start", I64],
  ["end", I64],
  ["strand", STR],
  ["featureType", STR],
];
const GENE_SCALAR_SCHEMA: [string, string][] = [
  ["geneId", STR],
  ["chromosome", STR],
  ["start", I64],
  ["end", I64],
  ["strand", STR],
  ["tss", I64],
  ["description", STR],
  ["hasEqtl", BOOL],
];

/** The server's 4-significant-digit p-value: `float(f"{x:.3e}")`. */
const p4 = (x: number) => Number(x.toExponential(3));

/** Rows of a frame as objects. */
function rowsOf(frame: pl.DataFrame): Record<string, unknown>[] {
  return frame.toRecords() as Record<string, unknown>[];
}

/** A twin on loopback and a client with a fresh cache folder; both closed after `fn`. */
async function withTwin(fn: (served: ServedTwin, client: ReturnType<typeof createClient>) => Promise<void>) {
  const served = await serveTwin();
  const cacheDir = await Deno.makeTempDir({ prefix: "ratgtex-routes-" });
  try {
    // Gene IDs unchecked: these tests hold the client to the server's own answers for unknown genes
    // (tests/gene_check_test.ts tests the check).
    const client = createClient({
      source: served.baseUrl,
      cacheDir,
      retryBaseMs: 1,
      progress: false,
      checkGenes: false,
    });
    await fn(served, client);
  } finally {
    await served.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
}

Deno.test("routes over loopback HTTP: reference routes", async (t) => {
  await withTwin(async (served, client) => {
    await t.step("tissueInfo: 13 tissues in server order, documented columns, '#' colours", async () => {
      const frame = await tissueInfo({}, { client });
      assertSchema(frame, [
        ["tissueSiteDetailId", STR],
        ["tissueSiteDetail", STR],
        ["tissueSiteDetailAbbr", STR],
        ["tissueSite", STR],
        ["colorHex", STR],
        ["color", STR],
        ["colorRgb", STR],
        ["dataset", STR],
        ["datasetId", STR],
        ["eGeneCount", I64],
        ["expressedGeneCount", I64],
        ["hasEGenes", BOOL],
        ["rnaSeqSampleCount", I64],
        ["rnaSeqAndGenotypeSampleCount", I64],
      ]);
      assert.equal(frame.height, universe.tissues.length);
      const rows = rowsOf(frame);
      universe.tissues.forEach((u, i) => {
        const r = rows[i];
        assert.equal(r.tissueSiteDetailId, u.tissueSiteDetailId);
        assert.equal(r.tissueSiteDetail, u.tissueSiteDetail);
        assert.equal(r.tissueSite, u.tissueSite);
        assert.equal(r.colorHex, u.colorHex);
        assert.equal(r.color, `#${u.colorHex}`);
        assert.equal(r.colorRgb, [0, 2, 4].map((k) => parseInt(u.colorHex.slice(k, k + 2), 16)).join(","));
        assert.equal(Number(r.eGeneCount), u.eGeneCount);
        assert.equal(Number(r.expressedGeneCount), u.expressedGeneCount);
        assert.equal(r.hasEGenes, u.eGeneCount > 0);
        assert.equal(Number(r.rnaSeqSampleCount), u.samples);
        assert.equal(Number(r.rnaSeqAndGenotypeSampleCount), universe.samples.get(u.tissueSiteDetailId)!.length);
      });
    });

    await t.step("gene: one row per known gene in query order, nested statusInTissue keeps its types", async () => {
      const asked = ["Eno1", "NoSuchGene", "Cd300lf", geneIds[20]];
      const frame = await gene(asked, { client });
      assertSchema(frame.drop("statusInTissue"), GENE_SCALAR_SCHEMA);
      assert.equal(frame.columns.at(-1), "statusInTissue");
      assert.match(String(frame.getColumn("statusInTissue").dtype), /^DataType\(List\(DataType\(Struct/);
      const known = asked.filter((id) => universe.genes.has(id));
      assert.deepEqual(frame.getColumn("geneId").toArray(), known);
      rowsOf(frame).forEach((r, i) => {
        const g = universe.genes.get(known[i])!;
        assert.equal(r.chromosome, g.chromosome);
        assert.equal(Number(r.start), g.start);
        assert.equal(Number(r.end), g.end);
        assert.equal(r.strand, g.strand);
        assert.equal(Number(r.tss), g.strand === "+" ? g.start : g.end);
        assert.equal(r.description, g.description);
        assert.equal(r.hasEqtl, g.status.some((s) => s.eqtl));
        const status = r.statusInTissue as {
          tissueSiteDetailId: string;
          expressed: boolean;
          eqtl: boolean;
          testedEqtl: boolean;
        }[];
        assert.deepEqual(status.map((s) => s.tissueSiteDetailId), tissueIds);
        assert.deepEqual(
          status.map((s) => [s.expressed, s.testedEqtl, s.eqtl]),
          g.status.map((s) => [s.expressed, s.testedEqtl, s.eqtl]),
        );
      });
      // A single ID and the params-object form give the same frame.
      const one = await gene("Cd300lf", { client });
      const obj = await gene({ geneId: ["Cd300lf"] }, { client });
      assert.ok(one.frameEqual(obj));
      assert.equal(one.height, 1);
    });

    await t.step("gene: unknown genes give an empty frame with every column typed", async () => {
      const frame = await gene(["NoSuchGene", "AlsoMissing"], { client });
      assert.equal(frame.height, 0);
      assertSchema(frame.drop("statusInTissue"), GENE_SCALAR_SCHEMA);
      assert.match(String(frame.getColumn("statusInTissue").dtype), /^DataType\(List\(DataType\(Struct/);
    });

    await t.step("geneStatus: long gene × tissue table", async () => {
      const asked = ["Cd300lf", "Eno1"];
      const frame = await geneStatus(asked, { client });
      assertSchema(frame, [
        ["geneId", STR],
        ["tissueSiteDetailId", STR],
        ["expressed", BOOL],
        ["testedEqtl", BOOL],
        ["eqtl", BOOL],
      ]);
      assert.equal(frame.height, asked.length * tissueIds.length);
      const expected = asked.flatMap((id) =>
        universe.genes.get(id)!.status.map((s, i) => ({ geneId: id, tissueSiteDetailId: tissueIds[i], ...s }))
      );
      assert.deepEqual(
        rowsOf(frame),
        expected.map((e) => ({
          geneId: e.geneId,
          tissueSiteDetailId: e.tissueSiteDetailId,
          expressed: e.expressed,
          testedEqtl: e.testedEqtl,
          eqtl: e.eqtl,
        })),
      );
      const empty = await geneStatus("NoSuchGene", { client });
      assert.equal(empty.height, 0);
      assert.deepEqual(empty.columns, frame.columns);
    });

    await t.step("exon: fan-out over genes, exons numbered in transcription order", async () => {
      const asked = ["Cd300lf", "Eno1", "NoSuchGene"];
      const before = served.twin.stats.byRoute.exon ?? 0;
      const frame = await exon(asked, { client });
      assert.equal((served.twin.stats.byRoute.exon ?? 0) - before, asked.length, "one request per gene");
      assertSchema(frame, EXON_SCHEMA);
      const expected = asked.filter((id) => universe.genes.has(id)).flatMap((id) => {
        const g = universe.genes.get(id)!;
        const ordered = g.strand === "+" ? g.exons : [...g.exons].reverse();
        return ordered.map(([start, end], i) => ({
          id,
          start,
          end,
          n: i + 1,
          strand: g.strand,
          chromosome: g.chromosome,
        }));
      });
      assert.equal(frame.height, expected.length);
      rowsOf(frame).forEach((r, i) => {
        const e = expected[i];
        assert.equal(r.geneId, e.id);
        assert.equal(r.transcriptId, e.id);
        assert.equal(r.exonId, `${e.id}_${e.n}`);
        assert.equal(r.exonNumber, e.n);
        assert.equal(Number(r.start), e.start);
        assert.equal(Number(r.end), e.end);
        assert.equal(r.strand, e.strand);
        assert.equal(r.chromosome, e.chromosome);
        assert.equal(r.featureType, "exon");
      });
      const empty = await exon("NoSuchGene", { client });
      assertSchema(empty, EXON_SCHEMA);
      assert.equal(empty.height, 0);
    });

    await t.step("variant: alleles, unknown IDs dropped, multi-allelic → typed HTTP 500", async () => {
      const biallelic = [...universe.variants.values()].filter((v) => !v.alt.includes(","));
      const asked = [biallelic[0].variantId, "chr1:1", biallelic[100].variantId, "chr10:100826333"];
      const frame = await variant(asked, { client });
      assertSchema(frame, [["variantId", STR], ["chromosome", STR], ["pos", I64], ["ref", STR], ["alt", STR]]);
      const known = asked.filter((id) => universe.variants.has(id));
      assert.deepEqual(frame.getColumn("variantId").toArray(), known);
      rowsOf(frame).forEach((r, i) => {
        const v = universe.variants.get(known[i])!;
        assert.deepEqual([r.chromosome, Number(r.pos), r.ref, r.alt], [v.chromosome, v.pos, v.ref, v.alt]);
      });
      const empty = await variant("chr1:1", { client });
      assert.equal(empty.height, 0);
      assert.deepEqual(empty.columns, frame.columns);
      const multi = [...universe.variants.values()].find((v) => v.alt.includes(","))!;
      await assert.rejects(variant(multi.variantId, { client }), (e: unknown) => {
        assert.ok(e instanceof HttpError);
        assert.equal(e.status, 500);
        assert.match(e.message, /multi-allelic/);
        return true;
      });
    });
  });
});

Deno.test("routes over loopback HTTP: expression routes", async (t) => {
  await withTwin(async (_served, client) => {
    await t.step("geneExpression: long frame, one row per gene × tissue × sample, exact TPM", async () => {
      const asked = ["Cd300lf", "Eno1"];
      const frame = await geneExpression(asked, { client });
      assertSchema(frame, [["geneId", STR], ["tissueSiteDetailId", STR], ["sampleIndex", I32], ["tpm", F64]]);
      const perGene = universe.tissues.reduce((n, t) => n + universe.samples.get(t.tissueSiteDetailId)!.length, 0);
      assert.equal(frame.height, asked.length * perGene);
      // Every value, in order: the twin writes Python's shortest repr, which reads back to the same double.
      const expectedTpm = asked.flatMap((id) =>
        tissueIds.flatMap((t) => Array.from(universe.expression.get(t)!.get(id)!))
      );
      assert.deepEqual(Array.from(frame.getColumn("tpm").toArray() as number[]), expectedTpm);
      const expectedKeys = asked.flatMap((id) =>
        tissueIds.flatMap((t) => universe.samples.get(t)!.map((_, i) => `${id}|${t}|${i}`))
      );
      const g = frame.getColumn("geneId").toArray(), ts = frame.getColumn("tissueSiteDetailId").toArray();
      const idx = frame.getColumn("sampleIndex").toArray();
      assert.deepEqual(g.map((id, i) => `${id}|${ts[i]}|${idx[i]}`), expectedKeys);
      const il = frame.filter(pl.col("geneId").eq(pl.lit("Eno1")).and(pl.col("tissueSiteDetailId").eq(pl.lit("IL"))));
      assert.deepEqual(
        Array.from(il.getColumn("sampleIndex").toArray() as number[]),
        universe.samples.get("IL")!.map((_, i) => i),
      );
    });

    await t.step("geneExpression: an unknown gene is the server's HTML 500, as a typed error", async () => {
      await assert.rejects(geneExpression("NoSuchGene", { client }), (e: unknown) => {
        assert.ok(e instanceof HttpError);
        assert.equal(e.status, 500);
        assert.match(e.message, /geneExpression\?geneId=NoSuchGene/);
        return true;
      });
    });

    await t.step("medianGeneExpression: long, wide, values and both trees", async () => {
      const asked = ["Polr3k", "NoSuchGene", "Rtel1", "Eno1"];
      const known = asked.filter((id) => universe.medians.has(id));
      const med = await medianGeneExpression(asked, { client });
      // Without tissueSiteDetailId the route follows the median file's columns, which the release's
      // script writes in C (code point) order: …, PL, RMTg, pVTA — not tissueInfo's order.
      const medTissues = [...tissueIds].sort();
      assertSchema(med.long, [["geneId", STR], ["tissueSiteDetailId", STR], ["median", F64]]);
      assert.equal(med.long.height, known.length * medTissues.length);
      assert.deepEqual(med.geneIds, known);
      assert.deepEqual(med.tissueIds, medTissues);
      assert.deepEqual(
        med.values,
        known.map((id) => medTissues.map((t) => universe.medians.get(id)![tissueIds.indexOf(t)])),
      );
      // Tissue-major, as the server sends it.
      assert.deepEqual(
        med.long.getColumn("geneId").toArray(),
        medTissues.flatMap(() => known),
      );
      assertSchema(med.wide, [["geneId", STR], ...medTissues.map((t) => [t, F64] as [string, string])]);
      assert.deepEqual(
        med.wide.getColumn("IL").toArray(),
        known.map((id) => universe.medians.get(id)![tissueIds.indexOf("IL")]),
      );
      assert.match(med.clusters.gene, /;$/);
      assert.ok(med.geneTree !== null && med.tissueTree !== null);
      const leaves = (node: { name?: string; children?: unknown[] }): string[] =>
        node.children?.length
          ? (node.children as { name?: string; children?: unknown[] }[]).flatMap(leaves)
          : [node.name ?? ""];
      assert.deepEqual(leaves(med.geneTree as never).sort(), [...known].sort());
      assert.deepEqual(leaves(med.tissueTree as never).sort(), [...tissueIds].sort());
    });

    await t.step("medianGeneExpression: one gene → null gene tree ('Not enough data'); tissue subset", async () => {
      const one = await medianGeneExpression({ geneId: "Eno1", tissueSiteDetailId: ["IL", "Liver", "PL"] }, { client });
      assert.equal(one.clusters.gene, "Not enough data");
      assert.equal(one.geneTree, null);
      assert.ok(one.tissueTree !== null);
      assert.deepEqual(one.tissueIds, ["IL", "Liver", "PL"]);
      const eno = universe.medians.get("Eno1")!;
      assert.deepEqual(one.values, [["IL", "Liver", "PL"].map((t) => eno[tissueIds.indexOf(t)])]);
      const single = await medianGeneExpression({ geneId: ["Eno1", "Cd300lf"], tissueSiteDetailId: "IL" }, { client });
      assert.equal(single.tissueTree, null);
      assert.ok(single.geneTree !== null);
      // No known gene at all: the server's 500.
      await assert.rejects(medianGeneExpression("NoSuchGene", { client }), HttpError);
    });

    await t.step("topExpressedGene: ranks, medians, chrM filter, string shorthand", async () => {
      for (const filterMtGene of [false, true]) {
        const frame = await topExpressedGene({ tissueSiteDetailId: "IL", filterMtGene }, { client });
        assertSchema(frame, [
          ["tissueSiteDetailId", STR],
          ["rank", I32],
          ["geneId", STR],
          ["chromosome", STR],
          ["median", F64],
          ["unit", STR],
          ["datasetId", STR],
        ]);
        const expected = universe.top.get("IL")!.filter((r) => !filterMtGene || !r.mtGene).slice(0, 50);
        assert.equal(frame.height, expected.length);
        assert.deepEqual(frame.getColumn("geneId").toArray(), expected.map((r) => r.geneId));
        assert.deepEqual(frame.getColumn("median").toArray(), expected.map((r) => r.median));
        assert.deepEqual(frame.getColumn("rank").toArray(), expected.map((_, i) => i + 1));
        assert.equal(
          frame.getColumn("chromosome").toArray().includes("chrM"),
          !filterMtGene && expected.some((r) => r.mtGene),
        );
      }
      // The string shorthand means the server's default (chrM included).
      const short = await topExpressedGene("Liver", { client });
      assert.equal(short.height, Math.min(50, universe.top.get("Liver")!.length));
    });
  });
});

Deno.test("routes over loopback HTTP: QTL routes", async (t) => {
  await withTwin(async (served, client) => {
    await t.step("singleTissueEqtl: fan-out over genes in query order, values from the universe", async () => {
      const asked = ["Cd300lf", "Eno1", geneIds.find((id) => !universe.significant.has(id))!, geneIds[30]];
      const before = served.twin.stats.byRoute.singleTissueEqtl ?? 0;
      const frame = await singleTissueEqtl(asked, { client });
      assert.equal((served.twin.stats.byRoute.singleTissueEqtl ?? 0) - before, asked.length);
      assertSchema(frame, SIG_SCHEMA);
      const expected = asked.flatMap((id) => (universe.significant.get(id) ?? []).map((r) => ({ id, ...r })));
      assert.equal(frame.height, expected.length);
      rowsOf(frame).forEach((r, i) => {
        const e = expected[i];
        const v = universe.variants.get(e.variantId)!;
        assert.deepEqual(
          [r.geneId, r.tissueSiteDetailId, r.variantId, r.chromosome, Number(r.pos), r.nes, r.pValue],
          [e.id, e.tissue, e.variantId, v.chromosome, v.pos, e.nes, p4(e.pValue)],
        );
      });
    });

    await t.step("singleTissueEqtl: a gene without pairs → 0 rows, every column typed", async () => {
      const frame = await singleTissueEqtl("NoSuchGene", { client });
      assertSchema(frame, SIG_SCHEMA);
      assert.equal(frame.height, 0);
    });

    await t.step("eqtl: NaN log2aFC → null in the frame, NaN in raw; chromosome/pos from variantId", async () => {
      const nanGene = [...universe.eqtls].find(([, rs]) => rs.some((r) => Number.isNaN(r.log2aFC)))![0];
      const rows = universe.eqtls.get(nanGene)!;
      const frame = await eqtl(nanGene, { client });
      assertSchema(frame, EQTL_SCHEMA);
      assert.equal(frame.height, rows.length);
      assert.equal(frame.getColumn("log2aFC").nullCount(), rows.filter((r) => Number.isNaN(r.log2aFC)).length);
      assert.ok(frame.getColumn("log2aFC").nullCount() > 0);
      rowsOf(frame).forEach((r, i) => {
        const e = rows[i];
        const [chromosome, pos] = e.variantId.split(":");
        assert.deepEqual(
          [r.tissueSiteDetailId, r.variantId, r.chromosome, Number(r.pos), r.ref, r.alt, r.pValueBeta, r.log2aFC],
          [
            e.tissue,
            e.variantId,
            chromosome,
            Number(pos),
            e.ref,
            e.alt,
            e.pValueBeta,
            Number.isNaN(e.log2aFC) ? null : e.log2aFC,
          ],
        );
      });
      const raw = await eqtl(nanGene, { client, raw: true }) as { eqtl: { log2aFC: number }[] };
      assert.deepEqual(raw.eqtl.map((r) => Number.isNaN(r.log2aFC)), rows.map((r) => Number.isNaN(r.log2aFC)));
      const empty = await eqtl("NoSuchGene", { client });
      assertSchema(empty, EQTL_SCHEMA);
      assert.equal(empty.height, 0);
    });

    await t.step("eqtl: many genes, one frame, row count = the universe's", async () => {
      const frame = await eqtl(geneIds, { client });
      assert.equal(frame.height, geneIds.reduce((n, id) => n + (universe.eqtls.get(id)?.length ?? 0), 0));
      assert.deepEqual(
        frame.getColumn("geneId").toArray(),
        geneIds.flatMap((id) => (universe.eqtls.get(id) ?? []).map(() => id)),
      );
    });

    await t.step("xqtl: modalities and their labels", async () => {
      const asked = ["Cd300lf", "Eno1"];
      const frame = await xqtl(asked, { client });
      assertSchema(frame, XQTL_SCHEMA);
      const expected = asked.flatMap((id) => (universe.xqtls.get(id) ?? []).map((r) => ({ id, ...r })));
      assert.equal(frame.height, expected.length);
      rowsOf(frame).forEach((r, i) => {
        const e = expected[i];
        assert.deepEqual(
          [
            r.geneId,
            r.tissueSiteDetailId,
            r.modality,
            r.modalityLabel,
            r.phenotypeId,
            r.variantId,
            r.ref,
            r.alt,
            r.pValueBeta,
          ],
          [
            e.id,
            e.tissue,
            e.modality,
            XQTL_MODALITIES[e.modality],
            e.phenotypeId,
            e.variantId,
            e.ref,
            e.alt,
            e.pValueBeta,
          ],
        );
        assert.equal(Number(r.pos), Number(e.variantId.split(":")[1]));
      });
      const empty = await xqtl("NoSuchGene", { client });
      assertSchema(empty, XQTL_SCHEMA);
      assert.equal(empty.height, 0);
    });

    await t.step("dyneqtl: the API page's worked example (Cd300lf / IL / chr10:100826333)", async () => {
      const dyn = await dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, {
        client,
      });
      assert.equal(dyn.homoRefCount, 27);
      assert.equal(dyn.hetCount, 35);
      assert.equal(dyn.homoAltCount, 16);
      assert.equal(dyn.maf, 0.42948717948717946);
      assert.equal(dyn.pValue, 8.43005e-8);
      // top_assoc's threshold (computed: the miniature IL's, not the API page's 0.00172939).
      assert.equal(dyn.pValueThreshold, universe.thresholds.get("IL|Cd300lf"));
      assert.equal(dyn.ref, "C");
      assert.equal(dyn.alt, "T");
      assertSchema(dyn.samples, [["sampleIndex", I32], ["genotype", I32], ["tpm", F64]]);
      const rats = universe.samples.get("IL")!;
      const dosages = universe.variants.get("chr10:100826333")!.dosages;
      assert.equal(dyn.samples.height, rats.length);
      assert.deepEqual(dyn.genotypes, rats.map((r) => (dosages[r] < 0 ? null : dosages[r])));
      assert.deepEqual(dyn.samples.getColumn("genotype").toArray(), dyn.genotypes);
      assert.deepEqual(dyn.data, Array.from(universe.expression.get("IL")!.get("Cd300lf")!));
      assert.equal(dyn.samples.getColumn("genotype").nullCount(), dyn.genotypes.filter((g) => g === null).length);
    });

    await t.step("dyneqtl: an array of triples, answered in input order", async () => {
      const triples = [...universe.eqtls].flatMap(([geneId, rs]) =>
        rs.map((r) => ({ geneId, tissueSiteDetailId: r.tissue, variantId: r.variantId }))
      ).filter((p) => universe.thresholds.has(`${p.tissueSiteDetailId}|${p.geneId}`)).slice(0, 12);
      assert.equal(triples.length, 12);
      const results = await dyneqtl(triples, { client });
      assert.equal(results.length, triples.length);
      results.forEach((dyn, i) => {
        const p = triples[i];
        assert.deepEqual([dyn.geneId, dyn.tissueSiteDetailId, dyn.variantId], [
          p.geneId,
          p.tissueSiteDetailId,
          p.variantId,
        ]);
        const rats = universe.samples.get(p.tissueSiteDetailId)!;
        const dosages = universe.variants.get(p.variantId)!.dosages;
        const called = rats.map((r) => dosages[r]).filter((d) => d >= 0);
        assert.equal(dyn.homoRefCount, called.filter((d) => d === 0).length);
        assert.equal(dyn.hetCount, called.filter((d) => d === 1).length);
        assert.equal(dyn.homoAltCount, called.filter((d) => d === 2).length);
        assert.equal(dyn.maf, (dyn.hetCount + 2 * dyn.homoAltCount) / (2 * called.length));
        assert.equal(dyn.pValueThreshold, universe.thresholds.get(`${p.tissueSiteDetailId}|${p.geneId}`));
        assert.equal(dyn.pValue, universe.nominal.get(`${p.tissueSiteDetailId}|${p.geneId}`)?.get(p.variantId) ?? null);
        assert.equal(dyn.samples.height, rats.length);
      });
      const raw = await dyneqtl(triples.slice(0, 2), { client, raw: true }) as { geneId: string }[];
      assert.deepEqual(raw.map((r) => r.geneId), triples.slice(0, 2).map((p) => p.geneId));
    });
  });
});

Deno.test("raw: true returns the parsed JSON of the body (NaN tokens as NaN)", async () => {
  await withTwin(async (served, client) => {
    const text = await (await fetch(`${served.baseUrl}/gene?geneId=Cd300lf,Eno1`)).text();
    assert.deepEqual(await gene(["Cd300lf", "Eno1"], { client, raw: true }), JSON.parse(text));
    const tissues = await (await fetch(`${served.baseUrl}/tissueInfo`)).json();
    assert.deepEqual(await tissueInfo({}, { client, raw: true }), tissues);
    const med = await (await fetch(`${served.baseUrl}/medianGeneExpression?geneId=Polr3k,Rtel1,Eno1`)).json();
    assert.deepEqual(await medianGeneExpression(["Polr3k", "Rtel1", "Eno1"], { client, raw: true }), med);
    // One shape whatever the batching: one gene → the server's body; several → the same shape, their lists
    // joined in query order (issue 12: a raw answer's shape never depends on how many requests were sent).
    const one = await singleTissueEqtl("Eno1", { client, raw: true }) as { singleTissueEqtl: unknown[] };
    assert.equal(one.singleTissueEqtl.length, universe.significant.get("Eno1")!.length);
    const oneText = await (await fetch(`${served.baseUrl}/singleTissueEqtl?geneId=Eno1`)).text();
    assert.deepEqual(one, parseApiJson(oneText));
    const many = await singleTissueEqtl(["Eno1", "Cd300lf"], { client, raw: true }) as {
      singleTissueEqtl: { geneId: string }[];
    };
    assert.deepEqual(Object.keys(many), ["singleTissueEqtl"]);
    const counts = ["Eno1", "Cd300lf"].map((id) => universe.significant.get(id)!.length);
    assert.equal(many.singleTissueEqtl.length, counts[0] + counts[1]);
    assert.deepEqual(
      many.singleTissueEqtl.map((r) => r.geneId),
      [...Array(counts[0]).fill("Eno1"), ...Array(counts[1]).fill("Cd300lf")],
    );
    // gene split into several URL batches: the merged body the server sends for one request.
    const small = createClient({ source: served.baseUrl, cache: false, batchSize: 1, progress: false });
    assert.deepEqual(await gene(["Cd300lf", "Eno1"], { client: small, raw: true }), JSON.parse(text));
    assert.equal(small.stats.requests, 2);
  });
});

Deno.test("offline source (in-process twin) gives the same frames as HTTP", async () => {
  const offline = createClient({ source: "offline" });
  assert.equal(offline.cache, null, "offline is not cached on disk");
  await withTwin(async (_served, client) => {
    const calls: [string, (c: typeof client) => Promise<pl.DataFrame>][] = [
      ["tissueInfo", (c) => tissueInfo({}, { client: c })],
      ["gene", (c) => gene(["Cd300lf", "Eno1"], { client: c })],
      ["eqtl", (c) => eqtl(["Cd300lf", "SynG014"], { client: c })],
      ["xqtl", (c) => xqtl("Cd300lf", { client: c })],
      ["topExpressedGene", (c) => topExpressedGene({ tissueSiteDetailId: "PL", filterMtGene: true }, { client: c })],
    ];
    for (const [name, call] of calls) {
      const [a, b] = [await call(offline), await call(client)];
      assert.ok(a.frameEqual(b, true), `${name}: offline and HTTP frames differ`);
    }
    const dyn = await dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, {
      client: offline,
    });
    assert.deepEqual([dyn.homoRefCount, dyn.hetCount, dyn.homoAltCount, dyn.maf, dyn.pValue, dyn.pValueThreshold], [
      27,
      35,
      16,
      0.42948717948717946,
      8.43005e-8,
      universe.thresholds.get("IL|Cd300lf"),
    ]);
  });
});

Deno.test("every route is route(params, options): options are checked (unknown key with a did-you-mean, wrong type, null)", async () => {
  const twin = await serveTwin({ quiet: true });
  try {
    const client = createClient({ source: twin.baseUrl, cache: false, progress: false });
    // tissueInfo takes its params first: the client given second is used, not dropped.
    const tissues = await tissueInfo({}, { client });
    assert.equal(tissues.height, 13);
    assert.equal(twin.twin.stats.byRoute.tissueInfo, 1);
    // The old options-first call is refused loudly, saying where the option goes.
    await assert.rejects(
      tissueInfo({ client } as never),
      (e) => e instanceof ValidationError && /options go second/.test(e.message),
    );
    const calls: [string, (o: unknown) => Promise<unknown>][] = [
      ["tissueInfo", (o) => tissueInfo({}, o as never)],
      ["gene", (o) => gene("Cd300lf", o as never)],
      ["geneStatus", (o) => geneStatus("Cd300lf", o as never)],
      ["exon", (o) => exon("Cd300lf", o as never)],
      ["variant", (o) => variant("chr10:100826333", o as never)],
      ["geneExpression", (o) => geneExpression("Cd300lf", o as never)],
      ["medianGeneExpression", (o) => medianGeneExpression(["Eno1", "Rtel1"], o as never)],
      ["topExpressedGene", (o) => topExpressedGene("IL", o as never)],
      ["singleTissueEqtl", (o) => singleTissueEqtl("Cd300lf", o as never)],
      ["eqtl", (o) => eqtl("Cd300lf", o as never)],
      ["xqtl", (o) => xqtl("Cd300lf", o as never)],
      [
        "dyneqtl",
        (o) => dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, o as never),
      ],
      ["eqtlEffects", (o) => eqtlEffects("Cd300lf", o as never)],
    ];
    twin.twin.resetStats();
    for (const [name, call] of calls) {
      for (
        const [bad, why] of [[{ clinet: client }, /did you mean client\?/], [null, /null/], [
          { raw: "yes" },
          /raw/,
        ]] as const
      ) {
        await assert.rejects(
          call(bad),
          (e) => e instanceof ValidationError && e.parameter === "options" && why.test(e.message),
          `${name}(…, ${JSON.stringify(bad === null ? null : Object.keys(bad))})`,
        );
      }
    }
    assert.equal(twin.twin.stats.requests, 0, "no request is sent for bad options");
  } finally {
    await twin.close();
  }
});

Deno.test("what a server sends wrong is a ResponseFormatError, never a ValidationError", async () => {
  // A malformed Newick tree in a medianGeneExpression answer.
  const body = { clusters: { gene: "((Eno1:1,Rtel1:1);", tissue: "Not enough data" }, medianGeneExpression: [] };
  const client = createClient({
    source: "http://127.0.0.1:9/api/v4",
    cache: false,
    retries: 0,
    fetch: (request) =>
      Promise.resolve(
        new URL(request.url).pathname.endsWith("/medianGeneExpression") ? Response.json(body) : Response.json({
          eqtl: [{
            geneId: "Cd300lf",
            tissueSiteDetailId: "IL",
            variantId: "chr10:not-a-position",
            ref: "C",
            alt: "T",
            pValueBeta: 1e-5,
            log2aFC: 0.5,
          }],
        }),
      ),
  });
  await assert.rejects(
    medianGeneExpression(["Eno1", "Rtel1"], { client }),
    (e) => e instanceof ResponseFormatError && !(e instanceof ValidationError) && /Newick/.test(e.message),
  );
  // A bad variant ID inside an eqtl answer, which eqtlEffects would send on to dyneqtl.
  await assert.rejects(
    eqtlEffects("Cd300lf", { client }),
    (e) => e instanceof ResponseFormatError && /variantId/.test(e.message),
  );
});

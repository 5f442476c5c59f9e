/**
 * One module names every file of a release (`lib/release/layout.ts`): every path a reader opens — the
 * genome-scale frames, the recomputation, the twin's routes and file server, the in-memory universe —
 * is one of its kinds, recorded here through a byte source that logs each path; the fixture generator
 * writes only paths it names; no file name of a release is written anywhere else in the library's code;
 * IDs never become paths unchecked. And the genes frame of a release equals the `gene` route's frame for
 * every gene (the `hasEqtl` flag read as the flag it is).
 *
 * Imports internal modules by design: it records the readers below `openRelease` (the folder reader, the byte
 * source) and the twin's route table.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { BUNDLED_RELEASE, FILE_KINDS, openRelease, ReleaseLayout } from "ratgtex/release";
import { createClient, gene, ValidationError } from "ratgtex";
import { ReleaseFolder } from "../lib/release/folder.ts";
import { releaseOver } from "../lib/release/release.ts";
import { type ByteSource, FolderSource, type ReleaseSource } from "../lib/release/source.ts";

/** A local source that records every path it is asked for. */
class RecordingSource implements ReleaseSource {
  readonly inner: FolderSource;
  readonly seen = new Set<string>();
  constructor(dir: string) {
    this.inner = new FolderSource(dir);
  }
  get location(): string {
    return this.inner.location;
  }
  get limits() {
    return this.inner.limits;
  }
  ranged(rel: string): ByteSource {
    this.seen.add(rel);
    return this.inner.ranged(rel);
  }
  whole(rel: string): Promise<ByteSource> {
    this.seen.add(rel);
    return this.inner.whole(rel);
  }
  has(rel: string): Promise<boolean> {
    this.seen.add(rel);
    return this.inner.has(rel);
  }
}

Deno.test("every path the readers open is a kind of the one layout", async () => {
  const source = new RecordingSource(BUNDLED_RELEASE);
  const rel = releaseOver(ReleaseFolder.fromSource(source));
  await rel.independentEqtls();
  await rel.independentXqtls();
  await rel.topAssociations();
  await rel.genes();
  await rel.medianExpression();
  await rel.significantPairs(["IL"]);
  await rel.eqtlStatistics([{ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }]);
  await rel.genotypes({ region: "chr10:100826333", tissue: "IL" });
  // The release's other files, and the permutation pass of a cross-modality group.
  await rel.xqtlTopAssociations({ modality: "splicing" });
  await rel.independentXqtls({ modality: "isoforms" });
  await rel.transPairs({ tissueSiteDetailId: "IL" });
  await rel.permutationStatistics({ tissueSiteDetailId: "IL", modality: "cross_modality", geneIds: ["Cd300lf"] }, {
    permutations: 20,
  });
  const library = [...source.seen];

  const layout = await rel.layout();
  const kinds = new Set(library.map((p) => {
    const parsed = layout.kindOf(p);
    assert.ok(parsed !== null, `${p} is no kind of the layout`);
    assert.equal(layout.path(parsed.kind, parsed.params), p, "the layout builds the same path back");
    return parsed.kind;
  }));
  assert.deepEqual(
    [...kinds].sort(),
    [
      "cisPvals",
      "cisQtlSignif",
      "covariates",
      "eqtlsIndep",
      "expression", // expr.log2, for log2_aFC
      "genes",
      "genotypeIndex",
      "genotypes",
      "medianExpression",
      "phenotypes",
      "tissueInfo",
      "topAssoc",
      "transQtlPairs",
      "xqtlTopAssoc",
      "xqtlTopAssocCrossModality",
      "xqtlsIndep",
      "xqtlsIndepCrossModality",
    ],
  );
});

Deno.test("the twin's routes read only layout paths (a recording folder under the twin's reader)", async () => {
  const source = new RecordingSource(BUNDLED_RELEASE);
  const folder = ReleaseFolder.fromSource(source);
  const { ROUTE_HANDLERS } = await import("../lib/offline/_routes.ts");
  const { WorkQueue } = await import("../lib/offline/_limits.ts");
  const context = { work: new WorkQueue() };
  const q = (s: string) => new URLSearchParams(s);
  const calls: [keyof typeof ROUTE_HANDLERS, string][] = [
    ["tissueInfo", ""],
    ["gene", "geneId=Cd300lf"],
    ["exon", "geneId=Cd300lf"],
    ["variant", "variantId=chr10:100826333"],
    ["geneExpression", "geneId=Cd300lf"],
    ["medianGeneExpression", "geneId=Cd300lf,Eno1"],
    ["topExpressedGene", "tissueSiteDetailId=IL"],
    ["singleTissueEqtl", "geneId=Cd300lf"],
    ["eqtl", "geneId=Cd300lf"],
    ["xqtl", "geneId=Cd300lf"],
    ["dyneqtl", "geneId=Cd300lf&tissueSiteDetailId=IL&variantId=chr10:100826333"],
  ];
  for (const [route, query] of calls) {
    assert.equal((await ROUTE_HANDLERS[route](folder, q(query), context)).status, 200, route);
  }
  const layout = await folder.layout();
  for (const p of source.seen) assert.ok(layout.kindOf(p) !== null, `the twin opened ${p}, no kind of the layout`);
  assert.ok(source.seen.size >= 12);
});

Deno.test("the fixture generator writes only files the layout names (its output is the committed folder: fixtures_test)", async () => {
  const layout = new ReleaseLayout();
  const walk = async (dir: string, prefix = ""): Promise<string[]> => {
    const out: string[] = [];
    for await (const e of Deno.readDir(`${dir}/${prefix}`)) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory) out.push(...await walk(dir, rel));
      else out.push(rel);
    }
    return out;
  };
  const files = await walk(BUNDLED_RELEASE);
  assert.ok(files.length > 100);
  for (const f of files) assert.ok(layout.kindOf(f) !== null, `${f} is no kind of the layout`);
});

/** Code lines (comments and JSDoc removed) of every TypeScript file under a folder. */
async function codeOf(dir: URL): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const e of Deno.readDir(dir)) {
    const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) out.push(...await codeOf(url));
    else if (e.name.endsWith(".ts")) {
      const text = (await Deno.readTextFile(url)).replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
      out.push([fileURLToPath(url), text]);
    }
  }
  return out;
}

Deno.test("no release file name is written outside layout.ts (lib/release, lib/offline, fixtures)", async () => {
  // The distinctive parts of the release's file names: versioned suffixes and folder prefixes.
  const NAME =
    /(\.v4(_rn8)?\.(tsv|zip|txt|json|bed)|rn8\.vcf|\bcis_pvals\/|\bphenos\/phenos|\bcovar\/covar|tissue_info\.|all_gene_esnps\.)/;
  const offenders: string[] = [];
  for (const folder of ["../lib/release/", "../lib/offline/", "../fixtures/"]) {
    for (const [path, code] of await codeOf(new URL(folder, import.meta.url))) {
      if (path.endsWith("/layout.ts") && path.includes("/lib/release/")) continue;
      if (path.includes("/fixtures/data/")) continue;
      code.split("\n").forEach((line, i) => {
        if (NAME.test(line)) offenders.push(`${path}:${i + 1}: ${line.trim()}`);
      });
    }
  }
  assert.deepEqual(offenders, []);
  assert.ok(Object.keys(FILE_KINDS).length >= 25);
});

Deno.test("IDs never become paths unchecked", async () => {
  const layout = await ReleaseFolder.open(BUNDLED_RELEASE).layout();
  for (const bad of ["../../x", "IL/../..", "constructor", "__proto__", "IL\0", ""]) {
    assert.throws(() => layout.cisPvals(bad), ValidationError, bad);
    assert.throws(() => layout.covariates("IL", bad), ValidationError, bad);
    assert.throws(() => layout.genotypes(bad), ValidationError, bad);
  }
  assert.throws(() => new ReleaseLayout({ tissues: ["../x"], datasets: [] }), ValidationError);
  assert.throws(() => layout.checked("../tissue_info.v4.tsv"), ValidationError);
  assert.equal(layout.checked("covar/covar.IL.expression.v4.tsv"), "covar/covar.IL.expression.v4.tsv");
  // Through the public surface too: a tissue ID that is no tissue of the release is refused before any read.
  const rel = await openRelease(BUNDLED_RELEASE);
  await assert.rejects(rel.significantPairs(["../../../../tmp/x"]), ValidationError);
  await assert.rejects(rel.genotypes({ region: "chr1:1-2", tissue: "constructor" }), ValidationError);
  await assert.rejects(rel.file("../../etc/passwd"), ValidationError);
});

Deno.test("the genes frame of a release equals the gene route's frame for every gene (hasEqtl as a flag)", async () => {
  const rel = await openRelease(BUNDLED_RELEASE);
  const frame = await rel.genes();
  const ids = frame.getColumn("geneId").toArray() as string[];
  const client = createClient({ source: "offline" });
  const route = (await gene(ids, { client })).drop("statusInTissue");
  assert.deepEqual(frame.columns, route.columns);
  assert.deepEqual(frame.toRecords(), route.toRecords());
  const flags = frame.getColumn("hasEqtl").toArray() as boolean[];
  assert.ok(flags.some((x) => x) && flags.some((x) => !x), "both true and false flags");
  assert.equal(frame.getColumn("hasEqtl").dtype.toString(), "DataType(Bool)");
  // region(...).genes carries the same flags.
  const r = await rel.region("chr10:100.7M-101.0M");
  const cd = (r.genes.toRecords() as { geneId: string; hasEqtl: boolean }[]).find((g) => g.geneId === "Cd300lf")!;
  assert.equal(cd.hasEqtl, true);
});

Deno.test("the twin reads a release without polars (serve runs without FFI): the readers below the frames load none", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "lib/offline/mod.ts"],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "null",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string; dependencies?: { specifier: string; isDynamic?: boolean }[] }[];
  };
  const polars = graph.modules.flatMap((m) =>
    (m.dependencies ?? []).filter((d) => d.specifier.includes("nodejs-polars") && !d.isDynamic).map(() => m.specifier)
  );
  assert.deepEqual(polars, []);
  assert.ok(graph.modules.some((m) => m.specifier.endsWith("lib/release/tsv.ts")), "the twin reads through tsv.ts");
});

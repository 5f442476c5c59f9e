/**
 * The `ratgtex` command line, run as a child process exactly as a user runs it (`deno run` + the cli's
 * permissions + lib/cli/main.ts), against the offline source and against the twin on loopback HTTP.
 * Expected frames come from the library called in-process on the same source: the cli must write
 * what the library returns, in every format, byte-exact on round trips.
 *
 * Run: deno test --allow-read --allow-write --allow-env --allow-ffi --allow-sys --allow-run --allow-net=127.0.0.1 tests/e2e/cli_test.ts
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/cli/output.ts`,
 * `lib/plot/mod.ts`.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import pl from "nodejs-polars";
import {
  createClient,
  dyneqtl,
  eqtl,
  exon,
  gene,
  geneExpression,
  geneStatus,
  medianGeneExpression,
  singleTissueEqtl,
  tissueInfo,
  topExpressedGene,
  variant,
  xqtl,
} from "ratgtex";
import { clusterMedians } from "ratgtex/analysis";
import { RECOMPUTED_PVALUE_NOTE, regressEqtls } from "ratgtex/analysis";
import { serveTwin } from "ratgtex/offline";
import { createTwin } from "ratgtex/offline";
import { loadUniverse } from "ratgtex/offline";
import { flattenNested } from "../../lib/cli/output.ts";

const CLI = new URL("../../lib/cli/main.ts", import.meta.url).pathname;
/** The permissions of `deno task cli` (least privilege: polars needs read/ffi/sys/env). */
const PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-ffi",
  "--allow-sys",
  "--allow-net=ratgtex.org,127.0.0.1,localhost",
];
const offline = createClient({ source: "offline" });
const decoder = new TextDecoder();

interface Run {
  code: number;
  stdout: Uint8Array;
  text: string;
  stderr: string;
}

/** Run the cli with `args`; `stdin` is piped in when given (otherwise stdin is empty/closed). */
async function cli(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...PERMISSIONS, CLI, ...args],
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    // A clean environment for the source: RATGTEX_SOURCE must come from the test, never the caller.
    env: { NO_COLOR: "1", RATGTEX_SOURCE: "", ...options.env },
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  return { code, stdout, text: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** `args` plus `--source offline`, unless they name a source or the command takes none. */
function withOffline(args: string[], env?: Record<string, string>): string[] {
  const takesSource = args.length > 0 && !["serve", "cache", "gallery", "frobnicate"].includes(args[0]);
  return takesSource && !args.includes("--source") && !env?.RATGTEX_SOURCE ? [...args, "--source", "offline"] : args;
}

/** Run against the offline source and require success with nothing on stderr unless allowed. */
async function ok(args: string[], options: { stdin?: string; env?: Record<string, string>; stderr?: boolean } = {}) {
  const r = await cli(withOffline(args, options.env), options);
  assert.equal(r.code, 0, `ratgtex ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  if (!options.stderr) assert.equal(r.stderr, "", `unexpected stderr: ${r.stderr}`);
  return r;
}

/** A frame read back from CSV/TSV text with the expected frame's schema. */
function readDelimited(text: string, expected: pl.DataFrame, sep = ","): pl.DataFrame {
  return pl.readCSV(text, { sep, schema: expected.schema } as Partial<pl.ReadCsvOptions>);
}

function assertFrameEqual(actual: pl.DataFrame, expected: pl.DataFrame, what: string): void {
  assert.deepEqual(actual.columns, expected.columns, `${what}: columns`);
  assert.equal(actual.height, expected.height, `${what}: rows`);
  assert.deepEqual(actual.dtypes.map(String), expected.dtypes.map(String), `${what}: dtypes`);
  assert.ok(actual.frameEqual(expected, true), `${what}: values differ\n${actual.head(5)}\n${expected.head(5)}`);
}

/** The rows of a frame as JSON would carry them: NaN → null, kept nested. */
function jsonRows(frame: pl.DataFrame): unknown[] {
  return JSON.parse(JSON.stringify(frame.toRecords()));
}

async function assertNoFiles(dir: string, what: string): Promise<void> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  assert.deepEqual(names, [], `${what}: files left behind`);
}

Deno.test("cli: --help for the program and every subcommand, with usage and examples", async () => {
  const top = await cli(["--help"]);
  assert.equal(top.code, 0);
  assert.equal(top.stderr, "");
  const names = [
    "tissue-info",
    "gene",
    "gene-status",
    "exon",
    "variant",
    "gene-expression",
    "median-gene-expression",
    "top-expressed-gene",
    "single-tissue-eqtl",
    "eqtl",
    "xqtl",
    "dyneqtl",
    "regress",
    "cluster",
    "figures",
    "serve",
    "cache",
    "demo",
    "gallery",
    "kernel",
    "notebook",
  ];
  for (const name of names) assert.match(top.text, new RegExp(`^  ${name}\\b`, "m"), `${name} listed in --help`);
  const runs = await Promise.all(names.map((name) => cli([name, "--help"])));
  runs.forEach((r, i) => {
    assert.equal(r.code, 0, `${names[i]} --help`);
    assert.equal(r.stderr, "");
    assert.match(r.text, new RegExp(`^Usage: ratgtex ${names[i]}`, "m"));
    assert.match(r.text, /^Examples:\n {2}ratgtex /m);
    assert.match(r.text, /-h, --help/);
  });
  // `help CMD` and aliases reach the same text.
  const viaHelp = await cli(["help", "median"]);
  assert.equal(viaHelp.text, runs[names.indexOf("median-gene-expression")].text);
});

Deno.test("cli: every route subcommand writes the library's frame (offline source)", async (t) => {
  await t.step("tissue-info (ndjson) and its alias", async () => {
    const expected = await tissueInfo({}, { client: offline });
    const r = await ok(["tissue-info", "--format", "ndjson"]);
    const rows = r.text.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(rows, jsonRows(expected));
    const alias = await ok(["tissues", "--format", "ndjson"]);
    assert.equal(alias.text, r.text);
  });

  await t.step("gene: parquet keeps statusInTissue; csv flattens it into <field>In columns", async () => {
    const ids = ["Cd300lf", "Eno1", "Polr3k"];
    const expected = await gene(ids, { client: offline });
    const parquet = await ok(["gene", ...ids, "--format", "parquet"]);
    assertFrameEqual(pl.readParquet(Buffer.from(parquet.stdout)), expected, "gene parquet");
    const csv = await ok(["gene", ids.join(","), "--format", "csv"]);
    const flat = readDelimited(csv.text, flattenNested(expected));
    assert.deepEqual(flat.columns, [
      ...expected.columns.filter((c) => c !== "statusInTissue"),
      "eqtlIn",
      "expressedIn",
      "testedEqtlIn",
    ]);
    // The flattened columns, checked against the long form from geneStatus.
    const status = await geneStatus(ids, { client: offline });
    for (const field of ["eqtl", "expressed", "testedEqtl"]) {
      const want = ids.map((g) =>
        status.filter(pl.col("geneId").eq(pl.lit(g)).and(pl.col(field))).getColumn("tissueSiteDetailId").toArray().join(
          ",",
        )
      );
      assert.deepEqual(flat.getColumn(`${field}In`).toArray(), want, `${field}In`);
    }
    assertFrameEqual(flat.drop(["eqtlIn", "expressedIn", "testedEqtlIn"]), expected.drop("statusInTissue"), "gene csv");
  });

  await t.step("gene: unknown IDs are dropped with a warning on stderr, exit 0", async () => {
    const r = await ok(["gene", "Cd300lf", "Nosuchgene9", "--format", "tsv"], { stderr: true });
    assert.match(r.stderr, /1 gene not found.*Nosuchgene9/);
    assert.equal(r.text.trimEnd().split("\n").length, 2);
  });

  await t.step("gene-status (tsv)", async () => {
    const expected = await geneStatus(["Cd300lf", "Eno1"], { client: offline });
    const r = await ok(["status", "Cd300lf", "Eno1", "--format", "tsv"]);
    assertFrameEqual(readDelimited(r.text, expected, "\t"), expected, "gene-status");
  });

  const perGene: [string, (ids: string[]) => Promise<pl.DataFrame>][] = [
    ["exon", (ids) => exon(ids, { client: offline })],
    ["gene-expression", (ids) => geneExpression(ids, { client: offline })],
    ["single-tissue-eqtl", (ids) => singleTissueEqtl(ids, { client: offline })],
    ["eqtl", (ids) => eqtl(ids, { client: offline })],
    ["xqtl", (ids) => xqtl(ids, { client: offline })],
  ];
  for (const [name, fetch] of perGene) {
    await t.step(`${name} (csv and parquet)`, async () => {
      const ids = ["Cd300lf", "Eno1"];
      const expected = await fetch(ids);
      assert.ok(expected.height > 0, `${name}: the universe has rows for these genes`);
      const csv = await ok([name, ...ids, "--format", "csv"]);
      assertFrameEqual(readDelimited(csv.text, expected), expected, `${name} csv`);
      const parquet = await ok([name, ...ids, "--format", "parquet"]);
      assertFrameEqual(pl.readParquet(Buffer.from(parquet.stdout)), expected, `${name} parquet`);
    });
  }

  await t.step("variant (json), unknown dropped with a warning", async () => {
    const expected = await variant(["chr10:100826333"], { client: offline });
    const r = await ok(["variant", "chr10:100826333", "chr1:1", "--format", "json"], { stderr: true });
    assert.deepEqual(JSON.parse(r.text), jsonRows(expected));
    assert.match(r.stderr, /variant: 1 of 2 variants are not in RatGTEx \(chr1:1\)\. RatGTEx v4 positions are GRCr8/);
    assert.equal(r.stderr.match(/chr1:1/g)?.length, 1, "said once");
  });

  await t.step("median-gene-expression: long and --wide, with --tissue lists", async () => {
    const genes = ["Polr3k", "Rtel1", "Eno1"];
    const med = await medianGeneExpression({ geneId: genes, tissueSiteDetailId: ["IL", "LHb"] }, { client: offline });
    const long = await ok(["median", ...genes, "--tissue", "IL,LHb", "--format", "csv"]);
    assertFrameEqual(readDelimited(long.text, med.long), med.long, "median long");
    const wide = await ok(["median-gene-expression", ...genes, "-t", "IL", "-t", "LHb", "--wide", "--format", "csv"]);
    assertFrameEqual(readDelimited(wide.text, med.wide), med.wide, "median wide");
  });

  await t.step("top-expressed-gene: --filter-mt drops chrM, default keeps it", async () => {
    const filtered = await topExpressedGene({ tissueSiteDetailId: "IL", filterMtGene: true }, { client: offline });
    const all = await topExpressedGene("IL", { client: offline });
    const r = await ok(["top", "IL", "--filter-mt", "--format", "csv"]);
    assertFrameEqual(readDelimited(r.text, filtered), filtered, "top --filter-mt");
    assert.ok(!filtered.getColumn("chromosome").toArray().includes("chrM"));
    const r2 = await ok(["top-expressed-gene", "IL", "--format", "csv"]);
    assertFrameEqual(readDelimited(r2.text, all), all, "top");
  });

  await t.step("dyneqtl: the worked example (summary) and --samples", async () => {
    const triple = { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" };
    const expected = await dyneqtl(triple, { client: offline });
    const r = await ok([
      "dyneqtl",
      "--gene",
      "Cd300lf",
      "--tissue",
      "IL",
      "--variant",
      "chr10:100826333",
      "--format",
      "json",
    ]);
    const [row] = JSON.parse(r.text);
    assert.deepEqual(row, {
      ...triple,
      ref: expected.ref,
      alt: expected.alt,
      homoRefCount: expected.homoRefCount,
      hetCount: expected.hetCount,
      homoAltCount: expected.homoAltCount,
      maf: expected.maf,
      pValue: expected.pValue,
      pValueThreshold: expected.pValueThreshold,
    });
    // The API page's worked example, as the universe pins it.
    assert.deepEqual([row.homoRefCount, row.hetCount, row.homoAltCount, row.pValue], [27, 35, 16, 8.43005e-8]);
    const samples = await ok(["dyneqtl", "Cd300lf", "IL", "chr10:100826333", "--samples", "--format", "parquet"]);
    const frame = pl.readParquet(Buffer.from(samples.stdout));
    assert.deepEqual(frame.columns, ["geneId", "tissueSiteDetailId", "variantId", "sampleIndex", "genotype", "tpm"]);
    assertFrameEqual(frame.select("sampleIndex", "genotype", "tpm"), expected.samples, "dyneqtl --samples");
    assert.deepEqual([...new Set(frame.getColumn("variantId").toArray())], ["chr10:100826333"]);
  });

  await t.step("regress: equals regressEqtls on the same dyneqtl answers, per transform", async () => {
    const triples = [
      { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" },
      { geneId: "Cd300lf", tissueSiteDetailId: "pVTA", variantId: "chr10:100826333" },
    ];
    const results = await dyneqtl(triples, { client: offline });
    for (const transform of ["none", "log2", "int"] as const) {
      const expected = regressEqtls(results, { transform });
      const args = [
        "regress",
        ...triples.flatMap((x) => [x.geneId, x.tissueSiteDetailId, x.variantId]),
        "--format",
        "parquet",
      ];
      const r = await ok(transform === "int" ? args : [...args, "--transform", transform]);
      assertFrameEqual(pl.readParquet(Buffer.from(r.stdout)), expected, `regress ${transform}`);
    }
    // The note about recomputed p-values goes to stderr for the terminal table only.
    const table = await ok(["regress", "Cd300lf", "IL", "chr10:100826333", "--format", "table"], { stderr: true });
    assert.equal(table.stderr.trim(), RECOMPUTED_PVALUE_NOTE);
  });

  await t.step("cluster: server trees by default, --recluster / --metric / --method here", async () => {
    const genes = ["Polr3k", "Rtel1", "Eno1", "Cd300lf"];
    const med = await medianGeneExpression(genes, { client: offline });
    const newick = await ok(["cluster", ...genes, "--newick"]);
    assert.equal(newick.text, `${med.clusters.gene}\n${med.clusters.tissue}\n`);
    // The matrix in dendrogram order (the server's trees equal clusterMedians' defaults, so its orders apply).
    const defaults = clusterMedians(med);
    const frame = await ok(["cluster", ...genes, "--format", "csv"]);
    const read = pl.readCSV(frame.text);
    assert.deepEqual(read.columns, ["geneId", ...defaults.tissueOrder]);
    assert.deepEqual(read.getColumn("geneId").toArray(), defaults.geneOrder);
    assert.deepEqual(
      read.getColumn(defaults.tissueOrder[0]).toArray(),
      defaults.geneOrder.map((g) => med.values[med.geneIds.indexOf(g)][med.tissueIds.indexOf(defaults.tissueOrder[0])]),
    );
    const re = clusterMedians(med, { transform: "log2", method: "complete", metric: "cityblock" });
    const r2 = await ok([
      "cluster",
      ...genes,
      "--recluster",
      "log2",
      "--method",
      "complete",
      "--metric",
      "cityblock",
      "--newick",
    ]);
    assert.equal(r2.text, `${re.clusters.gene}\n${re.clusters.tissue}\n`);
    const impliedNone = clusterMedians(med, { transform: "none", method: "single" });
    const r3 = await ok(["cluster", ...genes, "--method", "single", "--newick"]);
    assert.equal(r3.text, `${impliedNone.clusters.gene}\n${impliedNone.clusters.tissue}\n`);
    const one = await ok(["cluster", "Eno1", "--tissue", "IL,LHb,Liver", "--newick"]);
    assert.equal(one.text.split("\n")[0], "Not enough data");
  });
});

Deno.test("cli: figures writes each kind as the library draws it (SVG, HTML)", async () => {
  const plots = await import("../../lib/plot/mod.ts");
  const dir = await Deno.makeTempDir();
  try {
    const triple = { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" };
    const med = await medianGeneExpression(["Polr3k", "Rtel1", "Eno1", "Cd300lf"], { client: offline });
    const cases: [string[], () => Promise<{ svg: string | null; html: string }>][] = [
      [
        ["eqtl-by-genotype", "Cd300lf", "IL", "chr10:100826333", "--transform", "int"],
        async () => plots.eqtlByGenotype(await dyneqtl(triple, { client: offline }), { transform: "int" }),
      ],
      [
        ["expression-by-tissue", "Cd300lf"],
        async () => plots.expressionByTissue(await geneExpression("Cd300lf", { client: offline })),
      ],
      [["dendro-heatmap", "Polr3k", "Rtel1", "Eno1", "Cd300lf"], () => Promise.resolve(plots.dendroHeatmap(med))],
      [["locus", "Cd300lf"], async () =>
        plots.eqtlLocus({
          singleTissueEqtl: await singleTissueEqtl("Cd300lf", { client: offline }),
          exon: await exon("Cd300lf", { client: offline }),
          eqtl: await eqtl("Cd300lf", { client: offline }),
          gene: await gene("Cd300lf", { client: offline }),
        })],
      [
        ["top-expressed", "Liver", "--filter-mt"],
        async () =>
          plots.topExpressedGenes(
            await topExpressedGene({ tissueSiteDetailId: "Liver", filterMtGene: true }, { client: offline }),
          ),
      ],
      [
        ["xqtl-overview", "Cd300lf", "Eno1"],
        async () => plots.xqtlOverview(await xqtl(["Cd300lf", "Eno1"], { client: offline })),
      ],
    ];
    for (const [args, draw] of cases) {
      const expected = await draw();
      assert.ok(expected.svg !== null, `${args[0]} draws SVG`);
      const path = `${dir}/${args[0]}.svg`;
      const r = await ok(["figures", ...args, "--out", path]);
      assert.equal(r.text, "");
      const svg = await Deno.readTextFile(path);
      assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), `${args[0]}: standalone SVG`);
      assert.equal(svg.trimEnd(), expected.svg!.trimEnd(), `${args[0]}: the library's figure`);
    }
    const html = await ok(["figures", "dendro-heatmap", "Polr3k", "Rtel1", "Eno1", "--format", "html"]);
    assert.match(html.text, /^<!doctype html>\n<meta charset="utf-8">\n<svg xmlns=/);
    const bad = await cli(withOffline(["figures", "pie-chart", "Eno1"]));
    assert.equal(bad.code, 2);
    assert.equal(bad.text, "");
    assert.match(bad.stderr, /the first argument is the figure kind: eqtl-by-genotype/);
    // An inherited property name is no figure kind either (it used to pass `in` and crash with exit 1).
    const inherited = await cli(withOffline(["figures", "constructor", "Eno1"]));
    assert.equal(inherited.code, 2);
    assert.match(inherited.stderr, /the first argument is the figure kind/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: every format round-trips the same frame (eqtl, with null log2aFC)", async () => {
  const expected = await eqtl(["Cd300lf", "Eno1", "Polr3k"], { client: offline });
  assert.ok(expected.getColumn("log2aFC").nullCount() > 0, "the test frame has a null (the server's NaN)");
  const dir = await Deno.makeTempDir();
  try {
    const run = (format: string) => ok(["eqtl", "Cd300lf", "Eno1", "Polr3k", "--format", format]);
    const [csv, tsv, json, ndjson, parquet, table] = await Promise.all(
      ["csv", "tsv", "json", "ndjson", "parquet", "table"].map(run),
    );
    assertFrameEqual(readDelimited(csv.text, expected), expected, "csv");
    assertFrameEqual(readDelimited(tsv.text, expected, "\t"), expected, "tsv");
    assert.ok(tsv.text.startsWith(expected.columns.join("\t") + "\n"));
    assert.deepEqual(JSON.parse(json.text), jsonRows(expected));
    assert.deepEqual(ndjson.text.trimEnd().split("\n").map((l) => JSON.parse(l)), jsonRows(expected));
    assert.ok(JSON.parse(json.text).some((r: { log2aFC: unknown }) => r.log2aFC === null), "null stays null in JSON");
    assertFrameEqual(pl.readParquet(Buffer.from(parquet.stdout)), expected, "parquet");
    // The table shows every column and row at full precision, with a footer that counts them.
    const header = table.text.split("\n")[0];
    for (const c of expected.columns) assert.ok(header.split(/\s+/).includes(c), `the table shows ${c}`);
    // Full precision: the smallest pValueBeta appears as a token that reads back to exactly that number.
    const smallest = Math.min(...(expected.getColumn("pValueBeta").toArray() as number[]));
    const tokens = (table.text.match(/\d+(?:\.\d+)?e-\d+/g) ?? []).map(Number);
    assert.ok(tokens.includes(smallest), `p-values at full precision (${smallest})`);
    assert.ok(table.text.trimEnd().endsWith(`(${expected.height} rows, ${expected.width} columns)`));
    // --out picks the format from the extension, writes the file and nothing on stdout.
    for (
      const [ext, check] of [
        [
          "parquet",
          (bytes: Uint8Array) => assertFrameEqual(pl.readParquet(Buffer.from(bytes)), expected, "--out .parquet"),
        ],
        [
          "csv",
          (bytes: Uint8Array) =>
            assertFrameEqual(readDelimited(decoder.decode(bytes), expected), expected, "--out .csv"),
        ],
        ["ndjson", (bytes: Uint8Array) => assert.equal(decoder.decode(bytes), ndjson.text)],
      ] as const
    ) {
      const path = `${dir}/eqtl.${ext}`;
      const r = await ok(["eqtl", "Cd300lf", "Eno1", "Polr3k", "--out", path]);
      assert.equal(r.text, "");
      check(await Deno.readFile(path));
    }
    // An empty answer (a known gene without eQTLs) still has its columns.
    const universe = await loadUniverse();
    const noEqtl = [...universe.genes.values()].find((g) => g.status.every((s) => !s.eqtl))!.geneId;
    const empty = await ok(["eqtl", noEqtl, "--format", "csv"]);
    assert.equal(empty.text, expected.columns.join(",") + "\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: IDs from standard input ('-') are read, mixed with arguments", async () => {
  const expected = await gene(["Polr3k", "Cd300lf", "Eno1"], { client: offline });
  const r = await ok(["gene", "Polr3k", "-", "--format", "parquet"], {
    stdin: "geneId\n# my genes\nCd300lf\n\nEno1\n",
  });
  assertFrameEqual(pl.readParquet(Buffer.from(r.stdout)), expected, "gene -");
  // The tool's own TSV output pipes back in: eqtl's first three columns feed regress.
  const eq = await ok(["eqtl", "Cd300lf", "--format", "tsv"]);
  const triples = eq.text.trimEnd().split("\n").map((l) => l.split("\t").slice(0, 3).join("\t")).join("\n");
  const fits = await ok(["regress", "-", "--transform", "log2", "--format", "parquet"], { stdin: triples });
  const results = await dyneqtl(
    (await eqtl("Cd300lf", { client: offline })).select("geneId", "tissueSiteDetailId", "variantId").toRecords() as {
      geneId: string;
      tissueSiteDetailId: string;
      variantId: string;
    }[],
    { client: offline },
  );
  assertFrameEqual(pl.readParquet(Buffer.from(fits.stdout)), regressEqtls(results, { transform: "log2" }), "regress -");
});

Deno.test("cli: RATGTEX_SOURCE chooses the source when --source is absent", async () => {
  const expected = await tissueInfo({}, { client: offline });
  const r = await ok(["tissue-info", "--format", "ndjson"], { env: { RATGTEX_SOURCE: "offline" } });
  assert.equal(r.text.trimEnd().split("\n").length, expected.height);
});

Deno.test("cli: bad arguments exit 2 with usage on stderr and nothing on stdout", async () => {
  const cases: [string[], RegExp, string?][] = [
    [[], /no command given/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["gene", "--bogus"], /Unknown option '--bogus'/],
    [["gene"], /give at least one gene ID/],
    [["gene", "-"], /no gene IDs on standard input/, ""],
    [["gene", "-"], /invalid geneId "ignored\?"/, "Cd300lf\nEno1\tignored?\n"],
    [["gene", "Cd300lf", "--format", "xml"], /--format must be one of table, csv, tsv, json, ndjson, parquet/],
    [["gene", "Cd300lf", "--concurrency", "0"], /--concurrency must be an integer from 1 to 64/],
    [["gene", "Cd300lf", "--source", "ftp://example.org"], /invalid source/],
    [["gene", "Cd300lf;rm"], /invalid geneId "Cd300lf;rm"/],
    [["variant", "rs12345"], /invalid variantId "rs12345": not of the form chrN:pos/],
    [["top", "il"], /unknown tissue \(IDs are case-sensitive: did you mean IL\?\)/],
    [["top"], /give one tissue ID, as the argument or with --tissue/],
    [["top", "IL", "--tissue", "LHb"], /give exactly one tissue ID/],
    [["dyneqtl", "--gene", "Cd300lf", "--tissue", "IL"], /missing --variant/],
    [["dyneqtl", "Cd300lf", "IL"], /triples; got 2/],
    [["dyneqtl", "-"], /expected GENE TISSUE VARIANT/, "Cd300lf IL\n"],
    [
      ["regress", "Cd300lf", "IL", "chr10:100826333", "--transform", "log10"],
      /--transform must be one of none, log2, int/,
    ],
    [["cluster", "Eno1", "Rtel1", "--method", "ward", "--metric", "cosine"], /--method ward needs --metric euclidean/],
    [["cluster", "Eno1", "Rtel1", "--recluster", "rank"], /--recluster must be one of none, log2, zscore/],
    [["serve", "--port", "70000"], /--port must be an integer from 0 to 65535/],
    [["cache", "purge"], /expected 'cache info' or 'cache clear'/],
    [["tissue-info", "extra"], /takes no arguments/],
    [["gene", "-", "-"], /standard input \('-'\) can be read only once/, "Cd300lf\n"],
    [
      [
        "figures",
        "eqtl-by-genotype",
        "--gene",
        "Cd300lf",
        "--tissue",
        "IL",
        "--tissue",
        "PL",
        "--variant",
        "chr10:100826333",
      ],
      /--tissue takes one value/,
    ],
    [["regress", "--gene", "Cd300lf", "--tissue", "IL,PL", "--variant", "chr10:100826333"], /--tissue takes one value/],
  ];
  const runs = await Promise.all(cases.map(([args, , stdin]) => cli(withOffline(args), { stdin })));
  runs.forEach((r, i) => {
    const [args, message] = cases[i];
    const what = `ratgtex ${args.join(" ")}`;
    assert.equal(r.code, 2, `${what}: exit ${r.code}, stderr ${r.stderr}`);
    assert.equal(r.text, "", `${what}: stdout must be empty`);
    assert.match(r.stderr, message, what);
    assert.match(r.stderr, /Usage: ratgtex /, `${what}: usage on stderr`);
  });
});

Deno.test("cli against the twin on loopback: cache, refresh, no-cache, failures leave no output file", async (t) => {
  const served = await serveTwin({ faultInjection: true });
  const cacheDir = await Deno.makeTempDir();
  const outDir = await Deno.makeTempDir();
  const source = ["--source", served.baseUrl, "--cache-dir", cacheDir];
  const twinRequests = (route: string) => served.twin.stats.byRoute[route] ?? 0;
  try {
    await t.step("every route subcommand over HTTP equals the offline answer", async () => {
      const pairs: [string[], pl.DataFrame][] = [
        [["gene-status", "Cd300lf"], await geneStatus("Cd300lf", { client: offline })],
        [["eqtl", "Cd300lf", "Eno1"], await eqtl(["Cd300lf", "Eno1"], { client: offline })],
        [["xqtl", "Cd300lf"], await xqtl("Cd300lf", { client: offline })],
        [["exon", "Eno1"], await exon("Eno1", { client: offline })],
        [["variant", "chr10:100826333"], await variant("chr10:100826333", { client: offline })],
        [["top", "Liver"], await topExpressedGene("Liver", { client: offline })],
      ];
      for (const [args, expected] of pairs) {
        const r = await ok([...args, ...source, "--format", "parquet"]);
        assertFrameEqual(pl.readParquet(Buffer.from(r.stdout)), expected, `${args[0]} over HTTP`);
      }
    });

    await t.step("answers are cached on disk; --refresh refetches; --no-cache neither reads nor writes", async () => {
      const before = twinRequests("gene");
      const first = await ok(["gene", "Cd300lf", "Eno1", ...source, "--format", "csv"]);
      assert.equal(twinRequests("gene"), before + 1);
      const second = await ok(["gene", "Cd300lf", "Eno1", ...source, "--format", "csv"]);
      assert.equal(twinRequests("gene"), before + 1, "served from the cache");
      assert.equal(second.text, first.text);
      await ok(["gene", "Cd300lf", "Eno1", ...source, "--format", "csv", "--refresh"]);
      assert.equal(twinRequests("gene"), before + 2, "--refresh asked the server");
      const emptyCache = await Deno.makeTempDir();
      await ok(["gene", "Cd300lf", "--source", served.baseUrl, "--cache-dir", emptyCache, "--no-cache", "-f", "csv"]);
      assert.equal(twinRequests("gene"), before + 3);
      await assertNoFiles(emptyCache, "--no-cache");
      await Deno.remove(emptyCache);
    });

    await t.step("cache info and cache clear", async () => {
      const info = await ok(["cache", "info", "--cache-dir", cacheDir, "--format", "json"]);
      const [row] = JSON.parse(info.text);
      assert.equal(row.dir, cacheDir);
      assert.ok(row.entries >= 7, `entries: ${row.entries}`);
      assert.ok(row.bytes > 0);
      const clear = await ok(["cache", "clear", "--cache-dir", cacheDir]);
      assert.equal(clear.text, `removed ${row.entries} entries (${row.bytes} bytes) from ${cacheDir}\n`);
      const after = JSON.parse((await ok(["cache", "info", "--cache-dir", cacheDir, "--format", "json"])).text);
      assert.deepEqual(after, [{ dir: cacheDir, entries: 0, bytes: 0 }]);
    });

    await t.step(
      "dyneqtl with an unknown gene: refused before sending → exit 2, error on stderr, no output file",
      async () => {
        const out = `${outDir}/dyn.csv`;
        const r = await cli([
          "dyneqtl",
          "--gene",
          "Nosuchgene9",
          "--tissue",
          "IL",
          "--variant",
          "chr10:100826333",
          ...source,
          "--out",
          out,
        ]);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.text, "");
        assert.match(r.stderr, /^ratgtex dyneqtl: invalid geneId "Nosuchgene9": not a RatGTEx gene ID/);
        await assertNoFiles(outDir, "failed dyneqtl");
      },
    );

    await t.step("a failure in a fan-out with --strict keeps an existing output file as it was", async () => {
      const out = `${outDir}/fits.parquet`;
      await Deno.writeTextFile(out, "previous results");
      const r = await cli([
        "regress",
        "Cd300lf",
        "IL",
        "chr10:100826333",
        "Cd300lf",
        "IL",
        "chr10:1",
        ...source,
        "--strict",
        "--out",
        out,
      ]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /failed: Cd300lf\/IL\/chr10:1: dyneqtl: HTTP 404 — \{"error":"Variant not found: chr10:1"\}/,
      );
      assert.match(r.stderr, /1 of 2 items failed \(--strict\): nothing written/);
      assert.equal(await Deno.readTextFile(out), "previous results");
      await Deno.remove(out);
      await assertNoFiles(outDir, "failed regress");
    });

    await t.step("an unwritable --out is a runtime error (exit 1) that leaves nothing", async () => {
      const r = await cli(["tissue-info", ...source, "--out", `${outDir}/missing/folder/t.csv`]);
      assert.equal(r.code, 1);
      assert.equal(r.text, "");
      assert.match(r.stderr, /No such file or directory|not found/i);
      await assertNoFiles(outDir, "unwritable --out");
    });

    await t.step("a rename that fails (--out is a folder) removes the temporary file", async () => {
      const folder = `${outDir}/a-folder`;
      await Deno.mkdir(folder);
      await Deno.writeTextFile(`${folder}/keep.txt`, "kept");
      const r = await cli(["tissue-info", ...source, "--format", "csv", "--out", folder]);
      assert.equal(
        r.code,
        2,
        "a folder as --out is refused as a usage error (ValidationError on out), before any write",
      );
      assert.match(r.stderr, /is a folder/);
      assert.equal(r.text, "");
      const names: string[] = [];
      for await (const e of Deno.readDir(outDir)) names.push(e.name);
      assert.deepEqual(names, ["a-folder"], "only the folder remains: the temporary file was removed");
      assert.equal(await Deno.readTextFile(`${folder}/keep.txt`), "kept");
      await Deno.remove(folder, { recursive: true });
    });

    await t.step("the server down: a network error, exit 1", async () => {
      const r = await cli(["gene", "Cd300lf", "--source", "http://127.0.0.1:9/api/v4", "--no-cache"]);
      assert.equal(r.code, 1);
      assert.equal(r.text, "");
      assert.match(r.stderr, /no answer from http:\/\/127\.0\.0\.1:9\/api\/v4/);
    });
  } finally {
    await served.close();
    await Deno.remove(cacheDir, { recursive: true });
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("cli: serve runs the twin on loopback until SIGTERM", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...PERMISSIONS, CLI, "serve", "--port", "0"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const reader = child.stdout.getReader();
  let first = "";
  while (!first.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    first += decoder.decode(value);
  }
  const baseUrl = first.split("\n")[0];
  try {
    assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/v4$/);
    const body = await (await fetch(`${baseUrl}/tissueInfo`)).json();
    assert.equal(body.tissueInfo.length, 13);
    // The cli's own client against the cli's own server.
    const r = await ok(["gene", "Cd300lf", "--source", baseUrl, "--no-cache", "--format", "ndjson"]);
    assert.equal(JSON.parse(r.text).tss, 100875111);
  } finally {
    child.kill("SIGTERM");
    reader.releaseLock();
    const status = await child.status;
    await child.stdout.cancel().catch(() => {});
    const stderr = decoder.decode(await new Response(child.stderr).arrayBuffer());
    assert.equal(status.code, 0, `serve exited ${status.code}: ${stderr}`);
    assert.match(stderr, /synthetic/);
  }
});

Deno.test("cli: after serve stops, its signal listeners are gone (a later Ctrl-C still ends the process)", async () => {
  // main(["serve"]) called in-process: the listeners it left behind used to swallow every later SIGINT.
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/serve_then_sigint.ts`;
    await Deno.writeTextFile(
      script,
      `import { main } from ${JSON.stringify(new URL("../../lib/cli/main.ts", import.meta.url).href)};\n` +
        `setTimeout(() => Deno.kill(Deno.pid, "SIGINT"), 500);\n` +
        `console.error("main returned", await main(["serve"]));\n` +
        `Deno.kill(Deno.pid, "SIGINT");\n` +
        `setTimeout(() => console.error("still alive after SIGINT"), 2000);\n`,
    );
    const { code, signal, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--config",
        new URL("../../deno.json", import.meta.url).pathname,
        ...PERMISSIONS,
        "--allow-run",
        script,
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const text = decoder.decode(stderr);
    assert.match(text, /main returned 0/);
    assert.ok(!/still alive/.test(text), text);
    assert.equal(signal, "SIGINT", `exit code ${code}: ${text}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: a malformed answer from the server (bad JSON, bad Newick tree) exits 1 with no usage text", async () => {
  // Malformed JSON: the twin truncates every medianGeneExpression body.
  const truncating = await serveTwin({ faults: [{ route: "medianGeneExpression", faults: [{ kind: "truncate" }] }] });
  // A malformed tree: the twin's answer with its gene tree cut short.
  const twin = await createTwin({ faultInjection: true });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const response = await twin.handler(request);
    if (!new URL(request.url).pathname.endsWith("/medianGeneExpression")) return response;
    const body = await response.json();
    body.clusters.gene = "((Polr3k:1.0,Rtel1";
    return Response.json(body);
  });
  const badTreeUrl = `http://127.0.0.1:${server.addr.port}/api/v4`;
  try {
    for (const [what, url] of [["truncated JSON", truncating.baseUrl], ["malformed Newick tree", badTreeUrl]]) {
      const cacheDir = await Deno.makeTempDir();
      const r = await cli([
        "cluster",
        "Polr3k",
        "Rtel1",
        "Eno1",
        "--source",
        url,
        "--cache-dir",
        cacheDir,
        "-f",
        "csv",
      ]);
      await Deno.remove(cacheDir, { recursive: true });
      assert.equal(r.code, 1, `${what}: exit ${r.code}, stderr ${r.stderr}`);
      assert.equal(r.text, "", `${what}: nothing on stdout`);
      assert.match(r.stderr, /^ratgtex cluster: /, what);
      assert.doesNotMatch(r.stderr, /Usage:|--help/, `${what}: no usage text (the user did nothing wrong)`);
    }
  } finally {
    await truncating.close();
    await server.shutdown();
  }
});

Deno.test("cli: gallery --out DIR writes the folder (its --out is a folder, not a file for the summary line)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await ok(["gallery", "--out", `${dir}/g`], { stderr: true });
    assert.match(r.stderr, /^wrote \d+ files to /);
    assert.ok((await Deno.stat(`${dir}/g/index.html`)).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

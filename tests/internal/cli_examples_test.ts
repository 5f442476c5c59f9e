/**
 * Tests of private modules by design: the examples that the JSDoc of internal names in `lib/cli/` carried.
 * No entry point exports these names, so their documentation keeps the prose and the checks live here
 * (the public surface's own examples import from the entry points and run as doc tests).
 *
 * @module
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  choiceOption,
  idsFrom,
  integerOption,
  listOption,
  optionLines,
  parseOptions,
  readStdin,
  splitList,
  stringOption,
  triplesFrom,
} from "../../lib/cli/args.ts";
import { BatchError, createClient, ValidationError } from "ratgtex";
import { settle } from "../../lib/cli/batch.ts";
import { findCommand } from "../../lib/cli/command_table.ts";
import { noPositionals, optionsOf } from "../../lib/cli/command.ts";
import { formatOfPath } from "../../lib/cli/formats.ts";
import { dendrogramOrder } from "../../lib/cli/frames.ts";
import { cliText } from "../../lib/cli/hints.ts";
import { main } from "../../lib/cli/main.ts";
import { flattenNested, renderFrame } from "../../lib/cli/output.ts";
import { userPath } from "../../lib/cli/paths.ts";
import { subjectTissue } from "../../lib/cli/routes.ts";
import { clientFrom } from "../../lib/cli/source.ts";
import { tableText } from "../../lib/cli/table_text.ts";
import { runDemo } from "../../lib/cli/tools/demo.ts";
import { galleryFigures, galleryIndex, writeGallery } from "../../lib/cli/tools/gallery.ts";
import { denoBinary, inNpxCache, jupyterDataDir, kernelSpec, writeKernelSpec } from "../../lib/cli/tools/kernel.ts";
import {
  checkNotebook,
  compareWithCommitted,
  errorCells,
  normalizeSvg,
  notebooksDir,
} from "../../lib/cli/tools/notebook.ts";
import { formatCell, htmlTable, writeReport } from "../../lib/cli/tools/report.ts";

Deno.test("lib/cli/args.ts: parseOptions", () => {
  const { values, positionals } = parseOptions(["Eno1", "-f", "csv"], {
    format: { type: "string", short: "f", help: "" },
  }, "gene");
  assert.equal(values.format, "csv");
  assert.deepEqual(positionals, ["Eno1"]);
  assert.throws(() => parseOptions(["--nope"], {}, "gene"), { name: "UsageError" });
});

Deno.test("lib/cli/args.ts: optionLines", () => {
  assert.deepEqual(optionLines({ out: { type: "string", short: "o", value: "FILE", help: "output file" } }), [
    "  -o, --out FILE  output file",
  ]);
});

Deno.test("lib/cli/args.ts: stringOption", () => {
  assert.deepEqual(stringOption({ tissue: ["IL", "LHb"] }, "tissue"), "LHb");
});

Deno.test("lib/cli/args.ts: listOption", () => {
  assert.deepEqual(listOption({ tissue: ["IL,LHb", "PL"] }, "tissue"), ["IL", "LHb", "PL"]);
});

Deno.test("lib/cli/args.ts: choiceOption", () => {
  assert.deepEqual(choiceOption({ transform: "log2" }, "transform", ["none", "log2", "int"], "regress"), "log2");
});

Deno.test("lib/cli/args.ts: integerOption", () => {
  assert.deepEqual(integerOption({ port: "8000" }, "port", 0, 65535, "serve"), 8000);
});

Deno.test("lib/cli/args.ts: splitList", () => {
  assert.deepEqual(splitList("Cd300lf,Eno1\n Polr3k"), ["Cd300lf", "Eno1", "Polr3k"]);
});

Deno.test("lib/cli/args.ts: readStdin", () => {
  // Not called here: it would wait for standard input. Its answer is the whole of it, as text.
  const read: () => Promise<string> = readStdin;
  assert.equal(typeof read, "function");
});

Deno.test("lib/cli/args.ts: idsFrom", async () => {
  assert.deepEqual(await idsFrom(["Cd300lf,Eno1", "Polr3k"], "gene ID", "geneId", "gene"), [
    "Cd300lf",
    "Eno1",
    "Polr3k",
  ]);
});

Deno.test("lib/cli/args.ts: triplesFrom", async () => {
  assert.deepEqual(await triplesFrom({}, ["Cd300lf", "IL", "chr10:100826333"], "dyneqtl"), [
    { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" },
  ]);
});

Deno.test("lib/cli/batch.ts: settle", async () => {
  const notes: string[] = [];
  const context = { values: {}, note: (t: string) => notes.push(t) } as never;
  const failure = { item: "NotAGene", error: new ValidationError("geneId", "NotAGene", "unknown", "fix") };
  const partial = await settle(context, "eqtl", Promise.reject(new BatchError("eqtl", 2, [failure], "kept")));
  assert.equal(partial, "kept");
  assert.match(notes[0], /NotAGene/);
});

Deno.test("lib/cli/command.ts: optionsOf", () => {
  assert.deepEqual(Object.keys(optionsOf(findCommand("top")!)).slice(0, 4), ["filter-mt", "tissue", "format", "out"]);
});

Deno.test("lib/cli/command.ts: noPositionals", () => {
  assert.throws(() => noPositionals(["x"], "serve"), { name: "UsageError" });
});

Deno.test("lib/cli/command_table.ts: findCommand", () => {
  assert.equal(findCommand("medianGeneExpression")?.name, "median-gene-expression");
  assert.equal(findCommand("pie"), undefined);
});

Deno.test("lib/cli/formats.ts: formatOfPath", () => {
  assert.deepEqual(formatOfPath("genes.parquet"), "parquet");
});

Deno.test("lib/cli/frames.ts: dendrogramOrder", () => {
  const leaf = (name: string) => ({ name, length: null, children: [] });
  const tree = { name: null, length: null, children: [leaf("a"), leaf("b")] };
  assert.deepEqual(dendrogramOrder(tree, []), ["b", "a"]);
  assert.deepEqual(dendrogramOrder(null, ["x"]), ["x"]);
});

Deno.test("lib/cli/hints.ts: cliText", () => {
  const hint =
    "check the network connection, or work offline with createClient({ source: 'offline' }) / RATGTEX_SOURCE=offline";
  assert.match(cliText(hint), /--source offline/);
  assert.doesNotMatch(cliText(hint), /createClient/);
});

Deno.test("lib/cli/main.ts: main", async () => {
  const out = `${await Deno.makeTempDir()}/t.ndjson`;
  assert.equal(await main(["tissue-info", "--source", "offline", "--format", "ndjson", "--out", out]), 0);
  assert.equal((await Deno.readTextFile(out)).trim().split("\n").length, 13);
});

Deno.test("lib/cli/output.ts: flattenNested", () => {
  const df = pl.readJSON(
    JSON.stringify([{
      geneId: "A",
      statusInTissue: [
        { eqtl: true, expressed: true, testedEqtl: true, tissueSiteDetailId: "IL" },
        { eqtl: false, expressed: true, testedEqtl: false, tissueSiteDetailId: "Liver" },
      ],
    }]),
    { format: "json" },
  );
  assert.deepEqual(flattenNested(df).columns, ["geneId", "eqtlIn", "expressedIn", "testedEqtlIn"]);
});

Deno.test("lib/cli/output.ts: renderFrame", () => {
  const df = pl.DataFrame({ geneId: ["Cd300lf"], tss: [100875111] });
  assert.deepEqual(new TextDecoder().decode(renderFrame(df, "ndjson")), '{"geneId":"Cd300lf","tss":100875111}\n');
});

Deno.test("lib/cli/paths.ts: userPath", () => {
  assert.equal(userPath("/tmp/x.csv"), "/tmp/x.csv");
  Deno.env.set("INIT_CWD", "/home/me/project/sub");
  assert.equal(userPath("e.json"), "/home/me/project/sub/e.json");
  Deno.env.delete("INIT_CWD");
  assert.equal(userPath("e.json"), `${Deno.cwd()}/e.json`);
});

Deno.test("lib/cli/routes.ts: subjectTissue", () => {
  assert.equal(subjectTissue({ positionals: [], values: { tissue: "IL" } } as never, "top"), "IL");
  assert.equal(subjectTissue({ positionals: ["IL"], values: {} } as never, "top"), "IL");
  assert.throws(() => subjectTissue({ positionals: ["IL"], values: { tissue: "LHb" } } as never, "top"));
});

Deno.test("lib/cli/source.ts: clientFrom", () => {
  const client = clientFrom({ source: "offline", concurrency: "2" }, "gene");
  assert.equal(client.options.concurrency, 2);
  assert.equal(client.source, "offline");
});

Deno.test("lib/cli/table_text.ts: tableText", () => {
  const df = pl.DataFrame({ geneId: ["Cd300lf"], pValueBeta: [2.02e-6] });
  const text = tableText(df);
  assert.match(text, /2\.02e-6/);
  assert.match(text, /1 row, 2 columns/);
  assert.match(tableText(df, 12), /^-\[ row 1 \]-\ngeneId +Cd300lf\n/); // vertical when too wide
});

Deno.test("lib/cli/tools/demo.ts: runDemo", async () => {
  const result = await runDemo({ client: createClient({ source: "offline" }), outDir: null, log: () => {} });
  assert.deepEqual(result.treesReproduced, { gene: true, tissue: true });
  assert.equal(result.reportPath, null);
});

Deno.test("lib/cli/tools/gallery.ts: galleryFigures", async () => {
  assert.equal((await galleryFigures()).length, 16);
});

Deno.test("lib/cli/tools/gallery.ts: galleryIndex", async () => {
  assert.ok(galleryIndex(await galleryFigures()).includes('<img src="locus.svg"'));
});

Deno.test("lib/cli/tools/gallery.ts: writeGallery", async () => {
  const out = `${await Deno.makeTempDir()}/gallery`;
  const files = await writeGallery(out);
  assert.ok(files.includes("index.html"));
  assert.ok((await Deno.stat(`${out}/locus.svg`)).isFile);
});

Deno.test("lib/cli/tools/kernel.ts: kernelSpec", () => {
  const spec = kernelSpec({ deno: "/usr/local/bin/deno", source: "offline" });
  assert.deepEqual(spec.argv, ["/usr/local/bin/deno", "jupyter", "--kernel", "--conn", "{connection_file}"]);
  assert.equal(spec.env.RATGTEX_SOURCE, "offline");
  assert.throws(() => kernelSpec({ source: "ftp://x" }), { name: "ValidationError" });
  // A Deno from npx's cache is launched through npx, pinned: the kernel survives a cleaned cache.
  const npx = kernelSpec({ deno: "/home/me/.npm/_npx/7a40be78/node_modules/deno/bin/deno" });
  assert.deepEqual(npx.argv.slice(1, 4), ["-y", `deno@${Deno.version.deno}`, "jupyter"]);
  assert.ok(!npx.argv.some((a) => a.includes("_npx")));
});

Deno.test("lib/cli/tools/kernel.ts: inNpxCache", () => {
  assert.ok(inNpxCache("/home/me/.npm/_npx/7a40be78/node_modules/@deno/linux-x64/deno"));
  assert.ok(!inNpxCache("/usr/local/bin/deno"));
});

Deno.test("lib/cli/tools/kernel.ts: denoBinary", () => {
  assert.equal(Deno.realPathSync(denoBinary()), Deno.execPath());
});

Deno.test("lib/cli/tools/kernel.ts: jupyterDataDir", async () => {
  assert.ok((await jupyterDataDir()).length > 0);
});

Deno.test("lib/cli/tools/kernel.ts: writeKernelSpec", async () => {
  const dir = await writeKernelSpec(await Deno.makeTempDir(), kernelSpec());
  const written = JSON.parse(await Deno.readTextFile(`${dir}/kernel.json`));
  assert.equal(written.display_name, "RatGTEx (Deno)");
});

Deno.test("lib/cli/tools/notebook.ts: checkNotebook", () => {
  const cell = { cell_type: "code", source: "1", outputs: [] };
  assert.ok(checkNotebook({ cells: [cell] }).problems.includes("no HTML table in any output"));
});

Deno.test("lib/cli/tools/notebook.ts: errorCells", () => {
  const bad = {
    cell_type: "code",
    source: "x",
    outputs: [{ output_type: "error", ename: "ReferenceError", evalue: "x is not defined" }],
  };
  assert.deepEqual(errorCells({ cells: [bad] }).problems, ["cell 1: error ReferenceError: x is not defined"]);
});

Deno.test("lib/cli/tools/notebook.ts: notebooksDir", () => {
  assert.equal(
    notebooksDir("file:///home/me/My%20Projects/ratgtex/lib/cli/tools/notebook.ts"),
    "/home/me/My Projects/ratgtex/notebooks",
  );
});

Deno.test("lib/cli/tools/report.ts: formatCell", () => {
  assert.deepEqual(formatCell("pValue", 8.43005e-8), "8.43e-8");
  assert.deepEqual(formatCell("pos", 100826333), "100826333");
  assert.deepEqual(formatCell("nes", 0.612345), "0.6123");
});

Deno.test("lib/cli/tools/report.ts: htmlTable", () => {
  assert.ok(htmlTable(pl.DataFrame({ geneId: ["Cd300lf"], pValue: [8.43005e-8] })).startsWith("<table>"));
});

Deno.test("lib/cli/tools/report.ts: writeReport", async () => {
  const dir = await Deno.makeTempDir();
  const path = await writeReport(
    dir,
    "Notes",
    [{ title: "Hello", text: "a paragraph" }],
    createClient({ source: "offline" }),
  );
  assert.match(await Deno.readTextFile(path), /<h2>Hello<\/h2>/);
});

Deno.test("lib/cli/tools/notebook.ts: normalizeSvg", () => {
  const a = '<svg class="plot-d6a7b5"><clipPath id="rgab12-0"/><g clip-path="url(#rgab12-0)"/></svg>';
  const b = '<svg class="plot-0f0f0f"><clipPath id="rgff00-0"/><g clip-path="url(#rgff00-0)"/></svg>';
  assert.equal(normalizeSvg(a), normalizeSvg(b));
  assert.notEqual(normalizeSvg(a), normalizeSvg(b.replace("<g", '<g fill="red"')));
  // The SVG inside an <img> data URI is compared decoded and normalised.
  const img = (svg: string) => `<img src="data:image/svg+xml;base64,${btoa(svg)}">`;
  assert.equal(normalizeSvg(img(a)), normalizeSvg(img(b)));
});

Deno.test("lib/cli/tools/notebook.ts: compareWithCommitted", () => {
  const nb = (n: string) => ({
    cells: [{ cell_type: "code", source: "x", outputs: [{ output_type: "stream", name: "stdout", text: n }] }],
  });
  assert.deepEqual(compareWithCommitted(nb("15 pairs\n"), nb("15 pairs\n")), []);
  assert.match(compareWithCommitted(nb("19 pairs\n"), nb("15 pairs\n"))[0], /^cell 1: stream stdout differs/);
});

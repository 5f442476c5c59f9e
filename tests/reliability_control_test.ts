/**
 * Control characters and formulas from a server: an OSC title, a clear-screen, an OSC 52 clipboard write
 * or a BEL in a server's text never reach the terminal raw (error messages, `--format table`, `text/plain`
 * display bundles); CSV/TSV text cells that a spreadsheet would run (`=HYPERLINK(…)`, `=cmd|…`, `@SUM`) get
 * a leading `'` unless `--raw-cells`; numbers (negative ones too) are never changed.
 */
import assert from "node:assert/strict";
import * as rg from "ratgtex";
import { createTwin } from "ratgtex/offline";
import { runCli, startHostile } from "./support/reliability.ts";

/** An OSC title, a clear-screen, an OSC 52 clipboard write and a C1 CSI. */
const NASTY = "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07\u009b31m";
// deno-lint-ignore no-control-regex
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

async function hostileTwin() {
  const twin = await createTwin();
  return await startHostile(async (request) => {
    const url = new URL(request.url);
    if (url.pathname.endsWith("/exon")) return new Response(`<p>${NASTY}oops</p>`, { status: 503 });
    const response = await twin.handler(request);
    if (!url.pathname.endsWith("/gene") || response.status !== 200) return response;
    const body = JSON.parse(await response.text());
    body.gene[0].description = `=HYPERLINK("http://evil.invalid","click")${NASTY}`;
    body.gene[0].chromosome = `${NASTY}chr10`;
    if (body.gene[1]) body.gene[1].description = "=cmd|' /C calc'!A0";
    return Response.json(body);
  });
}

const cli = (args: string[]) => runCli(args);

Deno.test("control characters: error messages, the table format and text/plain bundles show them escaped", async () => {
  const server = await hostileTwin();
  try {
    const client = rg.createClient({ source: server.baseUrl, cache: false, retries: 0, progress: false });
    const error = await rg.exon("Cd300lf", { client }).then(() => null, (e) => e);
    assert.ok(error instanceof rg.HttpError);
    assert.doesNotMatch(error.message, RAW_CONTROL, error.message);
    assert.match(error.message, /\\x1b\]0;pwned\\x07/);

    const genes = await rg.gene(["Cd300lf"], { client });
    const text = rg.jupyter.display(genes)!["text/plain"];
    assert.doesNotMatch(text, RAW_CONTROL);
    assert.match(text, /\\x1b/);

    const failed = await cli(["exon", "Cd300lf", "--source", server.baseUrl, "--no-cache"]);
    assert.equal(failed.code, 1);
    assert.doesNotMatch(failed.stderr, RAW_CONTROL, failed.stderr);
    const table = await cli(["gene", "Cd300lf", "--source", server.baseUrl, "--no-cache", "--format", "table"]);
    assert.equal(table.code, 0, table.stderr);
    assert.doesNotMatch(table.stdout, RAW_CONTROL);
  } finally {
    await server.close();
  }
});

Deno.test("formulas: CSV/TSV text cells are neutralised (not numbers); --raw-cells keeps them", async () => {
  const server = await hostileTwin();
  try {
    for (const format of ["csv", "tsv"]) {
      const safe = await cli(["gene", "Cd300lf", "Eno1", "--source", server.baseUrl, "--no-cache", "--format", format]);
      assert.equal(safe.code, 0, safe.stderr);
      assert.match(safe.stdout, /'=HYPERLINK\(/);
      assert.match(safe.stdout, /'=cmd\|/);
      assert.doesNotMatch(safe.stdout, /(^|[,\t"])=/m, "no cell starts with =");
      assert.match(safe.stdout, /[,\t]-[,\t]/, "the strand '-' is left alone");
      const raw = await cli([
        "gene",
        "Cd300lf",
        "Eno1",
        "--source",
        server.baseUrl,
        "--no-cache",
        "--format",
        format,
        "--raw-cells",
      ]);
      assert.match(raw.stdout, /(^|[,\t"])=HYPERLINK\(/m);
    }
    // Negative numbers in a numeric column are numbers, never prefixed.
    const eqtls = await cli([
      "single-tissue-eqtl",
      "Cd300lf",
      "--source",
      server.baseUrl,
      "--no-cache",
      "--format",
      "csv",
    ]);
    assert.equal(eqtls.code, 0, eqtls.stderr);
    assert.match(eqtls.stdout, /,-0\.\d+,/);
    assert.doesNotMatch(eqtls.stdout, /'-/);
  } finally {
    await server.close();
  }
});

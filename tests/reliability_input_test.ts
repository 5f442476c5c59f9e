/**
 * The bad input catalogue: IDs with URL syntax, control and non-ASCII characters, empty and overlong IDs,
 * 10,000 IDs, tissue IDs in the wrong case, malformed variant IDs, booleans as strings, unknown parameter
 * names, bad client options and NaN/null inside the regression's numeric inputs. Every case is refused
 * with a `ValidationError` naming the parameter, the value and the fix, and the twin (on loopback) counts
 * no request for it. The one documented exception: a well-formed tissue ID outside the 13 v4 IDs makes
 * the client fetch `tissueInfo` once per client (the server's list is the authority); the route itself
 * is never called. A case slip of a v4 ID (`il`) is refused without any request.
 *
 * Then the other side: values that pass validation reach the server percent-encoded and arrive intact.
 */
import assert from "node:assert/strict";
import * as rg from "ratgtex";
import { assertUrlsEncoded, listFiles, runCli, startLoopbackTwin } from "./support/reliability.ts";

/** One bad input: what to call, the parameter the error must name, and the bad value it must carry. */
interface BadInput {
  name: string;
  run: (client: rg.Client) => unknown;
  parameter: string;
  value: unknown;
  /** Requests to `tissueInfo` this case may cost (a well-formed unknown tissue on a fresh client). */
  tissueInfoRequests?: number;
}

const DYN = { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" };
const many = (n: number, last: string) => [...Array.from({ length: n - 1 }, (_, i) => `SynG${i}`), last];

const geneCases: [string, unknown][] = [
  ["empty", ""],
  ["spaces only", "   "],
  ["a tab", "\t"],
  ["a comma-joined list", "Cd300lf,Eno1"],
  ["an ampersand", "Cd300lf&tissueSiteDetailId=IL"],
  ["a slash and '..'", "Cd300lf/../tissueInfo"],
  ["'..'", ".."],
  ["percent-encoded '..'", "%2e%2e"],
  ["a percent escape", "Cd300lf%00"],
  ["a question mark", "Cd300lf?x=1"],
  ["a hash", "Cd300lf#top"],
  ["a NUL character", "Cd300lf\u0000"],
  ["CR LF (header injection)", "Cd300lf\r\nX-Injected: 1"],
  ["an accented letter", "Gène"],
  ["a zero-width space", "Cd300lf\u200b"],
  ["an emoji", "\u{1F400}"],
  ["a right-to-left override", "\u202eCd300lf"],
  ["a trailing space", "Cd300lf "],
  ["a leading space", " Cd300lf"],
  ["101 characters", "A".repeat(101)],
  ["HTML", "<script>alert(1)</script>"],
  ["a semicolon", "Cd300lf;rm"],
  ["a backslash", "Cd300lf\\x"],
];

const variantCases: [string, unknown][] = [
  ["chr10-1 (dash)", "chr10-1"],
  ["10:abc (no chr, letters)", "10:abc"],
  ["chr10:abc", "chr10:abc"],
  ["a negative position", "chr10:-5"],
  ["position 0 (1-based)", "chr10:0"],
  ["a huge position (11 digits)", "chr10:99999999999"],
  ["beyond any chromosome", "chr10:1000000001"],
  ["exponent notation", "chr10:1e5"],
  ["a decimal position", "chr10:1.5"],
  ["a plus sign", "chr10:+5"],
  ["hexadecimal", "chr10:0x10"],
  ["an rsID", "rs12345"],
  ["with alleles", "chr10:100826333:C:T"],
  ["a space after the colon", "chr10: 100826333"],
  ["Arabic-Indic digits", "chr10:\u0661\u0662\u0663"],
  ["a comma-joined list", "chr10:100826333,chr1:5"],
  ["empty", ""],
  ["upper-case CHR", "CHR10:100"],
  ["a NUL character", "chr10:100\u0000"],
];

const CATALOGUE: BadInput[] = [
  // Gene IDs, through single-gene and list routes.
  ...geneCases.map(([name, value], i): BadInput => {
    const routes = [
      (c: rg.Client) => rg.eqtl(value as string, { client: c }),
      (c: rg.Client) => rg.gene(value as string, { client: c }),
      (c: rg.Client) => rg.exon(value as string, { client: c }),
      (c: rg.Client) => rg.geneExpression(value as string, { client: c }),
      (c: rg.Client) => rg.xqtl(value as string, { client: c }),
      (c: rg.Client) => rg.singleTissueEqtl(value as string, { client: c }),
      (c: rg.Client) => rg.medianGeneExpression([value as string, "Eno1"], { client: c }),
      (c: rg.Client) => rg.dyneqtl({ ...DYN, geneId: value as string }, { client: c }),
    ];
    return { name: `gene ID with ${name}`, run: routes[i % routes.length], parameter: "geneId", value };
  }),
  {
    name: "gene ID as a number",
    run: (c) => rg.gene({ geneId: 123 } as never, { client: c }),
    parameter: "geneId",
    value: 123,
  },
  { name: "an empty gene list", run: (c) => rg.gene([], { client: c }), parameter: "geneId", value: [] },
  {
    name: "one bad ID among 10,000 (list route)",
    run: (c) => rg.gene(many(10_000, "bad/id"), { client: c }),
    parameter: "geneId",
    value: "bad/id",
  },
  {
    name: "one bad ID among 10,000 (fan-out route)",
    run: (c) => rg.eqtl(many(10_000, "Eno1&x=1"), { client: c }),
    parameter: "geneId",
    value: "Eno1&x=1",
  },
  {
    name: "10,000 genes in one medianGeneExpression request (URL too long)",
    run: (c) => rg.medianGeneExpression(many(10_000, "SynG9999"), { client: c }),
    parameter: "geneId",
    value: many(10_000, "SynG9999").join(","),
  },
  // Tissue IDs.
  {
    name: "tissue in the wrong case (il)",
    run: (c) => rg.topExpressedGene("il", { client: c }),
    parameter: "tissueSiteDetailId",
    value: "il",
  },
  {
    name: "tissue in the wrong case (liver)",
    run: (c) => rg.topExpressedGene("liver", { client: c }),
    parameter: "tissueSiteDetailId",
    value: "liver",
  },
  {
    name: "tissue in the wrong case (Il, dyneqtl)",
    run: (c) => rg.dyneqtl({ ...DYN, tissueSiteDetailId: "Il" }, { client: c }),
    parameter: "tissueSiteDetailId",
    value: "Il",
  },
  {
    name: "tissue in the wrong case in a list",
    run: (c) =>
      rg.medianGeneExpression({ geneId: ["Eno1", "Rtel1"], tissueSiteDetailId: ["IL", "pvta"] }, { client: c }),
    parameter: "tissueSiteDetailId",
    value: "pvta",
  },
  {
    name: "a well-formed tissue that is not a v4 tissue (Heart)",
    run: (c) => rg.topExpressedGene("Heart", { client: c }),
    parameter: "tissueSiteDetailId",
    value: "Heart",
    tissueInfoRequests: 1,
  },
  {
    name: "tissue with a trailing space",
    run: (c) => rg.topExpressedGene("IL ", { client: c }),
    parameter: "tissueSiteDetailId",
    value: "IL ",
  },
  {
    name: "empty tissue",
    run: (c) => rg.topExpressedGene("", { client: c }),
    parameter: "tissueSiteDetailId",
    value: "",
  },
  {
    name: "tissue with '../'",
    run: (c) => rg.topExpressedGene("../IL", { client: c }),
    parameter: "tissueSiteDetailId",
    value: "../IL",
  },
  {
    name: "tissues comma-joined",
    run: (c) => rg.topExpressedGene("IL,Liver", { client: c }),
    parameter: "tissueSiteDetailId",
    value: "IL,Liver",
  },
  {
    name: "two tissues where the route takes one",
    run: (c) => rg.topExpressedGene({ tissueSiteDetailId: ["IL", "Liver"] } as never, { client: c }),
    parameter: "tissueSiteDetailId",
    value: ["IL", "Liver"],
  },
  // Variant IDs.
  ...variantCases.map(([name, value], i): BadInput => ({
    name: `variant ID: ${name}`,
    run: i % 2 === 0
      ? (c) => rg.variant(value as string, { client: c })
      : (c) => rg.dyneqtl({ ...DYN, variantId: value as string }, { client: c }),
    parameter: "variantId",
    value,
  })),
  // Booleans and parameter names.
  ...(["true", "True", "false", 1, 0, null] as unknown[]).filter((v) => v !== null).map((value): BadInput => ({
    name: `filterMtGene as ${JSON.stringify(value)}`,
    run: (c) => rg.topExpressedGene({ tissueSiteDetailId: "IL", filterMtGene: value } as never, { client: c }),
    parameter: "filterMtGene",
    value,
  })),
  {
    name: "unknown parameter geneID (case)",
    run: (c) => rg.gene({ geneID: "Cd300lf" } as never, { client: c }),
    parameter: "geneID",
    value: "Cd300lf",
  },
  {
    name: "unknown parameter tissue",
    run: (c) => rg.dyneqtl({ ...DYN, tissue: "IL" } as never, { client: c }),
    parameter: "tissue",
    value: "IL",
  },
  {
    name: "unknown parameter on a list route",
    run: (c) => rg.medianGeneExpression({ geneId: ["Eno1"], tissues: "IL" } as never, { client: c }),
    parameter: "tissues",
    value: "IL",
  },
  {
    name: "missing variantId",
    run: (c) => rg.dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL" } as never, { client: c }),
    parameter: "variantId",
    value: undefined,
  },
  {
    name: "two genes where dyneqtl takes one",
    run: (c) => rg.dyneqtl({ ...DYN, geneId: ["Cd300lf", "Eno1"] } as never, { client: c }),
    parameter: "geneId",
    value: ["Cd300lf", "Eno1"],
  },
  {
    name: "one bad triple in a dyneqtl batch",
    run: (c) => rg.dyneqtl([DYN, { ...DYN, variantId: "chr10:x" }], { client: c }),
    parameter: "variantId",
    value: "chr10:x",
  },
  // Client options.
  ...([
    ["concurrency", 0],
    ["concurrency", NaN],
    ["timeoutMs", -1],
    ["timeoutMs", "30"],
    ["retries", -1],
    ["batchSize", 0],
    ["maxUrlLength", 10],
    ["source", "ftp://example.org/api/v4"],
    ["source", "ratgtex.org"],
  ] as [string, unknown][]).map(([parameter, value]): BadInput => ({
    name: `createClient ${parameter}: ${String(value)}`,
    run: () => rg.createClient({ [parameter]: value }),
    parameter,
    value,
  })),
  // NaN and null inside the regression's numbers.
  ...([
    ["NaN TPM", { data: [1, NaN, 3, 4], genotypes: [0, 1, 2, 1] }, "data", NaN],
    ["null TPM", { data: [1, null, 3, 4], genotypes: [0, 1, 2, 1] }, "data", null],
    ["negative TPM", { data: [1, -1, 3, 4], genotypes: [0, 1, 2, 1] }, "data", -1],
    ["infinite TPM", { data: [1, Infinity, 3, 4], genotypes: [0, 1, 2, 1] }, "data", Infinity],
    ["TPM as a string", { data: [1, "3", 3, 4], genotypes: [0, 1, 2, 1] }, "data", "3"],
    ["dosage 3", { data: [1, 2, 3, 4], genotypes: [0, 1, 3, 1] }, "genotypes", 3],
    ["NaN dosage", { data: [1, 2, 3, 4], genotypes: [0, NaN, 2, 1] }, "genotypes", NaN],
    ["dosage 0.5", { data: [1, 2, 3, 4], genotypes: [0, 0.5, 2, 1] }, "genotypes", 0.5],
    ["dosage as a string", { data: [1, 2, 3, 4], genotypes: [0, "1", 2, 1] }, "genotypes", "1"],
    ["lengths differ", { data: [1, 2, 3], genotypes: [0, 1, 2, 1] }, "genotypes.length", 4],
    ["data null", { data: null, genotypes: [0, 1, 2, 1] }, "data", null],
    [
      "NaN in the 2nd of a batch",
      [{ data: [1, 2, 3, 4], genotypes: [0, 1, 2, 1] }, { data: [1, NaN, 3, 4], genotypes: [0, 1, 2, 1] }],
      "input[1].data",
      NaN,
    ],
  ] as [string, unknown, string, unknown][]).map(([name, input, parameter, value]): BadInput => ({
    name: `${Array.isArray(input) ? "regressEqtls" : "regressEqtl"}: ${name}`,
    run: () =>
      Array.isArray(input)
        ? rg.analysis.regressEqtls(input as rg.analysis.EqtlInput[])
        : rg.analysis.regressEqtl(input as rg.analysis.EqtlInput),
    parameter,
    value,
  })),
];

/** The value as the error message shows it (strings JSON-quoted and cut at 80 characters). */
function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value).slice(0, 30);
  if (Array.isArray(value)) return `[${value.length} items]`;
  return String(value);
}

Deno.test(`bad input catalogue: ${CATALOGUE.length} cases, each a ValidationError naming parameter, value and fix, and no request sent`, async () => {
  const served = await startLoopbackTwin();
  const cacheDir = await Deno.makeTempDir({ prefix: "ratgtex-input-" });
  let tissueInfoFetches = 0;
  try {
    for (const bad of CATALOGUE) {
      // A fresh client per case, so that no case leans on another's tissueInfo look-up.
      // Gene IDs unchecked: the catalogue is about the form of the input (made-up genes such as SynG9999
      // stand for real ones); tests/gene_check_test.ts tests the check against RatGTEx's gene list.
      const client = rg.createClient({ source: served.baseUrl, cacheDir, progress: false, checkGenes: false });
      served.twin.resetStats();
      let error: unknown = null;
      try {
        await bad.run(client);
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof rg.ValidationError, `${bad.name}: expected a ValidationError, got ${error}`);
      const e = error as rg.ValidationError;
      assert.equal(e.parameter, bad.parameter, `${bad.name}: the parameter named`);
      if (typeof bad.value === "number" && Number.isNaN(bad.value)) {
        assert.ok(Number.isNaN(e.value as number), `${bad.name}: value`);
      } else assert.deepEqual(e.value, bad.value, `${bad.name}: the value carried`);
      assert.ok(e.message.includes(bad.parameter), `${bad.name}: the message names ${bad.parameter}: ${e.message}`);
      assert.ok(
        e.message.includes(shown(bad.value)),
        `${bad.name}: the message shows ${shown(bad.value)}: ${e.message}`,
      );
      assert.ok(e.hint.length >= 10 && e.message.includes(e.hint), `${bad.name}: the message gives the fix`);
      const sent = served.twin.stats.requests;
      const tissueInfo = served.twin.stats.byRoute.tissueInfo ?? 0;
      assert.equal(sent - tissueInfo, 0, `${bad.name}: ${sent} request(s) sent: ${served.twin.stats.urls}`);
      assert.equal(tissueInfo, bad.tissueInfoRequests ?? 0, `${bad.name}: tissueInfo look-ups`);
      tissueInfoFetches += tissueInfo;
    }
    // The tissueInfo look-up is once per client: a second unknown tissue costs nothing more.
    const client = rg.createClient({ source: served.baseUrl, cache: false, progress: false, checkGenes: false });
    served.twin.resetStats();
    for (const t of ["Heart", "Lung", "Kidney"]) {
      await assert.rejects(rg.topExpressedGene(t, { client }), rg.ValidationError);
    }
    assert.deepEqual(served.twin.stats.byRoute, { tissueInfo: 1 });
    assert.deepEqual((await listFiles(cacheDir)).filter((f) => !f.includes("ratgtex-cache-1/")), []);
  } finally {
    await served.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
  console.log(
    `bad input catalogue: ${CATALOGUE.length} cases refused with a ValidationError; requests to a route: 0; ` +
      `tissueInfo look-ups: ${tissueInfoFetches} (the one case of a well-formed non-v4 tissue)`,
  );
  assert.ok(CATALOGUE.length >= 50);
});

Deno.test("values that pass validation reach the server percent-encoded and arrive intact", async () => {
  const served = await startLoopbackTwin();
  try {
    const client = rg.createClient({ source: served.baseUrl, cache: false, progress: false, checkGenes: false });
    const genes = ["LOC120093067", "A.b-c_d", "Cd300lf", "X1"];
    const variants = ["chr10:100826333", "chrUn_NW.1:5", "chrX:1", "chrMT:16000"];
    await rg.gene(genes, { client });
    await rg.variant(variants, { client });
    await rg.medianGeneExpression({ geneId: ["Eno1", "Rtel1"], tissueSiteDetailId: ["pVTA", "RMTg"] }, { client });
    await rg.topExpressedGene({ tissueSiteDetailId: "IL", filterMtGene: true }, { client });
    const urls = served.twin.stats.urls;
    assertUrlsEncoded(urls);
    const arrived = (route: string, name: string) =>
      new URLSearchParams(urls.find((u) => u.startsWith(`/api/v4/${route}?`))!.split("?")[1]).get(name);
    assert.equal(arrived("gene", "geneId"), genes.join(","));
    assert.equal(arrived("variant", "variantId"), variants.join(","));
    assert.equal(arrived("medianGeneExpression", "tissueSiteDetailId"), "pVTA,RMTg");
    assert.equal(arrived("topExpressedGene", "filterMtGene"), "true");

    // The encoder itself, on values validation would refuse: nothing of URL syntax survives.
    const url = client.url("gene", { geneId: "a&b=c/../d e%f#g?h\u00e9\u0000" });
    const query = url.slice(url.indexOf("?") + 1);
    assert.match(query, /^geneId=[A-Za-z0-9\-._~%]*$/);
    assert.equal(new URLSearchParams(query).get("geneId"), "a&b=c/../d e%f#g?h\u00e9\u0000");
  } finally {
    await served.close();
  }
});

Deno.test({
  // Once a gap: perGene and medianGeneExpression read `params.geneId` before validation (a TypeError).
  name: "null or non-string gene input is a ValidationError",
  fn: async () => {
    const client = rg.createClient({ source: "offline" });
    for (const input of [null, 123, { geneId: undefined }, { geneId: 5 }, { geneID: "Cd300lf" }]) {
      await assert.rejects(rg.eqtl(input as never, { client }), rg.ValidationError);
      await assert.rejects(rg.medianGeneExpression(input as never, { client }), rg.ValidationError);
    }
  },
});

Deno.test("cli stdin: 300,000 IDs are read without a stack overflow (the request then fails as a network error)", async () => {
  const ids = Array.from({ length: 300_000 }, (_, i) => `Gene${i}`).join("\n");
  const r = await runCli(["gene", "-", "--source", "http://127.0.0.1:9/api/v4", "--no-cache"], {}, `geneId\n${ids}\n`);
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /RangeError|call stack/);
  assert.match(r.stderr, /no answer from http:\/\/127\.0\.0\.1:9/);
});

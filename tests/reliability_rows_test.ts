/**
 * Nothing bad is cached: a proxy on 127.0.0.1 in front of the twin breaks one part of a real answer (a row,
 * a field, a nested list, a tree); the call fails with a ResponseFormatError naming the route, the row and
 * the field (never a TypeError or a silent null), and once the proxy is "fixed" the next call gets the good
 * answer from the server, not the bad one from the cache.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/api/expression.ts`,
 * `lib/api/qtl.ts`.
 */
import assert from "node:assert/strict";
import * as rg from "ratgtex";
import { createTwin } from "ratgtex/offline";
import { listFiles, startHostile } from "./support/reliability.ts";
import { medianResult } from "../lib/api/expression.ts";
import { dyneqtlResult } from "../lib/api/qtl.ts";

type Json = Record<string, unknown>;
type Row = Record<string, unknown>;
const first = (b: Json, key: string) => (b[key] as Row[])[0];

/** Each case: the call, how to break the twin's answer, and what the error must name. */
const CASES: {
  name: string;
  call: (client: rg.Client) => Promise<unknown>;
  breakIt: (body: Json) => Json | string;
  names: RegExp;
}[] = [
  {
    name: "a null row",
    call: (c) => rg.gene(["Cd300lf"], { client: c }),
    breakIt: () => ({ gene: [null] }),
    names: /gene.*row 0 of "gene" is null/,
  },
  {
    name: "statusInTissue not a list",
    call: (c) => rg.gene(["Cd300lf"], { client: c }),
    breakIt: (b) => (first(b, "gene").statusInTissue = "oops", b),
    names: /row 0 of "gene": field "statusInTissue" is "oops"/,
  },
  {
    name: "a status entry with a string boolean",
    call: (c) => rg.geneStatus(["Cd300lf"], { client: c }),
    breakIt: (b) => ((first(b, "gene").statusInTissue as Row[])[2].eqtl = "yes", b),
    names: /statusInTissue\[2\] field "eqtl" is "yes"/,
  },
  ...([['"12"', "12"], ["1e300", 1e300], ["2^64", 2 ** 64], ["1.5", 1.5]] as const).map(([label, bad]) => ({
    name: `an integer column given ${label}`,
    call: (c: rg.Client) => rg.gene(["Cd300lf"], { client: c }),
    breakIt: (b: Json) => (first(b, "gene").start = bad, b),
    names: /row 0 of "gene": field "start" is .*not an integer/,
  })),
  {
    name: "Infinity in an integer column",
    call: (c) => rg.exon(["Cd300lf"], { client: c }),
    breakIt: (b) => JSON.stringify(b).replace(/"exonNumber":1,/, '"exonNumber":Infinity,'),
    names: /row 0 of "exon": field "exonNumber" is Infinity/,
  },
  {
    name: "a missing field",
    call: (c) => rg.variant(["chr10:100826333"], { client: c }),
    breakIt: (b) => (delete first(b, "variant").ref, b),
    names: /row 0 of "variant": field "ref" is missing/,
  },
  {
    name: "dyneqtl data and genotypes of unequal length",
    call: (c) =>
      rg.dyneqtl({ geneId: "Cd300lf", variantId: "chr10:100826333", tissueSiteDetailId: "IL" }, { client: c }),
    breakIt: (b) => ((b.genotypes as unknown[]).pop(), b),
    names: /dyneqtl.*"data" has \d+ samples but "genotypes" \d+/,
  },
  {
    name: "a bad Newick tree",
    call: (c) => rg.medianGeneExpression(["Cd300lf", "Eno1"], { client: c }),
    breakIt: (b) => ((b.clusters as Row).gene = "((Eno1:1,Cd300lf:1);", b),
    names: /clusters\.gene is not valid Newick/,
  },
  {
    name: "missing clusters",
    call: (c) => rg.medianGeneExpression(["Cd300lf", "Eno1"], { client: c }),
    breakIt: (b) => (delete b.clusters, b),
    names: /no "clusters"/,
  },
  {
    name: "a tissue named geneId",
    call: (c) => rg.medianGeneExpression(["Cd300lf", "Eno1"], { client: c }),
    breakIt: (b) => (first(b, "medianGeneExpression").tissueSiteDetailId = "geneId", b),
    names: /row 0 of "medianGeneExpression": field "tissueSiteDetailId" is "geneId", not a tissue ID/,
  },
  {
    name: "a numeric tissue",
    call: (c) => rg.medianGeneExpression(["Cd300lf", "Eno1"], { client: c }),
    breakIt: (b) => (first(b, "medianGeneExpression").tissueSiteDetailId = 7, b),
    names: /field "tissueSiteDetailId" is 7, not a string/,
  },
  {
    name: "a geneExpression row without data",
    call: (c) => rg.geneExpression(["Cd300lf"], { client: c }),
    breakIt: (b) => (delete first(b, "geneExpression").data, b),
    names: /row 0 of "geneExpression": field "data" is missing, not a list/,
  },
  {
    name: "a sample that is a string",
    call: (c) => rg.geneExpression(["Cd300lf"], { client: c }),
    breakIt: (b) => ((first(b, "geneExpression").data as unknown[])[3] = "4.5", b),
    names: /field "data" \[3\] is "4.5", not a number/,
  },
  {
    name: "a string column given a number",
    call: (c) => rg.singleTissueEqtl(["Cd300lf"], { client: c }),
    breakIt: (b) => (first(b, "singleTissueEqtl").chromosome = 1, b),
    names: /row 0 of "singleTissueEqtl": field "chromosome" is 1, not a string/,
  },
  {
    name: "invalid UTF-8",
    call: (c) => rg.tissueInfo({}, { client: c }),
    breakIt: (b) => JSON.stringify(b).replace("Adipose", "Adip\u0000se"),
    names: /not valid UTF-8/,
  },
];

Deno.test("bad rows: each shape is a typed error naming route, row and field, and is never cached", async () => {
  const twin = await createTwin();
  const state = { broken: true, breakIt: CASES[0].breakIt };
  const server = await startHostile(async (request) => {
    const response = await twin.handler(request);
    if (!state.broken || response.status !== 200) return response;
    const broken = state.breakIt(JSON.parse(await response.text()));
    if (typeof broken === "string" && broken.includes("\u0000")) {
      // Invalid UTF-8: a lone continuation byte where the NUL marker is.
      const bytes = new TextEncoder().encode(broken);
      return new Response(bytes.map((x) => (x === 0 ? 0x80 : x)), { headers: response.headers });
    }
    return new Response(typeof broken === "string" ? broken : JSON.stringify(broken), { headers: response.headers });
  });
  try {
    for (const c of CASES) {
      const cacheDir = await Deno.makeTempDir();
      // checkGenes: false: the cache must hold nothing at all after a bad row (the gene list would be a good entry).
      const client = rg.createClient({
        source: server.baseUrl,
        cacheDir,
        progress: false,
        retryBaseMs: 1,
        checkGenes: false,
      });
      state.broken = true;
      state.breakIt = c.breakIt;
      const error = await c.call(client).then(() => null, (e) => e);
      assert.ok(error instanceof rg.ResponseFormatError, `${c.name}: ${error?.stack ?? error}`);
      assert.match(error.message, c.names, c.name);
      assert.ok(error.route, `${c.name}: names the route`);
      assert.deepEqual((await listFiles(cacheDir)).filter((f) => f.endsWith(".json")), [], `${c.name}: nothing cached`);
      state.broken = false;
      await c.call(client); // the fixed server's answer, not the bad one from the cache
      assert.equal(client.stats.cacheHits, 0, c.name);
      assert.equal(client.stats.requests, 2, `${c.name}: one bad answer (not retried), one good`);
    }
  } finally {
    await server.close();
  }
});

Deno.test("answers read from a file are checked the same way (medianResult, dyneqtlResult)", () => {
  assert.throws(
    () =>
      medianResult({
        clusters: { gene: "Not enough data", tissue: "Not enough data" },
        medianGeneExpression: [{ geneId: "a", tissueSiteDetailId: "geneId", median: 1 }],
      }),
    (e) => e instanceof rg.ResponseFormatError && /not a tissue ID/.test(e.message),
  );
  assert.throws(() => dyneqtlResult({ data: [1], genotypes: [] }), rg.ResponseFormatError);
});

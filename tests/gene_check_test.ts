/**
 * Gene IDs are checked against RatGTEx's own list (`/data/v4/autocomplete.v4.json`, served by the twin)
 * before any request, on every route; batches report each failed item (`onError`), over loopback HTTP.
 */
import assert from "node:assert/strict";
import * as rg from "ratgtex";
import { loadUniverse, type ServedTwin, serveTwin } from "ratgtex/offline";

/** The multi-allelic site of the universe: the server answers 500 for it (fixtures/generate.ts). */
const MULTI = "chr10:100880001";
const WORKED = { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" };

/** Every function that takes a gene, called with `geneId`. */
const GENE_CALLS: [string, (geneId: string, client: rg.Client) => Promise<unknown>][] = [
  ["gene", (g, client) => rg.gene(g, { client })],
  ["geneStatus", (g, client) => rg.geneStatus(g, { client })],
  ["exon", (g, client) => rg.exon(g, { client })],
  ["geneExpression", (g, client) => rg.geneExpression(g, { client })],
  ["medianGeneExpression", (g, client) => rg.medianGeneExpression(["Eno1", g], { client })],
  ["singleTissueEqtl", (g, client) => rg.singleTissueEqtl(g, { client })],
  ["eqtl", (g, client) => rg.eqtl(g, { client })],
  ["xqtl", (g, client) => rg.xqtl(g, { client })],
  ["dyneqtl", (g, client) => rg.dyneqtl({ ...WORKED, geneId: g }, { client })],
  ["eqtlEffects", (g, client) => rg.eqtlEffects(g, { client })],
];

async function withTwin(fn: (served: ServedTwin, client: rg.Client) => Promise<void>): Promise<void> {
  const served = await serveTwin({ quiet: true });
  try {
    await fn(served, rg.createClient({ source: served.baseUrl, cache: false, progress: false, retries: 0 }));
  } finally {
    await served.close();
  }
}

/** Run `fn` with console.warn captured; returns the warnings. */
async function warnings(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void seen.push(args.map(String).join(" "));
  try {
    await fn();
  } finally {
    console.warn = original;
  }
  return seen;
}

Deno.test("every gene-taking function: a wrong-case or misspelt gene is a ValidationError with the closest ID, and nothing is sent", async (t) => {
  await withTwin(async (served, client) => {
    for (const [name, call] of GENE_CALLS) {
      for (
        const [bad, pattern] of [
          ["cd300lf", /IDs are case-sensitive: did you mean Cd300lf\?/],
          ["Cd300lx", /did you mean Cd300lf/],
        ] as const
      ) {
        await t.step(`${name}(${bad})`, async () => {
          served.twin.resetStats();
          const err = await call(bad, client).then(() => null, (e) => e);
          assert.ok(err instanceof rg.ValidationError, `${name}: ${err}`);
          assert.equal(err.parameter, "geneId");
          assert.equal(err.value, bad);
          assert.match(err.message, pattern);
          assert.equal(served.twin.stats.requests, 0, `${name}: ${served.twin.stats.urls}`);
        });
      }
    }
    assert.equal(client.stats.geneListRequests, 1, "the gene list is fetched once per client");
  });
});

Deno.test("the gene list: fetched once per source by concurrent callers, cached on disk, from the URL beside the API", async () => {
  const served = await serveTwin({ quiet: true });
  const cacheDir = await Deno.makeTempDir({ prefix: "ratgtex-genelist-" });
  try {
    const client = rg.createClient({ source: served.baseUrl, cacheDir, progress: false });
    assert.equal(client.geneListUrl, served.baseUrl.replace(/\/api\/v4$/, "/data/v4/autocomplete.v4.json"));
    await Promise.all(["Cd300lf", "Eno1", "Rtel1", "Polr3k"].map((g) => rg.eqtl(g, { client })));
    assert.equal(served.twin.stats.geneListRequests, 1, "concurrent callers share one request");
    const ids = await client.geneIds();
    assert.equal(ids?.size, (await loadUniverse()).genes.size);
    // A fresh client on the same cache folder reads the list from the cache.
    const again = rg.createClient({ source: served.baseUrl, cacheDir, progress: false });
    await rg.exon("Cd300lf", { client: again });
    assert.equal(served.twin.stats.geneListRequests, 1);
    assert.equal(again.stats.cacheHits >= 1, true);
  } finally {
    await served.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
});

Deno.test("a source without the gene list: today's behaviour, with one warning", async () => {
  const served = await serveTwin({ quiet: true });
  try {
    // A server that answers the routes but not the list (404), as a custom mirror might.
    const client = rg.createClient({
      source: served.baseUrl,
      cache: false,
      progress: false,
      fetch: (request) =>
        new URL(request.url).pathname.endsWith("autocomplete.v4.json")
          ? Promise.resolve(new Response("not here", { status: 404 }))
          : fetch(request),
    });
    let frames: number[] = [];
    const seen = await warnings(async () => {
      frames = [(await rg.eqtl("NotAGene", { client })).height, (await rg.exon("NotAGene", { client })).height];
    });
    assert.deepEqual(frames, [0, 0], "the server's own answer for an unknown gene");
    assert.equal(seen.length, 1, seen.join("\n"));
    assert.match(seen[0], /gene IDs are not checked against RatGTEx's list/);
  } finally {
    await served.close();
  }
});

Deno.test("batches: a failed item is named, the others are kept (BatchError.partial, or onError: 'skip')", async (t) => {
  await withTwin(async (served, client) => {
    await t.step("perGene route: an unknown gene among good ones", async () => {
      served.twin.resetStats();
      const err = await rg.eqtl(["Cd300lf", "NotAGene", "Eno1"], { client }).catch((e) => e);
      assert.ok(err instanceof rg.BatchError, String(err));
      assert.deepEqual(err.failures.map((f) => f.item), ["NotAGene"]);
      assert.ok(err.failures[0].error instanceof rg.ValidationError);
      const partial = err.partial as Awaited<ReturnType<typeof rg.eqtl>>;
      assert.deepEqual([...new Set(partial.getColumn("geneId").toArray())], ["Cd300lf", "Eno1"]);
      assert.equal(served.twin.stats.byRoute.eqtl, 2, "nothing sent for the unknown gene");
      const seen: string[] = [];
      const skipped = await warnings(async () => {
        const frame = await rg.eqtl(["Cd300lf", "NotAGene"], { client, onError: "skip" });
        seen.push(String(frame.height));
      });
      assert.equal(skipped.length, 1);
      assert.match(skipped[0], /NotAGene/);
      assert.ok(Number(seen[0]) > 0);
    });
    await t.step("gene batch: an unknown gene", async () => {
      const err = await rg.gene(["Cd300lf", "NotAGene"], { client }).catch((e) => e);
      assert.ok(err instanceof rg.BatchError);
      assert.deepEqual((err.partial as Awaited<ReturnType<typeof rg.gene>>).getColumn("geneId").toArray(), [
        "Cd300lf",
      ]);
    });
    await t.step("variant batch: the multi-allelic variant (HTTP 500) is isolated by bisection and named", async () => {
      served.twin.resetStats();
      const ids = ["chr10:100826333", MULTI, "chr10:100826333"];
      const err = await rg.variant(ids, { client }).catch((e) => e);
      assert.ok(err instanceof rg.BatchError, String(err));
      assert.deepEqual(err.failures.map((f) => f.item), [MULTI]);
      assert.match(err.message, /multi-allelic/);
      assert.equal((err.partial as Awaited<ReturnType<typeof rg.variant>>).height, 2);
      const skipped = await warnings(() => rg.variant(ids, { client, onError: "skip" }));
      assert.equal(skipped.length, 1);
      assert.ok(skipped[0].includes(MULTI));
    });
    await t.step("dyneqtl batch: a multi-allelic variant and an unknown tissue among good triples", async () => {
      const triples = [WORKED, { ...WORKED, variantId: MULTI }, { ...WORKED, tissueSiteDetailId: "Heart" }];
      const err = await rg.dyneqtl(triples, { client }).catch((e) => e);
      assert.ok(err instanceof rg.BatchError, String(err));
      assert.deepEqual(err.failures.map((f) => f.item), triples.slice(1));
      assert.match(err.message, /Cd300lf\/IL\/chr10:100880001/);
      assert.equal((err.partial as unknown[]).length, 1);
      const kept = await warnings(async () => {
        assert.equal((await rg.dyneqtl(triples, { client, onError: "skip" })).length, 1);
      });
      assert.equal(kept.length, 2);
    });
    await t.step("onError is checked", async () => {
      await assert.rejects(rg.eqtl(["Cd300lf"], { client, onError: "ignore" as never }), rg.ValidationError);
    });
  });
});

Deno.test("eqtlEffects: a wrong-case or unknown tissue is a ValidationError before any request", async () => {
  await withTwin(async (served, client) => {
    for (const [tissue, pattern] of [["il", /did you mean IL\?/], ["Lung", /unknown tissue/]] as const) {
      served.twin.resetStats();
      const err = await rg.eqtlEffects("Cd300lf", { client, tissueSiteDetailId: tissue }).catch((e) => e);
      assert.ok(err instanceof rg.ValidationError, String(err));
      assert.equal(err.parameter, "options.tissueSiteDetailId");
      assert.match(err.message, pattern);
      const routes = Object.keys(served.twin.stats.byRoute).filter((r) => r !== "tissueInfo");
      assert.deepEqual(routes, []);
    }
  });
});

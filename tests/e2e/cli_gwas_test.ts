/**
 * The GWAS subcommands (`ld`, `proxies`, `coloc`, `finemap`) as a user runs them: the CLI in a subprocess,
 * over the bundled release (`--data offline`), a release folder and a remote release (the twin's `/data/v4`
 * on loopback); each answer equal to the library's frame (through the entry points).
 */
import assert from "node:assert/strict";
import * as rg from "ratgtex";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
import { serveTwin } from "ratgtex/offline";

const CLI = new URL("../../lib/cli/main.ts", import.meta.url).pathname;
const release = await openRelease(BUNDLED_RELEASE);

/** Run the CLI; its exit code, NDJSON rows and standard error. */
async function cli(args: string[]): Promise<{ code: number; rows: Record<string, unknown>[]; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args, "-f", "ndjson"],
    env: { NO_COLOR: "1", RATGTEX_CACHE_DIR: await Deno.makeTempDir() },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  return {
    code: out.code,
    rows: text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l)),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** JSON round trip of the library's rows, as the CLI writes them (NaN → null). */
const asJson = (rows: unknown[]) => JSON.parse(JSON.stringify(rows, (_k, v) => (Number.isNaN(v) ? null : v)));

Deno.test("ratgtex ld: the library's frame, over the bundled release, a folder and a remote release", async () => {
  const lib = asJson(
    (await rg.ldFromRelease(release, "chr10:100826333", { tissue: "IL", minR2: 0.05 })).toRecords(),
  );
  assert.ok(lib.length >= 2);
  const offline = await cli(["ld", "chr10:100826333", "--tissue", "IL", "--min-r2", "0.05", "--data", "offline"]);
  assert.equal(offline.code, 0, offline.stderr);
  assert.deepEqual(offline.rows, lib);
  const folder = await cli(["ld", "chr10:100826333", "-t", "IL", "--min-r2", "0.05", "--data", BUNDLED_RELEASE]);
  assert.deepEqual(folder.rows, lib);
  const served = await serveTwin({ quiet: true });
  try {
    const base = served.baseUrl.replace(/\/api\/v4$/, "/data/v4");
    const remote = await cli(["ld", "chr10:100826333", "-t", "IL", "--min-r2", "0.05", "--data", base]);
    assert.equal(remote.code, 0, remote.stderr);
    assert.deepEqual(remote.rows, lib);
  } finally {
    await served.close();
  }
  const bad = await cli(["ld", "chr10:1", "--data", "offline"]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /not in the release's genotype VCF/);
  const usage = await cli(["ld", "--min-r2", "2", "chr10:100826333", "--data", "offline"]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--min-r2 must be a number from 0 to 1/);
});

Deno.test("ratgtex proxies: the library's frame; --best; filters", async () => {
  const lib = asJson((await rg.proxies(release, "chr19:43245682")).toRecords());
  const out = await cli(["proxies", "chr19:43245682", "--data", "offline"]);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(out.rows, lib);
  const best = await cli([
    "proxies",
    "chr10:100826333",
    "--best",
    "--min-r2",
    "0",
    "--max-p",
    "1e-3",
    "--data",
    "offline",
  ]);
  assert.deepEqual(
    best.rows,
    asJson((await rg.proxies(release, "chr10:100826333", { minR2: 0, maxP: 1e-3, bestOnly: true })).toRecords()),
  );
  assert.ok(best.rows.every((r) => r.best === true));
  const il = await cli(["proxies", "chr10:100826333", "--tissue", "IL", "--data", "offline"]);
  assert.deepEqual(il.rows.map((r) => r.tissueSiteDetailId), ["IL"]);
});

Deno.test("ratgtex coloc: the library's summary; the lead and the match said on stderr; usage errors", async () => {
  const file = "fixtures/gwas/synthetic_trait_A.mlma";
  const lib = asJson((await rg.colocGwas(release, file, { gwasN: 917, keepAmbiguous: true })).summary.toRecords());
  const out = await cli(["coloc", file, "--gwas-n", "917", "--keep-ambiguous", "--data", "offline"]);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(out.rows, lib);
  assert.match(out.stderr, /lead chr19:43245682; 1392 of 1392 GWAS variants matched/);
  const cc = await cli([
    "coloc",
    file,
    "--gwas-n",
    "917",
    "--tissue",
    "Liver,IL",
    "--p12",
    "1e-6",
    "--data",
    "offline",
  ]);
  assert.deepEqual(
    cc.rows,
    asJson(
      (await rg.colocGwas(release, file, { gwasN: 917, tissues: ["Liver", "IL"], p12: 1e-6 })).summary.toRecords(),
    ),
  );
  const noN = await cli(["coloc", file, "--data", "offline"]);
  assert.notEqual(noN.code, 0);
  assert.match(noN.stderr, /--gwas-n 917/);
  const badType = await cli(["coloc", file, "--gwas-type", "binary", "--data", "offline"]);
  assert.equal(badType.code, 2);
});

Deno.test("ratgtex finemap: the library's frames (variants, sets, independent, --egenes); usage errors", async () => {
  const fm = await rg.finemapGene(release, { geneId: "SynG049", tissueSiteDetailId: "Adipose" });
  const variants = await cli(["finemap", "SynG049", "--tissue", "Adipose", "--data", "offline"]);
  assert.equal(variants.code, 0, variants.stderr);
  assert.deepEqual(variants.rows, asJson(fm.variants.toRecords()));
  assert.deepEqual(Object.keys(variants.rows[0]).slice(0, 4), ["variantId", "pos", "pip", "credibleSet"]);
  const sets = await cli(["finemap", "SynG049", "-t", "Adipose", "--what", "sets", "--data", "offline"]);
  assert.deepEqual(sets.rows, asJson(fm.sets.toRecords()));
  const indep = await cli(["finemap", "SynG049", "-t", "Adipose", "--what", "independent", "--data", "offline"]);
  assert.deepEqual(indep.rows, asJson(fm.independent.toRecords()));
  const small = await cli([
    "finemap",
    "SynG049",
    "-t",
    "Adipose",
    "--L",
    "1",
    "--coverage",
    "0.9",
    "--data",
    "offline",
  ]);
  const one = await rg.finemapGene(release, { geneId: "SynG049", tissueSiteDetailId: "Adipose" }, {
    L: 1,
    coverage: 0.9,
  });
  assert.deepEqual(small.rows, asJson(one.variants.toRecords()));
  const all = await cli(["finemap", "--egenes", "-t", "IL", "--what", "genes", "--data", "offline"]);
  assert.deepEqual(all.rows, asJson((await rg.finemapEgenes(release, "IL")).genes.toRecords()));
  assert.equal((await cli(["finemap", "SynG049", "--data", "offline"])).code, 2); // no --tissue
  const bad = await cli(["finemap", "Nope", "-t", "IL", "--data", "offline"]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /not mapped in IL/);
});

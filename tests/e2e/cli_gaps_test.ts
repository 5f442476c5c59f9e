/**
 * The command line's remaining gaps, closed: one source option for every release subcommand (`--source`,
 * `RATGTEX_SOURCE`, `--data` as an alias), the pipeline-exact statistics (`eqtl-stats`, from arguments or
 * stdin) equal to the library's, cut-tree groups as a table equal to `cutTree`, and a route's name printed
 * once in an error.
 */
import assert from "node:assert/strict";
import * as rg from "ratgtex";
import { clusterMedians, cutTree } from "ratgtex/analysis";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";

const CLI = new URL("../../lib/cli/main.ts", import.meta.url).pathname;

async function run(args: string[], env: Record<string, string> = {}, stdin?: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    env: { NO_COLOR: "1", ...env },
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}
const ndjson = (text: string) => text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));

Deno.test("CLI: release subcommands take --source, RATGTEX_SOURCE and --data alike", async () => {
  const a = await run(["egenes", "--egenes", "--source", "offline", "-f", "ndjson"]);
  const b = await run(["egenes", "--egenes", "-f", "ndjson"], { RATGTEX_SOURCE: "offline" });
  const c = await run(["egenes", "--egenes", "--data", "offline", "-f", "ndjson"]);
  for (const r of [a, b, c]) assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(ndjson(a.stdout), ndjson(b.stdout));
  assert.deepEqual(ndjson(a.stdout), ndjson(c.stdout));
  assert.ok(ndjson(a.stdout).length > 0);
});

Deno.test("CLI: eqtl-stats gives the library's pipeline-exact statistics, from arguments and from stdin", async () => {
  const rel = await openRelease(BUNDLED_RELEASE);
  const pairs = [
    { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" },
    { geneId: "Eno1", tissueSiteDetailId: "NAcc", variantId: "chr5:167560579" },
  ];
  // The nominal statistics (the permutation pass: tests/e2e/cli_permutation_test.ts).
  const lib = JSON.parse(JSON.stringify((await rel.eqtlStatistics(pairs, { permutations: 0 })).toRecords()));
  const args = await run([
    "eqtl-stats",
    ...pairs.flatMap((p) => Object.values(p)),
    "--source",
    "offline",
    "--permutations",
    "0",
    "-f",
    "ndjson",
  ]);
  assert.equal(args.code, 0, args.stderr);
  assert.deepEqual(ndjson(args.stdout), lib);
  const tsv = pairs.map((p) => Object.values(p).join("\t")).join("\n") + "\n";
  const piped = await run(
    ["eqtl-stats", "-", "--permutations", "0", "-f", "ndjson"],
    { RATGTEX_SOURCE: "offline" },
    tsv,
  );
  assert.equal(piped.code, 0, piped.stderr);
  assert.deepEqual(ndjson(piped.stdout), lib);
  assert.ok(lib.every((r: { agrees: boolean }) => r.agrees === true));
});

Deno.test("CLI: cluster --groups writes the cut-tree groups as a table, equal to cutTree", async () => {
  const genes = ["Polr3k", "Rtel1", "Eno1", "Cd300lf"];
  const client = rg.createClient({ source: "offline" });
  const med = await rg.medianGeneExpression(genes, { client });
  const res = clusterMedians(med, { transform: "log2" });
  const want = cutTree(res.geneLinkage!, { k: 2 });
  const r = await run([
    "cluster",
    ...genes,
    "--recluster",
    "log2",
    "--groups",
    "2",
    "--source",
    "offline",
    "-f",
    "ndjson",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(ndjson(r.stdout), med.geneIds.map((g, i) => ({ geneId: g, group: want[i] })));
  const tissues = await run(["cluster", ...genes, "--cut-height", "1e9", "--of", "tissues", "--source", "offline"]);
  assert.equal(tissues.code, 0, tissues.stderr);
  assert.match(tissues.stdout, /tissueSiteDetailId/);
  const both = await run(["cluster", ...genes, "--groups", "2", "--cut-height", "3", "--source", "offline"]);
  assert.equal(both.code, 2);
});

Deno.test("CLI: a route's name is printed once in an error", async () => {
  const r = await run(["top-expressed-gene", "--tissue", "Livr", "--source", "offline"]);
  assert.equal(r.code, 2);
  const first = r.stderr.split("\n")[0];
  assert.equal(
    first,
    'ratgtex top-expressed-gene: invalid tissueSiteDetailId "Livr": unknown tissue (did you mean Liver?)',
  );
});

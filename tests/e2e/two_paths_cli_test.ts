/**
 * Two paths, one answer, from the command line: `ratgtex <route> <every gene> -f ndjson --source offline` and
 * `ratgtex region/egenes --data offline` give the library's frames for every gene of the bundled release,
 * row for row (the library's side through the entry points).
 */
import assert from "node:assert/strict";
import * as rg from "ratgtex";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";

const CLI = new URL("../../lib/cli/main.ts", import.meta.url).pathname;
const GENES = JSON.parse(await Deno.readTextFile(`${BUNDLED_RELEASE}/autocomplete.v4.json`)) as string[];
const client = rg.createClient({ source: "offline", progress: false });

/** Run the CLI, parse its NDJSON. */
async function cli(args: string[]): Promise<Record<string, unknown>[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args, "-f", "ndjson"],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
}

/** JSON round trip of the library's rows, as the CLI writes them (NaN → null). */
const asJson = (rows: unknown[]) => JSON.parse(JSON.stringify(rows, (_k, v) => (Number.isNaN(v) ? null : v)));

for (
  const [command, route] of [
    ["gene", rg.gene],
    ["eqtl", rg.eqtl],
    ["xqtl", rg.xqtl],
    ["single-tissue-eqtl", rg.singleTissueEqtl],
    ["exon", rg.exon],
  ] as const
) {
  Deno.test(`two paths, CLI: ratgtex ${command} over every gene equals the library's frame`, async () => {
    const lib = (await (route as (g: string[], o: object) => Promise<{ toRecords(): unknown[] }>)(GENES, { client }))
      .toRecords();
    const fromCli = await cli([command, GENES.join(","), "--source", "offline"]);
    assert.equal(fromCli.length, lib.length);
    // Nested columns (gene's statusInTissue) are flattened by the CLI; compare the flat ones.
    const flat = (r: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(r).filter(([, v]) => v === null || typeof v !== "object"));
    assert.deepEqual(fromCli.map(flat), asJson(lib).map(flat));
  });
}

Deno.test("two paths, CLI: region --what genes and egenes equal the release's frames", async () => {
  const rel = await openRelease(BUNDLED_RELEASE);
  const genes = (await rel.genes()).toRecords() as Record<string, unknown>[];
  const chr10 = genes.filter((g) => g.chromosome === "chr10");
  const fromCli = await cli(["region", "chr10:1-300000000", "--what", "genes", "--data", "offline"]);
  assert.deepEqual(
    fromCli.map((r) => [r.geneId, r.hasEqtl]),
    chr10.map((g) => [g.geneId, g.hasEqtl]),
    "every gene of chr10 with its hasEqtl (a boolean)",
  );
  assert.ok(fromCli.some((r) => r.hasEqtl === true));
  const top = (await rel.topAssociations()).toRecords();
  const egenes = await cli(["egenes", "--data", "offline"]);
  assert.equal(egenes.length, top.length);
});

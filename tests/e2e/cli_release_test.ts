/**
 * The release subcommands (`region`, `lookup`, `top-associations`) over the bundled release, through the CLI.
 *
 * Imports internal modules by design (the CLI's `main`, run in process): `lib/cli/main.ts`.
 */
import assert from "node:assert/strict";
import { main } from "../../lib/cli/main.ts";

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const dir = await Deno.makeTempDir();
  try {
    const code = await main([...args, "--out", `${dir}/out.csv`]);
    return { code, out: await Deno.readTextFile(`${dir}/out.csv`).catch(() => "") };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("ratgtex region / lookup / egenes over a release folder", async () => {
  const region = await run(["region", "chr10:100.7M-101.0M", "--data", "offline"]);
  assert.equal(region.code, 0);
  const lines = region.out.trim().split("\n");
  assert.equal(lines[0], "geneId,tissueSiteDetailId,variantId,chromosome,pos,ref,alt,pValueBeta,log2aFC,rank");
  assert.ok(lines.some((l) => l.startsWith("Cd300lf,IL,chr10:100826333,")));
  const genes = await run(["region", "chr10:100.7M-101.0M", "--what", "genes", "--data", "offline"]);
  assert.ok(genes.out.includes("Cd300lf,chr10,100858924,100875111,-,100875111,"));
  const lookup = await run(["lookup", "chr10:100826333", "--window", "1000000", "--data", "fixtures/data"]);
  assert.equal(lookup.code, 0);
  assert.ok(lookup.out.split("\n").length > lines.length - 1);
  const sig = await run(["lookup", "chr10:100826333", "--what", "significant", "--data", "offline"]);
  assert.ok(
    sig.out.startsWith("geneId,tissueSiteDetailId,variantId,chromosome,pos,nes,pValue,tssDistance,af,slopeSe\n"),
  );
  assert.ok(sig.out.includes("Cd300lf,IL,chr10:100826333,"));
  const egenes = await run(["egenes", "--egenes", "--data", "offline"]);
  assert.ok(egenes.out.split("\n").slice(1, -1).every((l) => l.endsWith(",true")));
  assert.notEqual((await run(["region", "nonsense", "--data", "offline"])).code, 0);
});

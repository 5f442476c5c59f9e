/**
 * The command line's readers of the release's other files equal the library's frames on the bundled release:
 * `xqtl-top`, `xqtls`, `trans`, `region`/`lookup --what modality-xqtls|trans`, `rats`, `samples`,
 * `heritability`, `predictions`.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";

const CLI = new URL("../../lib/cli/main.ts", import.meta.url).pathname;

async function run(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args, "--source", "offline", "-f", "ndjson"],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  const r = { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
}
const same = (frame: { toRecords(): unknown[] }) => JSON.parse(JSON.stringify(frame.toRecords()));

Deno.test("CLI: xqtl-top, xqtls, trans and the region/lookup tables give the library's frames", async () => {
  const rel = await openRelease(BUNDLED_RELEASE);
  const top = await rel.xqtlTopAssociations({ modality: "splicing" });
  assert.deepEqual(await run(["xqtl-top", "--modality", "splicing"]), same(top));
  assert.deepEqual(
    await run(["xqtl-top", "--modality", "splicing", "--significant"]),
    same(top.filter(top.getColumn("significant"))),
  );
  assert.deepEqual(
    await run(["xqtls", "--modality", "isoforms"]),
    same(await rel.independentXqtls({ modality: "isoforms" })),
  );
  assert.deepEqual(await run(["xqtls"]), same(await rel.independentXqtls()));
  const trans = await rel.transPairs();
  const one = trans.getColumn("variantId").get(0) as string;
  assert.deepEqual(await run(["trans", "--variant", one]), same(await rel.transPairs({ variantId: one })));
  assert.deepEqual(
    await run(["trans", "--gene", "SynG001,SynG002", "--tissue", "IL"]),
    same(await rel.transPairs({ geneId: ["SynG001", "SynG002"], tissueSiteDetailId: "IL" })),
  );
  const region = "chr5:120M-140M";
  const r = await rel.region(region, { modalities: true, trans: true });
  assert.deepEqual(await run(["region", region, "--what", "modality-xqtls"]), same(r.modalityXqtls!));
  assert.deepEqual(await run(["region", region, "--what", "trans"]), same(r.trans!));
  const hits = await rel.lookup(one, { trans: true });
  assert.deepEqual(await run(["lookup", one, "--what", "trans"]), same(hits.trans!));
  // Rats, samples, heritability, predictions.
  assert.deepEqual(await run(["rats"]), same(await rel.rats()));
  const ilRats = await run(["rats", "--tissue", "IL"]);
  assert.deepEqual(ilRats.map((r: { ratId: string }) => r.ratId), await rel.ratIds("IL"));
  assert.deepEqual(
    await run(["samples", "--tissue", "IL,LHb"]),
    same((await rel.samples()).filter(pl.col("tissueSiteDetailId").isIn(["IL", "LHb"]))),
  );
  assert.deepEqual(
    await run(["heritability", "--gene", "Cd300lf", "--tissue", "IL"]),
    same(await rel.heritability({ geneId: ["Cd300lf"], tissueSiteDetailId: ["IL"] })),
  );
  assert.deepEqual(
    await run(["predictions", "--gene", "Cd300lf", "--tissue", "IL", "--rat", "SYNRAT0001,SYNRAT1200"]),
    same(
      await rel.predictedPhenotypes({
        geneId: "Cd300lf",
        tissueSiteDetailId: "IL",
        ratIds: ["SYNRAT0001", "SYNRAT1200"],
      }),
    ),
  );
});

/**
 * The command line's permutation subcommands equal the library: `perm-stats` (Release.permutationStatistics),
 * `qvalues` (Release.qValues), `eqtl-stats --permutations/--seed` (Release.eqtlStatistics), on the bundled
 * release with its own permutations; and their usage errors.
 */
import assert from "node:assert/strict";
import { BUNDLED_PERMUTATIONS, BUNDLED_RELEASE, openRelease } from "ratgtex/release";

const CLI = new URL("../../lib/cli/main.ts", import.meta.url).pathname;

async function run(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args, "--source", "offline", "-f", "ndjson"],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}
const ndjson = (text: string) => text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
const same = (frame: { toRecords(): unknown[] }) => JSON.parse(JSON.stringify(frame.toRecords()));
const OWN = ["--permutations", "1000", "--seed", "20260426", "--published-permutations", "1000"];

Deno.test("CLI: perm-stats, qvalues and eqtl-stats --seed give the library's frames", async () => {
  const rel = await openRelease(BUNDLED_RELEASE);
  const perm = await run(["perm-stats", "IL", "--gene", "Eno1,SynG001", ...OWN]);
  assert.equal(perm.code, 0, perm.stderr);
  const lib = await rel.permutationStatistics(
    { tissueSiteDetailId: "IL", geneIds: ["Eno1", "SynG001"] },
    BUNDLED_PERMUTATIONS,
  );
  assert.deepEqual(ndjson(perm.stdout), same(lib));
  assert.ok(ndjson(perm.stdout).every((r: { agrees: boolean }) => r.agrees));

  const q = await run(["qvalues", "Adipose"]);
  assert.equal(q.code, 0, q.stderr);
  assert.deepEqual(ndjson(q.stdout), same(await rel.qValues({ tissueSiteDetailId: "Adipose" })));

  const pair = { geneId: "Eno1", tissueSiteDetailId: "IL", variantId: "chr5:167560579" };
  const stats = await run(["eqtl-stats", ...Object.values(pair), ...OWN]);
  assert.equal(stats.code, 0, stats.stderr);
  assert.deepEqual(ndjson(stats.stdout), same(await rel.eqtlStatistics([pair], BUNDLED_PERMUTATIONS)));
  assert.equal(ndjson(stats.stdout)[0].agrees, true);
});

Deno.test("CLI: perm-stats and qvalues refuse a missing tissue and bad numbers (exit 2)", async () => {
  for (
    const [args, pattern] of [
      [["perm-stats"], /perm-stats takes one tissue/],
      [["perm-stats", "IL", "--permutations", "1"], /--permutations must be an integer from 2/],
      [["perm-stats", "IL", "--seed", "-3"], /--seed/],
      [["qvalues", "IL", "LHb"], /qvalues takes one tissue/],
      [["eqtl-stats", "Eno1", "IL", "chr5:167560579", "--permutations", "x"], /--permutations/],
    ] as [string[], RegExp][]
  ) {
    const r = await run(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
  }
});

/**
 * A release table larger than one read chunk (16 MiB) reads whole: the polars frame is built chunk by chunk
 * and the chunks joined (nodejs-polars 0.25.2 refuses `concat` options without `how`; the full-size synthetic
 * release's queries failed there while every table of the bundled release fits one chunk).
 */
import assert from "node:assert/strict";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";

Deno.test("release: a table of several read chunks (> 16 MiB) reads whole, rows in order", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ratgtex-chunks-" });
  try {
    await new Deno.Command("cp", { args: ["-r", BUNDLED_RELEASE, `${dir}/v4`] }).output();
    const file = `${dir}/v4/eqtl/eqtls_indep.v4_rn8.tsv`;
    const header = (await Deno.readTextFile(file)).split("\n")[0];
    // One independent eQTL per (tissue, gene, rank): unique keys, ~110 bytes a row, 240,000 rows ≈ 21 MB.
    const rows = 240_000;
    const lines = [header];
    for (let i = 0; i < rows; i++) {
      const pos = 1_000_000 + i;
      lines.push(
        `IL\tCd300lf\t24\tchr10:${pos}\tchr10\t${pos}\tA\tG\t0.25\t${i}\t1e-08\t0.5\t0.05\t1e-06\t${i + 1}\t0.75`,
      );
    }
    const text = lines.join("\n") + "\n";
    assert.ok(text.length > 16 * 2 ** 20 + 1, `more than one chunk (${text.length} bytes)`);
    await Deno.writeTextFile(file, text);
    const rel = await openRelease(`${dir}/v4`);
    const eqtls = await rel.independentEqtls();
    assert.equal(eqtls.height, rows);
    const ranks = eqtls.getColumn("rank").toArray() as number[];
    assert.equal(ranks[0], 1);
    assert.equal(ranks[rows - 1], rows);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * Every tested variant's statistics (`Release.cisStatistics`) against the bundled release's own numbers:
 * for EVERY gene × tissue of `top_assoc`, every variant its `cis_pvals` member lists is in the cis window
 * with a p-value equal to the published one at its printed precision (read here from the zip itself, not
 * through the library), and the top variant's slope, SE, TSS distance and allele frequency equal
 * `top_assoc`'s at theirs.
 *
 * Tolerance: half a unit of the last printed digit of each published value (× (1 + 1e-9)); a 15–17-digit
 * token (a full double) is held to 1e-9 relative.
 */
import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
import { ValidationError } from "ratgtex";

const release = await openRelease(BUNDLED_RELEASE);

/** |x − printed| within half a unit of the printed token's last significant digit. */
function asPrinted(x: number, token: string): boolean {
  const value = Number(token);
  const mantissa = token.toLowerCase().split("e")[0].replace(/^[-+]/, "").replace(".", "").replace(/^0+/, "");
  const digits = Math.max(1, mantissa.length);
  if (digits >= 15) return Math.abs(x - value) <= 1e-9 * Math.abs(value);
  if (value === 0) return x === 0;
  const exp = Math.floor(Math.log10(Math.abs(value)));
  return Math.abs(x - value) <= 0.5 * 10 ** (exp - digits + 1) * (1 + 1e-9);
}

/** One tissue's `cis_pvals` archive: gene → variant → token. */
function cisPvals(tissue: string): Map<string, Map<string, string>> {
  const files = unzipSync(Deno.readFileSync(`${BUNDLED_RELEASE}/cis_pvals/${tissue}.v4.zip`));
  const out = new Map<string, Map<string, string>>();
  for (const [name, bytes] of Object.entries(files)) {
    const m = /\/(.+)\.txt$/.exec(name);
    if (!m) continue;
    const lines = new TextDecoder().decode(bytes).split("\n").filter((l) => l !== "");
    assert.deepEqual(lines[0].split("\t"), ["variant_id", "pval_nominal"]);
    out.set(m[1], new Map(lines.slice(1).map((l) => l.split("\t") as [string, string])));
  }
  return out;
}

/** `top_assoc` rows as tokens, by `tissue\tgene`. */
function topAssoc(): Map<string, Record<string, string>> {
  const lines = Deno.readTextFileSync(`${BUNDLED_RELEASE}/eqtl/top_assoc.v4_rn8.tsv`).split("\n").filter(Boolean);
  const header = lines[0].split("\t");
  return new Map(
    lines.slice(1).map((l) => {
      const cells = l.split("\t");
      const row = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
      return [`${row.tissue}\t${row.gene_id}`, row];
    }),
  );
}

Deno.test("cisStatistics: every cis_pvals variant of every gene × tissue, p equal at printed precision", async () => {
  const top = topAssoc();
  const tissues = [...new Set([...top.values()].map((r) => r.tissue))];
  let checked = 0, pairs = 0;
  for (const tissue of tissues) {
    const published = cisPvals(tissue);
    const genes = [...top.values()].filter((r) => r.tissue === tissue).map((r) => r.gene_id);
    const frame = await release.cisStatistics({ geneId: genes, tissueSiteDetailId: tissue });
    const rows = frame.toRecords() as {
      geneId: string;
      variantId: string;
      tssDistance: number;
      af: number;
      pValue: number;
      slope: number;
      slopeSe: number;
      publishedPValue: number | null;
      agrees: boolean | null;
    }[];
    const byPair = new Map(rows.map((r) => [`${r.geneId}\t${r.variantId}`, r]));
    for (const gene of genes) {
      pairs++;
      const member = published.get(gene);
      assert.ok(member, `${gene} in ${tissue}: no cis_pvals member`);
      for (const [variant, token] of member) {
        const ours = byPair.get(`${gene}\t${variant}`);
        assert.ok(ours, `${gene} × ${variant} in ${tissue}: in cis_pvals, not in our cis window`);
        assert.ok(asPrinted(ours.pValue, token), `${gene} × ${variant} in ${tissue}: p ${ours.pValue} vs ${token}`);
        assert.equal(ours.publishedPValue, Number(token));
        assert.equal(ours.agrees, true);
        checked++;
      }
      // The top association's other columns.
      const t = top.get(`${tissue}\t${gene}`)!;
      const best = byPair.get(`${gene}\t${t.variant_id}`)!;
      assert.ok(asPrinted(best.slope, t.slope), `${gene} in ${tissue}: slope ${best.slope} vs ${t.slope}`);
      assert.ok(asPrinted(best.slopeSe, t.slope_se), `${gene} in ${tissue}: SE ${best.slopeSe} vs ${t.slope_se}`);
      assert.equal(best.tssDistance, Number(t.tss_distance));
      assert.ok(asPrinted(best.af, t.af), `${gene} in ${tissue}: af ${best.af} vs ${t.af}`);
    }
    // Variants the release did not list have no published value, and say nothing false.
    for (const r of rows) if (r.publishedPValue === null) assert.equal(r.agrees, null);
  }
  assert.equal(pairs, topAssoc().size);
  assert.ok(checked > 10_000, `${checked} variants checked`);
});

Deno.test("cisStatistics: the same numbers as eqtlStatistics pair by pair; one gene or several; errors", async () => {
  const one = await release.cisStatistics({ geneId: "Cd300lf", tissueSiteDetailId: "IL" });
  const both = await release.cisStatistics({ geneId: ["Eno1", "Cd300lf"], tissueSiteDetailId: "IL" });
  const cdInBoth = both.toRecords().filter((r) => r.geneId === "Cd300lf");
  assert.deepEqual(cdInBoth, one.toRecords()); // a gene's rows do not depend on the others asked with it
  assert.equal((both.getColumn("geneId").toArray() as string[])[0], "Eno1"); // genes in the order asked
  const sample = (one.toRecords() as { variantId: string; pValue: number; slope: number; slopeSe: number }[])
    .filter((_, i) => i % 7 === 0);
  const pairwise = (await release.eqtlStatistics(
    sample.map((r) => ({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: r.variantId })),
  )).toRecords() as { pValue: number; slope: number; slopeSe: number }[];
  sample.forEach((r, i) => {
    for (const k of ["pValue", "slope", "slopeSe"] as const) {
      assert.ok(Math.abs(r[k] - pairwise[i][k]) <= 1e-9 * Math.abs(pairwise[i][k]), `${r.variantId} ${k}`);
    }
  });
  const positions = one.getColumn("pos").toArray() as number[];
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
  const tss = 100875111; // Cd300lf's TSS (gene.v4.tsv), the BED's end
  assert.ok(positions.every((p) => Math.abs(p - tss) <= 1_000_000));
  assert.ok(!(one.getColumn("alt").toArray() as string[]).some((a) => a.includes(","))); // bi-allelic only
  const narrow = await release.cisStatistics({ geneId: "Cd300lf", tissueSiteDetailId: "IL", window: 100_000 });
  assert.ok(narrow.height < one.height && narrow.height > 0);

  // eqtlStatistics' rank is null (not 0) for a variant that is not an independent eQTL.
  const notIndependent = await release.eqtlStatistics([
    { geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100005130" },
  ]);
  assert.equal(notIndependent.getColumn("rank").get(0), null);

  await assert.rejects(() => release.cisStatistics({ geneId: "Nope", tissueSiteDetailId: "IL" }), /not mapped in IL/);
  await assert.rejects(() => release.cisStatistics({ geneId: "Cd300lf", tissueSiteDetailId: "Lung" }), ValidationError);
  await assert.rejects(
    () => release.cisStatistics({ geneId: "Cd300lf", tissueSiteDetailId: "IL", modality: "splicing" }),
    /phenos\.IL\.splicing|not found|No such file/i,
  );
});

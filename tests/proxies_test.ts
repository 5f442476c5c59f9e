/**
 * `proxies` against a plain scan written here from the bundled release's files alone (gunzip, split, a
 * Pearson correlation): every significant pair of every tissue (`xqtl/cis_qtl_signif.{T}.expression`) within
 * the window of the lead, p < maxP, with r² to the lead (dosages from the reference VCF, pairwise-complete)
 * ≥ minR2; thresholds from `top_assoc`, ranks and aFC from `eqtls_indep`; the best pair of each gene ×
 * tissue by smallest p.
 *
 * Tolerances: r² within 1e-12 (the library's LD kernel counts, the scan sums doubles); p-values, slopes,
 * thresholds, ranks exactly (the same tokens parsed).
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { proxies, PROXY_DEFAULTS, ValidationError } from "ratgtex";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";

const release = await openRelease(BUNDLED_RELEASE);
const V4 = BUNDLED_RELEASE;

function tsv(text: string): { [column: string]: string }[] {
  const lines = text.split("\n").filter((l) => l !== "");
  const header = lines[0].split("\t");
  return lines.slice(1).map((l) => {
    const cells = l.split("\t");
    return Object.fromEntries(header.map((h, i) => [h, cells[i]])) as { [column: string]: string };
  });
}

/** The reference VCF's dosages (ALT count, −1 missing) by variant ID. */
const dosages = new Map<string, { alts: number; d: number[] }>();
for (
  const line of new TextDecoder().decode(gunzipSync(Deno.readFileSync(`${V4}/geno/ratgtex_v4_round11_2.rn8.vcf.gz`)))
    .split("\n")
) {
  if (line === "" || line.startsWith("#")) continue;
  const f = line.split("\t");
  dosages.set(`${f[0]}:${f[1]}`, {
    alts: f[4].split(",").length,
    d: f.slice(9).map((g) => (g[0] === "." ? -1 : (g[0] === "0" ? 0 : 1) + (g[2] === "0" ? 0 : 1))),
  });
}

/** Pairwise-complete Pearson r² of two dosage vectors (null when either is constant). */
function r2Of(a: number[], b: number[]): number | null {
  let n = 0, sa = 0, sb = 0;
  for (let i = 0; i < a.length; i++) if (a[i] >= 0 && b[i] >= 0) n++, sa += a[i], sb += b[i];
  const ma = sa / n, mb = sb / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < 0 || b[i] < 0) continue;
    sab += (a[i] - ma) * (b[i] - mb), saa += (a[i] - ma) ** 2, sbb += (b[i] - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? null : (sab * sab) / (saa * sbb);
}

const tissues = tsv(Deno.readTextFileSync(`${V4}/tissue_info.v4.tsv`)).map((r) => r.tissueSiteDetailId);
const top = new Map(
  tsv(Deno.readTextFileSync(`${V4}/eqtl/top_assoc.v4_rn8.tsv`)).map((r) => [`${r.gene_id}\t${r.tissue}`, r]),
);
const indep = new Map(
  tsv(Deno.readTextFileSync(`${V4}/eqtl/eqtls_indep.v4_rn8.tsv`)).map((
    r,
  ) => [`${r.gene_id}\t${r.tissue}\t${r.variant_id}`, r]),
);
const signif = tissues.flatMap((t) => {
  const path = `${V4}/xqtl/cis_qtl_signif.${t}.expression.v4_rn8.txt.gz`;
  return tsv(new TextDecoder().decode(gunzipSync(Deno.readFileSync(path)))).map((r) =>
    ({ ...r, tissue: t }) as { [column: string]: string }
  );
});

/** The plain scan: rows keyed `gene\ttissue\tvariant`. */
function plainScan(lead: string, window: number, minR2: number, maxP: number) {
  const [chr, p] = lead.split(":");
  const pos = Number(p);
  const leadD = dosages.get(lead)!.d;
  const rows = new Map<string, { pValue: number; slope: number; r2: number; threshold: number; rank: number | null }>();
  for (const s of signif) {
    const [c, vp] = s.variant_id.split(":");
    if (c !== chr || Math.abs(Number(vp) - pos) > window || !(Number(s.pval_nominal) < maxP)) continue;
    const v = dosages.get(s.variant_id)!;
    const r2 = v.alts > 1 ? null : r2Of(leadD, v.d);
    if (r2 === null || r2 < minR2) continue;
    const t = top.get(`${s.phenotype_id}\t${s.tissue}`)!;
    const ind = indep.get(`${s.phenotype_id}\t${s.tissue}\t${s.variant_id}`);
    rows.set(`${s.phenotype_id}\t${s.tissue}\t${s.variant_id}`, {
      pValue: Number(s.pval_nominal),
      slope: Number(s.slope),
      r2,
      threshold: Number(t.pval_nominal_threshold),
      rank: ind ? Number(ind.rank) : null,
    });
  }
  return rows;
}

const CASES = [
  { lead: "chr10:100826333" },
  { lead: "chr19:43245682" },
  { lead: "chr5:95498283" },
  { lead: "chr5:94563550", minR2: 0.1, maxP: 1e-3 },
  { lead: "chr10:100826333", minR2: 0, maxP: 1, window: 1_000_000 },
];

for (const c of CASES) {
  Deno.test(`proxies equal a plain scan of the release's files: ${JSON.stringify(c)}`, async () => {
    const window = c.window ?? PROXY_DEFAULTS.window, minR2 = c.minR2 ?? PROXY_DEFAULTS.minR2;
    const maxP = c.maxP ?? PROXY_DEFAULTS.maxP;
    const expected = plainScan(c.lead, window, minR2, maxP);
    // The plain scan reads expression's signif pairs; the release also carries five other modalities in a few tissues.
    const frame = await proxies(release, c.lead, { window, minR2, maxP, modalities: ["expression"] });
    const rows = frame.toRecords() as {
      geneId: string;
      tissueSiteDetailId: string;
      variantId: string;
      r2: number;
      pValue: number;
      slope: number;
      pValueThreshold: number;
      rank: number | null;
      best: boolean;
    }[];
    assert.equal(rows.length, expected.size);
    assert.ok(rows.length > 0);
    for (const r of rows) {
      const e = expected.get(`${r.geneId}\t${r.tissueSiteDetailId}\t${r.variantId}`);
      assert.ok(e, `${r.geneId} ${r.tissueSiteDetailId} ${r.variantId}: not in the plain scan`);
      assert.ok(Math.abs(r.r2 - e.r2) <= 1e-12, `${r.variantId}: r2 ${r.r2} vs ${e.r2}`);
      assert.equal(r.pValue, e.pValue);
      assert.equal(r.slope, e.slope);
      assert.equal(r.pValueThreshold, e.threshold);
      assert.equal(r.rank, e.rank);
    }
    // The best pair of each gene × tissue: the smallest p.
    const groups = new Map<string, typeof rows>();
    for (const r of rows) {
      groups.set(`${r.geneId}\t${r.tissueSiteDetailId}`, [
        ...(groups.get(`${r.geneId}\t${r.tissueSiteDetailId}`) ?? []),
        r,
      ]);
    }
    for (const g of groups.values()) {
      const best = g.filter((r) => r.best);
      assert.equal(best.length, 1);
      assert.equal(best[0].pValue, Math.min(...g.map((r) => r.pValue)));
    }
    const bestOnly = await proxies(release, c.lead, {
      window,
      minR2,
      maxP,
      bestOnly: true,
      modalities: ["expression"],
    });
    assert.equal(bestOnly.height, groups.size);
  });
}

Deno.test("proxies: defaults, one modality and tissue, the lead absent, bad options", async () => {
  assert.deepEqual(PROXY_DEFAULTS, { window: 3_000_000, minR2: 0.6, maxP: 1e-4 });
  const il = await proxies(release, "chr10:100826333", { tissues: ["IL"], modalities: ["expression"] });
  assert.deepEqual(il.getColumn("tissueSiteDetailId").toArray(), ["IL"]);
  const afc = indep.get("Cd300lf\tIL\tchr10:100826333")!.log2_aFC;
  assert.equal(il.getColumn("log2aFC").get(0), Number(afc)); // the independent eQTL's aFC (eqtls_indep)
  // Adipose does not carry splicing (the miniature release has the other modalities in five small tissues).
  const none = await proxies(release, "chr10:100826333", { modalities: ["splicing"], tissues: ["Adipose"] });
  assert.equal(none.height, 0);
  assert.equal(none.columns.length, 16);
  await assert.rejects(() => proxies(release, "chr10:1"), /not in the release's genotype VCF/);
  await assert.rejects(() => proxies(release, "chr10:100826333", { tissues: ["Lung"] }), ValidationError);
  await assert.rejects(() => proxies(release, "chr10:100826333", { modalities: ["rna"] }), /not a modality/);
  await assert.rejects(() => proxies(release, "chr10:100826333", { maxP: -1 }), /maxP/);
});

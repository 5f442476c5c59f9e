/**
 * LD from a release (`ldFromRelease`) against plink 1.9 run on the bundled release's own VCFs
 * (`tests/reference/release_ld/`, made by `make_reference.py` there, which says how to re-run it): a lead
 * against its ±1 Mb window over every rat of the reference VCF, over one tissue's rats (IL; and Adipose in
 * its own dataset's VCF), on two chromosomes.
 *
 * Tolerances:
 * - `r2` (dosage r²): plink's `--r2 square bin` doubles, within 1e-12 relative (the same integer sums; plink's
 *   square kernel and the lead kernel may order the last operations differently);
 * - `r2Haplotype`, `dprime`: plink's `--r2 dprime` prints 6 significant digits: within half a unit of the 6th
 *   digit, within 1e-6, and printed (%g) as plink printed them;
 * - the variants paired: exactly plink's, plus the multi-allelic site plink cannot read, which has a reason.
 */
import assert from "node:assert/strict";
import { ldFromRelease, ValidationError } from "ratgtex";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";

const DIR = new URL("./reference/release_ld/", import.meta.url);
const release = await openRelease(BUNDLED_RELEASE);

interface Reference {
  variantId: string;
  r2: number;
  R2: string;
  DP: string;
}

function reference(name: string): { header: string; rows: Reference[] } {
  const lines = Deno.readTextFileSync(new URL(`${name}.tsv`, DIR)).split("\n").filter((l) => l !== "");
  return {
    header: lines[0],
    rows: lines.slice(2).map((l) => {
      const [variantId, r2, R2, DP] = l.split("\t");
      return { variantId, r2: Number(r2), R2, DP };
    }),
  };
}

/** C's `%g` with 6 significant digits (what plink prints). */
function g6(x: number): string {
  if (x === 0) return "0";
  const [mant, exp] = x.toExponential(5).split("e");
  const e = Number(exp);
  const trim = (s: string): string => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (e < -4 || e >= 6) return `${trim(mant)}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  return trim(x.toFixed(5 - e));
}

function closeToPrinted(ours: number | null, printed: string, what: string): void {
  assert.ok(ours !== null, `${what}: plink printed ${printed}, we gave null`);
  const v = Math.abs(Number(printed));
  const half = (v === 0 ? 5e-7 : 0.5 * 10 ** (Math.floor(Math.log10(v)) - 5)) * (1 + 1e-9);
  assert.ok(Math.abs(ours - Number(printed)) <= half, `${what}: ours ${ours}, plink ${printed}`);
  assert.ok(Math.abs(ours - Number(printed)) <= 1e-6, `${what}: ours ${ours}, plink ${printed} (1e-6)`);
  assert.equal(g6(ours), printed, `${what}: ours printed as plink prints`);
}

const CASES: { name: string; lead: string; tissue?: string }[] = [
  { name: "all_chr10", lead: "chr10:100826333" },
  { name: "il_chr10", lead: "chr10:100826333", tissue: "IL" },
  { name: "all_chr19", lead: "chr19:43245682" },
  { name: "adipose_chr5", lead: "chr5:95498283", tissue: "Adipose" },
];

for (const c of CASES) {
  Deno.test(`ldFromRelease equals plink 1.9 on the bundled VCF: ${c.name}`, async () => {
    const ref = reference(c.name);
    const ld = await ldFromRelease(release, c.lead, { window: 1_000_000, ...(c.tissue ? { tissue: c.tissue } : {}) });
    const rows = ld.toRecords() as {
      variantId: string;
      r2: number | null;
      dprime: number | null;
      r2Haplotype: number | null;
      alt: string;
      reason: string | null;
      distance: number;
      n: number;
    }[];
    const byId = new Map(rows.map((r) => [r.variantId, r]));
    // Every variant plink paired, and only those plus multi-allelic sites (with a reason).
    const plinkIds = new Set(ref.rows.map((r) => r.variantId));
    for (const r of rows) {
      if (!plinkIds.has(r.variantId)) {
        assert.ok(r.alt.includes(","), `${r.variantId} is not in plink's output and is not multi-allelic`);
        assert.equal(r.r2, null);
        assert.match(r.reason!, /multi-allelic/);
      }
    }
    for (const p of ref.rows) {
      const ours = byId.get(p.variantId);
      assert.ok(ours, `${p.variantId}: plink pairs it with the lead, we do not`);
      assert.ok(
        ours.r2 !== null && Math.abs(ours.r2 - p.r2) <= 1e-12 * p.r2,
        `${p.variantId}: r2 ${ours.r2} vs ${p.r2}`,
      );
      closeToPrinted(ours.r2Haplotype, p.R2, `${p.variantId} R2`);
      closeToPrinted(ours.dprime, p.DP, `${p.variantId} DP`);
    }
    const lead = byId.get(c.lead)!;
    assert.equal(lead.distance, 0);
    assert.equal(lead.r2, 1);
  });
}

Deno.test("ldFromRelease: a tissue's rats are its rat_ids; a list instead of a window; min r²", async () => {
  const il = await ldFromRelease(release, "chr10:100826333", { tissue: "IL", window: 0 });
  assert.equal(il.height, 1);
  const rats = Deno.readTextFileSync(`${BUNDLED_RELEASE}/rat_ids/rat_ids.IL.v4.txt`).split("\n").filter(Boolean);
  const g = await release.genotypes({ variantIds: ["chr10:100826333"], rats, tissue: "IL" });
  const called = [...g.variants[0].dosages].filter((d) => d >= 0).length;
  assert.equal(il.getColumn("n").get(0), called);

  const list = await ldFromRelease(release, "chr10:100826333", {
    variantIds: ["chr10:100880001", "chr10:99888013", "chr19:43245682"],
  });
  assert.deepEqual(list.getColumn("variantId").toArray(), ["chr10:100880001", "chr10:99888013", "chr19:43245682"]);
  assert.match(list.getColumn("reason").get(0), /multi-allelic/);
  assert.equal(list.getColumn("distance").get(2), null); // another chromosome: no distance

  const all = await ldFromRelease(release, "chr10:100826333");
  const strong = await ldFromRelease(release, "chr10:100826333", { minR2: 0.3 });
  const r2 = all.getColumn("r2").toArray() as (number | null)[];
  assert.equal(strong.height, r2.filter((x) => x !== null && x >= 0.3).length);
  assert.ok(strong.height >= 1);
});

Deno.test("ldFromRelease: errors name the parameter and the fix", async () => {
  await assert.rejects(() => ldFromRelease(release, "rs123"), ValidationError);
  await assert.rejects(() => ldFromRelease(release, "chr10:100826334"), /not in the release's genotype VCF/);
  await assert.rejects(() => ldFromRelease(release, "chr10:100826333", { tissue: "Lung" }), /not a tissue/);
  await assert.rejects(() => ldFromRelease(release, "chr10:100826333", { minR2: 2 }), /minR2/);
  await assert.rejects(
    () => ldFromRelease(release, "chr10:100826333", { windw: 5 } as never),
    /did you mean window/,
  );
});

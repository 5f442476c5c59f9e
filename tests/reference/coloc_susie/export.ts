/**
 * Export the raw inputs of coloc.susie between the synthetic GWAS trait C (fixtures/gwas/, SYNTHETIC) and
 * SynG049 in three tissues, for `coloc_susie.R`: per tissue the gene's samples, normalised phenotype,
 * covariates and cis-window dosages (as `Release.cisInputs` reads them), and the dosages of those variants
 * over every rat of the reference VCF (the GWAS's rats, for its in-sample LD), and the GWAS file.
 *
 * Run from the repository root (coloc 5 installed outside the repository; susieR from Debian):
 *   npx -y deno@2.9.6 run -A tests/reference/coloc_susie/export.ts /tmp/coloc_susie
 *   COLOC_R_LIB=/work/rlib Rscript tests/reference/coloc_susie/coloc_susie.R /tmp/coloc_susie \
 *     > tests/reference/coloc_susie/reference.tsv
 *
 * @module
 */
import { BUNDLED_RELEASE, openRelease } from "../../../lib/release/mod.ts";

export const TISSUES = ["Adipose", "Brain", "PL"];

if (import.meta.main) {
  const out = Deno.args[0];
  if (!out) throw new Error("usage: export.ts OUT_DIR");
  await Deno.mkdir(out, { recursive: true });
  const rel = await openRelease(BUNDLED_RELEASE);
  for (const tissue of TISSUES) {
    const x = await rel.cisInputs({ geneId: "SynG049", tissueSiteDetailId: tissue });
    const cov = x.covariates;
    const column = new Map(cov.sampleIds!.map((s, i) => [s, i]));
    const lines = [["sample", "y", ...cov.names, ...x.variants.map((v) => v.variantId)].join("\t")];
    x.sampleIds.forEach((s, i) => {
      const c = column.get(s)!;
      lines.push([
        s,
        String(x.phenotype[i]),
        ...(cov.values as ArrayLike<number>[]).map((row) => String(row[c])),
        ...x.variants.map((v) => String(v.dosages[i])),
      ].join("\t"));
    });
    await Deno.writeTextFile(`${out}/SynG049.${tissue}.tsv`, lines.join("\n") + "\n");
    const g = await rel.genotypes({ variantIds: x.variants.map((v) => v.variantId) });
    const gl = [["rat", ...g.variants.map((v) => v.variantId)].join("\t")];
    g.rats.forEach((r, i) => gl.push([r, ...g.variants.map((v) => String(v.dosages[i]))].join("\t")));
    await Deno.writeTextFile(`${out}/gwas_dosages.${tissue}.tsv`, gl.join("\n") + "\n");
  }
  await Deno.copyFile("fixtures/gwas/synthetic_trait_C.mlma", `${out}/synthetic_trait_C.mlma`);
  console.log(`wrote ${out}`);
}

/**
 * Export the raw inputs of three gene × tissue loci of the bundled release (SYNTHETIC) for `susie.R`: the
 * samples, the normalised phenotype, the covariates and the cis window's dosages (−1 = missing), as
 * `Release.cisInputs` reads them from the release's files. The R script does the rest itself (mean
 * imputation, residualisation on the covariates with lm's QR, susieR::susie with its defaults).
 *
 * Run from the repository root (susieR from Debian's r-cran-susier):
 *   npx -y deno@2.9.6 run -A tests/reference/finemap/export.ts /tmp/finemap
 *   Rscript tests/reference/finemap/susie.R /tmp/finemap > tests/reference/finemap/reference.json
 *
 * @module
 */
import { BUNDLED_RELEASE, openRelease } from "../../../lib/release/mod.ts";

export const LOCI = [
  { geneId: "SynG049", tissueSiteDetailId: "Adipose" }, // two causal variants: two credible sets
  { geneId: "SynG021", tissueSiteDetailId: "Liver" }, // one signal shared by two variants in LD
  { geneId: "Cd300lf", tissueSiteDetailId: "IL" }, // 83 rats
];

if (import.meta.main) {
  const out = Deno.args[0];
  if (!out) throw new Error("usage: export.ts OUT_DIR");
  await Deno.mkdir(out, { recursive: true });
  const rel = await openRelease(BUNDLED_RELEASE);
  for (const locus of LOCI) {
    const x = await rel.cisInputs(locus);
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
    await Deno.writeTextFile(`${out}/${locus.geneId}.${locus.tissueSiteDetailId}.tsv`, lines.join("\n") + "\n");
  }
  console.log(`wrote ${out}`);
}

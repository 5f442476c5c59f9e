/**
 * The GWAS subcommands: from a GWAS hit to its genes over a release's own files — `ld` (LD of a lead with
 * its window, from the release's genotypes), `proxies` (the hit's xQTLs in LD with it), `coloc`
 * (colocalisation of a GWAS with every gene × tissue near the hit) and `finemap` (SuSiE credible sets of a
 * gene in a tissue).
 *
 * @module
 */
import { integerOption, listOption, numberOption, type OptionTable, stringOption, UsageError } from "./args.ts";
import type { Command, CommandContext } from "./command.ts";
import { DATA_OPTION, openRelease } from "./release.ts";

function oneArgument(c: CommandContext, name: string, what: string, example: string): string {
  if (c.positionals.length !== 1) {
    throw new UsageError(`${name} takes one ${what}, e.g. ratgtex ${name} ${example}`, name);
  }
  return c.positionals[0];
}

const TISSUE: OptionTable = {
  tissue: { type: "string", short: "t", value: "T", help: "one tissue's rats (rat_ids), in its own dataset's VCF" },
};

/** The GWAS subcommands, in the order the help lists them. */
export const GWAS_COMMANDS: readonly Command[] = [
  {
    name: "ld",
    aliases: [],
    summary: "LD (r², D′, r) of a variant with every variant of its window, from a release's genotypes",
    usage: [
      "ld VARIANT [--window BP] [--tissue T] [--min-r2 R] [--variants LIST] [--data DIR|URL|offline] [options]",
    ],
    details: "Dosages 0/1/2 from GT, missing calls left out pair by pair (plink 1.9 --r2). Without --tissue: every\n" +
      "rat of the reference VCF (ratgtex_v4_round11_2, the variant route's); with it: the tissue's rats\n" +
      "(rat_ids/rat_ids.T.v4.txt) in the tissue's dataset. Columns: variantId, chromosome, pos, distance (bp\n" +
      "from VARIANT), r2 (dosage r², plink --r2), r (signed, ALT vs ALT), dprime (|D′|, plink --r2 dprime),\n" +
      "r2Haplotype (plink --r2 dprime's R2), n (rats called at both), ref, alt, reason (why a statistic is\n" +
      "empty: a multi-allelic site, one genotype among the rats).",
    options: {
      window: { type: "string", short: "w", value: "BP", help: "half-width of the window (default 1000000)" },
      ...TISSUE,
      "min-r2": { type: "string", value: "R", help: "keep variants with r² ≥ R (default 0: all)" },
      variants: { type: "string", value: "LIST", help: "pair VARIANT with these (comma-separated) instead" },
      ...DATA_OPTION,
    },
    common: { output: true, source: false },
    examples: [
      "ratgtex ld chr10:100826333 --data offline",
      "ratgtex ld chr10:100826333 --tissue IL --min-r2 0.6 --format csv --out ld.csv",
    ],
    run: async (c) => {
      const variant = oneArgument(c, "ld", "variant", "chr10:100826333");
      const window = integerOption(c.values, "window", 0, 1e9, "ld");
      const minR2 = numberOption(c.values, "min-r2", 0, 1, "ld");
      const variantIds = listOption(c.values, "variants");
      const tissue = stringOption(c.values, "tissue");
      const { ldFromRelease } = await import("../workflows/ld.ts");
      const release = await openRelease(c, "ld");
      const frame = await ldFromRelease(release, variant, {
        ...(window === undefined ? {} : { window }),
        ...(minR2 === undefined ? {} : { minR2 }),
        ...(variantIds === undefined ? {} : { variantIds }),
        ...(tissue === undefined ? {} : { tissue }),
      });
      return { frame };
    },
  },
  {
    name: "proxies",
    aliases: [],
    summary: "a GWAS hit's xQTLs: significant pairs in LD with a variant, every tissue and modality of a release",
    usage: [
      "proxies VARIANT [--window BP] [--min-r2 R] [--max-p P] [--tissue LIST] [--modality LIST] [--ld-tissue T]",
      "        [--best] [--data DIR|URL|offline] [options]",
    ],
    details: "As the Palmer lab's GWAS pipeline: every significant cis pair (xqtl/cis_qtl_signif) within --window\n" +
      "(default 3000000) of VARIANT with p < --max-p (default 1e-4) and r² ≥ --min-r2 (default 0.6) with it\n" +
      "(LD over every rat of the reference VCF, or --ld-tissue's rats). Columns: geneId, tissueSiteDetailId,\n" +
      "modality, phenotypeId, variantId, pos, distance, r2, dprime, pValue, slope, slopeSe, pValueThreshold\n" +
      "(the gene's threshold in the tissue), rank (independent xQTL rank, empty when not one), log2aFC, best\n" +
      "(the smallest p of its gene × modality × tissue; --best keeps only those rows).",
    options: {
      window: { type: "string", short: "w", value: "BP", help: "half-width of the window (default 3000000)" },
      "min-r2": { type: "string", value: "R", help: "least r² with VARIANT (default 0.6)" },
      "max-p": { type: "string", value: "P", help: "pairs with p below P (default 1e-4)" },
      tissue: { type: "string", short: "t", value: "LIST", help: "only these tissues (comma-separated)" },
      modality: { type: "string", value: "LIST", help: "only these modalities (default: every one carried)" },
      "ld-tissue": { type: "string", value: "T", help: "LD over this tissue's rats (default: the reference VCF's)" },
      best: { type: "boolean", help: "only the best pair of each gene × modality × tissue" },
      ...DATA_OPTION,
    },
    common: { output: true, source: false },
    examples: [
      "ratgtex proxies chr19:43245682 --data offline",
      "ratgtex proxies chr10:100826333 --min-r2 0.8 --best --format csv --out proxies.csv",
    ],
    run: async (c) => {
      const variant = oneArgument(c, "proxies", "variant", "chr19:43245682");
      const window = integerOption(c.values, "window", 0, 1e9, "proxies");
      const minR2 = numberOption(c.values, "min-r2", 0, 1, "proxies");
      const maxP = numberOption(c.values, "max-p", 0, 1, "proxies");
      const tissues = listOption(c.values, "tissue");
      const modalities = listOption(c.values, "modality");
      const ldTissue = stringOption(c.values, "ld-tissue");
      const { proxies } = await import("../workflows/proxies.ts");
      const release = await openRelease(c, "proxies");
      const frame = await proxies(release, variant, {
        ...(window === undefined ? {} : { window }),
        ...(minR2 === undefined ? {} : { minR2 }),
        ...(maxP === undefined ? {} : { maxP }),
        ...(tissues === undefined ? {} : { tissues }),
        ...(modalities === undefined ? {} : { modalities }),
        ...(ldTissue === undefined ? {} : { ldTissue }),
        ...(c.values.best === true ? { bestOnly: true } : {}),
      });
      return { frame };
    },
  },
  {
    name: "coloc",
    aliases: [],
    summary: "colocalisation (coloc.abf) of a GWAS with every gene × tissue near its hit, from a release's files",
    usage: [
      "coloc GWAS_FILE [--variant LEAD] [--gwas-n N] [--gwas-type quant|cc] [--case-fraction S] [--tissue LIST]",
      "      [--window BP] [--gwas-format F] [--keep-ambiguous] [--eqtl-sdy one|estimate] [--p1 P] [--p2 P]",
      "      [--p12 P] [--data DIR|URL|offline] [options]",
    ],
    details: "GWAS_FILE: GCTA .mlma, plink2 .glm.linear/.glm.logistic, GEMMA .assoc.txt, REGENIE .regenie (plain\n" +
      "or .gz; --gwas-format when the header does not say). Its variants are matched to the release's VCF by\n" +
      "position and alleles (a low match rate is said with its likely cause: positions from rn7 or rn6);\n" +
      "strand-ambiguous A/T, C/G variants are dropped unless --keep-ambiguous. Genes: those tested in a tissue\n" +
      "whose TSS is within --window (default 1000000) of LEAD (default: the GWAS's smallest p). Each gene's\n" +
      "statistics: every variant of its cis window, pipeline-exact (slope, SE). coloc 5's coloc.abf with its\n" +
      "priors (p1 = p2 = 1e-4, p12 = 1e-5); eQTL sdY = 1 (normalised phenotypes) or --eqtl-sdy estimate.\n" +
      "Columns: geneId, tissueSiteDetailId, modality, nsnps, ppH0, ppH1, ppH2, ppH3, ppH4, topVariant,\n" +
      "topSnpPpH4, credibleSet, sdY1, sdY2, reason; sorted by PP.H4. (--format is the output's format.)",
    options: {
      variant: { type: "string", value: "LEAD", help: "the GWAS hit (default: the smallest p)" },
      "gwas-n": { type: "string", value: "N", help: "the GWAS's sample size (a file with an N column needs none)" },
      "gwas-type": { type: "string", value: "T", help: "quant (default) or cc (case-control)" },
      "case-fraction": { type: "string", value: "S", help: "proportion of cases of a case-control GWAS" },
      tissue: { type: "string", short: "t", value: "LIST", help: "only these tissues (comma-separated)" },
      window: { type: "string", short: "w", value: "BP", help: "genes whose TSS is within BP of LEAD" },
      "gwas-format": { type: "string", value: "F", help: "mlma|plink2|gemma|regenie (default: from the header)" },
      "keep-ambiguous": { type: "boolean", help: "keep A/T, C/G variants as written (same strand as the release)" },
      "eqtl-sdy": { type: "string", value: "S", help: "one (default) or estimate (coloc's sdY.est)" },
      p1: { type: "string", value: "P", help: "prior: a variant causal for the GWAS only (default 1e-4)" },
      p2: { type: "string", value: "P", help: "prior: a variant causal for the gene only (default 1e-4)" },
      p12: { type: "string", value: "P", help: "prior: a variant causal for both (default 1e-5)" },
      ...DATA_OPTION,
    },
    common: { output: true, source: false },
    examples: [
      "ratgtex coloc fixtures/gwas/synthetic_trait_A.mlma --gwas-n 917 --data offline",
      "ratgtex coloc trait.regenie --variant chr1:123456 --gwas-type cc --case-fraction 0.4 --format csv",
    ],
    run: async (c) => {
      const file = oneArgument(c, "coloc", "GWAS file", "trait.mlma --gwas-n 917");
      const variantId = stringOption(c.values, "variant");
      const gwasN = numberOption(c.values, "gwas-n", 2, 1e9, "coloc");
      const gwasType = stringOption(c.values, "gwas-type");
      if (gwasType !== undefined && gwasType !== "quant" && gwasType !== "cc") {
        throw new UsageError(`--gwas-type must be quant or cc, got ${JSON.stringify(gwasType)}`, "coloc");
      }
      const caseFraction = numberOption(c.values, "case-fraction", 0, 1, "coloc");
      const tissues = listOption(c.values, "tissue");
      const window = integerOption(c.values, "window", 0, 1e9, "coloc");
      const format = stringOption(c.values, "gwas-format");
      const { GWAS_FORMATS } = await import("../workflows/gwas.ts");
      if (format !== undefined && !(GWAS_FORMATS as readonly string[]).includes(format)) {
        throw new UsageError(`--gwas-format must be one of ${GWAS_FORMATS.join(", ")}`, "coloc");
      }
      const eqtlSdY = stringOption(c.values, "eqtl-sdy");
      if (eqtlSdY !== undefined && eqtlSdY !== "one" && eqtlSdY !== "estimate") {
        throw new UsageError(`--eqtl-sdy must be one or estimate, got ${JSON.stringify(eqtlSdY)}`, "coloc");
      }
      const priors = Object.fromEntries(
        (["p1", "p2", "p12"] as const).map((k) => [k, numberOption(c.values, k, 0, 1, "coloc")])
          .filter(([, v]) => v !== undefined),
      );
      const { colocGwas } = await import("../workflows/coloc_gwas.ts");
      const release = await openRelease(c, "coloc");
      const res = await colocGwas(release, file, {
        ...(variantId === undefined ? {} : { variantId }),
        ...(gwasN === undefined ? {} : { gwasN }),
        ...(gwasType === undefined ? {} : { gwasType: gwasType as "quant" | "cc" }),
        ...(caseFraction === undefined ? {} : { caseFraction }),
        ...(tissues === undefined ? {} : { tissues }),
        ...(window === undefined ? {} : { window }),
        ...(format === undefined ? {} : { read: { format: format as "mlma" } }),
        ...(c.values["keep-ambiguous"] === true ? { keepAmbiguous: true } : {}),
        ...(eqtlSdY === undefined ? {} : { eqtlSdY: eqtlSdY as "one" | "estimate" }),
        ...priors,
      });
      c.note(
        `ratgtex coloc: lead ${res.lead}; ${res.match.counts.matched} of ${res.match.counts.total} GWAS variants ` +
          "matched to the release",
      );
      for (const w of res.warnings) c.note(`ratgtex coloc: ${w}`);
      return { frame: res.summary };
    },
  },
  {
    name: "finemap",
    aliases: [],
    summary: "SuSiE credible sets of a gene's eQTL in a tissue, from a release's own phenotypes and genotypes",
    usage: [
      "finemap GENE --tissue T [--L 10] [--coverage 0.95] [--min-abs-corr 0.5] [--window BP]",
      "        [--what variants|sets|independent] [--data DIR|URL|offline] [options]",
      "finemap --egenes --tissue T [--what variants|sets|genes] [options]   (every eGene of the tissue)",
    ],
    details: "X = the dosages of every bi-allelic variant within --window (default 1000000) of the TSS (missing\n" +
      "calls imputed with the mean), y = the normalised phenotype, both residualised on the tissue's covariates\n" +
      "(as tensorQTL does before SuSiE); susie with susieR 0.12's defaults. --what variants (default): one row\n" +
      "per variant of the window: variantId, pos, pip, credibleSet (the set's number, empty outside every set),\n" +
      "rank (its eqtls_indep rank, if an independent eQTL). sets: credibleSet, effect, size, coverage,\n" +
      "minAbsCorr, meanAbsCorr, medianAbsCorr, lbf, topVariant, topPip, variantIds, independentEqtls.\n" +
      "independent: each eqtls_indep eQTL with its pip, credibleSet, nearestSet, maxR2. genes (--egenes):\n" +
      "geneId, variants, sets, converged, niter.",
    options: {
      tissue: { type: "string", short: "t", value: "T", help: "the tissue (required)" },
      L: { type: "string", value: "N", help: "maximum number of effects (default 10)" },
      coverage: { type: "string", value: "C", help: "credible-set coverage (default 0.95)" },
      "min-abs-corr": { type: "string", value: "R", help: "purity: least |r| within a set (default 0.5)" },
      window: { type: "string", short: "w", value: "BP", help: "half-width of the cis window (default 1000000)" },
      what: { type: "string", value: "W", help: "variants (default) | sets | independent | genes (--egenes)" },
      egenes: { type: "boolean", help: "every eGene of the tissue (no GENE)" },
      ...DATA_OPTION,
    },
    common: { output: true, source: false },
    examples: [
      "ratgtex finemap SynG049 --tissue Adipose --data offline",
      "ratgtex finemap SynG049 --tissue Adipose --what sets --format csv",
      "ratgtex finemap --egenes --tissue IL --what sets --data offline",
    ],
    run: async (c) => {
      const tissue = stringOption(c.values, "tissue");
      if (tissue === undefined) throw new UsageError("finemap needs --tissue, e.g. --tissue Adipose", "finemap");
      const egenes = c.values.egenes === true;
      if (egenes && c.positionals.length > 0) throw new UsageError("finemap --egenes takes no GENE", "finemap");
      const gene = egenes ? "" : oneArgument(c, "finemap", "gene", "SynG049 --tissue Adipose");
      const what = stringOption(c.values, "what") ?? "variants";
      const choices = egenes ? ["variants", "sets", "genes"] : ["variants", "sets", "independent"];
      if (!choices.includes(what)) throw new UsageError(`--what must be one of ${choices.join(", ")}`, "finemap");
      const L = integerOption(c.values, "L", 1, 1000, "finemap");
      const coverage = numberOption(c.values, "coverage", 0, 1, "finemap");
      const minAbsCorr = numberOption(c.values, "min-abs-corr", 0, 1, "finemap");
      const window = integerOption(c.values, "window", 0, 1e9, "finemap");
      const options = {
        ...(L === undefined ? {} : { L }),
        ...(coverage === undefined ? {} : { coverage }),
        ...(minAbsCorr === undefined ? {} : { minAbsCorr }),
        ...(window === undefined ? {} : { window }),
      };
      const { finemapEgenes, finemapGene } = await import("../workflows/finemap.ts");
      const release = await openRelease(c, "finemap");
      if (egenes) {
        const all = await finemapEgenes(release, tissue, options);
        const stalled = (all.genes.getColumn("converged").toArray() as boolean[]).filter((x) => !x).length;
        if (stalled > 0) c.note(`ratgtex finemap: ${stalled} fit(s) did not converge (--what genes)`);
        return { frame: what === "sets" ? all.sets : what === "genes" ? all.genes : all.variants };
      }
      const fm = await finemapGene(release, { geneId: gene, tissueSiteDetailId: tissue }, options);
      for (const w of fm.warnings) c.note(`ratgtex finemap: ${w}`);
      if (c.forHuman) {
        c.note(`ratgtex finemap: ${fm.sets.height} credible set(s) over ${fm.variantIds.length} variants`);
      }
      return { frame: what === "sets" ? fm.sets : what === "independent" ? fm.independent : fm.variants };
    },
  },
];

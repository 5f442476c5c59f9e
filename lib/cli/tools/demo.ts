/**
 * The demo analysis (`ratgtex demo`, `deno task demo`): dynamic eQTLs of a gene recomputed from the API's per-sample data,
 * and the API's clustering of median expression rebuilt locally and extended. Prints a short summary and
 * writes a self-contained HTML report (tables and figures) to `demo-report/index.html`.
 *
 * Offline (the bundled synthetic universe) by default; `--live` for ratgtex.org (see `ratgtex demo --help`).
 *
 * @module
 */
import pl from "nodejs-polars";
import * as rg from "../../../mod.ts";
import { type ReportSection, writeReport } from "./report.ts";

/** The genes whose medians the demo clusters: the API page's three plus a panel of the universe's. */
export const DEMO_PANEL: readonly string[] = [
  "Polr3k",
  "Rtel1",
  "Eno1",
  "Cd300lf",
  "LOC120093067",
  "SynMt1",
  "SynMt2",
  "SynG001",
  "SynG002",
  "SynG003",
  "SynG004",
  "SynG005",
  "SynG006",
  "SynG010",
  "SynG020",
  "SynG032",
  "SynG040",
  "SynG053",
];

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** The client (source) to use. */
  client: rg.Client;
  /** The gene whose eQTLs are recomputed (default Cd300lf). */
  geneId?: string;
  /** Genes for the clustering (default {@link DEMO_PANEL}). */
  panel?: readonly string[];
  /** Report folder (default `demo-report`); `null` writes no report. */
  outDir?: string | null;
  /** Where the summary goes (default console.log). */
  log?: (line: string) => void;
}

/** What the demo found, for tests and for scripts that build on it. */
export interface DemoResult {
  /** Recomputed effects of the gene's independent eQTLs (log2 transform). */
  effects: pl.DataFrame;
  /** The server's trees rebuilt locally equal its strings. */
  treesReproduced: { gene: boolean; tissue: boolean };
  /** Cophenetic correlation between the server's gene tree and the log2 / correlation reclusterings. */
  geneTreeAgreement: { log2: number; correlation: number };
  /** The report's path, or null. */
  reportPath: string | null;
}

/**
 * Run the demo analysis.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { client } = options;
  const geneId = options.geneId ?? "Cd300lf";
  const panel = options.panel ?? DEMO_PANEL;
  const log = options.log ?? console.log;
  const sections: ReportSection[] = [];
  const call = { client };

  const banner = rg.describeSource(client);
  log(banner);
  sections.push({ title: "Source", text: banner });

  // 1. Tissues.
  const tissues = await rg.tissueInfo({}, call);
  const tissueTable = tissues.select("tissueSiteDetailId", "tissueSiteDetail", "rnaSeqSampleCount", "eGeneCount");
  log(
    `\n${tissues.height} tissues; eGenes per tissue from ${min(tissues, "eGeneCount")} to ${
      max(tissues, "eGeneCount")
    }`,
  );
  sections.push({ title: "Tissues", table: tissueTable });

  // 2. Dynamic eQTLs: the effect sizes the API leaves out.
  const effects = await rg.eqtlEffects(geneId, { ...call, transform: "log2" });
  const shown = effects.select(
    "tissueSiteDetailId",
    "variantId",
    "n",
    "nes",
    "error",
    "pValue",
    "pValueBeta",
    "log2aFC",
  );
  const agree = (effects.toRecords() as { nes: number; log2aFC: number | null }[])
    .filter((r) => r.log2aFC !== null && Number.isFinite(r.nes));
  const sameSign = agree.filter((r) => Math.sign(r.nes) === Math.sign(r.log2aFC!)).length;
  log(
    `\n${geneId}: ${effects.height} conditionally independent eQTLs; recomputed slopes (log2(TPM+1) per ALT allele):`,
  );
  log(shown.toString());
  log(`sign of the recomputed slope agrees with the API's log2aFC in ${sameSign} of ${agree.length}`);
  log(rg.analysis.RECOMPUTED_PVALUE_NOTE);
  sections.push({
    title: `Dynamic eQTLs of ${geneId}`,
    text: `Recomputed by OLS of log2(TPM+1) on ALT dosage for each conditionally independent eQTL. ` +
      `The slope's sign agrees with the API's log2aFC in ${sameSign} of ${agree.length}. ${rg.analysis.RECOMPUTED_PVALUE_NOTE}`,
    table: shown,
  });

  const [significant, exons, genes] = await Promise.all([
    rg.singleTissueEqtl(geneId, call),
    rg.exon(geneId, call),
    rg.gene(geneId, call),
  ]);
  sections.push({
    title: `The ${geneId} locus`,
    text: `Significant cis-variants of ${geneId} in every tissue (−log10 p by position), the gene model, and the ` +
      `conditionally independent eQTLs highlighted.`,
    figures: [rg.plots.eqtlLocus({ singleTissueEqtl: significant, exon: exons, eqtl: effects, gene: genes }).html],
  });

  // The strongest eQTL, under three transforms.
  if (effects.height > 0) {
    const best = effects.sort("pValue").row(0);
    const cols = effects.columns;
    const pick = (name: string) => best[cols.indexOf(name)] as string;
    const dyn = await rg.dyneqtl({
      geneId,
      tissueSiteDetailId: pick("tissueSiteDetailId"),
      variantId: pick("variantId"),
    }, call);
    const fits = (["none", "log2", "int"] as const).map((transform) => rg.analysis.regressEqtl(dyn, { transform }));
    const table = pl.DataFrame({
      transform: fits.map((f) => f.transform),
      n: pl.Series("n", fits.map((f) => f.n), pl.Int32),
      nes: fits.map((f) => f.nes),
      error: fits.map((f) => f.error),
      tStatistic: fits.map((f) => f.tStatistic),
      pValue: fits.map((f) => f.pValue),
      apiPValue: fits.map((f) => f.apiPValue),
    });
    log(
      `\nStrongest: ${geneId} / ${dyn.tissueSiteDetailId} / ${dyn.variantId} (${dyn.ref}>${dyn.alt}), ` +
        `${dyn.homoRefCount}/${dyn.hetCount}/${dyn.homoAltCount} samples by dosage`,
    );
    log(table.toString());
    sections.push({
      title: `${geneId} in ${dyn.tissueSiteDetailId} at ${dyn.variantId}: three transforms`,
      table,
      figures: [rg.plots.eqtlByGenotype(dyn, { transform: "log2" }).html],
    });

    // The same variant in every tissue where the gene was tested: is the effect the same everywhere?
    // Offline, the bundled release's own files give the pipeline's exact statistics (normalised expression,
    // 25 covariates); against another source the recomputation stays the labelled naive one.
    const exact = client.offline ? { release: rg.release.BUNDLED_RELEASE } : {};
    const across = await rg.effectsAcrossTissues(
      { geneId, variantId: dyn.variantId },
      { ...call, onError: "skip", ...exact },
    );
    const method = across.getColumn("method").get(0) as string;
    const significantIn = across.filter(pl.col("significant")).getColumn("tissueSiteDetailId").toArray() as string[];
    log(
      `\n${dyn.variantId} in ${across.height} tissues: significant for ${geneId} in ${significantIn.length} ` +
        `(${significantIn.join(", ")})`,
    );
    sections.push({
      title: `${geneId} × ${dyn.variantId} across tissues`,
      text:
        `The variant's recomputed slope with its 95% confidence interval in every tissue where ${geneId} was tested ` +
        `— method: ${method}. Filled dots: significant in the pipeline (the API's p below the gene's threshold). ` +
        `Significant in ${significantIn.length} of ${across.height}.` +
        (client.offline
          ? " Recomputed from the release's normalised BEDs and covariates, these p-values equal the API's " +
            "(the naive fits above do not)."
          : ""),
      table: across.select("tissueSiteDetailId", "n", "slope", "slopeSe", "pValue", "apiPValue", "significant"),
      figures: [rg.plots.effectForest(across).html],
    });
  }

  // 3. Clustering: the API's trees, rebuilt locally, then reclustered.
  const med = await rg.medianGeneExpression(panel, call);
  const local = rg.analysis.clusterMedians(med);
  const treesReproduced = {
    gene: local.clusters.gene === med.clusters.gene,
    tissue: local.clusters.tissue === med.clusters.tissue,
  };
  const onLog2 = rg.analysis.clusterMedians(med, { transform: "log2" });
  const byCorrelation = rg.analysis.clusterMedians(med, { transform: "log2", metric: "correlation" });
  const agreement = {
    log2: rg.analysis.compareTrees(local.geneLinkage!, onLog2.geneLinkage!).copheneticCorrelation,
    correlation: rg.analysis.compareTrees(local.geneLinkage!, byCorrelation.geneLinkage!).copheneticCorrelation,
  };
  const groups = rg.analysis.cutTree(onLog2.geneLinkage!, { k: 4 });
  log(`\nMedian expression of ${med.geneIds.length} genes in ${med.tissueIds.length} tissues.`);
  log(
    `The server's trees rebuilt locally from its medians: gene tree ${yes(treesReproduced.gene)}, ` +
      `tissue tree ${yes(treesReproduced.tissue)} (byte for byte).`,
  );
  log(
    `Cophenetic correlation of the server's gene tree (raw TPM, Euclidean) with a log2 reclustering: ` +
      `${agreement.log2.toFixed(3)}; with log2 + correlation distance: ${agreement.correlation.toFixed(3)}.`,
  );
  const groupTable = pl.DataFrame({ geneId: med.geneIds, group: Array.from(groups) });
  sections.push({
    title: "Clustering median expression",
    text: `The server clusters raw median TPM (Euclidean, average linkage, optimal leaf ordering). Rebuilt locally: ` +
      `gene tree ${yes(treesReproduced.gene)}, tissue tree ${
        yes(treesReproduced.tissue)
      }. On log2(TPM+1) the gene tree ` +
      `changes (cophenetic correlation ${agreement.log2.toFixed(3)} with the server's; ${
        agreement.correlation.toFixed(3)
      } ` +
      `with correlation distance): raw TPM lets the most expressed genes dominate. Groups: the log2 tree cut into 4.`,
    table: groupTable,
    figures: [
      rg.plots.dendroHeatmap(med).html,
      rg.plots.dendroHeatmap(med, { clustering: onLog2, groups }).html, // log2 colours, as the trees
    ],
  });

  let reportPath: string | null = null;
  if (options.outDir !== null) {
    reportPath = await writeReport(options.outDir ?? "demo-report", "RatGTEx demo analysis", sections, client);
    log(`\nReport: ${reportPath}`);
  }
  return { effects, treesReproduced, geneTreeAgreement: agreement, reportPath };
}

function yes(b: boolean): string {
  return b ? "reproduced" : "NOT reproduced";
}

function min(df: pl.DataFrame, col: string): number {
  return df.getColumn(col).min() as number;
}

function max(df: pl.DataFrame, col: string): number {
  return df.getColumn(col).max() as number;
}

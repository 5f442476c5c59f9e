/**
 * The GWAS locus workflows on the bundled release, timed:
 *
 * 1. coloc.abf of a GWAS against every gene × tissue of a 3 Mb window (`colocGwas`, window ±1.5 Mb around the
 *    synthetic trait C's hit): the cis-window statistics of every gene × tissue (`Release.cisStatistics`,
 *    pipeline-exact) and coloc.abf on each, warm (the release's files read once, the GWAS read and matched
 *    once per call). Goal: under a second. No peer does the whole thing; the coloc.abf part alone is also
 *    timed against coloc 5's `coloc.abf` in R on the same datasets (COLOC_R_LIB).
 * 2. Fine-mapping every eGene of one tissue (`finemapEgenes`, NAcc: 570 rats): ours end to end, and SuSiE
 *    alone against susieR 0.12's `susie()` on the same residualised X and y (Debian's r-cran-susier), each
 *    side timed inside its own process after a warm-up, best of `--runs`.
 *
 * Every ratio is ours ÷ the peer's figure (time: lower is better). The machine's load average is printed at
 * the start and the end. `--smoke` or BENCH_SMOKE=1: two tissues and three eGenes, one run.
 *
 *   COLOC_R_LIB=/work/rlib deno run --allow-read --allow-write --allow-run --allow-env --allow-ffi --allow-sys \
 *     tests/bench/gwas_locus_bench.ts [--runs 5]
 *
 * bench-flags: --allow-read --allow-write --allow-run --allow-env --allow-ffi --allow-sys
 *
 * @module
 */
import { parseArgs } from "node:util";
import { colocAbf, type ColocDataset, residualiseOnCovariates, susie } from "ratgtex/analysis";
import { colocGwas, finemapEgenes, finemapGene, readGwas } from "ratgtex";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";

const args = parseArgs({
  args: Deno.args,
  options: { runs: { type: "string", default: "5" }, smoke: { type: "boolean", default: false } },
});
const smoke = args.values.smoke || Deno.env.get("BENCH_SMOKE") === "1";
const runs = smoke ? 1 : Number(args.values.runs);
const rLib = Deno.env.get("COLOC_R_LIB");
const GWAS = "fixtures/gwas/synthetic_trait_C.mlma";
const LEAD = "chr5:94883710";
const TISSUE = "NAcc";

interface BenchRecord {
  bench: string;
  case: string;
  unit: string;
  ours: number;
  peer: number | null;
  peerName: string | null;
  ratio: number | null;
  direction: string;
  goal: number | null;
  met: boolean | null;
  note?: string;
  smoke?: boolean;
}

/** A record in the bench runner's shape: ratio = ours ÷ peer (time: lower is better). */
function record(r: Omit<BenchRecord, "bench" | "ratio" | "direction" | "met">): BenchRecord {
  const ratio = r.peer === null ? null : r.ours / r.peer;
  const direction = r.peer === null ? "absolute time: lower is better" : "ours ÷ theirs, time: lower is better";
  const bound = ratio ?? r.ours;
  return {
    bench: "gwas_locus_bench.ts",
    ...r,
    ratio,
    direction,
    met: smoke || r.goal === null ? null : bound <= r.goal,
    ...(smoke ? { smoke: true } : {}),
  };
}

const best = (xs: number[]) => Math.min(...xs);
const fmt = (s: number) => `${(s * 1000).toFixed(1)} ms`;
console.log(`load average at start: ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")} (2 cores, shared)`);
const records: BenchRecord[] = [];
const release = await openRelease(BUNDLED_RELEASE);

// ------------------------------------------------------------------ 1. coloc over a 3 Mb window
const tissues = smoke ? ["Adipose", "PL"] : undefined;
const colocOptions = { gwasN: 917, keepAmbiguous: true, window: 1_500_000, ...(tissues ? { tissues } : {}) };
const { frame: gwas } = await readGwas(GWAS);
let summary = await colocGwas(release, gwas, colocOptions); // cold: reads the release's files
const wall: number[] = [];
for (let r = 0; r < Math.max(runs, 1); r++) {
  const t0 = performance.now();
  summary = await colocGwas(release, gwas, colocOptions);
  wall.push((performance.now() - t0) / 1000);
}
const pairs = summary.summary.height;
// The coloc.abf part alone: the datasets colocGwas builds, rebuilt here from its inputs.
const g = summary.match.frame.toRecords() as { variantId: string; beta: number; se: number; af: number }[];
const gIndex = new Map(g.map((r) => [r.variantId, r]));
const datasets: [ColocDataset, ColocDataset][] = [];
for (const row of summary.summary.toRecords() as { geneId: string; tissueSiteDetailId: string }[]) {
  const stats = (await release.cisStatistics({ geneId: row.geneId, tissueSiteDetailId: row.tissueSiteDetailId }))
    .toRecords() as { variantId: string; slope: number; slopeSe: number; reason: string | null }[];
  const shared = stats.filter((s) => s.reason === null && gIndex.has(s.variantId));
  const snp = shared.map((s) => s.variantId);
  const gw = shared.map((s) => gIndex.get(s.variantId)!);
  datasets.push([
    {
      type: "quant",
      snp,
      beta: gw.map((x) => x.beta),
      varbeta: gw.map((x) => x.se ** 2),
      N: 917,
      MAF: gw.map((x) => Math.min(x.af, 1 - x.af)),
    },
    { type: "quant", snp, beta: shared.map((s) => s.slope), varbeta: shared.map((s) => s.slopeSe ** 2), sdY: 1 },
  ]);
}
const abfTimes: number[] = [];
for (let r = 0; r < Math.max(runs, 1) + 1; r++) {
  const t0 = performance.now();
  for (const [a, b] of datasets) colocAbf(a, b);
  if (r > 0) abfTimes.push((performance.now() - t0) / 1000);
}
const oursAbf = best(abfTimes);
console.log(
  `1. colocGwas, 3 Mb window around ${LEAD}: ${pairs} gene × tissue pairs; warm ${fmt(best(wall))} (best of ` +
    `${wall.length}; median ${fmt(wall.sort((a, b) => a - b)[Math.floor(wall.length / 2)])}), of which coloc.abf ` +
    `${fmt(oursAbf)}`,
);
records.push(record({
  case: `colocGwas, 3 Mb window: ${pairs} gene × tissue pairs (GWAS read + matched, cis statistics, coloc.abf), warm`,
  unit: "s",
  ours: best(wall),
  peer: null,
  peerName: null,
  goal: 1,
  note: `best of ${wall.length} warm runs; bundled release`,
}));
const rAbf = await rColocAbf(datasets);
records.push(
  rAbf === null
    ? {
      ...record({ case: "coloc.abf part", unit: "s", ours: oursAbf, peer: null, peerName: null, goal: null }),
      note: "peer not installed: skipped (set COLOC_R_LIB to a library with coloc 5)",
    }
    : record({
      case: `coloc.abf alone on the same ${pairs} dataset pairs`,
      unit: "s",
      ours: oursAbf,
      peer: rAbf,
      peerName: "coloc 5.2.3 coloc.abf (R)",
      goal: null,
      note: `best of ${abfTimes.length}; R output sunk while timed`,
    }),
);
if (rAbf !== null) {
  console.log(
    `   coloc.abf in R on the same datasets: ${fmt(rAbf)}; ours ÷ R (time, lower is better) = ${
      (oursAbf / rAbf).toFixed(3)
    }`,
  );
}

// ------------------------------------------------------------------ 2. finemap every eGene of a tissue
const top = (await release.topAssociations()).toRecords() as {
  geneId: string;
  tissueSiteDetailId: string;
  eGene: boolean;
}[];
const eGenes = top.filter((t) => t.tissueSiteDetailId === TISSUE && t.eGene).map((t) => t.geneId)
  .slice(0, smoke ? 3 : undefined);
// End to end: what finemapEgenes does (smoke: the first eGenes only).
const fineMapAll = smoke
  ? async () => {
    for (const geneId of eGenes) await finemapGene(release, { geneId, tissueSiteDetailId: TISSUE });
  }
  : async () => void await finemapEgenes(release, TISSUE);
await fineMapAll(); // warm: the tissue's files read
const endToEnd: number[] = [];
for (let r = 0; r < Math.max(runs, 1); r++) {
  const t0 = performance.now();
  await fineMapAll();
  endToEnd.push((performance.now() - t0) / 1000);
}
// SuSiE alone on the residualised windows (what finemapGene gives susie), and susieR on the same.
const dir = await Deno.makeTempDir();
const windows: { X: Float64Array; y: Float64Array; n: number; p: number }[] = [];
for (const geneId of eGenes) {
  const x = await release.cisInputs({ geneId, tissueSiteDetailId: TISSUE });
  const rows = [
    x.phenotype,
    ...x.variants.map((v) => {
      let s = 0, c = 0;
      for (const d of v.dosages) if (d >= 0) s += d, c++;
      return Float64Array.from(v.dosages, (d) => (d < 0 ? s / c : d));
    }),
  ];
  const res = residualiseOnCovariates(x.covariates, rows, x.sampleIds);
  const n = x.sampleIds.length, p = x.variants.length;
  const X = new Float64Array(n * p);
  for (let j = 0; j < p; j++) X.set(res[j + 1], j * n);
  windows.push({ X, y: res[0], n, p });
  const lines = [res.slice(0).map((_, j) => (j === 0 ? "y" : `v${j}`)).join("\t")];
  for (let i = 0; i < n; i++) lines.push(res.map((r) => r[i].toPrecision(17)).join("\t"));
  await Deno.writeTextFile(`${dir}/${geneId}.tsv`, lines.join("\n") + "\n");
}
const susieTimes: number[] = [];
for (let r = 0; r < Math.max(runs, 1) + 1; r++) {
  const t0 = performance.now();
  for (const w of windows) susie({ values: w.X, rows: w.n, columns: w.p }, w.y);
  if (r > 0) susieTimes.push((performance.now() - t0) / 1000);
}
const rSusie = await rSusieTime(dir, eGenes.length);
await Deno.remove(dir, { recursive: true });
const sizes = windows.map((w) => w.p);
console.log(
  `2. finemapEgenes(${TISSUE}): ${eGenes.length} eGenes × ${windows[0]?.n} rats, ${Math.min(...sizes)}–` +
    `${Math.max(...sizes)} variants each: end to end ${fmt(best(endToEnd))}; SuSiE alone ${fmt(best(susieTimes))}` +
    (rSusie === null
      ? " (susieR not found)"
      : `; susieR ${fmt(rSusie)}; ours ÷ susieR (time, lower is better) = ${(best(susieTimes) / rSusie).toFixed(3)}`),
);
records.push(record({
  case: `finemapEgenes(${TISSUE}): ${eGenes.length} eGenes, end to end (inputs read, residualised, SuSiE, sets)`,
  unit: "s",
  ours: best(endToEnd),
  peer: null,
  peerName: null,
  goal: null,
  note: `best of ${endToEnd.length} warm runs`,
}));
records.push(
  rSusie === null
    ? {
      ...record({ case: "SuSiE alone", unit: "s", ours: best(susieTimes), peer: null, peerName: null, goal: null }),
      note: "peer not installed: skipped (apt-get install r-cran-susier)",
    }
    : record({
      case: `SuSiE alone, ${eGenes.length} eGenes of ${TISSUE} (same residualised X, y)`,
      unit: "s",
      ours: best(susieTimes),
      peer: rSusie,
      peerName: "susieR 0.12.35 susie() (R)",
      goal: 0.25,
      note: `best of ${susieTimes.length}; the issue's goal is ≤ 0.25× susieR per fit`,
    }),
);
console.log(`load average at end: ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
console.log(JSON.stringify(records));

/** coloc.abf in R on the same datasets: best total seconds of `runs` after a warm-up, or null without R/coloc. */
async function rColocAbf(pairsOf: [ColocDataset, ColocDataset][]): Promise<number | null> {
  if (rLib === undefined) return null;
  const d = await Deno.makeTempDir();
  try {
    const lines = ["pair\tsnp\tb1\tv1\tmaf\tb2\tv2"];
    pairsOf.forEach(([a, b], k) =>
      a.snp.forEach((s, i) =>
        lines.push([k, s, a.beta![i], a.varbeta![i], (a.MAF as number[])[i], b.beta![i], b.varbeta![i]].join("\t"))
      )
    );
    await Deno.writeTextFile(`${d}/pairs.tsv`, lines.join("\n") + "\n");
    const script = `.libPaths(c("${rLib}", .libPaths())); suppressPackageStartupMessages(library(coloc))
x <- read.delim("${d}/pairs.tsv"); ps <- split(x, x$pair)
run <- function() for (p in ps) coloc.abf(list(beta = p$b1, varbeta = p$v1, N = 917, MAF = p$maf, type = "quant", snp = p$snp),
  list(beta = p$b2, varbeta = p$v2, sdY = 1, type = "quant", snp = p$snp))
sink("/dev/null"); run(); t <- sapply(1:${
      Math.max(runs, 1)
    }, function(i) system.time(suppressMessages(run()))[["elapsed"]]); sink()
cat(min(t), "\\n")`;
    const out = await new Deno.Command("Rscript", { args: ["-e", script], stdout: "piped", stderr: "piped" }).output();
    return out.code === 0 ? Number(new TextDecoder().decode(out.stdout).trim()) : null;
  } catch {
    return null;
  } finally {
    await Deno.remove(d, { recursive: true });
  }
}

/** susie() in R on the exported windows: best total seconds of `runs` after a warm-up, or null without R. */
async function rSusieTime(d: string, genes: number): Promise<number | null> {
  if (genes === 0) return null;
  const script = `suppressPackageStartupMessages(library(susieR))
fs <- list.files("${d}", full.names = TRUE)
ws <- lapply(fs, function(f) { t <- as.matrix(read.delim(f)); list(X = t[, -1, drop = FALSE], y = t[, 1]) })
run <- function() for (w in ws) susie(w$X, w$y)
run(); t <- sapply(1:${Math.max(runs, 1)}, function(i) system.time(suppressWarnings(run()))[["elapsed"]])
cat(min(t), "\\n")`;
  try {
    const out = await new Deno.Command("Rscript", { args: ["-e", script], stdout: "piped", stderr: "piped" }).output();
    return out.code === 0 ? Number(new TextDecoder().decode(out.stdout).trim()) : null;
  } catch {
    return null;
  }
}

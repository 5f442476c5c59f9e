/**
 * Scale benchmark of a full-size synthetic release (13 tissues, ~25,000 genes, millions of rows):
 * generates it into a temporary folder, then reports time and peak memory of the genome-scale queries
 * (region, variant lookup with a 1 Mb window, genome-wide eGene table; each in its own process, cold then
 * warm) and the latency of `geneExpression` and `dyneqtl` from the twin (`ratgtex serve --data`) and from
 * the real Flask app (api/app.py of a ratgtex checkout, when given) over the same folder, as ratios.
 *
 *   deno run -A tests/bench/release_scale.ts [--genes 25000] [--cis 50] [--ratgtex /path/to/ratgtex] [--keep DIR]
 *
 * (`--keep DIR` keeps the generated release in DIR; a later run with the same `--keep` reuses it.)
 *
 * Timing claims are ratios within one run on one machine; nothing here is a pass/fail threshold. The Flask
 * peer runs when `--ratgtex` or the environment variable `RATGTEX_CHECKOUT` names a checkout of
 * daniel-munro/ratgtex (and /usr/bin/python3 has flask and pandas); otherwise its records say "peer not
 * installed: skipped". `--smoke`: 200 genes × 5 cis variants. Prints its report, then its records
 * (tests/bench/README.md).
 *
 * bench-flags: --allow-all
 *
 * (--allow-all: the query children and servers are measured through /proc/<pid>/status, which Deno grants
 * only with it.)
 *
 * @module
 */
import { parseArgs } from "node:util";
import { V4_TISSUE_STYLES } from "ratgtex/plot";
import { Rng } from "../../fixtures/model.ts";
import {
  bgzip,
  bgzipVcfWithIndex,
  geneTableHeader,
  gzipFixed,
  pyPercentG,
  zipFixed,
} from "../../fixtures/release_write.ts";
import { emit, isSmoke, pythonHas, record, skippedRecord } from "./_record.ts";

const enc = new TextEncoder();

/** A seeded uniform stream (the fixture generator's xoshiro128**). */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

interface Sizes {
  genes: number;
  cis: number;
}

/** Write a full-size synthetic release into `dir` (its `v4` folder). Returns row counts. */
export async function generateScaleRelease(dir: string, sizes: Sizes): Promise<Record<string, number>> {
  const r = rng(16);
  const v4 = `${dir}/v4`;
  for (const sub of ["expr", "phenos", "geno", "eqtl", "cis_pvals", "xqtl"]) {
    await Deno.mkdir(`${v4}/${sub}`, { recursive: true });
  }
  const write = (p: string, data: string | Uint8Array) =>
    Deno.writeFile(`${v4}/${p}`, typeof data === "string" ? enc.encode(data) : data);
  const tissues = V4_TISSUE_STYLES.map((t) => t.id);
  const sorted = [...tissues].sort();
  const D = "ratgtex_v4_round11_2";
  const nRats = 1200;
  const rats = Array.from({ length: nRats }, (_, i) => `RAT${String(i + 1).padStart(5, "0")}`);
  const samples = new Map(V4_TISSUE_STYLES.map((t) => {
    const idx = [...Array(nRats).keys()].sort(() => r() - 0.5).slice(0, t.samples).sort((a, b) => a - b);
    return [t.id, idx];
  }));
  // Genes on chr1–20, sorted by position; each gene has `cis` variants, the first two in the VCF.
  const genes = Array.from({ length: sizes.genes }, (_, i) => {
    const chrom = 1 + Math.floor(r() * 20);
    const start = 1_000_000 + Math.floor(r() * 250_000_000);
    return {
      id: `G${String(i + 1).padStart(5, "0")}`,
      chrom: `chr${chrom}`,
      start,
      end: start + 2000 + Math.floor(r() * 50_000),
      strand: r() < 0.5 ? "+" : "-",
    };
  }).sort((a, b) => Number(a.chrom.slice(3)) - Number(b.chrom.slice(3)) || a.start - b.start);
  genes.forEach((g, i) => (g.id = `G${String(i + 1).padStart(5, "0")}`));
  const tss = (g: (typeof genes)[0]) => (g.strand === "+" ? g.start : g.end);
  const cisOf = genes.map((g) => {
    const pos = new Set<number>();
    while (pos.size < sizes.cis) pos.add(Math.max(1, tss(g) - 1_000_000 + Math.floor(r() * 2_000_000)));
    return [...pos].sort((a, b) => a - b);
  });
  const counts: Record<string, number> = {};
  const status = genes.map(() => tissues.map(() => ({ tested: r() < 0.7, egene: false })));
  status.forEach((s) => s.forEach((x) => (x.egene = x.tested && r() < 0.6)));
  const ti = new Map(tissues.map((t, i) => [t, i]));

  await write(
    "tissue_info.v4.tsv",
    [
      "tissueSiteDetailId\ttissueSiteDetailAbbr\ttissueSiteDetail\ttissueSite\tcolorHex\tcolorRgb\tdataset\trnaSeqSampleCount\trnaSeqAndGenotypeSampleCount\texpressedGeneCount\teGeneCount\tdatasetId\thasEGenes",
      ...V4_TISSUE_STYLES.map((t) => {
        const c = t.color.slice(1);
        const rgb = [0, 2, 4].map((k) => parseInt(c.slice(k, k + 2), 16)).join(",");
        const eg = status.filter((s) => s[ti.get(t.id)!].egene).length;
        return [t.id, t.id, t.name, t.site, c, rgb, D, t.samples, t.samples, genes.length, eg, "ratgtex_v4", "True"]
          .join("\t");
      }),
    ].join("\n") + "\n",
  );
  const b = (x: boolean) => (x ? "True" : "False");
  await write(
    "gene.v4.tsv",
    [
      geneTableHeader(sorted).join("\t"),
      ...genes.map((g, gi) =>
        [
          g.id,
          g.chrom,
          g.start,
          g.end,
          g.strand,
          tss(g),
          `synthetic gene ${gi + 1}`,
          b(status[gi].some((s) => s.egene)),
          ...sorted.map(() => "True"),
          ...sorted.map((t) => b(status[gi][ti.get(t)!].tested)),
          ...sorted.map((t) => b(status[gi][ti.get(t)!].egene)),
        ].join("\t")
      ),
    ].join("\n") + "\n",
  );
  await write("autocomplete.v4.json", JSON.stringify(genes.map((g) => g.id)));
  const exons = ["chromosome\tend\texonId\texonNumber\tfeatureType\tgeneId\tstart\tstrand\ttranscriptId"];
  for (const g of genes) {
    for (let k = 0; k < 3; k++) {
      exons.push(
        [g.chrom, g.start + k * 500 + 200, `${g.id}_${k + 1}`, k + 1, "exon", g.id, g.start + k * 500, g.strand, g.id]
          .join("\t"),
      );
    }
  }
  await write("exon.v4.tsv", exons.join("\n") + "\n");
  counts.exons = exons.length - 1;

  // Expression: every gene in every tissue; values from a pool of %g strings (fast to write).
  const pool = Array.from({ length: 4096 }, () => pyPercentG(Math.pow(2, r() * 12) - 1));
  const medians = genes.map(() => tissues.map(() => 0));
  for (const t of tissues) {
    const idx = samples.get(t)!;
    const lines = [["#chr", "start", "end", "phenotype_id", ...idx.map((i) => rats[i])].join("\t")];
    genes.forEach((g, gi) => {
      const row = idx.map(() => pool[Math.floor(r() * pool.length)]);
      medians[gi][ti.get(t)!] = Number(row[0]);
      lines.push(`${g.chrom}\t${tss(g) - 1}\t${tss(g)}\t${g.id}\t${row.join("\t")}`);
    });
    await write(`phenos/phenos.${t}.expression.unnorm.v4_rn8.bed.gz`, bgzip(enc.encode(lines.join("\n") + "\n")).bytes);
  }
  counts.expressionValues = genes.length * V4_TISSUE_STYLES.reduce((a, t) => a + t.samples, 0);
  await write(
    "expr/medianGeneExpression.v4.tsv.gz",
    gzipFixed(
      [
        ["geneId", ...sorted].join("\t"),
        ...genes.map((g, gi) => [g.id, ...sorted.map((t) => Number(medians[gi][ti.get(t)!].toFixed(3)))].join("\t")),
      ].join("\n") + "\n",
    ),
  );
  const top = ["tissueSiteDetailId\tgeneId\tmedian\tchromosome\tmtGene\tdatasetId\tunit"];
  for (const t of sorted) {
    const ranked = genes.map((g, gi) => ({ g, m: Number(medians[gi][ti.get(t)!].toFixed(3)) })).sort((a, c) =>
      c.m - a.m
    ).slice(0, 50);
    for (const { g, m } of ranked) top.push([t, g.id, m, g.chrom, "False", "ratgtex_v4", "TPM"].join("\t"));
  }
  await write("expr/topExpressedGene.v4.tsv", top.join("\n") + "\n");

  // Genotypes: two variants per gene in the VCF (the top and one more), GT calls of every rat.
  const GT = ["0/0", "0/1", "1/1"];
  const vcfLines = [
    "##fileformat=VCFv4.2",
    ...Array.from({ length: 20 }, (_, i) => `##contig=<ID=chr${i + 1}>`),
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", ...rats].join("\t"),
  ];
  const vcfVariants = new Map<string, number>();
  genes.forEach((g, gi) =>
    cisOf[gi].slice(0, 2).forEach((p) => vcfVariants.set(`${g.chrom}:${p}`, Number(g.chrom.slice(3))))
  );
  const sortedVariants = [...vcfVariants.keys()].map((id) => ({
    id,
    c: vcfVariants.get(id)!,
    p: Number(id.split(":")[1]),
  })).sort((a, c) => a.c - c.c || a.p - c.p);
  for (const v of sortedVariants) {
    const f = r() * 0.5 + 0.05;
    const calls = rats.map(() => (r() < 0.01 ? "./." : GT[(r() < f ? 1 : 0) + (r() < f ? 1 : 0)]));
    vcfLines.push(`chr${v.c}\t${v.p}\t${v.id}\tA\tG\t.\tPASS\t.\tGT\t${calls.join("\t")}`);
  }
  const { vcf, tbi } = bgzipVcfWithIndex(vcfLines.join("\n") + "\n");
  vcfLines.length = 0;
  await write(`geno/${D}.rn8.vcf.gz`, vcf);
  await write(`geno/${D}.rn8.vcf.gz.tbi`, tbi);
  counts.vcfVariants = sortedVariants.length;

  // QTL tables.
  const p = () => pyPercentG(Math.pow(10, -1 - r() * 20));
  const topA = [
    "tissue\tgene_id\tnum_var\tvariant_id\tchrom\tpos\tref\talt\taf\ttss_distance\tpval_nominal\tslope\tslope_se\tpval_beta\tqval\tpval_nominal_threshold\tlog2_aFC",
  ];
  const indep = [
    "tissue\tgene_id\tnum_var\tvariant_id\tchrom\tpos\tref\talt\taf\ttss_distance\tpval_nominal\tslope\tslope_se\tpval_beta\trank\tlog2_aFC",
  ];
  const xq = [
    "tissue\tmodality\tphenotype_id\tgene_id\tnum_var\tvariant_id\tchrom\tpos\tref\talt\taf\ttss_distance\tpval_nominal\tslope\tslope_se\tpval_beta\trank",
  ];
  const esnps = new Map<string, string[]>();
  const modalities = ["alt_polyA", "alt_TSS", "isoforms", "splicing", "stability"];
  for (const t of sorted) {
    genes.forEach((g, gi) => {
      const s = status[gi][ti.get(t)!];
      if (!s.tested) return;
      const pos = cisOf[gi][0];
      const common = (q: number) => [`${g.chrom}:${q}`, g.chrom, q, "A", "G", "0.3", q - tss(g), p(), "0.5", "0.1"];
      topA.push([t, g.id, sizes.cis, ...common(pos), p(), s.egene ? "0.001" : "0.5", "0.0001", "0.8"].join("\t"));
      if (!s.egene) return;
      const n = r() < 0.3 ? 2 : 1;
      for (let k = 0; k < n; k++) {
        const q = cisOf[gi][k];
        indep.push([t, g.id, sizes.cis, ...common(q), p(), k + 1, r() < 0.05 ? "NA" : "0.7"].join("\t"));
        xq.push([t, "expression", g.id, g.id, sizes.cis, ...common(q), p(), k + 1].join("\t"));
      }
      for (const m of modalities) {
        if (r() < 0.5) {
          xq.push([t, m, `${g.id}__${m}_1`, g.id, sizes.cis, ...common(cisOf[gi][1]), p(), 1].join("\t"));
        }
      }
      const rows = esnps.get(g.id) ?? [];
      for (const q of cisOf[gi].slice(0, 10)) rows.push([`${g.chrom}:${q}`, p(), "0.5", g.chrom, q, t].join("\t"));
      esnps.set(g.id, rows);
    });
  }
  await write("eqtl/top_assoc.v4_rn8.tsv", topA.join("\n") + "\n");
  await write("eqtl/eqtls_indep.v4_rn8.tsv", indep.join("\n") + "\n");
  await write("xqtl/xqtls_indep.cross_modality.v4_rn8.tsv", xq.join("\n") + "\n");
  counts.topAssoc = topA.length - 1;
  counts.eqtlsIndep = indep.length - 1;
  counts.xqtlsIndep = xq.length - 1;
  const head = "variantId\tpValue\tnes\tchromosome\tpos\ttissueSiteDetailId\n";
  counts.significantPairs = [...esnps.values()].reduce((a, x) => a + x.length, 0);
  await write(
    "eqtl/all_gene_esnps.v4.zip",
    zipFixed(
      [...esnps.keys()].sort().map((
        gene,
      ) => [`all_gene_esnps.v4/${gene}.txt`, head + esnps.get(gene)!.join("\n") + "\n"]),
    ),
  );
  counts.cisPvals = 0;
  for (const t of sorted) {
    const members: [string, string][] = [];
    genes.forEach((g, gi) => {
      if (!status[gi][ti.get(t)!].tested) return;
      members.push([
        `${t}.v4/${g.id}.txt`,
        "variant_id\tpval_nominal\n" + cisOf[gi].map((q) => `${g.chrom}:${q}\t${p()}\n`).join(""),
      ]);
      counts.cisPvals += cisOf[gi].length;
    });
    await write(`cis_pvals/${t}.v4.zip`, zipFixed(members));
  }
  return counts;
}

// ------------------------------------------------------------------ measurement

function peakRssMb(pid: number | "self"): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await f();
  return [performance.now() - t0, v];
}

/** Child mode: run one genome-scale query cold then warm, print {coldMs, warmMs, peakMb, rows}. */
async function queryChild(dir: string, query: string): Promise<void> {
  const { openRelease } = await import("../../lib/release/mod.ts");
  const run = async (rel: Awaited<ReturnType<typeof openRelease>>) => {
    if (query === "region") return (await rel.region("chr10:100.7M-101.0M")).eqtls.height;
    if (query === "lookup") {
      const r = await rel.lookup("chr10:100826333", { window: 1_000_000 });
      return r.eqtls.height + r.xqtls.height;
    }
    const top = await rel.topAssociations();
    return top.filter(top.getColumn("eGene")).height;
  };
  const rel = await openRelease(dir);
  const [coldMs, rows] = await timed(() => run(rel));
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) warm.push((await timed(() => run(rel)))[0]);
  console.log(JSON.stringify({ coldMs, warmMs: warm.sort((a, b) => a - b)[2], peakMb: peakRssMb("self"), rows }));
}

async function waitFor(url: string, ms: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < ms / 200; i++) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      return performance.now() - t0;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`no server at ${url} after ${ms} ms`);
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Latencies of a server at `base` for the requests (the first of each route is the cold one). */
async function latencies(base: string, requests: Record<string, string[]>) {
  const out: Record<string, { coldMs: number; p50: number; p99: number; n: number }> = {};
  for (const [route, paths] of Object.entries(requests)) {
    const times: number[] = [];
    for (const p of paths) {
      const [ms, res] = await timed(() => fetch(`${base}${p}`));
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${p}: ${res.status} ${body.slice(0, 200)}`);
      times.push(ms);
    }
    out[route] = {
      coldMs: times[0],
      p50: quantile(times.slice(1), 0.5),
      p99: quantile(times.slice(1), 0.99),
      n: times.length,
    };
  }
  return out;
}

async function main() {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      genes: { type: "string" },
      cis: { type: "string" },
      ratgtex: { type: "string" },
      keep: { type: "string" },
      child: { type: "string" },
      dir: { type: "string" },
      smoke: { type: "boolean", default: false },
    },
  });
  if (values.child) return queryChild(values.dir!, values.child);
  const smoke = isSmoke();
  const sizes = { genes: Number(values.genes ?? (smoke ? 200 : 25000)), cis: Number(values.cis ?? (smoke ? 5 : 50)) };
  const ratgtex = values.ratgtex ?? Deno.env.get("RATGTEX_CHECKOUT");
  const dir = values.keep ?? await Deno.makeTempDir({ prefix: "ratgtex-scale-" });
  const report: Record<string, unknown> = { sizes };
  try {
    // --keep DIR keeps the release; a second run with the same --keep reuses it.
    const reuse = values.keep !== undefined &&
      await Deno.stat(`${dir}/v4/tissue_info.v4.tsv`).then(() => true, () => false);
    const [genMs, counts] = reuse ? [0, { reused: 1 }] : await timed(() => generateScaleRelease(dir, sizes));
    let bytes = 0;
    for await (const e of Deno.readDir(`${dir}/v4`)) {
      if (e.isDirectory) {
        for await (const f of Deno.readDir(`${dir}/v4/${e.name}`)) {
          bytes += Deno.statSync(`${dir}/v4/${e.name}/${f.name}`).size;
        }
      }
    }
    report.generation = { ms: Math.round(genMs), counts, megabytes: Math.round(bytes / 1e6) };
    console.error(JSON.stringify(report.generation));

    const queries: Record<string, unknown> = {};
    for (const q of ["region", "lookup", "egenes"]) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", import.meta.filename!, "--child", q, "--dir", dir],
        stdout: "piped",
      }).output();
      queries[q] = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
    }
    report.queries = queries;
    console.error(JSON.stringify(queries));

    // The same requests to the twin and to the real server.
    const top = (await Deno.readTextFile(`${dir}/v4/eqtl/top_assoc.v4_rn8.tsv`)).split("\n").slice(1, -1).map((l) =>
      l.split("\t")
    );
    const r = rng(99);
    const pickTop = Array.from({ length: 60 }, () => top[Math.floor(r() * top.length)]);
    const requests = {
      geneExpression: pickTop.map((x) => `/api/v4/geneExpression?geneId=${x[1]}`),
      dyneqtl: pickTop.map((x) => `/api/v4/dyneqtl?geneId=${x[1]}&tissueSiteDetailId=${x[0]}&variantId=${x[3]}`),
    };
    const servers: Record<string, unknown> = {};
    const twinPort = 18000 + Math.floor(r() * 1000);
    const twin = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../../lib/cli/main.ts", import.meta.url).pathname,
        "serve",
        "--data",
        dir,
        "--port",
        String(twinPort),
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      const startMs = await waitFor(`http://127.0.0.1:${twinPort}/api/v4/tissueInfo`, 60_000);
      const lat = await latencies(`http://127.0.0.1:${twinPort}`, requests);
      servers.twin = { startMs: Math.round(startMs), ...lat, peakMb: Math.round(peakRssMb(twin.pid)) };
    } finally {
      twin.kill("SIGTERM");
      await twin.status;
    }
    const flaskWhy = !ratgtex
      ? "set RATGTEX_CHECKOUT (or --ratgtex) to a daniel-munro/ratgtex checkout"
      : !(await pythonHas("flask", "pandas"))
      ? "needs /usr/bin/python3 with flask and pandas: apt-get install python3-flask python3-pandas"
      : null;
    if (!flaskWhy) {
      const run = await Deno.makeTempDir();
      await Deno.symlink(dir, `${run}/data`);
      await Deno.mkdir(`${run}/run`);
      const port = twinPort + 1;
      const flask = new Deno.Command("/usr/bin/python3", {
        args: [
          "-c",
          `import sys, logging; sys.path.insert(0, ${
            JSON.stringify(`${ratgtex}/api`)
          }); import app; logging.getLogger("werkzeug").disabled = True; app.api.run(port=${port}, threaded=False)`,
        ],
        cwd: `${run}/run`,
        stdout: "null",
        stderr: "null",
      }).spawn();
      try {
        const startMs = await waitFor(`http://127.0.0.1:${port}/api/v4/tissueInfo`, 900_000);
        const lat = await latencies(`http://127.0.0.1:${port}`, requests);
        servers.flask = { startMs: Math.round(startMs), ...lat, peakMb: Math.round(peakRssMb(flask.pid)) };
      } finally {
        flask.kill("SIGTERM");
        await flask.status;
        await Deno.remove(run, { recursive: true });
      }
      const t = servers.twin as Record<string, { p50: number; p99: number; coldMs: number }> & {
        peakMb: number;
        startMs: number;
      };
      const fl = servers.flask as typeof t;
      servers.ratios = {
        "twin/flask startMs": t.startMs / fl.startMs,
        "twin/flask peakMb": t.peakMb / fl.peakMb,
        ...Object.fromEntries(
          Object.keys(requests).flatMap((k) => [
            [`twin/flask ${k} cold`, t[k].coldMs / fl[k].coldMs],
            [`twin/flask ${k} p50`, t[k].p50 / fl[k].p50],
            [`twin/flask ${k} p99`, t[k].p99 / fl[k].p99],
          ]),
        ),
      };
    }
    report.servers = servers;
    console.log(JSON.stringify(report, null, 1));
    const size = `${sizes.genes.toLocaleString("en-US")} genes × ${sizes.cis} cis variants`;
    const records = [];
    for (const [q, r] of Object.entries(queries) as [string, { coldMs: number; warmMs: number; peakMb: number }][]) {
      for (const [label, ms] of [["cold", r.coldMs], ["warm", r.warmMs]] as const) {
        records.push(record({
          case: `Release.${q === "egenes" ? "topAssociations (eGenes)" : q}, ${size}, ${label}`,
          unit: "ms",
          ours: ms,
          quantity: "wall time",
          better: "lower",
          note: label === "cold" ? `peak RSS ${r.peakMb.toFixed(0)} MB` : undefined,
        }));
      }
    }
    type Lat = Record<string, { p50: number; coldMs: number }> & { peakMb: number; startMs: number };
    const t = servers.twin as Lat;
    const fl = servers.flask as Lat | undefined;
    const serverRows: { what: string; unit: string; ours: number; peer?: number; quantity: string }[] = [
      { what: "twin start-up", unit: "ms", ours: t.startMs, peer: fl?.startMs, quantity: "wall time" },
      { what: "twin peak RSS", unit: "MB", ours: t.peakMb, peer: fl?.peakMb, quantity: "memory" },
      ...Object.keys(requests).map((k) => ({
        what: `twin ${k} warm p50`,
        unit: "ms",
        ours: t[k].p50,
        peer: fl?.[k].p50,
        quantity: "wall time",
      })),
    ];
    for (const { what, unit, ours, peer, quantity } of serverRows) {
      const base = { case: `${what}, ${size}`, unit, ours, peerName: "RatGTEx Flask app (api/app.py)", quantity };
      records.push(
        flaskWhy
          ? skippedRecord({ ...base, better: "lower", why: flaskWhy })
          : record({ ...base, peer: peer ?? null, better: "lower" }),
      );
    }
    emit(records);
  } finally {
    if (!values.keep) await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await main();

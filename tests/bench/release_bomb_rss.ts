/**
 * Peak memory of the release readers fed bombs: hostile copies of the bundled release (built in a temporary
 * folder) and hostile servers on 127.0.0.1 (in this process). For each bomb a CHILD process that only loads
 * the library and reads the hostile file reports its peak RSS (`VmHWM` of /proc/self/status) before and
 * after, and the error it got. Linux only. `releaseBombPeaks` is also what
 * tests/e2e/reliability_release_bombs_test.ts runs (with smaller bombs).
 *
 * Run: deno run -A tests/bench/release_bomb_rss.ts [--smoke]   (BENCH_SMOKE=1 too: 64 MiB bombs, seconds)
 * Full size: every bomb inflates to 1 GiB (the size the review used), except where a bigger one is needed
 * to pass a 1 GiB cap. No peer: absolute figures. Prints its report, then its records (tests/bench/README.md).
 *
 * bench-flags: --allow-all
 *
 * (--allow-all: the child reads its peak RSS from /proc/self/status, which Deno grants only with it.)
 */
import { copyRelease, gzipBomb, rowBomb, zipBomb } from "../support/hostile_release.ts";
import { startHostile, streamOf } from "../support/reliability.ts";
import { emit, record } from "./_record.ts";

const MOD = new URL("../../lib/release/release.ts", import.meta.url).href;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const MiB = 2 ** 20;

/** The child: load the library, note the peak, run one victim, note the peak again. */
const CHILD = `
import * as r from ${JSON.stringify(MOD)};
const hwm = () => Number(/VmHWM:\\s+(\\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"))[1]) * 1024;
const [source, victim, limitsJson, cacheDir] = Deno.args;
const rel = await r.openRelease(source, { limits: JSON.parse(limitsJson), cacheDir: cacheDir || undefined, timeoutMs: 20000 });
await r.folderOf(rel).layout().catch(() => null); // tissue_info read before the measurement starts
const victims = {
  cisPvals: () => rel.eqtlStatistics([{ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }]),
  bed: () => r.folderOf(rel).expression("IL"),
  medians: () => rel.medianExpression(),
  significant: () => rel.significantPairs(["IL"]),
  vcfLine: () => rel.genotypes({ variantIds: ["chr10:100826333"] }),
  zipRanges: () => r.folderOf(rel).cisPvals("IL"),
  download: () => rel.independentEqtls(),
};
const before = hwm();
const t0 = performance.now();
const error = await victims[victim]().then(() => null, (e) => e);
console.log(JSON.stringify({ before, after: hwm(), ms: performance.now() - t0, error: error?.name ?? null, option: error?.option ?? null, message: String(error?.message ?? "").split("\\n")[0].slice(0, 160) }));
`;

/** One bomb's measurement. */
export interface ReleaseBombPeak {
  /** What the bomb is. */
  bomb: string;
  /** How many bytes it inflates (or streams) to. */
  bytes: number;
  /** Peak RSS after loading the library, before the read. */
  beforeBytes: number;
  /** Peak RSS after the read failed. */
  afterBytes: number;
  /** How long the read took. */
  ms: number;
  /** The error's class name (null: no error). */
  error: string | null;
  /** The cap that stopped it, when one did. */
  option: string | null;
  /** The error's first line. */
  message: string;
}

interface Bomb {
  bomb: string;
  bytes: number;
  victim: string;
  /** Change a hostile copy of the release (folder bombs). */
  folder?: (dir: string) => Promise<void>;
  /** Serve a hostile release (server bombs): the path prefix the handler recognises. */
  server?: string;
  limits?: Record<string, number>;
}

/**
 * Measure every bomb in a child process. `size`: the bytes each bomb inflates to (default 1 GiB).
 */
export async function releaseBombPeaks(size = 1024 * MiB): Promise<ReleaseBombPeak[]> {
  const bedHeader = "#chr\tstart\tend\tphenotype_id\tR1\n";
  const sigHeader =
    "phenotype_id\tvariant_id\ttss_distance\tend_distance\taf\tma_samples\tma_count\tpval_nominal\tslope\tslope_se\n";
  const row = "Cd300lf\tchr10:100826333\t1\t1\t0.5\t1\t1\t0.01\t0.5\t0.1\n";
  const bombs: Bomb[] = [
    {
      bomb: "cis_pvals zip member, size told",
      bytes: size,
      victim: "cisPvals",
      folder: async (d) =>
        await Deno.writeFile(
          `${d}/cis_pvals/IL.v4.zip`,
          await zipBomb("IL.v4/Cd300lf.txt", "variant_id\tpval_nominal\n", size),
        ),
    },
    {
      bomb: "cis_pvals zip member, size lied (1 kB)",
      bytes: size,
      victim: "cisPvals",
      folder: async (d) =>
        await Deno.writeFile(
          `${d}/cis_pvals/IL.v4.zip`,
          await zipBomb("IL.v4/Cd300lf.txt", "variant_id\tpval_nominal\n", size, 1000),
        ),
    },
    {
      bomb: "BED gzip (spaces)",
      bytes: size,
      victim: "bed",
      folder: async (d) =>
        await Deno.writeFile(`${d}/phenos/phenos.IL.expression.unnorm.v4_rn8.bed.gz`, await gzipBomb(bedHeader, size)),
    },
    {
      bomb: "medians gzip (spaces)",
      bytes: size,
      victim: "medians",
      folder: async (d) =>
        await Deno.writeFile(`${d}/expr/medianGeneExpression.v4.tsv.gz`, await gzipBomb("geneId\tIL\n", size)),
    },
    {
      // Every row valid (the table has no key): only maxFileBytes stops it; the frame grows up to the cap.
      bomb: `cis_qtl_signif gzip (valid rows; maxFileBytes ${
        size === 1024 * MiB ? "default" : `${size / 4 / MiB} MiB`
      })`,
      // Full size: past the default cap; smaller: ten times its cap (a frame of it all would take about 40×).
      bytes: size === 1024 * MiB ? size + size / 4 : size * 2.5,
      victim: "significant",
      limits: size === 1024 * MiB ? {} : { maxFileBytes: size / 4 },
      folder: async (d) =>
        await Deno.writeFile(
          `${d}/xqtl/cis_qtl_signif.IL.expression.v4_rn8.txt.gz`,
          await rowBomb(sigHeader, row, size === 1024 * MiB ? size + size / 4 : size * 2.5),
        ),
    },
    {
      bomb: "VCF record of 64 MiB",
      bytes: 64 * MiB,
      victim: "vcfLine",
      folder: async (d) => {
        const { editVcf } = await import("../support/hostile_release.ts");
        await editVcf(d, "ratgtex_v4_round11_2", (l) => {
          const i = l.findIndex((x) => x.startsWith("chr10\t100826333\t"));
          const f = l[i].split("\t");
          f[7] = "X=" + "A".repeat(64 * MiB);
          return l.with(i, f.join("\t"));
        });
      },
    },
    { bomb: "range read answered 200 + endless body", bytes: size, victim: "zipRanges", server: "ranges200" },
    { bomb: "download: endless chunked body", bytes: size, victim: "download", server: "chunked" },
    { bomb: "download: gzip-encoded body", bytes: size, victim: "download", server: "gzip" },
  ];
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(script, CHILD);
  const gzipped = await gzipBomb("", Math.min(size, 512 * MiB));
  const { BUNDLED_RELEASE } = await import("../../lib/release/folder.ts");
  const server = await startHostile(async (request, signal) => {
    const url = new URL(request.url);
    const [, mode, , , ...rest] = url.pathname.split("/");
    const rel = rest.join("/");
    const file = await Deno.readFile(`${BUNDLED_RELEASE}/${rel}`).catch(() => null);
    if (file === null) return new Response("Not Found", { status: 404 });
    if (rel === "tissue_info.v4.tsv") return new Response(file, { headers: { "content-length": String(file.length) } });
    if (mode === "ranges200") return new Response(streamOf(new Uint8Array(MiB).fill(0x50), size / MiB, signal));
    if (mode === "gzip") {
      return new Response(gzipped as Uint8Array<ArrayBuffer>, {
        headers: { "content-encoding": "gzip", "content-length": String(gzipped.length) },
      });
    }
    return new Response(streamOf(new Uint8Array(MiB).fill(0x41), size / MiB, signal)); // chunked, no length
  });
  const out: ReleaseBombPeak[] = [];
  try {
    for (const b of bombs) {
      const { root, dir } = await copyRelease();
      try {
        let source = dir;
        if (b.folder) await b.folder(dir);
        if (b.server) source = `${server.origin}/${b.server}/data/v4`;
        const run = await new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            "--config",
            CONFIG,
            script,
            source,
            b.victim,
            JSON.stringify(b.limits ?? {}),
            `${root}/cache`,
          ],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const text = new TextDecoder().decode(run.stdout).trim().split("\n").at(-1) ?? "";
        if (!run.success) throw new Error(`child failed: ${new TextDecoder().decode(run.stderr)}`);
        const r = JSON.parse(text);
        out.push({
          bomb: b.bomb,
          bytes: b.bytes,
          beforeBytes: r.before,
          afterBytes: r.after,
          ms: r.ms,
          error: r.error,
          option: r.option,
          message: r.message,
        });
      } finally {
        await Deno.remove(root, { recursive: true });
      }
    }
  } finally {
    await server.close();
    await Deno.remove(script);
  }
  return out;
}

if (import.meta.main) {
  const smoke = Deno.args.includes("--smoke") || Deno.env.get("BENCH_SMOKE") === "1";
  const size = smoke ? 64 * MiB : 1024 * MiB;
  console.log(
    `release bombs, ${size / MiB} MiB each, default caps unless said; peak RSS of a child process (VmHWM), ` +
      `load ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")} on ${navigator.hardwareConcurrency} cores`,
  );
  const peaks = await releaseBombPeaks(size);
  for (const p of peaks) {
    console.log(
      `${p.bomb} (${(p.bytes / MiB).toFixed(0)} MiB): ${p.error}${p.option ? ` [${p.option}]` : ""} after ${
        p.ms.toFixed(0)
      } ms; peak RSS ${(p.beforeBytes / MiB).toFixed(0)} MiB before, ${(p.afterBytes / MiB).toFixed(0)} MiB after (+${
        ((p.afterBytes - p.beforeBytes) / MiB).toFixed(0)
      } MiB) — ${p.message}`,
    );
  }
  emit(peaks.map((p) =>
    record({
      case: `release reader fed ${p.bomb} (${(p.bytes / MiB).toFixed(0)} MiB): peak RSS growth`,
      unit: "MiB",
      ours: (p.afterBytes - p.beforeBytes) / MiB,
      quantity: "memory",
      better: "lower",
      note: `${p.error}${p.option ? ` [${p.option}]` : ""} after ${p.ms.toFixed(0)} ms`,
    })
  ));
}

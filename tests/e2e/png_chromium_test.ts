/**
 * `fig.save("x.png")` draws what a browser draws. Every figure helper's figure (offline data) is rendered to
 * PNG by the library (resvg, no browser) and by Debian's Chromium (the same SVG document in an `<img>`, as
 * JupyterLab shows it; screenshot at the same scale), and the two pictures are compared pixel by pixel in
 * the page (canvas `getImageData`).
 *
 * Bounds (stated, per figure, at scales 1 and 2): at most 0.5 % of 4 × 4 px blocks (CSS px) whose mean grey
 * level differs by more than 32 of 255; mean absolute difference at most 4 of 255 per channel and pixel;
 * non-white pixels within ±10 % of Chromium's. Glyph edges differ pixel by pixel (tiny-skia vs Skia, Chromium's
 * darker hinted text), which averages out over a block; a missing mark or another font does not. Measured
 * here: 0.10–0.21 % of blocks at 1×, 0 % at 2×; two controls per figure must fail the bounds and do: the
 * figure without its marks (1.8–41 % of blocks) and the figure in DejaVu Sans Mono (1.3–6.2 %).
 * The measured values are printed. Skipped, saying why, without Chromium. Screenshots and both PNGs go to
 * `RATGTEX_E2E_SCREENSHOTS` (default `/tmp/ratgtex-e2e-screens`)/png/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Buffer } from "node:buffer";
import { chromiumMissing, launchChromium, ROOT, sayWhySkipped } from "./_tools.ts";
import * as rg from "ratgtex";

const NAME = "PNG export: every figure matches Chromium's rendering of its SVG";
const skip = sayWhySkipped(NAME, [chromiumMissing()]);
const SHOTS = join(Deno.env.get("RATGTEX_E2E_SCREENSHOTS") ?? "/tmp/ratgtex-e2e-screens", "png");

/** 4 × 4 px blocks (CSS px) whose mean grey level differs by more than 32 of 255: at most this share. */
const MAX_BLOCKS_OFF = 0.005;
/** Mean absolute difference per channel and pixel, of 255. */
const MAX_MEAN_ABS = 4;
/** Non-white pixels of ours ÷ Chromium's, at most this far from 1 (a missing mark or label moves it). */
const MAX_INK_RATIO_OFF = 0.1;

/**
 * Run in the page (browser JavaScript, hence a string): decode two PNGs (a: ours, b: Chromium's) on canvases,
 * and return the share of pixels whose largest channel difference exceeds 64, the mean absolute channel
 * difference, and the share of non-white pixels in Chromium's picture ("ink": a blank picture has none).
 */
const COMPARE_IN_PAGE = `async (a, b, k) => {
  const load = (src) => new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = reject;
    img.src = src;
  });
  const [ia, ib] = await Promise.all([load(a), load(b)]);
  if (ia.naturalWidth !== ib.naturalWidth || ia.naturalHeight !== ib.naturalHeight) {
    return { size: ia.naturalWidth + "×" + ia.naturalHeight + " vs " + ib.naturalWidth + "×" + ib.naturalHeight };
  }
  const pixels = (img) => {
    const c = document.createElement("canvas");
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.drawImage(img, 0, 0);
    return ctx.getImageData(0, 0, c.width, c.height).data;
  };
  const pa = pixels(ia), pb = pixels(ib);
  let differing = 0, sum = 0, ink = 0, inkOurs = 0;
  for (let i = 0; i < pa.length; i += 4) {
    let max = 0;
    for (let k = 0; k < 3; k++) {
      const d = Math.abs(pa[i + k] - pb[i + k]);
      sum += d;
      if (d > max) max = d;
    }
    if (max > 64) differing++;
    if (pb[i] < 200 || pb[i + 1] < 200 || pb[i + 2] < 200) ink++;
    if (pa[i] < 200 || pa[i + 1] < 200 || pa[i + 2] < 200) inkOurs++;
  }
  const n = pa.length / 4;
  // k × k blocks, grey level averaged: glyph edges (two rasterisers) average out, a moved glyph or mark does not.
  const w = ia.naturalWidth, h = ia.naturalHeight, bw = Math.floor(w / k), bh = Math.floor(h / k);
  let blocksOff = 0;
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let sa = 0, sb = 0;
      for (let y = by * k; y < by * k + k; y++) {
        for (let x = bx * k; x < bx * k + k; x++) {
          const i = 4 * (y * w + x);
          sa += pa[i] + pa[i + 1] + pa[i + 2];
          sb += pb[i] + pb[i + 1] + pb[i + 2];
        }
      }
      if (Math.abs(sa - sb) / (3 * k * k) > 32) blocksOff++;
    }
  }
  return { blocks: blocksOff / (bw * bh), size: ia.naturalWidth + "×" + ia.naturalHeight, differing: differing / n, meanAbs: sum / (3 * n), ink: ink / n, inkOurs: inkOurs / n };
}`;

async function figures(): Promise<[string, rg.plots.PlotFigure][]> {
  const client = rg.createClient({ source: "offline" });
  const [expr, med, dyn, top, xqtls, sig, exons, eqtls, genes, across] = await Promise.all([
    rg.geneExpression("Cd300lf", { client }),
    rg.medianGeneExpression(["Polr3k", "Rtel1", "Eno1", "Cd300lf"], { client }),
    rg.dyneqtl({ geneId: "Cd300lf", tissueSiteDetailId: "IL", variantId: "chr10:100826333" }, { client }),
    rg.topExpressedGene({ tissueSiteDetailId: "Liver", filterMtGene: true }, { client }),
    rg.xqtl("Cd300lf", { client }),
    rg.singleTissueEqtl("Cd300lf", { client }),
    rg.exon("Cd300lf", { client }),
    rg.eqtl("Cd300lf", { client }),
    rg.gene("Cd300lf", { client }),
    rg.effectsAcrossTissues({ geneId: "Cd300lf", variantId: "chr10:100826333" }, { client }),
  ]);
  return [
    ["expression-by-tissue", rg.plots.expressionByTissue(expr)],
    ["dendro-heatmap", rg.plots.dendroHeatmap(med)],
    ["eqtl-by-genotype", rg.plots.eqtlByGenotype(dyn, { transform: "log2", kind: "both" })],
    ["top-expressed", rg.plots.topExpressedGenes(top)],
    ["xqtl-overview", rg.plots.xqtlOverview(xqtls)],
    ["locus", rg.plots.eqtlLocus({ singleTissueEqtl: sig, exon: exons, eqtl: eqtls, gene: genes })],
    ["effect-forest", rg.plots.effectForest(across)],
  ];
}

interface Difference {
  size: string;
  blocks?: number;
  differing?: number;
  meanAbs?: number;
  ink?: number;
  inkOurs?: number;
}

/** Whether a comparison is within the bounds (see the module doc). */
function within(d: Difference): boolean {
  if (d.differing === undefined) return false;
  const inkRatio = d.inkOurs! / Math.max(d.ink!, 1e-9);
  return d.blocks! <= MAX_BLOCKS_OFF && d.meanAbs! <= MAX_MEAN_ABS &&
    Math.abs(inkRatio - 1) <= MAX_INK_RATIO_OFF;
}

function describe(d: Difference): string {
  if (d.differing === undefined) return `sizes differ: ${d.size}`;
  return `${d.size}: ${(d.blocks! * 100).toFixed(2)} % of 4×4 px blocks differ by > 32 (grey), ` +
    `${(d.differing * 100).toFixed(2)} % of pixels by > 64, mean |diff| ` +
    `${d.meanAbs!.toFixed(2)}/255, ink ${(d.inkOurs! * 100).toFixed(1)} % vs ${(d.ink! * 100).toFixed(1)} %`;
}

Deno.test({
  name: NAME,
  ignore: skip,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await Deno.mkdir(SHOTS, { recursive: true });
    const chromium = await launchChromium();
    try {
      const rows: string[] = [];
      const failures: string[] = [];
      for (const scale of [1, 2]) {
        for (const [name, fig] of await figures()) {
          const ours = await fig.png({ scale });
          await Deno.writeFile(join(SHOTS, `${name}@${scale}x.resvg.png`), ours);
          const page = await chromium.browser.newPage();
          const width = Math.ceil(fig.width);
          const height = Math.ceil(fig.height);
          await page.setViewport({ width, height, deviceScaleFactor: scale });
          const svgUrl = `data:image/svg+xml;base64,${Buffer.from(fig.svg).toString("base64")}`;
          await page.setContent(
            `<!doctype html><html><body style="margin:0;background:#fff">` +
              `<img id="f" src="${svgUrl}" width="${width}" height="${height}" style="display:block"></body></html>`,
            { waitUntil: "load" },
          );
          const theirs = await page.screenshot({ clip: { x: 0, y: 0, width, height }, type: "png" });
          await Deno.writeFile(join(SHOTS, `${name}@${scale}x.chromium.png`), theirs);
          const compare = async (png: Uint8Array) =>
            await page.evaluate(
              `(${COMPARE_IN_PAGE})(${
                JSON.stringify(`data:image/png;base64,${Buffer.from(png).toString("base64")}`)
              }, ` +
                `${JSON.stringify(`data:image/png;base64,${Buffer.from(theirs).toString("base64")}`)}, ${4 * scale})`,
            ) as Difference;
          const diff = await compare(ours);
          rows.push(`${name} @${scale}x ${describe(diff)}`);
          if (!within(diff)) failures.push(`${name} @${scale}x ${describe(diff)}`);
          if (scale === 1) {
            // Controls: the figure without its marks (title and notes kept) and the figure in a monospace font
            // must both be out of bounds, or the bounds would not catch a broken export.
            const bare = await new rg.plots.PlotFigure({ ...fig.options, marks: [] }, fig.decorations).png({ scale });
            for (
              const [control, png] of [["marks removed", bare], [
                "another font",
                await fig.png({ scale, fontFamily: "DejaVu Sans Mono" }),
              ]] as const
            ) {
              await Deno.writeFile(join(SHOTS, `${name}@${scale}x.control-${control.replaceAll(" ", "-")}.png`), png);
              const d = await compare(png);
              rows.push(`  control (${control}): ${describe(d)}`);
              if (within(d)) failures.push(`${name}: the control "${control}" is within the bounds: ${describe(d)}`);
            }
          }
          await page.close();
        }
      }
      console.log(rows.join("\n"));
      assert.deepEqual(failures, [], failures.join("\n"));
    } finally {
      await chromium.close();
    }
  },
});

Deno.test({
  name:
    "CLI: figures … --out x.png [--scale S] writes the figure's PNG (the cli task's permissions); png without --out is a usage error",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "ratgtex-png-cli-" });
    try {
      const cli = (args: string[]) =>
        new Deno.Command(Deno.execPath(), {
          args: ["task", "cli", "figures", "top-expressed", "Liver", "--source", "offline", ...args],
          cwd: ROOT,
          env: { NO_COLOR: "1" },
          stdout: "piped",
          stderr: "piped",
        }).output();
      const out = join(dir, "liver.png");
      const r = await cli(["--out", out, "--scale", "1.5"]);
      assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
      const client = rg.createClient({ source: "offline" });
      const fig = rg.plots.topExpressedGenes(await rg.topExpressedGene({ tissueSiteDetailId: "Liver" }, { client }));
      assert.deepEqual(await Deno.readFile(out), await fig.png({ scale: 1.5 }), "the same bytes as fig.png()");
      const bare = await cli(["--format", "png"]);
      assert.equal(bare.code, 2);
      assert.match(new TextDecoder().decode(bare.stderr), /png needs --out FILE\.png/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

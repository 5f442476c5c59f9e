/**
 * Regional association and fine-mapping figures, drawn from the bundled miniature release: every tested
 * variant of a gene (its `cis_pvals` zip member), r² computed here from the release's VCF (a plain
 * pairwise-complete Pearson r² of 0/1/2 dosages: the input, not what is tested), the release's gene table,
 * exons, thresholds (`top_assoc`) and independent eQTLs (`eqtls_indep`). Checked on the SVG itself: points
 * per panel (circles located in each panel's band), fills per LocusZoom bin, the reference diamond, rings,
 * thresholds, every gene of the window on the track with no two names colliding; validation errors name the
 * field and the fix; the same figure twice gives the same bytes.
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import pl from "nodejs-polars";
import { unzipSync } from "fflate";
import { parseHTML } from "linkedom";
import { ValidationError } from "ratgtex";
import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
import * as plots from "ratgtex/plot";

const V4 = `${BUNDLED_RELEASE}/`;
const release = await openRelease(BUNDLED_RELEASE);
const genes = await release.genes();
const exons = pl.readCSV(await Deno.readTextFile(`${V4}exon.v4.tsv`), { sep: "\t" });
const top = await release.topAssociations();
const indep = await release.independentEqtls();

/** Every tested variant of a gene in a tissue: the `cis_pvals/{T}.v4.zip` member, as `variantId`, `pValue`. */
function cisPvals(tissue: string, gene: string): pl.DataFrame {
  const zip = unzipSync(Deno.readFileSync(`${V4}cis_pvals/${tissue}.v4.zip`));
  const member = zip[`${tissue}.v4/${gene}.txt`];
  assert.ok(member, `${tissue}.v4/${gene}.txt in the zip`);
  const rows = new TextDecoder().decode(member).trim().split("\n").slice(1).map((l) => l.split("\t"));
  return pl.DataFrame({ variantId: rows.map((r) => r[0]), pValue: rows.map((r) => Number(r[1])) });
}

function threshold(tissue: string, gene: string): number {
  const row = top.filter(pl.col("geneId").eq(pl.lit(gene)).and(pl.col("tissueSiteDetailId").eq(pl.lit(tissue))));
  return row.getColumn("pValueThreshold").toArray()[0] as number;
}

function independent(tissue: string, gene: string): string[] {
  return indep.filter(pl.col("geneId").eq(pl.lit(gene)).and(pl.col("tissueSiteDetailId").eq(pl.lit(tissue))))
    .getColumn("variantId").toArray() as string[];
}

// Dosages of chr10 from the VCF (bgzip = concatenated gzip members, which gunzip reads whole).
const dosages = new Map<string, (number | null)[]>();
for (
  const line of new TextDecoder().decode(gunzipSync(Deno.readFileSync(`${V4}geno/ratgtex_v4_round11_2.rn8.vcf.gz`)))
    .split("\n")
) {
  if (!line.startsWith("chr10\t")) continue;
  const f = line.split("\t");
  dosages.set(f[2], f.slice(9).map((g) => (g[0] === "." ? null : Number(g[0]) + Number(g[2]))));
}

/** Pairwise-complete r² of two variants' dosages, null when one is monomorphic over the shared rats. */
function r2(a: string, b: string): number | null {
  const x = dosages.get(a)!, y = dosages.get(b)!;
  let n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const [u, v] = [x[i], y[i]];
    if (u === null || v === null) continue;
    n++, sx += u, sy += v, sxx += u * u, syy += v * v, sxy += u * v;
  }
  const c = sxy - (sx * sy) / n, vx = sxx - (sx * sx) / n, vy = syy - (sy * sy) / n;
  return vx > 0 && vy > 0 ? (c * c) / (vx * vy) : null;
}

const REF = "chr10:100826333"; // Cd300lf's lead eQTL in IL (the API page's worked example)
const GENE = "Cd300lf";
const il = cisPvals("IL", GENE);
const windowIds = [...dosages.keys()].filter((id) => {
  const pos = Number(id.split(":")[1]);
  return pos > 99.5e6 && pos < 102.2e6;
});
const ld = pl.DataFrame({ variantId: windowIds, r2: windowIds.map((id) => r2(REF, id)) });
const ldMap = new Map(windowIds.map((id) => [id, r2(REF, id)]));
// A synthetic GWAS over the same variants (labelled synthetic): p = min(1, 3·p_IL^1.4), so its lead is REF.
const gwas = pl.DataFrame({
  variantId: il.getColumn("variantId").toArray(),
  pValue: (il.getColumn("pValue").toArray() as number[]).map((p) => Math.min(1, 3 * p ** 1.4)),
});
const TISSUES = ["IL", "PL", "pVTA", "Brain", "NAcc"];

function onePanel(): plots.RegionalAssociationData {
  return {
    panels: [{
      geneId: GENE,
      tissueSiteDetailId: "IL",
      frame: il,
      threshold: threshold("IL", GENE),
      independent: independent("IL", GENE),
    }],
    ld,
    reference: REF,
    genes,
    exons,
  };
}

function sixPanels(): plots.RegionalAssociationData {
  return {
    gwas,
    panels: [
      ...TISSUES.map((t) => ({
        geneId: GENE,
        tissueSiteDetailId: t,
        frame: cisPvals(t, GENE),
        threshold: threshold(t, GENE),
        independent: independent(t, GENE),
      })),
      // A neighbour gene: its window lacks the reference variant (no diamond), its LD colours still apply.
      {
        geneId: "SynG053",
        tissueSiteDetailId: "IL",
        frame: cisPvals("IL", "SynG053"),
        threshold: threshold("IL", "SynG053"),
        independent: independent("IL", "SynG053"),
      },
    ],
    ld,
    reference: REF,
    genes,
    exons,
  };
}

/**
 * With RATGTEX_FIGURE_DIR set, the figures are written there to be looked at (e.g. with headless chromium:
 * `chromium --headless --screenshot=six.png --window-size=760,1400 six.svg`).
 */
async function save(fig: plots.PlotFigure, name: string): Promise<void> {
  const dir = Deno.env.get("RATGTEX_FIGURE_DIR");
  if (dir) await fig.save(`${dir}/${name}.svg`);
}

// ------------------------------------------------------------------------------------------ SVG helpers

interface El {
  textContent: string | null;
  getAttribute(n: string): string | null;
  querySelectorAll(s: string): ArrayLike<El>;
  parentNode: El | null;
}

function dom(svg: string): El {
  const window = parseHTML(`<!DOCTYPE html><html><body>${svg}</body></html>`) as unknown as { document: El };
  return window.document;
}

/** The figure's data dots (circles of Plot's `dot` marks, not legend swatches), with their fill and centre. */
function dots(svg: string): { fill: string; cx: number; cy: number; r: number }[] {
  const out: { fill: string; cx: number; cy: number; r: number }[] = [];
  for (const g of Array.from(dom(svg).querySelectorAll('g[aria-label="dot"]'))) {
    for (const c of Array.from(g.querySelectorAll("circle"))) {
      out.push({
        fill: c.getAttribute("fill") ?? g.getAttribute("fill") ?? "",
        cx: Number(c.getAttribute("cx")),
        cy: Number(c.getAttribute("cy")),
        r: Number(c.getAttribute("r")),
      });
    }
  }
  return out;
}

/** The diamonds (Plot's `diamond` symbol: a four-point path) of dot marks, with their group's fill. */
function diamonds(svg: string): { fill: string; y: number }[] {
  const out: { fill: string; y: number }[] = [];
  for (const g of Array.from(dom(svg).querySelectorAll('g[aria-label="dot"]'))) {
    for (const p of Array.from(g.querySelectorAll("path"))) {
      if (!/^M0,-[\d.]+L[\d.]+,0L0,[\d.]+L-[\d.]+,0Z$/.test(p.getAttribute("d") ?? "")) continue;
      const y = Number(/translate\([\d.]+,([\d.]+)\)/.exec(p.getAttribute("transform") ?? "")![1]);
      out.push({ fill: p.getAttribute("fill") ?? g.getAttribute("fill") ?? "", y });
    }
  }
  return out;
}

function texts(svg: string): string[] {
  return Array.from(dom(svg).querySelectorAll("text")).map((t) => {
    // A text's own words, without its tooltip <title>.
    const title = Array.from(t.querySelectorAll("title")).map((x) => x.textContent ?? "").join("");
    return (t.textContent ?? "").slice(0, (t.textContent ?? "").length - title.length);
  });
}

/** Dashed threshold lines (the figure's only `5,3` dashes). */
function thresholdLines(svg: string): number {
  return (svg.match(/stroke-dasharray="5,3"/g) ?? []).length;
}

/** What a panel must show, from its frame and the LD: points (but the reference) per LocusZoom fill. */
function expectedFills(frame: pl.DataFrame, ldOf: Map<string, number | null>): Map<string, number> {
  const colorOf = (v: number | null) =>
    v === null
      ? "#b8b8b8"
      : v >= 0.8
      ? "#d43f3a"
      : v >= 0.6
      ? "#eea236"
      : v >= 0.4
      ? "#5cb85c"
      : v >= 0.2
      ? "#46b8da"
      : "#357ebd";
  const out = new Map<string, number>();
  for (const id of frame.getColumn("variantId").toArray() as string[]) {
    if (id === REF) continue;
    const c = colorOf(ldOf.has(id) ? ldOf.get(id)! : null);
    out.set(c, (out.get(c) ?? 0) + 1);
  }
  return out;
}

function count<T>(xs: T[], key: (x: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const x of xs) out.set(key(x), (out.get(key(x)) ?? 0) + 1);
  return out;
}

function refuses(fn: () => unknown, parameter: RegExp, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ValidationError, `a ValidationError, got ${e}`);
    assert.match(e.parameter, parameter);
    assert.match(e.message, message);
    assert.ok(e.hint.length > 0, "it says how to fix it");
    return true;
  });
}

/** Every panel's points are in its band: circles (data dots) by band, checked against the layout. */
function checkPanels(data: plots.RegionalAssociationData, fig: plots.PlotFigure): plots.RegionalAssociationLayout {
  const layout = plots.regionalAssociationLayout(data);
  const all = dots(fig.svg).filter((d) => d.fill !== "none");
  const rings = dots(fig.svg).filter((d) => d.fill === "none");
  const frames = [...(data.gwas ? [data.gwas] : []), ...(data.panels ?? []).map((p) => p.frame)];
  layout.panels.forEach((panel, k) => {
    assert.equal(panel.kind, "association");
    const inBand = all.filter((d) => d.cy >= panel.top - 0.01 && d.cy <= panel.top + panel.height + 0.01);
    const frame = frames[k];
    const hasRef = (frame.getColumn("variantId").toArray() as string[]).includes(REF);
    assert.equal(
      inBand.length,
      frame.height - (hasRef ? 1 : 0),
      `${panel.label}: one circle per variant but the reference`,
    );
    assert.deepEqual(
      [...count(inBand, (d) => d.fill)].sort(),
      [...expectedFills(frame, ldMap)].sort(),
      `${panel.label}: fills by r² bin`,
    );
    const diamond = diamonds(fig.svg).filter((d) => d.y >= panel.top && d.y <= panel.top + panel.height);
    assert.equal(diamond.length, hasRef ? 1 : 0, `${panel.label}: the reference diamond`);
    if (hasRef) assert.equal(diamond[0].fill, plots.REFERENCE_VARIANT_COLOR);
    const ringed = rings.filter((d) => d.cy >= panel.top - 0.01 && d.cy <= panel.top + panel.height + 0.01);
    assert.equal(
      ringed.length,
      (data.panels?.[k - (data.gwas ? 1 : 0)]?.independent ?? []).length,
      `${panel.label}: rings`,
    );
  });
  return layout;
}

/** Every gene overlapping the window is on the track once, and no two extents of a row collide. */
function checkGeneTrack(layout: plots.GeneTrackLayout, svg: string | null, genesFrame: pl.DataFrame): void {
  const { chromosome, start, end } = layout.region;
  const expected = (genesFrame.toRecords() as Record<string, unknown>[])
    .filter((g) =>
      (!("chromosome" in g) || !chromosome || g.chromosome === chromosome) && Number(g.end) >= start &&
      Number(g.start) <= end
    )
    .map((g) => String(g.geneId)).sort();
  assert.deepEqual(layout.genes.map((g) => g.geneId).sort(), expected, "every gene of the window");
  const gapBp = (10 / layout.width) * (end - start);
  for (let row = 0; row < layout.rows; row++) {
    const inRow = layout.genes.filter((g) => g.row === row).sort((a, b) => a.extent[0] - b.extent[0]);
    for (let i = 1; i < inRow.length; i++) {
      assert.ok(
        inRow[i].extent[0] >= inRow[i - 1].extent[1] + gapBp - 1e-6,
        `row ${row}: ${inRow[i - 1].geneId} and ${inRow[i].geneId} keep apart`,
      );
    }
  }
  // Each extent holds its gene (clipped) and its name.
  for (const g of layout.genes) {
    assert.ok(g.extent[0] <= Math.max(g.start, start) + 1e-6 && g.extent[1] >= Math.min(g.end, end) - 1e-6, g.geneId);
    const widthBp = (g.labelWidth / layout.width) * (end - start);
    assert.ok(g.extent[1] - g.extent[0] >= widthBp - 1e-6, `${g.geneId}: the name fits its extent`);
  }
  if (svg !== null) {
    const t = texts(svg);
    for (const g of layout.genes) assert.equal(t.filter((x) => x === g.label).length, 1, `label ${g.label} once`);
  }
}

// ------------------------------------------------------------------------------------------ tests

Deno.test("regionalAssociation, 1 panel: every tested variant, fills by r² bin, diamond, ring, threshold, genes", async () => {
  const data = onePanel();
  const fig = plots.regionalAssociation(data);
  await save(fig, "one");
  const svg = fig.svg;
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  const layout = checkPanels(data, fig);
  // Every variant of IL's genotypes within ±1 Mb of Cd300lf's TSS (100,875,111), as tensorQTL tests them.
  const numVar = top.filter(pl.col("geneId").eq(pl.lit(GENE)).and(pl.col("tissueSiteDetailId").eq(pl.lit("IL"))))
    .getColumn("numVar").toArray()[0] as number;
  assert.ok(il.height >= numVar && numVar > 24, "Cd300lf's cis window in IL: its own and its neighbours' variants");
  assert.ok(
    (il.getColumn("variantId").toArray() as string[]).every((id) =>
      Math.abs(Number(id.split(":")[1]) - 100_875_111) <= 1_000_000
    ),
  );
  assert.equal(thresholdLines(svg), 1, "the gene's threshold");
  const shown = `p = ${threshold("IL", GENE).toExponential(2)}`;
  assert.ok(texts(svg).includes(shown), `its value: top_assoc's ${threshold("IL", GENE)} (${shown})`);
  const t = texts(svg);
  for (const s of ["Cd300lf in IL (expression)", "−log10(p)", "Position on chr10 (Mb)", "LD (r²)", "Genes (3)"]) {
    assert.ok(t.includes(s), `text ${s}`);
  }
  for (const bin of plots.LD_BINS) assert.ok(t.includes(bin.label), `legend ${bin.label}`);
  // The window holds Cd300lf and its two neighbours of chr10 in the gene table; exons from exon.v4.tsv.
  assert.deepEqual(layout.genes!.layout.genes.map((g) => g.geneId).sort(), ["Cd300lf", "SynG037", "SynG053"]);
  checkGeneTrack(layout.genes!.layout, svg, genes);
  const exonCount =
    (exons.toRecords() as Record<string, unknown>[]).filter((e) =>
      ["Cd300lf", "SynG037", "SynG053"].includes(String(e.geneId))
    ).length;
  const rects = Array.from(dom(svg).querySelectorAll('g[aria-label="rect"] rect'))
    .filter((r) => r.parentNode?.getAttribute("fill") === "#363696");
  assert.equal(rects.length, exonCount, "a box per exon");
  // The reference is Cd300lf's independent eQTL in IL: the ring goes around the diamond.
  assert.equal(independent("IL", GENE)[0], REF);
  assert.ok(dots(svg).some((d) => d.fill === "none" && d.r === 12.5));
  // Tooltips: on by default at this size, off on request (they double a large figure).
  assert.ok(svg.includes("<title>chr10:100826333: p = 8.43e-8, r² = 1 (reference), independent xQTL</title>"));
  const bare = plots.regionalAssociation(data, { tooltips: false }).svg;
  const rings = independent("IL", GENE).length; // a ring (with its title) around each independent eQTL
  assert.equal((bare.match(/<title>/g) ?? []).length, (svg.match(/<title>/g) ?? []).length - il.height - rings);
  refuses(() => plots.regionalAssociation(data, { tooltips: "no" as never }), /options\.tooltips/, /true or false/);
});

Deno.test("regionalAssociation, 6 panels: GWAS + 6 gene × tissue panels, points and fills per panel, thresholds", async () => {
  const data = sixPanels();
  const fig = plots.regionalAssociation(data);
  await save(fig, "six");
  const layout = checkPanels(data, fig);
  assert.equal(layout.panels.length, 7);
  assert.equal(thresholdLines(fig.svg), 7, "genome-wide for the GWAS, the gene's for each gene × tissue");
  assert.ok(texts(fig.svg).includes("SynG053 in IL (expression)"));
  const t = texts(fig.svg);
  assert.ok(t.includes("p = 5e-8"));
  for (const tissue of TISSUES) assert.ok(t.includes(`Cd300lf in ${tissue} (expression)`), tissue);
  assert.ok(t.includes("GWAS"));
  // Panels stack without overlapping, top to bottom, and the gene track comes under them.
  for (let k = 1; k < 7; k++) {
    assert.ok(layout.panels[k].top >= layout.panels[k - 1].top + layout.panels[k - 1].height + 10);
  }
  assert.ok(layout.genes!.top > layout.panels[6].top + layout.panels[6].height);
  assert.equal(layout.panels[0].height, 100, "5 panels or more: 100 px each");
  // The real LD of this window reaches 3 of the 5 bins; every bin is checked on a synthetic LD below.
  checkGeneTrack(layout.genes!.layout, fig.svg, genes);
});

Deno.test("regionalAssociation: every LocusZoom bin and unknown r² counted on the SVG", () => {
  const ids = il.getColumn("variantId").toArray() as string[];
  // r² cycling through each bin's edges and middle, and unknown (null, absent).
  const values = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.95, 1, null];
  const synthetic = new Map<string, number | null>();
  ids.forEach((id, i) => {
    if (id !== REF && i % 13 !== 12) synthetic.set(id, values[i % values.length]);
  });
  const fig = plots.regionalAssociation({ ...onePanel(), ld: synthetic });
  const got = count(dots(fig.svg).filter((d) => d.fill !== "none"), (d) => d.fill);
  assert.deepEqual([...got].sort(), [...expectedFills(il, synthetic)].sort());
  assert.equal(got.size, 6, "five bins and grey");
  // A bin holds its lower edge: r² = 0.2 is light blue, 0.8 red.
  assert.equal(plots.ldColor(0.2), "#46b8da");
  assert.equal(plots.ldColor(0.8), "#d43f3a");
  // Tissue-specific LD for one panel overrides the figure's.
  const own = plots.regionalAssociationLayout({
    ...onePanel(),
    panels: [{ ...onePanel().panels![0], ld: new Map(ids.map((id) => [id, 0.9])) }],
  });
  const points = (own.panels[0] as plots.AssociationPanelLayout).points;
  assert.ok(points.every((p) => p.bin === 4));
});

Deno.test("regionalAssociation: a PIP panel under the association panels, one colour per credible set", () => {
  const ids = il.getColumn("variantId").toArray() as string[];
  const pip = pl.DataFrame({
    variantId: ids,
    pip: ids.map((id, i) => (id === REF ? 0.92 : i === 3 ? 0.4 : i === 4 ? 0.35 : 0.002)),
    credibleSet: ids.map((id, i) => (id === REF ? 1 : i === 3 || i === 4 ? 2 : null)),
  });
  const data = { ...onePanel(), pip: { label: "Cd300lf in IL: SuSiE", frame: pip } };
  const fig = plots.regionalAssociation(data);
  const layout = plots.regionalAssociationLayout(data);
  assert.equal(layout.panels.length, 2);
  const band = layout.panels[1] as plots.PipPanelLayout;
  assert.equal(band.kind, "pip");
  assert.deepEqual(band.sets.map((s) => s.label), ["CS 1", "CS 2"]);
  const inPip = dots(fig.svg).filter((d) => d.cy >= band.top && d.cy <= band.top + band.height);
  const fills = count(inPip, (d) => d.fill);
  assert.equal(fills.get(plots.CREDIBLE_SET_COLORS[0]), 1);
  assert.equal(fills.get(plots.CREDIBLE_SET_COLORS[1]), 2);
  assert.equal(fills.get(plots.NO_SET_COLOR), ids.length - 3);
  assert.equal(band.y(1), band.top + band.height * (1 - 1 / 1.08), "PIP 1 just under the panel's top");
  const t = texts(fig.svg);
  for (const s of ["Cd300lf in IL: SuSiE", "PIP", "Credible set", "CS 1", "CS 2"]) assert.ok(t.includes(s), s);
  // On its own, with the gene track.
  const alone = plots.pipTrack(pip, { genes, exons, reference: REF });
  assert.equal(dots(alone.svg).filter((d) => d.fill === plots.CREDIBLE_SET_COLORS[1]).length, 2);
  assert.ok(texts(alone.svg).includes("Genes (3)"));
  assert.equal(diamonds(alone.svg).length, 1, "the reference outlined");
});

Deno.test("regionalAssociation: p = 0, missing p-values, variants outside the region and absent rings are said", () => {
  const frame = pl.DataFrame({
    variantId: ["chr10:100826333", "chr10:100877813", "chr10:100910131", "chr10:100955984", "chr10:99000000"],
    pValue: [0, 1e-3, null, 0.5, 0.2],
  });
  const data: plots.RegionalAssociationData = {
    panels: [{
      label: "Cd300lf in IL (synthetic)",
      frame,
      threshold: 1e-4,
      independent: ["chr10:100877813", "chr10:1"],
    }],
    ld: ldMap,
    reference: REF,
    genes,
    region: { chromosome: "chr10", start: 99.9e6, end: 101.5e6 },
  };
  const fig = plots.regionalAssociation(data);
  const layout = plots.regionalAssociationLayout(data);
  const panel = layout.panels[0] as plots.AssociationPanelLayout;
  assert.equal(panel.points.length, 3, "p = 0, 1e-3 and 0.5 inside the region");
  const capped = panel.points.find((p) => p.capped)!;
  assert.equal(capped.variantId, REF);
  assert.equal(capped.logP, panel.domain[1], "p = 0 at the panel's top");
  assert.match(panel.detail, /1 with p = 0 drawn at the top/);
  const notes = layout.notes.join("\n");
  assert.match(notes, /1 variant without a p-value not drawn/);
  assert.match(notes, /1 variant outside the window not drawn/);
  assert.match(notes, /not among the panel's variants \(not ringed\): chr10:1/);
  for (const note of layout.notes) assert.ok(texts(fig.svg).some((t) => t.startsWith(note.slice(0, 30))), note);
  // Without LD every point is grey, and the figure says so.
  const grey = plots.regionalAssociationLayout({ ...data, ld: undefined });
  assert.ok((grey.panels[0] as plots.AssociationPanelLayout).points.every((p) => p.reference || p.bin === -1));
  assert.match(grey.notes.join(" "), /No LD was given/);
});

Deno.test("geneTrackLayout: 1 to 40 genes in collision-free rows, as few as interval packing allows", () => {
  let seed = 20240601;
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  console.log(`gene track cases from seed 20240601`);
  for (const n of [1, 2, 5, 10, 20, 40]) {
    for (let rep = 0; rep < 5; rep++) {
      const starts = Array.from({ length: n }, () => 100e6 + rnd() * 1.9e6);
      const frame = pl.DataFrame({
        geneId: starts.map((_, i) => `Gene${String(i).padStart(2, "0")}${"x".repeat(Math.floor(rnd() * 6))}`),
        chromosome: starts.map(() => "chr10"),
        start: starts.map(Math.round),
        end: starts.map((s) => Math.round(s + 2000 + rnd() * 120_000)),
        strand: starts.map(() => (rnd() < 0.5 ? "+" : "-")),
      });
      const layout = plots.geneTrackLayout(frame, {
        region: { chromosome: "chr10", start: 100e6, end: 102e6 },
        width: 680,
      });
      checkGeneTrack(layout, null, frame);
      // First fit in order of extent start uses the fewest rows: the largest number of extents (each widened
      // by the gap) that overlap at one point.
      const gapBp = (10 / 680) * 2e6;
      const events = layout.genes.flatMap((g) => [[g.extent[0], 1], [g.extent[1] + gapBp, -1]] as [number, number][])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let depth = 0, most = 0;
      for (const [, d] of events) most = Math.max(most, depth += d);
      assert.equal(layout.rows, most, `${n} genes: ${layout.rows} rows`);
    }
  }
  // Drawn: 40 genes, each name once.
  const frame = pl.DataFrame({
    geneId: Array.from({ length: 40 }, (_, i) => `Syn${i}`),
    start: Array.from({ length: 40 }, (_, i) => 100e6 + i * 45_000),
    end: Array.from({ length: 40 }, (_, i) => 100e6 + i * 45_000 + 30_000),
    strand: Array.from({ length: 40 }, (_, i) => (i % 2 ? "+" : "-")),
  });
  const layout = plots.geneTrackLayout(frame, { region: { start: 99.95e6, end: 101.85e6 }, width: 680 });
  const fig = plots.renderFigure({
    width: 720,
    height: 20 + layout.rows * 18,
    marginLeft: 20,
    marginRight: 20,
    x: { domain: [99.95, 101.85] },
    y: { type: "identity", axis: null },
    marks: plots.geneTrackMarks(layout, { y: 10, rowStep: 18 }),
  });
  checkGeneTrack(layout, fig.svg, frame);
  // Names beside genes 15 px apart need about 5 rows; the last ones, whose names go left of them, 2 more.
  assert.ok(layout.rows <= 8, `40 genes of a 2 Mb window in ${layout.rows} rows`);
});

Deno.test("geneTrackLayout: clipped genes, a gene wider than the window, another chromosome, names near the edges", () => {
  const frame = pl.DataFrame({
    geneId: ["Left", "Huge", "Right", "Other", "Far"],
    chromosome: ["chr10", "chr10", "chr10", "chr5", "chr10"],
    start: [99_990_000, 99_000_000, 100_990_000, 100_500_000, 105_000_000],
    end: [100_020_000, 102_000_000, 101_020_000, 100_600_000, 105_100_000],
    strand: ["+", "-", "+", "+", "-"],
  });
  const layout = plots.geneTrackLayout(frame, {
    region: { chromosome: "chr10", start: 100e6, end: 101e6 },
    width: 500,
  });
  assert.deepEqual(layout.genes.map((g) => g.geneId).sort(), ["Huge", "Left", "Right"]);
  const side = Object.fromEntries(layout.genes.map((g) => [g.geneId, g.labelSide]));
  assert.deepEqual(side, { Left: "right", Huge: "inside", Right: "left" });
  for (const g of layout.genes) assert.ok(g.extent[0] >= 100e6 - 1e-6 && g.extent[1] <= 101e6 + 1e-6, g.geneId);
  checkGeneTrack(layout, null, frame);
  // Without a region: the genes' span; genes of two chromosomes need one.
  refuses(() => plots.geneTrackLayout(frame), /options\.region/, /2 chromosomes/);
  refuses(() => plots.geneTrackLayout(frame.head(0)), /options\.region/, /empty/);
  refuses(() => plots.geneTrackLayout(frame, { widht: 3 } as never), /options/, /did you mean width/);
  refuses(
    () => plots.geneTrackLayout(frame.withColumn(pl.lit(1).alias("end"))),
    /genes\[0\]/,
    /end ≥ start/,
  );
});

Deno.test("regionalAssociation: validation errors name the field and the fix", () => {
  const data = onePanel();
  refuses(
    () => plots.regionalAssociation({ ...data, pannels: [] } as never),
    /^data$/,
    /unknown key "pannels" \(did you mean panels\?\)/,
  );
  refuses(
    () => plots.regionalAssociation(data, { gwasTreshold: 1e-8 } as never),
    /^options$/,
    /did you mean gwasThreshold/,
  );
  refuses(() => plots.regionalAssociation(data, { height: 300 }), /options\.height/, /follows its panels/);
  refuses(() => plots.regionalAssociation({ ...data, genes: undefined }), /data\.genes/, /gene table/);
  refuses(
    () =>
      plots.regionalAssociation({
        ...data,
        panels: [{ label: "x", frame: il.rename({ variantId: "variant_id", pValue: "pval_nominal" }) }],
      }),
    /data\.panels\[0\]\.frame\.columns/,
    /no column "variantId", "pValue"/,
  );
  assert.throws(
    () =>
      plots.regionalAssociation({ ...data, panels: [{ label: "x", frame: il.rename({ variantId: "variant_id" }) }] }),
    (e: ValidationError) => /frame\.rename\(\{ variant_id: "variantId" \}\)/.test(e.hint),
  );
  refuses(
    () => plots.regionalAssociation({ ...data, reference: "chr10:100826334" }),
    /data\.reference/,
    /none of the frames \(near: chr10:100826333/,
  );
  refuses(() => plots.regionalAssociation({ ...data, reference: undefined }), /data\.reference/, /required/);
  refuses(
    () => plots.regionalAssociation({ ...data, panels: [{ frame: il }] }),
    /data\.panels\[0\]\.label/,
    /needs a title/,
  );
  refuses(
    () => plots.regionalAssociation({ ...data, panels: [{ label: "x", frame: il, treshold: 1e-4 } as never] }),
    /data\.panels\[0\]/,
    /did you mean threshold/,
  );
  refuses(
    () => plots.regionalAssociation({ ...data, panels: [{ label: "x", frame: il, threshold: 0 }] }),
    /data\.panels\[0\]\.threshold/,
    /\(0, 1\]/,
  );
  refuses(
    () =>
      plots.regionalAssociation({
        ...data,
        panels: [{ label: "x", frame: il.withColumn(pl.lit(7.3).alias("pValue")) }],
      }),
    /data\.panels\[0\]\.frame\[0\]\.pValue/,
    /outside \[0, 1\]/,
  );
  refuses(() => plots.regionalAssociation({ ...data, ld: new Map([[REF, 1.5]]) }), /data\.ld/, /outside \[0, 1\]/);
  refuses(
    () => plots.regionalAssociation({ ...data, gwas: pl.DataFrame({ variantId: ["chr5:100"], pValue: [0.1] }) }),
    /data\.(gwas|panels\[0\])/,
    /several chromosomes/,
  );
  refuses(
    () => plots.regionalAssociation({ ...data, region: { chromosome: "chr5", start: 1, end: 2 } }),
    /data\.panels\[0\]\.chromosome/,
    /region is on chr5/,
  );
  refuses(() => plots.regionalAssociation({ ...data, panels: [] }), /data\.panels/, /nothing to draw/);
  refuses(() => plots.regionalAssociation(data, { gwasThreshold: 5 }), /options\.gwasThreshold/, /\(0, 1\]/);
  refuses(
    () => plots.pipTrack(pl.DataFrame({ variantId: [REF], pip: [1.5], credibleSet: [1] })),
    /frame\[0\]\.pip/,
    /probability/,
  );
  refuses(() => plots.pipTrack(pl.DataFrame({ variantId: [REF], pip: [0.5] })), /frame\.columns/, /credibleSet/);
});

Deno.test("regional figures are deterministic: the same bytes twice, whatever was drawn in between", () => {
  const a = plots.regionalAssociation(sixPanels()).svg;
  plots.regionalAssociation(onePanel());
  plots.colocResults(colocFrame());
  const b = plots.regionalAssociation(sixPanels()).svg;
  assert.equal(a, b);
  // Row order of the inputs does not change the drawing order of the points (sorted by r², then position).
  const shuffled = { ...onePanel(), panels: [{ ...onePanel().panels![0], frame: il.sort("pValue") }] };
  assert.equal(plots.regionalAssociation(shuffled).svg, plots.regionalAssociation(onePanel()).svg);
});

function colocFrame(): pl.DataFrame {
  return pl.DataFrame({
    geneId: ["Cd300lf", "Cd300lf", "SynG053", "SynG037", "SynG053"],
    tissueSiteDetailId: ["IL", "PL", "IL", "IL", "Brain"],
    nsnps: [24, 24, 24, 24, 0],
    ppH0: [1e-4, 0.02, 0.3, 0.05, null],
    ppH1: [0.01, 0.3, 0.3, 0.6, null],
    ppH2: [0.002, 0.01, 0.3, 0.05, null],
    ppH3: [0.05, 0.07, 0.05, 0.28, null],
    ppH4: [0.9379, 0.6, 0.05, 0.02, null],
    reason: [null, null, null, null, "no variant in both datasets"],
  });
}

Deno.test("colocResults: stacked PP.H0–H4 per row summing to the axis, sorted by PP.H4 or by name, H4 ≥ 0.8 highlighted", () => {
  const frame = colocFrame();
  const fig = plots.colocResults(frame);
  const order = (fig.options.y as { domain: string[] }).domain;
  assert.deepEqual(order, ["Cd300lf · IL", "Cd300lf · PL", "SynG053 · IL", "SynG037 · IL", "SynG053 · Brain"]);
  const byName = (plots.colocResults(frame, { sort: "name" }).options.y as { domain: string[] }).domain;
  assert.deepEqual(byName, ["Cd300lf · IL", "Cd300lf · PL", "SynG037 · IL", "SynG053 · Brain", "SynG053 · IL"]);
  // Five segments per computed row, in the hypotheses' colours, their widths the PPs.
  const bars = Array.from(dom(fig.svg).querySelectorAll('g[aria-label="bar"]'));
  const segments = Array.from(bars[0].querySelectorAll("rect"));
  assert.equal(segments.length, 4 * 5);
  const widths = segments.map((r) => Number(r.getAttribute("width")));
  const axis = widths.slice(0, 5).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(axis - (fig.width - 170 - (fig.options.marginLeft as number))) < 0.1, "PPs fill the axis");
  assert.ok(Math.abs(widths[0] / axis - 0.9379) < 1e-3, "PP.H4 first");
  for (const h of plots.COLOC_HYPOTHESES) assert.ok(fig.svg.includes(`fill="${h.color}"`), h.label);
  assert.equal(Array.from(bars[1].querySelectorAll("rect")).length, 1, "one outlined row (PP.H4 ≥ 0.8)");
  assert.equal(Array.from(plots.colocResults(frame, { highlight: 0.5 }).svg.matchAll(/stroke-width="1.5"/g)).length, 1);
  const t = texts(fig.svg);
  assert.ok(t.includes("PP.H4 = 0.938 · 24 SNPs"));
  assert.ok(t.includes("not computed: no variant in both datasets"));
  assert.ok(t.some((x) => x.startsWith("1 of 5 rows with PP.H4 ≥ 0.8")));
  refuses(() => plots.colocResults(frame, { sort: "pp" as never }), /options\.sort/, /"ppH4" or "name"/);
  refuses(() => plots.colocResults(frame, { sortBy: "name" } as never), /^options$/, /unknown key "sortBy"/);
  refuses(() => plots.colocResults(frame.withColumn(pl.lit(0.5).alias("ppH4"))), /frame\[0\]/, /summing to 1/);
  refuses(() => plots.colocResults(frame.drop("ppH3")), /frame\.columns/, /"ppH3"/);
  refuses(() => plots.colocResults(pl.concat([frame, frame.head(1)])), /frame\[5\]/, /appears twice/);
  // Modalities make rows of their own.
  const xqtl = frame.head(2).withColumns(pl.Series("modality", ["expression", "splicing"])).withColumn(
    pl.lit("Cd300lf").alias("geneId"),
  ).withColumn(pl.lit("IL").alias("tissueSiteDetailId"));
  assert.deepEqual((plots.colocResults(xqtl).options.y as { domain: string[] }).domain, [
    "Cd300lf · IL · expression",
    "Cd300lf · IL · splicing",
  ]);
});

Deno.test("credibleSetsAcrossTissues: a row per tissue in portal order, dots sized by PIP, coloured by set", () => {
  const rows: Record<string, unknown>[] = [];
  const ids = il.getColumn("variantId").toArray() as string[];
  for (const t of ["Liver", "IL", "Brain"]) {
    ids.forEach((id, i) => {
      const inSet = (id === REF && t !== "Liver") || (t === "Brain" && (i === 2 || i === 3));
      rows.push({
        geneId: GENE,
        tissueSiteDetailId: t,
        variantId: id,
        pip: inSet ? (id === REF ? 0.9 : 0.45) : 0.004,
        credibleSet: inSet ? (id === REF ? 1 : 2) : null,
      });
    });
  }
  // (the first rows, Liver's, have no set: infer the column types from every row)
  const frame = pl.readRecords(rows, { inferSchemaLength: rows.length });
  const fig = plots.credibleSetsAcrossTissues(frame);
  assert.deepEqual((fig.options.y as { domain: string[] }).domain, ["Brain", "IL", "Liver"], "portal order");
  const d = dots(fig.svg);
  assert.equal(d.filter((x) => x.fill === plots.CREDIBLE_SET_COLORS[0]).length, 2, "CS 1 in IL and Brain");
  assert.equal(d.filter((x) => x.fill === plots.CREDIBLE_SET_COLORS[1]).length, 2, "CS 2 in Brain");
  assert.equal(d.filter((x) => x.fill === plots.NO_SET_COLOR).length, 3 * ids.length - 4);
  const big = d.find((x) => x.fill === plots.CREDIBLE_SET_COLORS[0])!.r;
  const small = d.find((x) => x.fill === plots.CREDIBLE_SET_COLORS[1])!.r;
  assert.ok(Math.abs(big / small - Math.sqrt(0.9 / 0.45)) < 1e-2, "area ∝ PIP");
  const t = texts(fig.svg);
  assert.ok(t.includes("2 sets") && t.includes("1 set") && t.includes("no set"));
  assert.equal((fig.svg.match(/stroke-dasharray="3,3"/g) ?? []).length, 1, "one shared-variant line group");
  refuses(
    () => plots.credibleSetsAcrossTissues(frame.withColumn(pl.lit("Eno1").alias("geneId")).vstack(frame)),
    /options\.geneId/,
    /2 genes/,
  );
  refuses(
    () => plots.credibleSetsAcrossTissues(frame, { tissues: ["Eye"] }),
    /options\.tissues/,
    /Eye not in the frame/,
  );
});

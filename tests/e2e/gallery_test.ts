/**
 * The gallery: every figure written whole from the offline universe, the same bytes each run, nothing of
 * the user's deleted; and, where Debian's chromium is installed (and --allow-run granted), the pictures
 * really render in a browser through `<img>` (as JupyterLab shows SVG). Without chromium the browser test is
 * skipped, never failed.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/cli/tools/gallery.ts`.
 */
import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { galleryFigures, writeGallery } from "../../lib/cli/tools/gallery.ts";

const figures = await galleryFigures();
const CHROMIUM = "/usr/bin/chromium";
const haveChromium = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile &&
      Deno.permissions.querySync({ name: "run", command: CHROMIUM }).state === "granted";
  } catch {
    return false;
  }
})();

Deno.test("the browser expectations name gallery figures (none silently skipped)", () => {
  for (const name of Object.keys(EXPECT)) assert.ok(figures.some((f) => f.name === name), name);
});

Deno.test("writeGallery: one SVG per figure and an index, each written whole, same bytes twice; nothing else touched", async () => {
  const root = await Deno.makeTempDir({ prefix: "ratgtex-gallery-" });
  try {
    const out = `${root}/gallery`;
    const files = await writeGallery(out, figures);
    assert.equal(files.length, figures.length + 1);
    const listed = [...Deno.readDirSync(out)].map((e) => e.name).sort();
    assert.deepEqual(listed, [...files].sort());
    const index = await Deno.readTextFile(`${out}/index.html`);
    for (const f of figures) {
      const svg = await Deno.readTextFile(`${out}/${f.name}.svg`);
      assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), `${f.name}.svg is standalone`);
      assert.ok(index.includes(`<img src="${f.name}.svg"`), `index shows ${f.name}`);
    }
    const before = Object.fromEntries(files.map((f) => [f, Deno.readTextFileSync(`${out}/${f}`)]));
    // A file of the user's in the folder, and folders of the user's beside it named as the old swap named its own.
    await Deno.writeTextFile(`${out}/notes.txt`, "mine");
    for (const sibling of [`${out}.tmp`, `${out}.old`]) {
      await Deno.mkdir(sibling);
      await Deno.writeTextFile(`${sibling}/keep.txt`, "mine");
    }
    await writeGallery(out, await galleryFigures());
    const after = Object.fromEntries(files.map((f) => [f, Deno.readTextFileSync(`${out}/${f}`)]));
    assert.deepEqual(after, before, "a fresh run writes the same bytes");
    assert.equal(await Deno.readTextFile(`${out}/notes.txt`), "mine", "the user's file in the folder is kept");
    for (const sibling of [`${out}.tmp`, `${out}.old`]) {
      assert.equal(await Deno.readTextFile(`${sibling}/keep.txt`), "mine", `${sibling} is kept`);
    }
    assert.deepEqual(
      [...Deno.readDirSync(out)].map((e) => e.name).sort(),
      [...files, "notes.txt"].sort(),
      "no temporary file left",
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/** Decode an 8-bit RGB/RGBA non-interlaced PNG (what chromium writes) into RGBA pixels. */
function decodePng(bytes: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.deepEqual([...bytes.slice(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], "PNG signature");
  let pos = 8;
  let width = 0, height = 0, colorType = 0;
  const idat: Uint8Array[] = [];
  while (pos < bytes.length) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.slice(pos + 4, pos + 8));
    const data = bytes.slice(pos + 8, pos + 8 + length);
    if (type === "IHDR") {
      const d = new DataView(data.buffer);
      width = d.getUint32(0);
      height = d.getUint32(4);
      assert.equal(data[8], 8, "bit depth 8");
      colorType = data[9];
      assert.equal(data[12], 0, "not interlaced");
    } else if (type === "IDAT") idat.push(data);
    pos += 12 + length;
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  assert.ok(channels > 0, `colour type ${colorType}`);
  const raw = inflateSync(new Uint8Array(idat.reduce((a, b) => [...a, ...b], [] as number[])));
  const stride = width * channels;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels] : 0;
      let p = 0;
      if (filter === 1) p = a;
      else if (filter === 2) p = b;
      else if (filter === 3) p = (a + b) >> 1;
      else if (filter === 4) {
        const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
        p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = (v + p) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba.set(out.slice(i * channels, i * channels + 3), i * 4);
    rgba[i * 4 + 3] = channels === 4 ? out[i * channels + 3] : 255;
  }
  return { width, height, rgba };
}

/** Pixels of a clearly saturated colour (drawn data marks; text and grid lines are grey). */
function saturatedPixels(png: { rgba: Uint8Array }): number {
  let n = 0;
  for (let i = 0; i < png.rgba.length; i += 4) {
    const [r, g, b] = png.rgba.slice(i, i + 3);
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
  }
  return n;
}

/** Pixels within `tolerance` of a colour per channel (`#rrggbb`). */
function pixelsNear(png: { rgba: Uint8Array }, hex: string, tolerance = 12): number {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < png.rgba.length; i += 4) {
    if (want.every((c, k) => Math.abs(png.rgba[i + k] - c) <= tolerance)) n++;
  }
  return n;
}

/** Pixels where one channel clearly dominates the other (e.g. red over blue). */
function dominated(png: { rgba: Uint8Array }, hi: number, lo: number): number {
  let n = 0;
  for (let i = 0; i < png.rgba.length; i += 4) if (png.rgba[i + hi] - png.rgba[i + lo] > 80) n++;
  return n;
}

/** What a browser must show of the new and changed figures, beyond "coloured marks". */
const EXPECT: Record<string, (png: { rgba: Uint8Array }) => string | null> = {
  // The forest plot's IL row (filled dot and interval) in IL's official colour.
  effect_forest: (png) => pixelsNear(png, "#377eb8") > 60 ? null : "no IL-coloured interval",
  // z-score colours: both ends of the diverging scheme (reds above a gene's mean, blues below).
  dendro_heatmap_recluster: (png) =>
    dominated(png, 0, 2) > 300 && dominated(png, 2, 0) > 300 ? null : "not both ends of the diverging scheme",
  // Rings in the tissue's colour: IL's ring and dot.
  locus: (png) => pixelsNear(png, "#377eb8") > 20 ? null : "no IL-coloured marks",
  // No significant variant: the gene model (dark exons) is drawn, nothing coloured.
  locus_no_eqtl: (png) => pixelsNear(png, "#333333", 20) > 100 ? null : "no gene model",
};

async function screenshot(page: string, png: string, width: number, height: number): Promise<void> {
  const profile = await Deno.makeTempDir({ prefix: "ratgtex-chromium-" });
  try {
    const { success, stderr } = await new Deno.Command(CHROMIUM, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        `--user-data-dir=${profile}`,
        `--screenshot=${png}`,
        `--window-size=${width},${height}`,
        `file://${page}`,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.ok(success, `chromium failed: ${new TextDecoder().decode(stderr).slice(-500)}`);
  } finally {
    await Deno.remove(profile, { recursive: true });
  }
}

Deno.test({
  name: "chromium renders every gallery SVG through <img>; without xmlns it would not",
  ignore: !haveChromium,
  sanitizeResources: false,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "ratgtex-shot-" });
    try {
      const out = `${root}/gallery`;
      await writeGallery(out, figures);
      for (const f of figures) {
        const page = `${out}/${f.name}.probe.html`;
        await Deno.writeTextFile(
          page,
          `<!DOCTYPE html><body style="margin:0;background:#fff"><img src="${f.name}.svg"></body>`,
        );
        await screenshot(page, `${root}/${f.name}.png`, Math.ceil(f.figure.width), Math.ceil(f.figure.height));
        const png = decodePng(await Deno.readFile(`${root}/${f.name}.png`));
        assert.equal(png.width, Math.ceil(f.figure.width));
        // Every figure but the empty locus has coloured marks (tissue colours, colour scales): hundreds of
        // saturated pixels at least.
        if (f.name !== "locus_no_eqtl") {
          assert.ok(saturatedPixels(png) > 300, `${f.name}: ${saturatedPixels(png)} coloured pixels`);
        }
        const problem = EXPECT[f.name]?.(png) ?? null;
        assert.equal(problem, null, `${f.name}: ${problem}`);
      }
      // The control: the same SVG without its namespace shows nothing in an <img>.
      const broken = figures[0].figure.svg!.replace(' xmlns="http://www.w3.org/2000/svg"', "");
      await Deno.writeTextFile(`${out}/broken.svg`, broken);
      await Deno.writeTextFile(
        `${out}/broken.html`,
        '<!DOCTYPE html><body style="margin:0;background:#fff"><img src="broken.svg"></body>',
      );
      await screenshot(`${out}/broken.html`, `${root}/broken.png`, 600, 600);
      assert.ok(saturatedPixels(decodePng(await Deno.readFile(`${root}/broken.png`))) < 50);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

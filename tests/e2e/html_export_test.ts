/**
 * The README's headless runner, as written (`deno task cli notebook run NB --out … --html …`, the cli task's
 * own permissions), writes an HTML report in which every figure is visible. Each notebook is run on the
 * offline source; the report is opened in Debian's Chromium, and every figure in it (an `<img>` of an SVG,
 * or an inline `<svg>` in a result's HTML) is drawn on a canvas: each must have a size and ink (at least
 * 0.5 % non-white pixels), and there must be as many as the executed notebook has figure outputs. With
 * Debian's nbconvert 6.5.3 an inline SVG output is emptied by its HTML sanitiser (`clean_html`), which this
 * test would see as missing or blank figures. Skipped, saying why, without nbconvert or Chromium.
 * Screenshots of the reports go to `RATGTEX_E2E_SCREENSHOTS` (default `/tmp/ratgtex-e2e-screens`)/html/.
 */
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { chromiumMissing, launchChromium, nbconvertMissing, type Notebook, ROOT, sayWhySkipped } from "./_tools.ts";

const NAME = "notebook run --html (the README's command): every figure of every notebook visible in Chromium";
const skip = sayWhySkipped(NAME, [nbconvertMissing(), chromiumMissing()]);
const SHOTS = join(Deno.env.get("RATGTEX_E2E_SCREENSHOTS") ?? "/tmp/ratgtex-e2e-screens", "html");
const MIN_INK = 0.005;

/** Figure outputs of an executed notebook: SVG documents, and inline SVGs inside HTML results. */
function figureCount(nb: Notebook): number {
  let n = 0;
  for (const cell of nb.cells) {
    for (const out of cell.outputs ?? []) {
      const data = out.data ?? {};
      const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));
      if (data["image/svg+xml"] !== undefined) n++;
      else if (data["text/html"] !== undefined) {
        // Top-level <svg> elements of a result's HTML (nested ones are part of their figure).
        n += (text(data["text/html"]).match(/<svg xmlns=/g) ?? []).length;
      }
    }
  }
  return n;
}

/**
 * In the page: every figure (an <img> of an SVG, or an <svg> not inside another), drawn on a canvas at its
 * size; its size and its share of non-white pixels.
 */
const FIGURES_IN_PAGE = `(async () => {
  const figures = [...document.querySelectorAll('img[src^="data:image/svg+xml"], svg')]
    .filter((e) => e.tagName.toLowerCase() !== "svg" || !e.parentElement.closest("svg"));
  const out = [];
  for (const e of figures) {
    const r = e.getBoundingClientRect();
    const src = e.tagName.toLowerCase() === "img" ? e.src
      : "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(e));
    const img = new Image();
    await new Promise((resolve) => { img.onload = resolve; img.onerror = resolve; img.src = src; });
    const w = Math.round(r.width), h = Math.round(r.height);
    let ink = 0;
    if (w > 0 && h > 0 && img.naturalWidth > 0) {
      const c = document.createElement("canvas");
      c.width = w; c.height = h;
      const ctx = c.getContext("2d");
      ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, w, h);
      ctx.drawImage(img, 0, 0, w, h);
      const d = ctx.getImageData(0, 0, w, h).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) n++;
      ink = n / (w * h);
    }
    out.push({ tag: e.tagName.toLowerCase(), w, h, ink });
  }
  return out;
})()`;

Deno.test({
  name: NAME,
  ignore: skip,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await Deno.mkdir(SHOTS, { recursive: true });
    // Copies inside the project (the kernel finds deno.json by walking up), removed at the end.
    const work = await Deno.makeTempDir({ dir: join(ROOT, "tests", "e2e"), prefix: "run-" });
    const chromium = await launchChromium();
    try {
      const names = [...Deno.readDirSync(join(ROOT, "notebooks"))].map((e) => e.name).filter((n) =>
        n.endsWith(".ipynb")
      ).sort();
      const problems: string[] = [];
      let total = 0;
      for (const name of names) {
        const path = join(work, name);
        await Deno.copyFile(join(ROOT, "notebooks", name), path);
        const executed = join(work, name.replace(".ipynb", ".executed.ipynb"));
        const html = join(work, name.replace(".ipynb", ".html"));
        // The README's command, through the cli task (its permissions), from the project folder.
        const run = await new Deno.Command(Deno.execPath(), {
          args: ["task", "cli", "notebook", "run", path, "--out", executed, "--html", html],
          cwd: ROOT,
          env: { NO_COLOR: "1", RATGTEX_SOURCE: "offline" },
          stdout: "piped",
          stderr: "piped",
        }).output();
        const log = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
        assert.equal(run.code, 0, log);
        assert.match(log, /HTML report written to/);
        const expected = figureCount(JSON.parse(await Deno.readTextFile(executed)));
        const page = await chromium.browser.newPage();
        await page.setViewport({ width: 1200, height: 900 });
        await page.goto(`file://${html}`, { waitUntil: "load" });
        const figures = await page.evaluate(FIGURES_IN_PAGE) as { tag: string; w: number; h: number; ink: number }[];
        await page.screenshot({
          path: join(SHOTS, `${basename(name, ".ipynb")}.png`) as `${string}.png`,
          fullPage: true,
        });
        await page.close();
        const visible = figures.filter((f) => f.w > 20 && f.h > 20 && f.ink >= MIN_INK);
        total += visible.length;
        console.log(
          `${name}: ${expected} figure outputs, ${figures.length} figures in the HTML, ${visible.length} visible ` +
            `(ink ${figures.map((f) => (f.ink * 100).toFixed(1)).join(", ")} %)`,
        );
        if (visible.length < expected || figures.length !== visible.length) {
          problems.push(`${name}: ${expected} figure outputs, ${visible.length} visible of ${figures.length}`);
        }
      }
      assert.ok(total > 0, "the notebooks show figures");
      assert.deepEqual(problems, []);
    } finally {
      await chromium.close();
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
});

/**
 * The public surface follows its one written rule (README, "The public surface"): every public name is
 * exported by exactly one entry point; the root gives the other user-facing rooms as namespaces, never
 * their names flat; no public name is declared in a private file (`_x.ts`); no internal machinery is public;
 * and `deno.json`'s `exports` are exactly the entry points the README lists.
 */
import assert from "node:assert/strict";
import * as rg from "ratgtex";
import * as analysis from "ratgtex/analysis";
import * as plot from "ratgtex/plot";
import * as release from "ratgtex/release";
import * as jupyter from "ratgtex/jupyter";
import * as teach from "ratgtex/teach";

const ROOT = new URL("..", import.meta.url);
const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))) as {
  exports: Record<string, string>;
  publish?: { exclude?: string[] };
};

/** Each entry point's public names, with the files that declare them, from `deno doc --json`. */
async function publicNames(): Promise<Map<string, Map<string, string[]>>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const [key, path] of Object.entries(config.exports)) {
    const res = await new Deno.Command(Deno.execPath(), {
      args: ["doc", "--json", path],
      cwd: ROOT,
      stdout: "piped",
      stderr: "null",
    }).output();
    const doc = JSON.parse(new TextDecoder().decode(res.stdout)) as {
      nodes: Record<string, { symbols?: { name: string; declarations: { location: { filename: string } }[] }[] }>;
    };
    const names = new Map<string, string[]>();
    for (const node of Object.values(doc.nodes)) {
      for (const s of node.symbols ?? []) {
        names.set(s.name, s.declarations.map((d) => d.location.filename.replace(ROOT.href, "")));
      }
    }
    out.set(key === "." ? "ratgtex" : `ratgtex${key.slice(1)}`, names);
  }
  return out;
}

const surface = await publicNames();

Deno.test("surface: deno.json exports are the README's entry points, one per user-facing room", async () => {
  assert.deepEqual(Object.keys(config.exports).sort(), [
    ".",
    "./analysis",
    "./cli",
    "./jupyter",
    "./offline",
    "./plot",
    "./release",
    "./teach",
  ]);
  const readme = await Deno.readTextFile(new URL("README.md", ROOT));
  for (const key of Object.keys(config.exports)) {
    const name = key === "." ? "ratgtex" : `ratgtex${key.slice(1)}`;
    assert.ok(readme.includes(`\`${name}\``), `the README names the entry point ${name}`);
  }
});

Deno.test("surface: every public name is exported by exactly one entry point", () => {
  const where = new Map<string, string[]>();
  for (const [entry, names] of surface) {
    for (const name of names.keys()) where.set(name, [...(where.get(name) ?? []), entry]);
  }
  const twice = [...where].filter(([, entries]) => entries.length > 1).map(([n, e]) => `${n}: ${e.join(", ")}`);
  assert.deepEqual(twice, []);
  assert.ok(where.size > 150, `the surface was read (${where.size} names)`);
});

Deno.test("surface: the root gives the other rooms as namespaces, the very modules of their entry points", () => {
  assert.equal(rg.analysis, analysis);
  assert.equal(rg.plots, plot);
  assert.equal(rg.release, release);
  assert.equal(rg.jupyter, jupyter);
  assert.equal(rg.teach, teach);
  // Never flat: no name of a namespaced room is also a root name.
  const root = surface.get("ratgtex")!;
  for (const ns of ["ratgtex/analysis", "ratgtex/plot", "ratgtex/release", "ratgtex/jupyter", "ratgtex/teach"]) {
    const flat = [...surface.get(ns)!.keys()].filter((n) => root.has(n));
    assert.deepEqual(flat, [], `${ns} names flat at the root`);
  }
});

Deno.test("surface: no public name is declared in a private file, and no internal machinery is public", () => {
  const fromPrivate: string[] = [];
  for (const [entry, names] of surface) {
    for (const [name, files] of names) {
      for (const f of files) {
        if (/(^|\/)_[^/]*\.ts$/.test(f)) fromPrivate.push(`${entry}: ${name} (${f})`);
      }
    }
  }
  assert.deepEqual(fromPrivate, []);
  const all = new Set([...surface.values()].flatMap((n) => [...n.keys()]));
  for (const internal of ["ResponseCache", "defaultCacheDir", "ReleaseFolder", "Table", "perGene", "geneParams"]) {
    assert.ok(!all.has(internal), `${internal} is internal`);
  }
});

Deno.test("surface: figures are named in one style (what they show, no Plot/Figure suffix)", () => {
  const figures = [...surface.get("ratgtex/plot")!.keys()].filter((n) => /^[a-z]/.test(n));
  assert.deepEqual(figures.filter((n) => /(Plot|Figure)$/.test(n) && n !== "renderFigure"), []);
});

Deno.test("surface: the package ships no test references and no fixture generator", () => {
  const exclude = config.publish?.exclude ?? [];
  for (const p of ["tests/", "fixtures/*.ts", ".ci/"]) assert.ok(exclude.includes(p), `publish.exclude has ${p}`);
});

Deno.test("surface: tests reach the library through its entry points, or say why they import an internal module", async () => {
  const undeclared: string[] = [];
  const walk = async (dir: URL, rel: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory && ["e2e", "internal"].includes(e.name)) {
        await walk(new URL(`${e.name}/`, dir), `${rel}${e.name}/`);
      }
      if (!e.isFile || !e.name.endsWith("_test.ts")) continue;
      const text = await Deno.readTextFile(new URL(e.name, dir));
      const internal = /^import[^;]*?from "(?:\.\.\/)+lib\//ms.test(text) || /import\("(?:\.\.\/)+lib\//.test(text);
      const head = text.slice(0, 2_000);
      if (internal && !/by design/.test(head)) undeclared.push(`${rel}${e.name}`);
    }
  };
  await walk(new URL("./", import.meta.url), "tests/");
  assert.deepEqual(undeclared, [], "import internal modules without saying so in their first comment");
});

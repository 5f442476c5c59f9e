// Newick writing (vs Python's %g and the server's get_newick), parsing, round trips and a
// bounded fuzz of the parser. References: tests/reference/clustering/make_reference.py.
// Imports internal modules by design (it tests them directly, below the entry points): `lib/_core/python_format.ts`.
import assert from "node:assert/strict";
import { formatG } from "../lib/_core/python_format.ts";
import {
  formatNewick,
  type NewickNode,
  NewickParseError,
  newickToLinkage,
  NOT_ENOUGH_DATA,
  parseNewick,
  serverTree,
  toHierarchy,
  toNewick,
} from "ratgtex/analysis";
import { hclust } from "ratgtex/analysis";
import { ClusteringInputError, type LinkageRow } from "ratgtex/analysis";
import { RatGtexError, ValidationError } from "ratgtex";
import { compareTrees, cophenetic } from "ratgtex/analysis";
// @ts-types="npm:@types/d3-hierarchy@3"
import { hierarchy } from "d3-hierarchy";

const REF = new URL("./reference/clustering/", import.meta.url);
const readRef = (name: string) => JSON.parse(Deno.readTextFileSync(new URL(name, REF)));
const fmtRef: { x: string; g: string }[] = readRef("format_g.json");
const serverRef: {
  cases: { name: string; genes: string[]; values: number[][]; gene: string; geneLinkage: LinkageRow[] | null }[];
} = readRef("server_trees.json");

const leaf = (name: string | null, length: number | null = null): NewickNode => ({ name, length, children: [] });

Deno.test("formatG equals Python's '%g' on 545 values (ties to even, exponents, -0, inf, nan)", () => {
  assert.ok(fmtRef.length > 500);
  for (const { x, g } of fmtRef) {
    const v = x === "nan" ? NaN : x === "inf" ? Infinity : x === "-inf" ? -Infinity : Number(x);
    assert.equal(formatG(v), g, `%g of ${x}`);
  }
  // Spot checks of the awkward cases, spelled out.
  assert.equal(formatG(1.015625), "1.01562"); // exact half: Python rounds to even, JS toPrecision up
  assert.equal(formatG(1234565), "1.23456e+06");
  assert.equal(formatG(0.00001), "1e-05");
  assert.equal(formatG(1500000), "1.5e+06");
  assert.equal(formatG(-0), "-0");
  assert.equal(formatG(100000), "100000");
  assert.equal(formatG(999999.5), "1e+06");
});

Deno.test("toNewick writes right child first, lengths = parent height − height", () => {
  const z: LinkageRow[] = [[0, 1, 233.244, 2], [2, 3, 1287.81, 3]];
  assert.equal(toNewick(z, ["Polr3k", "Rtel1", "Eno1"]), "((Rtel1:233.244,Polr3k:233.244):1054.57,Eno1:1287.81);");
  assert.equal(toNewick([[1, 0, 0, 2]], ["a", "b"]), "(a:0,b:0);");
  assert.throws(() => toNewick([], ["a"]), /Not enough data/);
  assert.throws(() => toNewick(z, ["a", "b"]), /2 labels for a linkage of 3 leaves/);
  assert.equal(serverTree([[1, 2, 3]], ["only"]), NOT_ENOUGH_DATA);
});

Deno.test("toNewick is iterative: a 20,000-leaf caterpillar tree does not overflow", () => {
  const n = 20000;
  const z: LinkageRow[] = [[0, 1, 1, 2]];
  for (let i = 1; i < n - 1; i++) z.push([n + i - 1, i + 1, i + 1, i + 2]);
  const labels = Array.from({ length: n }, (_, i) => `g${i}`);
  const text = toNewick(z, labels);
  assert.ok(text.startsWith(`(g${n - 1}:${n - 1},(g${n - 2}:`));
  const tree = parseNewick(text)!;
  const back = newickToLinkage(tree, { labels });
  assert.deepEqual(back.linkage, z);
});

Deno.test("parseNewick reads the server's strings; Not enough data → null", () => {
  const t = parseNewick("((Rtel1:233.244,Polr3k:233.244):1054.57,Eno1:1287.81);")!;
  assert.deepEqual(t, {
    name: null,
    length: null,
    children: [
      { name: null, length: 1054.57, children: [leaf("Rtel1", 233.244), leaf("Polr3k", 233.244)] },
      leaf("Eno1", 1287.81),
    ],
  });
  assert.equal(parseNewick("Not enough data"), null);
  assert.equal(parseNewick("  Not enough data\n"), null);
});

Deno.test("parseNewick is tolerant: quotes, comments, whitespace, missing lengths, inner labels", () => {
  const t = parseNewick(` ( 'gene A' : 1.5e0 [&&NHX:S=rat] ,\n "B,C":2 , D , (E)x:3 [nested [comment]] ) root ; `)!;
  assert.equal(t.name, "root");
  assert.deepEqual(t.children.map((c) => c.name), ["gene A", "B,C", "D", "x"]);
  assert.deepEqual(t.children.map((c) => c.length), [1.5, 2, null, 3]);
  assert.deepEqual(t.children[3].children, [leaf("E")]);
  assert.deepEqual(parseNewick("'it''s':1;"), leaf("it's", 1));
  assert.deepEqual(parseNewick("(A,B)"), { name: null, length: null, children: [leaf("A"), leaf("B")] });
  assert.deepEqual(parseNewick("(,);"), { name: null, length: null, children: [leaf(null), leaf(null)] });
  assert.deepEqual(parseNewick("(A:nan,B:-inf,C:1e-05,D:+.5);")!.children.map((c) => c.length), [
    NaN,
    -Infinity,
    1e-5,
    0.5,
  ]);
  assert.equal(parseNewick("(gene_1:1,b:2);")!.children[0].name, "gene_1");
});

Deno.test("parseNewick fails with NewickParseError and a position", () => {
  const cases: [string, RegExp, number][] = [
    ["", /empty text/, 0],
    ["((A,B);", /unbalanced '\('/, 0],
    ["(A,B));", /unbalanced '\)'/, 5],
    ["A,B;", /',' outside/, 1],
    ["(A:,B);", /expected a number after ':'/, 3],
    ["(A:x,B);", /expected a number/, 3],
    ["('A,B);", /unterminated quoted label/, 1],
    ["(A,B)[oops;", /unterminated comment/, 5],
    ["(A,B);(C,D);", /text after the final ';'/, 6],
    ["(A B'C);", /quote inside/, 4],
    ["(A:1 2,B);", /unexpected character "2"/, 5],
  ];
  for (const [text, re, pos] of cases) {
    assert.throws(() => parseNewick(text), (e: unknown) => {
      assert.ok(e instanceof NewickParseError, `${text}: ${e}`);
      assert.match(e.message, re, text);
      assert.equal(e.position, pos, `${text}: position`);
      assert.match(e.message, /at position \d+/);
      assert.ok(e instanceof RatGtexError, "NewickParseError is a RatGtexError");
      return true;
    });
  }
  assert.throws(() => parseNewick(42 as unknown as string), ClusteringInputError);
});

Deno.test("parse ∘ format round trips (server strings and odd trees)", () => {
  for (const c of serverRef.cases) {
    if (c.gene === NOT_ENOUGH_DATA) continue;
    const t = parseNewick(c.gene)!;
    assert.deepEqual(parseNewick(formatNewick(t)), t, c.name);
  }
  const odd = parseNewick(`('a b':1,('it''s',[c]"x;y":0.25)inner:1e-300,((((deep)))))r;`)!;
  const text = formatNewick(odd);
  assert.deepEqual(parseNewick(text), odd);
  assert.equal(formatNewick(parseNewick(text)!), text);
});

Deno.test("server strings go back to the linkage they came from (structure exact, heights to %g)", () => {
  for (const c of serverRef.cases) {
    if (!c.geneLinkage) continue;
    const tree = parseNewick(c.gene)!;
    const back = newickToLinkage(tree, { labels: c.genes });
    const ref = hclust(c.values, { optimalOrdering: true, labels: c.genes });
    // Same leaf order and same topology; heights agree to the 6 significant digits written.
    assert.deepEqual(back.order, ref.order, c.name);
    assert.equal(compareTrees(back.linkage, ref.linkage).robinsonFoulds, 0, c.name);
    const ca = cophenetic(back.linkage);
    const cb = cophenetic(ref.linkage);
    for (let i = 0; i < ca.length; i++) {
      assert.ok(Math.abs(ca[i] - cb[i]) <= 2e-5 * Math.max(cb[i], 1e-6) + 1e-9, `${c.name} cophenetic ${i}`);
    }
    // Rewriting gives the same string when no two merges are closer than the printed precision.
    if (c.name.startsWith("api")) assert.equal(toNewick(back.linkage, back.labels), c.gene);
  }
  const asWritten = newickToLinkage(parseNewick("((a:1,b:1):1,c:2);")!, { childOrder: "as-written" });
  assert.deepEqual(asWritten.labels, ["a", "b", "c"]);
  assert.deepEqual(asWritten.linkage, [[0, 1, 1, 2], [3, 2, 2, 3]]);
  const poly = newickToLinkage(parseNewick("(a,b,c,(d));")!, { childOrder: "as-written" });
  // Missing lengths count as 1: the unary node (d) sits at 1, so the root is at 2.
  assert.deepEqual(poly.linkage, [[0, 1, 2, 2], [4, 2, 2, 3], [5, 3, 2, 4]]);
  assert.throws(() => newickToLinkage(parseNewick("(a,b);")!, { labels: ["a", "x"] }), /"b" is not in options.labels/);
});

Deno.test("toHierarchy gives a d3 hierarchy with leaves in written order", () => {
  const root = toHierarchy(parseNewick("((Rtel1:233.244,Polr3k:233.244):1054.57,Eno1:1287.81);")!);
  assert.deepEqual(root.leaves().map((d) => d.data.name), ["Rtel1", "Polr3k", "Eno1"]);
  assert.equal(root.height, 2);
  assert.equal(root.children?.length, 2);
  assert.equal(root.leaves()[0].children, undefined);
  // Same nodes as d3.hierarchy itself builds (toHierarchy only avoids its quadratic height pass).
  for (const c of serverRef.cases.slice(0, 12)) {
    if (c.gene === NOT_ENOUGH_DATA) continue;
    const tree = parseNewick(c.gene)!;
    const ours = toHierarchy(tree).descendants();
    const d3s = hierarchy(tree, (d) => (d.children.length ? d.children : undefined)).descendants();
    assert.deepEqual(
      ours.map((d) => [d.data, d.depth, d.height, d.parent?.data ?? null, d.children?.length]),
      d3s.map((d) => [d.data, d.depth, d.height, d.parent?.data ?? null, d.children?.length]),
    );
    assert.equal(Object.getPrototypeOf(ours[0]), Object.getPrototypeOf(d3s[0]));
    assert.equal(toHierarchy(tree).sum((d) => (d.children.length ? 0 : 1)).value, c.genes.length);
  }
});

Deno.test("parseNewick fuzz: hostile input never hangs, never overflows, fails clearly", () => {
  // 100,000 levels of nesting, balanced: parsed iteratively.
  const depth = 100_000;
  const deep = "(".repeat(depth) + "A" + ")".repeat(depth) + ";";
  let t = parseNewick(deep)!;
  let d = 0;
  while (t.children.length) {
    t = t.children[0];
    d++;
  }
  assert.equal(d, depth);
  assert.equal(t.name, "A");
  // ... and formatNewick / toHierarchy / newickToLinkage on it do not recurse either.
  assert.equal(formatNewick(parseNewick(deep)!), deep);
  assert.equal(toHierarchy(parseNewick(deep)!).height, depth);
  assert.deepEqual(newickToLinkage(parseNewick(deep)!).linkage, []);
  // Unbalanced deep nesting fails with a position.
  assert.throws(() => parseNewick("(".repeat(depth) + "A"), NewickParseError);
  assert.throws(() => parseNewick("A" + ")".repeat(depth)), NewickParseError);
  // 1 MB input: a wide tree parses; 1 MB of garbage fails fast.
  const wide = "(" + Array.from({ length: 70_000 }, (_, i) => `g${i}:${i / 7}`).join(",") + ");";
  assert.ok(wide.length > 1_000_000);
  assert.equal(parseNewick(wide)!.children.length, 70_000);
  assert.throws(() => parseNewick("x".repeat(1_000_000) + "(;"), NewickParseError);
  assert.throws(() => parseNewick("[".repeat(1_000_000)), /unterminated comment/);
  assert.throws(() => parseNewick("'" + "a".repeat(1_000_000)), /unterminated quoted label/);
  // Linear, not quadratic: a ratio measured in this run (no absolute time). Ten times the input takes about
  // ten times as long (a quadratic parser: a hundred); best of 3, bound 40.
  const best = (text: string) => {
    let t = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      parseNewick(text);
      t = Math.min(t, performance.now() - t0);
    }
    return t;
  };
  const small = "(" + Array.from({ length: 7_000 }, (_, i) => `g${i}:${i / 7}`).join(",") + ");";
  const ratio = best(wide) / Math.max(best(small), 0.05);
  assert.ok(ratio < 40, `parse time grows ${ratio.toFixed(1)}× for 10× the input (linear: ~10)`);

  // Random strings over the Newick alphabet: either a tree or a NewickParseError, nothing else.
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const alphabet = "(),:;[]'\"ab1.e- \n_";
  let parsed = 0;
  let failed = 0;
  for (let i = 0; i < 5000; i++) {
    const len = Math.floor(rand() * 40);
    let s = "";
    for (let j = 0; j < len; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
    try {
      const tree = parseNewick(s);
      parsed++;
      if (tree) assert.deepEqual(parseNewick(formatNewick(tree)), tree, `round trip of ${JSON.stringify(s)}`);
    } catch (e) {
      assert.ok(e instanceof NewickParseError, `${JSON.stringify(s)} threw ${e}`);
      failed++;
    }
  }
  assert.ok(parsed > 100 && failed > 100, `parsed ${parsed}, failed ${failed}`);
  // Mutations of valid server strings: same contract.
  const base = serverRef.cases.find((c) => c.name === "random-50x13")!.gene;
  for (let i = 0; i < 2000; i++) {
    const p = Math.floor(rand() * base.length);
    const s = base.slice(0, p) + alphabet[Math.floor(rand() * alphabet.length)] + base.slice(p + 1);
    try {
      parseNewick(s);
    } catch (e) {
      assert.ok(e instanceof NewickParseError, `${e}`);
    }
  }
});

Deno.test("toNewick refuses a linkage that merges a cluster twice (it would write a leaf twice)", () => {
  assert.throws(() => toNewick([[0, 0, 1, 2]], ["a", "b"]), /already merged/);
  assert.throws(() => toNewick([[0, 1, 1, 2], [0, 1, 2, 2]], ["a", "b", "c"]), /already merged/);
  assert.equal(toNewick([[0, 1, 1, 2]], ["a", "b"]), "(b:1,a:1);");
});

Deno.test("NewickParseError is a RatGtexError, not a ValidationError (a bad tree may come from the server)", () => {
  let err: unknown;
  try {
    parseNewick("(a,b");
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof NewickParseError);
  assert.ok(err instanceof RatGtexError);
  assert.ok(!(err instanceof ValidationError));
  assert.equal(err.parameter, "text");
  assert.equal(err.value, "(a,b");
});

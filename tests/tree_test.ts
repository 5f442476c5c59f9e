// Tree cutting, cophenetic distances and tree comparison vs scipy 1.10 (fcluster, cophenet,
// np.corrcoef, Robinson–Foulds by Python sets) on committed references
// (tests/reference/clustering/make_reference.py). Tolerances: cluster labels identical;
// cophenetic distances identical (they are merge heights); correlations 1e-12 absolute.
import assert from "node:assert/strict";
import { compareTrees, cophenetic, copheneticCorrelation } from "ratgtex/analysis";
import { cutTree } from "ratgtex/analysis";
import type { LinkageRow } from "ratgtex/analysis";
import { pdist } from "ratgtex/analysis";

const ref = JSON.parse(Deno.readTextFileSync(new URL("./reference/clustering/trees.json", import.meta.url)));

interface TreeCase {
  data: string;
  method: string;
  linkage: LinkageRow[];
  maxclust: Record<string, number[]>;
  distance: { t: number; labels: number[] }[];
  cophenetic: number[];
  copheneticCorrelation: number;
}

Deno.test("cutTree equals scipy fcluster (maxclust and distance), ties included", () => {
  const cases: TreeCase[] = ref.cases;
  assert.ok(cases.length >= 12);
  for (const c of cases) {
    for (const [k, labels] of Object.entries(c.maxclust)) {
      assert.deepEqual(cutTree(c.linkage, { k: Number(k) }), labels, `${c.data} ${c.method} k=${k}`);
    }
    for (const { t, labels } of c.distance) {
      assert.deepEqual(cutTree(c.linkage, { height: t }), labels, `${c.data} ${c.method} t=${t}`);
    }
  }
});

Deno.test("cophenetic and copheneticCorrelation equal scipy cophenet", () => {
  for (const c of ref.cases as TreeCase[]) {
    assert.deepEqual(Array.from(cophenetic(c.linkage)), c.cophenetic, `${c.data} ${c.method}`);
    const r = copheneticCorrelation(c.linkage, pdist(ref.data[c.data]));
    assert.ok(
      Math.abs(r - c.copheneticCorrelation) <= 1e-12,
      `${c.data} ${c.method}: ${r} vs ${c.copheneticCorrelation}`,
    );
  }
});

Deno.test("compareTrees: cophenetic correlation and Robinson–Foulds vs Python", () => {
  for (const c of ref.comparisons) {
    const cmp = compareTrees(c.a, c.b);
    assert.ok(Math.abs(cmp.copheneticCorrelation - c.copheneticCorrelation) <= 1e-12, c.method);
    assert.equal(cmp.robinsonFoulds, c.rf, c.method);
    assert.equal(cmp.robinsonFouldsNormalized, c.rf / c.rfMax, c.method);
  }
  // A tree against itself, and against a relabelled copy of itself with children swapped.
  const a: LinkageRow[] = ref.comparisons[0].a;
  const same = compareTrees(a, a);
  assert.equal(same.robinsonFoulds, 0);
  assert.ok(Math.abs(same.copheneticCorrelation - 1) < 1e-12);
  const swapped = a.map(([x, y, h, s]) => [y, x, h, s] as LinkageRow);
  assert.equal(compareTrees(a, swapped).robinsonFoulds, 0);
  // At least one comparison must differ, or the test could not fail.
  assert.ok(ref.comparisons.some((c: { rf: number }) => c.rf > 0));
});

Deno.test("tree functions reject bad input clearly", () => {
  const z: LinkageRow[] = [[0, 1, 1, 2], [2, 3, 2, 3]];
  assert.throws(() => cutTree(z, { k: 0 }), /k must be a positive integer/);
  assert.throws(() => cutTree(z, { k: 1.5 }), /k must be a positive integer/);
  assert.throws(() => cutTree(z, { height: NaN }), /height must be a number/);
  assert.throws(() => cutTree(z, {} as { k: number }), /options must be/);
  assert.throws(() => cutTree([], { k: 1 }), /at least one row/);
  assert.throws(() => cophenetic([[0, 5, 1, 2]]), /row 0/);
  assert.throws(() => copheneticCorrelation(z, new Float64Array(2)), /needs length 3/);
  assert.throws(() => compareTrees(z, [[0, 1, 1, 2]]), /3 and 2 leaves/);
  assert.deepEqual(cutTree(z, { k: 5 }), [1, 2, 3]);
  // A row reusing a cluster leaves a leaf out of the tree: rejected, not silently zero distances.
  const reused: LinkageRow[] = [[0, 1, 1, 2], [0, 1, 2, 2]];
  for (const f of [() => cophenetic(reused), () => cutTree(reused, { k: 2 }), () => compareTrees(z, reused)]) {
    assert.throws(f, /already merged/);
  }
  assert.throws(() => cophenetic([[1, 1, 1, 2]]), /already merged/);
  assert.throws(() => cutTree([[0, 1, NaN, 2], [2, 3, 2, 3]], { height: 1 }), /row 0/);
});

// Clustering vs scipy 1.10 on committed references (tests/reference/clustering/make_reference.py).
// Tolerances: merges, numbering, row order and leaf orders must be identical; heights equal to
// 1e-12 relative (and a separate test requires them bit-identical); Newick strings byte-identical.
// Imports internal modules by design (it tests them directly, below the entry points): `lib/analysis/_numpy_sum.ts`.
import assert from "node:assert/strict";
import { RatGtexError } from "ratgtex";
import { hclust, linkageFromDistances } from "ratgtex/analysis";
import { ClusteringInputError, type LinkageRow } from "ratgtex/analysis";
import { leavesList } from "ratgtex/analysis";
import { pdist } from "ratgtex/analysis";
import { numpySum } from "../lib/analysis/_numpy_sum.ts";
import { optimalLeafOrdering } from "ratgtex/analysis";
import { serverTree } from "ratgtex/analysis";
import { clusterMedians } from "ratgtex/analysis";
import type { MedianGeneExpressionResult } from "ratgtex";

const REF = new URL("./reference/clustering/", import.meta.url);
const readRef = (name: string) => JSON.parse(Deno.readTextFileSync(new URL(name, REF)));

interface ServerCase {
  name: string;
  genes: string[];
  tissues: string[];
  values: number[][];
  gene: string;
  tissue: string;
  geneLinkage: LinkageRow[] | null;
  geneOrder: number[] | null;
  tissueLinkage: LinkageRow[] | null;
  tissueOrder: number[] | null;
}
const serverRef: { scipy: string; cases: ServerCase[] } = readRef(
  "server_trees.json",
);
const linkRef = readRef("linkages.json");

const transpose = (m: number[][]): number[][] => m[0].map((_, j) => m.map((r) => r[j]));

function assertLinkageClose(
  actual: LinkageRow[],
  expected: LinkageRow[],
  what: string,
  rel = 1e-12,
): void {
  assert.equal(actual.length, expected.length, `${what}: row count`);
  for (let i = 0; i < expected.length; i++) {
    const [a, b, h, s] = actual[i];
    const [ea, eb, eh, es] = expected[i];
    assert.deepEqual(
      [a, b, s],
      [ea, eb, es],
      `${what}: row ${i} merges ${[a, b, s]} vs scipy ${[ea, eb, es]}`,
    );
    const tol = rel * Math.max(Math.abs(eh), 1e-300);
    assert.ok(
      Math.abs(h - eh) <= tol,
      `${what}: row ${i} height ${h} vs scipy ${eh}`,
    );
  }
}

Deno.test("references were made by scipy 1.10", () => {
  assert.match(serverRef.scipy, /^1\.10\./);
  assert.match(linkRef.scipy, /^1\.10\./);
});

Deno.test("serverTree reproduces the server's Newick strings byte for byte (random, ties, duplicates, n ≤ 300)", () => {
  assert.ok(serverRef.cases.length >= 20);
  for (const c of serverRef.cases) {
    assert.equal(serverTree(c.values, c.genes), c.gene, `${c.name}: gene tree`);
    assert.equal(
      serverTree(transpose(c.values), c.tissues),
      c.tissue,
      `${c.name}: tissue tree`,
    );
  }
  assert.ok(serverRef.cases.some((c) => c.values.length === 300));
});

Deno.test("the API page's example is rebuilt from medians: Polr3k, Rtel1, Eno1", () => {
  const c = serverRef.cases.find((x) => x.name === "api-example")!;
  assert.deepEqual(c.genes, ["Polr3k", "Rtel1", "Eno1"]);
  assert.equal(
    serverTree(c.values, c.genes),
    "((Rtel1:233.244,Polr3k:233.244):1054.57,Eno1:1287.81);",
  );
  assert.equal(
    c.gene,
    "((Rtel1:233.244,Polr3k:233.244):1054.57,Eno1:1287.81);",
  );
});

Deno.test("server linkage and leaf order equal scipy's (average, euclidean, optimal ordering)", () => {
  for (const c of serverRef.cases) {
    for (
      const [m, labels, z, order, side] of [
        [c.values, c.genes, c.geneLinkage, c.geneOrder, "gene"],
        [
          transpose(c.values),
          c.tissues,
          c.tissueLinkage,
          c.tissueOrder,
          "tissue",
        ],
      ] as const
    ) {
      if (z === null) continue;
      const res = hclust(m as number[][], {
        optimalOrdering: true,
        labels: labels as string[],
      });
      assertLinkageClose(res.linkage, z as LinkageRow[], `${c.name} ${side}`);
      assert.deepEqual(res.order, order, `${c.name} ${side}: leaf order`);
    }
  }
});

Deno.test("every method × metric: linkage, leaf order and optimal leaf order equal scipy's", () => {
  let count = 0;
  for (const c of linkRef.cases) {
    const input = c.metric === "precomputed" ? new Float64Array(linkRef.condensed[c.data]) : linkRef.data[c.data];
    const opts = {
      method: c.method,
      ...(c.metric === "precomputed" ? {} : { metric: c.metric }),
    };
    const what = `${c.data} ${c.method} ${c.metric}`;
    const raw = hclust(input, opts);
    assertLinkageClose(raw.linkage, c.linkage, what);
    assert.deepEqual(raw.order, c.order, `${what}: leaves_list`);
    const olo = hclust(input, { ...opts, optimalOrdering: true });
    assertLinkageClose(olo.linkage, c.oloLinkage, `${what} (optimal ordering)`);
    assert.deepEqual(olo.order, c.oloOrder, `${what}: optimal leaf order`);
    count++;
  }
  // 4 data sets × (4 methods × 4 metrics + 3 euclidean-only) less undefined cases, + 7 precomputed
  assert.ok(count >= 70, `only ${count} cases`);
  const methods = new Set(
    linkRef.cases.map((c: { method: string }) => c.method),
  );
  assert.equal(methods.size, 7);
});

Deno.test("pdist equals scipy's pdist bit for bit (euclidean, cityblock, cosine, correlation)", () => {
  let compared = 0;
  for (const [name, byMetric] of Object.entries(linkRef.pdist as Record<string, Record<string, number[]>>)) {
    for (const [metric, expected] of Object.entries(byMetric)) {
      const d = pdist(linkRef.data[name], metric as "euclidean");
      assert.equal(d.length, expected.length);
      for (let i = 0; i < d.length; i++) assert.equal(d[i], expected[i], `${name} ${metric} [${i}]`);
      compared++;
    }
  }
  assert.ok(compared >= 10);
});

Deno.test("linkage heights are bit-identical to scipy's for every method and metric", () => {
  for (const c of linkRef.cases) {
    const input = c.metric === "precomputed" ? new Float64Array(linkRef.condensed[c.data]) : linkRef.data[c.data];
    const res = hclust(input, { method: c.method, ...(c.metric === "precomputed" ? {} : { metric: c.metric }) });
    assert.deepEqual(res.linkage.map((r) => r[2]), c.linkage.map((r: LinkageRow) => r[2]), `${c.data} ${c.method}`);
  }
});

Deno.test("numpySum follows numpy's pairwise summation", () => {
  assert.equal(numpySum([0.1, 0.2, 0.3], 0, 3), 0.1 + 0.2 + 0.3);
  // Beyond 8 values numpy adds in 8 interleaved partial sums: the result differs from a loop.
  const v = Array.from({ length: 13 }, (_, i) => 1 / (i + 3));
  let loop = 0;
  for (const x of v) loop += x;
  const r = v.slice(0, 8);
  let pw = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
  for (let i = 8; i < 13; i++) pw += v[i];
  assert.equal(numpySum(v, 0, 13), pw);
});

Deno.test("linkageFromDistances + optimalLeafOrdering compose like scipy's linkage(optimal_ordering=True)", () => {
  const c = serverRef.cases.find((x) => x.name === "random-100x13")!;
  const d = pdist(c.values);
  const z = optimalLeafOrdering(linkageFromDistances(d, "average"), d);
  assert.deepEqual(leavesList(z), c.geneOrder);
});

Deno.test("hclust: leaf order is a permutation and sizes add up (n = 1000, ties)", () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const m = Array.from(
    { length: 1000 },
    () => Array.from({ length: 5 }, () => Math.floor(rand() * 4)),
  );
  for (
    const method of [
      "average",
      "complete",
      "single",
      "weighted",
      "ward",
      "centroid",
      "median",
    ] as const
  ) {
    const res = hclust(m, { method, optimalOrdering: method === "average" });
    assert.deepEqual(
      [...res.order].sort((a, b) => a - b),
      Array.from({ length: 1000 }, (_, i) => i),
    );
    assert.equal(res.linkage[998][3], 1000, method);
    for (let i = 1; i < res.linkage.length; i++) {
      if (method !== "centroid" && method !== "median") {
        assert.ok(
          res.linkage[i][2] >= res.linkage[i - 1][2],
          `${method}: heights sorted`,
        );
      }
    }
  }
});

Deno.test("hclust rejects bad input with clear errors", () => {
  assert.throws(() => hclust([[1, 2]]), (e: unknown) => {
    assert.ok(e instanceof ClusteringInputError && e instanceof RatGtexError);
    assert.equal(e.parameter, "matrix");
    assert.match(e.message, /hclust: need at least 2 observations/);
    assert.match(e.hint, /two or more rows/);
    return true;
  });
  assert.throws(() => hclust([[1, 2], [1]]), /row 1 has 1 values/);
  assert.throws(() => hclust([[1, NaN], [1, 2]]), /\[0\]\[1\] = NaN/);
  assert.throws(
    () => hclust([[1], [2]], { method: "upgma" as "average" }),
    /method "upgma"/,
  );
  assert.throws(
    () => hclust([[1], [2]], { metric: "manhattan" as "cityblock" }),
    /metric "manhattan"/,
  );
  assert.throws(
    () => hclust([[1], [2]], { method: "ward", metric: "cosine" }),
    /requires the euclidean metric/,
  );
  assert.throws(() => hclust(new Float64Array(4)), /length n\(n−1\)\/2/);
  assert.throws(() => hclust(new Float64Array([1, -1, 2])), /non-negative/);
  assert.throws(
    () => hclust([[1], [2]], { labels: ["a"] }),
    /1 labels given for 2 observations/,
  );
  assert.throws(
    () => hclust([[0, 0], [1, 2]], { metric: "correlation" }),
    /row 0 is constant/,
  );
});

function medians(
  genes: string[],
  tissues: string[],
  values: number[][],
): MedianGeneExpressionResult {
  // Only the fields clusterMedians reads; the frames are not needed here.
  return {
    geneIds: genes,
    tissueIds: tissues,
    values,
  } as unknown as MedianGeneExpressionResult;
}

Deno.test("clusterMedians with defaults gives the server's Newick strings", () => {
  for (const c of serverRef.cases) {
    const res = clusterMedians(medians(c.genes, c.tissues, c.values));
    assert.equal(res.clusters.gene, c.gene, c.name);
    assert.equal(res.clusters.tissue, c.tissue, c.name);
    if (c.geneOrder) {
      assert.deepEqual(
        res.geneOrder,
        c.geneOrder.map((i) => c.genes[i]),
      );
    }
    if (c.tissueOrder) {
      assert.deepEqual(
        res.tissueOrder,
        c.tissueOrder.map((i) => c.tissues[i]),
      );
    }
    assert.equal(res.geneTree === null, c.gene === "Not enough data");
    assert.equal(res.tissueLinkage === null, c.tissue === "Not enough data");
  }
});

Deno.test("clusterMedians transforms: log2(x+1) and zscore change the input as documented", () => {
  const c = serverRef.cases.find((x) => x.name === "random-20x13")!;
  const log = clusterMedians(medians(c.genes, c.tissues, c.values), {
    transform: "log2",
  });
  const logged = c.values.map((r) => r.map((v) => Math.log2(v + 1)));
  assert.equal(log.clusters.gene, serverTree(logged, c.genes));
  const z = clusterMedians(medians(c.genes, c.tissues, c.values), {
    transform: "zscore",
    metric: "correlation",
    method: "complete",
  });
  const zs = c.values.map((r) => {
    const m = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(
      r.reduce((a, b) => a + (b - m) ** 2, 0) / (r.length - 1),
    );
    return r.map((v) => (v - m) / sd);
  });
  const ref = hclust(zs, {
    metric: "correlation",
    method: "complete",
    optimalOrdering: true,
  });
  assert.deepEqual(z.geneLinkage, ref.linkage);
  assert.equal(z.geneOrder.length, 20);
  assert.throws(
    () =>
      clusterMedians(medians(["a", "b"], ["T"], [[-1], [2]]), {
        transform: "log2",
      }),
    /negative/,
  );
  assert.throws(
    () => clusterMedians(medians(["a", "b"], ["T"], [[1], [NaN]])),
    /median of b in T is NaN/,
  );
});

Deno.test("clusterMedians zscore: a constant gene becomes zeros even when its mean does not round-trip", () => {
  // 0.1 × 3 sums to 0.30000000000000004: the deviations are ~1e-17, not 0, and used to be scaled
  // up to ±0.8, so the constant gene sat at distance 2 from the others instead of √2.
  const med = medians(["flat", "up", "down"], ["a", "b", "c"], [[0.1, 0.1, 0.1], [1, 2, 3], [3, 2, 1]]);
  const res = clusterMedians(med, { transform: "zscore" });
  const zeros = hclust([[0, 0, 0], [-1, 0, 1], [1, 0, -1]], { optimalOrdering: true });
  assert.deepEqual(res.geneLinkage, zeros.linkage);
  assert.equal(res.geneLinkage![0][2], Math.SQRT2);
});

Deno.test("clusterMedians: null options and no genes are handled clearly", () => {
  const med = medians(["a", "b"], ["T", "U"], [[1, 2], [3, 4]]);
  assert.throws(
    () => clusterMedians(med, null as unknown as { transform: "none" }),
    (e: unknown) => e instanceof ClusteringInputError && e.parameter === "options",
  );
  const empty = clusterMedians(medians([], ["T", "U"], []));
  assert.deepEqual(empty.clusters, { gene: "Not enough data", tissue: "Not enough data" });
  assert.deepEqual(empty.tissueOrder, ["T", "U"]);
});

Deno.test("hclust: options that are not an object are a ClusteringInputError, not a TypeError", () => {
  for (const bad of [null, "average", 3]) {
    assert.throws(
      () => hclust([[1], [2]], bad as unknown as { method: "average" }),
      (e: unknown) => e instanceof ClusteringInputError && e.parameter === "options",
    );
  }
});

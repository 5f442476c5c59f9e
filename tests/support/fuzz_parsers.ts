/**
 * Fuzzing the three parsers that read text from outside: the NaN-tolerant JSON reader (`parseApiJson`), the
 * variant ID parser (`parseVariantId`) and the Newick parser (`parseNewick`). Random and mutated inputs
 * for a bounded time each; every outcome must be a value or the parser's own typed error (SyntaxError,
 * ValidationError, NewickParseError), never another exception, a hang or a stack overflow. Where an
 * oracle exists the value is checked too (JSON: equal to `JSON.parse` when that succeeds, and to the
 * generated value; variants: the ID rebuilt from the parts; Newick: the server's trees keep their leaves).
 *
 * `deno run --allow-read tests/support/fuzz_parsers.ts [inputs per parser, default 200,000] [seed]`
 * (the short form runs in `tests/reliability_fuzz_test.ts`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { parseApiJson } from "../../lib/_core/json_read.ts";
import { ValidationError } from "ratgtex";
import { parseVariantId } from "ratgtex";
import { NewickParseError, parseNewick, serverTree } from "ratgtex/analysis";

/** What a fuzz run did. */
export interface FuzzReport {
  /** Parser fuzzed. */
  parser: string;
  /** Inputs tried. */
  inputs: number;
  /** Inputs parsed to a value. */
  accepted: number;
  /** Inputs refused with the parser's typed error. */
  rejected: number;
  /** Longest single parse, in ms. */
  slowestMs: number;
  /** Seed of the run (re-run with it to reproduce). */
  seed: number;
}

/** mulberry32: a small seeded generator, so a failure can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: () => number, n: number) => Math.floor(r() * n);

/** Random edits of a text: flip, delete, insert a token, duplicate or cut a slice. */
function mutate(r: () => number, text: string, tokens: readonly string[]): string {
  let s = text;
  const edits = 1 + int(r, 4);
  for (let e = 0; e < edits; e++) {
    const i = int(r, s.length + 1);
    switch (int(r, 6)) {
      case 0:
        s = s.slice(0, i) + String.fromCharCode(int(r, 128)) + s.slice(i + 1);
        break;
      case 1:
        s = s.slice(0, i) + s.slice(i + 1 + int(r, 8));
        break;
      case 2:
        s = s.slice(0, i) + pick(r, tokens) + s.slice(i);
        break;
      case 3: {
        const j = Math.min(s.length, i + int(r, 40));
        s = s.slice(0, j) + s.slice(i, j) + s.slice(j);
        break;
      }
      case 4:
        s = s.slice(0, i);
        break;
      default:
        s = s.slice(0, i) + String.fromCodePoint(int(r, 0x3000)) + s.slice(i);
    }
  }
  return s;
}

/**
 * Run `one` on `cases` inputs drawn from `seed` (a fixed count, so what a run covers does not depend on the
 * machine); `one` returns true when the input was accepted. The slowest input's time is reported, never
 * asserted.
 */
function timed(parser: string, cases: number, seed: number, one: (r: () => number) => boolean): FuzzReport {
  const r = rng(seed);
  const report: FuzzReport = { parser, inputs: 0, accepted: 0, rejected: 0, slowestMs: 0, seed };
  while (report.inputs < cases) {
    const t0 = performance.now();
    if (one(r)) report.accepted++;
    else report.rejected++;
    report.inputs++;
    report.slowestMs = Math.max(report.slowestMs, performance.now() - t0);
  }
  return report;
}

// ------------------------------------------------------------------------------------------ JSON

const JSON_TOKENS = [
  "NaN",
  "-Infinity",
  "Infinity",
  '"',
  "\\",
  "{",
  "}",
  "[",
  "]",
  ",",
  ":",
  "null",
  '"NaN"',
  "1e-05",
  "-0",
];
const STRING_CHARS = ["a", "N", "a", "NaN", "Infinity", '"', "\\", "\n", "\u0000", "é", "\u{1F400}", " ", ":", ","];

/** A random API-like value (floats may be NaN/±Infinity, as the server writes them). */
function randomValue(r: () => number, depth: number): unknown {
  const k = depth > 5 ? int(r, 5) : int(r, 7);
  switch (k) {
    case 0:
      return pick(r, [NaN, Infinity, -Infinity, 0, -0.5, 1e-5, 8.43005e-8, 27, 1e300]);
    case 1:
      return Array.from({ length: 1 + int(r, 6) }, () => pick(r, STRING_CHARS)).join("");
    case 2:
      return pick(r, [true, false, null]);
    case 3:
      return int(r, 1e9) - 5e8;
    case 4:
      return r() < 0.5 ? NaN : r() * 1e6;
    case 5:
      return Array.from({ length: int(r, 5) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = int(r, 5); i > 0; i--) {
        o[pick(r, ["log2aFC", "NaN", "data", "x", "Infinity", "a b"])] = randomValue(r, depth + 1);
      }
      return o;
    }
  }
}

/** Python's encoder: bare NaN/Infinity tokens. */
function pyDumps(v: unknown): string {
  if (typeof v === "number") {
    return Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(pyDumps).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${pyDumps(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Fuzz `parseApiJson` with generated API-like values and mutations of their text (and of `seeds`). */
export function fuzzApiJson(cases: number, seed: number, seeds: readonly string[] = []): FuzzReport {
  return timed("parseApiJson", cases, seed, (r) => {
    const value = randomValue(r, 0);
    const clean = pyDumps(value);
    const mode = int(r, 3);
    const text = mode === 0 ? clean : mutate(r, mode === 1 || seeds.length === 0 ? clean : pick(r, seeds), JSON_TOKENS);
    let parsed: unknown;
    try {
      parsed = parseApiJson(text);
    } catch (e) {
      if (!(e instanceof SyntaxError) || e.constructor !== SyntaxError) {
        throw new Error(`parseApiJson threw ${e} for ${JSON.stringify(text.slice(0, 300))} (seed ${seed})`);
      }
      assert.notEqual(text, clean, `parseApiJson refused a valid server text: ${JSON.stringify(text.slice(0, 300))}`);
      return false;
    }
    if (text === clean) {
      assert.deepStrictEqual(parsed, value, `parseApiJson misread ${JSON.stringify(text.slice(0, 300))}`);
    }
    let plain: unknown = undefined;
    try {
      plain = JSON.parse(text);
    } catch { /* not plain JSON: nothing to compare */ }
    if (plain !== undefined) {
      assert.deepStrictEqual(parsed, plain, `differs from JSON.parse on ${JSON.stringify(text.slice(0, 300))}`);
    }
    return true;
  });
}

// ------------------------------------------------------------------------------------------ variant IDs

const VARIANT_CHARS = [
  "chr",
  "c",
  "h",
  "r",
  "1",
  "0",
  "9",
  "X",
  "Y",
  "M",
  "MT",
  "Un",
  "_",
  ".",
  ":",
  ",",
  "-",
  "+",
  " ",
  "e",
  "x",
  "\u0000",
  "é",
  "\u0661",
  "\t",
  "%3A",
];

/** Fuzz `parseVariantId` with random strings and mutated valid IDs. */
export function fuzzVariantId(cases: number, seed: number): FuzzReport {
  return timed("parseVariantId", cases, seed, (r) => {
    const valid = `chr${pick(r, ["1", "10", "20", "X", "Y", "M", "MT"])}:${1 + int(r, 300_000_000)}`;
    const mode = int(r, 3);
    const text = mode === 0
      ? valid
      : mode === 1
      ? mutate(r, valid, VARIANT_CHARS)
      : Array.from({ length: int(r, 24) }, () => pick(r, VARIANT_CHARS)).join("");
    let parts: { chromosome: string; pos: number };
    try {
      parts = parseVariantId(text);
    } catch (e) {
      if (!(e instanceof ValidationError) || e.parameter !== "variantId") {
        throw new Error(`parseVariantId threw ${e} for ${JSON.stringify(text)} (seed ${seed})`);
      }
      assert.notEqual(text, valid, `parseVariantId refused a valid ID ${valid}`);
      return false;
    }
    assert.equal(`${parts.chromosome}:${parts.pos}`, text, `parts do not rebuild ${JSON.stringify(text)}`);
    assert.ok(Number.isInteger(parts.pos) && parts.pos >= 1 && parts.pos <= 1e9, `position of ${text}`);
    return true;
  });
}

// ------------------------------------------------------------------------------------------ Newick

const NEWICK_TOKENS = [
  "(",
  ")",
  ",",
  ":",
  ";",
  "[",
  "]",
  "'",
  '"',
  " ",
  "\n",
  "1e-5",
  "-3",
  "NaN",
  "Not enough data",
  "_",
  "''",
];

/** A server-form Newick string (serverTree over a random matrix) and its leaf labels. */
function serverNewick(r: () => number): { text: string; labels: string[] } {
  const n = 2 + int(r, 10), m = 1 + int(r, 5);
  const labels = Array.from({ length: n }, (_, i) => `${pick(r, ["Gene", "LOC", "Syn", "IL", "pVTA"])}${i}`);
  const matrix = labels.map(() => Array.from({ length: m }, () => (r() < 0.2 ? 0 : Math.round(r() * 1e4) / 10)));
  return { text: serverTree(matrix, labels), labels };
}

function leaves(node: { name: string | null; children: unknown[] }): string[] {
  const out: string[] = [];
  const stack = [node];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.children.length === 0) out.push(x.name ?? "");
    else stack.push(...(x.children as typeof stack));
  }
  return out;
}

/** Fuzz `parseNewick` with the server's own trees, mutations of them, and random token soup. */
export function fuzzNewick(cases: number, seed: number): FuzzReport {
  return timed("parseNewick", cases, seed, (r) => {
    const { text: clean, labels } = serverNewick(r);
    const mode = int(r, 3);
    const text = mode === 0
      ? clean
      : mode === 1
      ? mutate(r, clean, NEWICK_TOKENS)
      : Array.from({ length: int(r, 60) }, () => pick(r, [...NEWICK_TOKENS, "a", "b", "0.5"])).join("");
    let tree: ReturnType<typeof parseNewick>;
    try {
      tree = parseNewick(text);
    } catch (e) {
      if (!(e instanceof NewickParseError)) {
        throw new Error(`parseNewick threw ${e} for ${JSON.stringify(text)} (seed ${seed})`);
      }
      assert.notEqual(text, clean, `parseNewick refused the server's tree ${clean}`);
      return false;
    }
    if (text === clean) assert.deepEqual(leaves(tree!).sort(), [...labels].sort(), `leaves of ${clean}`);
    return true;
  });
}

/** Text of real answers, as seeds for mutation. */
export async function answerSeeds(): Promise<string[]> {
  const { createTwin } = await import("../../lib/offline/twin.ts");
  const twin = await createTwin();
  const paths = [
    "eqtl?geneId=Cd300lf",
    "dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=chr10:100826333",
    "medianGeneExpression?geneId=Polr3k,Rtel1,Eno1",
    "gene?geneId=Cd300lf",
    "xqtl?geneId=Cd300lf",
  ];
  const texts = [];
  for (const p of paths) texts.push(await (await twin.handler(new Request(`http://twin/api/v4/${p}`))).text());
  // Keep seeds short enough that mutations land everywhere.
  return texts.map((t) => t.slice(0, 3000));
}

if (import.meta.main) {
  const cases = Number(Deno.args[0] ?? 200_000);
  const seed = Number(Deno.args[1] ?? Date.now() % 2 ** 31);
  const seeds = await answerSeeds();
  for (
    const report of [
      fuzzApiJson(cases, seed, seeds),
      fuzzVariantId(cases, seed),
      fuzzNewick(cases, seed),
    ]
  ) {
    console.log(
      `${report.parser}: ${report.inputs.toLocaleString("en")} inputs (${
        report.accepted.toLocaleString("en")
      } parsed, ` +
        `${report.rejected.toLocaleString("en")} refused with the typed error), slowest ${
          report.slowestMs.toFixed(2)
        } ms, seed ${report.seed}`,
    );
  }
}

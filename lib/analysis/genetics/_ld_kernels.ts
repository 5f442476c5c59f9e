/**
 * The popcount kernels behind `ld.ts`: for pairs of bit-packed variants, the counts of rats in each
 * combination of genotype planes. Two implementations with one contract:
 *
 * - a WebAssembly module, assembled below from a few dozen instructions (no toolchain, no binary file in
 *   the repository), that uses `i64.popcnt` — one machine instruction on x86-64 and ARM64;
 * - a plain TypeScript fallback on 32-bit words with a SWAR popcount, for a runtime without WebAssembly
 *   (V8's `--jitless`), and as an independent check of the first in the tests.
 *
 * Why hand-written (measured on the benchmark's 2,000 variants × 1,000 rats, upper triangle, 2 M pairs,
 * Deno 2.9.6, AMD EPYC, CPU time): the dot product of 0/1/2 calls in plain TypeScript takes 1.0–1.4 s
 * (32-bit SWAR popcounts, both the bit-plane form used here and plink's 2-bit form) — twice plink 1.9's
 * whole `--r2 square` run; the same loop with `i64.popcnt` in WebAssembly takes 50 ms (`dot`), and the
 * nine counts a pair with missing calls needs take 125 ms (`counts9`). WebAssembly SIMD (`i8x16.popcnt`)
 * measured no faster than scalar `i64.popcnt` (70–120 ms for `dot`), so the scalar form is kept: simpler,
 * and valid on every WebAssembly engine. A Float64 dot product (no bit packing) would need 2 G
 * multiply-adds: seconds in JavaScript. Correcting the dot products rat by rat for the few missing calls
 * (instead of `counts9`) measured slower even at 5 missing calls per variant.
 *
 * Memory layout (shared with `_ld_pack.ts`): variant `v` occupies `stride = 24 · words` bytes at
 * `v · stride`; for each 64-rat word `w` three little-endian 64-bit planes follow each other — `A`
 * (ALT dosage ≥ 1), `B` (dosage = 2), `M` (called) — at byte `v · stride + 24 · w + {0, 8, 16}`. Rats
 * beyond the last one are zero in every plane. A 64-bit word is two 32-bit words, low one first.
 *
 * @module
 */
import type { LdKernelChoice } from "./ld_types.ts";

/** Counts of one pair, in this order (first letter: the row variant's plane; second: the column's). */
export const COUNT_ORDER = ["AA", "AB", "BA", "BB", "AM", "BM", "MA", "MB", "MM"] as const;

/** What both implementations offer. Pointers and offsets are in bytes (WebAssembly) or u32 indices ×4. */
export interface LdKernels {
  /** `"wasm"` or `"js"`. */
  readonly name: "wasm" | "js";
  /** The 32-bit view of the working memory (re-read after `reserve`). */
  u32(): Uint32Array;
  /** The 32-bit signed view of the working memory. */
  i32(): Int32Array;
  /** Make the working memory at least `bytes` long (may replace the views). */
  reserve(bytes: number): void;
  /**
   * For `count` column variants from `pj` (step `stride` bytes) against the row variant at `pi`, write at
   * `out` (bytes) one int32 each: Σ over rats of dosage(row) · dosage(column), missing calls counting 0.
   */
  dot(pi: number, pj: number, count: number, words: number, stride: number, out: number): void;
  /** As `dot`, but nine int32 per column variant, in {@link COUNT_ORDER}. */
  counts9(pi: number, pj: number, count: number, words: number, stride: number, out: number): void;
}

// ---------------------------------------------------------------------------------------------------
// A minimal WebAssembly assembler: just what the two kernels need.

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
const name = (s: string): number[] => [...uleb(s.length), ...new TextEncoder().encode(s)];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

const I32 = 0x7f;
const I64 = 0x7e;
// Instructions (https://webassembly.github.io/spec/core/binary/instructions.html).
const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
const tee = (i: number): number[] => [0x22, ...uleb(i)];
const i32c = (v: number): number[] => [0x41, ...sleb(v)];
const i64c = (v: number): number[] => [0x42, ...sleb(v)];
const i64load = (offset: number): number[] => [0x29, 3, ...uleb(offset)];
const i32store = (offset: number): number[] => [0x36, 2, ...uleb(offset)];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const brIf = (depth: number): number[] => [0x0d, depth];
const I32_EQZ = 0x45;
const I32_NE = 0x47;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_MUL = 0x6c;
const I64_ADD = 0x7c;
const I64_AND = 0x83;
const I64_POPCNT = 0x7b;
const I32_WRAP_I64 = 0xa7;

/**
 * The shared frame of both kernels: params `pi 0, pj 1, count 2, words 3, stride 4, out 5`; local `x 6`
 * (row word pointer), `y 7` (column word pointer), `xEnd 8`; `body` runs once per 64-rat word with `x`
 * and `y` pointing at it, `perPair` before the word loop (zero the sums) and `store` after it.
 */
function pairLoop(perPair: number[], body: number[], store: number[], outStep: number): number[] {
  return [
    ...BLOCK,
    ...get(2),
    I32_EQZ,
    ...brIf(0), // no pairs
    ...LOOP, // one column variant per turn
    ...perPair,
    ...get(0),
    ...set(6),
    ...get(1),
    ...set(7),
    ...get(0),
    ...get(3),
    ...i32c(24),
    I32_MUL,
    I32_ADD,
    ...set(8),
    ...LOOP, // one 64-rat word per turn (words ≥ 1)
    ...body,
    ...get(6),
    ...i32c(24),
    I32_ADD,
    ...tee(6),
    ...get(7),
    ...i32c(24),
    I32_ADD,
    ...set(7),
    ...get(8),
    I32_NE,
    ...brIf(0),
    END,
    ...store,
    ...get(5),
    ...i32c(outStep),
    I32_ADD,
    ...set(5),
    ...get(1),
    ...get(4),
    I32_ADD,
    ...set(1),
    ...get(2),
    ...i32c(1),
    I32_SUB,
    ...tee(2),
    ...brIf(0),
    END,
    END,
    END, // function end
  ];
}

/** `dot`: locals after the frame: `acc 9` (i64), `a1 10`, `b1 11`, `t 12` (i64). */
function dotBody(): number[] {
  const ACC = 9, A1 = 10, B1 = 11, T = 12;
  const andPop = (l: number[], r: number[]): number[] => [...l, ...r, I64_AND, I64_POPCNT];
  const body = [
    ...get(6),
    ...i64load(0),
    ...set(A1),
    ...get(6),
    ...i64load(8),
    ...set(B1),
    ...get(ACC),
    ...get(7),
    ...i64load(0),
    ...tee(T), // a2
    ...get(A1),
    I64_AND,
    I64_POPCNT,
    I64_ADD,
    ...andPop(get(T), get(B1)),
    I64_ADD,
    ...get(7),
    ...i64load(8),
    ...tee(T), // b2
    ...get(A1),
    I64_AND,
    I64_POPCNT,
    I64_ADD,
    ...andPop(get(T), get(B1)),
    I64_ADD,
    ...set(ACC),
  ];
  return pairLoop([...i64c(0), ...set(ACC)], body, [...get(5), ...get(ACC), I32_WRAP_I64, ...i32store(0)], 4);
}

/** `counts9`: locals after the frame: nine i64 sums `9..17` (COUNT_ORDER), then `a1 b1 m1 a2 b2 m2` `18..23`. */
function counts9Body(): number[] {
  const S = 9, A1 = 18, B1 = 19, M1 = 20, A2 = 21, B2 = 22, M2 = 23;
  const pairs: [number, number][] = [[A1, A2], [A1, B2], [B1, A2], [B1, B2], [A1, M2], [B1, M2], [M1, A2], [
    M1,
    B2,
  ], [M1, M2]];
  const loads = [
    [6, 0, A1],
    [6, 8, B1],
    [6, 16, M1],
    [7, 0, A2],
    [7, 8, B2],
    [7, 16, M2],
  ].flatMap(([ptr, off, local]) => [...get(ptr), ...i64load(off), ...set(local)]);
  const body = [
    ...loads,
    ...pairs.flatMap(([l, r], k) => [...get(S + k), ...get(l), ...get(r), I64_AND, I64_POPCNT, I64_ADD, ...set(S + k)]),
  ];
  const zero = pairs.flatMap((_, k) => [...i64c(0), ...set(S + k)]);
  const store = pairs.flatMap((_, k) => [...get(5), ...get(S + k), I32_WRAP_I64, ...i32store(4 * k)]);
  return pairLoop(zero, body, store, 36);
}

/** The module: imports `env.memory`, exports `dot` and `counts9` (both `(i32 × 6) → ()`). */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const code = (locals: number[][], body: number[]): number[] => {
    const b = [...vec(locals), ...body];
    return [...uleb(b.length), ...b];
  };
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0]])),
    ...section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0], [0]])),
    ...section(7, vec([[...name("dot"), 0x00, 0], [...name("counts9"), 0x00, 1]])),
    ...section(
      10,
      vec([
        code([[3, I32], [4, I64]], dotBody()),
        code([[3, I32], [15, I64]], counts9Body()),
      ]),
    ),
  ]);
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or `null` where WebAssembly is unavailable (compiled once per process). */
function wasmModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = typeof WebAssembly === "object" ? new WebAssembly.Module(moduleBytes()) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

const PAGE = 65536;

function wasmKernels(mod: WebAssembly.Module, bytes: number): LdKernels {
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
  const exports = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as {
    dot: LdKernels["dot"];
    counts9: LdKernels["counts9"];
  };
  let u32 = new Uint32Array(memory.buffer);
  let i32 = new Int32Array(memory.buffer);
  return {
    name: "wasm",
    u32: () => u32,
    i32: () => i32,
    reserve(need: number): void {
      if (need <= memory.buffer.byteLength) return;
      memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
      u32 = new Uint32Array(memory.buffer);
      i32 = new Int32Array(memory.buffer);
    },
    dot: exports.dot,
    counts9: exports.counts9,
  };
}

/** Population count of a 32-bit word (SWAR). */
function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function jsKernels(bytes: number): LdKernels {
  let buffer = new ArrayBuffer(Math.max(8, Math.ceil(bytes / 8) * 8));
  let u32 = new Uint32Array(buffer);
  let i32 = new Int32Array(buffer);
  return {
    name: "js",
    u32: () => u32,
    i32: () => i32,
    reserve(need: number): void {
      if (need <= buffer.byteLength) return;
      const next = new ArrayBuffer(Math.ceil(need / 8) * 8);
      new Uint8Array(next).set(new Uint8Array(buffer));
      buffer = next;
      u32 = new Uint32Array(buffer);
      i32 = new Int32Array(buffer);
    },
    dot(pi, pj, count, words, stride, out): void {
      const m = u32;
      const x0 = pi >>> 2, n32 = words * 6;
      for (let k = 0; k < count; k++) {
        const y0 = (pj + k * stride) >>> 2;
        let s = 0;
        for (let w = 0; w < n32; w += 6) {
          for (let h = 0; h < 2; h++) {
            const a1 = m[x0 + w + h], b1 = m[x0 + w + 2 + h], a2 = m[y0 + w + h], b2 = m[y0 + w + 2 + h];
            s += popcount32(a1 & a2) + popcount32(a1 & b2) + popcount32(b1 & a2) + popcount32(b1 & b2);
          }
        }
        i32[(out >>> 2) + k] = s;
      }
    },
    counts9(pi, pj, count, words, stride, out): void {
      const m = u32;
      const x0 = pi >>> 2, n32 = words * 6;
      for (let k = 0; k < count; k++) {
        const y0 = (pj + k * stride) >>> 2;
        let aa = 0, ab = 0, ba = 0, bb = 0, am = 0, bm = 0, ma = 0, mb = 0, mm = 0;
        for (let w = 0; w < n32; w += 6) {
          for (let h = 0; h < 2; h++) {
            const a1 = m[x0 + w + h], b1 = m[x0 + w + 2 + h], m1 = m[x0 + w + 4 + h];
            const a2 = m[y0 + w + h], b2 = m[y0 + w + 2 + h], m2 = m[y0 + w + 4 + h];
            aa += popcount32(a1 & a2);
            ab += popcount32(a1 & b2);
            ba += popcount32(b1 & a2);
            bb += popcount32(b1 & b2);
            am += popcount32(a1 & m2);
            bm += popcount32(b1 & m2);
            ma += popcount32(m1 & a2);
            mb += popcount32(m1 & b2);
            mm += popcount32(m1 & m2);
          }
        }
        const o = (out >>> 2) + 9 * k;
        i32[o] = aa;
        i32[o + 1] = ab;
        i32[o + 2] = ba;
        i32[o + 3] = bb;
        i32[o + 4] = am;
        i32[o + 5] = bm;
        i32[o + 6] = ma;
        i32[o + 7] = mb;
        i32[o + 8] = mm;
      }
    },
  };
}

/** Kernels with a working memory of at least `bytes` bytes; `null` when `"wasm"` is asked and unavailable. */
export function ldKernels(choice: LdKernelChoice, bytes: number): LdKernels | null {
  if (choice !== "js") {
    const mod = wasmModule();
    if (mod) return wasmKernels(mod, bytes);
    if (choice === "wasm") return null;
  }
  return jsKernels(bytes);
}

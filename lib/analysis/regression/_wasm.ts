/**
 * Internal: a minimal WebAssembly binary writer — just enough to assemble the few numeric kernels of
 * this room (`_matmul.ts`) from TypeScript at start-up, so no compiled blob is committed and no
 * toolchain is needed. Instructions are byte arrays; `wasmModule` wraps functions into a module with
 * one exported memory.
 *
 * Encoding: the WebAssembly core specification 2.0 (binary format, §5) and its fixed-width SIMD
 * proposal (opcodes prefixed 0xFD, LEB128-encoded sub-opcode).
 *
 * @module
 */

/** Value types. */
export const I32 = 0x7f;
/** 64-bit float. */
export const F64 = 0x7c;
/** 128-bit vector. */
export const V128 = 0x7b;

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function simd(sub: number): number[] {
  return [0xfd, ...uleb(sub)];
}

/** A sequence of instructions. */
export type Code = number[];

/** The instructions used by the kernels (names as in the text format). */
export const op = {
  block: (...body: Code[]): Code => [0x02, 0x40, ...body.flat(), 0x0b],
  loop: (...body: Code[]): Code => [0x03, 0x40, ...body.flat(), 0x0b],
  br: (depth: number): Code => [0x0c, ...uleb(depth)],
  brIf: (depth: number): Code => [0x0d, ...uleb(depth)],
  get: (local: number): Code => [0x20, ...uleb(local)],
  set: (local: number): Code => [0x21, ...uleb(local)],
  tee: (local: number): Code => [0x22, ...uleb(local)],
  i32: (value: number): Code => [0x41, ...sleb(value)],
  i32Add: [0x6a] as Code,
  i32Sub: [0x6b] as Code,
  i32Mul: [0x6c] as Code,
  i32GeU: [0x4f] as Code,
  i32GtU: [0x4b] as Code,
  i32Eqz: [0x45] as Code,
  f64Load: (offset = 0): Code => [0x2b, 3, ...uleb(offset)],
  f64Store: (offset = 0): Code => [0x39, 3, ...uleb(offset)],
  select: [0x1b] as Code,
  f64Add: [0xa0] as Code,
  f64Mul: [0xa2] as Code,
  f64: (value: number): Code => [0x44, ...new Uint8Array(new Float64Array([value]).buffer)],
  v128Load: (offset = 0): Code => [...simd(0x00), 4, ...uleb(offset)],
  v128Store: (offset = 0): Code => [...simd(0x0b), 4, ...uleb(offset)],
  v128Zero: [...simd(0x0c), ...new Array(16).fill(0)] as Code,
  f64x2Splat: simd(0x14),
  f64x2ExtractLane: (lane: number): Code => [...simd(0x21), lane],
  f64x2Add: simd(0xf0),
  f64x2Sub: simd(0xf1),
  f64x2Mul: simd(0xf2),
  f64x2Max: simd(0xf5),
};

/** One exported function: `params` parameters of `paramType`, then locals grouped by type. */
export interface WasmFunction {
  name: string;
  params: number[];
  locals: [count: number, type: number][];
  body: Code;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(text: string): number[] {
  const utf8 = new TextEncoder().encode(text);
  return [...uleb(utf8.length), ...utf8];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** Assemble a module exporting `functions` (no results) and a memory named `memory` of `pages` 64 KiB pages. */
export function wasmModule(functions: WasmFunction[], pages: number): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0]);
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(
      7,
      vec([
        [...name("memory"), 0x02, 0x00],
        ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]),
      ]),
    ),
    ...section(
      10,
      vec(functions.map((f) => {
        const body = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body, 0x0b];
        return [...uleb(body.length), ...body];
      })),
    ),
  ];
  return new Uint8Array(bytes);
}

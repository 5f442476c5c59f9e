/**
 * Internal: the matrix product of the cis scan, `C = A·Bᵀ` on row-major float64 matrices whose rows are
 * sample vectors (variants × samples times phenotypes × samples), cache-blocked, with a WebAssembly SIMD
 * micro-kernel assembled at start-up (`_wasm.ts`).
 *
 * Why by hand (measured on this project's 2-core AMD EPYC machine, 1,200 × 400 times 400 × 400, one
 * thread, best of 5; GFMA/s = 10⁹ multiply-adds per second):
 *
 * | implementation | GFMA/s |
 * |---|---|
 * | plain TypeScript, 4 × 4 register block | 1.09 |
 * | `@stdlib/blas` 0.4.1 `dgemm` (the npm BLAS, plain JavaScript) | 1.38 |
 * | Debian's torch 1.13 `torch.mm` / numpy 1.24 on the reference BLAS (what tensorQTL gets here) | ~2.0 (float32 and float64) |
 * | this file: WebAssembly `f64x2`, 2 × 4 register block | 8.3 |
 *
 * No npm package offers a SIMD float64 GEMM; the kernel is ~60 lines of instructions. The micro-kernel
 * holds a 2 × 4 block of C in eight `f64x2` accumulators (each lane sums every other sample), loading two
 * A rows and four B rows along the samples: 6 vector loads per 8 vector multiply-adds, 14 of the 16 XMM
 * registers. Plain `f64x2.mul` + `f64x2.add` (not the relaxed fused multiply-add, 25 % faster but rounded
 * differently on different CPUs), so every machine gives the same bits. Shapes tried: 2 × 4 8.3,
 * 3 × 3 8.7 (needs rows in threes), 2 × 3 8.0, 4 × 2 7.9, 2 × 2 6.9, 1 × 8 6.0.
 *
 * Blocking: the kernel runs a block of B rows (≤ 256 KiB, half the L2 cache) against every A row pair,
 * so B stays in L2 and each A row pair in L1; sample ranges longer than 512 are split and accumulated.
 *
 * Layout: matrices live in the instance's memory (a {@link MatrixArena}); a row's stride is its length
 * rounded up to even (the pad is zero), and A's rows are padded to a multiple of 2, B's to a multiple of
 * 4, so the kernel never needs an edge case.
 *
 * @module
 */
import { type Code, I32, op, V128, wasmModule } from "./_wasm.ts";

/** Rows of A and B per micro-kernel block. */
const MR = 2;
const NR = 4;
/** Samples per pass (longer rows are split so a block of B stays in L2). */
const KC = 512;
/** Bytes of B per block. */
const B_BLOCK_BYTES = 256 * 1024;

/**
 * The kernel: C[i, j] (+)= Σ_s A[i, s]·B[j, s] for i < m, j < p (m a multiple of 2, p of 4), s over
 * `kbytes / 8` samples (a multiple of 2). Parameters, all byte addresses or byte strides:
 * a, lda, b, ldb, c, ldc, m, p, kbytes, accumulate (0: C =, 1: C +=).
 */
function gemmKernel(): Code {
  const [a, lda, b, ldb, c, ldc, m, p, kbytes, accumulate] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  let next = 10;
  const i = next++;
  const j = next++;
  const o = next++;
  const cRow = next++;
  const aRow = Array.from({ length: MR }, () => next++);
  const bRow = Array.from({ length: NR }, () => next++);
  const acc = Array.from({ length: MR * NR }, () => next++);
  const x = Array.from({ length: MR }, () => next++);
  const y = next++;
  const micro: Code[] = [];
  for (let ii = 0; ii < MR; ii++) {
    micro.push([...op.get(aRow[ii]), ...op.get(o), ...op.i32Add, ...op.v128Load(), ...op.set(x[ii])]);
  }
  for (let jj = 0; jj < NR; jj++) {
    micro.push([...op.get(bRow[jj]), ...op.get(o), ...op.i32Add, ...op.v128Load(), ...op.set(y)]);
    for (let ii = 0; ii < MR; ii++) {
      const t = acc[ii * NR + jj];
      micro.push([...op.get(t), ...op.get(x[ii]), ...op.get(y), ...op.f64x2Mul, ...op.f64x2Add, ...op.set(t)]);
    }
  }
  const stores: Code[] = [];
  for (let ii = 0; ii < MR; ii++) {
    for (let jj = 0; jj < NR; jj++) {
      const address = [...op.get(cRow), ...op.i32(ii), ...op.get(ldc), ...op.i32Mul, ...op.i32Add];
      const t = acc[ii * NR + jj];
      stores.push([
        ...address,
        ...op.get(t),
        ...op.f64x2ExtractLane(0),
        ...op.get(t),
        ...op.f64x2ExtractLane(1),
        ...op.f64Add,
        // accumulate ? C + sum : sum (select reads C either way; 0·garbage would not be safe, select is)
        ...address,
        ...op.f64Load(8 * jj),
        ...op.f64(0),
        ...op.get(accumulate),
        ...op.select,
        ...op.f64Add,
        ...op.f64Store(8 * jj),
      ]);
    }
  }
  const rowAddress = (base: number, index: number, offset: number, stride: number): Code => [
    ...op.get(base),
    ...op.get(index),
    ...op.i32(offset),
    ...op.i32Add,
    ...op.get(stride),
    ...op.i32Mul,
    ...op.i32Add,
  ];
  return [
    ...op.i32(0),
    ...op.set(i),
    ...op.block(op.loop(
      op.get(i),
      op.get(m),
      op.i32GeU,
      op.brIf(1),
      ...aRow.map((r, ii) => [...rowAddress(a, i, ii, lda), ...op.set(r)]),
      op.i32(0),
      op.set(j),
      op.block(op.loop(
        op.get(j),
        op.get(p),
        op.i32GeU,
        op.brIf(1),
        ...bRow.map((r, jj) => [...rowAddress(b, j, jj, ldb), ...op.set(r)]),
        ...acc.map((t) => [...op.v128Zero, ...op.set(t)]),
        op.i32(0),
        op.set(o),
        op.block(op.loop(
          op.get(o),
          op.get(kbytes),
          op.i32GeU,
          op.brIf(1),
          ...micro,
          op.get(o),
          op.i32(16),
          op.i32Add,
          op.set(o),
          op.br(0),
        )),
        op.get(c),
        op.get(i),
        op.get(ldc),
        op.i32Mul,
        op.i32Add,
        op.get(j),
        op.i32(8),
        op.i32Mul,
        op.i32Add,
        op.set(cRow),
        ...stores,
        op.get(j),
        op.i32(NR),
        op.i32Add,
        op.set(j),
        op.br(0),
      )),
      op.get(i),
      op.i32(MR),
      op.i32Add,
      op.set(i),
      op.br(0),
    )),
  ];
}

let compiled: WebAssembly.Module | undefined;

function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(
    wasmModule([{
      name: "gemm",
      params: new Array(10).fill(I32),
      locals: [[4 + MR + NR, I32], [MR * NR + MR + 1, V128]],
      body: gemmKernel(),
    }], 1) as BufferSource,
  );
  return compiled;
}

/** A matrix in a {@link MatrixArena}: rows × cols values, row r at `offset + r·stride` (in float64s). */
export interface ArenaMatrix {
  /** First value, in float64 units from the start of the memory. */
  offset: number;
  /** Rows used. */
  rows: number;
  /** Rows allocated (rows rounded up to the kernel's block: the extra rows are zero). */
  paddedRows: number;
  /** Values per row used. */
  cols: number;
  /** Values per row allocated (cols rounded up to even; the extra value is zero). */
  stride: number;
}

/**
 * Matrices in one WebAssembly memory, allocated by bumping a pointer (`reset` frees all), and the product
 * on them. `view` is the memory as float64s: fetch it again after an `alloc` (a growing memory replaces
 * its buffer).
 */
export class MatrixArena {
  #memory: WebAssembly.Memory;
  #gemm: (...args: number[]) => void;
  #top = 0;
  #view: Float64Array;

  constructor() {
    const instance = new WebAssembly.Instance(kernelModule(), {});
    this.#memory = instance.exports.memory as WebAssembly.Memory;
    this.#gemm = instance.exports.gemm as (...args: number[]) => void;
    this.#view = new Float64Array(this.#memory.buffer);
  }

  /** The memory as float64s (valid until the next `alloc`). */
  get view(): Float64Array {
    if (this.#view.buffer !== this.#memory.buffer) this.#view = new Float64Array(this.#memory.buffer);
    return this.#view;
  }

  /** Free every matrix. */
  reset(): void {
    this.#top = 0;
  }

  /** The allocation point, to {@link release} back to (frees what was allocated since). */
  mark(): number {
    return this.#top;
  }

  /** Free every matrix allocated since `mark`. */
  release(mark: number): void {
    this.#top = mark;
  }

  /**
   * A zeroed matrix of `rows` × `cols`, rows padded to a multiple of `rowBlock` (2 for an A operand, 4 for
   * a B operand, 1 for a product).
   */
  alloc(rows: number, cols: number, rowBlock: 1 | 2 | 4): ArenaMatrix {
    const paddedRows = Math.ceil(rows / rowBlock) * rowBlock;
    const stride = cols + (cols & 1);
    const offset = this.#top + (this.#top & 1); // 16-byte aligned
    const end = offset + paddedRows * stride;
    const bytes = end * 8;
    if (bytes > this.#memory.buffer.byteLength) {
      this.#memory.grow(Math.ceil((bytes - this.#memory.buffer.byteLength) / 65536));
    }
    this.#top = end;
    this.view.fill(0, offset, end);
    return { offset, rows, paddedRows, cols, stride };
  }

  /**
   * C = A·Bᵀ (or C += A·Bᵀ with `accumulate`) over the samples: C must be A.paddedRows × B.paddedRows
   * (or wider), A and B of the same cols, A padded to rows in twos and B in fours.
   */
  gemmNT(a: ArenaMatrix, b: ArenaMatrix, c: ArenaMatrix, accumulate = false): void {
    if (a.cols !== b.cols || a.paddedRows % MR !== 0 || b.paddedRows % NR !== 0) {
      throw new RangeError(`gemmNT: shapes ${a.paddedRows}×${a.cols} · (${b.paddedRows}×${b.cols})ᵀ`);
    }
    if (c.paddedRows < a.paddedRows || c.cols < b.paddedRows) {
      throw new RangeError(`gemmNT: C is ${c.paddedRows}×${c.cols}, needs ${a.paddedRows}×${b.paddedRows}`);
    }
    const n = a.stride; // even: pairs of samples; the pad is zero in both
    const kc = n <= KC + KC / 2 ? n : KC;
    const blockRows = Math.max(NR, Math.floor(B_BLOCK_BYTES / (8 * kc) / NR) * NR);
    for (let s = 0; s < n; s += kc) {
      const len = Math.min(kc, n - s);
      for (let j = 0; j < b.paddedRows; j += blockRows) {
        const rows = Math.min(blockRows, b.paddedRows - j);
        this.#gemm(
          8 * (a.offset + s),
          8 * a.stride,
          8 * (b.offset + j * b.stride + s),
          8 * b.stride,
          8 * (c.offset + j),
          8 * c.stride,
          a.paddedRows,
          rows,
          8 * len,
          accumulate || s > 0 ? 1 : 0,
        );
      }
    }
  }
}

/**
 * The same product in plain TypeScript (the reference for the tests): C[i·p + j] = Σ_s A[i·n + s]·B[j·n + s].
 */
export function gemmNTReference(
  a: Float64Array,
  b: Float64Array,
  m: number,
  p: number,
  n: number,
): Float64Array {
  const c = new Float64Array(m * p);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < p; j++) {
      let s0 = 0;
      for (let s = 0; s < n; s++) s0 += a[i * n + s] * b[j * n + s];
      c[i * p + j] = s0;
    }
  }
  return c;
}

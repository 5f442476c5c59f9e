/**
 * Packing genotype calls (one `Int8Array` per variant: ALT allele count 0/1/2, −1 missing) into the
 * bit planes the kernels read (layout in `_ld_kernels.ts`), with the per-variant totals the statistics
 * need, and the one validation of the calls.
 *
 * @module
 */
import { ValidationError } from "../../_core/errors.ts";
import type { PackedGenotypes, VariantCalls } from "./ld_types.ts";

/** The calls of one variant argument, checked. */
export function callsOf(v: VariantCalls, param: string): { calls: Int8Array; id: string | null; multi: boolean } {
  if (v instanceof Int8Array) return { calls: v, id: null, multi: false };
  if (v === null || typeof v !== "object" || !((v as { calls?: unknown }).calls instanceof Int8Array)) {
    throw new ValidationError(
      param,
      v,
      "expected an Int8Array of calls (0/1/2 ALT alleles, −1 missing) or { calls: Int8Array, id?, multiAllelic? }",
      "read the calls with the release's genotype reader, or build an Int8Array per variant over the same rats",
    );
  }
  const o = v as { calls: Int8Array; id?: unknown; multiAllelic?: unknown };
  if (o.id !== undefined && typeof o.id !== "string") {
    throw new ValidationError(`${param}.id`, o.id, "expected a string", "give the variant ID, e.g. 'chr1:12345'");
  }
  if (o.multiAllelic !== undefined && typeof o.multiAllelic !== "boolean") {
    throw new ValidationError(`${param}.multiAllelic`, o.multiAllelic, "expected a boolean", "pass true or false");
  }
  return { calls: o.calls, id: (o.id as string | undefined) ?? null, multi: o.multiAllelic === true };
}

/** Pack checked calls. `params[i]` names variant `i` in errors. */
export function packCalls(
  variants: readonly { calls: Int8Array; id: string | null; multi: boolean }[],
  params: (i: number) => string,
): PackedGenotypes {
  const m = variants.length;
  const n = m === 0 ? 0 : variants[0].calls.length;
  const words = Math.max(1, Math.ceil(n / 64));
  const data = new Uint32Array(m * words * 6);
  const called = new Int32Array(m);
  const altAlleles = new Int32Array(m);
  const homAlt = new Int32Array(m);
  const multiAllelic = new Uint8Array(m);
  const ids: (string | null)[] = [];
  for (let v = 0; v < m; v++) {
    const { calls, id, multi } = variants[v];
    if (calls.length !== n) {
      throw new ValidationError(
        params(v),
        `${calls.length} calls`,
        `has ${calls.length} calls where ${params(0)} has ${n}: every variant needs a call (or −1) for the same rats`,
        "read every variant over the same rats, in the same order",
      );
    }
    ids.push(id);
    multiAllelic[v] = multi ? 1 : 0;
    let c = 0, s = 0, h = 0;
    const base = v * words * 6;
    for (let k0 = 0; k0 < n; k0 += 32) {
      const end = Math.min(n, k0 + 32);
      let a = 0, b = 0, mk = 0, bad = 0;
      for (let k = k0; k < end; k++) {
        const g = calls[k];
        // code = g & 3 (−1 → 3): A = 0b0110 >> code, B = 0b0100 >> code, M = 0b0111 >> code (bit 0)
        const code = g & 3, shift = k - k0;
        a |= ((6 >> code) & 1) << shift;
        b |= ((4 >> code) & 1) << shift;
        mk |= ((7 >> code) & 1) << shift;
        bad |= (g + 1) & ~3; // nonzero unless g ∈ {−1, 0, 1, 2}
      }
      if (bad !== 0) {
        const k = calls.subarray(k0, end).findIndex((g) => g < -1 || g > 2) + k0;
        throw new ValidationError(
          params(v),
          `call ${calls[k]} at rat ${k}`,
          `calls must be 0, 1 or 2 ALT alleles, or −1 for missing; rat ${k} has ${calls[k]}`,
          "code GT as the ALT allele count (0/0 → 0, 0/1 → 1, 1/1 → 2, ./. → −1); refuse multi-allelic sites upstream",
        );
      }
      // word w = k0 >> 6; its low 32 rats for k0 % 64 == 0, else its high 32
      const o = base + (k0 >> 6) * 6 + ((k0 >> 5) & 1);
      data[o] = a;
      data[o + 2] = b;
      data[o + 4] = mk;
      c += popcount32(mk);
      const pb = popcount32(b);
      s += popcount32(a) + pb;
      h += pb;
    }
    called[v] = c;
    altAlleles[v] = s;
    homAlt[v] = h;
  }
  return {
    format: "ld-bitplanes-1",
    variantCount: m,
    ratCount: n,
    words,
    data,
    called,
    altAlleles,
    homAlt,
    multiAllelic,
    ids,
  };
}

/** Population count of a 32-bit word (SWAR). */
function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

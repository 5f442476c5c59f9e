/**
 * The types of the LD kernel's input (`ld.ts`): one variant's calls, the bit-packed form, the kernel choice.
 *
 * @module
 */

/** One variant's calls: the `Int8Array` alone, or with an ID (used in reasons) and a multi-allelic flag. */
export type VariantCalls = Int8Array | {
  /** ALT allele count per rat from `GT` (0, 1, 2), −1 for a missing call; the same rats in every variant. */
  readonly calls: Int8Array;
  /** The variant's ID (`chr1:12345`), named in reasons. */
  readonly id?: string;
  /** A multi-allelic site: no statistic is given, only a reason. */
  readonly multiAllelic?: boolean;
};

/**
 * Variants packed for the LD kernels: three bit planes per variant and 64 rats per 64-bit word.
 *
 * `data` holds, for variant `v` and word `w` (rats `64w … 64w + 63`, rat `k` at bit `k mod 64`), six 32-bit
 * words from index `6 · (v · words + w)`: plane `A` (ALT dosage ≥ 1) low, high; plane `B` (dosage = 2)
 * low, high; plane `M` (called) low, high. Rats past `ratCount` are 0 in every plane. Build it with
 * `packGenotypes`; pass it to `ldMatrix` to reuse it.
 */
export interface PackedGenotypes {
  /** Marks the layout above. */
  readonly format: "ld-bitplanes-1";
  /** Number of variants. */
  readonly variantCount: number;
  /** Number of rats (the length of every call array). */
  readonly ratCount: number;
  /** 64-bit words per plane: `ceil(ratCount / 64)` (at least 1). */
  readonly words: number;
  /** The planes (see above). */
  readonly data: Uint32Array;
  /** Rats with a call, per variant. */
  readonly called: Int32Array;
  /** Σ ALT dosage over called rats, per variant. */
  readonly altAlleles: Int32Array;
  /** Rats homozygous ALT (dosage 2), per variant. */
  readonly homAlt: Int32Array;
  /** Multi-allelic flag per variant (1 = flagged). */
  readonly multiAllelic: Uint8Array;
  /** The IDs given, `null` where none. */
  readonly ids: readonly (string | null)[];
}

/** Which popcount kernel to use: `"auto"` picks WebAssembly when the runtime has it, else `"js"`. */
export type LdKernelChoice = "auto" | "wasm" | "js";

/**
 * The parameter and option types the route functions share: what a route takes (`GeneInput`,
 * `VariantParams`…) and the option shapes that select a frame or the raw JSON, with or without `onError`.
 *
 * @module
 */
import type { CallOptions } from "./client.ts";
import type { BatchOptions } from "./call.ts";

/** Parameters of routes that take gene IDs. */
export interface GeneParams {
  /** One gene ID or several (RefSeq GRCr8 symbols, e.g. `"Cd300lf"`). */
  geneId: string | readonly string[];
}

/** Gene IDs as an object, one ID, or an array of IDs. */
export type GeneInput = GeneParams | string | readonly string[];

/** Parameters of `variant`. */
export interface VariantParams {
  /** One variant ID `chrN:pos` or several. */
  variantId: string | readonly string[];
}

/** Parameters of `tissueInfo`: none (pass `{}` or leave it out). */
export type TissueInfoParams = Record<string, never>;

/** `{ raw: true }`: the parsed JSON instead of a frame. */
export type RawOptions = CallOptions & { raw: true };
/** Options that return a frame. */
export type FrameOptions = CallOptions & { raw?: false };
/** `{ raw: true }` for a batch route (one that takes several IDs): with `onError`. */
export type BatchRawOptions = RawOptions & BatchOptions;
/** Options that return a frame, for a batch route: with `onError` (see {@link BatchOptions}). */
export type BatchFrameOptions = FrameOptions & BatchOptions;

/**
 * RatGTEx releases (`data/v4`, a local folder or a URL): genome-scale queries over a release
 * (`openRelease`), the one layout that names a release's files (`ReleaseLayout`, `FILE_KINDS`) and the caps
 * every file is read under (`ReadLimits`). Every reader of the library reads a release through this room:
 * a folder is a boundary (nothing outside it is read), a remote release is downloaded into a verified cache,
 * and each file is checked against what the RatGTEx pipeline writes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BUNDLED_RELEASE, openRelease } from "ratgtex/release";
 * const rel = await openRelease(BUNDLED_RELEASE);
 * assert.ok((await rel.genes()).getColumn("hasEqtl").toArray().some((x) => x === true));
 * ```
 *
 * @module
 */
export { BUNDLED_RELEASE, RELEASE_VERSION } from "./folder.ts";
export { BUNDLED_PERMUTATIONS, DEFAULT_PERMUTATION_SEED } from "./permutation_options.ts";
export {
  type EqtlPair,
  type EqtlStatisticsOptions,
  openRelease,
  parseRegion,
  type PermutationStatisticsOptions,
  PIPELINE_METHOD,
  type PredictionQuery,
  type Region,
  type RegionOptions,
  type RegionResult,
  Release,
  type ReleaseOptions,
} from "./release.ts";
export { DEFAULT_RELEASE_TIMEOUT_MS, type DownloadProgress } from "./remote.ts";
export { DEFAULT_READ_LIMITS, type ReadLimits } from "./source.ts";
export {
  type ColumnType,
  type ExpressionScale,
  FILE_KINDS,
  type FileFormat,
  type FileKind,
  type FileKindName,
  type Normalisation,
  type ParsedPath,
  type PathParam,
  type ReleaseIds,
  ReleaseLayout,
  type TableSpec,
} from "./layout.ts";
export type { GenomicInterval, Genotypes, GenotypeVariant } from "./vcf.ts";
export type { CisInputs } from "./cis_inputs.ts";

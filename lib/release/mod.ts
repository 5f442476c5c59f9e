/**
 * RatGTEx release folders: the readers of `data/v4` (the files the API server reads), genome-scale
 * queries over a release, and the writers the fixture generator uses.
 *
 * @module
 */
export { BUNDLED_RELEASE, ExpressionMatrix, RELEASE_VERSION, ReleaseFolder } from "./folder.ts";
export {
  type EqtlPair,
  parseRegion,
  PIPELINE_METHOD,
  type Region,
  type RegionResult,
  Release,
  release,
  type ReleaseOptions,
} from "./release.ts";
export type { DownloadProgress } from "./_remote.ts";

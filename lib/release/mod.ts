/**
 * RatGTEx release folders: the readers of `data/v4` (the files the API server reads), genome-scale
 * queries over a release, and the writers the fixture generator uses.
 *
 * @module
 */
export { BUNDLED_RELEASE, RELEASE_VERSION } from "./folder.ts";
export {
  type EqtlPair,
  openRelease,
  parseRegion,
  PIPELINE_METHOD,
  type Region,
  type RegionResult,
  Release,
  type ReleaseOptions,
} from "./release.ts";
export type { DownloadProgress } from "./_remote.ts";

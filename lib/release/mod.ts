/**
 * RatGTEx releases (`data/v4`, a local folder or a URL): genome-scale queries over a release (`release`),
 * and the readers every part of the library reads a release through — the one layout that names its
 * files, the byte source (a folder as a boundary, a remote release with a verified cache), and one reader
 * per format (text with gzip/BGZF, TSV checked against declared columns, BED, the tabix VCF's genotypes,
 * zip members), each capped by {@link ReadLimits}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BUNDLED_RELEASE, release } from "ratgtex/release";
 * const rel = await release(BUNDLED_RELEASE);
 * assert.ok((await rel.genes()).getColumn("hasEqtl").toArray().some((x) => x === true));
 * ```
 *
 * @module
 */
export { BUNDLED_RELEASE, ReleaseFolder, type ReleaseFolderOptions } from "./folder.ts";
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
export {
  type ColumnType,
  type ExpressionScale,
  FILE_KINDS,
  type FileFormat,
  type FileKind,
  type FileKindName,
  GENOME_BUILD,
  MEMBER_TABLES,
  MODALITIES,
  type Normalisation,
  type ParsedPath,
  type PathParam,
  PREDICTION_ROUND,
  RELEASE_VERSION,
  type ReleaseIds,
  ReleaseLayout,
  type TableSpec,
  tableSpec,
} from "./layout.ts";
export {
  type ByteSource,
  DEFAULT_READ_LIMITS,
  FolderSource,
  memoryBytes,
  type ReadLimits,
  readLimits,
  type ReleaseSource,
} from "./source.ts";
export { DEFAULT_RELEASE_TIMEOUT_MS, type DownloadProgress, type RemoteOptions, RemoteSource } from "./remote.ts";
export { decompressedChunks, type LineBatch, readBytes, textLines } from "./text.ts";
export { readFrame, readTable, scanTsv, type TsvHeader } from "./tsv.ts";
export {
  type Dtype,
  floatTokenRepr,
  inferDtype,
  NA_TOKENS,
  pandasFloat,
  parsePyFloat,
  PyFloat,
  type PyValue,
  Table,
} from "./table.ts";
export { PhenotypeBed } from "./bed.ts";
export {
  altDosage,
  checkTabixIndex,
  type GenomicInterval,
  genotypeOf,
  type Genotypes,
  type GenotypeVariant,
  type Gt,
  parseVcfRecord,
  type RecordPlace,
  VcfFile,
  type VcfRecord,
} from "./vcf.ts";
export { ZipArchive } from "./zip.ts";
export { ReleaseFormatError, ReleaseTooLargeError } from "../_core/errors.ts";

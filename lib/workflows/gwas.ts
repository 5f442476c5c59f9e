/**
 * GWAS summary statistics in, checked: readers of what heterogeneous-stock rat GWAS produce (GCTA `--mlma`,
 * plink2 `--glm`, GEMMA `-lmm`, REGENIE step 2, any table with a column mapping) into one frame with the
 * library's columns, and the match of its variants to a release's (position and alleles), with every
 * dropped row counted by reason and a low match rate explained.
 *
 * The formats, as each tool writes them (read from the tools' own writers and manuals):
 *
 * - GCTA `--mlma` / `--mlma-loco` (`.mlma`; GCTA's `gcta::mlma` writer): tab-separated
 *   `Chr SNP bp A1 A2 Freq b se p`; A1 is the coded effect allele, Freq its frequency; a failed test is
 *   written `NA NA NA NA`. Chromosomes are numbers (X = autosomes + 1 with `--autosome-num`).
 * - plink2 `--glm` (`.glm.linear`, `.glm.logistic`, `.glm.logistic.hybrid`; cog-genomics.org/plink/2.0/formats
 *   #glm_linear): tab-separated, header `#CHROM POS ID REF ALT … A1 … TEST OBS_CT BETA|OR SE|LOG(OR)_SE … P`;
 *   A1 is the tested (effect) allele, `OMITTED` (when present) the other; one row per TEST (ADD, then
 *   covariates unless `hide-covar`); `NA` for a missing value; an odds ratio is turned into its log.
 * - GEMMA `-lmm 1…4` (`.assoc.txt`; GEMMA's `LMM::WriteFiles`): tab-separated
 *   `chr rs ps n_miss allele1 allele0 af beta se logl_H1 l_remle p_wald` (`-lmm 2` has no beta/se and
 *   `p_lrt`, `-lmm 3` `p_score`, `-lmm 4` all three); allele1 is the effect allele, af its frequency; no N.
 * - REGENIE step 2 (`.regenie`; rgcgithub.github.io/regenie/options/#output): space-separated
 *   `CHROM GENPOS ID ALLELE0 ALLELE1 A1FREQ INFO N TEST BETA SE CHISQ LOG10P EXTRA`; ALLELE1 is the effect
 *   allele; p = 10^−LOG10P; `NA` for a missing value; `##` lines before the header.
 *
 * @module
 */
import pl from "nodejs-polars";
import { Buffer } from "node:buffer";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { ValidationError } from "../_core/errors.ts";
import { checkOptions } from "../_core/options.ts";

/** The formats {@link readGwas} knows; `"table"` is any TSV/CSV read through a {@link GwasColumnMapping}. */
export type GwasFormat = "mlma" | "plink2" | "gemma" | "regenie" | "table";

/** The formats, for menus and checks. */
export const GWAS_FORMATS: readonly GwasFormat[] = ["mlma", "plink2", "gemma", "regenie", "table"];

/** The columns of every frame {@link readGwas} returns, in order. */
export const GWAS_COLUMNS = [
  "chromosome",
  "pos",
  "variantId",
  "effectAllele",
  "otherAllele",
  "beta",
  "se",
  "pValue",
  "af",
  "n",
] as const;

/**
 * Which column of a table holds what (format `"table"`). Give `chromosome`, `pos`, `effectAllele`,
 * `otherAllele`, and `pValue` (or `minusLog10P`) and/or `beta` (or `oddsRatio`) with `se`.
 */
export interface GwasColumnMapping {
  /** Chromosome (`1`, `chr1`, `X`…). */
  chromosome: string;
  /** Base-pair position. */
  pos: string;
  /** The allele the effect is for. */
  effectAllele: string;
  /** The other allele. */
  otherAllele: string;
  /** Effect (per copy of the effect allele); log odds ratio for case-control. */
  beta?: string;
  /** Odds ratio (turned into its log as `beta`). */
  oddsRatio?: string;
  /** Standard error of `beta` (of the log odds ratio). */
  se?: string;
  /** p-value. */
  pValue?: string;
  /** −log10 p (when there is no p-value column). */
  minusLog10P?: string;
  /** Frequency of the effect allele. */
  af?: string;
  /** Sample size. */
  n?: string;
}

/** Options of {@link readGwas} and {@link parseGwas}. */
export interface ReadGwasOptions {
  /** The format (default: recognised from the header; `"table"` when `columns` is given). */
  format?: GwasFormat;
  /** Column mapping for `"table"` (implies it). */
  columns?: GwasColumnMapping;
  /** Field separator of a `"table"` (default: tab if the header has one, else comma, else whitespace). */
  separator?: "\t" | "," | "whitespace";
  /** Sample size for every variant, when the file has no N column (GCTA, GEMMA). */
  n?: number;
  /** Which TEST rows to keep in plink2/REGENIE files (default `"ADD"`, the additive effect). */
  test?: string;
  /** Number of autosomes, for numeric chromosome codes above it (default 20, the rat: 21 = X, 22 = Y, 24 = MT). */
  autosomes?: number;
  /** The file's name in messages (parseGwas; readGwas uses the path). */
  name?: string;
}

/** Why a row was dropped. */
export type GwasDropReason =
  | "invalidChromosome"
  | "invalidPosition"
  | "invalidAllele"
  | "missingValue"
  | "nonFinite"
  | "unparseable"
  | "nonPositiveSe"
  | "invalidOddsRatio"
  | "pValueOutOfRange"
  | "duplicate";

const DROP_REASONS: readonly GwasDropReason[] = [
  "invalidChromosome",
  "invalidPosition",
  "invalidAllele",
  "missingValue",
  "nonFinite",
  "unparseable",
  "nonPositiveSe",
  "invalidOddsRatio",
  "pValueOutOfRange",
  "duplicate",
];

/** What {@link readGwas} did with a file: every row accounted for. */
export interface GwasReadReport {
  /** The file (path or name). */
  file: string;
  /** The format read. */
  format: GwasFormat;
  /** The columns the file has, as written. */
  columnsFound: string[];
  /** For each standard column, the file's column it came from (`null`: absent, filled with null). */
  columnsUsed: Record<(typeof GWAS_COLUMNS)[number], string | null>;
  /** Data rows in the file. */
  rowsRead: number;
  /** Rows of another TEST than the one kept (plink2/REGENIE covariate or dominance rows; not variants lost). */
  rowsOtherTest: number;
  /** Rows in the returned frame. */
  rowsKept: number;
  /** Dropped rows, by reason (rowsRead = rowsOtherTest + rowsKept + the sum of these). */
  dropped: Record<GwasDropReason, number>;
  /** Up to three dropped rows per reason, as `line N: …`. */
  examples: Partial<Record<GwasDropReason, string[]>>;
  /** Chromosome names as written → as returned, for those renamed. */
  chromosomesRenamed: Record<string, string>;
  /** Chromosome names kept as written because they are not 1…n, X, Y, M/MT (contigs). */
  otherChromosomes: string[];
  /** Positions with more than one pair of alleles (multi-allelic sites, kept). */
  multiAllelicPositions: number;
  /** Kept rows whose allele frequency was missing or outside [0, 1] (af set to null). */
  afMissing: number;
  /** Kept rows whose p-value is 0 (underflow: only beta/se carry the evidence). */
  pValueZero: number;
  /** What to know about the file, in words (empty when nothing). */
  warnings: string[];
}

/** A read GWAS: the frame and its report. */
export interface GwasReadResult {
  /**
   * One row per variant: `chromosome` (str, `chr1` form), `pos` (i64), `variantId` (str, `chrN:pos`),
   * `effectAllele`, `otherAllele` (str, upper case), `beta`, `se`, `pValue`, `af` (frequency of the effect
   * allele), `n` (f64; null where the file has none).
   */
  frame: pl.DataFrame;
  /** What was read, kept, renamed and dropped. */
  report: GwasReadReport;
}

/** Where each standard column comes from in one format: the first name present wins. */
interface FormatSpec {
  label: string;
  doc: string;
  separator: "\t" | "whitespace";
  chromosome: string[];
  pos: string[];
  effectAllele: string[];
  otherAllele: string[];
  ref?: string[];
  alt?: string[];
  beta: string[];
  oddsRatio: string[];
  se: string[];
  pValue: string[];
  minusLog10P: string[];
  af: string[];
  n: string[];
  test: string[];
  /** Groups of which one name must be present: what the tool always writes. */
  required: string[][];
}

const SPECS: Record<Exclude<GwasFormat, "table">, FormatSpec> = {
  mlma: {
    label: "GCTA --mlma",
    doc: "GCTA --mlma writes Chr SNP bp A1 A2 Freq b se p (tab-separated)",
    separator: "\t",
    chromosome: ["Chr"],
    pos: ["bp"],
    effectAllele: ["A1"],
    otherAllele: ["A2"],
    beta: ["b"],
    oddsRatio: [],
    se: ["se"],
    pValue: ["p"],
    minusLog10P: [],
    af: ["Freq"],
    n: [],
    test: [],
    required: [["Chr"], ["bp"], ["A1"], ["A2"], ["b"], ["se"], ["p"]],
  },
  plink2: {
    label: "plink2 --glm",
    doc: "plink2 --glm writes #CHROM POS ID REF ALT … A1 … TEST OBS_CT BETA (or OR) SE (or LOG(OR)_SE) … P",
    separator: "\t",
    chromosome: ["#CHROM", "CHROM"],
    pos: ["POS"],
    effectAllele: ["A1"],
    otherAllele: ["OMITTED"],
    ref: ["REF"],
    alt: ["ALT", "ALT1"],
    beta: ["BETA"],
    oddsRatio: ["OR"],
    se: ["SE", "LOG(OR)_SE"],
    pValue: ["P"],
    minusLog10P: ["LOG10_P", "NEG_LOG10_P"],
    af: ["A1_FREQ"],
    n: ["OBS_CT"],
    test: ["TEST"],
    required: [["#CHROM", "CHROM"], ["POS"], ["A1"], ["BETA", "OR"], ["SE", "LOG(OR)_SE"], [
      "P",
      "LOG10_P",
      "NEG_LOG10_P",
    ]],
  },
  gemma: {
    label: "GEMMA -lmm",
    doc: "GEMMA writes chr rs ps n_miss allele1 allele0 af beta se … p_wald (or p_lrt / p_score)",
    separator: "\t",
    chromosome: ["chr"],
    pos: ["ps"],
    effectAllele: ["allele1"],
    otherAllele: ["allele0"],
    beta: ["beta"],
    oddsRatio: [],
    se: ["se"],
    pValue: ["p_wald", "p_lrt", "p_score"],
    minusLog10P: [],
    af: ["af"],
    n: [],
    test: [],
    required: [["chr"], ["ps"], ["allele1"], ["allele0"], ["p_wald", "p_lrt", "p_score"]],
  },
  regenie: {
    label: "REGENIE step 2",
    doc: "REGENIE writes CHROM GENPOS ID ALLELE0 ALLELE1 A1FREQ INFO N TEST BETA SE CHISQ LOG10P EXTRA",
    separator: "whitespace",
    chromosome: ["CHROM"],
    pos: ["GENPOS"],
    effectAllele: ["ALLELE1"],
    otherAllele: ["ALLELE0"],
    beta: ["BETA"],
    oddsRatio: [],
    se: ["SE"],
    pValue: [],
    minusLog10P: ["LOG10P"],
    af: ["A1FREQ"],
    n: ["N"],
    test: ["TEST"],
    required: [["CHROM"], ["GENPOS"], ["ALLELE0"], ["ALLELE1"], ["BETA"], ["SE"], ["LOG10P"]],
  },
};

const READ_USAGE =
  'readGwas(path, { format: "mlma" | "plink2" | "gemma" | "regenie" | "table", columns, separator, n, test, autosomes })';

/**
 * Read a GWAS summary-statistics file (plain or gzip) into the library's columns, checked: see
 * {@link parseGwas} for what is checked and how.
 *
 * @param path The file (`.mlma`, `.glm.linear`, `.glm.logistic`, `.assoc.txt`, `.regenie`, or a table; `.gz` allowed).
 * @param options Format, column mapping, sample size, TEST, number of autosomes.
 * @returns The frame and the report of what was kept, renamed and dropped.
 * @throws {ValidationError} When the file is empty or unreadable, a column is missing (named, with the columns
 *   found), or an option is wrong.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readGwas } from "ratgtex";
 * const path = await Deno.makeTempFile({ suffix: ".mlma" });
 * await Deno.writeTextFile(path, "Chr\tSNP\tbp\tA1\tA2\tFreq\tb\tse\tp\n1\tchr1:1000\t1000\tA\tG\t0.3\t0.2\t0.05\t6e-5\n");
 * const { frame, report } = await readGwas(path);
 * assert.equal(report.format, "mlma");
 * assert.deepEqual(frame.getColumn("variantId").toArray(), ["chr1:1000"]);
 * await Deno.remove(path);
 * ```
 */
export async function readGwas(path: string, options?: ReadGwasOptions): Promise<GwasReadResult> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    throw new ValidationError("file", path, `cannot be read (${e instanceof Error ? e.message : e})`, "check the path");
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new ValidationError(
        "file",
        path,
        `is gzip but does not inflate (${e instanceof Error ? e.message : e})`,
        "the file is damaged or truncated: copy it again",
      );
    }
  }
  return parseGwas(new TextDecoder().decode(bytes), { ...options, name: options?.name ?? path });
}

/**
 * Parse GWAS summary statistics from text into the library's columns, checked: the format is recognised from
 * the header (or given); a missing column is a {@link ValidationError} naming it, the format and the columns
 * found; chromosomes become `chr1` … `chr20`, `chrX`, `chrY`, `chrM` (from `1`, `chr1`, `X`, `MT`, or numeric
 * codes above `autosomes`: 21 = X, 22 = Y, 23 = XY, 24 = MT as plink's `--chr-set`); alleles are upper-cased;
 * an odds ratio becomes its log, a −log10 p a p-value; plink2/REGENIE rows of another TEST than `test` are set
 * aside. Rows are dropped, and COUNTED by reason in the report, when the chromosome, position or alleles are
 * unusable, a statistic is empty/NA, NaN/Inf or not a number, SE ≤ 0, an odds ratio ≤ 0 or p outside [0, 1];
 * repeated variants (same position and allele pair) keep their first row and count as `duplicate`.
 *
 * @param text The file's text.
 * @param options As {@link readGwas}; `name` names the file in messages.
 * @returns The frame and the report.
 * @throws {ValidationError} As {@link readGwas}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseGwas } from "ratgtex";
 * const text = "CHROM GENPOS ID ALLELE0 ALLELE1 A1FREQ INFO N TEST BETA SE CHISQ LOG10P EXTRA\n" +
 *   "1 1000 chr1:1000 G A 0.3 1 800 ADD 0.2 0.05 16 4.2 NA\n" +
 *   "1 2000 chr1:2000 C T 0.4 1 800 ADD NA NA NA NA TEST_FAIL\n";
 * const { frame, report } = parseGwas(text);
 * assert.equal(report.format, "regenie");
 * assert.equal(frame.height, 1);
 * assert.equal(report.dropped.missingValue, 1); // counted, never silent
 * assert.ok(Math.abs(frame.getColumn("pValue").get(0) - 10 ** -4.2) < 1e-18);
 * ```
 */
export function parseGwas(text: string, options?: ReadGwasOptions): GwasReadResult {
  const opts = checkOptions<ReadGwasOptions>(options, {
    format: { is: (x) => GWAS_FORMATS.includes(x as GwasFormat), expected: `one of ${GWAS_FORMATS.join(", ")}` },
    columns: "object",
    separator: { is: (x) => x === "\t" || x === "," || x === "whitespace", expected: '"\\t", "," or "whitespace"' },
    n: "number",
    test: "string",
    autosomes: "number",
    name: "string",
  }, { usage: READ_USAGE });
  const file = opts.name ?? "(text)";
  if (opts.n !== undefined && !(Number.isFinite(opts.n) && opts.n > 0)) {
    throw new ValidationError("n", opts.n, "the sample size must be a finite number > 0", "pass e.g. { n: 2000 }");
  }
  const autosomes = opts.autosomes ?? 20;
  if (!(Number.isInteger(autosomes) && autosomes > 0)) {
    throw new ValidationError("autosomes", autosomes, "must be a positive integer", "pass 20 for rat, 22 for human");
  }
  const test = opts.test ?? "ADD";

  // Lines: CRLF to LF, a BOM away, `##` meta lines (REGENIE) before the header skipped.
  let body = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let skippedLines = 0;
  while (body.startsWith("##")) {
    const nl = body.indexOf("\n");
    body = nl < 0 ? "" : body.slice(nl + 1);
    skippedLines++;
  }
  if (body.trim() === "") {
    throw new ValidationError(
      "file",
      file,
      "is empty: no header line, no variants",
      "check the GWAS run finished and wrote its results (an empty file is a failed or interrupted run)",
    );
  }
  const headerLine = body.slice(0, (body.indexOf("\n") + 1 || body.length + 1) - 1);
  const format: GwasFormat = opts.columns ? "table" : opts.format ?? detectFormat(headerLine, file);
  if (format === "table" && !opts.columns) {
    throw new ValidationError(
      "columns",
      undefined,
      'format "table" needs a column mapping',
      "pass columns: { chromosome, pos, effectAllele, otherAllele, beta, se, pValue, af, n } (names in the file)",
    );
  }
  const separator = format === "table"
    ? opts.separator ?? (headerLine.includes("\t") ? "\t" : headerLine.includes(",") ? "," : "whitespace")
    : headerLine.includes("\t")
    ? "\t"
    : SPECS[format].separator;
  if (separator === "whitespace") {
    body = body.replace(/^[ \t]+/gm, "").replace(/[ \t]+$/gm, "").replace(/[ \t]+/g, "\t");
  }

  let raw: pl.DataFrame;
  try {
    // From bytes: polars reads a Buffer faster than a string.
    raw = pl.readCSV(Buffer.from(body, "utf-8"), {
      sep: separator === "," ? "," : "\t",
      hasHeader: true,
      inferSchemaLength: 0,
      quoteChar: separator === "," ? '"' : undefined,
    });
  } catch (e) {
    throw new ValidationError(
      "file",
      file,
      `is not a ${separator === "," ? "comma" : "tab/space"}-separated table (${
        e instanceof Error ? e.message.split("\n")[0] : e
      })`,
      "check every line has as many fields as the header",
    );
  }
  const columnsFound = raw.columns;
  const spec = format === "table" ? tableSpec(opts.columns!, columnsFound, file) : SPECS[format];
  for (const group of spec.required) {
    if (!group.some((c) => columnsFound.includes(c))) {
      const near = columnsFound.find((c) => group.some((g) => g.toLowerCase() === c.toLowerCase()));
      throw new ValidationError(
        "file",
        file,
        `missing column ${group.map((g) => JSON.stringify(g)).join(" or ")} for ${spec.label}; columns found: ${
          columnsFound.join(", ")
        }${near ? ` (${JSON.stringify(near)} differs only in case)` : ""}`,
        `${spec.doc}; if this file is another format, pass { format } or a column mapping { columns }`,
      );
    }
  }
  const pick = (names: string[] | undefined): string | null => names?.find((c) => columnsFound.includes(c)) ?? null;
  const src = {
    chromosome: pick(spec.chromosome)!,
    pos: pick(spec.pos)!,
    effectAllele: pick(spec.effectAllele)!,
    otherAllele: pick(spec.otherAllele),
    ref: pick(spec.ref),
    alt: pick(spec.alt),
    beta: pick(spec.beta),
    oddsRatio: pick(spec.beta) ? null : pick(spec.oddsRatio),
    se: pick(spec.se),
    pValue: pick(spec.pValue),
    minusLog10P: pick(spec.pValue) ? null : pick(spec.minusLog10P),
    af: pick(spec.af),
    n: pick(spec.n),
    test: pick(spec.test),
  };
  if (!src.otherAllele && !(src.ref && src.alt)) {
    throw new ValidationError(
      "file",
      file,
      `missing the other allele: no OMITTED, or REF and ALT, column; columns found: ${columnsFound.join(", ")}`,
      spec.doc,
    );
  }
  if ((src.beta || src.oddsRatio) && !src.se) {
    throw new ValidationError(
      "file",
      file,
      `has an effect but no standard error column; columns found: ${columnsFound.join(", ")}`,
      spec.doc,
    );
  }
  if (!src.pValue && !src.minusLog10P && !(src.beta || src.oddsRatio)) {
    throw new ValidationError(
      "file",
      file,
      `has neither p-values nor effects; columns found: ${columnsFound.join(", ")}`,
      spec.doc,
    );
  }

  const firstDataLine = skippedLines + 2;
  const rowsRead = raw.height;
  let df = raw.withRowIndex("__row");
  let rowsOtherTest = 0;
  if (src.test) {
    const kept = df.filter(pl.col(src.test).eq(pl.lit(test)));
    rowsOtherTest = df.height - kept.height;
    df = kept;
  }

  // Chromosomes: the distinct names, normalised in JS (few), mapped back in one pass.
  const distinct = (df.getColumn(src.chromosome).unique().toArray() as (string | null)[])
    .filter((c): c is string => c !== null);
  const chromosomesRenamed: Record<string, string> = {};
  const otherChromosomes: string[] = [];
  const mapped = distinct.map((c) => {
    const norm = normalizeChromosome(c, autosomes);
    if (norm === null) return "";
    if (norm.recognised && norm.name !== c) chromosomesRenamed[c] = norm.name;
    if (!norm.recognised) otherChromosomes.push(c);
    return norm.name;
  });

  const upper = (name: string) => pl.col(name).str.strip().str.toUpperCase();
  const otherAllele = src.otherAllele
    ? upper(src.otherAllele)
    : pl.when(upper(src.effectAllele).eq(upper(src.ref!))).then(upper(src.alt!)).otherwise(upper(src.ref!));
  const statCols = [src.beta, src.oddsRatio, src.se, src.pValue, src.minusLog10P].filter((c): c is string => !!c);
  const value = (name: string) => pl.col(name).str.strip().cast(pl.Float64, false);
  const MISSING = ["", "NA", "na", "N/A", "n/a", ".", "NULL", "null", "None"];

  df = df.select(
    pl.col("__row"),
    pl.col(src.chromosome).replaceStrict(distinct, mapped, "", pl.Utf8).alias("chromosome"),
    pl.col(src.pos).str.strip().cast(pl.Int64, false).alias("pos"),
    upper(src.effectAllele).alias("effectAllele"),
    otherAllele.alias("otherAllele"),
    ...statCols.map((c) => pl.col(c).str.strip().alias(`__s_${c}`)),
    src.af ? value(src.af).alias("__af") : pl.lit(null).cast(pl.Float64).alias("__af"),
    src.n ? value(src.n).alias("__n") : pl.lit(opts.n ?? null).cast(pl.Float64).alias("__n"),
  );
  // Each statistic once: missing (empty/NA/.) and its value (null when not a number; NaN, ±Inf as read).
  df = df.withColumns(
    ...statCols.flatMap((c) => [
      pl.col(`__s_${c}`).isNull().or(pl.col(`__s_${c}`).isIn(MISSING)).alias(`__m_${c}`),
      pl.col(`__s_${c}`).cast(pl.Float64, false).alias(`__v_${c}`),
    ]),
  ).drop(statCols.map((c) => `__s_${c}`));

  // The first reason each row fails, in this order (null: kept).
  const alleleOk = (c: string) => pl.col(c).str.contains("^[ACGT]+$").fillNull(false);
  let reason = pl.when(pl.col("chromosome").isNull().or(pl.col("chromosome").eq(pl.lit(""))))
    .then(pl.lit("invalidChromosome"))
    .when(pl.col("pos").isNull().or(pl.col("pos").ltEq(0))).then(pl.lit("invalidPosition"))
    .when(
      alleleOk("effectAllele").not().or(alleleOk("otherAllele").not()).or(
        pl.col("effectAllele").eq(pl.col("otherAllele")),
      ),
    ).then(pl.lit("invalidAllele"));
  const v = (c: string) => pl.col(`__v_${c}`);
  for (const c of statCols) reason = reason.when(pl.col(`__m_${c}`)).then(pl.lit("missingValue"));
  // "nan", "-nan", "inf", "Infinity" all read as NaN/±Inf (Rust's float parser).
  for (const c of statCols) reason = reason.when(v(c).isNan().or(v(c).isInfinite())).then(pl.lit("nonFinite"));
  for (const c of statCols) reason = reason.when(v(c).isNull()).then(pl.lit("unparseable"));
  if (src.se) reason = reason.when(v(src.se).ltEq(0)).then(pl.lit("nonPositiveSe"));
  if (src.oddsRatio) reason = reason.when(v(src.oddsRatio).ltEq(0)).then(pl.lit("invalidOddsRatio"));
  if (src.pValue) reason = reason.when(v(src.pValue).lt(0).or(v(src.pValue).gt(1))).then(pl.lit("pValueOutOfRange"));
  if (src.minusLog10P) reason = reason.when(v(src.minusLog10P).lt(0)).then(pl.lit("pValueOutOfRange"));
  df = df.withColumns(reason.otherwise(pl.lit(null).cast(pl.Utf8)).alias("__reason"));

  const dropped = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<GwasDropReason, number>;
  const examples: Partial<Record<GwasDropReason, string[]>> = {};
  const bad = df.filter(pl.col("__reason").isNotNull());
  if (bad.height > 0) {
    const counts = bad.getColumn("__reason").valueCounts();
    const names = counts.getColumn("__reason").toArray() as GwasDropReason[];
    const ns = counts.getColumn("count").toArray() as number[];
    names.forEach((r, k) => dropped[r] = ns[k]);
    for (const r of names) {
      const rows = bad.filter(pl.col("__reason").eq(pl.lit(r))).head(3);
      examples[r] = rows.getColumn("__row").toArray().map((i) => `line ${Number(i) + firstDataLine}`);
    }
  }

  const num = (c: string | null) => c ? pl.col(`__v_${c}`) : pl.lit(null).cast(pl.Float64);
  const beta = src.beta ? num(src.beta) : src.oddsRatio ? num(src.oddsRatio).log() : pl.lit(null).cast(pl.Float64);
  const pValue = src.pValue
    ? num(src.pValue)
    : src.minusLog10P
    ? num(src.minusLog10P).mul(pl.lit(-Math.LN10)).exp()
    : pl.lit(null).cast(pl.Float64);
  let kept = df.filter(pl.col("__reason").isNull()).select(
    pl.col("__row"),
    pl.col("chromosome"),
    pl.col("pos"),
    pl.concatString([pl.col("chromosome"), pl.col("pos").cast(pl.Utf8)], ":").alias("variantId"),
    pl.col("effectAllele"),
    pl.col("otherAllele"),
    beta.alias("beta"),
    num(src.se).alias("se"),
    pValue.alias("pValue"),
    pl.when(pl.col("__af").gtEq(0).and(pl.col("__af").ltEq(1))).then(pl.col("__af")).otherwise(
      pl.lit(null).cast(pl.Float64),
    ).alias("af"),
    pl.when(pl.col("__n").gt(0).and(pl.col("__n").isFinite())).then(pl.col("__n")).otherwise(
      pl.lit(null).cast(pl.Float64),
    ).alias("n"),
  );
  // The same variant whichever allele is the effect one: (chromosome, pos, smaller allele, larger allele).
  const smaller = pl.col("effectAllele").lt(pl.col("otherAllele"));
  const key = pl.struct([
    pl.col("chromosome"),
    pl.col("pos"),
    pl.when(smaller).then(pl.col("effectAllele")).otherwise(pl.col("otherAllele")).alias("__a1"),
    pl.when(smaller).then(pl.col("otherAllele")).otherwise(pl.col("effectAllele")).alias("__a2"),
  ]);
  kept = kept.withColumns(key.isFirstDistinct().alias("__first"));
  const dups = kept.filter(pl.col("__first").not());
  if (dups.height > 0) {
    dropped.duplicate = dups.height;
    examples.duplicate = dups.head(3).rows().map((r) =>
      `line ${Number(r[0]) + firstDataLine}: ${r[3]} ${r[4]}/${r[5]} repeated`
    );
    kept = kept.filter(pl.col("__first"));
  }
  const position = pl.struct([pl.col("chromosome"), pl.col("pos")]);
  const multiAllelicPositions = Number(
    kept.filter(position.isDuplicated()).select(position.nUnique().alias("n")).getColumn("n").get(0) ?? 0,
  );
  const afMissing = src.af ? kept.getColumn("af").nullCount() : 0;
  const pValueZero = kept.filter(pl.col("pValue").eq(0)).height;
  const frame = kept.select(...GWAS_COLUMNS.map((c) => pl.col(c)));

  const totalDropped = DROP_REASONS.reduce((s, r) => s + dropped[r], 0);
  const warnings: string[] = [];
  if (totalDropped > 0) {
    warnings.push(
      `${totalDropped} of ${rowsRead} rows dropped: ${
        DROP_REASONS.filter((r) => dropped[r] > 0).map((r) => `${dropped[r]} ${r}`).join(", ")
      } (see report.dropped and report.examples)`,
    );
  }
  if (rowsOtherTest > 0) warnings.push(`${rowsOtherTest} rows of TEST other than ${test} set aside (covariates…)`);
  if (frame.height === 0) warnings.push(`no usable variant in ${file}`);
  if (!body.endsWith("\n")) {
    warnings.push("the last line has no newline: the file may be truncated (an interrupted run or copy)");
  }
  if (otherChromosomes.length > 0) {
    warnings.push(`chromosome names kept as written (not 1–${autosomes}, X, Y, M): ${otherChromosomes.join(", ")}`);
  }
  if (pValueZero > 0) warnings.push(`${pValueZero} p-values are 0 (underflow): use beta and se for them`);
  if (!src.n && opts.n === undefined) warnings.push("the file has no sample size: pass { n } if coloc needs it");
  return {
    frame,
    report: {
      file,
      format,
      columnsFound,
      columnsUsed: {
        chromosome: src.chromosome,
        pos: src.pos,
        variantId: null,
        effectAllele: src.effectAllele,
        otherAllele: src.otherAllele ?? `${src.ref}/${src.alt}`,
        beta: src.beta ?? (src.oddsRatio ? `log(${src.oddsRatio})` : null),
        se: src.se,
        pValue: src.pValue ?? (src.minusLog10P ? `10^-${src.minusLog10P}` : null),
        af: src.af,
        n: src.n ?? (opts.n !== undefined ? "options.n" : null),
      },
      rowsRead,
      rowsOtherTest,
      rowsKept: frame.height,
      dropped,
      examples,
      chromosomesRenamed,
      otherChromosomes,
      multiAllelicPositions,
      afMissing,
      pValueZero,
      warnings,
    },
  };
}

/** The format whose header this is, or a ValidationError listing the columns and what each format has. */
function detectFormat(headerLine: string, file: string): GwasFormat {
  const cols = headerLine.split(/[\t ,]+/).filter(Boolean);
  const has = (...names: string[]) => names.every((n) => cols.includes(n));
  if (has("Chr", "SNP", "bp", "A1", "A2")) return "mlma";
  if ((has("#CHROM") || has("CHROM", "POS")) && has("A1")) return "plink2";
  if (has("chr", "rs", "ps", "allele1", "allele0")) return "gemma";
  if (has("CHROM", "GENPOS", "ALLELE0", "ALLELE1")) return "regenie";
  throw new ValidationError(
    "file",
    file,
    `is not a format recognised from its header; columns found: ${cols.join(", ")}`,
    `${
      Object.values(SPECS).map((s) => s.doc).join("; ")
    }. For another layout pass { columns: { chromosome, pos, effectAllele, otherAllele, beta, se, pValue } }`,
  );
}

/** The spec of a mapped table, its names checked against the file's. */
function tableSpec(mapping: GwasColumnMapping, found: string[], file: string): FormatSpec {
  const KEYS = [
    "chromosome",
    "pos",
    "effectAllele",
    "otherAllele",
    "beta",
    "oddsRatio",
    "se",
    "pValue",
    "minusLog10P",
    "af",
    "n",
  ] as const;
  checkOptions(mapping, Object.fromEntries(KEYS.map((k) => [k, "string"])), {
    name: "columns",
    usage: "columns: { chromosome, pos, effectAllele, otherAllele, beta, se, pValue, af, n } (names in the file)",
  });
  for (const k of ["chromosome", "pos", "effectAllele", "otherAllele"] as const) {
    if (!mapping[k]) {
      throw new ValidationError(`columns.${k}`, undefined, "missing", `name the file's ${k} column`);
    }
  }
  for (const k of KEYS) {
    const c = mapping[k];
    if (c !== undefined && !found.includes(c)) {
      throw new ValidationError(
        `columns.${k}`,
        c,
        `no column ${JSON.stringify(c)} in ${file}; columns found: ${found.join(", ")}`,
        "name a column of the file (names are case-sensitive)",
      );
    }
  }
  if (!mapping.pValue && !mapping.minusLog10P && !(mapping.beta || mapping.oddsRatio)) {
    throw new ValidationError("columns", mapping, "maps neither a p-value nor an effect", "add pValue or beta + se");
  }
  const one = (c?: string) => c ? [c] : [];
  return {
    label: "the column mapping",
    doc: "the mapping names the file's columns",
    separator: "\t",
    chromosome: one(mapping.chromosome),
    pos: one(mapping.pos),
    effectAllele: one(mapping.effectAllele),
    otherAllele: one(mapping.otherAllele),
    beta: one(mapping.beta),
    oddsRatio: one(mapping.oddsRatio),
    se: one(mapping.se),
    pValue: one(mapping.pValue),
    minusLog10P: one(mapping.minusLog10P),
    af: one(mapping.af),
    n: one(mapping.n),
    test: [],
    required: [],
  };
}

/**
 * A chromosome name in the release's form: `1`, `chr1`, `Chr01` → `chr1`; `X`/`chrX` → `chrX`; `Y`; `M`/`MT`
 * → `chrM`; plink's numeric codes above the autosomes (`--chr-set`): n+1 = X, n+2 = Y, n+3 = XY, n+4 = MT.
 * Other names (contigs) are kept as written and marked not recognised; `0` (plink's unknown) and empty
 * names give null.
 *
 * @param name The name as written.
 * @param autosomes Number of autosomes (20 for the rat).
 * @returns The name to use and whether it was recognised, or null when unusable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizeChromosome } from "ratgtex";
 * assert.equal(normalizeChromosome("1", 20)?.name, "chr1");
 * assert.equal(normalizeChromosome("chrX", 20)?.name, "chrX");
 * assert.equal(normalizeChromosome("21", 20)?.name, "chrX"); // plink --chr-set 20
 * assert.equal(normalizeChromosome("0", 20), null);
 * ```
 */
export function normalizeChromosome(name: string, autosomes: number): { name: string; recognised: boolean } | null {
  const s = name.trim();
  if (s === "" || s === "0" || /^(NA|\.)$/i.test(s)) return null;
  const bare = s.replace(/^chr/i, "");
  if (/^\d+$/.test(bare)) {
    const k = Number(bare);
    if (k === 0) return null;
    if (k <= autosomes) return { name: `chr${k}`, recognised: true };
    const extra = ["X", "Y", "XY", "M"][k - autosomes - 1];
    return extra ? { name: `chr${extra}`, recognised: true } : { name: s, recognised: false };
  }
  const upper = bare.toUpperCase();
  if (upper === "X" || upper === "Y" || upper === "XY") return { name: `chr${upper}`, recognised: true };
  if (upper === "M" || upper === "MT") return { name: "chrM", recognised: true };
  return { name: s, recognised: false };
}

// ------------------------------------------------------------------------------------------ matching

/** The alleles a release has at one position: its REF and ALT allele(s). */
export interface VariantAlleles {
  /** Reference allele. */
  ref: string;
  /** Alternative allele(s): more than one at a multi-allelic site. */
  alt: readonly string[];
}

/**
 * Looks up the release's variant at a position (`chromosome` in `chr1` form), or null when it has none. A
 * release implements it over its VCF; it may answer synchronously or with a promise.
 */
export type VariantLookup = (
  chromosome: string,
  pos: number,
) => VariantAlleles | null | Promise<VariantAlleles | null>;

/** Options of {@link matchGwasToVariants}. */
export interface MatchGwasOptions {
  /** Below this share of variants found at their position, the result warns of an assembly mismatch (default 0.5). */
  minPositionRate?: number;
  /** The release's assembly, named in the warning (default `"GRCr8 (rn8), RatGTEx v4"`). */
  assembly?: string;
  /**
   * Also match alleles given on the other strand (complemented), for files from arrays or tools that report
   * the minus strand (default false: HS-rat GWAS call alleles on the reference's forward strand, and a
   * complement match is more often a wrong position than a flipped strand).
   */
  strandFlip?: boolean;
  /**
   * Keep strand-ambiguous variants (A/T, C/G), matched as written on the forward strand, instead of dropping
   * them (default false). Right when the GWAS was called on the same strand as the release (HS-rat GWAS on
   * RatGTEx-style genotype calls): there the strand is not in question, and dropping them loses every such
   * variant (a third of them where alleles are drawn at random). Never with `strandFlip`: a variant whose
   * strand may be flipped cannot be told from a swap.
   */
  keepAmbiguous?: boolean;
}

/** Why a GWAS variant did not match the release. */
export type GwasMatchDropReason = "notFound" | "strandAmbiguous" | "alleleMismatch";

/** How the matched variants' alleles lined up with the release's. */
export interface GwasMatchCounts {
  /** GWAS variants looked up. */
  total: number;
  /** Found at their position in the release (whatever the alleles). */
  atPosition: number;
  /** Matched (kept). */
  matched: number;
  /** Effect allele = the release's ALT (kept as is). */
  aligned: number;
  /** Effect allele = the release's REF: beta sign flipped, af → 1 − af. */
  swapped: number;
  /** Matched on the other strand (alleles complemented; only with `strandFlip`), possibly also swapped. */
  complemented: number;
  /** Matched at a multi-allelic site of the release. */
  multiAllelic: number;
  /** Dropped, by reason. */
  dropped: Record<GwasMatchDropReason, number>;
}

/** What {@link matchGwasToVariants} returns. */
export interface GwasMatchResult {
  /**
   * The matched variants aligned to the release: the GWAS columns (`chromosome`, `pos`, `variantId`,
   * `effectAllele` = the release's ALT, `otherAllele` = its REF, `beta` (sign flipped where swapped), `se`,
   * `pValue`, `af` (of ALT), `n`), then `ref`, `alt` (str: the release's, ALT comma-joined at a multi-allelic
   * site) and `alleleMatch` (str: `aligned`, `swapped`, `complemented`, `complementedSwapped`).
   */
  frame: pl.DataFrame;
  /**
   * The variants dropped: `chromosome`, `pos`, `variantId`, `effectAllele`, `otherAllele` (as in the GWAS),
   * `reason` (str: `notFound`, `strandAmbiguous`, `alleleMismatch`), `releaseAlleles` (str, `REF/ALT`, null when
   * not found).
   */
  unmatched: pl.DataFrame;
  /** The counts, per outcome and per reason. */
  counts: GwasMatchCounts;
  /** Share of the GWAS variants found at their position. */
  positionRate: number;
  /** The likely-assembly-mismatch warning when positionRate < minPositionRate, else null. */
  warning: string | null;
  /** Every warning, in words. */
  warnings: string[];
}

const COMPLEMENT: Record<string, string> = { A: "T", T: "A", C: "G", G: "C" };
const complement = (allele: string) => [...allele].reverse().map((b) => COMPLEMENT[b] ?? b).join("");
const isAmbiguous = (a: string, b: string) => a.length === 1 && b.length === 1 && COMPLEMENT[a] === b;

/**
 * Match GWAS variants to a release's by position and alleles, and align them to it: a variant whose effect
 * allele is the release's ALT and other allele its REF is kept as is; one the other way round is swapped
 * (beta's sign flipped, af → 1 − af, effect allele = ALT); with `strandFlip`, one that matches only on the
 * other strand (complemented alleles) is kept and counted; a strand-ambiguous pair (A/T, C/G: its strand cannot be told)
 * (unless `keepAmbiguous`: then matched as written, on the forward strand) and one whose alleles are not the
 * release's are dropped and counted; at a multi-allelic site the pair must
 * be REF and one of the ALTs. Nothing is dropped silently: `counts` and `unmatched` say what and why, and
 * when fewer than `minPositionRate` (50 %) of the variants are even at a release position, `warning` says the
 * likely cause — positions from another assembly (GRCr7/rn7 or Rnor_6.0/rn6; RatGTEx v4 is GRCr8/rn8).
 *
 * @param gwas A frame from {@link readGwas} (its columns `chromosome`, `pos`, `effectAllele`, `otherAllele`,
 *   `beta`, `se`, `pValue`, `af`, `n`, `variantId`).
 * @param lookup The release's alleles at a position ({@link VariantLookup}).
 * @param options The position-rate threshold, the assembly named in the warning, `strandFlip`, `keepAmbiguous`.
 * @returns The aligned frame, the dropped variants with reasons, the counts and the warnings.
 * @throws {ValidationError} When `gwas` lacks a column (named, with the columns found) or `lookup` is not a function.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matchGwasToVariants, parseGwas } from "ratgtex";
 * const { frame } = parseGwas("Chr\tSNP\tbp\tA1\tA2\tFreq\tb\tse\tp\n1\ts1\t100\tA\tG\t0.3\t0.2\t0.05\t6e-5\n");
 * const release = new Map([["chr1:100", { ref: "A", alt: ["G"] }]]);
 * const res = await matchGwasToVariants(frame, (chr, pos) => release.get(`${chr}:${pos}`) ?? null);
 * assert.equal(res.counts.swapped, 1); // A was the effect allele, and A is the release's REF
 * assert.equal(res.frame.getColumn("beta").get(0), -0.2);
 * assert.equal(res.frame.getColumn("effectAllele").get(0), "G");
 * ```
 */
export async function matchGwasToVariants(
  gwas: pl.DataFrame,
  lookup: VariantLookup,
  options?: MatchGwasOptions,
): Promise<GwasMatchResult> {
  const opts = checkOptions<MatchGwasOptions>(
    options,
    { minPositionRate: "number", assembly: "string", strandFlip: "boolean", keepAmbiguous: "boolean" },
    { usage: "matchGwasToVariants(gwas, lookup, { minPositionRate, assembly, strandFlip, keepAmbiguous })" },
  );
  if (opts.keepAmbiguous && opts.strandFlip) {
    throw new ValidationError(
      "options",
      opts,
      "keepAmbiguous and strandFlip together: an A/T or C/G variant on an unknown strand cannot be aligned",
      "keep ambiguous variants only when both files are on the forward strand (strandFlip: false)",
    );
  }
  let ambiguousKept = 0;
  const strands = opts.strandFlip ? [false, true] : [false];
  const minPositionRate = opts.minPositionRate ?? 0.5;
  const assembly = opts.assembly ?? "GRCr8 (rn8), RatGTEx v4";
  const columns = (gwas as { columns?: unknown })?.columns;
  if (!Array.isArray(columns)) {
    throw new ValidationError("gwas", gwas, "expected a polars DataFrame", "pass readGwas(path).frame");
  }
  const missing = GWAS_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new ValidationError(
      "gwas",
      `[frame of ${columns.length} columns]`,
      `missing column(s) ${missing.join(", ")}; columns found: ${columns.join(", ")}`,
      "pass the frame readGwas or parseGwas returns (its columns are the library's GWAS columns)",
    );
  }
  if (typeof lookup !== "function") {
    throw new ValidationError("lookup", lookup, "expected a function (chromosome, pos) → { ref, alt } | null", "");
  }
  const col = <T>(name: string) => gwas.getColumn(name).toArray() as T[];
  const chromosome = col<string>("chromosome"), pos = col<number | bigint>("pos").map(Number);
  const effect = col<string>("effectAllele"), other = col<string>("otherAllele");
  const beta = col<number | null>("beta"), af = col<number | null>("af");
  const total = gwas.height;

  const keep: number[] = [], outBeta: (number | null)[] = [], outAf: (number | null)[] = [];
  const outEffect: string[] = [], outOther: string[] = [], outRef: string[] = [], outAlt: string[] = [];
  const outMatch: string[] = [];
  const drop: number[] = [], dropReason: GwasMatchDropReason[] = [], dropAlleles: (string | null)[] = [];
  const counts: GwasMatchCounts = {
    total,
    atPosition: 0,
    matched: 0,
    aligned: 0,
    swapped: 0,
    complemented: 0,
    multiAllelic: 0,
    dropped: { notFound: 0, strandAmbiguous: 0, alleleMismatch: 0 },
  };
  const reject = (i: number, why: GwasMatchDropReason, site: VariantAlleles | null) => {
    drop.push(i), dropReason.push(why);
    dropAlleles.push(site ? `${site.ref}/${site.alt.join(",")}` : null);
    counts.dropped[why]++;
  };
  for (let i = 0; i < total; i++) {
    let site = lookup(chromosome[i], pos[i]);
    if (site !== null && typeof (site as Promise<unknown>).then === "function") site = await site;
    const s = site as VariantAlleles | null;
    if (!s) {
      reject(i, "notFound", null);
      continue;
    }
    counts.atPosition++;
    const ref = s.ref.toUpperCase(), alts = s.alt.map((a) => a.toUpperCase());
    const e = effect[i], o = other[i];
    if (isAmbiguous(e, o)) {
      if (!opts.keepAmbiguous) {
        reject(i, "strandAmbiguous", s);
        continue;
      }
      ambiguousKept++;
    }
    // Effect = an ALT and other = REF (aligned), or the reverse (swapped); with strandFlip, the same on the
    // other strand.
    let how: string | null = null, alt = "";
    for (const flip of strands) {
      const [ee, oo, tag] = flip ? [complement(e), complement(o), "complemented"] : [e, o, ""];
      if (oo === ref && alts.includes(ee)) [how, alt] = [tag || "aligned", ee];
      else if (ee === ref && alts.includes(oo)) [how, alt] = [tag ? `${tag}Swapped` : "swapped", oo];
      if (how) break;
    }
    if (!how) {
      reject(i, "alleleMismatch", s);
      continue;
    }
    const swapped = how === "swapped" || how === "complementedSwapped";
    keep.push(i);
    outBeta.push(beta[i] === null ? null : swapped ? -beta[i]! : beta[i]);
    outAf.push(af[i] === null ? null : swapped ? 1 - af[i]! : af[i]);
    outEffect.push(alt), outOther.push(ref), outRef.push(ref), outAlt.push(alts.join(","));
    outMatch.push(how);
    counts.matched++;
    if (how === "aligned") counts.aligned++;
    if (swapped) counts.swapped++;
    if (how.startsWith("complemented")) counts.complemented++;
    if (alts.length > 1) counts.multiAllelic++;
  }

  // Rows kept / dropped as boolean masks over the input's order.
  const mask = (idx: number[]) => {
    const m = new Array<boolean>(total).fill(false);
    for (const i of idx) m[i] = true;
    return pl.Series("__keep", m, pl.Bool);
  };
  const subset = (frame: pl.DataFrame, idx: number[]) =>
    frame.withColumns(mask(idx)).filter(pl.col("__keep")).drop("__keep");
  const base = gwas.select(...GWAS_COLUMNS.map((c) => pl.col(c)));
  const frame = subset(
    base.select(pl.col("chromosome"), pl.col("pos"), pl.col("variantId"), pl.col("se"), pl.col("pValue"), pl.col("n")),
    keep,
  ).withColumns(
    pl.Series("effectAllele", outEffect, pl.Utf8),
    pl.Series("otherAllele", outOther, pl.Utf8),
    pl.Series("beta", outBeta, pl.Float64),
    pl.Series("af", outAf, pl.Float64),
    pl.Series("ref", outRef, pl.Utf8),
    pl.Series("alt", outAlt, pl.Utf8),
    pl.Series("alleleMatch", outMatch, pl.Utf8),
  ).select(...[...GWAS_COLUMNS, "ref", "alt", "alleleMatch"].map((c) => pl.col(c)));
  const unmatched = subset(
    base.select(
      pl.col("chromosome"),
      pl.col("pos"),
      pl.col("variantId"),
      pl.col("effectAllele"),
      pl.col("otherAllele"),
    ),
    drop,
  ).withColumns(pl.Series("reason", dropReason, pl.Utf8), pl.Series("releaseAlleles", dropAlleles, pl.Utf8));

  const positionRate = total === 0 ? 0 : counts.atPosition / total;
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const warnings: string[] = [];
  let warning: string | null = null;
  if (total > 0 && positionRate < minPositionRate) {
    warning = `only ${counts.atPosition} of ${total} GWAS variants (${pct(positionRate)}) are at a position where ` +
      `the release has a variant: the GWAS positions are most likely on another assembly — GRCr7 (rn7, ` +
      `mRatBN7.2) or Rnor_6.0 (rn6) — while the release is on ${assembly}. Lift the positions over to rn8 ` +
      `(e.g. UCSC liftOver with the rn7ToRn8 or rn6ToRn8 chain) and match again.`;
    warnings.push(warning);
  }
  const droppedTotal = counts.dropped.notFound + counts.dropped.strandAmbiguous + counts.dropped.alleleMismatch;
  if (droppedTotal > 0) {
    warnings.push(
      `${droppedTotal} of ${total} GWAS variants not matched: ${counts.dropped.notFound} not at a release position, ` +
        `${counts.dropped.strandAmbiguous} strand-ambiguous (A/T, C/G), ${counts.dropped.alleleMismatch} with ` +
        "other alleles than the release's (see unmatched)",
    );
  }
  if (counts.atPosition > 0 && counts.dropped.alleleMismatch > 0.2 * counts.atPosition) {
    warnings.push(
      `${pct(counts.dropped.alleleMismatch / counts.atPosition)} of the variants found at a release position have ` +
        "other alleles: positions may be on another assembly, or alleles coded differently (e.g. 1/2)",
    );
  }
  if (counts.swapped > 0) warnings.push(`${counts.swapped} variants swapped to the release's ALT (beta sign flipped)`);
  if (ambiguousKept > 0) {
    warnings.push(
      `${ambiguousKept} strand-ambiguous variants (A/T, C/G) looked up as written, on the forward strand ` +
        "(keepAmbiguous); those matched are counted as aligned or swapped",
    );
  }
  return { frame, unmatched, counts, positionRate, warning, warnings };
}

/**
 * The synthetic GWAS shipped beside the bundled miniature release (`fixtures/gwas/`, GCTA `.mlma` files computed
 * on the release's own rats; SYNTHETIC): trait A shares its causal variant with SynG004's eQTL (coloc: H4),
 * trait B has a distinct causal variant near SynG021's (H3), trait C has two signals at SynG049, the second
 * shared (coloc.abf: H3, coloc.susie: H4). Absolute paths, wherever the caller runs (a notebook's copy, a script).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readGwas, SYNTHETIC_GWAS } from "ratgtex";
 * const { frame } = await readGwas(SYNTHETIC_GWAS.C);
 * assert.ok(frame.height > 0);
 * ```
 */
export const SYNTHETIC_GWAS: Readonly<{ A: string; B: string; C: string }> = Object.freeze({
  A: fileURLToPath(new URL("../../fixtures/gwas/synthetic_trait_A.mlma", import.meta.url)),
  B: fileURLToPath(new URL("../../fixtures/gwas/synthetic_trait_B.mlma", import.meta.url)),
  C: fileURLToPath(new URL("../../fixtures/gwas/synthetic_trait_C.mlma", import.meta.url)),
});

/**
 * Typed polars frames of a release's tables, fed by the one text reader (`text.ts`: decompression, the caps)
 * and checked against each column's declared type (`layout.ts`) exactly as the TSV reader (`tsv.ts`) checks
 * them. Two paths, one answer:
 *
 * - fast: the lines (blank ones skipped, every row's field count checked here) go to polars' CSV parser in
 *   chunks, every column read as text, then checked and cast by vectorised expressions with the very
 *   predicates of `tsv.ts` (the same decimal grammar, NA tokens, ranges, finiteness, keys);
 * - reference: when a check fails, the file is read again by the TSV reader, value by value, which throws the
 *   error naming the line and the field (and whose frame is returned, should the two ever disagree).
 *
 * Why not the reference alone: it parses every cell in JavaScript. Measured with tests/bench/release_scale.ts
 * on 8,000 genes (one run each, 2 shared cores under load): a cold region query took 4.6 s through the
 * reference alone, 1.4 s with this fast path, and 0.59 s before any check (polars' parser unchecked); the
 * genome-wide eGene table 1.16 s, 0.56 s and 0.07 s. Only the genome-scale queries (`release.ts`) load this
 * module, and polars.
 *
 * @module
 */
import pl from "nodejs-polars";
import { ReleaseFormatError } from "../_core/errors.ts";
import type { ColumnType, TableSpec } from "./layout.ts";
import type { ByteSource, ReadLimits } from "./source.ts";
import { XQTL_MODALITIES } from "../_core/modalities.ts";
import { NA_TOKENS } from "./table.ts";
import { textLines } from "./text.ts";
import {
  BOOL,
  decimalValue,
  headerOf,
  isInteger,
  isNa,
  NOT_FINITE,
  problemOf,
  scanTsv,
  TRUE,
  type TsvHeader,
} from "./tsv.ts";

/** Rows a column builder keeps as JS values before it moves them into a polars series. */
const CHUNK = 1 << 18;

/**
 * Builds one polars column of a declared type, value by value, moving each chunk of values into polars
 * as it fills: a large table costs its columns' memory, not a JS string per cell.
 */
class ColumnBuilder {
  readonly #type: ColumnType;
  readonly #name: string;
  readonly #chunks: pl.Series[] = [];
  #numbers: Float64Array = new Float64Array(CHUNK);
  #strings: (string | null)[] = [];
  #bools: boolean[] = [];
  #nulls: number[] = [];
  #n = 0;

  constructor(type: ColumnType, name: string) {
    this.#type = type;
    this.#name = name;
  }

  /** Add a token: parsed and checked against the column's type in one pass; why not, or null. */
  push(token: string): string | null {
    switch (this.#type) {
      case "int":
        if (!isInteger(token)) return `is ${JSON.stringify(token)}, not an integer`;
        this.#numbers[this.#n] = Number(token);
        break;
      case "float?":
        if (isNa(token)) {
          this.#numbers[this.#n] = NaN;
          this.#nulls.push(this.#n);
          break;
        }
        // falls through
      case "float": {
        const x = decimalValue(token);
        if (!Number.isFinite(x)) return `is ${JSON.stringify(token)}, ${NOT_FINITE}`;
        this.#numbers[this.#n] = x;
        break;
      }
      case "bool":
        if (!BOOL.has(token)) return `is ${JSON.stringify(token)}, not True or False`;
        this.#bools.push(TRUE.has(token));
        break;
      case "str":
        this.#strings.push(isNa(token) ? null : token);
        break;
      case "id":
        if (isNa(token)) return problemOf("id", token);
        this.#strings.push(token);
        break;
      default: {
        const problem = problemOf(this.#type, token);
        if (problem !== null) return problem;
        this.#strings.push(token);
      }
    }
    if (++this.#n === CHUNK) this.#flush();
    return null;
  }

  #flush(): void {
    if (this.#n === 0 && this.#chunks.length > 0) return;
    const name = this.#name, n = this.#n;
    let s: pl.Series;
    switch (this.#type) {
      case "int":
        s = pl.Series(name, this.#numbers.slice(0, n), pl.Float64).cast(pl.Int64);
        break;
      case "float":
      case "float?":
        if (this.#nulls.length === 0) s = pl.Series(name, this.#numbers.slice(0, n), pl.Float64);
        else {
          const values: (number | null)[] = Array.from(this.#numbers.subarray(0, n));
          for (const i of this.#nulls) values[i] = null;
          s = pl.Series(name, values, pl.Float64);
        }
        break;
      case "bool":
        s = pl.Series(name, this.#bools, pl.Bool);
        break;
      default:
        s = pl.Series(name, this.#strings, pl.Utf8);
    }
    this.#chunks.push(s);
    this.#strings = [];
    this.#bools = [];
    this.#nulls = [];
    this.#n = 0;
  }

  series(): pl.Series {
    this.#flush();
    return this.#chunks.length === 1 ? this.#chunks[0] : pl.concat(this.#chunks, { rechunk: false, parallel: false });
  }
}

/**
 * A TSV of a release as a polars frame whose columns have their declared types (`id`/`str`/`modality` →
 * Utf8 with NA as null for `str`; `int` → Int64; `float`/`float?` → Float64 with NA as null; `bool` → Bool),
 * after the same checks as {@link readTable}. Only the columns in `pick` are built (default: all).
 */
export async function readFrame(
  src: ByteSource,
  spec: TableSpec,
  limits: Pick<ReadLimits, "maxFileBytes" | "maxLineBytes"> = { maxFileBytes: 2 ** 30, maxLineBytes: 2 ** 24 },
  pick?: readonly string[],
): Promise<pl.DataFrame> {
  const fast = await readFrameFast(src, spec, limits, pick);
  return fast ?? await readFrameChecked(src, spec, limits, pick);
}

/** Text handed to polars at a time. */
const FAST_CHUNK = 16 * 2 ** 20;
/** The decimal grammar of `decimalValue` (tsv.ts), as a regular expression for polars. */
const DECIMAL = "^[+-]?(?:[0-9]+\\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\\.[0-9]+(?:[eE][+-]?[0-9]+)?)$";
const INTEGER = "^[+-]?[0-9]+$";
const NA_LIST = [...NA_TOKENS].filter((t) => t !== "");
const BOOL_LIST = [...BOOL];
const TRUE_LIST = [...TRUE];
const MODALITY_LIST = Object.keys(XQTL_MODALITIES);

/**
 * The fast path: a frame, or null when a check fails (the reference path then names the line and field).
 * Ragged rows are named here (the field count is checked line by line before polars sees the text).
 */
export async function readFrameFast(
  src: ByteSource,
  spec: TableSpec,
  limits: Pick<ReadLimits, "maxFileBytes" | "maxLineBytes">,
  pick: readonly string[] | undefined,
): Promise<pl.DataFrame | null> {
  let header: TsvHeader | null = null;
  let headerLine = "";
  let wanted: string[] = [];
  const frames: pl.DataFrame[] = [];
  let lines: string[] = [];
  let size = 0;
  const flush = (): boolean => {
    const frame = typedChunk(headerLine, lines, header!, wanted);
    lines = [];
    size = 0;
    if (frame === null) return false;
    frames.push(frame);
    return true;
  };
  for await (const batch of textLines(src, limits)) {
    for (let i = 0; i < batch.lines.length; i++) {
      const line = batch.lines[i];
      if (header === null) {
        header = headerOf(src.name, line, spec);
        headerLine = line;
        const names = pick ?? header.columns;
        for (const n of names) {
          if (!header.columns.includes(n)) {
            throw new ReleaseFormatError({ file: src.name, line: 1, field: n }, "is missing from the header");
          }
        }
        wanted = [...new Set([...names, ...(spec.key ?? [])])];
        continue;
      }
      if (line === "") continue;
      if (line.includes("\x01")) return null; // polars' quote character here: the reference path reads it
      let tabs = 0;
      for (let k = line.indexOf("\t"); k >= 0; k = line.indexOf("\t", k + 1)) tabs++;
      if (tabs !== header.columns.length - 1) {
        throw new ReleaseFormatError(
          { file: src.name, line: batch.first + i },
          `has ${tabs + 1} fields, the header has ${header.columns.length} (a ragged row)`,
        );
      }
      lines.push(line);
      size += line.length + 1;
      if (size >= FAST_CHUNK && !flush()) return null;
    }
  }
  if (header === null) throw new ReleaseFormatError({ file: src.name, line: 1 }, "is empty (no header)");
  if (!flush()) return null;
  // Chunks kept as they are (no rechunk): a copy of the whole frame would double the peak.
  let frame = frames.length === 1 ? frames[0] : pl.concat(frames, { how: "vertical", rechunk: false });
  if (spec.key && spec.key.length > 0) {
    const key = spec.key.length === 1 ? pl.col(spec.key[0]) : pl.concatString(spec.key.map((k) => pl.col(k)), "\t");
    if (frame.select(key.isDuplicated().any().alias("dup")).row(0)[0] === true) return null;
  }
  const names = pick ?? header.columns;
  frame = frame.select(...names.map((n) => pl.col(n)));
  return frame;
}

/** One chunk of rows through polars, every column as text, then checked and cast; null when a check fails. */
function typedChunk(headerLine: string, lines: string[], header: TsvHeader, wanted: string[]): pl.DataFrame | null {
  const text = lines.length === 0 ? headerLine + "\n" : headerLine + "\n" + lines.join("\n") + "\n";
  let raw: pl.DataFrame;
  try {
    raw = pl.readCSV(text, {
      sep: "\t",
      quoteChar: "\x01",
      inferSchemaLength: 0,
      nullValues: [],
      missingIsNull: true,
      hasHeader: true,
    });
  } catch {
    return null;
  }
  if (raw.height !== lines.length) return null;
  const checks: pl.Expr[] = [];
  const casts: [string, pl.Expr][] = [];
  const checked = new Set(wanted);
  const cast = (name: string, e: pl.Expr) => casts.push([name, e.alias(name)]);
  header.columns.forEach((name, j) => {
    const type = header.types[j];
    const c = pl.col(name);
    const na = c.isNull().or(c.isIn(NA_LIST));
    if (!checked.has(name) && type === "str") return;
    switch (type) {
      case "str":
        cast(name, pl.when(na).then(pl.lit(null)).otherwise(c).cast(pl.Utf8));
        return;
      case "id":
        checks.push(na.not().all());
        cast(name, c);
        return;
      case "modality":
        checks.push(c.isIn(MODALITY_LIST).fillNull(false).all());
        cast(name, c);
        return;
      case "bool":
        checks.push(c.isIn(BOOL_LIST).fillNull(false).all());
        cast(name, c.isIn(TRUE_LIST));
        return;
      case "int":
        checks.push(c.str.contains(INTEGER).fillNull(false).all());
        checks.push(c.cast(pl.Float64).abs().ltEq(Number.MAX_SAFE_INTEGER).fillNull(false).all());
        cast(name, c.cast(pl.Float64).cast(pl.Int64));
        return;
      case "float":
        checks.push(c.str.contains(DECIMAL).fillNull(false).all());
        checks.push(c.cast(pl.Float64).isFinite().fillNull(false).all());
        cast(name, c.cast(pl.Float64));
        return;
      case "float?": {
        const number = c.cast(pl.Float64);
        checks.push(na.or(c.str.contains(DECIMAL).fillNull(false).and(number.isFinite().fillNull(false))).all());
        cast(name, pl.when(na).then(pl.lit(null)).otherwise(number).cast(pl.Float64));
        return;
      }
    }
  });
  try {
    if (checks.length > 0) {
      const ok = raw.select(...checks.map((e, k) => e.alias(`ok${k}`))).row(0);
      if (ok.some((v) => v !== true)) return null;
    }
    return raw.select(...casts.filter(([name]) => checked.has(name)).map(([, e]) => e));
  } catch {
    return null;
  }
}

/** The reference path: every value parsed and checked in JavaScript (the TSV reader's own checks). */
export async function readFrameChecked(
  src: ByteSource,
  spec: TableSpec,
  limits: Pick<ReadLimits, "maxFileBytes" | "maxLineBytes"> = { maxFileBytes: 2 ** 30, maxLineBytes: 2 ** 24 },
  pick?: readonly string[],
): Promise<pl.DataFrame> {
  let builders: { name: string; index: number; builder: ColumnBuilder }[] = [];
  const file = src.name;
  await scanTsv(
    src,
    spec,
    limits,
    (cells, line) => {
      for (const b of builders) {
        const problem = b.builder.push(cells[b.index]);
        if (problem !== null) throw new ReleaseFormatError({ file, line, field: b.name }, problem);
      }
    },
    (h) => {
      builders = buildersOf(h, pick, file);
      return new Set(builders.map((b) => b.index));
    },
  );
  return pl.DataFrame(builders.map((b) => b.builder.series()));
}

function buildersOf(header: TsvHeader, pick: readonly string[] | undefined, file: string) {
  const names = pick ?? header.columns;
  return names.map((name) => {
    const index = header.columns.indexOf(name);
    if (index < 0) throw new ReleaseFormatError({ file, line: 1, field: name }, "is missing from the header");
    return { name, index, builder: new ColumnBuilder(header.types[index], name) };
  });
}

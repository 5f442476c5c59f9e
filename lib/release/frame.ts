/**
 * Typed polars frames of a release's tables: the one TSV reader (`tsv.ts`: decompression, caps, ragged rows,
 * duplicated records) feeds polars columns of each column's declared type (`layout.ts`), each value parsed
 * and checked in one pass. Only the genome-scale queries (`release.ts`) load this module, and with it polars.
 *
 * @module
 */
import pl from "nodejs-polars";
import { ReleaseFormatError } from "../_core/errors.ts";
import type { ColumnType, TableSpec } from "./layout.ts";
import type { ByteSource, ReadLimits } from "./source.ts";
import { BOOL, decimalValue, isInteger, isNa, NOT_FINITE, problemOf, scanTsv, TRUE, type TsvHeader } from "./tsv.ts";

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
    return this.#chunks.length === 1 ? this.#chunks[0] : pl.concat(this.#chunks);
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

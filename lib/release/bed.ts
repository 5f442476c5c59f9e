/**
 * The one BED reader of a release: phenotype and expression BEDs (`phenos/phenos.{T}.{M}.{norm|unnorm}…
 * .bed.gz`, `expr/expr.{tpm|log2}.{T}….bed.gz`): `#chr start end phenotype_id`, then one column per sample.
 * Read through the text reader (decompression and caps), checked row by row — the header's four columns,
 * unique sample IDs, one field per column on every row, integer coordinates, each phenotype once (a
 * duplicated phenotype row is a typed error naming both lines), values that are numbers (finite ones in a
 * normalised BED) — and kept as each row's value text, decoded only when asked: a real release's tissue
 * costs about its file size in memory, not a parsed matrix.
 *
 * @module
 */
import { ReleaseFormatError } from "../_core/errors.ts";
import type { ByteSource, ReadLimits } from "./source.ts";
import { floatTokenRepr, NA_TOKENS, parsePyFloat } from "./table.ts";
import { textLines } from "./text.ts";

const HEADER = ["#chr", "start", "end", "phenotype_id"];
const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)$/;

/** One phenotype's row: where it is and its values as written. */
interface BedRow {
  chromosome: string;
  start: number;
  end: number;
  line: number;
  values: string;
}

/** A phenotype BED: sample IDs, and each phenotype's row (decoded on demand). */
export class PhenotypeBed {
  /** The file (release-relative). */
  readonly file: string;
  /** Sample IDs (rat IDs), in column order. */
  readonly samples: readonly string[];
  /** Whether every value is an integer token (pandas then reads every column as int64). */
  readonly allInt: boolean;
  readonly #rows: Map<string, BedRow>;

  private constructor(file: string, samples: string[], rows: Map<string, BedRow>, allInt: boolean) {
    this.file = file;
    this.samples = samples;
    this.#rows = rows;
    this.allInt = allInt && rows.size > 0;
  }

  /**
   * Read and check a BED. `values`: `"float"` when every value must be a finite number (a normalised BED,
   * what tensorQTL mapped), `"float?"` when NA is allowed (an unnormalised one, as pandas reads it).
   */
  static async read(
    src: ByteSource,
    limits: Pick<ReadLimits, "maxFileBytes" | "maxLineBytes"> = { maxFileBytes: 2 ** 30, maxLineBytes: 2 ** 24 },
    options: { values?: "float" | "float?" } = {},
  ): Promise<PhenotypeBed> {
    const finite = options.values === "float";
    const file = src.name;
    let samples: string[] | null = null;
    const rows = new Map<string, BedRow>();
    let allInt = true;
    for await (const batch of textLines(src, limits)) {
      for (let i = 0; i < batch.lines.length; i++) {
        const text = batch.lines[i];
        const line = batch.first + i;
        if (samples === null) {
          samples = headerOf(file, text);
          continue;
        }
        if (text === "") continue;
        let tabs = 0, idEnd = -1;
        const starts = [0];
        for (let k = 0; k < text.length && tabs < 4; k++) {
          if (text.charCodeAt(k) !== 9) continue;
          tabs++;
          starts.push(k + 1);
          if (tabs === 4) idEnd = k;
        }
        const fields = tabs < 4 ? text.split("\t") : [
          text.slice(0, starts[1] - 1),
          text.slice(starts[1], starts[2] - 1),
          text.slice(starts[2], starts[3] - 1),
          text.slice(starts[3], idEnd),
        ];
        const values = tabs < 4 ? "" : text.slice(idEnd + 1);
        const count = tabs < 4 ? fields.length : 4 + (samples.length === 0 ? 0 : countTabs(values) + 1);
        if (count !== 4 + samples.length || (tabs < 4 && samples.length > 0)) {
          throw new ReleaseFormatError(
            { file, line },
            `has ${count} fields, the header has ${4 + samples.length} (a ragged row)`,
          );
        }
        const [chromosome, start, end, id] = fields;
        if (chromosome === "" || NA_TOKENS.has(chromosome)) {
          throw new ReleaseFormatError(
            { file, line, field: "#chr" },
            `is ${JSON.stringify(chromosome)}, not a chromosome`,
          );
        }
        for (const [name, token] of [["start", start], ["end", end]] as const) {
          if (!INT.test(token)) {
            throw new ReleaseFormatError({ file, line, field: name }, `is ${JSON.stringify(token)}, not an integer`);
          }
        }
        if (id === "" || NA_TOKENS.has(id)) {
          throw new ReleaseFormatError({ file, line, field: "phenotype_id" }, `is ${JSON.stringify(id)}, not an ID`);
        }
        const seen = rows.get(id);
        if (seen !== undefined) {
          throw new ReleaseFormatError(
            { file, line, field: "phenotype_id" },
            `repeats ${JSON.stringify(id)} of line ${seen.line}: a duplicated phenotype row`,
          );
        }
        allInt = checkValues(file, line, values, samples, finite, allInt);
        rows.set(id, { chromosome, start: Number(start), end: Number(end), line, values });
      }
    }
    if (samples === null) throw new ReleaseFormatError({ file, line: 1 }, "is empty (no header)");
    return new PhenotypeBed(file, samples, rows, allInt);
  }

  /** Whether a phenotype has a row. */
  has(id: string): boolean {
    return this.#rows.has(id);
  }

  /** Phenotype IDs, in file order. */
  ids(): string[] {
    return [...this.#rows.keys()];
  }

  /** A phenotype's position (`#chr`, 0-based `start`, `end`), or undefined. */
  position(id: string): { chromosome: string; start: number; end: number } | undefined {
    const r = this.#rows.get(id);
    return r && { chromosome: r.chromosome, start: r.start, end: r.end };
  }

  #tokens(id: string): string[] | undefined {
    const r = this.#rows.get(id);
    if (r === undefined) return undefined;
    return this.samples.length === 0 ? [] : r.values.split("\t");
  }

  /** A phenotype's values in sample order as pandas parses them (its float parser; NaN for NA), or undefined. */
  row(id: string): Float64Array | undefined {
    const t = this.#tokens(id);
    return t && Float64Array.from(t, parsePyFloat);
  }

  /** A phenotype's values, correctly rounded (what numpy's `float()` of each token gives), or undefined. */
  numbers(id: string): Float64Array | undefined {
    const t = this.#tokens(id);
    return t && Float64Array.from(t, (x) => (NA_TOKENS.has(x) ? NaN : Number(x)));
  }

  /** A phenotype's values as Python writes them (`repr(float(token))` after pandas' parse), or undefined. */
  rowRepr(id: string): string[] | undefined {
    return this.#tokens(id)?.map(floatTokenRepr);
  }
}

function headerOf(file: string, text: string): string[] {
  const cells = text.split("\t");
  for (let j = 0; j < HEADER.length; j++) {
    if (cells[j] !== HEADER[j]) {
      throw new ReleaseFormatError(
        { file, line: 1, field: HEADER[j] },
        `the header must start with ${HEADER.join(" ")} (found ${JSON.stringify(cells.slice(0, 4).join(" "))})`,
      );
    }
  }
  const samples = cells.slice(4);
  const seen = new Set<string>();
  for (const s of samples) {
    if (s === "" || seen.has(s)) {
      throw new ReleaseFormatError(
        { file, line: 1, field: s === "" ? "(empty)" : s },
        s === "" ? "an empty sample ID" : "a sample ID given twice",
      );
    }
    seen.add(s);
  }
  return samples;
}

function countTabs(text: string): number {
  let n = 0;
  for (let k = text.indexOf("\t"); k >= 0; k = text.indexOf("\t", k + 1)) n++;
  return n;
}

/** Check each value token of a row; returns whether the frame is still all-integer. */
function checkValues(
  file: string,
  line: number,
  values: string,
  samples: readonly string[],
  finite: boolean,
  allInt: boolean,
): boolean {
  if (samples.length === 0) return allInt;
  let start = 0;
  for (let j = 0; j < samples.length; j++) {
    let end = values.indexOf("\t", start);
    if (end < 0) end = values.length;
    const t = values.slice(start, end);
    if (allInt && !INT.test(t)) allInt = false;
    const ok = NA_TOKENS.has(t) ? !finite : FLOAT.test(t) && Number.isFinite(Number(t));
    if (!ok) {
      throw new ReleaseFormatError(
        { file, line, field: samples[j] },
        `is ${JSON.stringify(t)}, not a ${
          finite ? "finite number (a normalised phenotype is finite)" : "number or NA"
        }`,
      );
    }
    start = end + 1;
  }
  return allInt;
}

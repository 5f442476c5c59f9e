/**
 * A self-contained HTML report: sections of text, tables and figures (inline SVG), no external assets.
 * Written atomically (a temporary file renamed into place), so a failed run leaves no half report.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { Client } from "../../api/client.ts";
import { escapeXml } from "../../_core/format.ts";
import { writeFileAtomic } from "../../_core/atomic_write.ts";

/** One section of a report. */
export interface ReportSection {
  /** Heading. */
  title: string;
  /** A paragraph. */
  text?: string;
  /** A table. */
  table?: pl.DataFrame;
  /** Figures: SVG or HTML fragments (`<svg xmlns=…>` or `<figure>`). */
  figures?: string[];
}

/**
 * A p-value column: `p`, `pValue…`, `apiPValue…`, `p_…`. Case matters for the `p` prefix, so that `pos`
 * (a genomic position) is not one.
 */
function isPValueColumn(column: string): boolean {
  return /^p$|^p[A-Z_]/.test(column) || /p-?value/i.test(column);
}

/**
 * Format a cell: p-values and small numbers in scientific notation, integers as they are (unless the
 * column holds p-values or effects), others with 4 significant digits.
 */
export function formatCell(column: string, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (Number.isInteger(value) && !isPValueColumn(column) && !/error|nes|r2|median|tpm/i.test(column)) {
      return String(value);
    }
    if (isPValueColumn(column) || (value !== 0 && Math.abs(value) < 1e-3)) return value.toExponential(2);
    return Number(value.toPrecision(4)).toString();
  }
  return String(value);
}

/**
 * A DataFrame as an HTML table (at most `maxRows` rows; a note says how many more there are).
 */
export function htmlTable(df: pl.DataFrame, maxRows = 200): string {
  const cols = df.columns;
  const rows = df.head(maxRows).rows();
  const head = cols.map((c) => `<th>${escapeXml(c)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((v, i) => `<td>${escapeXml(formatCell(cols[i], v))}</td>`).join("")}</tr>`)
    .join("\n");
  const more = df.height > maxRows ? `<p class="more">${df.height - maxRows} more rows</p>` : "";
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>${more}`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:13px;margin:1em 0}th,td{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}
th{background:#f5f5f5}td:first-child,th:first-child{text-align:left}.note{background:#fff4d6;padding:.5em 1em}
figure{margin:1em 0}svg{max-width:100%;height:auto}.more{color:#777;font-size:12px}`;

/**
 * Write `sections` as `outDir/index.html` (atomically); returns the path. An offline client's report
 * says that its numbers are synthetic.
 */
export async function writeReport(
  outDir: string,
  title: string,
  sections: ReportSection[],
  client: Client,
): Promise<string> {
  const parts = sections.map((s) =>
    [
      `<section><h2>${escapeXml(s.title)}</h2>`,
      s.text ? `<p>${escapeXml(s.text)}</p>` : "",
      ...(s.figures ?? []),
      s.table ? htmlTable(s.table) : "",
      "</section>",
    ].join("\n")
  );
  const synthetic = client.offline
    ? `<p class="note">Offline source: every number below comes from the bundled <b>synthetic</b> universe ` +
      `(fixtures/README.md), not from RatGTEx data.</p>`
    : "";
  const html = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>` +
    `<style>${STYLE}</style></head><body><h1>${escapeXml(title)}</h1>${synthetic}\n${
      parts.join("\n")
    }\n</body></html>\n`;
  // Atomic: a temporary file in the report folder, renamed over index.html (no half-written report).
  await Deno.mkdir(outDir, { recursive: true });
  const path = `${outDir}/index.html`;
  await writeFileAtomic(path, html);
  return path;
}

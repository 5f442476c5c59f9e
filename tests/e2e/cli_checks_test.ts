/**
 * The command line as a child process against the twin on loopback: gene and tissue IDs refused before
 * any request (the twin's counters show it), batches that report each failed item, `--strict`, the
 * `--tissue` filters, the whole table, and `--out` extensions.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/cli/table_text.ts`.
 */
import assert from "node:assert/strict";
import { type ServedTwin, serveTwin } from "ratgtex/offline";
import { tableText } from "../../lib/cli/table_text.ts";
import pl from "nodejs-polars";

const CLI = new URL("../../lib/cli/main.ts", import.meta.url).pathname;
const PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-ffi",
  "--allow-sys",
  "--allow-net=127.0.0.1",
];
const decoder = new TextDecoder();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], cwd?: string): Promise<Run> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...PERMISSIONS, CLI, ...args],
    stdin: "null",
    cwd,
    env: { NO_COLOR: "1", RATGTEX_SOURCE: "" },
  }).output();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** Run `tasks` two at a time (the machine is shared). */
async function pooled<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all([0, 1].map(async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  }));
  return out;
}

/** Every subcommand that takes a gene, with the gene in place of `G`. */
const GENE_COMMANDS: string[][] = [
  ["gene", "G"],
  ["gene-status", "G"],
  ["exon", "G"],
  ["gene-expression", "G"],
  ["median", "Eno1", "G"],
  ["significant", "G"],
  ["eqtl", "G"],
  ["xqtl", "G"],
  ["dyneqtl", "G", "IL", "chr10:100826333"],
  ["regress", "G", "IL", "chr10:100826333"],
  ["cluster", "Eno1", "G"],
  ["figures", "xqtl-overview", "G", "--out", "x.svg"],
];

async function withTwin(fn: (served: ServedTwin, source: string[]) => Promise<void>): Promise<void> {
  const served = await serveTwin({ quiet: true });
  try {
    await fn(served, ["--source", served.baseUrl, "--no-cache"]);
  } finally {
    await served.close();
  }
}

Deno.test("cli: every gene subcommand refuses a wrong-case or misspelt gene (exit 2, the closest ID) and sends nothing", async () => {
  await withTwin(async (served, source) => {
    const cases = GENE_COMMANDS.flatMap((command) =>
      [["cd300lf", /IDs are case-sensitive: did you mean Cd300lf\?/], ["Cd300lx", /did you mean Cd300lf/]].map((
        [gene, pattern],
      ) => ({ args: command.map((a) => (a === "G" ? gene as string : a)), pattern: pattern as RegExp }))
    );
    const dir = await Deno.makeTempDir();
    try {
      served.twin.resetStats();
      const runs = await pooled(cases.map((c) => () => cli([...c.args, ...source], dir)));
      runs.forEach((r, i) => {
        const what = `ratgtex ${cases[i].args.join(" ")}`;
        assert.equal(r.code, 2, `${what}: ${r.stderr}`);
        assert.match(r.stderr, cases[i].pattern, what);
        assert.equal(r.stdout, "", what);
      });
      const routes = Object.keys(served.twin.stats.byRoute).filter((r) => r !== "tissueInfo");
      assert.deepEqual(routes, [], `no route request sent: ${served.twin.stats.urls}`);
      assert.ok(served.twin.stats.geneListRequests >= 1);
      assert.deepEqual([...Deno.readDirSync(dir)], [], "no output file");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("cli: a batch reports each failed item on stderr, writes the others, and exits 1 only with --strict or when none succeeded", async () => {
  await withTwin(async (served, source) => {
    const [some, strict, none, multi] = await pooled([
      () => cli(["eqtl", "Cd300lf", "NotAGene", "-f", "tsv", ...source]),
      () => cli(["eqtl", "Cd300lf", "NotAGene", "-f", "tsv", "--strict", ...source]),
      () => cli(["eqtl", "NotAGene", "NotAGene2", "-f", "tsv", ...source]),
      () => cli(["variant", "chr10:100826333", "chr10:100880001", "-f", "tsv", ...source]),
    ]);
    assert.equal(some.code, 0, some.stderr);
    assert.match(some.stdout, /^geneId\t/);
    assert.ok(some.stdout.includes("Cd300lf\t"));
    assert.match(some.stderr, /ratgtex eqtl: failed: NotAGene: .*not a RatGTEx gene ID/);
    assert.equal(strict.code, 1);
    assert.equal(strict.stdout, "");
    assert.match(strict.stderr, /1 of 2 items failed \(--strict\)/);
    assert.equal(none.code, 1);
    assert.equal(none.stdout, "");
    assert.match(none.stderr, /2 of 2 items failed: nothing to write/);
    assert.equal(multi.code, 0, multi.stderr);
    assert.equal(multi.stdout.trim().split("\n").length, 2, "the good variant is written");
    assert.match(multi.stderr, /failed: chr10:100880001: .*HTTP 500.*multi-allelic/);
    assert.doesNotMatch(multi.stderr, /not found/, "the multi-allelic variant is not also called missing");
    assert.equal(served.twin.stats.byRoute.eqtl, 2, "one eqtl request per run with a known gene");
  });
});

Deno.test("cli: --tissue the same way everywhere; the per-gene routes filter by it", async () => {
  await withTwin(async (_served, source) => {
    const [positional, flag, both, filtered, bad, status] = await pooled([
      () => cli(["top", "IL", "-f", "tsv", ...source]),
      () => cli(["top", "--tissue", "IL", "-f", "tsv", ...source]),
      () => cli(["top", "IL", "--tissue", "LHb", ...source]),
      () => cli(["eqtl", "Cd300lf", "--tissue", "IL,NAcc", "-f", "tsv", ...source]),
      () => cli(["significant", "Cd300lf", "--tissue", "il", ...source]),
      () => cli(["gene-status", "Cd300lf", "-t", "IL", "-f", "tsv", ...source]),
    ]);
    assert.equal(flag.code, 0, flag.stderr);
    assert.equal(flag.stdout, positional.stdout);
    assert.equal(both.code, 2);
    assert.equal(filtered.code, 0, filtered.stderr);
    const tissues = filtered.stdout.trim().split("\n").slice(1).map((l) => l.split("\t")[1]);
    assert.ok(tissues.length > 0 && tissues.every((t) => t === "IL" || t === "NAcc"), tissues.join());
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid --tissue "il".*did you mean IL\?/);
    assert.equal(status.stdout.trim().split("\n").length, 2);
  });
});

Deno.test("cli: the table holds every column at full precision, whole in a file; an unknown --out extension is a usage error", async () => {
  await withTwin(async (_served, source) => {
    const dir = await Deno.makeTempDir();
    try {
      const [table, xlsx] = await pooled([
        () => cli(["regress", "Cd300lf", "IL", "chr10:100826333", "--out", `${dir}/fit.txt`, ...source]),
        () => cli(["eqtl", "Cd300lf", "--out", `${dir}/e.xlsx`, ...source]),
      ]);
      assert.equal(table.code, 0, table.stderr);
      const text = await Deno.readTextFile(`${dir}/fit.txt`);
      for (const column of ["nes", "error", "tStatistic", "pValue", "r2", "reason"]) {
        assert.ok(text.split("\n")[0].split(/\s+/).includes(column), `the table in the file shows ${column}`);
      }
      assert.match(text, /\(1 row, \d+ columns\)\n$/);
      assert.equal(xlsx.code, 2);
      assert.match(xlsx.stderr, /extension \.xlsx names no output format.*\.csv \(csv\).*--format table\|csv/);
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["fit.txt"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("tableText: vertical when wider than the terminal, nothing cut, p-values at full precision", () => {
  const wide = pl.DataFrame({
    geneId: ["Cd300lf", "Eno1"],
    pValueBeta: [2.02321e-6, 0.0107743],
    description: ["a long description of the gene that fills the line", ""],
  });
  const horizontal = tableText(wide);
  assert.match(horizontal, /2\.02321e-6/);
  assert.match(horizontal, /\(2 rows, 3 columns\)\n$/);
  const vertical = tableText(wide, 40);
  assert.match(vertical, /-\[ row 1 \]-\ngeneId {7}Cd300lf\npValueBeta {3}2\.02321e-6/);
  assert.ok(vertical.includes("a long description of the gene that fills the line"));
});

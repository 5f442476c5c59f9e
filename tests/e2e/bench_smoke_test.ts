// Every benchmark in tests/bench/ at its smoke size, each in its own process with the permissions it declares
// (tests/bench/README.md): it must exit 0 and print, as its last line, a valid list of records marked smoke.
// A bench whose peer is not installed passes with records that say "peer not installed: skipped". This is what
// keeps the benchmarks from rotting; it asserts nothing about speed (no wall-clock assertion).
import assert from "node:assert/strict";
import { benchFiles, type BenchRunDocument, declaredFlags, runBench } from "../bench/run.ts";
import { record, skippedRecord, validateRecords } from "../bench/_record.ts";
import { parseRun, readmeTable } from "../bench/readme_table.ts";

const files = benchFiles();

Deno.test("bench smoke: the bench folder has benches, each declaring its permissions", () => {
  assert.ok(files.length >= 10, `only ${files.length} bench files found`);
  for (const file of files) {
    const source = Deno.readTextFileSync(new URL(`../bench/${file}`, import.meta.url));
    assert.ok(declaredFlags(source), `${file}: no "bench-flags:" line`);
  }
});

for (const file of files) {
  Deno.test(`bench smoke: ${file} runs and prints its records`, async () => {
    const run = await runBench(file, { smoke: true, timeoutSeconds: 240, verbose: false, deno: Deno.execPath() });
    assert.ok(run.ok, `${file} failed: ${run.failure}`);
    assert.deepEqual(validateRecords(run.records), []);
    for (const r of run.records) {
      assert.equal(r.bench, file, `${file}: a record names ${r.bench}`);
      assert.equal(r.smoke, true, `${file}: "${r.case}" is not marked smoke (does the bench read --smoke?)`);
      assert.ok(r.ours !== null || r.skipped, `${file}: "${r.case}" has no figure and no reason`);
    }
  });
}

Deno.test("bench records: the ratio is ours ÷ theirs and the goal follows the direction", () => {
  const time = record({
    case: "t",
    unit: "s",
    ours: 2,
    peer: 4,
    peerName: "p",
    quantity: "time",
    better: "lower",
    goal: 1,
  }, false);
  assert.equal(time.ratio, 0.5);
  assert.equal(time.direction, "ours ÷ theirs, time: lower is better");
  assert.equal(time.met, true);
  const rate = record({
    case: "r",
    unit: "/s",
    ours: 2,
    peer: 4,
    peerName: "p",
    quantity: "rate",
    better: "higher",
    goal: 1,
  }, false);
  assert.equal(rate.ratio, 0.5);
  assert.equal(rate.met, false);
  assert.equal(
    record({ case: "s", unit: "s", ours: 1, peer: 2, peerName: "p", quantity: "time", better: "lower", goal: 1 }, true)
      .met,
    null,
  );
  const skipped = skippedRecord({
    case: "k",
    unit: "s",
    ours: 1,
    peerName: "R",
    quantity: "time",
    better: "lower",
    why: "r-base",
  });
  assert.equal(skipped.skipped, "peer not installed: skipped (r-base)");
  assert.deepEqual(validateRecords([{ bench: "x.ts", ...skipped }]), []);
  assert.ok(validateRecords([{ bench: "x.ts", ...time, direction: "ours / theirs" }]).length > 0);
  assert.ok(validateRecords([]).length > 0);
  assert.equal(
    declaredFlags("/**\n * bench-flags: --allow-read --allow-env\n */")?.join(" "),
    "--allow-read --allow-env",
  );
  assert.equal(declaredFlags("// nothing here"), null);
});

Deno.test("readme_table: one run's records become the README table, machine and load stated", () => {
  const doc: BenchRunDocument = {
    kind: "ratgtex-bench-run",
    smoke: false,
    machine: {
      cpu: "Test CPU",
      cpus: 2,
      loadBefore: [1, 2, 3],
      loadAfter: [1.5, 2, 3],
      deno: "2",
      v8: "15",
      date: "d",
    },
    runs: [
      {
        file: "a.ts",
        flags: [],
        ok: true,
        seconds: 1,
        failure: "",
        records: [{
          bench: "a.ts",
          ...record({
            case: "c | 1",
            unit: "s",
            ours: 1,
            peer: 2,
            peerName: "peer",
            quantity: "time",
            better: "lower",
            goal: 1,
          }, false),
        }],
      },
      { file: "b.ts", flags: [], ok: false, seconds: 1, failure: "exit status 1", records: [] },
    ],
  };
  const table = readmeTable(parseRun(`table…\n${JSON.stringify(doc)}\n`));
  assert.match(table, /Test CPU, 2 CPUs; load average \(1, 5, 15 min\) 1\.00 2\.00 3\.00 at the start/);
  assert.match(
    table,
    /\| a\.ts \| c \\\| 1 \| 1\.00 s \| peer: 2\.00 s \| 0\.50× \| ours ÷ theirs, time: lower is better \| ≤ 1 \| met \|/,
  );
  assert.match(table, /\| b\.ts \| FAILED: exit status 1 \|/);
});

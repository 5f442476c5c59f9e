/**
 * Untested and unknown, said by the command line as by the library: `ratgtex regress` on a pair RatGTEx never
 * tested warns and fills `reason`; `ratgtex variant` with mostly absent positions names the likely assembly
 * mismatch.
 */
import assert from "node:assert/strict";

const CLI = new URL("../../lib/cli/main.ts", import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args, "--source", "offline"],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

Deno.test("CLI: regress on a never-tested pair warns once and says why in reason", async () => {
  const r = await run(["regress", "Cd300lf", "IL", "chr8:18366666", "-f", "ndjson"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /1 pair was never tested by RatGTEx \(Cd300lf\/IL\/chr8:18366666\)/);
  const row = JSON.parse(r.stdout.trim());
  assert.equal(row.apiPValue, null);
  assert.match(row.reason, /not tested by RatGTEx/);
});

Deno.test("CLI: variant with mostly absent positions names the assembly mismatch", async () => {
  const ids = Array.from({ length: 6 }, (_, i) => `chr10:${105_000_000 + i}`).join(",");
  const r = await run(["variant", ids]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Only 0 of 6 found: a likely assembly mismatch\. RatGTEx v4 positions are GRCr8 \(rn8\)/);
});

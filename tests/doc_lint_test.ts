/**
 * `deno doc --lint` on every entry point: every public name documented, with explicit types, and no
 * public signature that names a type of ours the surface does not export.
 *
 * The one exception is a dependency's own type in a public signature (a polars `DataFrame`, Plot's
 * `PlotOptions`, d3's `HierarchyNode`): doc lint calls it private because this package does not export
 * it, and re-exporting it makes doc lint check the dependency's own type files instead (nodejs-polars'
 * `DataFrame` alone adds 84 errors there). Those references are allowed by name, nothing else.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ENTRY_POINTS = Object.values(
  (JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url))) as { exports: Record<string, string> })
    .exports,
).map((p) => p.replace(/^\.\//, ""));

/** Types of nodejs-polars, Observable Plot and d3-hierarchy that public signatures use. */
const DEPENDENCY_TYPES = new Set(["pl", "DataFrame", "PlotOptions", "Markish", "Link", "LinkOptions", "HierarchyNode"]);

Deno.test("deno doc --lint: every entry point clean but for the dependencies' own types", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--lint", ...ENTRY_POINTS],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  const problems: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^error\[([a-z-]+)\]: (.*)$/.exec(lines[i]);
    if (!m) continue;
    const where = lines.slice(i + 1, i + 4).find((l) => l.includes("-->"))?.replace(/.*--> /, "") ?? "?";
    const privateType = /references private type '([^']+)'/.exec(m[2])?.[1];
    if (m[1] === "private-type-ref" && privateType !== undefined && DEPENDENCY_TYPES.has(privateType)) continue;
    problems.push(`${m[1]}: ${m[2]} at ${where.replace(ROOT, "")}`);
  }
  assert.deepEqual(problems, [], `deno doc --lint ${ENTRY_POINTS.join(" ")}:\n${problems.join("\n")}`);
});

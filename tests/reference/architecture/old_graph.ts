/**
 * Records the module graph of an earlier layout so that `tests/architecture_test.ts` can show its rules
 * catch what that layout broke: commit 30f45de (the last of v0.1, before the layering work) into
 * `old_graph.json`, and e7116a5 (v0.2, where api imported release and the analysis room had no inner walls)
 * into `v02_graph.json`.
 *
 * Run from the project root:
 *   deno run --allow-read --allow-write --allow-run tests/reference/architecture/old_graph.ts [30f45de|e7116a5]
 * It checks the commit out into a temporary worktree, reads its graph with the same `moduleGraph` the
 * test uses, and writes the JSON file beside this script.
 */
import { moduleGraph } from "../../support/architecture_rules.ts";

const COMMIT = Deno.args[0] ?? "30f45de";
const OUT = COMMIT === "30f45de" ? "./old_graph.json" : "./v02_graph.json";
const tmp = await Deno.makeTempDir();
const git = (...args: string[]) => new Deno.Command("git", { args, stdout: "null", stderr: "inherit" }).output();
await git("worktree", "add", "--detach", `${tmp}/old`, COMMIT);
try {
  const edges = await moduleGraph(Deno.execPath(), `${tmp}/old`);
  await Deno.writeTextFile(
    new URL(OUT, import.meta.url),
    JSON.stringify({ commit: COMMIT, edges }, null, 0).replaceAll('},{"from"', '},\n{"from"') + "\n",
  );
  console.log(`${edges.length} edges from ${COMMIT}`);
} finally {
  await git("worktree", "remove", "--force", `${tmp}/old`);
  await Deno.remove(tmp, { recursive: true });
}

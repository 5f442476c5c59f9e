/**
 * Records the module graph of the layout before the layering work (commit 30f45de, the last of v0.1),
 * so that `tests/architecture_test.ts` can show its rules catch what that layout broke.
 *
 * Run from the project root:
 *   deno run --allow-read --allow-write --allow-run tests/reference/architecture/old_graph.ts
 * It checks the commit out into a temporary worktree, reads its graph with the same `moduleGraph` the
 * test uses, and writes `tests/reference/architecture/old_graph.json`.
 */
import { moduleGraph } from "../../support/architecture_rules.ts";

const COMMIT = "30f45de";
const tmp = await Deno.makeTempDir();
const git = (...args: string[]) => new Deno.Command("git", { args, stdout: "null", stderr: "inherit" }).output();
await git("worktree", "add", "--detach", `${tmp}/old`, COMMIT);
try {
  const edges = await moduleGraph(Deno.execPath(), `${tmp}/old`);
  await Deno.writeTextFile(
    new URL("./old_graph.json", import.meta.url),
    JSON.stringify({ commit: COMMIT, edges }, null, 0).replaceAll('},{"from"', '},\n{"from"') + "\n",
  );
  console.log(`${edges.length} edges from ${COMMIT}`);
} finally {
  await git("worktree", "remove", "--force", `${tmp}/old`);
  await Deno.remove(tmp, { recursive: true });
}

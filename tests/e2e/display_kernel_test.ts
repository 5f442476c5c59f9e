/**
 * In Deno's Jupyter kernel (started by Jupyter's Python client): `display(x)` shows x once as rich output
 * (never the raw MIME bundle), and a long fan-out shows an updating progress display. Skipped, saying
 * so, without Jupyter's Python client.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/cli/tools/kernel.ts`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { kernelSpec, writeKernelSpec } from "../../lib/cli/tools/kernel.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const HAS_CLIENT = (() => {
  try {
    return new Deno.Command("/usr/bin/python3", { args: ["-c", "import jupyter_client"], stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
})();

/** Run `code` in one kernel cell; returns the iopub messages' types and contents, as JSON lines. */
async function runCell(code: string): Promise<{ type: string; content: Record<string, unknown> }[]> {
  const dir = await Deno.makeTempDir({ prefix: "ratgtex-kernel-" });
  try {
    await writeKernelSpec(join(dir, "kernels"), kernelSpec({ source: "offline" }));
    const script = `
import json, sys
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="ratgtex-deno", startup_timeout=120, cwd=${JSON.stringify(ROOT)})
msgs = []
kc.execute_interactive(sys.stdin.read(), timeout=120, output_hook=lambda m: msgs.append({"type": m["msg_type"], "content": m["content"]}))
print(json.dumps(msgs))
kc.stop_channels(); km.shutdown_kernel(now=True)
`;
    const child = new Deno.Command("/usr/bin/python3", {
      args: ["-c", script],
      env: { JUPYTER_PATH: dir },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(code));
    await writer.close();
    const out = await child.output();
    const text = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "[]";
    assert.ok(out.success, new TextDecoder().decode(out.stderr).slice(-800));
    return JSON.parse(text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "kernel: display(x) shows x once, rich; a fan-out shows an updating progress display",
  ignore: !HAS_CLIENT,
  fn: async () => {
    const msgs = await runCell([
      'import * as rg from "ratgtex";',
      'const client = rg.createClient({ source: "offline" });',
      "const tissues = await rg.tissueInfo({}, { client });",
      'await rg.eqtl(["Cd300lf", "Eno1", "Polr3k", "Rtel1", "Cd300lf", "Eno1", "Polr3k", "Rtel1"], { client });',
      "rg.jupyter.display(tissues);",
    ].join("\n"));
    const types = msgs.map((m) => m.type);
    const shown = msgs.filter((m) => m.type === "display_data");
    const tables = shown.filter((m) => /<table/.test(String((m.content.data as Record<string, string>)["text/html"])));
    assert.equal(tables.length, 1, `one rich display of the frame: ${types.join(",")}`);
    const results = msgs.filter((m) => m.type === "execute_result");
    // display(x) on the cell's last line: no result at all (not the raw bundle, not an empty Out[n]).
    assert.deepEqual(
      results,
      [],
      `no execute_result after display(): ${JSON.stringify(results.map((r) => r.content))}`,
    );
    assert.ok(types.includes("update_display_data"), `the progress display is updated: ${types.join(",")}`);
    assert.ok(!msgs.some((m) => m.type === "error"), JSON.stringify(msgs.find((m) => m.type === "error")));
  },
});

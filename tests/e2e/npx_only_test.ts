/**
 * Commands that work with only `npx` (no `deno` on PATH): the README's task forms and its pipe example,
 * and the kernelspec `ratgtex kernel` writes from an npx Deno, which must keep working after npm's npx
 * cache is removed (it launches `npx -y deno@<pinned> jupyter …`, never a path inside that cache).
 * Skipped, saying so, when npx or Jupyter's Python client is missing. The kernel's start time is printed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";

const ROOT = new URL("../..", import.meta.url).pathname;
const PIN = `deno@${Deno.version.deno}`;
/** A PATH without deno: the system folders only. */
const NO_DENO_PATH = "/usr/bin:/bin";

function has(cmd: string, args: string[]): boolean {
  try {
    return new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
}
const NPX = has("/usr/bin/npx", ["--version"]) && !has("/bin/sh", ["-c", `PATH=${NO_DENO_PATH} command -v deno`]);
const JUPYTER_CLIENT = has("/usr/bin/python3", ["-c", "import jupyter_client"]);

/**
 * The caller's environment without what an npx or deno-task parent leaves there: under `npx … task test`
 * (as CI runs it) `npm_config_cache` and friends point npx at the caller's npm cache, not the temporary
 * HOME's, and INIT_CWD would move the task's relative paths.
 */
function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([k]) => !/^npm_/i.test(k) && k !== "INIT_CWD" && k !== "NODE"),
  );
}

function sh(script: string, env: Record<string, string> = {}) {
  return new Deno.Command("/bin/sh", {
    args: ["-c", script],
    cwd: ROOT,
    clearEnv: true,
    env: { ...cleanEnv(), PATH: NO_DENO_PATH, NO_COLOR: "1", RATGTEX_SOURCE: "", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test({
  name: "npx only: the README's task commands and its pipe example run with no deno on PATH",
  ignore: !NPX,
  fn: async () => {
    const one = await sh(`npx -y ${PIN} task -q cli gene Cd300lf --source offline -f tsv`);
    assert.equal(one.code, 0, new TextDecoder().decode(one.stderr));
    assert.match(new TextDecoder().decode(one.stdout), /^geneId\t/);
    const pipe = await sh(
      `npx -y ${PIN} task -q cli eqtl Cd300lf --source offline -f tsv | cut -f1-3 | ` +
        `npx -y ${PIN} task -q cli regress - --source offline -f tsv`,
    );
    assert.equal(pipe.code, 0, new TextDecoder().decode(pipe.stderr));
    assert.match(new TextDecoder().decode(pipe.stdout), /^geneId\ttissueSiteDetailId\tvariantId\ttransform\tn\t/);
    // The installed command: the README's shim, from another folder, still with no deno on PATH.
    const bin = await Deno.makeTempDir({ prefix: "ratgtex-bin-" });
    try {
      const shim = `${bin}/ratgtex`;
      await Deno.writeTextFile(shim, shimText(ROOT));
      await Deno.chmod(shim, 0o755);
      const installed = await new Deno.Command(shim, {
        args: ["gene", "Cd300lf", "--source", "offline", "-f", "tsv"],
        cwd: bin,
        env: { PATH: `${bin}:${NO_DENO_PATH}`, NO_COLOR: "1", RATGTEX_SOURCE: "" },
      }).output();
      assert.equal(installed.code, 0, new TextDecoder().decode(installed.stderr));
      assert.match(new TextDecoder().decode(installed.stdout), /^geneId\t/);
    } finally {
      await Deno.remove(bin, { recursive: true });
    }
  },
});

/** The shim the README installs as \`ratgtex\` (its text, with the project folder filled in). */
function shimText(project: string): string {
  const dir = project.replace(/\/$/, "");
  return [
    "#!/bin/sh",
    `exec npx -y ${PIN} run --allow-read --allow-write --allow-env --allow-ffi --allow-sys \\`,
    `  --allow-net=ratgtex.org,127.0.0.1,localhost --config "${dir}/deno.json" "${dir}/lib/cli/main.ts" "$@"`,
    "",
  ].join("\n");
}

Deno.test({
  name: "npx only: the kernelspec from an npx Deno survives a removed npx cache (temporary HOME)",
  ignore: !NPX || !JUPYTER_CLIENT,
  fn: async () => {
    const home = await Deno.makeTempDir({ prefix: "ratgtex-home-" });
    const realHome = Deno.env.get("HOME") ?? "";
    try {
      // npm's content cache, so that npx can reinstall Deno without the network; Deno's own cache, so
      // that the kernel finds the npm packages it has.
      await Deno.mkdir(join(home, ".npm"));
      try {
        await new Deno.Command("cp", { args: ["-r", join(realHome, ".npm", "_cacache"), join(home, ".npm")] }).output();
      } catch {
        // no content cache: npx fetches from the registry
      }
      const env = { HOME: home, DENO_DIR: Deno.env.get("DENO_DIR") ?? join(realHome, ".cache", "deno") };
      const written = await sh(`npx -y ${PIN} task -q kernel`, env);
      assert.equal(written.code, 0, new TextDecoder().decode(written.stderr));
      const specPath = join(home, ".local", "share", "jupyter", "kernels", "ratgtex-deno", "kernel.json");
      const spec = JSON.parse(await Deno.readTextFile(specPath)) as { argv: string[] };
      assert.ok(spec.argv[0].endsWith("npx"), spec.argv.join(" "));
      assert.deepEqual(spec.argv.slice(1, 4), ["-y", PIN, "jupyter"]);
      assert.ok(!spec.argv.some((a) => a.includes("_npx")), "the argv never names the npx cache");

      await Deno.remove(join(home, ".npm", "_npx"), { recursive: true });
      const script = [
        "import time",
        "from jupyter_client.manager import start_new_kernel",
        "t = time.time()",
        "km, kc = start_new_kernel(kernel_name='ratgtex-deno', startup_timeout=180)",
        "started = time.time() - t",
        "reply = kc.execute_interactive('1 + 1', timeout=60)",
        "print(f\"kernel ready in {started:.1f} s: {reply['content']['status']}\", flush=True)",
        "kc.stop_channels(); km.shutdown_kernel(now=True)",
      ].join("\n");
      const run = await sh(`/usr/bin/python3 -c "${script.replaceAll('"', '\\"')}"`, env);
      const out = new TextDecoder().decode(run.stdout);
      assert.match(out, /kernel ready in [\d.]+ s: ok/, new TextDecoder().decode(run.stderr).slice(-500));
      console.log(`after removing the npx cache: ${out.trim()}`);
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});

/**
 * `ratgtex kernel` (`deno task kernel`): register a Jupyter kernelspec for Deno's own kernel (`deno jupyter --kernel`), set up
 * for this project, so that JupyterLab, VS Code and `jupyter nbconvert` can run the notebooks.
 *
 * The kernelspec (default name `ratgtex-deno`, shown as "RatGTEx (Deno)") starts the Deno binary that ran
 * this script, with `NO_COLOR=1` (frames and errors without ANSI escapes) and `DENO_NO_UPDATE_CHECK=1`.
 * The kernel runs in the notebook's folder and finds the project's `deno.json` by walking up from it, so
 * `import * as rg from "ratgtex"` works in any notebook inside the project. `RATGTEX_SOURCE` reaches the
 * kernel from the environment that starts Jupyter (`RATGTEX_SOURCE=offline jupyter lab`); `--source`
 * fixes it in the kernelspec instead.
 *
 * ```sh
 * deno task kernel                      # register in the user's Jupyter data folder
 * deno task kernel --source offline     # the kernel always uses the offline universe
 * deno task cli kernel --dir /tmp/kernels  # somewhere else (deno task kernel may write only the Jupyter folder)
 * jupyter kernelspec list               # check
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { ValidationError } from "../../_core/errors.ts";

/** The kernelspec name the notebooks ask for. */
export const KERNEL_NAME = "ratgtex-deno";

/** The name Jupyter front ends show. */
export const KERNEL_DISPLAY_NAME = "RatGTEx (Deno)";

/** A Jupyter kernelspec (`kernel.json`). */
export interface KernelSpec {
  /** The command line; Jupyter replaces `{connection_file}`. */
  argv: string[];
  /** The name front ends show. */
  display_name: string;
  /** The kernel's language. */
  language: string;
  /** Environment variables set for the kernel, on top of the environment that starts Jupyter. */
  env: Record<string, string>;
  /** Free-form metadata. */
  metadata: Record<string, unknown>;
}

/** Options of {@link kernelSpec}. */
export interface KernelSpecOptions {
  /** The Deno binary (default: the one running, `Deno.execPath()`). */
  deno?: string;
  /** Display name (default {@link KERNEL_DISPLAY_NAME}). */
  displayName?: string;
  /** Fix `RATGTEX_SOURCE` (`offline`, `live` or a base URL) in the kernelspec; default: inherit it. */
  source?: string;
}

/**
 * The kernelspec for Deno's kernel with this project's settings.
 *
 * `RATGTEX_SOURCE` is not templated into `env` unless `source` is given: Jupyter's `${VAR}` substitution
 * leaves the literal text `${RATGTEX_SOURCE}` when the variable is unset, while an absent entry is simply
 * inherited from the environment that starts Jupyter.
 *
 * @param options The Deno binary, display name and an optional fixed source.
 * @returns The `kernel.json` content.
 */
export function kernelSpec(options: KernelSpecOptions = {}): KernelSpec {
  const deno = options.deno ?? denoBinary();
  // A Deno that npx put in its cache (`…/_npx/<hash>/…`) is gone when that cache is cleaned: launch the
  // pinned version through npx instead, which fetches it again when needed.
  const launcher = inNpxCache(deno) ? [npxBinary(), "-y", `deno@${Deno.version.deno}`] : [deno];
  const env: Record<string, string> = { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" };
  if (options.source !== undefined) {
    const source = options.source.trim();
    if (source !== "offline" && source !== "live" && !/^https?:\/\//.test(source)) {
      throw new ValidationError(
        "source",
        options.source,
        `is not "offline", "live" or an http(s) base URL ending in /api/v4`,
        `pass source: "offline" (or "live", or e.g. "http://127.0.0.1:8000/api/v4")`,
      );
    }
    env.RATGTEX_SOURCE = source;
  }
  return {
    argv: [...launcher, "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: options.displayName ?? KERNEL_DISPLAY_NAME,
    language: "typescript",
    env,
    metadata: { ratgtex: { note: "written by `deno task kernel` (lib/cli/tools/kernel.ts)" } },
  };
}

/**
 * Whether a Deno binary lives in npm's npx cache (a `_npx` folder), which npm may clear at any time.
 */
export function inNpxCache(path: string): boolean {
  return /[\\/]_npx[\\/]/.test(path);
}

/** `npx` by its absolute path on PATH (Jupyter may start kernels with another PATH), else `npx`. */
function npxBinary(): string {
  const sep = Deno.build.os === "windows" ? ";" : ":";
  for (const dir of (Deno.env.get("PATH") ?? "").split(sep)) {
    for (const name of Deno.build.os === "windows" ? ["npx.cmd", "npx.exe"] : ["npx"]) {
      try {
        const candidate = join(dir, name);
        if (dir && Deno.statSync(candidate).isFile && !inNpxCache(candidate)) return candidate;
      } catch {
        // not there
      }
    }
  }
  return "npx";
}

/**
 * The Deno binary in use, by a stable path: `Deno.execPath()` resolves symlinks, which for `npx deno` lands in
 * npm's cache (which npm may clear), so a `deno` on PATH that is the same file is preferred.
 *
 * @returns An absolute path to the running Deno binary.
 */
export function denoBinary(): string {
  const exec = Deno.execPath();
  const sep = Deno.build.os === "windows" ? ";" : ":";
  const exe = Deno.build.os === "windows" ? "deno.exe" : "deno";
  for (const dir of (Deno.env.get("PATH") ?? "").split(sep)) {
    if (!dir) continue;
    const candidate = join(dir, exe);
    try {
      if (Deno.realPathSync(candidate) === exec) return candidate;
    } catch {
      // not there
    }
  }
  return exec;
}

/**
 * The user's Jupyter data folder: `JUPYTER_DATA_DIR`, else what `jupyter --data-dir` prints, else the
 * platform default (`~/.local/share/jupyter`, `~/Library/Jupyter`, `%APPDATA%\jupyter`).
 *
 * @returns An absolute folder path (it may not exist yet).
 */
export async function jupyterDataDir(): Promise<string> {
  const fromEnv = Deno.env.get("JUPYTER_DATA_DIR");
  if (fromEnv) return fromEnv;
  try {
    const out = await new Deno.Command("jupyter", { args: ["--data-dir"], stdout: "piped", stderr: "null" }).output();
    const dir = new TextDecoder().decode(out.stdout).trim().split("\n").pop()?.trim();
    if (out.success && dir) return dir;
  } catch {
    // jupyter is not on PATH: fall back to the platform default below.
  }
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? ".";
  if (Deno.build.os === "darwin") return join(home, "Library", "Jupyter");
  if (Deno.build.os === "windows") return join(Deno.env.get("APPDATA") ?? home, "jupyter");
  return join(Deno.env.get("XDG_DATA_HOME") ?? join(home, ".local", "share"), "jupyter");
}

/**
 * Write a kernelspec folder (`<kernelsDir>/<name>/kernel.json`).
 *
 * @param kernelsDir The `kernels` folder to write into (e.g. `~/.local/share/jupyter/kernels`).
 * @param spec The kernelspec.
 * @param name The kernel's name (default {@link KERNEL_NAME}); letters, digits, `.`, `_`, `-`.
 * @returns The kernelspec folder.
 */
export async function writeKernelSpec(
  kernelsDir: string,
  spec: KernelSpec,
  name: string = KERNEL_NAME,
): Promise<string> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new ValidationError(
      "name",
      name,
      `must use only letters, digits, ".", "_" and "-" (Jupyter's rule)`,
      `pass a name such as "ratgtex-deno"`,
    );
  }
  const dir = join(kernelsDir, name);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  return dir;
}

/**
 * What the end-to-end tests drive: Debian's Chromium through puppeteer-core, Debian's classic Jupyter
 * Notebook, the project's headless notebook runner, and a kernelspec for Deno's kernel in a temporary
 * Jupyter path. Each helper says why it is missing, so a test can skip with a clear message.
 */
import puppeteer, { type Browser } from "puppeteer-core";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { kernelSpec, writeKernelSpec } from "../../lib/cli/tools/kernel.ts";

/** The project's root folder. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** The CLI's entry point. */
export const CLI: string = join(ROOT, "lib", "cli", "main.ts");

/** Chromium: `$CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM: string = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";

/** The flags every test browser runs with (no network side channels, no first-run UI). */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--hide-scrollbars",
  "--font-render-hinting=none",
];

/** Whether a command runs and exits 0. */
export function runs(command: string, args: string[]): boolean {
  try {
    return new Deno.Command(command, { args, stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
}

/** Why Chromium cannot be used, or null. */
export function chromiumMissing(): string | null {
  try {
    Deno.statSync(CHROMIUM);
    return null;
  } catch {
    return `${CHROMIUM} not found (Debian: apt-get install -y chromium; or set CHROMIUM)`;
  }
}

/** Why the classic Jupyter Notebook cannot be used, or null. */
export function notebookServerMissing(): string | null {
  return runs("jupyter", ["notebook", "--version"])
    ? null
    : "jupyter notebook not found (Debian: apt-get install -y jupyter-notebook)";
}

/** Why nbconvert cannot be used, or null. */
export function nbconvertMissing(): string | null {
  return runs("jupyter", ["nbconvert", "--version"])
    ? null
    : "jupyter nbconvert not found (Debian: apt-get install -y jupyter-nbconvert python3-nbclient)";
}

/** Print why a test is skipped (Deno prints `ignored` without a reason). */
export function sayWhySkipped(test: string, reasons: (string | null)[]): boolean {
  const why = reasons.filter((r): r is string => r !== null);
  if (why.length > 0) console.warn(`skipping "${test}": ${why.join("; ")}`);
  return why.length > 0;
}

/** Launch headless Chromium with a fresh profile (removed by `close`). */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const profile = await Deno.makeTempDir({ prefix: "ratgtex-chromium-" });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    userDataDir: profile,
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * A temporary Jupyter path holding the `ratgtex-deno` kernelspec (offline source), plus runtime and config
 * folders of its own, so nothing of the user's Jupyter setup is read or written.
 */
export async function jupyterEnv(dir: string): Promise<Record<string, string>> {
  await writeKernelSpec(join(dir, "kernels"), kernelSpec({ source: "offline" }));
  for (const sub of ["runtime", "config", "data"]) await Deno.mkdir(join(dir, sub), { recursive: true });
  return {
    JUPYTER_PATH: dir,
    JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
    JUPYTER_CONFIG_DIR: join(dir, "config"),
    JUPYTER_DATA_DIR: join(dir, "data"),
    RATGTEX_SOURCE: "offline",
    NO_COLOR: "1",
  };
}

/** A free TCP port on loopback. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A running classic Jupyter Notebook server. */
export interface NotebookServer {
  /** `http://127.0.0.1:PORT` */
  base: string;
  /** The access token. */
  token: string;
  /** Stop it (SIGTERM, then wait). */
  stop(): Promise<void>;
}

/** Start `jupyter notebook` on `root` (kernels run in each notebook's folder) and wait until it answers. */
export async function startNotebookServer(root: string, env: Record<string, string>): Promise<NotebookServer> {
  const port = freePort();
  const token = crypto.randomUUID().replaceAll("-", "");
  const child = new Deno.Command("jupyter", {
    args: [
      "notebook",
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${root}`,
      // CI containers run as root, which the server refuses without this.
      ...(Deno.uid() === 0 ? ["--allow-root"] : []),
    ],
    env,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Keep the pipe drained (the server logs every request) and the last lines for an error message.
  let log = "";
  const drained = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (t) => void (log = (log + t).slice(-4000)) }),
  ).catch(() => {});
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await child.status;
    await drained;
  };
  let exited = false;
  child.status.then(() => void (exited = true));
  for (let i = 0; i < 240 && !exited; i++) {
    try {
      const r = await fetch(`${base}/api/status?token=${token}`);
      await r.body?.cancel();
      if (r.ok) return { base, token, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`jupyter notebook did not start on ${base}:\n${log}`);
}

/** One output of a code cell (nbformat 4), as far as the comparisons need it. */
export interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
}

/** A notebook (nbformat 4), as far as the comparisons need it. */
export interface Notebook {
  cells: { cell_type: string; source: string | string[]; outputs?: Output[]; metadata?: Record<string, unknown> }[];
  metadata?: Record<string, unknown>;
}

/**
 * Execute notebooks headless with the project's runner (`notebook run`, offline) and return the executed
 * copies by the notebooks' paths.
 */
export async function runHeadless(paths: string[]): Promise<Map<string, Notebook>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "notebook", "run", "--source", "offline", "--keep", "--jobs", "1", ...paths],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const kept = /executed notebooks kept in (.+)$/m.exec(text)?.[1];
  if (!out.success || !kept) throw new Error(`notebook run failed:\n${text}\n${new TextDecoder().decode(out.stderr)}`);
  const executed = new Map<string, Notebook>();
  for (const path of paths) {
    executed.set(path, JSON.parse(await Deno.readTextFile(join(kept, path.split(/[\\/]/).pop()!))));
  }
  await Deno.remove(join(kept, ".."), { recursive: true });
  return executed;
}

/**
 * The service subcommands: they run something rather than fetch a table. `serve` (the twin on
 * loopback), `cache` (the disk cache), `demo` (the demo analysis and its report), `gallery` (every figure
 * from the offline universe), `kernel` (register the Jupyter kernel) and `notebook run` (execute and check
 * the notebooks). Each imports what it needs when it runs, so its deno task keeps its own narrow permissions.
 *
 * @module
 */
import { integerOption, listOption, type OptionTable, stringOption, UsageError } from "./args.ts";
import { type Command, type CommandContext, NO_COMMON, noPositionals, SOURCE_OPTIONS } from "./command.ts";
import { RatGtexError } from "../_core/errors.ts";

const encoder = new TextEncoder();

/** The loopback names `serve` accepts without --public. */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Serve until SIGINT or SIGTERM. */
async function serve(c: CommandContext): Promise<null> {
  noPositionals(c.positionals, "serve");
  const port = integerOption(c.values, "port", 0, 65535, "serve") ?? 0;
  const hostname = stringOption(c.values, "hostname") ?? "127.0.0.1";
  const loopback = LOOPBACK.has(hostname.toLowerCase());
  if (!loopback && c.values.public !== true) {
    throw new UsageError(
      `--hostname ${hostname} would serve beyond this machine: the twin listens on loopback only ` +
        "(add --public to allow it, and --allow-net=" + hostname + " to Deno)",
      "serve",
    );
  }
  if (!loopback) c.note(`ratgtex: warning: serving on ${hostname}: anyone who can reach this address can use the twin`);
  const faults = c.values.faults === true;
  if (faults) c.note("ratgtex: fault injection on: requests may carry X-Twin-Fault");
  const data = stringOption(c.values, "data");
  const allowedHosts = listOption(c.values, "allow-host") ?? [];
  if (allowedHosts.includes("*")) {
    c.note("ratgtex: warning: --allow-host '*': any Host header is answered (no guard against DNS rebinding)");
  }
  const { serveTwin } = await import("../offline/serve.ts");
  const served = await serveTwin({ port, hostname, data, faultInjection: faults, allowedHosts }).catch((e) => {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      const what = /\bread\b|read access/i.test(String(e)) ? "read" : "net";
      if (what === "read" && data !== undefined) {
        throw new RatGtexError(`no permission to read the release folder ${data}`, {
          hint: `run: deno run --allow-read=${data} --allow-net=127.0.0.1 lib/cli/main.ts serve --data ${data} ` +
            "(deno task serve may read fixtures/ only)",
        });
      }
      if (what === "net") {
        throw new RatGtexError(`no permission to listen on ${hostname}:${port}`, {
          hint: `run Deno with --allow-net=${hostname} (deno task serve allows 127.0.0.1 only)`,
        });
      }
    }
    throw e;
  });
  const signals: Deno.Signal[] = [];
  const stop = Promise.withResolvers<void>();
  Deno.stdout.writeSync(encoder.encode(`${served.baseUrl}\n`));
  c.note(
    data === undefined
      ? "ratgtex: serving the RatGTEx twin over the bundled miniature release (synthetic data); stop with Ctrl-C"
      : `ratgtex: serving the RatGTEx twin over the release folder ${served.twin.dataDir}; stop with Ctrl-C`,
  );
  c.note(`files: ${served.baseUrl.replace(/\/api\/v4$/, "/data/v4/")}… (HTTP ranges supported)`);
  c.note(`try: curl '${served.baseUrl}/dyneqtl?geneId=Cd300lf&tissueSiteDetailId=IL&variantId=chr10:100826333'`);
  if (!loopback && allowedHosts.length === 0) {
    c.note(
      `ratgtex: requests must name this server in their Host header (${hostname}:${served.port} or, from this ` +
        "machine, 127.0.0.1/localhost); " +
        "add --allow-host NAME for the names clients use",
    );
  }
  // serve needs to read the folder and to listen, nothing more: say so when this process may do more.
  const extra = (["write", "ffi", "run"] as const).filter((name) =>
    Deno.permissions.querySync({ name }).state === "granted"
  );
  if (extra.length > 0) {
    c.note(
      `ratgtex: note: serve needs only --allow-read=<folder> --allow-net=127.0.0.1; this process may also ` +
        `${extra.map((p) => (p === "ffi" ? "load native code" : p)).join(", ")}`,
    );
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    try {
      Deno.addSignalListener(signal, stop.resolve);
      signals.push(signal);
    } catch {
      // SIGTERM cannot be listened to on Windows: Ctrl-C still works.
    }
  }
  try {
    await stop.promise;
  } finally {
    // Left in place, the listeners would swallow every later Ctrl-C of a process that called main().
    for (const signal of signals) Deno.removeSignalListener(signal, stop.resolve);
    await served.close();
  }
  return null;
}

/** `cache info` / `cache clear`. */
async function cache(c: CommandContext) {
  const action = c.positionals[0];
  if (c.positionals.length !== 1 || (action !== "info" && action !== "clear")) {
    throw new UsageError(
      `expected 'cache info' or 'cache clear', got ${JSON.stringify(c.positionals.join(" "))}`,
      "cache",
    );
  }
  const { defaultCacheDir, ResponseCache } = await import("../api/client.ts");
  const dir = stringOption(c.values, "cache-dir") ?? defaultCacheDir();
  if (dir === null) {
    return { text: "no cache folder: no HOME, XDG_CACHE_HOME or RATGTEX_CACHE_DIR (pass --cache-dir)\n" };
  }
  const store = new ResponseCache(dir);
  const info = await store.info();
  if (action === "clear") {
    await store.clear();
    return { text: `removed ${info.entries} entries (${info.bytes} bytes) from ${info.dir}\n` };
  }
  const { cacheInfoFrame } = await import("./frames.ts");
  return { frame: cacheInfoFrame(info) };
}

/** The demo analysis, offline unless `--live` or `--source` (or `RATGTEX_SOURCE` naming offline or a URL). */
async function demo(c: CommandContext): Promise<null> {
  noPositionals(c.positionals, "demo");
  const [{ runDemo }, { createClient, defaultClient }] = await Promise.all([
    import("./tools/demo.ts"),
    import("../api/client.ts"),
  ]);
  const given = c.values.live ? "live" : stringOption(c.values, "source");
  // The environment is read in one place (defaultClient); unlike the data commands, the demo's default is offline.
  const client = given !== undefined
    ? createClient({ source: given })
    : defaultClient().source === "live"
    ? createClient({ source: "offline" })
    : defaultClient();
  const outDir = stringOption(c.values, "out") ?? "demo-report";
  // Checked before any work: `deno task demo` may write demo-report/ only, and a refusal after minutes of
  // computing (Deno's raw permission message) helps nobody.
  const write = await Deno.permissions.query({ name: "write", path: outDir });
  if (write.state !== "granted") {
    throw new UsageError(
      `no permission to write ${outDir}: 'npx -y deno@2.9.6 task demo' may write demo-report/ only; for another folder run ` +
        `'npx -y deno@2.9.6 task cli demo --out ${stringOption(c.values, "out")}' (the cli task may write anywhere)`,
      "demo",
    );
  }
  await runDemo({ client, geneId: stringOption(c.values, "gene") ?? "Cd300lf", outDir });
  return null;
}

/** Write the figure gallery. */
async function gallery(c: CommandContext) {
  noPositionals(c.positionals, "gallery");
  const out = stringOption(c.values, "out") ?? "gallery";
  const { writeGallery } = await import("./tools/gallery.ts");
  const files = await writeGallery(out);
  // A note, not output: --out is the gallery's folder, so there is no result file to write this line into.
  c.note(`wrote ${files.length} files to ${out}/ (open ${out}/index.html)`);
  return null;
}

/** Register the Jupyter kernelspec. */
async function kernel(c: CommandContext) {
  noPositionals(c.positionals, "kernel");
  const { join } = await import("node:path");
  const k = await import("./tools/kernel.ts");
  const name = stringOption(c.values, "name") ?? k.KERNEL_NAME;
  const display = stringOption(c.values, "display") ?? k.KERNEL_DISPLAY_NAME;
  const source = stringOption(c.values, "source");
  const spec = k.kernelSpec({ displayName: display, source });
  const kernelsDir = stringOption(c.values, "dir") ?? join(await k.jupyterDataDir(), "kernels");
  const dir = await k.writeKernelSpec(kernelsDir, spec, name).catch((e) => {
    if (!(e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied)) throw e;
    throw new RatGtexError(`no permission to write the kernelspec into ${kernelsDir}`, {
      hint: "deno task kernel may write only ~/.local/share/jupyter and ~/Library/Jupyter; for another folder " +
        `run: npx -y deno@2.9.6 task cli kernel --dir ${kernelsDir}`,
    });
  });
  return {
    text: [
      `Registered the Jupyter kernel "${display}" (${name}) in ${dir}`,
      `  runs: ${spec.argv.slice(0, 3).join(" ")} (notebooks in this project import "ratgtex" via deno.json)`,
      source
        ? `  RATGTEX_SOURCE=${source} (fixed)`
        : "  RATGTEX_SOURCE: inherited from the environment that starts Jupyter (unset = the live API)",
      "Check with: jupyter kernelspec list",
      "",
    ].join("\n"),
  };
}

/** `notebook run [NB.ipynb...]`: execute and check the notebooks. */
async function notebook(c: CommandContext) {
  const [action, ...paths] = c.positionals;
  if (action !== "run") {
    throw new UsageError(
      `expected 'notebook run [NOTEBOOK.ipynb...]', got ${JSON.stringify(action ?? "")}`,
      "notebook",
    );
  }
  const out = stringOption(c.values, "out");
  const html = stringOption(c.values, "html");
  if ((out !== undefined || html !== undefined) && paths.length !== 1) {
    throw new UsageError(`--out and --html take one notebook, got ${paths.length}`, "notebook");
  }
  const check = c.values.check === true;
  if (!check && paths.length === 0) {
    throw new UsageError(
      "give the notebook(s) to run (or --check to run and check the project's notebooks)",
      "notebook",
    );
  }
  const { runNotebooks } = await import("./tools/notebook.ts");
  const failed = await runNotebooks({
    paths,
    jobs: integerOption(c.values, "jobs", 1, 64, "notebook") ?? 2,
    timeout: integerOption(c.values, "timeout", 1, 86400, "notebook") ?? 120,
    update: c.values.update === true,
    keep: c.values.keep === true,
    // The project's checks run offline; a user's notebook gets the kernel's own environment.
    source: stringOption(c.values, "source") ?? (check ? "offline" : undefined),
    check,
    ...(out !== undefined ? { out } : {}),
    ...(html !== undefined ? { html } : {}),
  });
  return { exitCode: failed === 0 ? 0 : 1 };
}

const OUT_DIR = (what: string, fallback: string): OptionTable => ({
  out: { type: "string", short: "o", value: "DIR", help: `${what} folder (default ${fallback})` },
});

/** The service subcommands, in the order the help lists them. */
export const SERVICE_COMMANDS: readonly Command[] = [
  {
    name: "serve",
    aliases: [],
    summary: "serve the twin of the RatGTEx API over a release folder (default: the bundled synthetic one)",
    usage: ["serve [--data DIR] [--port N] [--hostname H [--public]] [--allow-host NAME] [--faults]"],
    details: "Prints the API base URL (http://127.0.0.1:PORT/api/v4) as the first line of standard output, then\n" +
      "serves until SIGINT or SIGTERM. Point any client at it: --source http://127.0.0.1:PORT/api/v4.\n" +
      "--data DIR serves any RatGTEx v4 release folder (a copy of https://ratgtex.org/data/v4/) as api/app.py would;\n" +
      "its files are served too, under /data/v4/ (only files inside the folder: a symlink out of it is not served).\n" +
      "Requests must name the server in their Host header (its address; localhost on loopback; --allow-host\n" +
      "names): a web page cannot reach it through DNS rebinding. Least privilege for a folder:\n" +
      "deno run --allow-read=DIR --allow-net=127.0.0.1 lib/cli/main.ts serve --data DIR",
    options: {
      data: { type: "string", value: "DIR", help: "release folder (data/v4 or the folder above it)" },
      port: { type: "string", short: "p", value: "N", help: "port (default 0: a free port)" },
      hostname: {
        type: "string",
        value: "H",
        help: "address to listen on (default 127.0.0.1; another needs --public)",
      },
      public: { type: "boolean", help: "allow a --hostname other than loopback (warned)" },
      "allow-host": {
        type: "string",
        multiple: true,
        value: "NAME",
        help: "also answer requests whose Host header is NAME (repeatable; '*' turns the check off)",
      },
      faults: { type: "boolean", help: "honour the X-Twin-Fault request header (fault injection, off by default)" },
    },
    common: NO_COMMON,
    examples: [
      "ratgtex serve --port 8000",
      "ratgtex serve --data ~/ratgtex/data/v4 --port 8000",
      "ratgtex gene Cd300lf --source http://127.0.0.1:8000/api/v4",
    ],
    run: serve,
  },
  {
    name: "cache",
    aliases: [],
    summary: "show (info) or empty (clear) the disk cache of API answers",
    usage: ["cache info [--cache-dir DIR] [options]", "cache clear [--cache-dir DIR]"],
    details: "info columns: dir, entries, bytes. clear prints what it removed.",
    options: { "cache-dir": SOURCE_OPTIONS["cache-dir"] },
    common: { output: true, source: false },
    examples: ["ratgtex cache info", "ratgtex cache clear --cache-dir /tmp/ratgtex-cache"],
    run: cache,
  },
  {
    name: "demo",
    aliases: [],
    summary: "the demo analysis: a gene's dynamic eQTLs recomputed, the API's clustering rebuilt; an HTML report",
    usage: ["demo [--live | --source offline|live|URL] [--gene GENE] [--out DIR]"],
    details: "Recomputes a gene's dynamic eQTLs and rebuilds the API's clustering; writes DIR/index.html.\n" +
      "Source: --live, --source, else $RATGTEX_SOURCE when it names offline or a URL, else offline (the bundled\n" +
      "synthetic universe).",
    options: {
      live: { type: "boolean", help: "use the live API (ratgtex.org)" },
      source: SOURCE_OPTIONS.source,
      gene: {
        type: "string",
        short: "g",
        value: "GENE",
        help: "the gene whose eQTLs are recomputed (default Cd300lf)",
      },
      ...OUT_DIR("report", "demo-report"),
    },
    common: NO_COMMON,
    examples: ["ratgtex demo", "ratgtex demo --live --gene Eno1 --out eno1-report"],
    run: demo,
  },
  {
    name: "gallery",
    aliases: [],
    summary: "draw every figure from the offline universe into a folder (SVGs and an index.html)",
    usage: ["gallery [--out DIR]"],
    details: "Writes one SVG per figure and DIR/index.html, each file whole; other files in DIR (and anything\n" +
      "beside it) are never touched. For one figure of your own, see figures.",
    options: OUT_DIR("gallery", "gallery"),
    common: NO_COMMON,
    examples: ["ratgtex gallery", "ratgtex gallery --out /tmp/gallery"],
    run: gallery,
  },
  {
    name: "kernel",
    aliases: [],
    summary: "register Deno's Jupyter kernel for this project (kernelspec ratgtex-deno)",
    usage: ["kernel [--source offline|live|URL] [--name NAME] [--display NAME] [--dir KERNELS_DIR]"],
    details:
      "Registers Deno's Jupyter kernel for this project (NO_COLOR=1, this Deno binary) in the user's Jupyter data\n" +
      "folder (or KERNELS_DIR). Without --source the kernel reads RATGTEX_SOURCE from the environment that starts\n" +
      "Jupyter.",
    options: {
      source: { type: "string", value: "SRC", help: "fix RATGTEX_SOURCE in the kernelspec (default: inherit it)" },
      name: { type: "string", value: "NAME", help: "kernelspec name (default ratgtex-deno)" },
      display: { type: "string", value: "NAME", help: "name the front ends show (default RatGTEx (Deno))" },
      dir: { type: "string", value: "DIR", help: "the kernels folder to write into (default: Jupyter's)" },
    },
    common: NO_COMMON,
    examples: ["ratgtex kernel", "ratgtex kernel --source offline --dir /tmp/kernels"],
    run: kernel,
  },
  {
    name: "notebook",
    aliases: ["notebooks"],
    summary: "execute notebooks headless with Deno's Jupyter kernel, no output lost; exit 1 on an error cell",
    usage: [
      "notebook run NOTEBOOK.ipynb [--out executed.ipynb] [--html report.html] [--source SRC]",
      "notebook run --check [NOTEBOOK.ipynb...] [--jobs N] [--timeout S] [--update] [--keep] [--source SRC]",
    ],
    details: "Executes the notebooks with Deno's Jupyter kernel (needs Jupyter's nbconvert: Debian/Ubuntu\n" +
      "apt-get install jupyter-nbconvert python3-nbclient). Plain 'jupyter nbconvert --execute' loses outputs\n" +
      "with Deno's kernel (it publishes some results after reporting the cell done); this runner keeps them.\n" +
      "Exits 1 when a cell raised an error. --out writes the executed notebook, --html an HTML report.\n" +
      "--check runs the project's notebooks (default notebooks/*.ipynb, offline) and also checks their outputs\n" +
      "(every cell shows something, tables, figures, the source banner); --update writes the outputs of passing\n" +
      "notebooks back into them (then run: npx -y deno@2.9.6 fmt notebooks/); --keep keeps the executed copies.",
    options: {
      out: { type: "string", short: "o", value: "FILE", help: "write the executed notebook to FILE" },
      html: { type: "string", value: "FILE", help: "write the executed notebook as HTML to FILE" },
      check: { type: "boolean", help: "the project's checks (default: only 'no error cell')" },
      jobs: { type: "string", short: "j", value: "N", help: "notebooks at a time (default 2)" },
      timeout: { type: "string", value: "S", help: "seconds per cell (default 120)" },
      update: { type: "boolean", help: "write the outputs of passing notebooks back into them" },
      keep: { type: "boolean", help: "keep the executed copies" },
      source: {
        type: "string",
        value: "SRC",
        help: "offline | live | an API base URL (default: $RATGTEX_SOURCE; offline with --check)",
      },
    },
    common: NO_COMMON,
    examples: [
      "ratgtex notebook run analysis.ipynb --out analysis.executed.ipynb --html analysis.html",
      "ratgtex notebook run --check",
      "ratgtex notebook run --check notebooks/01_tour.ipynb --keep",
    ],
    run: notebook,
  },
];

/**
 * The CLI's files (issue 27, rows "CLI"), each in a child process:
 *
 * - `gallery --out DIR` where the user has `DIR.old/`, `DIR.tmp/` and a file of their own in `DIR`: all
 *   kept — and the gallery runs with `--allow-write=DIR` alone, so Deno itself would refuse any write
 *   beside the folder;
 * - `notebook run --out` on a full disk (a 64 KiB tmpfs in a private mount namespace, `unshare -m`): the
 *   old file is intact and no temporary file or folder is left, for the output file on the full disk and
 *   for the runner's temporary folder on it (`TMPDIR`); skipped, with the reason printed, where a mount
 *   namespace or Jupyter is not available;
 * - CSV and TSV written to a terminal (a pty from `script`): a server's escapes (OSC 52 clipboard write,
 *   clear screen, BEL) come out escaped, formulas get a leading `'`; written to a pipe the bytes are kept.
 */
import assert from "node:assert/strict";
import { createTwin } from "ratgtex/offline";

const REPO = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const CLI = `${REPO}/lib/cli/main.ts`;
const CONFIG = `${REPO}/deno.json`;
const decoder = new TextDecoder();

function have(program: string): boolean {
  try {
    return new Deno.Command("sh", { args: ["-c", `command -v ${program}`], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** `'…'` for sh. */
const sh = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** The flags of a deno task, from deno.json. */
async function taskFlags(name: string): Promise<string[]> {
  const tasks = JSON.parse(await Deno.readTextFile(CONFIG)).tasks as Record<string, string>;
  return tasks[name].split(/\s+/).filter((w) => w.startsWith("--"));
}

Deno.test("gallery --out DIR keeps DIR.old, DIR.tmp and the user's files, and needs --allow-write=DIR only", async () => {
  const root = await Deno.makeTempDir({ prefix: "ratgtex-gallery-out-" });
  const out = `${root}/g`;
  try {
    await Deno.mkdir(out);
    await Deno.writeTextFile(`${out}/notes.txt`, "mine");
    for (const sibling of [`${out}.old`, `${out}.tmp`]) {
      await Deno.mkdir(sibling);
      await Deno.writeTextFile(`${sibling}/keep.txt`, "mine");
    }
    await Deno.writeTextFile(`${root}/g.tmp.txt`, "mine too");
    // The gallery task's flags, with its folder replaced by this one.
    const flags = (await taskFlags("gallery")).map((
      f,
    ) => (f.startsWith("--allow-write=") ? `--allow-write=${out}` : f));
    assert.deepEqual(flags.filter((f) => f.startsWith("--allow-write")), [`--allow-write=${out}`]);
    for (let run = 0; run < 2; run++) {
      const r = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--no-prompt", "--config", CONFIG, ...flags, CLI, "gallery", "--out", out],
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(r.code, 0, decoder.decode(r.stderr).slice(-1500));
    }
    assert.ok((await Deno.stat(`${out}/index.html`)).isFile);
    assert.equal(await Deno.readTextFile(`${out}/notes.txt`), "mine");
    for (const sibling of [`${out}.old`, `${out}.tmp`]) {
      assert.equal(await Deno.readTextFile(`${sibling}/keep.txt`), "mine", sibling);
    }
    assert.equal(await Deno.readTextFile(`${root}/g.tmp.txt`), "mine too");
    assert.ok(![...Deno.readDirSync(out)].some((e) => e.name.endsWith(".tmp")), "no temporary file left");
    console.log("gallery --out DIR (twice) with --allow-write=DIR only: DIR.old, DIR.tmp and the user's files kept");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/** Whether a private mount namespace with a tmpfs can be made here (root, or user namespaces). */
function mountNamespace(): string[] | null {
  for (const args of [["-m"], ["-rm"]]) {
    try {
      const ok = new Deno.Command("unshare", {
        args: [
          ...args,
          "sh",
          "-c",
          'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" && umount "$d"; s=$?; rmdir "$d"; exit $s',
        ],
        stdout: "null",
        stderr: "null",
      }).outputSync().success;
      if (ok) return args;
    } catch {
      // no unshare
    }
  }
  return null;
}

const NOTEBOOK = {
  cells: [{ cell_type: "code", execution_count: null, id: "a1", metadata: {}, outputs: [], source: ["1 + 1"] }],
  metadata: { kernelspec: { display_name: "Deno", language: "typescript", name: "deno" } },
  nbformat: 4,
  nbformat_minor: 5,
};

Deno.test("notebook run --out on a full disk: the old file intact, no temporary file or folder left", async () => {
  const unshare = mountNamespace();
  if (unshare === null || !have("jupyter")) {
    console.log(`skipped: ${unshare === null ? "no private mount namespace (unshare -m / -rm)" : "no jupyter"}`);
    return;
  }
  const root = await Deno.makeTempDir({ prefix: "ratgtex-fulldisk-" });
  try {
    const nb = `${root}/tiny.ipynb`;
    await Deno.writeTextFile(nb, JSON.stringify(NOTEBOOK));
    await Deno.mkdir(`${root}/disk`);
    await Deno.writeTextFile(`${root}/outside.ipynb`, "old notebook");
    const deno = [
      Deno.execPath(),
      "run",
      "--no-prompt",
      "--config",
      CONFIG,
      "--allow-read",
      "--allow-write",
      "--allow-env",
    ]
      .concat(["--allow-run=jupyter", CLI, "notebook", "run", nb]).map(sh).join(" ");
    // One shell in its own mount namespace: a 64 KiB tmpfs, an old output file on it, the rest filled.
    const script = [
      `d=${sh(`${root}/disk`)}`,
      `mount -t tmpfs -o size=64k tmpfs "$d" || exit 99`,
      `printf 'old notebook' > "$d/out.ipynb"`,
      `head -c 1000000 /dev/zero > "$d/fill" 2>/dev/null`,
      // 1. The output file on the full disk (the run itself succeeds).
      `${deno} --out "$d/out.ipynb" > "$d.1.log" 2>&1; echo "out-on-full-disk exit=$?"`,
      `echo "listing: $(ls -A "$d" | tr '\\n' ' ')"`,
      `echo "old file: $(cat "$d/out.ipynb")"`,
      // 2. The runner's temporary folder on the full disk.
      `TMPDIR="$d" ${deno} --out ${sh(`${root}/outside.ipynb`)} > "$d.2.log" 2>&1; echo "tmp-on-full-disk exit=$?"`,
      `echo "listing2: $(ls -A "$d" | tr '\\n' ' ')"`,
    ].join("\n");
    const r = await new Deno.Command("unshare", {
      args: [...unshare, "sh", "-c", script],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = decoder.decode(r.stdout);
    const log1 = await Deno.readTextFile(`${root}/disk.1.log`).catch(() => "");
    const log2 = await Deno.readTextFile(`${root}/disk.2.log`).catch(() => "");
    console.log(text.trim());
    assert.equal(r.code, 0, `${text}\n${decoder.decode(r.stderr)}`);
    assert.match(text, /out-on-full-disk exit=1\b/, log1.slice(-1500));
    assert.match(log1, /No space left on device|os error 28/);
    assert.match(text, /listing: fill out\.ipynb \n/, "no temporary file beside the output");
    assert.match(text, /old file: old notebook\n/, "the old file intact");
    assert.match(text, /tmp-on-full-disk exit=1\b/, log2.slice(-1500));
    assert.match(text, /listing2: fill out\.ipynb \n/, "the runner's temporary folder removed");
    assert.equal(await Deno.readTextFile(`${root}/outside.ipynb`), "old notebook");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/** A twin whose gene answers carry a hostile description (escapes, a formula, markup). */
async function hostileGeneServer() {
  const twin = await createTwin();
  const hostile = '=HYPERLINK("http://x.example")\x1b]52;c;ZXZpbA==\x07\x1b[2J<b>bold</b>';
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const response = await twin.handler(request);
    if (!new URL(request.url).pathname.endsWith("/gene")) return response;
    const body = await response.json();
    for (const g of body.gene) g.description = hostile;
    return Response.json(body);
  });
  return { baseUrl: `http://127.0.0.1:${server.addr.port}/api/v4`, close: () => server.shutdown() };
}

Deno.test("CSV/TSV to a terminal: a server's control sequences come out escaped; to a pipe, kept", async () => {
  if (!have("script")) {
    console.log("skipped: no script(1) to give the CLI a terminal");
    return;
  }
  const served = await hostileGeneServer();
  try {
    const base = [Deno.execPath(), "run", "--no-prompt", "--quiet", "--config", CONFIG, "--allow-read", "--allow-env"]
      .concat(["--allow-ffi", "--allow-sys", "--allow-net=127.0.0.1", CLI, "gene", "Cd300lf", "--no-cache"])
      .concat(["--source", served.baseUrl]);
    for (const format of ["csv", "tsv"]) {
      const command = [...base, "--format", format].map(sh).join(" ");
      const tty = await new Deno.Command("script", {
        args: ["-qec", command, "/dev/null"],
        env: { NO_COLOR: "1", COLUMNS: "200", LINES: "50" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const shown = decoder.decode(tty.stdout);
      assert.equal(tty.code, 0, shown + decoder.decode(tty.stderr));
      assert.ok(
        !shown.includes("\x07") && !shown.includes("\x1b"),
        `${format}: a raw escape reached the terminal: ${JSON.stringify(shown)}`,
      );
      assert.ok(shown.includes("\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J"), `${format}: shown escaped`);
      assert.ok(shown.includes("'=HYPERLINK"), `${format}: the formula neutralised`);
      assert.ok(shown.includes("<b>bold</b>"), `${format}: markup is text`);
      const pipe = await new Deno.Command(base[0], {
        args: [...base.slice(1), "--format", format],
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const piped = decoder.decode(pipe.stdout);
      assert.equal(pipe.code, 0, decoder.decode(pipe.stderr));
      assert.ok(piped.includes("\x1b]52;c;ZXZpbA==\x07"), `${format}: a pipe gets the data as it is`);
    }
    console.log(
      "CSV/TSV on a terminal: OSC 52, clear-screen and BEL shown escaped, formula prefixed; a pipe keeps the bytes",
    );
  } finally {
    await served.close();
  }
});

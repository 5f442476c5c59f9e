/**
 * The house rules, as a pure function of the module graph: rooms, the arrows allowed between them,
 * private files, cycles, and what each entry point may load statically. `architecture_test.ts` applies
 * them to today's graph (from `deno info --json`) and to the recorded graph of the old layout.
 */
import { relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** One import edge between two project files. */
export interface Edge {
  /** Importing file, relative to the project root. */
  from: string;
  /** Imported file, relative to the project root, or an `npm:`/`node:` specifier. */
  to: string;
  /** `import type` only (no code is loaded). */
  typeOnly: boolean;
  /** `import()` (loaded on demand, not at start-up). */
  dynamic: boolean;
}

/**
 * The rooms under `lib/` and the rooms each may import. `_core` is the private shared core; a room not
 * listed here is a violation by itself. Arrows point down: nothing below `jupyter` imports display or
 * figure code, `plot` never imports `api`, and `cli` (the one program) sits on top.
 */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  _core: [],
  analysis: ["_core"],
  release: ["_core", "analysis"],
  offline: ["_core", "analysis", "release"],
  // api reaches the twin only by a dynamic import, in one place (source resolution): see DYNAMIC_ONLY.
  api: ["_core", "analysis", "offline"],
  plot: ["_core", "analysis"],
  workflows: ["_core", "analysis", "api", "release", "plot"],
  jupyter: ["_core", "analysis", "api", "plot"],
  teach: ["_core", "analysis", "api", "release", "workflows", "plot", "jupyter"],
  cli: ["_core", "analysis", "api", "offline", "release", "workflows", "plot", "jupyter", "teach"],
};

/**
 * Arrows allowed only as a dynamic `import()` from one file: the client resolves `source: "offline"` (or a
 * folder) to the twin's handler on demand, so importing the client never loads the twin or the release.
 */
export const DYNAMIC_ONLY: Readonly<Record<string, { room: string; from: string }>> = {
  api: { room: "offline", from: "lib/api/_source.ts" },
};

/**
 * Inner walls: the sub-rooms of a room and the sub-rooms each may import (files at the room's top level,
 * such as its `mod.ts`, may import any of them). Statistics and regression, clustering and trees, and the
 * statistical-genetics kernels (LD, colocalisation, fine-mapping) are separate worlds.
 */
export const INNER: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  analysis: {
    regression: [],
    clustering: [],
    genetics: ["regression"],
  },
};

/** The room of a project file: `lib/<room>/…`, `mod.ts` (the public surface), `fixtures`, or `null` (outside). */
export function roomOf(file: string): string | null {
  if (file === "mod.ts") return "mod";
  const parts = file.split("/");
  if (parts[0] === "lib") return parts.length > 2 ? parts[1] : "lib-top-level";
  if (parts[0] === "fixtures") return "fixtures";
  return null;
}

/** The sub-room of a file (`lib/<room>/<sub>/…`), or `null` for a file at the room's top level. */
export function subRoomOf(file: string): string | null {
  const parts = file.split("/");
  return parts[0] === "lib" && parts.length > 3 ? parts[2] : null;
}

/** Whether a file is private to its room (`_name.ts`, as Deno's standard library marks them). */
export function isPrivate(file: string): boolean {
  return (file.split("/").pop() ?? "").startsWith("_");
}

/** Every rule broken by a graph, one line each (empty when the house is in order). */
export function violations(edges: readonly Edge[]): string[] {
  const out: string[] = [];
  const files = new Set<string>();
  for (const e of edges) {
    files.add(e.from);
    if (!e.to.includes(":")) files.add(e.to);
  }
  for (const f of files) {
    const room = roomOf(f);
    if (room === "lib-top-level") out.push(`loose file at lib/ top level: ${f} (put it in a room)`);
    else if (room !== null && room !== "mod" && room !== "fixtures" && !(room in ALLOWED)) {
      out.push(`unknown room ${room} (${f}): add it to ALLOWED with its arrows`);
    }
  }
  for (const e of edges) {
    if (e.to.includes(":")) continue; // npm: and node: packages
    const a = roomOf(e.from), b = roomOf(e.to);
    if (a === null || b === null || a === b) continue;
    if (a === "mod") {
      if (b !== "mod" && !(b in ALLOWED)) out.push(`mod.ts imports ${e.to} outside the rooms`);
      continue;
    }
    if (a === "fixtures") {
      if (!["_core", "analysis", "offline", "release"].includes(b)) out.push(`fixtures → ${b}: ${e.from} → ${e.to}`);
      continue;
    }
    const allowed = ALLOWED[a] ?? [];
    const dyn = DYNAMIC_ONLY[a];
    if (dyn && dyn.room === b && (!e.dynamic || e.from !== dyn.from)) {
      out.push(`${a} → ${b} only by a dynamic import from ${dyn.from}: ${e.from} → ${e.to}`);
      continue;
    }
    // Only the top room may use the public surface as a user would (the demo does); below it, mod.ts would
    // be a cycle.
    if (b === "mod") {
      if (a !== "cli") out.push(`${a} imports mod.ts: ${e.from} (import the room's own files)`);
    } else if (!allowed.includes(b)) out.push(`${a} → ${b} is against the arrows: ${e.from} → ${e.to}`);
    else if (b !== "_core" && isPrivate(e.to)) out.push(`${e.from} imports ${e.to}, private to ${b}`);
  }
  for (const e of edges) {
    if (e.to.includes(":")) continue;
    const a = roomOf(e.from), b = roomOf(e.to);
    if (a === null || a !== b || !(a in INNER)) continue;
    const sa = subRoomOf(e.from), sb = subRoomOf(e.to);
    if (sa === null || sb === null || sa === sb) continue;
    const inner = INNER[a];
    if (!(sa in inner)) out.push(`unknown sub-room ${a}/${sa} (${e.from}): add it to INNER with its arrows`);
    else if (!inner[sa].includes(sb)) {
      out.push(`${a}/${sa} → ${a}/${sb} is against the inner walls: ${e.from} → ${e.to}`);
    } else if (isPrivate(e.to)) out.push(`${e.from} imports ${e.to}, private to ${a}/${sb}`);
  }
  for (const cycle of fileCycles(edges)) out.push(`import cycle: ${cycle.join(" → ")}`);
  return out;
}

/** The cycles between files (each strongly connected component of more than one file, or a self-import). */
export function fileCycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (e.to.includes(":")) continue;
    next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  }
  // Tarjan's algorithm, iterative (no recursion limit on long chains).
  const index = new Map<string, number>(), low = new Map<string, number>();
  const onStack = new Set<string>(), stack: string[] = [], out: string[][] = [];
  let counter = 0;
  for (const start of next.keys()) {
    if (index.has(start)) continue;
    const work: [string, number][] = [[start, 0]];
    index.set(start, counter), low.set(start, counter++), stack.push(start), onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const [v, i] = top;
      const succ = next.get(v) ?? [];
      if (i < succ.length) {
        top[1]++;
        const w = succ[i];
        if (!index.has(w)) {
          index.set(w, counter), low.set(w, counter++), stack.push(w), onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || succ.includes(v)) out.push(component.reverse());
      }
    }
  }
  return out;
}

/** The npm packages (and project files) an entry point loads at start-up: static code edges only. */
export function staticClosure(edges: readonly Edge[], root: string): Set<string> {
  const seen = new Set<string>([root]);
  const queue = [root];
  while (queue.length > 0) {
    const f = queue.pop()!;
    for (const e of edges) {
      if (e.from !== f || e.typeOnly || e.dynamic || seen.has(e.to)) continue;
      seen.add(e.to);
      queue.push(e.to);
    }
  }
  return seen;
}

interface InfoDependency {
  code?: { specifier?: string };
  type?: { specifier?: string };
  isDynamic?: boolean;
}

/** Every `.ts` file under `lib/` and `fixtures/` (the generator), plus `mod.ts`, relative to `root`. */
export async function projectFiles(root: string): Promise<string[]> {
  const out: string[] = ["mod.ts"];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(`${root}/${dir}`)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory && e.name !== "universe" && e.name !== "data") await walk(p);
      else if (e.isFile && e.name.endsWith(".ts")) out.push(p);
    }
  };
  await walk("lib");
  await walk("fixtures");
  return out.sort();
}

/**
 * The import edges of every project file, from one `deno info --json` over a generated module that
 * imports them all (one call instead of one per file).
 *
 * @param deno The Deno executable.
 * @param root The project folder.
 */
export async function moduleGraph(deno: string, root: string): Promise<Edge[]> {
  const edges = new Map<string, Edge>();
  const name = (specifier: string): string => {
    if (!specifier.startsWith("file:")) return specifier.replace(/^npm:\/?/, "npm:").replace(/@[^@/]+$/, "");
    return relative(root, fileURLToPath(specifier));
  };
  const files = await projectFiles(root);
  const tmp = await Deno.makeTempDir();
  const all = `${tmp}/all.ts`;
  await Deno.writeTextFile(
    all,
    files.map((f) => `import ${JSON.stringify(pathToFileURL(`${root}/${f}`).href)};\n`).join(""),
  );
  try {
    const out = await new Deno.Command(deno, {
      args: ["info", "--json", `--config=${root}/deno.json`, all],
      cwd: root,
      stdout: "piped",
    }).output();
    if (!out.success) throw new Error(`deno info failed in ${root}`);
    const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      modules: { specifier: string; dependencies?: InfoDependency[] }[];
    };
    for (const m of info.modules) {
      if (!m.specifier.startsWith(pathToFileURL(`${root}/`).href)) continue;
      const from = name(m.specifier);
      for (const d of m.dependencies ?? []) {
        const target = d.code?.specifier ?? d.type?.specifier;
        if (!target || target.startsWith("data:")) continue;
        const e: Edge = { from, to: name(target), typeOnly: !d.code, dynamic: d.isDynamic === true };
        edges.set(`${e.from} ${e.to} ${e.typeOnly} ${e.dynamic}`, e);
      }
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
  return [...edges.values()].sort((x, y) => (x.from + x.to < y.from + y.to ? -1 : 1));
}

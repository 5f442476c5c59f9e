/**
 * Shared helpers of the reliability tests (no tests here): a twin behind `Deno.serve` on 127.0.0.1 with an
 * optional response rewrite (bare `NaN` tokens), the check that every URL the twin saw was percent-encoded,
 * a recursive file listing for cache folders, and a hang guard.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createTwin, type Twin } from "ratgtex/offline";

/** The twin on loopback, with switches that rewrite its answers. */
export interface LoopbackTwin {
  /** `http://127.0.0.1:PORT/api/v4`. */
  baseUrl: string;
  /** The twin (fault rules, counters). */
  twin: Twin;
  /** Rewrites applied to 200 JSON answers (set between requests). */
  mode: { nan: boolean; nanTokensWritten: number };
  /** Stop the server. */
  close(): Promise<void>;
}

/** A float literal as Python writes it (`0.0`, `1e-05`, `8.43005e-08`); ints (no `.`/`e`) are left alone. */
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+(?:[eE][-+]?\d+)?|[eE][-+]?\d+)/g;

/** Replace every float of a JSON text (outside strings) by a bare `NaN`, as the real server writes a missing float. */
export function floatsToNaN(text: string): { text: string; count: number } {
  let count = 0;
  const out = text.replace(TOKENS, (token) => {
    if (token.charCodeAt(0) === 34) return token;
    count++;
    return "NaN";
  });
  return { text: out, count };
}

/** Start a fresh twin on 127.0.0.1 (a free port). */
export async function startLoopbackTwin(): Promise<LoopbackTwin> {
  const twin = await createTwin({ faultInjection: true });
  const mode = { nan: false, nanTokensWritten: 0 };
  const { promise, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: (addr) => resolve(addr as Deno.NetAddr),
    // A dropped body (the twin's `drop` fault) is reported here; it is the fault under test, not a failure.
    onError: () => new Response("twin: internal error", { status: 500 }),
  }, async (request) => {
    const response = await twin.handler(request);
    if (!mode.nan || response.status !== 200) return response;
    const { text, count } = floatsToNaN(await response.text());
    mode.nanTokensWritten += count;
    return new Response(text, { status: 200, headers: response.headers });
  });
  const addr = await promise;
  return {
    baseUrl: `http://127.0.0.1:${addr.port}/api/v4`,
    twin,
    mode,
    close: () => server.shutdown(),
  };
}

/** Characters a request URL may carry as they are: unreserved, `%XX` escapes, and the query's `?=&,:` syntax. */
const ENCODED_URL = /^\/api\/v4\/[A-Za-z]+(\?([A-Za-z0-9\-._~,:=&]|%[0-9A-F]{2})*)?$/;

/** Every URL the twin saw is percent-encoded: no raw space, control, non-ASCII, `/`, `..` segment or `#`. */
export function assertUrlsEncoded(urls: readonly string[]): void {
  for (const url of urls) {
    assert.match(url, ENCODED_URL, `a request URL reached the server unencoded: ${JSON.stringify(url)}`);
    assert.ok(!url.includes("/../") && !url.endsWith("/.."), `a path segment '..' reached the server: ${url}`);
  }
}

/** Every file under `dir` (relative paths), recursively; empty when `dir` does not exist. */
export async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory) out.push(...await listFiles(dir, rel));
      else out.push(rel);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}

/** Settle `promise` or fail after `ms` ("hung"), clearing the timer either way. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let id: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    id = setTimeout(() => reject(new Error(`${label}: no outcome within ${ms} ms (hung)`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(id);
  }
}

/** The `p`-quantile (0–1) of `values`, nearest-rank. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** A hostile server on 127.0.0.1 that a test starts: its base URL, the paths it was asked for, and a stop. */
export interface HostileServer {
  /** `http://127.0.0.1:PORT/api/v4`. */
  baseUrl: string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** Every request's path and query, in order. */
  seen: string[];
  /** Stop the server (aborts its streams). */
  close(): Promise<void>;
}

/** Start `handler` behind `Deno.serve` on a free loopback port; `signal` aborts when the server closes. */
export async function startHostile(
  handler: (request: Request, signal: AbortSignal) => Response | Promise<Response>,
): Promise<HostileServer> {
  const stop = new AbortController();
  const seen: string[] = [];
  const { promise, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: stop.signal,
    onListen: (addr) => resolve(addr as Deno.NetAddr),
    onError: () => new Response("hostile: handler failed", { status: 500 }),
  }, (request) => {
    const url = new URL(request.url);
    seen.push(url.pathname + url.search);
    return handler(request, stop.signal);
  });
  const addr = await promise;
  const origin = `http://127.0.0.1:${addr.port}`;
  return {
    baseUrl: `${origin}/api/v4`,
    origin,
    seen,
    close: async () => {
      stop.abort();
      await server.finished;
    },
  };
}

/** A body of `chunk`-byte pieces, `count` of them at most (an "endless" body that still ends), stopping on `signal`. */
export function streamOf(chunk: Uint8Array, count: number, signal: AbortSignal): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (signal.aborted || sent >= count) return controller.close();
      sent++;
      controller.enqueue(chunk);
    },
  });
}

/** What a CLI run printed. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `lib/cli/main.ts` as `deno task cli` does (its permissions, loopback network), with `env` added and `stdin` piped in. */
export async function runCli(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliRun> {
  const cli = new URL("../../lib/cli/main.ts", import.meta.url).pathname;
  const flags = ["--allow-read", "--allow-write", "--allow-env", "--allow-ffi", "--allow-sys", "--allow-net=127.0.0.1"];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...flags, cli, ...args],
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env,
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

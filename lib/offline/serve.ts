/**
 * Serve the twin of the RatGTEx server on loopback.
 *
 * From the command line: `ratgtex serve [--port N] [--hostname H] [--allow-host NAME]` (`deno task serve`);
 * port 0 (the default) picks a free port and prints the base URL.
 *
 * The server is the twin's own (`_http_server.ts`), built to stay up and fair under attack: it survives
 * running out of file descriptors, caps its connections (evicting the oldest client that has not sent a
 * whole request), times out slow heads, bodies and readers, and answers only requests whose `Host` header
 * names it — its own listening address, `localhost` when it listens on loopback, or the names given in
 * `allowedHosts` — so that a web page cannot reach it through DNS rebinding (a foreign `Host` gets 421).
 *
 * @module
 */
import { createTwin, type Twin, type TwinOptions } from "./twin.ts";
import { API_PREFIX } from "./twin.ts";
import { listenHttp } from "./_http_server.ts";

/** Options of {@link serveTwin}: the twin's own, where to listen, and the server's limits. */
export interface ServeOptions extends TwinOptions {
  /** Port (default 0: a free port). */
  port?: number;
  /** Address to listen on (default `127.0.0.1`). */
  hostname?: string;
  /** Unused; kept so that callers passing it still type-check. */
  quiet?: boolean;
  /**
   * More names a request's `Host` header may give (e.g. a machine name when serving with `--public`), with
   * or without a port; `"*"` accepts any Host (no DNS-rebinding guard). Always accepted: the listening
   * address, and on loopback (or a wildcard address) `127.0.0.1`, `localhost` and `[::1]`, each with the
   * listening port.
   */
  allowedHosts?: readonly string[];
  /** Most connections at once (default 256); beyond it the oldest connection still waiting for a request goes. */
  maxConnections?: number;
  /** Most time for a request head to arrive, in ms (default 10,000). */
  headerTimeoutMs?: number;
  /** Most time a kept-alive connection may idle, in ms (default 30,000; beyond the cap idle ones make room). */
  idleTimeoutMs?: number;
  /** Most time one write of an answer may wait for the client to read, in ms (default 30,000). */
  sendTimeoutMs?: number;
}

/** What the twin's HTTP server has seen (live counters). */
export interface ConnectionStats {
  /** Connections accepted. */
  accepted: number;
  /** Connections open now. */
  open: number;
  /** The most connections ever open at once. */
  maxOpen: number;
  /** Connections closed to make room (still waiting for a request when the cap or a descriptor limit was reached). */
  evicted: number;
  /** Connections refused with 503 because every slot was busy answering. */
  refused: number;
  /** Connections closed because a request head, a body or a write took too long. */
  timedOut: number;
  /** `accept` failures survived (e.g. `EMFILE`: too many open files). */
  acceptErrors: number;
  /** Requests the server refused itself: malformed (400), too large (413, 414, 431), a foreign Host (421). */
  rejected: number;
  /** Requests passed to the twin. */
  requests: number;
}

/** A twin behind its HTTP server. */
export interface ServedTwin {
  /** The API base URL, e.g. `http://127.0.0.1:41234/api/v4`. */
  baseUrl: string;
  /** The port chosen. */
  port: number;
  /** The twin (counters, fault controls). */
  twin: Twin;
  /** The server's counters: connections accepted, evicted, refused, timed out; requests refused by Host. */
  connections: ConnectionStats;
  /** Stop the server and wait for it to finish. */
  close(): Promise<void>;
}

/** Names every loopback server answers to. */
const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** `name` as a Host header writes it: lower case, IPv6 in brackets, no trailing dot. */
function hostName(name: string): string {
  const n = name.trim().toLowerCase().replace(/\.$/, "");
  return n.includes(":") && !n.startsWith("[") ? `[${n}]` : n;
}

/**
 * Which `Host` headers a server listening on `hostname:port` answers (see {@link ServeOptions.allowedHosts}).
 * A request without Host (HTTP/1.0) is accepted: browsers always send one.
 */
function hostPolicy(
  hostname: string,
  port: number,
  allowed: readonly string[] = [],
): (host: string | null) => boolean {
  if (allowed.includes("*")) return () => true;
  // A wildcard address (0.0.0.0, ::) listens on loopback too: its loopback names are its own.
  const wildcard = /^(0\.0\.0\.0|\[?::\]?)$/.test(hostname);
  const names = new Set<string>([hostName(hostname), ...(isLoopback(hostname) || wildcard ? LOOPBACK_NAMES : [])]);
  const withPort = new Set<string>();
  for (const a of allowed) {
    const m = /^(\[[^\]]*\]|[^:]+):(\d+)$/.exec(a.trim());
    if (m) withPort.add(`${hostName(m[1])}:${Number(m[2])}`);
    else names.add(hostName(a));
  }
  return (host) => {
    if (host === null) return true;
    const m = /^(\[[0-9a-fA-F:.]+\]|[^:\[\]]+)(?::(\d{1,5}))?$/.exec(host.trim());
    if (!m) return false;
    const name = hostName(m[1]);
    const p = m[2] === undefined ? 80 : Number(m[2]);
    return (names.has(name) && p === port) || withPort.has(`${name}:${p}`);
  };
}

/**
 * Start the twin on loopback (`127.0.0.1`, port 0 = a free port).
 *
 * @param options The twin's options, the address, the names `Host` may give, and the server's limits.
 * @returns The served twin; `close()` stops it.
 *
 * @example
 * ```ts
 * import { serveTwin } from "ratgtex/offline";
 * import assert from "node:assert/strict";
 * const served = await serveTwin();
 * const res = await fetch(`${served.baseUrl}/tissueInfo`);
 * assert.equal((await res.json()).tissueInfo.length, 13);
 * // A web page whose name was rebound to 127.0.0.1 sends its own Host header: refused (421).
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: served.port });
 * await conn.write(new TextEncoder().encode("GET /api/v4/tissueInfo HTTP/1.1\r\nHost: attacker.example\r\n\r\n"));
 * assert.match(await new Response(conn.readable).text(), /^HTTP\/1\.1 421 /);
 * await served.close();
 * ```
 */
export async function serveTwin(options: ServeOptions = {}): Promise<ServedTwin> {
  const twin = await createTwin(options);
  const hostname = options.hostname ?? "127.0.0.1";
  let policy: (host: string | null) => boolean = () => false;
  const server = listenHttp(twin.handler, {
    hostname,
    port: options.port ?? 0,
    maxConnections: options.maxConnections,
    headerTimeoutMs: options.headerTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    sendTimeoutMs: options.sendTimeoutMs,
    hostAllowed: (host) => policy(host),
  });
  const port = server.addr.port;
  policy = hostPolicy(hostname, port, options.allowedHosts);
  const authority = hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
  return {
    baseUrl: `http://${authority}:${port}${API_PREFIX}`,
    port,
    twin,
    connections: server.stats,
    close: () => server.close(),
  };
}

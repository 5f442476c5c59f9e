/**
 * The twin's own HTTP/1.1 server on a TCP listener, written here because `Deno.serve` cannot be kept up
 * and fair: it dies on the first `EMFILE` from `accept` (an uncaught error in its accept loop), has no
 * header, body or send timeout, no cap on connections, and runs a handler only after the headers have
 * arrived, so a half-sent request is invisible to it. Here the accept loop is ours:
 *
 * - `accept` failing (`EMFILE`, `ENFILE`, …) frees a descriptor (the oldest connection still waiting for a
 *   request head is closed) and backs off; the server never stops listening;
 * - at most `maxConnections` connections: a new one beyond that evicts the oldest connection that is
 *   waiting for a request head (a slow or half-sent client, or an idle keep-alive one), and only when every
 *   connection is busy answering is the newcomer refused with 503;
 * - a request head must arrive within `headerTimeoutMs` (from the connection, or from its first byte on a
 *   kept-alive connection, which may idle `idleTimeoutMs` first); a request body (the twin takes none) is
 *   read and discarded within `bodyTimeoutMs`, at most `maxBodyBytes`; each write of an answer must be taken
 *   by the client within `sendTimeoutMs`;
 * - heads are bounded as gunicorn bounds them (request line 4094 bytes → 414, 100 fields of 8190 bytes →
 *   431); a malformed head → 400, a `Host` the caller does not accept → 421 (DNS rebinding).
 *
 * It speaks what the twin needs: `GET`/`HEAD`/`OPTIONS` (any method reaches the handler), keep-alive and
 * pipelining, answers with a `Content-Length` (a file is streamed; any other body is read whole first, as the
 * twin's answers are text in memory). Nothing here is specific to RatGTEx.
 *
 * @module
 */

/** Limits and policy of {@link listenHttp}. */
export interface HttpServerOptions {
  /** Address to listen on. */
  hostname: string;
  /** Port (0: a free port). */
  port: number;
  /** Most connections open at once (default 256). */
  maxConnections?: number;
  /** Most time for a request head to arrive, in ms (default 10,000). */
  headerTimeoutMs?: number;
  /** Most time a kept-alive connection may wait for its next request, in ms (default 30,000; evictable meanwhile). */
  idleTimeoutMs?: number;
  /** Most time to read (and discard) a request body, in ms (default 10,000). */
  bodyTimeoutMs?: number;
  /** Most time one write of an answer may wait for the client to read, in ms (default 30,000). */
  sendTimeoutMs?: number;
  /** Largest request body read and discarded (default 65,536 bytes; larger: 413). */
  maxBodyBytes?: number;
  /** Whether a request's `Host` header (as sent; null when absent) is accepted (default: any). */
  hostAllowed?: (host: string | null) => boolean;
  /** Called once the listener is up. */
  onListen?: (addr: Deno.NetAddr) => void;
}

/** What the server has seen: for tests and the attack benchmarks. */
export interface HttpServerStats {
  /** Connections accepted. */
  accepted: number;
  /** Connections open now. */
  open: number;
  /** The most connections ever open at once. */
  maxOpen: number;
  /** Connections closed to make room (waiting for a head when the cap or a descriptor limit was reached). */
  evicted: number;
  /** Connections refused with 503 because every slot was busy. */
  refused: number;
  /** Connections closed because a head, body or write took too long. */
  timedOut: number;
  /** `accept` failures survived (e.g. `EMFILE`: too many open files). */
  acceptErrors: number;
  /** Requests answered with 4xx by the server itself (malformed, too large, wrong Host). */
  rejected: number;
  /** Requests passed to the handler. */
  requests: number;
}

/** A running server. */
export interface HttpServer {
  /** The address listened on. */
  addr: Deno.NetAddr;
  /** Counters (live object). */
  stats: HttpServerStats;
  /** Stop listening, close idle connections, let answers in progress finish; resolves when all are closed. */
  close(): Promise<void>;
}

/** gunicorn's `limit_request_line`. */
export const MAX_LINE = 4094;
/** gunicorn's `limit_request_fields`. */
export const MAX_FIELDS = 100;
/** gunicorn's `limit_request_field_size`. */
export const MAX_FIELD = 8190;
/** The whole head (request line and fields): bounds a connection's buffer (256 connections: 16 MiB at most). */
export const MAX_HEAD = 65_536;

const REASONS: Record<number, string> = {
  200: "OK",
  204: "No Content",
  206: "Partial Content",
  304: "Not Modified",
  400: "Bad Request",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  411: "Length Required",
  413: "Content Too Large",
  414: "URI Too Long",
  416: "Range Not Satisfiable",
  421: "Misdirected Request",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
};

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const encoder = new TextEncoder();
const utf8 = new TextDecoder();

/** A connection's phase: waiting for a head (evictable), or answering. */
type Phase = "head" | "busy";

interface Connection {
  conn: Deno.Conn;
  phase: Phase;
  closed: boolean;
  /** When the connection is closed unless it makes progress (`performance.now()` ms; 0: no deadline). */
  deadlineAt: number;
  /** Set when the connection is closed for a reason worth counting. */
  why: "timeout" | "evicted" | null;
}

/** A request the server answers itself, then closes the connection. */
class Refusal {
  constructor(readonly status: number, readonly text: string) {}
}

/**
 * Listen on `hostname:port` and answer each request with `handler`, within the limits of `options`.
 *
 * @param handler Answers one request (its errors become a 500, or a 503 for "too many open files").
 * @param options Address, limits and the Host policy.
 * @returns The running server (once it listens).
 */
export function listenHttp(
  handler: (request: Request) => Promise<Response>,
  options: HttpServerOptions,
): HttpServer {
  const maxConnections = options.maxConnections ?? 256;
  const headerTimeoutMs = options.headerTimeoutMs ?? 10_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000;
  const sendTimeoutMs = options.sendTimeoutMs ?? 30_000;
  const maxBodyBytes = options.maxBodyBytes ?? 65_536;
  const hostAllowed = options.hostAllowed ?? (() => true);
  const listener = Deno.listen({ hostname: options.hostname, port: options.port, transport: "tcp" });
  const addr = listener.addr as Deno.NetAddr;
  options.onListen?.(addr);
  const stats: HttpServerStats = {
    accepted: 0,
    open: 0,
    maxOpen: 0,
    evicted: 0,
    refused: 0,
    timedOut: 0,
    acceptErrors: 0,
    rejected: 0,
    requests: 0,
  };
  // Insertion order = age: a connection is re-inserted when it starts waiting for a head again.
  const connections = new Map<Deno.Conn, Connection>();
  const loops = new Set<Promise<void>>();
  let closing = false;
  let backoffTimer: ReturnType<typeof setTimeout> | undefined;
  let wakeBackoff: (() => void) | undefined;

  const shut = (c: Connection, why: Connection["why"] = null) => {
    if (c.closed) return;
    c.closed = true;
    c.why ??= why;
    if (c.why === "timeout") stats.timedOut++;
    if (c.why === "evicted") stats.evicted++;
    c.deadlineAt = 0;
    try {
      c.conn.close();
    } catch {
      // already closed by the peer's reset
    }
  };

  /** Close the oldest connection that waits for a head; false when every connection is busy. */
  const evictOne = (): boolean => {
    for (const c of connections.values()) {
      if (c.phase === "head" && !c.closed) {
        shut(c, "evicted");
        connections.delete(c.conn);
        return true;
      }
    }
    return false;
  };

  // Deadlines are checked by one sweep rather than a timer per phase (a timer per request costs throughput).
  const deadline = (c: Connection, ms: number) => {
    c.deadlineAt = performance.now() + ms;
  };
  const noDeadline = (c: Connection) => {
    c.deadlineAt = 0;
  };
  const sweepEvery = Math.max(10, Math.min(headerTimeoutMs, idleTimeoutMs, bodyTimeoutMs, sendTimeoutMs) / 4);
  const sweeper = setInterval(() => {
    const now = performance.now();
    for (const c of connections.values()) if (c.deadlineAt !== 0 && now > c.deadlineAt) shut(c, "timeout");
  }, sweepEvery);

  const setPhase = (c: Connection, phase: Phase) => {
    c.phase = phase;
    if (phase === "head") {
      // Back to the young end: the oldest waiting connections are evicted first.
      connections.delete(c.conn);
      connections.set(c.conn, c);
    }
  };

  const refuseBusy = (conn: Deno.Conn) => {
    stats.refused++;
    const text = "service busy: too many connections\n";
    const bytes = encoder.encode(
      "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\nretry-after: 1\r\n" +
        `connection: close\r\ncontent-length: ${text.length}\r\n\r\n${text}`,
    );
    // Best effort and bounded: one small write, then the descriptor goes.
    const timer = setTimeout(() => closeQuietly(conn), 1_000);
    conn.write(bytes).catch(() => 0).finally(() => {
      clearTimeout(timer);
      closeQuietly(conn);
    });
  };

  const serveConnection = async (c: Connection): Promise<void> => {
    const reader = new HeadReader(c.conn);
    let fresh = true;
    try {
      while (!c.closed && !closing) {
        setPhase(c, "head");
        // A new connection has headerTimeoutMs for its head; a kept-alive one may idle first.
        deadline(c, fresh ? headerTimeoutMs : idleTimeoutMs);
        let head: RequestHead | null;
        try {
          head = await reader.readHead(() => deadline(c, headerTimeoutMs), fresh);
        } catch (e) {
          if (e instanceof Refusal) {
            await refuse(c, e);
            return;
          }
          return; // the peer went away, or the connection was closed (timeout, eviction, shutdown)
        }
        if (head === null) return;
        fresh = false;
        setPhase(c, "busy");
        noDeadline(c);
        const keepAlive = await handle(c, reader, head);
        if (!keepAlive) return;
      }
    } finally {
      shut(c);
      connections.delete(c.conn);
      stats.open = connections.size;
    }
  };

  /** Answer a refusal the server makes itself (malformed, too large), then close. */
  const refuse = async (c: Connection, r: Refusal) => {
    stats.rejected++;
    setPhase(c, "busy");
    const body = encoder.encode(r.text + "\n");
    const head = `HTTP/1.1 ${r.status} ${REASONS[r.status] ?? "Error"}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
      `content-length: ${body.length}\r\nconnection: close\r\n\r\n`;
    await send(c, concat(encoder.encode(head), body)).catch(() => {});
  };

  /** Write all of `bytes`, each write within sendTimeoutMs. */
  const send = async (c: Connection, bytes: Uint8Array) => {
    let offset = 0;
    while (offset < bytes.length) {
      deadline(c, sendTimeoutMs);
      offset += await c.conn.write(bytes.subarray(offset));
    }
    noDeadline(c);
  };

  /** One request: checks, the body discarded, the handler, the answer. Returns whether to keep the connection. */
  const handle = async (c: Connection, reader: HeadReader, head: RequestHead): Promise<boolean> => {
    const host = head.headers.get("host");
    if ((head.version === "HTTP/1.1" && host === null) || head.hostCount > 1 || host?.trim() === "") {
      await refuse(c, new Refusal(400, "a request needs exactly one Host header"));
      return false;
    }
    if (!hostAllowed(host)) {
      await refuse(
        c,
        new Refusal(421, `this server does not answer for Host ${JSON.stringify(host ?? "")} (DNS rebinding guard)`),
      );
      return false;
    }
    if (head.headers.has("transfer-encoding")) {
      await refuse(c, new Refusal(501, "request bodies are not accepted (transfer-encoding)"));
      return false;
    }
    const length = head.headers.get("content-length");
    if (length !== null) {
      if (!/^\d{1,15}$/.test(length)) {
        await refuse(c, new Refusal(400, "malformed Content-Length"));
        return false;
      }
      if (Number(length) > maxBodyBytes) {
        await refuse(c, new Refusal(413, `request bodies are limited to ${maxBodyBytes} bytes`));
        return false;
      }
      deadline(c, bodyTimeoutMs);
      const complete = await reader.skip(Number(length)).catch(() => false);
      noDeadline(c);
      if (!complete) return false;
    }
    let request: Request;
    try {
      const authority = host ??
        `${options.hostname.includes(":") ? `[${options.hostname}]` : options.hostname}:${addr.port}`;
      const url = new URL(`http://${authority}${head.target}`);
      if (url.host.toLowerCase() !== authority.toLowerCase().replace(/:80$/, "")) throw new TypeError("authority");
      request = new Request(url, { method: head.method, headers: head.headers });
    } catch {
      await refuse(c, new Refusal(400, "malformed request target or Host"));
      return false;
    }
    stats.requests++;
    let response: Response;
    try {
      response = await handler(request);
    } catch (e) {
      const tooMany = (e as { code?: string })?.code === "EMFILE" || /os error 2[34]\b/.test(String(e));
      response = new Response(tooMany ? "twin: busy (too many open files)\n" : "twin: internal error\n", {
        status: tooMany ? 503 : 500,
        headers: { "content-type": "text/plain", ...(tooMany ? { "retry-after": "1" } : {}) },
      });
    }
    const keepAlive = head.keepAlive && !closing &&
      !/\bclose\b/i.test(response.headers.get("connection") ?? "");
    return await writeResponse(c, head, response, keepAlive);
  };

  /** Write `response`; returns whether the connection may carry another request. */
  const writeResponse = async (
    c: Connection,
    head: RequestHead,
    response: Response,
    keepAlive: boolean,
  ): Promise<boolean> => {
    const status = response.status;
    const lines = [`HTTP/1.1 ${status} ${REASONS[status] ?? "Unknown"}`];
    for (const [name, value] of response.headers) {
      if (name === "connection" || name === "transfer-encoding" || name === "keep-alive") continue;
      if (name === "content-length") continue;
      lines.push(`${name}: ${value}`);
    }
    if (!response.headers.has("date")) lines.push(`date: ${httpDate()}`);
    const declared = response.headers.get("content-length");
    const noBody = head.method === "HEAD" || status === 204 || status === 304 || (status >= 100 && status < 200);
    const headBytes = (extra: string[]) =>
      encoder.encode(
        [...lines, ...extra, `connection: ${keepAlive ? "keep-alive" : "close"}`].join("\r\n") + "\r\n\r\n",
      );
    const body = response.body;
    if (noBody) {
      await body?.cancel().catch(() => {});
      await send(c, headBytes(declared !== null ? [`content-length: ${declared}`] : []));
      return keepAlive;
    }
    if (body === null) {
      await send(c, headBytes(["content-length: 0"]));
      return keepAlive;
    }
    const chunks = body.getReader();
    let finished = false;
    try {
      if (declared !== null && /^\d+$/.test(declared)) {
        // A stream of known length (a file): sent as it comes; a short stream breaks the connection.
        await send(c, headBytes([`content-length: ${declared}`]));
        let left = Number(declared);
        while (left > 0) {
          const { value, done } = await chunks.read();
          if (done) {
            finished = true;
            return false;
          }
          const part = value.length > left ? value.subarray(0, left) : value;
          await send(c, part);
          left -= part.length;
        }
        return keepAlive;
      }
      // Unknown length (every JSON answer: text already in memory): read whole, sent with its length in one
      // write. A body that fails (the twin's `drop` fault) is cut off after its head, as a dropped connection.
      const parts: Uint8Array[] = [];
      let size = 0;
      try {
        while (true) {
          const next = await chunks.read();
          if (next.done) break;
          parts.push(next.value);
          size += next.value.length;
        }
        finished = true;
      } catch {
        await send(c, headBytes(["transfer-encoding: chunked"])).catch(() => {});
        return false;
      }
      const whole = parts.length === 1 ? parts[0] : concatAll(parts, size);
      await send(c, concat(headBytes([`content-length: ${size}`]), whole));
      return keepAlive;
    } catch {
      return false; // the body failed midway, or the client stopped reading: the connection goes
    } finally {
      // An answer not read to its end (a cut or failed send) is cancelled: a file stream closes its file.
      if (!finished) chunks.cancel().catch(() => {});
      else chunks.releaseLock();
    }
  };

  const acceptLoop = async () => {
    let backoff = 5;
    while (!closing) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch (e) {
        if (closing || e instanceof Deno.errors.BadResource || e instanceof Deno.errors.Interrupted) return;
        // EMFILE/ENFILE (or another transient failure): free a descriptor, wait, try again.
        stats.acceptErrors++;
        evictOne();
        await new Promise<void>((resolve) => {
          wakeBackoff = resolve;
          backoffTimer = setTimeout(resolve, backoff);
        });
        backoffTimer = undefined;
        backoff = Math.min(backoff * 2, 1_000);
        continue;
      }
      backoff = 5;
      stats.accepted++;
      if (closing) {
        closeQuietly(conn);
        return;
      }
      if (connections.size >= maxConnections && !evictOne()) {
        refuseBusy(conn);
        continue;
      }
      try {
        (conn as Deno.TcpConn).setNoDelay?.(true);
      } catch {
        // not a TCP connection, or already reset
      }
      const c: Connection = { conn, phase: "head", closed: false, deadlineAt: 0, why: null };
      connections.set(conn, c);
      stats.open = connections.size;
      stats.maxOpen = Math.max(stats.maxOpen, stats.open);
      const loop = serveConnection(c).catch(() => {});
      loops.add(loop);
      loop.finally(() => loops.delete(loop));
    }
  };
  const accepting = acceptLoop();

  return {
    addr,
    stats,
    close: async () => {
      closing = true;
      try {
        listener.close();
      } catch {
        // already closed
      }
      clearTimeout(backoffTimer);
      wakeBackoff?.();
      await accepting;
      for (const c of connections.values()) if (c.phase === "head") shut(c);
      while (loops.size > 0) await Promise.allSettled([...loops]);
      clearInterval(sweeper);
    },
  };
}

function closeQuietly(conn: Deno.Conn) {
  try {
    conn.close();
  } catch {
    // already closed
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function concatAll(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

let dateSecond = -1;
let dateText = "";

/** The `Date` header's value, computed once a second. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

/** A parsed request head. */
interface RequestHead {
  method: string;
  target: string;
  version: "HTTP/1.0" | "HTTP/1.1";
  headers: Headers;
  hostCount: number;
  keepAlive: boolean;
}

/** Reads request heads (and skips bodies) from a connection, keeping bytes that arrive early (pipelining). */
class HeadReader {
  #buf = new Uint8Array(16_384);
  #len = 0;
  constructor(readonly conn: Deno.Conn) {}

  /** Read more bytes into the buffer; false at the end of the stream. */
  async #fill(): Promise<boolean> {
    if (this.#len === this.#buf.length) {
      const bigger = new Uint8Array(Math.min(this.#buf.length * 2, MAX_HEAD + 16_384));
      bigger.set(this.#buf);
      this.#buf = bigger;
    }
    const n = await this.conn.read(this.#buf.subarray(this.#len));
    if (n === null) return false;
    this.#len += n;
    return true;
  }

  #drop(n: number) {
    this.#buf.copyWithin(0, n, this.#len);
    this.#len -= n;
  }

  /**
   * The next request head, or null when the client closed the connection between requests.
   * `started` is called when the first byte of a head arrives on a kept-alive connection.
   */
  async readHead(started: () => void, fresh: boolean): Promise<RequestHead | null> {
    let scanned = 0;
    let begun = fresh || this.#len > 0;
    if (!fresh && this.#len > 0) started();
    while (true) {
      // Leading empty lines before a request line are allowed (RFC 9112 §2.2).
      while (this.#len >= 2 && this.#buf[0] === 13 && this.#buf[1] === 10) this.#drop(2);
      const end = indexOfHeadEnd(this.#buf, this.#len, Math.max(0, scanned - 3));
      if (end >= 0) {
        const head = parseHead(this.#buf.subarray(0, end));
        this.#drop(end + 4);
        return head;
      }
      scanned = this.#len;
      const lineEnd = this.#buf.subarray(0, this.#len).indexOf(10);
      if ((lineEnd < 0 ? this.#len : lineEnd - 1) > MAX_LINE) {
        throw new Refusal(414, `Request Line is too large (> ${MAX_LINE})`);
      }
      if (this.#len > MAX_HEAD) throw new Refusal(431, "Request Header Fields Too Large");
      if (!(await this.#fill())) {
        if (this.#len === 0) return null; // closed between requests
        throw new Error("closed mid-head");
      }
      if (!begun) {
        begun = true;
        started();
      }
    }
  }

  /** Read and discard `n` body bytes; false when the stream ended first. */
  async skip(n: number): Promise<boolean> {
    while (n > 0) {
      if (this.#len === 0 && !(await this.#fill())) return false;
      const take = Math.min(n, this.#len);
      this.#drop(take);
      n -= take;
    }
    return true;
  }
}

function indexOfHeadEnd(buf: Uint8Array, len: number, from: number): number {
  for (let i = from; i + 3 < len; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i;
  }
  return -1;
}

/** Parse a head (without its final blank line). Throws a {@link Refusal} for what a server must refuse. */
function parseHead(bytes: Uint8Array): RequestHead {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10) {
      lines.push(bytes.subarray(start, i));
      start = i + 2;
      i++;
    }
  }
  lines.push(bytes.subarray(start));
  const requestLine = utf8.decode(lines[0]);
  if (lines[0].length > MAX_LINE) {
    throw new Refusal(414, `Request Line is too large (${lines[0].length} > ${MAX_LINE})`);
  }
  const parts = requestLine.split(" ");
  if (parts.length !== 3 || !TOKEN.test(parts[0])) throw new Refusal(400, "malformed request line");
  const [method, target, version] = parts;
  if (version !== "HTTP/1.1" && version !== "HTTP/1.0") {
    throw new Refusal(/^HTTP\/\d\.\d$/.test(version) ? 505 : 400, "unsupported HTTP version");
  }
  // deno-lint-ignore no-control-regex
  if (!target.startsWith("/") || /[\x00-\x20\x7f]/.test(target)) {
    throw new Refusal(400, "malformed request target (origin form expected)");
  }
  if (lines.length - 1 > MAX_FIELDS) throw new Refusal(431, `more than ${MAX_FIELDS} header fields`);
  const headers = new Headers();
  let hostCount = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.length > MAX_FIELD) throw new Refusal(431, `a header field longer than ${MAX_FIELD} bytes`);
    if (line[0] === 32 || line[0] === 9) throw new Refusal(400, "obsolete line folding");
    const colon = line.indexOf(58);
    if (colon <= 0) throw new Refusal(400, "malformed header field");
    const name = latin1(line.subarray(0, colon));
    if (!TOKEN.test(name)) throw new Refusal(400, "malformed header field name");
    const value = latin1(line.subarray(colon + 1)).replace(/^[ \t]+|[ \t]+$/g, "");
    // deno-lint-ignore no-control-regex
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw new Refusal(400, "control character in a header field");
    if (name.toLowerCase() === "host") hostCount++;
    try {
      headers.append(name, value);
    } catch {
      throw new Refusal(400, "malformed header field");
    }
  }
  const connection = (headers.get("connection") ?? "").toLowerCase();
  const keepAlive = version === "HTTP/1.1" ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection);
  return { method, target, version, headers, hostCount, keepAlive };
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

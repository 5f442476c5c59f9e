/**
 * The request side of the twin's limits, as the real deployment (gunicorn in front of Flask) has them: a
 * request line longer than gunicorn's `limit_request_line` (4094 bytes) is refused with 414 before the
 * twin does any work, so one client cannot pin the server with a 30 KB gene list while others wait; the
 * `large=` fault is capped; stored URLs of paths that are no route are shortened.
 *
 * Not bounded here: how long a client may take to send its headers. `Deno.serve` offers no header or
 * idle timeout, and a handler only runs once the headers have arrived, so a half-sent request holds its
 * connection (not the event loop) until the client goes away.
 *
 * @module
 */

/** gunicorn's default `limit_request_line`: the longest request line (method, URL, version) accepted. */
export const MAX_REQUEST_LINE = 4094;

/** The most rows the `large` fault pads an answer to (about 15 MB of JSON). */
export const MAX_LARGE_ROWS = 100_000;

/** How much of a stored URL is kept when its path is no route (junk paths must not grow the counters). */
export const MAX_JUNK_URL = 200;

/**
 * `handler` behind the request-line cap: a request whose line would be longer than
 * {@link MAX_REQUEST_LINE} bytes gets 414 at once (the twin never parses its query).
 */
export function limitRequests(
  handler: (request: Request) => Promise<Response>,
): (request: Request) => Promise<Response> {
  return (request) => {
    const url = new URL(request.url);
    // "GET /api/v4/gene?geneId=… HTTP/1.1": the target in bytes, as sent (already percent-encoded).
    const line = request.method.length + 1 + new TextEncoder().encode(url.pathname + url.search).length + 9;
    if (line > MAX_REQUEST_LINE) {
      return Promise.resolve(
        new Response(`Request Line is too large (${line} > ${MAX_REQUEST_LINE})\n`, {
          status: 414,
          headers: { "content-type": "text/plain; charset=utf-8", connection: "close" },
        }),
      );
    }
    return handler(request);
  };
}

/**
 * The most gene IDs (known ones, repeats counted) `medianGeneExpression` clusters in one request. Its
 * trees' optimal leaf ordering is cubic in the lists' lengths, and repeated IDs make it worse: 61 genes ×
 * 768 tissue IDs (a 3.9 KB URL, under the line cap) took 9.8 s of one CPU before this cap; the portal asks
 * for at most 100 genes.
 */
export const MAX_MEDIAN_GENES = 256;

/** The most tissue IDs (repeats counted) `medianGeneExpression` takes in one request (v4 has 13 tissues). */
export const MAX_MEDIAN_TISSUES = 32;

/** Requests for expensive work that may wait for their turn; more get 503 with `Retry-After`. */
export const MAX_QUEUED_WORK = 16;

/** A request over a per-request work cap: the status and the JSON body naming the cap. */
export class OverWorkCap extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * Expensive computations one at a time, each after a turn of the event loop, so that every cheap request
 * that arrived meanwhile is answered between two of them (no client waits for more than one expensive
 * computation, however many are queued); at most {@link MAX_QUEUED_WORK} wait.
 */
export class WorkQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #waiting = 0;

  /** Run `work` in its turn; throws {@link OverWorkCap} (503) when too many are waiting. */
  run<T>(work: () => T): Promise<T> {
    if (this.#waiting >= MAX_QUEUED_WORK) {
      return Promise.reject(new OverWorkCap(503, `more than ${MAX_QUEUED_WORK} expensive requests are waiting`));
    }
    this.#waiting++;
    const turn = this.#tail.then(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0)); // let waiting I/O (cheap requests) go first
      try {
        return work();
      } finally {
        this.#waiting--;
      }
    });
    this.#tail = turn.catch(() => {});
    return turn;
  }
}

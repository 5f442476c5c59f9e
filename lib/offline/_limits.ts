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

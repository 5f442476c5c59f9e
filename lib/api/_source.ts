/**
 * Where a client's requests go — the one place that resolves a source: the live API, the offline twin's
 * pseudo URL, a release folder (the twin over it), or a base URL a user typed, checked and normalised.
 * The twin is reached only here, by a dynamic import, so importing the client loads neither the twin nor
 * the release readers.
 *
 * @module
 */
import { ValidationError } from "../_core/errors.ts";

import { LIVE_BASE_URL } from "../_core/source.ts";

export { LIVE_BASE_URL };
/** The pseudo base URL of the in-process offline twin (never resolved on a network). */
export const OFFLINE_BASE_URL = "http://offline.ratgtex.invalid/api/v4";

/** The pseudo base URL of the in-process twin over a release folder (never resolved on a network). */
export const FOLDER_BASE_URL = "http://folder.ratgtex.invalid/api/v4";

/** The API base URL of a source (`"live"`, `"offline"`, a release folder or a URL), without a trailing slash. */
export function baseUrlOf(source: string): string {
  if (source === "live") return LIVE_BASE_URL;
  if (source === "offline") return OFFLINE_BASE_URL;
  return folderOf(source) !== null ? FOLDER_BASE_URL : normaliseBase(source);
}

/**
 * The release folder a source names, or null: a `file:` URL, or a path that says it is one — absolute
 * (`/…`, `C:\…`), or relative from here (`./…`, `../…`, `~/…`). Anything else is read as a URL, so a
 * typo such as `ratgtex.org` is refused as a bad URL instead of being opened as a folder.
 */
export function folderOf(source: string): string | null {
  if (source.startsWith("file:")) return new URL(source).pathname;
  if (/^(\/|\.\.?\/|~\/|[A-Za-z]:[\\/])/.test(source)) return source;
  return null;
}

function normaliseBase(source: string): string {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new ValidationError(
      "source",
      source,
      "neither 'live', 'offline' nor a URL",
      "e.g. 'offline' or 'http://127.0.0.1:8000/api/v4'",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ValidationError(
      "source",
      source.includes("@") ? `${url.protocol}…` : source, // a user:password@ part is never printed
      "only http and https URLs are supported",
      "e.g. 'http://127.0.0.1:8000/api/v4'",
    );
  }
  // The route is appended to the path: a query or fragment would swallow it, and credentials would be
  // printed (describeSource, errors) and stored in cache headers. Refused, never silently stripped.
  if (url.username || url.password) {
    throw new ValidationError(
      "source",
      redacted(url),
      "a source URL must not carry credentials (user:password@)",
      "remove them; the RatGTEx API needs none (a proxy that does should be configured outside the URL)",
    );
  }
  if (url.search || url.hash || source.includes("?") || source.includes("#")) {
    throw new ValidationError(
      "source",
      source,
      "a source URL must not have a query string (?…) or fragment (#…): routes are appended to its path",
      "give the base URL only, e.g. 'http://127.0.0.1:8000/api/v4'",
    );
  }
  return url.href.replace(/\/+$/, "");
}

/** The URL with its credentials replaced by `***`, safe to print. */
function redacted(url: URL): string {
  const copy = new URL(url.href);
  copy.username = copy.username ? "***" : "";
  copy.password = copy.password ? "***" : "";
  return copy.href;
}

let offlineHandler: Promise<(request: Request) => Promise<Response>> | null = null;

/** The in-process twin: the same handler that `deno task serve` puts behind HTTP. */
function offlineFetch(request: Request): Promise<Response> {
  offlineHandler ??= import("../offline/twin.ts")
    .then(async ({ createTwin }) => (await createTwin()).handler)
    .catch((e) => {
      offlineHandler = null; // a failed start (e.g. no --allow-read) is not remembered
      throw e;
    });
  return offlineHandler.then((handler) => handler(request));
}

/** The in-process twin over a release folder (one per folder and process). */
const folderHandlers = new Map<string, Promise<(request: Request) => Promise<Response>>>();
function folderFetch(folder: string): (request: Request) => Promise<Response> {
  return (request) => {
    let handler = folderHandlers.get(folder);
    if (!handler) {
      handler = import("../offline/twin.ts").then(async ({ createTwin }) =>
        (await createTwin({ data: folder })).handler
      );
      handler.catch(() => folderHandlers.delete(folder));
      folderHandlers.set(folder, handler);
    }
    return handler.then((h) => h(request));
  };
}

/**
 * The fetch function for a source: the in-process twin for `"offline"` and for a release folder, the
 * platform's `fetch` for a URL.
 */
export function sourceFetch(source: string): (request: Request) => Promise<Response> {
  if (source === "offline") return offlineFetch;
  const folder = folderOf(source);
  return folder !== null ? folderFetch(folder) : (request) => fetch(request);
}

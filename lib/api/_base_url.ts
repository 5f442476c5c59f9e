/**
 * Where a client's requests go: the live API, the offline twin's pseudo URL, or a base URL a user typed,
 * checked and normalised.
 *
 * @module
 */
import { ValidationError } from "../_core/errors.ts";

/** The live API. */
export const LIVE_BASE_URL = "https://ratgtex.org/api/v4";
/** The pseudo base URL of the in-process offline twin (never resolved on a network). */
export const OFFLINE_BASE_URL = "http://offline.ratgtex.invalid/api/v4";

/** The API base URL of a source (`"live"`, `"offline"` or a URL), without a trailing slash. */
export function baseUrlOf(source: string): string {
  return source === "live" ? LIVE_BASE_URL : source === "offline" ? OFFLINE_BASE_URL : normaliseBase(source);
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
      source,
      "only http and https URLs are supported",
      "e.g. 'http://127.0.0.1:8000/api/v4'",
    );
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * Reading a response body under a limit: a stream copied into one buffer up to a byte count counted after
 * decompression, and its decoding (UTF-8 strictly for an answer, loosely for an error page's excerpt).
 *
 * @module
 */
import { type ErrorContext, ResponseFormatError } from "../_core/errors.ts";

/**
 * The body's bytes, at most `limit` of them (decoded: fetch has already inflated gzip), read as a stream
 * so a bigger or endless body never costs more than `limit`; `complete` is false when it was cut there.
 * Each piece is copied at once into one buffer that doubles as needed: keeping fetch's many small pieces
 * would cost several times their size.
 */
export async function readBounded(
  response: Response,
  limit: number,
): Promise<{ bytes: Uint8Array; complete: boolean }> {
  if (!response.body) return { bytes: new Uint8Array(0), complete: true };
  const reader = response.body.getReader();
  const declared = Number(response.headers.get("content-length"));
  let buffer = new Uint8Array(Math.min(limit, declared > 0 ? declared : 64 * 1024));
  let total = 0;
  let complete = true;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = limit - total;
    const piece = value.length > room ? value.subarray(0, room) : value;
    if (total + piece.length > buffer.length) {
      const grown = new Uint8Array(Math.min(limit, Math.max(buffer.length * 2, total + piece.length)));
      grown.set(buffer.subarray(0, total));
      buffer = grown;
    }
    buffer.set(piece, total);
    total += piece.length;
    if (value.length > room) {
      complete = false;
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return { bytes: buffer.subarray(0, total), complete };
}

/** A 200 body as text; bytes that are not UTF-8 are a ResponseFormatError, never silently replaced. */
export function decodeUtf8(bytes: Uint8Array, context: ErrorContext & { attempt: number }): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new ResponseFormatError("the answer is not valid UTF-8", decodeLoose(bytes.subarray(0, 4096)), {
      ...context,
      attempts: context.attempt,
      cause,
    });
  }
}

/** Text for an excerpt: bad bytes shown as U+FFFD. */
export function decodeLoose(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

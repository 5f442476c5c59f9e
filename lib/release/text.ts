/**
 * The one text reader of a release's files: a file (or a zip member) is read in slices from its
 * {@link ByteSource}, decompressed when it starts with the gzip magic (one gzip member, several, or BGZF —
 * which is a series of gzip members), decoded as UTF-8 and cut into lines, as a stream. Every step is
 * capped: at most `maxFileBytes` decompressed bytes per file and `maxLineBytes` per line, so a
 * decompression bomb stops at the cap with a typed error naming the file, and memory stays bounded by the
 * caps, not by what the file claims.
 *
 * @module
 */
import { createGunzip } from "node:zlib";
import { ReleaseFormatError, ReleaseTooLargeError } from "../_core/errors.ts";
import type { ByteSource, ReadLimits } from "./source.ts";

/** How much compressed input is read at a time. */
const SLICE = 1 << 20;

/**
 * The decompressed bytes of a file, in pieces: gunzipped (every member) when the file starts with the
 * gzip magic, as stored otherwise; at most `limits.maxFileBytes` in all.
 *
 * @param src The file.
 * @param limits The caps (`maxFileBytes`; `option` names the cap in the error, e.g. `maxMemberBytes`).
 * @returns The pieces, in order.
 */
export async function* decompressedChunks(
  src: ByteSource,
  limits: Pick<ReadLimits, "maxFileBytes">,
  option = "maxFileBytes",
): AsyncGenerator<Uint8Array> {
  const size = await src.size();
  const head = await src.read(0, Math.min(size, SLICE));
  const cap = limits.maxFileBytes;
  if (!(head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)) {
    if (size > cap) throw new ReleaseTooLargeError({ file: src.name }, option, cap);
    let offset = head.length;
    if (head.length > 0) yield head;
    while (offset < size) {
      const piece = await src.read(offset, Math.min(SLICE, size - offset));
      if (piece.length === 0) break;
      offset += piece.length;
      yield piece;
    }
    return;
  }
  // gzip / BGZF: node's gunzip reads every member (BGZF is one member per block), in paused mode so that
  // it inflates no further than what has been consumed (a bomb never runs ahead of the cap).
  const gunzip = createGunzip({ chunkSize: 1 << 16 });
  let failed: unknown = null;
  gunzip.on("error", (e) => (failed ??= e));
  const feed = (async () => {
    let offset = 0;
    let piece = head;
    for (;;) {
      if (piece.length === 0) break;
      offset += piece.length;
      if (!gunzip.write(piece)) await drained(gunzip);
      if (gunzip.destroyed || offset >= size) break;
      piece = await src.read(offset, Math.min(SLICE, size - offset));
    }
    if (!gunzip.destroyed) gunzip.end();
  })();
  feed.catch((e) => {
    failed ??= e;
    gunzip.destroy();
  });
  let total = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > cap) throw new ReleaseTooLargeError({ file: src.name }, option, cap);
      yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  } catch (e) {
    if (e instanceof ReleaseTooLargeError || e instanceof ReleaseFormatError) throw e;
    throw damaged(src.name, failed ?? e);
  } finally {
    gunzip.destroy();
    await feed.catch(() => {});
  }
  if (failed !== null) throw damaged(src.name, failed);
}

/** Until the stream wants more input, or is closed (destroyed by the reader that stopped). */
function drained(stream: ReturnType<typeof createGunzip>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}

function damaged(file: string, cause: unknown): Error {
  if (cause instanceof ReleaseFormatError) return cause;
  const why = cause instanceof Error ? cause.message : String(cause);
  return new ReleaseFormatError({ file }, `damaged gzip/BGZF data (${why})`, { cause });
}

/**
 * A file's decompressed bytes, whole (at most `maxFileBytes`).
 */
export async function readBytes(src: ByteSource, limits: Pick<ReadLimits, "maxFileBytes">): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  let total = 0;
  for await (const piece of decompressedChunks(src, limits)) {
    pieces.push(piece.slice());
    total += piece.length;
  }
  if (pieces.length === 1) return pieces[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Lines of a file, a batch at a time: `first` is the 1-based number of `lines[0]`. */
export interface LineBatch {
  /** The line number of the first line of the batch. */
  first: number;
  /** The lines, without their `\n` (nor a `\r` before it). */
  lines: string[];
}

/**
 * A file's lines (UTF-8; `\n` or `\r\n`), in batches, streamed: a line longer than `maxLineBytes`, more
 * than `maxFileBytes` of text, or bytes that are not UTF-8 are typed errors naming the file (and line).
 */
export async function* textLines(
  src: ByteSource,
  limits: Pick<ReadLimits, "maxFileBytes" | "maxLineBytes">,
): AsyncGenerator<LineBatch> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  // The start of an unfinished line, in pieces (joined once its end arrives: a long line costs its length,
  // not its length times the number of pieces).
  let carry: string[] = [];
  let carried = 0;
  let next = 1;
  const decode = (bytes: Uint8Array, stream: boolean): string => {
    try {
      return decoder.decode(bytes, { stream });
    } catch (cause) {
      throw new ReleaseFormatError({ file: src.name, line: next }, "is not UTF-8 text", { cause });
    }
  };
  const tooLong = (line: number) =>
    new ReleaseTooLargeError({ file: src.name, line }, "maxLineBytes", limits.maxLineBytes, "has a line longer than");
  const chomp = (line: string) => (line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);
  for await (const piece of decompressedChunks(src, limits)) {
    const text = decode(piece, true);
    const first = text.indexOf("\n");
    if (first < 0) {
      carry.push(text);
      carried += text.length;
      if (carried > limits.maxLineBytes) throw tooLong(next);
      continue;
    }
    const parts = text.split("\n");
    const head = carry.length === 0 ? parts[0] : carry.join("") + parts[0];
    parts[0] = head;
    const tail = parts.pop()!;
    carry = tail === "" ? [] : [tail];
    carried = tail.length;
    for (let i = 0; i < parts.length; i++) {
      if (parts[i].length > limits.maxLineBytes) throw tooLong(next + i);
      parts[i] = chomp(parts[i]);
    }
    if (carried > limits.maxLineBytes) throw tooLong(next + parts.length);
    yield { first: next, lines: parts };
    next += parts.length;
  }
  const last = carry.join("") + decode(new Uint8Array(0), false);
  if (last.length > limits.maxLineBytes) throw tooLong(next);
  if (last !== "") yield { first: next, lines: [chomp(last)] };
}

/**
 * The release's files over HTTP, as ratgtex.org (nginx) serves `/data/v4/…`: `GET`/`HEAD`, `Content-Length`,
 * `ETag` and `Last-Modified`, `Accept-Ranges: bytes` and single byte ranges (`206` with `Content-Range`,
 * `416` when unsatisfiable; `If-Range` honoured), which a client needs to resume an interrupted download
 * safely. Only the folder's own files are served: a path is resolved through the release's byte source,
 * which refuses anything whose real path (symlinks resolved) lies outside the folder, and anything that is
 * not a regular file.
 *
 * @module
 */
import { normalize } from "node:path";
import type { ReleaseFolder } from "../release/folder.ts";
import { FolderSource } from "../release/source.ts";

const TYPES: [RegExp, string][] = [
  [/\.json$/, "application/json"],
  [/\.(tsv|txt)$/, "text/tab-separated-values; charset=utf-8"],
  [/\.gz$/, "application/gzip"],
  [/\.zip$/, "application/zip"],
];

/** Serve one file of the folder (`rel` relative to it), honouring a `Range` header. */
export async function serveFile(folder: ReleaseFolder, rel: string, request: Request): Promise<Response> {
  const clean = normalize(rel);
  const notFound = () => new Response("Not Found\n", { status: 404, headers: { "content-type": "text/plain" } });
  if (clean.startsWith("..") || clean.startsWith("/") || clean.includes("\0")) return notFound();
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response("Method Not Allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
  }
  if (!(folder.source instanceof FolderSource)) return notFound();
  let path: string, size: number, mtime: Date | null;
  try {
    path = await folder.source.resolve(clean);
    const info = await Deno.stat(path);
    if (!info.isFile) return notFound();
    size = info.size;
    mtime = info.mtime;
  } catch {
    return notFound(); // missing, outside the folder (a link out), or not a regular file
  }
  const type = TYPES.find(([re]) => re.test(clean))?.[1] ?? "application/octet-stream";
  const headers: Record<string, string> = { "content-type": type, "accept-ranges": "bytes" };
  // nginx's validators: ETag "<mtime hex>-<size hex>" and Last-Modified.
  const etag = `"${Math.floor((mtime?.getTime() ?? 0) / 1000).toString(16)}-${size.toString(16)}"`;
  const lastModified = new Date(Math.floor((mtime?.getTime() ?? 0) / 1000) * 1000).toUTCString();
  headers.etag = etag;
  headers["last-modified"] = lastModified;
  let start = 0, end = size - 1, status = 200;
  const range = request.headers.get("range");
  const ifRange = request.headers.get("if-range");
  // If-Range: the range applies only to the version named (else the whole file, as a fresh download).
  const current = ifRange === null || ifRange === etag || ifRange === lastModified;
  if (range !== null && current) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    if (m && (m[1] !== "" || m[2] !== "")) {
      if (m[1] === "") start = Math.max(0, size - Number(m[2]));
      else {
        start = Number(m[1]);
        if (m[2] !== "") end = Math.min(end, Number(m[2]));
      }
      if (start >= size || start > end) {
        return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
      }
      status = 206;
      headers["content-range"] = `bytes ${start}-${end}/${size}`;
    }
  }
  headers["content-length"] = String(end - start + 1);
  if (request.method === "HEAD") return new Response(null, { status, headers });
  const file = await Deno.open(path, { read: true });
  if (!(await file.stat()).isFile) {
    file.close();
    return notFound();
  }
  await file.seek(start, Deno.SeekMode.Start);
  let left = end - start + 1;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (left <= 0) {
        file.close();
        controller.close();
        return;
      }
      const buf = new Uint8Array(Math.min(left, 65536));
      const n = await file.read(buf);
      if (n === null) {
        file.close();
        controller.close();
        return;
      }
      left -= n;
      controller.enqueue(buf.subarray(0, n));
    },
    cancel() {
      file.close();
    },
  });
  return new Response(body, { status, headers });
}

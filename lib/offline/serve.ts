/**
 * Serve the twin of the RatGTEx server on loopback.
 *
 * From the command line: `ratgtex serve [--port N] [--hostname H]` (`deno task serve`); port 0 (the default)
 * picks a free port and prints the base URL.
 *
 * @module
 */
import { API_PREFIX, createTwin, type Twin, type TwinOptions } from "./twin.ts";

/** A twin behind `Deno.serve`. */
export interface ServedTwin {
  /** The API base URL, e.g. `http://127.0.0.1:41234/api/v4`. */
  baseUrl: string;
  /** The port chosen. */
  port: number;
  /** The twin (counters, fault controls). */
  twin: Twin;
  /** Stop the server and wait for it to finish. */
  close(): Promise<void>;
}

/**
 * Start the twin on loopback (`127.0.0.1`, port 0 = a free port).
 *
 * @example
 * ```ts
 * import { serveTwin } from "ratgtex/offline";
 * import assert from "node:assert/strict";
 * const served = await serveTwin();
 * const res = await fetch(`${served.baseUrl}/tissueInfo`);
 * assert.equal((await res.json()).tissueInfo.length, 13);
 * await served.close();
 * ```
 */
export async function serveTwin(
  options: TwinOptions & { port?: number; hostname?: string; quiet?: boolean } = {},
): Promise<ServedTwin> {
  const twin = await createTwin(options);
  const hostname = options.hostname ?? "127.0.0.1";
  const { promise, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname,
    port: options.port ?? 0,
    onListen: (addr) => resolve(addr as Deno.NetAddr),
    onError: () => new Response("twin: internal error", { status: 500 }),
  }, twin.handler);
  const addr = await promise;
  return {
    baseUrl: `http://${hostname}:${addr.port}${API_PREFIX}`,
    port: addr.port,
    twin,
    close: async () => {
      await server.shutdown();
    },
  };
}

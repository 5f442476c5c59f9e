/**
 * Internal: running the cis scan's tasks on the calling thread or on Workers. Tasks are handed out a
 * few at a time to whichever worker is free (the machine may be shared, so a static split would wait
 * for the slowest); results go straight into the shared output arrays, so the order in which tasks
 * finish does not matter.
 *
 * @module
 */
import { RatGtexError } from "../../_core/errors.ts";
import { CisKernel, type CisShared, type CisWorkerReply, type CisWorkerRequest } from "./_cis_kernel.ts";

/** The thread count when none is given: every core the runtime reports. */
export function defaultThreads(): number {
  const cores = typeof navigator !== "undefined" ? navigator.hardwareConcurrency : undefined;
  return typeof cores === "number" && cores >= 1 ? cores : 2;
}

/** A buffer the workers can see: shared when more than one thread runs. */
export function sharedBuffer(bytes: number, threads: number): ArrayBuffer {
  return threads > 1 ? new SharedArrayBuffer(bytes) as unknown as ArrayBuffer : new ArrayBuffer(bytes);
}

/**
 * Run `tasks` of `kind` over `shared` on `threads` threads (the calling thread alone when 1), `batch`
 * tasks per message to a worker.
 */
export async function runCisTasks(
  shared: CisShared,
  kind: "nominal" | "permutations",
  tasks: number[],
  threads: number,
  batch: number,
): Promise<void> {
  const workers = Math.min(threads, Math.ceil(tasks.length / batch));
  if (workers <= 1) {
    const kernel = new CisKernel(shared);
    for (const t of tasks) {
      if (kind === "nominal") kernel.nominalChunk(t);
      else kernel.permutationPhenotype(t);
    }
    return;
  }
  const url = new URL("./_cis_worker.ts", import.meta.url).href;
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let running = 0;
      const send = (w: Worker) => {
        if (next >= tasks.length) return false;
        const slice = tasks.slice(next, next + batch);
        next += slice.length;
        running++;
        w.postMessage({ type: "tasks", kind, tasks: slice } satisfies CisWorkerRequest);
        return true;
      };
      for (let i = 0; i < workers; i++) {
        const w = new Worker(url, { type: "module" });
        pool.push(w);
        w.onmessage = (event: MessageEvent<CisWorkerReply>) => {
          const reply = event.data;
          if (reply.type === "error") {
            reject(new RatGtexError(`cis scan worker failed: ${reply.message}`, { cause: reply.stack }));
            return;
          }
          running--;
          if (!send(w) && running === 0) resolve();
        };
        w.onerror = (event: ErrorEvent) => {
          event.preventDefault();
          reject(new RatGtexError(`cis scan worker failed: ${event.message}`));
        };
        w.postMessage({ type: "init", shared } satisfies CisWorkerRequest);
        send(w);
      }
    });
  } finally {
    for (const w of pool) w.terminate();
  }
}

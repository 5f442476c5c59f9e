/**
 * Internal: a Worker of the cis scan (started by `_cis_pool.ts` as a module worker). It receives the
 * shared data once, then task numbers (a chunk of the nominal pass or a phenotype of the permutation
 * pass), and answers each with "done" once the results are written into the shared output arrays.
 *
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { CisKernel, type CisWorkerReply, type CisWorkerRequest } from "./_cis_kernel.ts";

let kernel: CisKernel | undefined;

self.onmessage = (event: MessageEvent<CisWorkerRequest>) => {
  const message = event.data;
  try {
    if (message.type === "init") {
      kernel = new CisKernel(message.shared);
      return;
    }
    for (const task of message.tasks) {
      if (message.kind === "nominal") kernel!.nominalChunk(task);
      else kernel!.permutationPhenotype(task);
    }
    self.postMessage({ type: "done" } satisfies CisWorkerReply);
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    self.postMessage({ type: "error", message: error.message, stack: error.stack } satisfies CisWorkerReply);
  }
};

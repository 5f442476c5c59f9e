/**
 * Whether the code runs inside Deno's Jupyter kernel, a way to show a MIME bundle there, and the workaround
 * that keeps every cell's outputs under that cell. Detected by the kernel's main module
 * (`$deno$jupyter_repl.mts`), never by touching `Deno.jupyter`, which throws outside the kernel.
 *
 * Why the workaround: Deno's kernel (2.x, `cli/js/jupyter_kernel.js`) evaluates a cell on a REPL thread,
 * which queues every output (`console.log`, `display_data`, the cell's `execute_result`) on a channel; a
 * separate loop on the kernel thread drains that channel and publishes each message with the parent
 * header of the request being handled *when it publishes*. The kernel sends `execute_reply` and the
 * `idle` status as soon as the cell's result has been queued, without waiting for the queue to drain. An
 * output still queued then is published after `idle` (nbconvert drops it; the classic Notebook drops it
 * too) or, under Run All, after the next cell's request has arrived, with that cell's header (the front
 * end shows it under the next cell). {@link settleCellOutputs} holds the end of every cell for the kernel
 * thread to drain the queue first.
 *
 * @module
 */

/**
 * True inside Deno's Jupyter kernel (`deno jupyter --kernel`).
 */
export function inJupyterKernel(): boolean {
  try {
    return /\$deno\$jupyter_repl\.[cm]?[jt]s$/.test(Deno.mainModule);
  } catch {
    return false;
  }
}

/** What {@link showInKernel} may ask of the kernel. */
export interface KernelDisplayOptions {
  /** A display to create (first call) or replace (with `update`). */
  displayId?: string;
  /** Replace the display `displayId` shows instead of adding one. */
  update?: boolean;
}

/** The part of `Deno.jupyter` used here (present only inside the kernel). */
interface DenoJupyter {
  broadcast(msgType: string, content: Record<string, unknown>): void | Promise<void>;
}

/** The kernel's hook that sends a cell's result (`Deno[Deno.internal].jupyter.broadcastResult`). */
type BroadcastResult = (executionCount: number, result: unknown) => Promise<void>;

const SETTLING = Symbol.for("ratgtex.settleCellOutputs");

/**
 * Show a MIME bundle in the kernel; false (nothing shown) outside it. The message is queued before this
 * returns (`Deno.jupyter.broadcast`, not the asynchronous `Deno.jupyter.display`), so it keeps its place among
 * the cell's other outputs (a `console.log` right after it prints after it), and the cell waits for it to be
 * published before it ends ({@link settleCellOutputs}).
 *
 * @param bundle A MIME bundle (`{ "text/plain": …, "text/html": … }`).
 * @param options A display ID, to create or update a display in place.
 * @returns Whether it was shown.
 */
export async function showInKernel(bundle: object, options: KernelDisplayOptions = {}): Promise<boolean> {
  if (!inJupyterKernel()) return false;
  settleCellOutputs();
  const jupyter = (Deno as unknown as { jupyter: DenoJupyter }).jupyter;
  // Queued synchronously (before the first await of this function).
  await jupyter.broadcast(options.update ? "update_display_data" : "display_data", {
    data: { ...bundle },
    metadata: {},
    // nbclient reads transient.display_id and fails on a null transient.
    transient: options.displayId ? { display_id: options.displayId } : {},
  });
  return true;
}

/**
 * Inside Deno's kernel, make every cell end only after the outputs it queued have had time to be published
 * (see the module doc): the kernel's `broadcastResult` hook, which it awaits before replying, is wrapped to
 * wait 50 ms plus twice the time it took to send the result (a large figure or table takes longer to sign
 * and send) once it has sent it, capped at one second. Idempotent; a no-op outside the kernel or in a
 * kernel without the hook. The notebooks' display layer installs it when it is imported.
 *
 * @returns Whether the wait is installed.
 */
export function settleCellOutputs(): boolean {
  if (!inJupyterKernel()) return false;
  const internal = (Deno as unknown as { internal?: symbol }).internal;
  const internals = internal === undefined
    ? undefined
    : (Deno as unknown as Record<symbol, { jupyter?: { broadcastResult?: BroadcastResult } } | undefined>)[internal];
  const hooks = internals?.jupyter;
  const original = hooks?.broadcastResult;
  if (!hooks || typeof original !== "function") return false;
  if ((original as unknown as Record<symbol, boolean>)[SETTLING]) return true;
  const settled: BroadcastResult = async (executionCount, result) => {
    const started = performance.now();
    try {
      await original(executionCount, result);
    } finally {
      const wait = Math.min(1000, 50 + 2 * (performance.now() - started));
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
  Object.defineProperty(settled, SETTLING, { value: true });
  hooks.broadcastResult = settled;
  return true;
}

/**
 * Whether the code runs inside Deno's Jupyter kernel, and a way to show a MIME bundle there. Detected by
 * the kernel's main module (`$deno$jupyter_repl.mts`), never by touching `Deno.jupyter`, which throws
 * outside the kernel.
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

/**
 * Show a MIME bundle in the kernel (`Deno.jupyter.display`, raw); false (nothing shown) outside it.
 */
export async function showInKernel(bundle: object, options: KernelDisplayOptions = {}): Promise<boolean> {
  if (!inJupyterKernel()) return false;
  const jupyter = (Deno as unknown as {
    jupyter: { display(obj: unknown, o: { raw: boolean; display_id?: string; update?: boolean }): Promise<void> };
  }).jupyter;
  await jupyter.display(bundle, {
    raw: true,
    ...(options.displayId ? { display_id: options.displayId } : {}),
    ...(options.update ? { update: true } : {}),
  });
  return true;
}

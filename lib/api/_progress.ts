/**
 * Progress of long fan-outs: a bar on stderr when stderr is a terminal, an updating display under the
 * cell in Deno's Jupyter kernel, and nothing otherwise (pipes and CI logs stay clean).
 *
 * @module
 */

import { inJupyterKernel, showInKernel } from "../_core/kernel.ts";

/** A progress reporter. */
export interface Progress {
  /** One more item done. */
  tick(): void;
  /** Finish (clears the bar). */
  done(): void;
}

const SILENT: Progress = { tick() {}, done() {} };

function stderrIsTerminal(): boolean {
  try {
    return Deno.stderr.isTerminal();
  } catch {
    return false;
  }
}

/** The bar's text: `label [####------] 3/10`. */
function barText(label: string, done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`;
}

/** In Deno's Jupyter kernel: one display under the cell, updated in place (at most 5 times a second). */
function kernelProgress(label: string, total: number): Progress {
  const displayId = `ratgtex-progress-${crypto.randomUUID()}`;
  let done = 0;
  let last = 0;
  const show = (update: boolean) => {
    const text = barText(label, done, total);
    const html = `<progress max="${total}" value="${done}"></progress> <code>${text.replace(/[<&]/g, "")}</code>`;
    showInKernel({ "text/plain": text, "text/html": html }, { displayId, update }).catch(() => {});
  };
  show(false);
  return {
    tick() {
      done++;
      const now = performance.now();
      if (done === total || now - last >= 200) {
        last = now;
        show(true);
      }
    },
    done() {
      show(true);
    },
  };
}

/**
 * A progress reporter for `total` items: an updating display in Deno's Jupyter kernel, a bar on a
 * terminal's stderr, or silence (stderr not a terminal, `enabled` false, or fewer than `minItems` items).
 */
export function progressBar(label: string, total: number, enabled = true, minItems = 8): Progress {
  if (!enabled || total < minItems) return SILENT;
  if (inJupyterKernel()) return kernelProgress(label, total);
  if (!stderrIsTerminal()) return SILENT;
  const encoder = new TextEncoder();
  let done = 0;
  let last = 0;
  const draw = (force = false) => {
    const now = performance.now();
    if (!force && now - last < 100) return;
    last = now;
    Deno.stderr.writeSync(encoder.encode(`\r${barText(label, done, total)}`));
  };
  draw(true);
  return {
    tick() {
      done++;
      draw(done === total);
    },
    done() {
      Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
    },
  };
}

/**
 * A quiet progress bar for long fan-outs: drawn on stderr only when stderr is a terminal, so notebooks,
 * pipes and CI logs stay clean.
 *
 * @module
 */

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

/**
 * A progress bar for `total` items, or a silent reporter when stderr is not a terminal, `enabled` is
 * false, or there are fewer than `minItems` items.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { progressBar } from "./_progress.ts";
 * const p = progressBar("genes", 3); // fewer than 8 items: silent
 * for (let i = 0; i < 3; i++) p.tick();
 * p.done();
 * assert.equal(progressBar("genes", 3), progressBar("genes", 100, false));
 * ```
 */
export function progressBar(label: string, total: number, enabled = true, minItems = 8): Progress {
  if (!enabled || total < minItems || !stderrIsTerminal()) return SILENT;
  const encoder = new TextEncoder();
  let done = 0;
  let last = 0;
  const draw = (force = false) => {
    const now = performance.now();
    if (!force && now - last < 100) return;
    last = now;
    const width = 30;
    const filled = Math.round((done / total) * width);
    const bar = "#".repeat(filled) + "-".repeat(width - filled);
    Deno.stderr.writeSync(encoder.encode(`\r${label} [${bar}] ${done}/${total}`));
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

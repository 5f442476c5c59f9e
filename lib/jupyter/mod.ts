/**
 * Rich display in Deno's Jupyter kernel (JupyterLab, VS Code, nbconvert): `display` returns the MIME
 * bundle of any library result (each result carries its kind; this layer registers how each kind shows), `view` shows a DataFrame.
 *
 * @example
 * ```ts
 * import { createClient, eqtl } from "ratgtex";
 * import { view } from "ratgtex/jupyter";
 * import assert from "node:assert/strict";
 * const table = view(await eqtl("Cd300lf", { client: createClient({ source: "offline" }) })); // an HTML table with colour swatches
 * assert.ok(table.text.startsWith("shape: ("));
 * assert.ok(table.html.includes("background:#377eb8")); // IL's swatch
 * ```
 *
 * @module
 */
export { display, type DisplayBundle, JUPYTER_DISPLAY } from "./display.ts";
export { isDataFrame } from "../_core/data_frame.ts";
export { type FrameView, view, type ViewOptions } from "./view.ts";

/**
 * The frame type every public signature names.
 *
 * @module
 */
import type pl from "nodejs-polars";

/**
 * A nodejs-polars `DataFrame`: what the routes, the regression and the views take and return. Named here
 * so the public surface documents it (the package's own type is reached through its default export).
 */
export type DataFrame = pl.DataFrame;

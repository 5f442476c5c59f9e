/**
 * The offline universe and the twin of the RatGTEx server.
 *
 * @module
 */
export * from "../_core/json_write.ts";
export * from "./universe.ts";
export * from "./twin.ts";
export * from "./serve.ts";

/**
 * The twin of the RatGTEx server over a release folder (the bundled miniature release or a copy of a real
 * one), served in-process or on loopback, and the in-memory view of the bundled release that tests and
 * teaching read. Listed by name: everything else in this folder is internal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTwin } from "ratgtex/offline";
 * const twin = await createTwin();
 * const res = await twin.handler(new Request("http://twin/api/v4/tissueInfo"));
 * assert.equal((await res.json()).tissueInfo.length, 13);
 * ```
 *
 * @module
 */
export { API_PREFIX, createTwin, DATA_PREFIX, parseFaultHeader } from "./twin.ts";
export type { FaultRule, RouteName, Twin, TwinFault, TwinOptions, TwinStats } from "./twin.ts";
export { serveTwin } from "./serve.ts";
export type { ConnectionStats, ServedTwin, ServeOptions } from "./serve.ts";
export { loadUniverse } from "./universe.ts";
export type {
  IndependentEqtl,
  IndependentXqtl,
  SignificantPair,
  TopGene,
  Universe,
  UniverseGene,
  UniverseTissue,
  UniverseVariant,
} from "./universe.ts";

/**
 * What the release workflows take as their release: an open one, or its source.
 *
 * @module
 */
import type { Release } from "../release/release.ts";

/**
 * A release: one opened with `openRelease` (`ratgtex/release`), or what opens one — `"offline"` (the
 * bundled miniature release), a folder, or an https URL such as `https://ratgtex.org/data/v4` (opened once
 * per process and shared by every call that names it).
 */
export type ReleaseInput = Release | string | URL;

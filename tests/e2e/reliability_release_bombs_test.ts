/**
 * Memory under the release bombs, measured as the peak RSS of a child process that only loads the library
 * and reads one hostile file (tests/bench/release_bomb_rss.ts, which also prints the full-size figures):
 * zip members that inflate past `maxMemberBytes` or past the size they claim, gzip/BGZF files of one
 * endless line, a table of valid rows past `maxFileBytes`, a VCF record past `maxChunkBytes`, a range read
 * answered 200 with an endless body, downloads with no size or gzip-encoded. Each stops with the typed
 * error naming its cap, its memory bounded by that cap (bounds below), whatever the bomb's size. Linux only.
 */
import assert from "node:assert/strict";
import { releaseBombPeaks } from "../bench/release_bomb_rss.ts";

const MiB = 2 ** 20;

Deno.test({
  name: "release bombs: typed errors naming the cap; a child's peak RSS bounded by the cap, not by the bomb",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const size = 96 * MiB; // more than maxMemberBytes (64 MiB) and the line and chunk caps
    const peaks = await releaseBombPeaks(size);
    const expected: Record<string, { error: string; option: string | null; boundMiB: number }> = {
      "cis_pvals zip member, size told": { error: "ReleaseTooLargeError", option: "maxMemberBytes", boundMiB: 96 },
      "cis_pvals zip member, size lied (1 kB)": { error: "ReleaseFormatError", option: null, boundMiB: 96 },
      "BED gzip (spaces)": { error: "ReleaseTooLargeError", option: "maxLineBytes", boundMiB: 96 },
      "medians gzip (spaces)": { error: "ReleaseTooLargeError", option: "maxLineBytes", boundMiB: 96 },
      // maxFileBytes set to 24 MiB here: the frame of valid rows grows up to it (about 2× its text, with polars'
      // first frame and the collector's slack on a loaded machine), then stops.
      "cis_qtl_signif gzip (valid rows; maxFileBytes 24 MiB)": {
        error: "ReleaseTooLargeError",
        option: "maxFileBytes",
        // A 240 MiB table stopped at a 24 MiB cap: its frame grows up to the cap (about four times its text), on
        // top of polars' first frame and a chunk in flight (measured 111–238 MiB; a frame of all 240 MiB: ~1 GiB).
        boundMiB: 384,
      },
      "VCF record of 64 MiB": { error: "ReleaseTooLargeError", option: "maxChunkBytes", boundMiB: 96 },
      "range read answered 200 + endless body": { error: "NetworkError", option: null, boundMiB: 32 },
      "download: endless chunked body": { error: "ReleaseFormatError", option: null, boundMiB: 32 },
      "download: gzip-encoded body": { error: "ReleaseFormatError", option: null, boundMiB: 32 },
    };
    assert.deepEqual(peaks.map((p) => p.bomb).sort(), Object.keys(expected).sort());
    for (const p of peaks) {
      const e = expected[p.bomb];
      const grew = (p.afterBytes - p.beforeBytes) / MiB;
      console.log(`${p.bomb} (${p.bytes / MiB} MiB): ${p.error} [${p.option}] +${grew.toFixed(0)} MiB peak RSS`);
      assert.equal(p.error, e.error, `${p.bomb}: ${p.message}`);
      assert.equal(p.option, e.option, p.bomb);
      assert.ok(grew < e.boundMiB, `${p.bomb}: +${grew.toFixed(0)} MiB (bound ${e.boundMiB} MiB)`);
    }
  },
});

/**
 * The differential test: the twin over the bundled miniature release reproduces, byte for byte (status,
 * content type, body), every answer the real server (daniel-munro/ratgtex api/app.py) gave over the same
 * folder. The answers were recorded by tests/reference/twin/record.py (it names the server commit).
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { createTwin } from "ratgtex/offline";

interface Recorded {
  server: { repo: string; commit: string };
  data: { seed: number; generatorVersion: string };
  answers: { path: string; status: number; contentType: string; body: string }[];
}

const recorded: Recorded = JSON.parse(
  new TextDecoder().decode(
    gunzipSync(await Deno.readFile(new URL("./reference/twin/answers.json.gz", import.meta.url))),
  ),
);
const manifest = JSON.parse(await Deno.readTextFile(new URL("../fixtures/data/manifest.json", import.meta.url)));

Deno.test("the recorded answers are of the bundled release as it is now", () => {
  assert.equal(recorded.data.seed, manifest.seed);
  assert.equal(recorded.data.generatorVersion, manifest.generatorVersion);
  assert.match(recorded.server.commit, /^[0-9a-f]{40}$/);
  assert.ok(recorded.answers.length > 1000);
});

Deno.test("the twin reproduces every recorded real-server answer byte for byte", async () => {
  const twin = await createTwin({ headerFaults: false });
  const mismatches: string[] = [];
  for (const a of recorded.answers) {
    const res = await twin.handler(new Request(`http://127.0.0.1${a.path}`));
    const body = await res.text();
    const type = res.headers.get("content-type");
    if (res.status !== a.status || type !== a.contentType || body !== a.body) {
      mismatches.push(
        `${a.path}: status ${res.status} vs ${a.status}, type ${type} vs ${a.contentType}\n  twin: ${
          body.slice(0, 300)
        }\n  real: ${a.body.slice(0, 300)}`,
      );
    }
  }
  assert.equal(
    mismatches.length,
    0,
    `${mismatches.length} of ${recorded.answers.length} differ:\n${mismatches.slice(0, 8).join("\n")}`,
  );
});

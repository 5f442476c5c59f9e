/**
 * Tests of private modules by design: the examples that the JSDoc of internal names in `lib/_core/` carried.
 * No entry point exports these names, so their documentation keeps the prose and the checks live here
 * (the public surface's own examples import from the entry points and run as doc tests).
 *
 * @module
 */
import assert from "node:assert/strict";
import { replaceDirAtomic, writeFileAtomic } from "../../lib/_core/atomic_write.ts";
import { excerptOf } from "../../lib/_core/errors.ts";
import { cacheFolderProblem, defaultCacheDir, ensureCacheFolder } from "../../lib/_core/cache_dir.ts";
import { escapeControl, spreadsheetSafe } from "../../lib/_core/escape.ts";
import { escapeXml, formatFull, formatNumber, formatPValue, plural } from "../../lib/_core/format.ts";
import { isTruncatedJson, parseApiJson } from "../../lib/_core/json_read.ts";
import { f, pyFloatRepr, pyJson, roundSignificant } from "../../lib/_core/json_write.ts";
import { inJupyterKernel, settleCellOutputs, showInKernel } from "../../lib/_core/kernel.ts";
import { checkOptions, closest, didYouMean } from "../../lib/_core/options.ts";
import { ValidationError } from "ratgtex";
import { formatG } from "../../lib/_core/python_format.ts";
import { isRoute, ROUTE_NAMES, ROUTE_PARAMS } from "../../lib/_core/routes.ts";
import { resolveSource } from "../../lib/_core/source.ts";

Deno.test("lib/_core/atomic_write.ts: writeFileAtomic", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/target.tsv`, "old\n", { mode: 0o600 });
  await Deno.chmod(`${dir}/target.tsv`, 0o600);
  await Deno.symlink(`${dir}/target.tsv`, `${dir}/link.tsv`);
  await writeFileAtomic(`${dir}/link.tsv`, "geneId\nCd300lf\n");
  assert.equal(await Deno.readTextFile(`${dir}/target.tsv`), "geneId\nCd300lf\n"); // through the link
  assert.ok((await Deno.lstat(`${dir}/link.tsv`)).isSymlink); // the link is still a link
  assert.equal((await Deno.stat(`${dir}/target.tsv`)).mode! & 0o777, 0o600); // the mode is kept
});

Deno.test("lib/_core/atomic_write.ts: replaceDirAtomic", async () => {
  const target = `${await Deno.makeTempDir()}/site`;
  await replaceDirAtomic(target, (dir) => Deno.writeTextFile(`${dir}/index.html`, "<p>one</p>"));
  await assert.rejects(replaceDirAtomic(target, () => Promise.reject(new Error("failed"))));
  assert.equal(await Deno.readTextFile(`${target}/index.html`), "<p>one</p>");
});

Deno.test("lib/_core/errors.ts: excerptOf", () => {
  const page = "<!doctype html>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>";
  assert.equal(excerptOf(page), "500 Internal Server Error");
  assert.equal(excerptOf("<".repeat(1e6)), "");
  assert.equal(excerptOf("oops\x1b[2J"), "oops\\x1b[2J");
});

Deno.test("lib/_core/escape.ts: escapeControl", () => {
  assert.equal(escapeControl("a\x1b]0;pwned\x07b\n"), "a\\x1b]0;pwned\\x07b\n");
  assert.equal(escapeControl("x\ty\u009b", false), "x\\x09y\\x9b");
});

Deno.test("lib/_core/escape.ts: spreadsheetSafe", () => {
  assert.equal(spreadsheetSafe('=HYPERLINK("http://x")'), `'=HYPERLINK("http://x")`);
  assert.equal(spreadsheetSafe("Cd300lf"), "Cd300lf");
  assert.equal(spreadsheetSafe("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
  assert.equal(spreadsheetSafe("-"), "-"); // a strand
  assert.equal(spreadsheetSafe("@SUM(A1)"), "'@SUM(A1)");
});

Deno.test("lib/_core/format.ts: formatPValue", () => {
  assert.equal(formatPValue(8.43005e-8), "8.43e-8");
});

Deno.test("lib/_core/format.ts: formatNumber", () => {
  assert.equal(formatNumber(0.123456), "0.1235");
});

Deno.test("lib/_core/format.ts: escapeXml", () => {
  assert.equal(escapeXml('<b class="x">A & B</b>'), "&lt;b class=&quot;x&quot;&gt;A &amp; B&lt;/b&gt;");
});

Deno.test("lib/_core/format.ts: plural", () => {
  assert.equal(plural(1, "row"), "1 row");
  assert.equal(plural(0, "row"), "0 rows");
});

Deno.test("lib/_core/format.ts: formatFull", () => {
  assert.equal(formatFull(2.02e-6), "2.02e-6");
  assert.equal(formatFull(0.7297150993), "0.7297150993");
  assert.equal(Number(formatFull(1 / 3)), 1 / 3);
});

Deno.test("lib/_core/json_read.ts: parseApiJson", () => {
  const v = parseApiJson('{"log2aFC":NaN,"s":"NaN"}') as { log2aFC: number; s: string };
  assert.ok(Number.isNaN(v.log2aFC));
  assert.equal(v.s, "NaN"); // a string "NaN" stays a string
  assert.throws(() => parseApiJson("{NaN:1}"), SyntaxError); // a bare token is never a key
  assert.throws(() => parseApiJson('{"a":[1,NaN'), isTruncatedJson);
  assert.throws(() => parseApiJson('{"a":1}}'), (e) => !isTruncatedJson(e));
});

Deno.test("lib/_core/json_write.ts: pyFloatRepr", () => {
  assert.equal(pyFloatRepr(8.43005e-8), "8.43005e-08");
  assert.equal(pyFloatRepr(27), "27.0");
});

Deno.test("lib/_core/json_write.ts: roundSignificant", () => {
  assert.equal(roundSignificant(8.430049e-8, 6), 8.43005e-8);
});

Deno.test("lib/_core/json_write.ts: pyJson", () => {
  assert.equal(pyJson({ b: f(1e-5), a: [1, null] }), '{"a":[1,null],"b":1e-05}\n');
});

Deno.test("lib/_core/kernel.ts: inJupyterKernel", () => {
  assert.equal(inJupyterKernel(), false); // a test runs outside the kernel
});

Deno.test("lib/_core/kernel.ts: showInKernel", async () => {
  assert.equal(await showInKernel({ "text/plain": "hi" }), false);
});

Deno.test("lib/_core/kernel.ts: settleCellOutputs", () => {
  assert.equal(settleCellOutputs(), false); // outside the kernel: nothing to do (tests/e2e/frontend_run_all_test.ts: inside)
});

Deno.test("lib/_core/options.ts: checkOptions", () => {
  const spec = { client: "object", raw: "boolean" } as const;
  assert.deepEqual(checkOptions({ raw: true }, spec, { usage: "gene(ids, { raw })" }), { raw: true });
  assert.throws(
    () => checkOptions({ clinet: {} }, spec, { usage: "gene(ids, { client })" }),
    (e) => e instanceof ValidationError && e.parameter === "options" && /did you mean client/.test(e.message),
  );
  assert.throws(() => checkOptions(null, spec, { usage: "gene(ids)" }), ValidationError);
});

Deno.test("lib/_core/options.ts: didYouMean", () => {
  assert.equal(didYouMean("clinet", ["client", "raw"]), "client");
  assert.equal(didYouMean("zzz", ["client", "raw"]), null);
});

Deno.test("lib/_core/options.ts: closest", () => {
  assert.deepEqual(closest("cd300lf", ["Cd300lf", "Cd300lg", "Eno1"]), ["Cd300lf", "Cd300lg"]);
  assert.deepEqual(closest("Cd300lx", ["Cd300lf", "Eno1"]), ["Cd300lf"]);
  assert.deepEqual(closest("zzz", ["Cd300lf"]), []);
});

Deno.test("lib/_core/python_format.ts: formatG", () => {
  assert.deepEqual(
    [formatG(1054.566), formatG(0.00001), formatG(1500000), formatG(1.015625)],
    ["1054.57", "1e-05", "1.5e+06", "1.01562"], // 1.015625 is an exact half: rounded to even, as Python
  );
});

Deno.test("lib/_core/routes.ts: ROUTE_PARAMS", () => {
  assert.deepEqual(Object.keys(ROUTE_PARAMS.dyneqtl), ["geneId", "tissueSiteDetailId", "variantId"]);
  assert.equal(ROUTE_PARAMS.gene.geneId.list, true);
});

Deno.test("lib/_core/routes.ts: ROUTE_NAMES", () => {
  assert.equal(ROUTE_NAMES.length, 11);
  assert.equal(ROUTE_NAMES[0], "tissueInfo");
});

Deno.test("lib/_core/routes.ts: isRoute", () => {
  assert.ok(isRoute("dyneqtl"));
  assert.ok(!isRoute("toString"));
});

Deno.test("lib/_core/source.ts: resolveSource", () => {
  assert.equal(resolveSource(" offline "), "offline");
  assert.equal(resolveSource("http://127.0.0.1:8000/api/v4"), "http://127.0.0.1:8000/api/v4");
});

Deno.test("lib/_core/cache_dir.ts: defaultCacheDir, cacheFolderProblem, ensureCacheFolder", async () => {
  const dir = defaultCacheDir();
  assert.ok(dir === null || /ratgtex/.test(dir)); // e.g. "/home/me/.cache/ratgtex"
  const tmp = await Deno.makeTempDir();
  try {
    await Deno.chmod(tmp, 0o777);
    assert.match(cacheFolderProblem(await Deno.stat(tmp)) ?? "", /writable by other users/);
    await Deno.chmod(tmp, 0o700);
    assert.equal(cacheFolderProblem(await Deno.stat(tmp)), null);
    const made = await ensureCacheFolder(`${tmp}/cache`, ["release", "host"]);
    assert.equal((await Deno.stat(made)).mode! & 0o777, 0o700);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

/**
 * The GWAS locus notebook's exercises (`gwasGene`, `credibleSets`): the right answers, and the typical slips
 * named (a nearby eQTL gene taken for the explanation, the top association taken for every signal, a count
 * for a list). Computed from the bundled release and its SYNTHETIC GWAS, whatever the source.
 */
import assert from "node:assert/strict";
import { check, GWAS_EXERCISE_DATA, GWAS_EXERCISES } from "ratgtex/teach";

Deno.test("teach: the GWAS exercises are listed, and answer 'no answer yet' to undefined", async () => {
  assert.deepEqual(GWAS_EXERCISES.map((e) => e.name), ["gwasGene", "credibleSets"]);
  assert.ok(Deno.statSync(GWAS_EXERCISE_DATA.traits.A).isFile);
  for (const e of GWAS_EXERCISES) assert.equal((await check(e.name, undefined)).status, "unanswered");
});

Deno.test("teach: gwasGene — right, and the typical slips", async () => {
  assert.equal((await check("gwasGene", { A: "SynG004", B: null })).correct, true);
  const near = await check("gwasGene", { A: "SynG004", B: "SynG021" });
  assert.equal(near.correct, false);
  assert.match(near.message, /SynG021 has a strong eQTL near the hit, but colocalisation calls H3/);
  assert.match((await check("gwasGene", { A: null, B: null })).message, /Trait A: one gene does share/);
  assert.match((await check("gwasGene", { A: "Cd300lf", B: null })).message, /not among the genes tested near/);
  assert.match((await check("gwasGene", "SynG004")).message, /should be an object/);
  assert.match((await check("gwasGene", { A: "SynG004" })).message, /Give trait B a gene ID or null/);
});

Deno.test("teach: credibleSets — right in any order, and the typical slips", async () => {
  assert.equal((await check("credibleSets", ["chr5:94563550", "chr5:95498283"])).correct, true);
  assert.equal((await check("credibleSets", ["chr5:95498283", "chr5:94563550"])).correct, true);
  assert.match((await check("credibleSets", 2)).message, /That is a count/);
  assert.match((await check("credibleSets", ["chr5:94563550"])).message, /top association .* SuSiE finds more/);
  assert.match((await check("credibleSets", ["chr5:94563550", "chr5:94883710"])).message, /Not in any credible set/);
  assert.match((await check("credibleSets", ["chr5:94563550", "chr5:94563550"])).message, /same credible set/);
  assert.match((await check("credibleSets", "chr5:94563550")).message, /should be a list/);
});

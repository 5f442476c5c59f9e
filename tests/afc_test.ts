/**
 * log2 allelic fold change against aFC.py v0.3 (secastel/aFC) run locally with `--log_xform 1` on synthetic
 * VCF/BED/covariate files (tests/reference/perm/afc_reference.json, made by make_afc_reference.py beside it,
 * which says how to re-run it): 30 variant–gene pairs — null, up, down, capped at ±log2(100), missing calls,
 * no ALT homozygotes, a monomorphic variant, low counts — with the covariate file (`--cov`) and without.
 *
 * Tolerance: |ours − aFC.py's printed log2_aFC| ≤ 1e-12 (aFC.py prints repr, 17 significant digits; the
 * difference is statsmodels' pseudo-inverse OLS against our QR, ~1e-15); NaN exactly where aFC.py prints nan.
 *
 * Imports internal modules by design (it tests them directly, below the entry points): `lib/_core/errors.ts`,
 * `lib/analysis/regression/afc.ts`.
 */
import assert from "node:assert/strict";
import { log2AllelicFoldChange } from "../lib/analysis/regression/afc.ts";
import { ValidationError } from "../lib/_core/errors.ts";

interface Pair {
  gene: string;
  kind: string;
  gt: string[];
  expr: number[];
  log2_aFC_cov: string | null;
  log2_aFC_nocov: string | null;
}
const ref = JSON.parse(
  Deno.readTextFileSync(new URL("./reference/perm/afc_reference.json", import.meta.url)),
) as { samples: string[]; covariates: { names: string[]; values: number[][] }; pairs: Pair[] };

/** aFC.py --geno GT: the number of "1"s in the call; a "." anywhere is a missing call. */
const altCount = (gt: string) => (gt.includes(".") ? null : [...gt].filter((c) => c === "1").length);

for (const withCov of [true, false]) {
  Deno.test(`log2AllelicFoldChange = aFC.py --log_xform 1 ${withCov ? "--cov" : "(no covariates)"}`, () => {
    let worst = 0;
    const used = new Set<number>();
    for (const p of ref.pairs) {
      const printed = withCov ? p.log2_aFC_cov : p.log2_aFC_nocov;
      assert.ok(printed !== null, `${p.gene}: aFC.py wrote a line`);
      const want = Number(printed); // "nan" → NaN
      const got = log2AllelicFoldChange({
        genotypes: p.gt.map(altCount),
        expression: p.expr,
        sampleIds: ref.samples,
        ...(withCov ? { covariates: { ...ref.covariates, sampleIds: ref.samples } } : {}),
      });
      used.add(got.covariatesUsed.length);
      if (Number.isNaN(want)) {
        assert.ok(Number.isNaN(got.log2Afc) && got.reason !== null, `${p.kind}: NaN with a reason`);
        continue;
      }
      const d = Math.abs(got.log2Afc - want);
      worst = Math.max(worst, d);
      assert.ok(d <= 1e-12, `${p.kind} (${p.gene}): ours ${got.log2Afc}, aFC.py ${printed} (|Δ| ${d})`);
    }
    // The covariate selection is exercised: some pairs keep only some covariates.
    if (withCov) assert.ok([...used].some((k) => k > 0 && k < ref.covariates.names.length), `kept: ${[...used]}`);
    console.log(
      `${ref.pairs.length} pairs, covariates kept per pair ${[...used].sort()}; largest |Δ log2 aFC| from aFC.py: ${
        worst.toExponential(1)
      }`,
    );
  });
}

Deno.test("log2AllelicFoldChange: typed errors and reasons", () => {
  assert.throws(() => log2AllelicFoldChange({ genotypes: [0, 1], expression: [1] }), ValidationError);
  assert.throws(() => log2AllelicFoldChange({ genotypes: [0, 1.5], expression: [1, 2] }), /ALT allele count/);
  const mono = log2AllelicFoldChange({ genotypes: [0, 0, 0], expression: [1, 2, 3] });
  assert.ok(Number.isNaN(mono.log2Afc) && /minor allele/.test(mono.reason ?? ""));
  const hets = log2AllelicFoldChange({ genotypes: [1, 1, 1], expression: [1, 2, 3] });
  assert.ok(Number.isNaN(hets.log2Afc) && /same genotype/.test(hets.reason ?? ""));
});

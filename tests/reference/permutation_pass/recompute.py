#!/usr/bin/python3
"""Reference for tests/permutation_pass_test.ts: the permutation pass of the bundled miniature release
recomputed by an independent numpy/scipy implementation written here from tensorQTL's method (map_cis and the
conditional scans of map_independent), on the same permutations the release was made with — none of the
library's code and none of tensorQTL's.

For every `top_assoc` row (the gene's map_cis scan) and every `eqtls_indep` row of a gene with several
signals (the scan conditional on the gene's other independent variants):

- the cis window: every record of the tissue's genotype VCF (read with pysam) at [BED start + 1 − 1 Mb,
  BED end + 1 Mb]; kept when bi-allelic with minor allele frequency ≥ 0.01 and count ≥ 2 among the called
  genotypes of the tissue's samples (the pipeline's `plink2 --maf 0.01 --mac 2 --max-alleles 2`); scanned
  when, mean-imputed, its minor allele frequency is ≥ 10 / (2n) (Pantry's --min_allele_count 10) and it is
  not constant; conditioning variants join the covariates and leave the scan;
- residuals: centred, then projected off the orthonormal basis (numpy QR) of the centred covariates;
- r2_nominal: the largest squared correlation (the first variant on ties); the top variant;
- permutations: np.random.seed(20260426), then np.random.permutation(n) 1,000 times (one set per tissue);
  r2_perm: for each permutation of the phenotype, the largest squared correlation over the scanned variants;
- the beta approximation: true_df by scipy.optimize.newton (secant, tol 1e-4, 50 iterations) on
  log(first moment shape of the permutation p-values at exp(x)) from log(dof) (Nelder–Mead on |shape − 1|
  if it fails), the shapes by scipy.optimize.minimize(Nelder–Mead, tol 1e-4) of the negative beta
  log-likelihood from the moment estimates, pval_beta = scipy.stats.beta.cdf(p at true_df, shapes),
  pval_perm = (1 + #{r2_perm ≥ r2_nominal}) / 1,001.

Run from the repository root (Debian python3-numpy, python3-scipy, python3-pandas, python3-pysam):

    /usr/bin/python3 tests/reference/permutation_pass/recompute.py

Writes tests/reference/permutation_pass/permutations.json.
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import pandas as pd
import pysam
import scipy
import scipy.optimize
from scipy import stats
from scipy.special import loggamma

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
RELEASE = os.path.join(ROOT, "fixtures", "data", "v4")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "permutations.json")
SEED = 20260426
NPERM = 1000
WINDOW = 1_000_000
MIN_ALLELE_COUNT = 10


def pval_of_r2(r2, df):
    t2 = df * r2 / (1 - r2)
    return 2 * stats.t.cdf(-np.sqrt(t2), df)


def moment_shape1(r2_perm, df):
    p = pval_of_r2(r2_perm, df)
    m, v = np.mean(p), np.var(p)
    return m * (m * (1 - m) / v - 1)


def beta_approx(r2_perm, r2_nominal, dof):
    try:
        x = scipy.optimize.newton(lambda x: np.log(moment_shape1(r2_perm, np.exp(x))), np.log(dof), tol=1e-4,
                                  maxiter=50)
        true_df = float(np.exp(x))
        method = "newton"
    except Exception:
        res = scipy.optimize.minimize(lambda x: np.abs(moment_shape1(r2_perm, x) - 1), dof, method="Nelder-Mead",
                                      tol=1e-4)
        true_df = float(res.x[0])
        method = "nelder-mead"
    p = pval_of_r2(r2_perm, true_df)
    m, v = np.mean(p), np.var(p)
    a0 = m * (m * (1 - m) / v - 1)
    b0 = a0 * (1 / m - 1)
    slog, slog1m, n = np.sum(np.log(p)), np.sum(np.log(1 - p)), len(p)

    def nll(s):
        return (1 - s[0]) * slog + (1 - s[1]) * slog1m + n * (loggamma(s[0]) + loggamma(s[1]) - loggamma(s[0] + s[1]))

    res = scipy.optimize.minimize(nll, [a0, b0], method="Nelder-Mead", tol=1e-4)
    a, b = float(res.x[0]), float(res.x[1])
    p_true = float(pval_of_r2(r2_nominal, true_df))
    return {"pval_beta": float(stats.beta.cdf(p_true, a, b)), "beta_shape1": a, "beta_shape2": b,
            "true_df": true_df, "pval_true_df": p_true, "true_df_method": method}


def residualiser(covariates):
    """x ↦ residual of x (centred) on the centred covariates (numpy QR)."""
    c = covariates - covariates.mean(0)
    q = np.linalg.qr(c)[0] if c.shape[1] > 0 else np.zeros((c.shape[0], 0))
    return lambda x: (x - x.mean(-1, keepdims=True)) - (x - x.mean(-1, keepdims=True)) @ q @ q.T


def window_dosages(vcf, samples, chrom, lo, hi):
    """(variant IDs, dosage matrix with NaN for missing) of the plink-kept bi-allelic records in [lo, hi]."""
    ids, rows = [], []
    for rec in vcf.fetch(chrom, lo - 1, hi):
        if rec.pos < lo or rec.pos > hi or rec.alts is None or len(rec.alts) != 1:
            continue
        d = np.array([np.nan if None in rec.samples[s]["GT"] else sum(a > 0 for a in rec.samples[s]["GT"])
                      for s in samples], dtype=float)
        called = ~np.isnan(d)
        alt = d[called].sum()
        minor = min(alt, 2 * called.sum() - alt)
        if called.sum() == 0 or minor < 2 or minor / (2 * called.sum()) < 0.01:
            continue
        ids.append(f"{rec.chrom}:{rec.pos}")
        rows.append(d)
    return ids, np.array(rows).reshape(len(rows), len(samples))


def impute(d):
    d = d.copy()
    for row in d:
        miss = np.isnan(row)
        if miss.any():
            row[miss] = row[~miss].mean()
    return d


def scan(y, ids, dosages, covariates, perms):
    n = len(y)
    window = len(ids)
    g = impute(dosages)
    af = g.mean(1) / 2
    keep = (np.minimum(af, 1 - af) >= MIN_ALLELE_COUNT / (2 * n)) & ~np.all(g == g[:, [0]], axis=1)
    ids = [v for v, k in zip(ids, keep) if k]
    g = g[keep]
    res = residualiser(covariates)
    gr = res(g)
    yr = res(y[None, :])[0]
    gg = np.sum(gr * gr, 1)
    r2 = (gr @ yr) ** 2 / (gg * (yr @ yr))
    top = int(np.argmax(r2))
    yp = res(y[perms])  # permuted phenotypes, residualised: NPERM × n
    r2_perm = np.max((yp @ gr.T) ** 2 / (np.sum(yp * yp, 1)[:, None] * gg[None, :]), 1)
    dof = n - 2 - covariates.shape[1]
    out = {"num_var": len(ids), "window_variants": window, "variant_id": ids[top], "r2_nominal": float(r2[top]),
           "pval_perm": float((np.sum(r2_perm >= r2[top]) + 1) / (NPERM + 1)), "dof": dof,
           "r2_perm_sum": float(np.sum(r2_perm)), "r2_perm_head": [float(x) for x in r2_perm[:5]]}
    out.update(beta_approx(r2_perm, r2[top], dof))
    return out


def main():
    t0 = time.time()
    info = pd.read_csv(os.path.join(RELEASE, "tissue_info.v4.tsv"), sep="\t")
    top = pd.read_csv(os.path.join(RELEASE, "eqtl", "top_assoc.v4_rn8.tsv"), sep="\t")
    indep = pd.read_csv(os.path.join(RELEASE, "eqtl", "eqtls_indep.v4_rn8.tsv"), sep="\t")
    rows = []
    for _, t in info.iterrows():
        tissue, dataset = t["tissueSiteDetailId"], t["dataset"]
        bed = pd.read_csv(os.path.join(RELEASE, "phenos", f"phenos.{tissue}.expression.norm.v4_rn8.bed.gz"), sep="\t",
                          dtype={"#chr": str})
        samples = list(bed.columns[4:])
        cov = pd.read_csv(os.path.join(RELEASE, "covar", f"covar.{tissue}.expression.v4.tsv"), sep="\t", index_col=0)
        covariates = cov[samples].T.values.astype(float)
        vcf = pysam.VariantFile(os.path.join(RELEASE, "geno", f"{dataset}.rn8.vcf.gz"))
        np.random.seed(SEED)
        perms = np.array([np.random.permutation(len(samples)) for _ in range(NPERM)])
        ind_t = indep[indep["tissue"] == tissue]
        for _, r in top[top["tissue"] == tissue].iterrows():
            gene = r["gene_id"]
            b = bed[bed["gene_id"] == gene].iloc[0] if "gene_id" in bed.columns else bed[bed.iloc[:, 3] == gene].iloc[0]
            y = b.iloc[4:].values.astype(float)
            lo, hi = max(1, int(b.iloc[1]) + 1 - WINDOW), int(b.iloc[2]) + WINDOW
            ids, dos = window_dosages(vcf, samples, str(b.iloc[0]), lo, hi)
            out = scan(y, ids, dos, covariates, perms)
            rows.append({"tissue": tissue, "gene_id": gene, "table": "top_assoc", "conditioned_on": [], **out})
            signals = ind_t[ind_t["gene_id"] == gene]
            if len(signals) < 2:
                continue
            for _, s in signals.iterrows():
                others = [v for v in signals["variant_id"] if v != s["variant_id"]]
                extra = [window_dosages(vcf, samples, v.split(":")[0], int(v.split(":")[1]),
                                        int(v.split(":")[1]))[1][0] for v in others]
                keep = [i for i, v in enumerate(ids) if v not in others]
                c = np.column_stack([covariates] + [impute(e[None, :])[0] for e in extra])
                out = scan(y, [ids[i] for i in keep], dos[keep], c, perms)
                out["window_variants"] = len(ids)
                rows.append({"tissue": tissue, "gene_id": gene, "table": "eqtls_indep", "rank": int(s["rank"]),
                             "indep_variant_id": s["variant_id"], "conditioned_on": others, **out})
        print(f"{tissue}: {sum(1 for x in rows if x['tissue'] == tissue)} scans", file=sys.stderr)
    ref = {"generator": "tests/reference/permutation_pass/recompute.py", "seed": SEED, "nperm": NPERM,
           "numpy": np.__version__, "scipy": scipy.__version__, "pysam": pysam.__version__, "rows": rows}
    with open(OUT, "w") as f:
        json.dump(ref, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT}: {len(rows)} scans in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()

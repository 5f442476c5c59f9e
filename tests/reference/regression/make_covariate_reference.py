#!/usr/bin/env python3
"""Reference values for the covariate-adjusted eQTL regression (tensorQTL map_nominal) of
lib/analysis/{regress_many,regression,pipeline_statistics}.ts.

Run from the repo root:  /usr/bin/python3 tests/reference/regression/make_covariate_reference.py
(Debian: apt-get install python3-statsmodels). Writes covariate_reference.json beside it: inputs AND
expected outputs, so the Deno tests need no Python.

Truth: statsmodels OLS of phenotype ~ 1 + covariates + dosage, with missing dosages imputed by the
variant's mean over the called samples (tensorQTL's impute_mean), df_resid = n - 2 - k; slope = the
dosage coefficient, slope_se its bse, t its tvalue, p its pvalue (two-sided Student t). Recorded beside
it, as a cross-check, tensorQTL's own formulas in numpy (QR of the centred covariates, residuals,
r = corr, t = r sqrt(dof / (1 - r^2)), slope = r sd(y_r) / sd(g_r), slope_se = |slope| / |t|): the
largest relative difference between the two is written into the JSON per case.

For the near-singular cases (and the small ones) the OLS is also solved in 50-digit mpmath from the
exact double inputs ("mpmath": slope, slope_se, t): there statsmodels' pinv loses ~1e-8 to the
covariates' condition number, so the tests hold the library to the 50-digit truth.

Cases: k = 0, 1, 5, 25 covariates; missing dosages; an "int"-transformed one; near-singular covariates
(one covariate = combination of others + 1e-7 relative noise; a covariate explaining 99.99 % of a
dosage's variance); and rank-deficient ones (an exact duplicate, an exact linear combination, a
constant row) recorded as the errors expected, with numpy's matrix_rank of [1, C] beside them.
"""
import json
import os
import sys

import mpmath
import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import special, stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "covariate_reference.json")
rng = np.random.default_rng(20261201)


def r6(x):
    """Round to 6 decimals as the covariate and normalised BED files are written."""
    return np.round(x, 6)


def int_transform(v):
    return special.ndtri(stats.rankdata(v) / (len(v) + 1))


def impute(g):
    g = np.array(g, dtype=float)
    miss = np.isnan(g)
    g[miss] = np.nanmean(g)
    return g, int(miss.sum())


def statsmodels_fit(y, g, C):
    X = np.column_stack([np.ones(len(y))] + ([C.T] if C.shape[0] else []) + [g])
    fit = sm.OLS(y, X).fit()
    return {
        "slope": float(fit.params[-1]),
        "slope_se": float(fit.bse[-1]),
        "t": float(fit.tvalues[-1]),
        "pval": float(fit.pvalues[-1]),
        "dof": int(round(fit.df_resid)),
        "r2_partial": None,
    }


def mpmath_fit(y, g, C):
    """The same OLS in 50-digit arithmetic from the exact double inputs (normal equations: at 50 digits
    their squared condition number costs nothing), for the near-singular cases' truth."""
    mpmath.mp.dps = 50
    n, k = len(y), C.shape[0]
    cols = [[mpmath.mpf(1)] * n] + [[mpmath.mpf(float(x)) for x in row] for row in C] + [[mpmath.mpf(float(x)) for x in g]]
    ym = [mpmath.mpf(float(x)) for x in y]
    p = len(cols)
    xtx = mpmath.matrix(p, p)
    xty = mpmath.matrix(p, 1)
    for a in range(p):
        xty[a] = mpmath.fsum(u * v for u, v in zip(cols[a], ym))
        for b in range(a, p):
            xtx[a, b] = xtx[b, a] = mpmath.fsum(u * v for u, v in zip(cols[a], cols[b]))
    inv = mpmath.inverse(xtx)
    beta = inv * xty
    resid = [ym[i] - mpmath.fsum(beta[a] * cols[a][i] for a in range(p)) for i in range(n)]
    dof = n - 2 - k
    s2 = mpmath.fsum(r * r for r in resid) / dof
    se = mpmath.sqrt(s2 * inv[p - 1, p - 1])
    slope = beta[p - 1]
    return {"slope": float(slope), "slope_se": float(se), "t": float(slope / se)}


def tensorqtl_numpy(y, g, C):
    """tensorQTL's calculate_corr / map_nominal formulas (float64)."""
    n, k = len(y), C.shape[0]
    if k:
        Q, _ = np.linalg.qr(C.T - C.T.mean(0))
    yc, gc = y - y.mean(), g - g.mean()
    if k:
        yc = yc - Q @ (Q.T @ yc)
        gc = gc - Q @ (Q.T @ gc)
    dof = n - 2 - k
    r = (yc @ gc) / np.sqrt((yc @ yc) * (gc @ gc))
    t = r * np.sqrt(dof / (1 - r * r))
    slope = r * np.std(yc) / np.std(gc)
    return {"slope": slope, "slope_se": abs(slope) / abs(t), "t": t, "pval": 2 * stats.t.sf(abs(t), dof), "r2": r * r}


def case(name, n, k, n_genes, n_variants, missing=0.0, transform="none", tweak=None):
    C = r6(rng.normal(size=(k, n)))
    names = [f"geno_PC{i + 1}" for i in range(min(k, 5))] + [f"pheno_PC{i + 1}" for i in range(max(k - 5, 0))]
    # Dosages from allele frequencies, some missing.
    afs = rng.uniform(0.1, 0.6, size=n_variants)
    G = rng.binomial(2, afs[:, None], size=(n_variants, n)).astype(float)
    G[rng.uniform(size=G.shape) < missing] = np.nan
    for v in range(n_variants):  # keep at least two genotype classes among the called samples
        called = ~np.isnan(G[v])
        if len(np.unique(G[v][called])) < 2:
            G[v, np.flatnonzero(called)[:2]] = [0, 1]
    if tweak is not None:
        C, G = tweak(C, G)
    # Phenotypes: a dosage effect, covariate effects, noise; a normalised-looking scale.
    Y = np.empty((n_genes, n))
    for j in range(n_genes):
        g, _ = impute(G[j % n_variants])
        beta = rng.normal(size=k) * 0.3
        Y[j] = 0.4 * rng.normal() * g + (beta @ C if k else 0) + rng.normal(size=n)
    if transform == "none":
        Y = r6(Y)
    else:  # "int" in the library: the values are transformed there, so the reference gives TPM-like input
        Y = r6(np.exp(Y))
    pairs = [(j, v) for j in range(n_genes) for v in range(n_variants)]
    expected = []
    worst = 0.0
    for j, v in pairs:
        y = Y[j] if transform == "none" else int_transform(Y[j])
        g, n_imp = impute(G[v])
        sm_fit = statsmodels_fit(y, g, C)
        tq = tensorqtl_numpy(y, g, C)
        for key in ("slope", "slope_se", "t", "pval"):
            worst = max(worst, abs(tq[key] - sm_fit[key]) / abs(sm_fit[key]))
        sm_fit["r2_partial"] = float(tq["r2"])
        if name.endswith(("near_singular", "explained")) or n <= 60:
            sm_fit["mpmath"] = mpmath_fit(y, g, C)
        sm_fit["n_imputed"] = n_imp
        sm_fit["af"] = float(np.nanmean(G[v]) / 2)
        expected.append(sm_fit)
    return {
        "name": name,
        "transform": transform,
        "n": n,
        "k": k,
        "names": names,
        "covariates": C.tolist(),
        "phenotypes": Y.tolist(),
        "dosages": [[None if np.isnan(x) else int(x) for x in row] for row in G],
        "pairs": [[j, v] for j, v in pairs],
        "expected": expected,
        "max_rel_diff_statsmodels_vs_tensorqtl_numpy": worst,
    }


def near_singular(C, G):
    C = C.copy()
    # Last covariate = a combination of the first three + 1e-7 relative noise (not rounded: the point).
    C[-1] = 2 * C[0] - 0.5 * C[1] + C[2] + 1e-7 * rng.normal(size=C.shape[1])
    return C, G


def dosage_explained(C, G):
    C = C.copy()
    g, _ = impute(G[0])
    C[0] = g + 0.01 * rng.normal(size=C.shape[1])  # explains ~99.99 % of variant 0's variance
    return C, G


def degenerate(name, n, k, make, collinear_row, collinear_name):
    C = r6(rng.normal(size=(k, n)))
    names = [f"geno_PC{i + 1}" for i in range(min(k, 5))] + [f"pheno_PC{i + 1}" for i in range(max(k - 5, 0))]
    C = make(C)
    X = np.column_stack([np.ones(n), C.T])
    G = rng.binomial(2, 0.4, size=(1, n)).astype(float)
    Y = r6(rng.normal(size=(1, n)))
    return {
        "name": name,
        "transform": "none",
        "n": n,
        "k": k,
        "names": names,
        "covariates": C.tolist(),
        "phenotypes": Y.tolist(),
        "dosages": G.astype(int).tolist(),
        "pairs": [[0, 0]],
        "error": {"row": collinear_row, "name": collinear_name},
        "numpy_matrix_rank_of_1_C": int(np.linalg.matrix_rank(X)),
        "columns_of_1_C": k + 1,
    }


def dup(C):
    C = C.copy()
    C[3] = C[1]
    return C


def combo(C):
    C = C.copy()
    C[4] = 2 * C[0] - 0.5 * C[2]  # exact in binary up to one rounding per element
    return C


def const(C):
    C = C.copy()
    C[2] = 0.25
    return C


cases = [
    case("k0", 50, 0, 2, 3),
    case("k0_missing", 60, 0, 2, 3, missing=0.1),
    case("k1", 40, 1, 2, 2),
    case("k5_missing", 120, 5, 3, 3, missing=0.05),
    case("k25", 400, 25, 3, 4),
    case("k25_missing", 400, 25, 3, 4, missing=0.03),
    case("k25_small_n", 40, 25, 2, 2, missing=0.05),
    case("k5_int", 150, 5, 2, 3, missing=0.05, transform="int"),
    case("k6_near_singular", 200, 6, 2, 3, tweak=near_singular),
    case("k5_dosage_explained", 200, 5, 2, 2, tweak=dosage_explained),
]
degenerates = [
    degenerate("duplicate_row", 80, 6, dup, 3, "geno_PC4"),
    degenerate("linear_combination", 80, 6, combo, 4, "geno_PC5"),
    degenerate("constant_row", 80, 6, const, 2, "geno_PC3"),
]
with open(OUT, "w") as f:
    json.dump({
        "generator": "tests/reference/regression/make_covariate_reference.py",
        "versions": {
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "statsmodels": statsmodels.__version__,
        },
        "cases": cases,
        "degenerate": degenerates,
    }, f, separators=(",", ":"))
    f.write("\n")
for c in cases:
    print(f"{c['name']}: max rel diff statsmodels vs tensorQTL-numpy {c['max_rel_diff_statsmodels_vs_tensorqtl_numpy']:.2e}")
for d in degenerates:
    print(f"{d['name']}: numpy rank {d['numpy_matrix_rank_of_1_C']} of {d['columns_of_1_C']}")
print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")

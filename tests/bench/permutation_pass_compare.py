#!/usr/bin/env python3
"""Companion of permutation_pass_compare.ts: the permutation pass (tensorQTL map_cis with the beta approximation)
of the first GENES genes of the synthetic tissue written by tests/support/cis_tissue.ts, as an equal numpy/scipy
implementation does it — the same algorithm as the library (covariates orthonormalised once; dosages mean-imputed,
centred and residualised once; per gene: its permuted phenotypes residualised, one matrix product against its cis
variants, the best r² per permutation; the beta approximation with scipy's newton, Nelder-Mead and beta CDF).

  permutation_pass_compare.py PATH GENES NPERM SEED WINDOW THREADS

Prints JSON: seconds for the permutation products and for the beta fits, the numpy/scipy versions and BLAS,
and per gene pval_beta, pval_perm and num_var (for the agreement line).
"""
import json
import os
import sys
import time

path, genes, nperm, seed, window, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), \
    int(sys.argv[5]), sys.argv[6]
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = threads

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.optimize  # noqa: E402
from scipy import stats  # noqa: E402
from scipy.special import loggamma  # noqa: E402


def load(p):
    with open(p, "rb") as f:
        n, k, g, v = np.frombuffer(f.read(16), dtype="<i4")
        C = np.frombuffer(f.read(8 * k * n), dtype="<f8").reshape(k, n)
        Y = np.frombuffer(f.read(8 * g * n), dtype="<f8").reshape(g, n)
        tss = np.frombuffer(f.read(4 * g), dtype="<i4")
        pos = np.frombuffer(f.read(4 * v), dtype="<i4")
        G = np.frombuffer(f.read(v * n), dtype=np.int8).reshape(v, n)
    return C.T.copy(), Y, tss, pos, G


def pval_of_r2(r2, df):
    return 2 * stats.t.cdf(-np.sqrt(df * r2 / (1 - r2)), df)


def shape1(r2_perm, df):
    p = pval_of_r2(r2_perm, df)
    m, v = np.mean(p), np.var(p)
    return m * (m * (1 - m) / v - 1)


def beta_approx(r2_perm, r2_nominal, dof):
    try:
        true_df = float(np.exp(scipy.optimize.newton(lambda x: np.log(shape1(r2_perm, np.exp(x))), np.log(dof),
                                                     tol=1e-4, maxiter=50)))
    except Exception:
        true_df = float(scipy.optimize.minimize(lambda x: np.abs(shape1(r2_perm, x) - 1), dof, method="Nelder-Mead",
                                                tol=1e-4).x[0])
    p = pval_of_r2(r2_perm, true_df)
    m, v = np.mean(p), np.var(p)
    a0 = m * (m * (1 - m) / v - 1)
    slog, slog1m, n = np.sum(np.log(p)), np.sum(np.log(1 - p)), len(p)
    res = scipy.optimize.minimize(
        lambda s: (1 - s[0]) * slog + (1 - s[1]) * slog1m + n * (loggamma(s[0]) + loggamma(s[1]) -
                                                                   loggamma(s[0] + s[1])),
        [a0, a0 * (1 / m - 1)], method="Nelder-Mead", tol=1e-4)
    return float(stats.beta.cdf(pval_of_r2(r2_nominal, true_df), res.x[0], res.x[1]))


def main():
    C, Y, tss, pos, G = load(path)
    n, k = C.shape
    t0 = time.perf_counter()
    # Covariates with the intercept, orthonormalised once; every variant imputed, centred, residualised once.
    Q = np.linalg.qr(C - C.mean(0))[0]
    Gf = G.astype(float)
    Gf[G < 0] = np.nan
    means = np.nanmean(Gf, 1)
    Gf = np.where(np.isnan(Gf), means[:, None], Gf)
    Gc = Gf - Gf.mean(1, keepdims=True)
    Gr = Gc - (Gc @ Q) @ Q.T
    gg = np.sum(Gr * Gr, 1)
    np.random.seed(seed)
    perms = np.array([np.random.permutation(n) for _ in range(nperm)])
    lo = np.searchsorted(pos, tss[:genes] - window, "left")
    hi = np.searchsorted(pos, tss[:genes] + window, "right")
    results = []
    for j in range(genes):
        y = Y[j]
        g = Gr[lo[j]:hi[j]]
        keep = gg[lo[j]:hi[j]] > 0
        g, ggj = g[keep], gg[lo[j]:hi[j]][keep]
        yc = y - y.mean()
        yr = yc - (yc @ Q) @ Q.T
        r2 = (g @ yr) ** 2 / (ggj * (yr @ yr))
        top = int(np.argmax(r2))
        P = y[perms]
        P = P - P.mean(1, keepdims=True)
        P = P - (P @ Q) @ Q.T
        r2_perm = np.max((P @ g.T) ** 2 / (np.sum(P * P, 1)[:, None] * ggj[None, :]), 1)
        results.append((r2_perm, float(r2[top]), int(len(ggj))))
    products = time.perf_counter() - t0
    t0 = time.perf_counter()
    dof = n - 2 - k
    out = []
    for r2_perm, r2n, m in results:
        out.append({"pval_beta": beta_approx(r2_perm, r2n, dof),
                    "pval_perm": float((np.sum(r2_perm >= r2n) + 1) / (nperm + 1)), "num_var": m})
    fits = time.perf_counter() - t0
    print(json.dumps({"products_seconds": products, "fit_seconds": fits, "numpy": np.__version__,
                      "scipy": scipy.__version__, "genes": out}))


main()

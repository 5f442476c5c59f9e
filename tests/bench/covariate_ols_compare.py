#!/usr/bin/env python3
"""Companion of covariate_ols_compare.ts: seeded synthetic data for the covariate-adjusted eQTL
regression (tensorQTL map_nominal), and numpy doing the same computation vectorised, as tensorQTL
does it on a CPU: QR of the centred covariates once, every phenotype and every dosage row residualised
by two matrix products, then correlation, t, slope, slope_se and the two-sided p-value per pair.

  covariate_ols_compare.py generate PATH GENES VARIANTS_PER_GENE SAMPLES COVARIATES
  covariate_ols_compare.py time PATH RUNS      -> JSON {seconds (best of RUNS), slope, pval (first 1000 pairs)}

File layout (little-endian): int32 genes, variants per gene, samples, covariates; float64 phenotypes
(genes × samples); float64 covariates (covariates × samples); int8 dosages (pairs × samples, pairs
gene-major, -1 = missing).
"""
import json
import sys
import time

import numpy as np
from scipy import stats


def generate(path, genes, per_gene, n, k):
    rng = np.random.default_rng(17)
    C = np.round(rng.normal(size=(k, n)), 6)
    pairs = genes * per_gene
    af = rng.uniform(0.05, 0.5, size=pairs)
    G = rng.binomial(2, af[:, None], size=(pairs, n)).astype(np.int8)
    G[rng.uniform(size=G.shape) < 0.02] = -1
    Y = np.round(rng.normal(size=(genes, n)) + 0.3 * (rng.normal(size=(genes, k)) @ C), 6)
    for j in range(genes):
        g = G[j * per_gene].astype(float)
        g[g < 0] = np.nan
        Y[j] += 0.5 * np.nan_to_num(g - np.nanmean(g))
    with open(path, "wb") as f:
        f.write(np.array([genes, per_gene, n, k], dtype="<i4").tobytes())
        f.write(Y.astype("<f8").tobytes())
        f.write(C.astype("<f8").tobytes())
        f.write(G.tobytes())


def load(path):
    with open(path, "rb") as f:
        genes, per_gene, n, k = np.frombuffer(f.read(16), dtype="<i4")
        Y = np.frombuffer(f.read(8 * genes * n), dtype="<f8").reshape(genes, n)
        C = np.frombuffer(f.read(8 * k * n), dtype="<f8").reshape(k, n)
        G = np.frombuffer(f.read(), dtype=np.int8).reshape(genes * per_gene, n)
    return int(genes), int(per_gene), int(n), int(k), Y, C, G


def nominal(Y, C, G, per_gene):
    n, k = Y.shape[1], C.shape[0]
    Q, _ = np.linalg.qr(C.T - C.T.mean(0))  # once per tissue
    # Phenotypes: residualise once per gene.
    Yc = Y - Y.mean(1, keepdims=True)
    Yr = Yc - (Yc @ Q) @ Q.T
    # Dosages: impute missing with the variant's mean, centre, residualise (all pairs at once).
    Gf = G.astype(np.float64)
    miss = G < 0
    Gf[miss] = 0
    called = n - miss.sum(1)
    mean = Gf.sum(1) / called
    Gf[miss] = np.broadcast_to(mean[:, None], Gf.shape)[miss]
    Gc = Gf - mean[:, None]
    Gr = Gc - (Gc @ Q) @ Q.T
    Yp = np.repeat(Yr, per_gene, axis=0)  # each pair's phenotype residual
    gy = np.einsum("ij,ij->i", Gr, Yp)
    gg = np.einsum("ij,ij->i", Gr, Gr)
    yy = np.einsum("ij,ij->i", Yp, Yp)
    dof = n - 2 - k
    r = gy / np.sqrt(gg * yy)
    t = r * np.sqrt(dof / (1 - r * r))
    slope = r * np.sqrt(yy / gg)
    slope_se = np.abs(slope) / np.abs(t)
    p = 2 * stats.t.sf(np.abs(t), dof)
    return slope, slope_se, t, p


def main():
    if sys.argv[1] == "generate":
        generate(sys.argv[2], *(int(x) for x in sys.argv[3:7]))
        return
    genes, per_gene, n, k, Y, C, G = load(sys.argv[2])
    runs = int(sys.argv[3])
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        slope, slope_se, t, p = nominal(Y, C, G, per_gene)
        best = min(best, time.perf_counter() - t0)
    m = min(1000, len(slope))
    print(json.dumps({
        "seconds": best,
        "slope": slope[:m].tolist(),
        "pval": p[:m].tolist(),
        "numpy": np.__version__,
    }))


main()

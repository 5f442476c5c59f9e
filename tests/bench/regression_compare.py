#!/usr/bin/env python3
"""Python side of tests/bench/regression_compare.ts (run that file; it calls this one).

  regression_compare.py generate PATH [N_PAIRS N_SAMPLES]  write seeded synthetic data to PATH
  regression_compare.py time PATH [STATSMODELS_PAIRS]       time numpy (vectorised closed form) and
                                                            statsmodels OLS per pair; print JSON

File layout (little-endian): int32 nPairs, int32 nSamples, then float64 expression[nPairs*nSamples]
(pair-major: pair p's sample s at p*nSamples+s), then int8 dosages[nPairs*nSamples] (-1 = missing).
"""
import json
import sys
import time

import numpy as np


def generate(path, n_pairs=100_000, n_samples=400):
    rng = np.random.default_rng(20260511)
    maf = rng.uniform(0.05, 0.5, size=(n_pairs, 1))
    dos = rng.binomial(2, maf, size=(n_pairs, n_samples)).astype(np.int8)
    dos[rng.random((n_pairs, n_samples)) < 0.02] = -1  # 2 % missing calls
    effect = np.where(rng.random((n_pairs, 1)) < 0.1, rng.normal(0, 0.5, (n_pairs, 1)), 0.0)
    base = rng.lognormal(2, 1.5, (n_pairs, 1))
    log_tpm = np.log(base) + effect * np.maximum(dos, 0) + rng.normal(0, 0.7, (n_pairs, n_samples))
    expr = np.round(np.exp(log_tpm), 4).astype(np.float64)
    with open(path, "wb") as f:
        f.write(np.array([n_pairs, n_samples], dtype="<i4").tobytes())
        f.write(expr.astype("<f8").tobytes())
        f.write(dos.tobytes())


def load(path):
    with open(path, "rb") as f:
        n_pairs, n_samples = np.frombuffer(f.read(8), dtype="<i4")
        expr = np.frombuffer(f.read(8 * n_pairs * n_samples), dtype="<f8").reshape(n_pairs, n_samples)
        dos = np.frombuffer(f.read(n_pairs * n_samples), dtype=np.int8).reshape(n_pairs, n_samples)
    return expr, dos


def numpy_closed_form(expr, dos, chunk=10_000):
    """Vectorised closed-form OLS per row, missing calls masked; chunked to stay in memory."""
    from scipy import stats
    n_pairs = expr.shape[0]
    out = {k: np.empty(n_pairs) for k in ("nes", "error", "tStatistic", "pValue")}
    for a in range(0, n_pairs, chunk):
        b = min(a + chunk, n_pairs)
        g = dos[a:b]
        m = g >= 0
        x = np.where(m, g, 0).astype(np.float64)
        y = np.where(m, expr[a:b], 0.0)
        n = m.sum(axis=1)
        mx = x.sum(axis=1) / n
        my = y.sum(axis=1) / n
        dx = np.where(m, x - mx[:, None], 0.0)
        dy = np.where(m, y - my[:, None], 0.0)
        sxx = np.einsum("ij,ij->i", dx, dx)
        sxy = np.einsum("ij,ij->i", dx, dy)
        syy = np.einsum("ij,ij->i", dy, dy)
        slope = sxy / sxx
        df = n - 2
        se = np.sqrt(np.maximum(syy - slope * sxy, 0) / df / sxx)
        t = slope / se
        out["nes"][a:b] = slope
        out["error"][a:b] = se
        out["tStatistic"][a:b] = t
        out["pValue"][a:b] = 2 * stats.t.sf(np.abs(t), df)
    return out


def statsmodels_per_pair(expr, dos, n_pairs):
    import statsmodels.api as sm
    nes = np.empty(n_pairs)
    pv = np.empty(n_pairs)
    for p in range(n_pairs):
        m = dos[p] >= 0
        x = dos[p][m].astype(np.float64)
        fit = sm.OLS(expr[p][m], sm.add_constant(x, has_constant="add")).fit()
        nes[p] = fit.params[1]
        pv[p] = fit.pvalues[1]
    return nes, pv


def time_all(path, sm_pairs=2000):
    expr, dos = load(path)
    n_pairs, n_samples = expr.shape
    numpy_closed_form(expr[:1000], dos[:1000])  # warm-up (imports, allocator)
    runs = []
    res = None
    for _ in range(3):
        t0 = time.perf_counter()
        res = numpy_closed_form(expr, dos)
        runs.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    sm_nes, sm_p = statsmodels_per_pair(expr, dos, sm_pairs)
    sm_time = time.perf_counter() - t0
    print(json.dumps({
        "nPairs": int(n_pairs), "nSamples": int(n_samples),
        "numpySeconds": runs, "statsmodelsPairs": sm_pairs, "statsmodelsSeconds": sm_time,
        "numpy": {k: v[:sm_pairs].tolist() for k, v in res.items()},
        "statsmodels": {"nes": sm_nes.tolist(), "pValue": sm_p.tolist()},
        "versions": {"numpy": np.__version__, "python": sys.version.split()[0]},
    }))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], *(int(v) for v in sys.argv[3:5]))
    elif sys.argv[1] == "time":
        time_all(sys.argv[2], *(int(v) for v in sys.argv[3:4]))
    else:
        sys.exit(f"unknown command {sys.argv[1]}")

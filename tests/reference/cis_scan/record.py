#!/usr/bin/env python3
"""Reference numbers for tests/cis_scan_test.ts: the cis scan of the small synthetic tissues the test
makes (tests/support/cis_tissue.ts), computed two independent ways:

- `numpy64`: tensorQTL's algorithm re-implemented here in float64 numpy (core.Residualizer — QR of the
  centred covariates, M0 − (M0·Q)·Qᵀ —, calculate_corr, calculate_cis_nominal's slope/slope_se/t and
  2·t.cdf(−|t|, dof), get_allele_stats; map_cis's monomorphic filter, permutations drawn by
  np.random.seed(seed) + np.random.permutation(n), r2_perm = max over variants of r², argmax top
  variant), for the integer tissue and for a copy whose dosages are partly non-integer;
- `tensorqtl`: tensorQTL itself (float32, torch), map_nominal and map_cis on the integer tissue, when
  TENSORQTL points at a checkout of broadinstitute/tensorqtl (the folder holding tensorqtl/); called
  as tests/bench/cis_scan_compare.py calls it.

Re-run (writes reference.json beside this file):

  deno run -A tests/reference/cis_scan/write_input.ts /tmp/cis_ref
  TENSORQTL=/path/to/tensorqtl /usr/bin/python3 tests/reference/cis_scan/record.py /tmp/cis_ref
"""
import json
import os
import subprocess
import sys

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
NPERM = 200
SEED = 5
WINDOW = 50_000


def load(path):
    with open(path, "rb") as f:
        n, k, genes, variants = np.frombuffer(f.read(16), dtype="<i4")
        C = np.frombuffer(f.read(8 * k * n), dtype="<f8").reshape(k, n)
        Y = np.frombuffer(f.read(8 * genes * n), dtype="<f8").reshape(genes, n)
        tss = np.frombuffer(f.read(4 * genes), dtype="<i4")
        pos = np.frombuffer(f.read(4 * variants), dtype="<i4")
        G = np.frombuffer(f.read(variants * n), dtype=np.int8).reshape(variants, n)
    return C.T.copy(), Y, tss, pos, G.astype(float)


def non_integer(G):
    """The float copy the test also makes: every third variant's calls scaled by 0.9 and shifted by 0.1."""
    F = G.copy()
    F[F < 0] = np.nan
    rows = np.arange(F.shape[0]) % 3 == 0
    F[rows] = F[rows] * 0.9 + 0.1
    return F


def transform(M, Q):
    M0 = M - M.mean(1, keepdims=True)
    return M0 - (M0 @ Q) @ Q.T


def impute(G):
    G = G.copy()
    for row in G:
        miss = np.isnan(row)
        if miss.any():
            row[miss] = row[~miss].mean()
    return G


def allele_stats(G):
    n2 = 2 * G.shape[1]
    af = G.sum(1) / n2
    m = G > 0.5
    a = m.sum(1)
    b = (G < 1.5).sum(1)
    ma_samples = np.where(af <= 0.5, a, b)
    s = np.trunc((G * m).sum(1))
    ma_count = np.where(af <= 0.5, s, n2 - s)
    return af, ma_samples, ma_count


def windows(tss, pos):
    return [(np.searchsorted(pos, t - WINDOW, "left"), np.searchsorted(pos, t + WINDOW, "right")) for t in tss]


def numpy64(C, Y, tss, pos, G, permutations):
    n, k = C.shape
    Q, _ = np.linalg.qr(C - C.mean(0))
    dof = n - 2 - k
    G = impute(G)
    out = {"pval": [], "slope": [], "slope_se": [], "af": [], "ma_samples": [], "ma_count": [],
           "top": [], "num_var": [], "r2_nominal": [], "r2_perm": []}
    for j, (lo, hi) in enumerate(windows(tss, pos)):
        g = G[lo:hi]
        gr = transform(g, Q)
        yr = transform(Y[j:j + 1], Q)
        gn = gr / np.sqrt((gr ** 2).sum(1, keepdims=True))
        yn = yr / np.sqrt((yr ** 2).sum(1, keepdims=True))
        r = (gn @ yn.T)[:, 0]
        t = r * np.sqrt(dof / (1 - r * r))
        slope = r * np.sqrt(yr.var(1)[0] / gr.var(1))
        af, mas, mac = allele_stats(g)
        out["pval"] += (2 * stats.t.cdf(-np.abs(t), dof)).tolist()
        out["slope"] += slope.tolist()
        out["slope_se"] += (np.abs(slope) / np.abs(t)).tolist()
        out["af"] += af.tolist()
        out["ma_samples"] += mas.astype(int).tolist()
        out["ma_count"] += mac.astype(int).tolist()
        # map_cis: monomorphic variants dropped; permuted phenotype residualised; max r² per permutation.
        keep = ~(g == g[:, [0]]).all(1)
        idx = np.arange(lo, hi)[keep]
        gk = gn[keep]
        pr = transform(Y[j][permutations], Q)
        pn = pr / np.sqrt((pr ** 2).sum(1, keepdims=True))
        r2 = (gk @ pn.T) ** 2
        rk = r[keep]
        top = int(np.argmax(rk * rk))
        out["top"].append(int(idx[top]))
        out["num_var"].append(int(keep.sum()))
        out["r2_nominal"].append(float(rk[top] ** 2))
        out["r2_perm"].append(r2.max(0).tolist())
    return out


def tensorqtl_run(path):
    checkout = os.environ.get("TENSORQTL")
    if not checkout:
        return None
    script = os.path.join(HERE, "..", "..", "bench", "cis_scan_compare.py")
    text = subprocess.run(
        ["/usr/bin/python3", script, path, "1", str(NPERM), str(SEED), str(WINDOW)],
        check=True, capture_output=True, text=True, env={**os.environ},
    ).stdout
    res = json.loads(text)
    return {"torch": res["torch"], "nominal": res["nominal"], "permutations": res["permutations"]}


def main():
    folder = sys.argv[1]
    np.random.seed(SEED)
    C, Y, tss, pos, G = load(os.path.join(folder, "tissue.bin"))
    G[G < 0] = np.nan
    permutations = np.array([np.random.permutation(np.arange(C.shape[0])) for _ in range(NPERM)])
    ref = {
        "note": "made by record.py beside this file; see its docstring",
        "numpy": np.__version__,
        "nperm": NPERM,
        "seed": SEED,
        "window": WINDOW,
        "numpy64": numpy64(C, Y, tss, pos, G, permutations),
        "numpy64_non_integer": numpy64(C, Y, tss, pos, non_integer(np.where(np.isnan(G), -1, G)), permutations),
        "tensorqtl": tensorqtl_run(os.path.join(folder, "tissue.bin")),
    }
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(ref, f)


main()

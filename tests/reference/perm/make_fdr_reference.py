#!/usr/bin/python3
"""Reference numbers for the FDR step in tests/permutation_stats_test.ts: tensorQTL's own
`post.calculate_qvalues(res_df, fdr=0.05, qvalue_lambda=0.85)` — the call in Pantry's run_tensorqtl.py —
run locally on synthetic `map_cis`-shaped tables, with R's qvalue reached through rpy2 as tensorQTL does.

Run (Debian's python3-rpy2, r-bioc-qvalue, numpy, scipy, pandas, torch; a tensorQTL checkout, not committed):

    TENSORQTL_DIR=/path/to/tensorqtl /usr/bin/python3 tests/reference/perm/make_fdr_reference.py

Writes tests/reference/perm/fdr_reference.json. `qtl.genotype` and `pandas_plink` (imported by tensorQTL's
post/genotype modules, unused here) are stubbed.
"""
import json
import os
import sys
import types

import numpy as np
import pandas as pd

tq_dir = os.environ.get("TENSORQTL_DIR")
if not tq_dir:
    sys.exit("set TENSORQTL_DIR to a checkout of broadinstitute/tensorqtl")
sys.modules.setdefault("pandas_plink", types.SimpleNamespace(read_plink=None))
qtl = types.ModuleType("qtl")
qtl.genotype = types.ModuleType("qtl.genotype")
sys.modules.setdefault("qtl", qtl)
sys.modules.setdefault("qtl.genotype", qtl.genotype)
sys.path.insert(0, os.path.join(tq_dir, "tensorqtl"))
import core  # noqa: E402
import post  # noqa: E402
import rfunc  # noqa: E402

assert core.has_rpy2, "rpy2 + R qvalue are needed (apt-get install python3-rpy2 r-bioc-qvalue)"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fdr_reference.json")


def table(seed, n, frac_signal, nan_rows=0):
    """A map_cis-like result: beta shapes as float32 (map_cis's output dtypes), pval_beta a null/signal mix."""
    rng = np.random.RandomState(seed)
    n_sig = int(n * frac_signal)
    pval_beta = np.r_[rng.uniform(size=n - n_sig), rng.beta(0.05, 20, size=n_sig)]
    rng.shuffle(pval_beta)
    s1 = rng.uniform(0.9, 1.12, n).astype(np.float32)
    s2 = np.exp(rng.uniform(np.log(20), np.log(5000), n)).astype(np.float32)
    pval_perm = np.maximum(pval_beta, 1 / 10001)
    df = pd.DataFrame({"beta_shape1": s1, "beta_shape2": s2, "pval_perm": pval_perm, "pval_beta": pval_beta},
                      index=[f"g{i}" for i in range(n)])
    if nan_rows:
        df.iloc[:nan_rows, df.columns.get_loc("pval_beta")] = np.nan
    return df


def run(name, df, fdr=0.05, lam=0.85):
    res = df.copy()
    post.calculate_qvalues(res, fdr=fdr, qvalue_lambda=lam)
    pcol = "pval_beta" if not res["pval_beta"].isnull().all() else "pval_perm"
    _, pi0 = rfunc.qvalue(res[pcol], lambda_qvalue=lam)

    def col(c):
        return [None if v != v else float(v) for v in res[c]] if c in res else None

    return {"name": name, "fdr": fdr, "lambda": lam,
            "pval_beta": col("pval_beta"), "pval_perm": col("pval_perm") if pcol == "pval_perm" else None,
            "beta_shape1": col("beta_shape1"), "beta_shape2": col("beta_shape2"),
            "qval": col("qval"), "pi0": float(pi0),
            "pval_nominal_threshold": col("pval_nominal_threshold")}


def main():
    cases = [
        run("typical_1000", table(1, 1000, 0.35)),
        run("few_signals_500", table(2, 500, 0.05)),
        run("fdr_0.1", table(3, 400, 0.3), fdr=0.1),
        # (A table with some NaN pval_beta rows is not recorded: tensorQTL stops in stats.pearsonr.)
        run("none_significant", table(5, 300, 0.0)),
    ]
    # every phenotype significant: one p at 0.9 makes pi0 = 1/(200·0.15), all others tiny
    t = table(6, 200, 1.0)
    t.iloc[0, t.columns.get_loc("pval_beta")] = 0.9
    t["pval_beta"] = np.where(t["pval_beta"] == 0.9, 0.9, t["pval_beta"] * 1e-3)
    cases.append(run("all_significant", t))
    # no pval_beta at all: tensorQTL falls back to pval_perm and sets no threshold
    t = table(7, 300, 0.3)
    t["pval_beta"] = np.nan
    cases.append(run("pval_perm_only", t))
    ref = {"generator": "tests/reference/perm/make_fdr_reference.py", "cases": cases}
    with open(OUT, "w") as f:
        json.dump(ref, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {OUT}: {len(cases)} tables")


if __name__ == "__main__":
    main()

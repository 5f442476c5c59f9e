#!/usr/bin/python3
"""Companion of beta_approx_compare.ts: times tensorQTL's own `core.calculate_beta_approx_pval` on the
permutation sets the TypeScript side wrote (little-endian: int32 genes, int32 permutations, int32 dof, then
float64 r2_nominal per gene, then float64 r2_perm gene-major). Prints JSON {seconds, pval_beta}.

  TENSORQTL_DIR=/path/to/tensorqtl beta_approx_compare.py PATH
"""
import json
import os
import sys
import time
import types

import numpy as np

sys.modules.setdefault("pandas_plink", types.SimpleNamespace(read_plink=None))
sys.path.insert(0, os.path.join(os.environ["TENSORQTL_DIR"], "tensorqtl"))
import core  # noqa: E402

raw = open(sys.argv[1], "rb").read()
genes, nperm, dof = np.frombuffer(raw[:12], dtype="<i4")
r2n = np.frombuffer(raw[12:12 + 8 * genes], dtype="<f8")
r2p = np.frombuffer(raw[12 + 8 * genes:], dtype="<f8").reshape(genes, nperm)
t0 = time.perf_counter()
out = [core.calculate_beta_approx_pval(r2p[g], r2n[g], int(dof))[0] for g in range(genes)]
print(json.dumps({"seconds": time.perf_counter() - t0, "pval_beta": [float(v) for v in out]}))

#!/usr/bin/env python3
"""Companion of cis_scan_compare.ts: tensorQTL's own map_nominal and map_cis (a local checkout, never
copied into this project) on the synthetic tissue written by tests/support/cis_tissue.ts.

  TENSORQTL=/path/to/tensorqtl-checkout cis_scan_compare.py PATH THREADS NPERM SEED WINDOW [BETA]

PATH is the tissue file; TENSORQTL the folder holding the `tensorqtl` package (a checkout of
broadinstitute/tensorqtl). Prints JSON: seconds for map_nominal and map_cis, the torch/numpy versions,
and results to compare (all nominal p-values and slopes, every phenotype's top variant and r2_perm).

tensorQTL is called as a library, with the DataFrames its file readers would build (genotype_df with -9
for a missing call, variant_df, phenotype_df, phenotype_pos_df, covariates_df). Two shims, neither
touching its algorithm: `pandas_plink` (imported by genotypeio for PLINK files, which are not used here)
is stubbed, and `DataFrame.to_parquet` (map_nominal writes each chromosome's pairs with it; neither
pyarrow nor fastparquet is installed here) keeps the frame in memory instead of writing it; and
calculate_cis_permutations is wrapped to keep its r2_perm on the way out. map_cis runs
with beta_approx=False unless BETA is 1 (the beta fit is the next step, not the permutation pass).
"""
import contextlib
import json
import os
import sys
import time
import types

import numpy as np
import pandas as pd

checkout = os.environ.get("TENSORQTL")
if not checkout:
    sys.exit("set TENSORQTL to a checkout of broadinstitute/tensorqtl (the folder holding tensorqtl/)")
sys.modules["pandas_plink"] = types.SimpleNamespace(read_plink=None)
sys.path.insert(0, os.path.join(checkout, "tensorqtl"))
import torch  # noqa: E402
import cis  # noqa: E402  (tensorqtl/cis.py)

written = {}


def keep_parquet(self, path, *args, **kwargs):
    written[os.path.basename(str(path))] = self.copy()


pd.DataFrame.to_parquet = keep_parquet

# map_cis returns only each phenotype's summary; r2_perm is kept on the way out of the function it calls.
r2_perm = []
permutations_of = cis.calculate_cis_permutations


def keep_r2_perm(*args, **kwargs):
    res = permutations_of(*args, **kwargs)
    r2_perm.append(res[3].cpu().numpy().astype(float).tolist())
    return res


cis.calculate_cis_permutations = keep_r2_perm


def load(path):
    with open(path, "rb") as f:
        n, k, genes, variants = np.frombuffer(f.read(16), dtype="<i4")
        C = np.frombuffer(f.read(8 * k * n), dtype="<f8").reshape(k, n)
        Y = np.frombuffer(f.read(8 * genes * n), dtype="<f8").reshape(genes, n)
        tss = np.frombuffer(f.read(4 * genes), dtype="<i4")
        pos = np.frombuffer(f.read(4 * variants), dtype="<i4")
        G = np.frombuffer(f.read(variants * n), dtype=np.int8).reshape(variants, n)
    samples = [f"S{i}" for i in range(n)]
    gene_ids = [f"G{j}" for j in range(genes)]
    variant_ids = [f"chr1:{p}" for p in pos]
    genotype_df = pd.DataFrame(np.where(G < 0, -9, G).astype(np.int8), index=variant_ids, columns=samples)
    variant_df = pd.DataFrame({"chrom": "chr1", "pos": pos.astype(np.int64)}, index=variant_ids)
    phenotype_df = pd.DataFrame(Y, index=gene_ids, columns=samples)
    phenotype_pos_df = pd.DataFrame({"chr": "chr1", "pos": tss.astype(np.int64)}, index=gene_ids)
    covariates_df = pd.DataFrame(C.T, index=samples, columns=[f"PC{c + 1}" for c in range(k)])
    return genotype_df, variant_df, phenotype_df, phenotype_pos_df, covariates_df


def main():
    path, threads, nperm, seed, window = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    beta = len(sys.argv) > 6 and sys.argv[6] == "1"
    torch.set_num_threads(threads)
    genotype_df, variant_df, phenotype_df, phenotype_pos_df, covariates_df = load(path)
    quiet = cis.SimpleLogger(verbose=False)
    out = {"torch": torch.__version__, "numpy": np.__version__, "threads": torch.get_num_threads()}

    t0 = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):  # tensorQTL prints progress even with verbose=False
        cis.map_nominal(genotype_df, variant_df, phenotype_df, phenotype_pos_df, "bench", covariates_df=covariates_df,
                        window=window, output_dir="/nonexistent", logger=quiet, verbose=False)
    out["nominal_seconds"] = time.perf_counter() - t0
    pairs = pd.concat(written.values())
    out["nominal"] = {
        "rows": int(len(pairs)),
        "pval": pairs["pval_nominal"].tolist(),
        "slope": pairs["slope"].astype(float).tolist(),
    }
    if nperm > 0:
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(sys.stderr):
            res = cis.map_cis(genotype_df, variant_df, phenotype_df, phenotype_pos_df, covariates_df=covariates_df,
                              nperm=nperm, window=window, seed=seed, beta_approx=beta, logger=quiet, verbose=False,
                              warn_monomorphic=False)
        out["permutation_seconds"] = time.perf_counter() - t0
        out["permutations"] = {
            "variant_id": res["variant_id"].tolist(),
            "num_var": res["num_var"].astype(int).tolist(),
            "pval_perm": res["pval_perm"].astype(float).tolist(),
            "r2_perm": r2_perm,
        }
    print(json.dumps(out))


main()

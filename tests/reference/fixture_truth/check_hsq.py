#!/usr/bin/python3
"""Independent check of the Predict page's heritability in the miniature release (data/predict/phenotype_stats):
one-component REML written here in numpy/scipy the textbook way — V = σg² K + σe² I over all samples, the
restricted log-likelihood −½(log|V| + log|XᵀV⁻¹X| + yᵀPy) maximised over (σg², σe²) by scipy (Nelder–Mead from
several starts), V(G)/Vp = σg² / (σg² + σe²) unconstrained — for every heritable expression phenotype of three
tissues. K is the GRM of the standardised (mean-imputed) dosages of the gene's variants within ±250 kb of its TSS
(plink2 --make-grm-bin's definition), X = [1, covariates]. GCTA itself is not in Debian; this is its model.

Run from the repository root: /usr/bin/python3 tests/reference/fixture_truth/check_hsq.py
Writes tests/reference/fixture_truth/hsq_checked.json.
"""
import gzip
import io
import json
import os

import numpy as np
import pandas as pd
import pysam
import scipy.optimize

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
DATA = os.environ.get("DATA", os.path.join(ROOT, "fixtures", "data"))
V4 = os.path.join(DATA, "v4")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hsq_checked.json")


def reml_hsq(y, X, K):
    n = len(y)

    def negll(params):
        vg, ve = params
        V = vg * K + ve * np.eye(n)
        try:
            L = np.linalg.cholesky(V)
        except np.linalg.LinAlgError:
            return 1e300
        Vi = np.linalg.inv(V)
        XtViX = X.T @ Vi @ X
        sign, logdet_xvx = np.linalg.slogdet(XtViX)
        P = Vi - Vi @ X @ np.linalg.solve(XtViX, X.T @ Vi)
        return 0.5 * (2 * np.log(np.diag(L)).sum() + logdet_xvx + y @ P @ y)

    best = None
    for h0 in (0.1, 0.4, 0.7):
        r = scipy.optimize.minimize(negll, [h0 * y.var(), (1 - h0) * y.var()], method="Nelder-Mead",
                                    options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000, "maxfev": 40000})
        if best is None or r.fun < best.fun:
            best = r
    vg, ve = best.x
    return vg / (vg + ve)


def main():
    stats = pd.read_csv(os.path.join(DATA, "predict", "phenotype_stats.tsv.gz"), sep="\t")
    genes = pd.read_csv(os.path.join(V4, "gene.v4.tsv"), sep="\t", index_col=0)
    info = pd.read_csv(os.path.join(V4, "tissue_info.v4.tsv"), sep="\t", index_col=0)
    rows = []
    for tissue in ["IL", "LHb", "Eye"]:
        bed = pd.read_csv(os.path.join(V4, "phenos", f"phenos.{tissue}.expression.norm.v4_rn8.bed.gz"), sep="\t",
                          index_col=3)
        samples = list(bed.columns[3:])
        covar = pd.read_csv(os.path.join(V4, "covar", f"covar.{tissue}.expression.v4.tsv"), sep="\t",
                            index_col=0)[samples].T.values
        X = np.hstack([np.ones((len(samples), 1)), covar])
        vcf = pysam.VariantFile(os.path.join(V4, "geno", f"{info.loc[tissue, 'dataset']}.rn8.vcf.gz"))
        for r in stats[(stats.tissue == tissue) & (stats.modality == "expression")].itertuples():
            chrom, tss = genes.loc[r.gene_id, "chromosome"], int(genes.loc[r.gene_id, "tss"])
            cols = []
            for rec in vcf.fetch(chrom, max(0, tss - 250001), tss + 250000):
                if len(rec.alts) != 1 or abs(rec.pos - tss) > 250000:
                    continue
                g = np.array([np.nan if rec.samples[s]["GT"][0] is None else sum(rec.samples[s]["GT"])
                              for s in samples])
                g[np.isnan(g)] = np.nanmean(g)
                if g.std() > 1e-6:
                    cols.append((g - g.mean()) / g.std())
            Z = np.array(cols).T
            K = Z @ Z.T / Z.shape[1]
            y = bed.loc[r.phenotype_id, samples].values.astype(float)
            h = reml_hsq(y, X, K)
            rows.append({"tissue": tissue, "phenotype": r.phenotype_id, "published": r.hsq, "numpy": h,
                         "abs_diff": abs(h - r.hsq)})
    out = {"script": "tests/reference/fixture_truth/check_hsq.py", "rows": rows,
           "worst_abs_diff": max(x["abs_diff"] for x in rows)}
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(len(rows), "phenotypes; worst |published - numpy| =", out["worst_abs_diff"])


if __name__ == "__main__":
    main()

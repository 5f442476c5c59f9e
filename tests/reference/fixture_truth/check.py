#!/usr/bin/python3
"""Independent check of the miniature release's permutation statistics and aFC (fixtures/truth/, the
release's top_assoc / eqtls_indep), with the reference implementations run locally — never committed:

- tensorQTL (broadinstitute/tensorqtl, a checkout given by TENSORQTL_DIR): `cis.calculate_cis_permutations`
  and `core.calculate_beta_approx_pval` on the release's own inputs (norm BED, covariates, VCF) and the
  permutations numpy draws from the documented seed (`np.random.seed(seed)`, `np.random.permutation(n)`),
  in float64 (tensorQTL runs float32 on a GPU; float64 makes "the same permutations" comparable);
- R's qvalue (Debian r-bioc-qvalue) through Rscript, with each run's λ (fixtures/truth/qvalues.tsv);
- scipy.stats.beta.ppf for the nominal thresholds;
- aFC.py (secastel/aFC, a checkout given by AFC_DIR; its scikits.bootstrap import is stubbed, --boot 0) on the
  release's expr.log2 BED (tabix-indexed in a temporary copy), VCF and covariates.

Run from the repository root (a few minutes):
    TENSORQTL_DIR=/path/to/tensorqtl AFC_DIR=/path/to/aFC /usr/bin/python3 tests/reference/fixture_truth/check.py
Writes tests/reference/fixture_truth/checked.json (counts, worst differences, disagreements).
"""
import gzip
import io
import json
import math
import os
import subprocess
import sys
import tempfile
import types
import zipfile

import numpy as np
import pandas as pd
import pysam
import scipy.stats as stats
import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
FIXTURES = os.environ.get("FIXTURES", os.path.join(ROOT, "fixtures"))  # another generated copy, for trials
V4 = os.path.join(FIXTURES, "data", "v4")
TRUTH = os.path.join(FIXTURES, "truth")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "checked.json")

sys.modules.setdefault("pandas_plink", types.SimpleNamespace(read_plink=None))
# The package's __init__ pulls in post.py (qtl, rpy2); the two modules needed are imported on their own.
sys.path.insert(0, os.path.join(os.environ["TENSORQTL_DIR"], "tensorqtl"))
import core  # noqa: E402
import cis  # noqa: E402


def sig6(x):
    return float("%.6g" % x)


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


def read_tsv(path):
    return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)


OTHER = ["alt_polyA", "alt_TSS", "isoforms", "splicing", "stability"]
GROUPED = {"expression": False, "stability": False, "cross_modality": True,
           "alt_polyA": True, "alt_TSS": True, "isoforms": True, "splicing": True}


def read_bed(tissue, modality):
    return pd.read_csv(os.path.join(V4, "phenos", f"phenos.{tissue}.{modality}.norm.v4_rn8.bed.gz"), sep="\t",
                       index_col=3)


def gene_of(phenotype_id):
    pid = phenotype_id.split(":", 1)[1] if ":" in phenotype_id else phenotype_id
    return pid.split("__")[0]


def run_inputs(tissue, modality):
    """The run's normalised phenotypes (cross_modality: combine_modalities.sh over the modality BEDs),
    covariates and the genes' cis windows (cis_pvals' variant lists)."""
    if modality == "cross_modality":
        parts = []
        for m in ["expression"] + OTHER:
            path = os.path.join(V4, "phenos", f"phenos.{tissue}.{m}.norm.v4_rn8.bed.gz")
            if os.path.exists(path):
                d = read_bed(tissue, m)
                d.index = [f"{m}:{i}" for i in d.index]
                parts.append(d)
        bed = pd.concat(parts)
    else:
        bed = read_bed(tissue, modality)
    samples = list(bed.columns[3:])
    covar = pd.read_csv(os.path.join(V4, "covar", f"covar.{tissue}.{modality}.v4.tsv"), sep="\t", index_col=0)
    covar = covar[samples].T.astype(float)
    windows = {}
    with zipfile.ZipFile(os.path.join(V4, "cis_pvals", f"{tissue}.v4.zip")) as z:
        for name in z.namelist():
            gene = name.split("/")[1][:-4]
            windows[gene] = pd.read_csv(io.BytesIO(z.read(name)), sep="\t")["variant_id"].tolist()
    return bed, samples, covar, windows


def dosages(vcf, variant_ids, samples):
    rows = []
    for vid in variant_ids:
        chrom, pos = vid.split(":")
        rec = [r for r in vcf.fetch(chrom, int(pos) - 1, int(pos)) if r.id == vid][0]
        g = np.array([np.nan if rec.samples[s]["GT"][0] is None else sum(rec.samples[s]["GT"]) for s in samples])
        g[np.isnan(g)] = np.nanmean(g)
        rows.append(g)
    return np.array(rows)


def main():
    truth = read_tsv(os.path.join(TRUTH, "permutations.tsv"))
    runs = read_tsv(os.path.join(TRUTH, "qvalues.tsv"))
    info = read_tsv(os.path.join(V4, "tissue_info.v4.tsv")).set_index("tissueSiteDetailId")
    vcfs = {d: pysam.VariantFile(os.path.join(V4, "geno", f"{d}.rn8.vcf.gz")) for d in set(info["dataset"])}
    out = {"script": "tests/reference/fixture_truth/check.py",
           "versions": {"numpy": np.__version__, "scipy": __import__("scipy").__version__, "torch": torch.__version__},
           "permutations_tsv_sha256": __import__("hashlib").sha256(
               open(os.path.join(TRUTH, "permutations.tsv"), "rb").read()).hexdigest(),
           "tensorqtl_commit": subprocess.run(["git", "-C", os.environ["TENSORQTL_DIR"], "rev-parse", "HEAD"],
                                              capture_output=True, text=True).stdout.strip() or "unknown"}
    beta_rows, worst, disagree = 0, {}, []
    for _, run in runs.iterrows():
        tissue, modality, n, nperm, seed = run.tissue, run.modality, int(run.samples), int(run.nperm), int(run.seed)
        vcf = vcfs[info.loc[tissue, "dataset"]]
        bed, samples, covar, windows = run_inputs(tissue, modality)
        groups = {}
        for pid in bed.index:
            groups.setdefault(gene_of(pid), []).append(pid)
        np.random.seed(seed)
        perm_t = torch.LongTensor(np.array([np.random.permutation(np.arange(n)) for _ in range(nperm)]))
        maf_threshold = float(run.maf_threshold)
        rows = truth[(truth.tissue == tissue) & (truth.modality == modality)]
        for r in rows.itertuples():
            window = windows[r.gene_id]
            g = dosages(vcf, window, samples)
            af = g.sum(1) / (2 * n)
            maf = np.where(af > 0.5, 1 - af, af)
            keep = (maf >= maf_threshold) & ~(g == g[:, [0]]).all(1)
            cond = [v for v in r.conditioned_on.split(",") if v]
            keep &= ~np.isin(window, cond)
            C = covar.values
            if cond:
                C = np.hstack([C, dosages(vcf, cond, samples).T])
            res = core.Residualizer(torch.tensor(C, dtype=torch.float64))
            gt = torch.tensor(g[keep], dtype=torch.float64)
            kept = np.array(window)[keep]
            dof = n - 2 - C.shape[1]
            buf = []
            for pid in groups[r.gene_id]:
                pt = torch.tensor(bed.loc[pid, samples].values.astype(float), dtype=torch.float64)
                out_ = [x.numpy() for x in cis.calculate_cis_permutations(gt, pt, perm_t, residualizer=res)]
                out_[2] = int(out_[2])  # tensorQTL maps it through genotype_range: a numpy integer
                buf.append(out_ + [int(keep.sum()), pid])
            if GROUPED[modality]:
                variant_df = pd.DataFrame({"pos": [int(v.split(":")[1]) for v in kept]}, index=kept)
                s_ = cis._process_group_permutations(buf, variant_df, 0, 0, dof, r.gene_id, nperm=nperm)
                top, pid = s_["variant_id"], s_.name
                got = {k: float(s_[k]) for k in ["pval_beta", "beta_shape1", "beta_shape2", "true_df", "pval_true_df",
                                                 "pval_perm"]}
            else:
                r_nom, _, ix, r2_perm, _, _, pid = buf[0]
                pb, a, b, tdf, ptdf = core.calculate_beta_approx_pval(r2_perm, float(r_nom) ** 2, dof)
                top = kept[int(ix)]
                got = {"pval_beta": float(pb), "beta_shape1": float(a), "beta_shape2": float(b), "true_df": float(tdf),
                       "pval_true_df": float(ptdf),
                       "pval_perm": float((np.sum(r2_perm >= float(r_nom) ** 2) + 1) / (nperm + 1))}
            got["dof"] = dof
            beta_rows += 1
            for k, v in got.items():
                d = rel(float(getattr(r, k)), v)
                if d > worst.get(k, (0,))[0]:
                    worst[k] = (d, tissue, r.gene_id, r.table, r.variant_id)
            if top != r.variant_id or pid != r.phenotype_id or sig6(got["pval_beta"]) != sig6(float(r.pval_beta)):
                disagree.append({"tissue": tissue, "modality": modality, "gene": r.gene_id, "table": r.table,
                                 "variant": r.variant_id, "tensorqtl_variant": str(top), "phenotype": r.phenotype_id,
                                 "tensorqtl_phenotype": str(pid), "pval_beta": float(r.pval_beta),
                                 "tensorqtl_pval_beta": got["pval_beta"]})
        # q-values (R qvalue, this run's lambda) and nominal thresholds (scipy beta.ppf).
        top_rows = rows[rows.table == "top_assoc"]
        p = ",".join(top_rows.pval_beta)
        r_out = subprocess.run(["Rscript", "-e", f"suppressMessages(library(qvalue)); q <- qvalue(c({p}), lambda={run['lambda']}); "
                                "cat(sprintf('%.17g', q$qvalues), sep='\\n'); cat(sprintf('%.17g', q$pi0), '\\n')"],
                               capture_output=True, text=True, check=True).stdout.split()
        qs, pi0 = [float(x) for x in r_out[:-1]], float(r_out[-1])
        out.setdefault("qvalue", []).append({
            "tissue": tissue, "modality": modality, "lambda": float(run["lambda"]),
            "pi0_equal": pi0 == float(run.pi0),
            "qval_equal": sum(q == float(t) for q, t in zip(qs, top_rows.qval)), "qval_rows": len(qs),
            "qval_worst_rel": max(rel(float(t), q) for q, t in zip(qs, top_rows.qval))})
        if run.pval_beta_threshold != "NA":
            thr = [stats.beta.ppf(float(run.pval_beta_threshold), float(a), float(b))
                   for a, b in zip(top_rows.beta_shape1, top_rows.beta_shape2)]
            out.setdefault("thresholds", []).append({
                "tissue": tissue, "modality": modality, "rows": len(thr),
                "worst_rel": max(rel(float(t), x) for x, t in zip(thr, top_rows.pval_nominal_threshold))})
    out["beta"] = {"rows": beta_rows, "worst": {k: {"rel": v[0], "tissue": v[1], "gene": v[2], "table": v[3],
                                                     "variant": v[4]} for k, v in worst.items()},
                   "disagreeing": disagree}
    out["afc"] = check_afc(info)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps({"beta_rows": beta_rows, "disagreeing": len(disagree), "afc": {k: v for k, v in out["afc"].items() if k != "disagreeing"}}))


def check_afc(info):
    afc_dir = os.environ.get("AFC_DIR")
    if not afc_dir:
        return {"skipped": "AFC_DIR not set"}
    top = read_tsv(os.path.join(V4, "eqtl", "top_assoc.v4_rn8.tsv"))
    ind = read_tsv(os.path.join(V4, "eqtl", "eqtls_indep.v4_rn8.tsv"))
    published = {}
    for t in (top, ind):
        for r in t.itertuples():
            published[(r.tissue, r.gene_id, r.variant_id)] = r.log2_aFC
    stub = tempfile.mkdtemp()
    os.makedirs(os.path.join(stub, "scikits"))
    open(os.path.join(stub, "scikits", "__init__.py"), "w").close()
    with open(os.path.join(stub, "scikits", "bootstrap.py"), "w") as f:
        f.write("def ci(*a, **k):\n    raise ValueError('bootstrap disabled')\n")
    checked, agree, na_rule, disagree = 0, 0, 0, []
    for tissue in sorted(info.index):
        with tempfile.TemporaryDirectory() as tmp:
            bed = os.path.join(tmp, "expr.log2.bed")
            with gzip.open(os.path.join(V4, "expr", f"expr.log2.{tissue}.v4_rn8.bed.gz"), "rt") as f, open(bed, "w") as o:
                o.write(f.read())
            pysam.tabix_index(bed, preset="bed", force=True)
            qtl = os.path.join(tmp, "qtl.tsv")
            keys = sorted({(g, v) for (t, g, v) in published if t == tissue})
            with open(qtl, "w") as o:
                o.write("pid\tsid\tsid_chr\tsid_pos\n")
                for g, v in keys:
                    c, p = v.split(":")
                    o.write(f"{g}\t{v}\t{c}\t{p}\n")
            res = os.path.join(tmp, "afc.tsv")
            dataset = info.loc[tissue, "dataset"]
            subprocess.run([sys.executable, os.path.join(afc_dir, "aFC.py"), "--vcf",
                            os.path.join(V4, "geno", f"{dataset}.rn8.vcf.gz"), "--pheno", bed + ".gz", "--qtl", qtl,
                            "--cov", os.path.join(V4, "covar", f"covar.{tissue}.expression.v4.tsv"), "--log_xform", "1",
                            "--boot", "0", "--output", res], check=True, capture_output=True,
                           env={**os.environ, "PYTHONPATH": stub})
            got = pd.read_csv(res, sep="\t")
            for r in got.itertuples():
                pub = published[(tissue, r.pid, r.sid)]
                checked += 1
                if pub == "NA":
                    na_rule += 1
                elif not math.isnan(r.log2_aFC) and sig6(r.log2_aFC) == float(pub):
                    agree += 1
                else:
                    disagree.append({"tissue": tissue, "gene": r.pid, "variant": r.sid, "published": pub,
                                     "aFC.py": r.log2_aFC})
    return {"checked": checked, "agreeing": agree, "published_NA": na_rule, "disagreeing": disagree}


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Independent recomputation of the miniature release's published eQTL statistics.

Run from the repository root:  /usr/bin/python3 tests/reference/pipeline/recompute.py
(needs numpy, scipy, pandas and pysam; Debian: apt-get install python3-numpy python3-scipy
python3-pandas python3-pysam). Writes recomputed.json beside this script. Takes a few seconds.

It reads only the release folder fixtures/data/v4/ (the files a RatGTEx v4 download has) and redoes,
in numpy, what tensorQTL computes, without importing tensorQTL or any of this repository's code.

map_nominal, for one phenotype y (a row of phenos/phenos.{T}.expression.norm.v4_rn8.bed.gz) and one
variant's ALT dosage g (geno/{dataset}.rn8.vcf.gz, GT summed) over the tissue's n samples, all
inputs aligned by sample ID to the BED's columns:
  - missing dosages take the mean of the called samples (tensorQTL's impute_mean);
  - y and g are residualised on [1, C], C = every row of covar/covar.{T}.expression.v4.tsv (k rows);
  - r = corr(y_res, g_res), dof = n - 2 - k, t = r sqrt(dof / (1 - r^2)),
    pval_nominal = 2 sf_t(|t|; dof), slope = r sd(y_res) / sd(g_res), slope_se = |slope| / |t|.

map_independent (tensorqtl/cis.py), for every gene with top_assoc qval <= 0.05:
  - forward pass: start from top_assoc's variant; repeatedly scan the gene's cis variants (the
    variants of its cis_pvals list) with C extended by the mean-imputed dosages of the variants chosen
    so far, and add the scan's top variant while it is significant;
  - backward pass: for each forward variant i (rank = its forward position), scan again with C
    extended by the dosages of the OTHER FORWARD variants (np.setdiff1d(forward_df['variant_id'], i));
    the row reports that scan's top variant and its statistics, if significant and not reported yet.
  A single forward variant is reported as is (rank 1, marginal statistics).
  tensorQTL conditions on the forward variants, which a release does not publish; the miniature release
  repeats the backward pass with the variants it reported until they are stable, so each published row
  is conditional on the OTHER PUBLISHED ROWS, which is what is checked here. Where one tensorQTL
  backward pass would condition differently is recorded in "independent" below. Significance: tensorQTL (and, since generator 5, the
  release) tests each scan's permutation pval_beta against the largest significant pval_beta; without the
  permutations, this reconstruction approximates that test by the nominal p against the gene's published
  pval_nominal_threshold (p <= threshold), so "independent" below may list genes it does not reproduce
  (the check of the published rows' statistics, 2., does not depend on it; fixtures/truth/ and
  tests/reference/fixture_truth/check.py check the permutation statistics). Variants already in the covariates are left out
  of a scan (tensorQTL scans them too, but their residualised dosage is ~0 and never the top).

Checked against the release:
  1. every eqtl/top_assoc.v4_rn8.tsv row: marginal pval_nominal, slope, slope_se;
  2. every eqtl/eqtls_indep.v4_rn8.tsv row: pval_nominal, slope, slope_se of its variant conditional on
     the gene's other published independent variants, and whether the reconstructed forward-backward passes
     give the published rows (same variants, same ranks) gene by gene;
  3. every gene x tissue x variant of cis_pvals/{T}.v4.zip: marginal pval_nominal (summary only), plus
     whether each gene's list has top_assoc's num_var rows and its smallest p at top_assoc's variant;
  4. for contrast, a "naive" p for every row of 1 and 2: OLS of log2(TPM + 1) (TPM from
     phenos/phenos.{T}.expression.unnorm.v4_rn8.bed.gz) on the called dosages, no covariates, missing
     samples dropped, dof = n_called - 2 (what a dyneqtl-style recomputation gives).
A recomputed value "agrees" when, rounded to 6 significant digits (the release writes %g), it equals
the published value parsed as a float (Python's float() of the file's text: correctly rounded).
Floats are written as JSON numbers via Python's repr (the shortest string that round-trips the
double), so the full double precision is kept.
"""
import io
import json
import os
import platform
import sys
import zipfile

import numpy as np
import pandas as pd
import pysam
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
DATA = os.path.join(ROOT, "fixtures", "data", "v4")
OUT = os.path.join(HERE, "recomputed.json")
SCRIPT = "tests/reference/pipeline/recompute.py"
STATS = ("pval_nominal", "slope", "slope_se")
FDR = 0.05  # map_independent's input: top_assoc rows with qval <= FDR


def r6(x):
    """The value as the release writes it: %g, 6 significant digits, read back as a float."""
    return float("%.6g" % x)


def rel_diff(a, b):
    return abs(a - b) / abs(b) if b != 0 else abs(a - b)


def read_table(path_or_buffer):
    """A TSV as text: numbers are parsed later with float(), which is correctly rounded (pandas' own
    fast parser is not always, e.g. 1.12627e-18 comes out one ulp off)."""
    return pd.read_csv(path_or_buffer, sep="\t", dtype=str, keep_default_na=False)


# ---------------------------------------------------------------- inputs


def read_bed(path):
    """A phenotype BED (#chr start end phenotype_id, then one column per sample): genes x samples."""
    bed = read_table(path).set_index("phenotype_id")
    return bed.iloc[:, 3:].apply(lambda column: column.map(float))


def read_covariates(path, samples):
    """The covariate file (ID, then one column per sample), columns aligned to `samples` by ID."""
    cov = read_table(path).set_index("ID")
    missing = set(samples) - set(cov.columns)
    if missing:
        sys.exit(f"{path}: no covariates for {len(missing)} samples, e.g. {sorted(missing)[:3]}")
    return np.array([[float(x) for x in row] for row in cov.loc[:, samples].to_numpy()])  # k x n


class Genotypes:
    """ALT dosages from one dataset's VCF (GT only), fetched by position through the tabix index."""

    def __init__(self, path):
        self.vcf = pysam.VariantFile(path)
        self.vcf_samples = list(self.vcf.header.samples)
        self.cache = {}

    def sample_index(self, samples):
        """Positions in the VCF of `samples` (the phenotype BED's columns): alignment by sample ID."""
        pos = {s: i for i, s in enumerate(self.vcf_samples)}
        missing = [s for s in samples if s not in pos]
        if missing:
            sys.exit(f"{len(missing)} phenotype samples are not in the VCF, e.g. {missing[:3]}")
        return np.array([pos[s] for s in samples])

    def dosages(self, variant_id):
        """Dosage (sum of the GT alleles = number of ALT alleles) for every VCF sample, NaN if not
        called. Only bi-allelic records count: the one multi-allelic site is never in the tables."""
        if variant_id not in self.cache:
            chrom, pos = variant_id.rsplit(":", 1)
            pos = int(pos)
            found = [
                rec
                for rec in self.vcf.fetch(chrom, pos - 1, pos)
                if rec.pos == pos and rec.id == variant_id and rec.alts is not None and len(rec.alts) == 1
            ]
            if len(found) != 1:
                sys.exit(f"{variant_id}: {len(found)} bi-allelic VCF records")
            rec = found[0]
            g = np.empty(len(self.vcf_samples))
            for i, s in enumerate(self.vcf_samples):
                gt = rec.samples[s]["GT"]
                g[i] = np.nan if gt is None or None in gt else float(sum(gt))
            self.cache[variant_id] = g
        return self.cache[variant_id]


def impute_mean(g):
    """tensorQTL's impute_mean: missing dosages take the mean of the called samples."""
    g = g.copy()
    miss = np.isnan(g)
    if miss.any():
        g[miss] = g[~miss].mean()
    return g


# ---------------------------------------------------------------- tensorQTL's statistics


class Residualiser:
    """Projection onto the orthogonal complement of [1, C] (C: k x n covariates), via a QR."""

    def __init__(self, covariates):
        n = covariates.shape[1]
        x = np.column_stack([np.ones(n), covariates.T])  # n x (k + 1)
        self.q, r = np.linalg.qr(x)
        d = np.abs(np.diag(r))
        if d.min() <= 1e-10 * d.max():
            sys.exit("covariates [1, C] are rank deficient")
        self.k = covariates.shape[0]
        self.dof = n - 2 - self.k

    def __call__(self, v):
        """Residuals of v (n, or m x n rows) on [1, C]."""
        return v - (v @ self.q) @ self.q.T


def nominal(y_res, g_res, dof):
    """map_nominal's statistics from residualised phenotype (n) and dosages (n, or m x n rows)."""
    y_c = y_res - y_res.mean()
    g_c = g_res - g_res.mean(axis=-1, keepdims=True)
    r = (g_c @ y_c) / np.sqrt((g_c * g_c).sum(axis=-1) * (y_c @ y_c))
    t = r * np.sqrt(dof / (1 - r * r))
    p = 2 * stats.t.sf(np.abs(t), dof)
    slope = r * np.std(y_res) / np.std(g_res, axis=-1)
    slope_se = np.abs(slope) / np.abs(t)
    return p, slope, slope_se


def naive_p(tpm, g):
    """OLS of log2(TPM + 1) on the called dosages, no covariates: two-sided p, dof = n_called - 2."""
    called = ~np.isnan(g)
    return stats.linregress(g[called], np.log2(tpm[called] + 1)).pvalue


# ---------------------------------------------------------------- one tissue


class Tissue:
    """One tissue's aligned inputs: normalised and TPM phenotypes, covariates, dosages, cis lists."""

    def __init__(self, tissue, genotypes):
        self.tissue = tissue
        self.norm = read_bed(os.path.join(DATA, "phenos", f"phenos.{tissue}.expression.norm.v4_rn8.bed.gz"))
        self.samples = list(self.norm.columns)
        tpm = read_bed(os.path.join(DATA, "phenos", f"phenos.{tissue}.expression.unnorm.v4_rn8.bed.gz"))
        self.tpm = tpm.loc[:, self.samples]  # aligned by sample ID
        self.covariates = read_covariates(
            os.path.join(DATA, "covar", f"covar.{tissue}.expression.v4.tsv"), self.samples
        )
        self.genotypes = genotypes
        self.index = genotypes.sample_index(self.samples)
        self.n = len(self.samples)
        self.residualisers = {}
        # cis_pvals: gene -> (tested variant IDs, their published pval_nominal)
        self.cis = {}
        with zipfile.ZipFile(os.path.join(DATA, "cis_pvals", f"{tissue}.v4.zip")) as z:
            for name in sorted(z.namelist()):
                if name.endswith(".txt"):
                    tab = read_table(io.BytesIO(z.read(name)))
                    gene = name.rsplit("/", 1)[1][: -len(".txt")]
                    self.cis[gene] = (list(tab["variant_id"]), [float(x) for x in tab["pval_nominal"]])

    def raw_dosages(self, variant_id):
        return self.genotypes.dosages(variant_id)[self.index]

    def dosages(self, variant_id):
        return impute_mean(self.raw_dosages(variant_id))

    def y(self, gene):
        return self.norm.loc[gene].to_numpy()

    def residualiser(self, conditioned_on=()):
        """The residualiser for C plus the mean-imputed dosages of `conditioned_on` (in that order)."""
        key = tuple(conditioned_on)
        if key not in self.residualisers:
            extra = [self.dosages(v) for v in key]
            self.residualisers[key] = Residualiser(np.vstack([self.covariates, *extra]) if extra else self.covariates)
        return self.residualisers[key]

    def test(self, gene, variants, conditioned_on=()):
        """map_nominal's (p, slope, slope_se) arrays for `variants`, conditional on `conditioned_on`."""
        res = self.residualiser(conditioned_on)
        g = np.array([self.dosages(v) for v in variants])
        return nominal(res(self.y(gene)), res(g), res.dof)

    def scan(self, gene, conditioned_on=()):
        """The top of a cis scan (smallest p, the first on ties) over the gene's cis variants not in
        the covariates: (variant_id, p)."""
        candidates = [v for v in self.cis[gene][0] if v not in conditioned_on]
        p, _, _ = self.test(gene, candidates, conditioned_on)
        i = int(np.argmin(p))
        return candidates[i], float(p[i])

    def map_independent(self, gene, top_variant, threshold):
        """tensorQTL's forward-backward passes: (forward variants, [(rank, variant, conditioned_on)])."""
        forward = [top_variant]
        while True:
            v, p = self.scan(gene, forward)
            if not p <= threshold:
                break
            forward.append(v)
        if len(forward) == 1:
            return forward, [(1, top_variant, [])]
        backward, reported = [], set()
        for rank, i in enumerate(forward, 1):
            others = [v for v in forward if v != i]
            v, p = self.scan(gene, others)
            if p <= threshold and v not in reported:
                backward.append((rank, v, others))
                reported.add(v)
        return forward, backward


# ---------------------------------------------------------------- the checks


def check_row(t, table, row, conditioned_on):
    """One table row: tensorQTL's statistics of its variant (conditional on `conditioned_on`'s
    dosages), and the naive p."""
    gene, variant = row["gene_id"], row["variant_id"]
    p, slope, slope_se = (float(x[0]) for x in t.test(gene, [variant], conditioned_on))
    recomputed = {"pval_nominal": p, "slope": slope, "slope_se": slope_se}
    published = {s: float(row[s]) for s in STATS}
    npv = float(naive_p(t.tpm.loc[gene].to_numpy(), t.raw_dosages(variant)))
    res = t.residualiser(conditioned_on)
    out = {"tissue": t.tissue, "gene_id": gene, "variant_id": variant, "table": table}
    if table == "eqtls_indep":
        out["rank"] = int(row["rank"])
        out["conditioned_on"] = list(conditioned_on)
    out.update({
        "n": t.n,
        "k": res.k,
        "dof": res.dof,
        "published": published,
        "recomputed": recomputed,
        "agrees": {s: r6(recomputed[s]) == published[s] for s in STATS},
        "naive_p": npv,
        "naive_agrees": r6(npv) == published["pval_nominal"],
    })
    return out


def check_cis_pvals(t, top_rows, acc):
    """Every tested cis variant's marginal p against cis_pvals/{T}.v4.zip; per gene also num_var and
    the position of the smallest p against top_assoc. Accumulates into `acc`."""
    for gene, (variants, published) in t.cis.items():
        p, _, _ = t.test(gene, variants)
        acc["genes"] += 1
        for v, pub, rec in zip(variants, published, p):
            rec = float(rec)
            ok = r6(rec) == pub
            acc["checked"] += 1
            acc["agreeing"] += ok
            case = {"tissue": t.tissue, "gene_id": gene, "variant_id": v, "published": pub, "recomputed": rec,
                    "rel_diff": rel_diff(rec, pub), "agrees": ok}
            if not ok:
                acc["disagreeing"].append(case)
            if acc["worst"] is None or case["rel_diff"] > acc["worst"]["rel_diff"]:
                acc["worst"] = case
        top = top_rows.get(gene)
        if top is not None:
            acc["genes_with_num_var_rows"] += len(variants) == int(top["num_var"])
            acc["genes_smallest_p_at_top_assoc_variant"] += variants[int(np.argmin(published))] == top["variant_id"]


def main():
    info = read_table(os.path.join(DATA, "tissue_info.v4.tsv"))
    dataset_of = dict(zip(info["tissueSiteDetailId"], info["dataset"]))
    top = read_table(os.path.join(DATA, "eqtl", "top_assoc.v4_rn8.tsv"))
    indep = read_table(os.path.join(DATA, "eqtl", "eqtls_indep.v4_rn8.tsv"))
    genotypes = {d: Genotypes(os.path.join(DATA, "geno", f"{d}.rn8.vcf.gz")) for d in sorted(set(dataset_of.values()))}

    rows = []
    cis = {"genes": 0, "checked": 0, "agreeing": 0, "genes_with_num_var_rows": 0,
           "genes_smallest_p_at_top_assoc_variant": 0, "worst": None, "disagreeing": []}
    ind = {"genes": 0, "genes_reproduced": 0, "genes_not_reproduced": [], "multi_signal_genes": [],
           "backward_top_differs_from_forward": [], "conditioning_differs_from_other_rows": []}
    for tissue in info["tissueSiteDetailId"]:
        t = Tissue(tissue, genotypes[dataset_of[tissue]])
        tissue_top = top[top["tissue"] == tissue]
        top_rows = {r["gene_id"]: r for _, r in tissue_top.iterrows()}

        # 1. top_assoc: marginal statistics.
        for _, row in tissue_top.iterrows():
            rows.append(check_row(t, "top_assoc", row, []))

        # 2. eqtls_indep: reconstruct map_independent for every gene with qval <= FDR, then check the
        #    published rows, each conditional on the other forward variants of its rank.
        tissue_indep = indep[indep["tissue"] == tissue]
        significant = [g for g, r in top_rows.items() if float(r["qval"]) <= FDR]
        published_genes = set(tissue_indep["gene_id"])
        for gene in sorted(set(significant) | published_genes):
            ind["genes"] += 1
            published = tissue_indep[tissue_indep["gene_id"] == gene]
            pub_rows = [(int(r["rank"]), r["variant_id"]) for _, r in published.iterrows()]
            forward, backward = [], []
            if gene in significant:
                threshold = float(top_rows[gene]["pval_nominal_threshold"])
                forward, backward = t.map_independent(gene, top_rows[gene]["variant_id"], threshold)
            if sorted(pub_rows) == sorted((rank, v) for rank, v, _ in backward):
                ind["genes_reproduced"] += 1
            else:
                ind["genes_not_reproduced"].append({
                    "tissue": tissue, "gene_id": gene, "published": sorted(pub_rows),
                    "reconstructed": sorted((rank, v) for rank, v, _ in backward), "forward": forward})
            if len(forward) > 1:
                ind["multi_signal_genes"].append({"tissue": tissue, "gene_id": gene, "forward": forward})
            for _, row in published.iterrows():
                rank, variant = int(row["rank"]), row["variant_id"]
                # The miniature release repeats the backward pass until its variants are stable, so each
                # row is conditional on the other published rows (fixtures/README.md).
                conditioned_on = [v for v in published["variant_id"] if v != variant]
                forward_others = [v for v in forward if v != forward[rank - 1]] if rank <= len(forward) else []
                checked = check_row(t, "eqtls_indep", row, conditioned_on)
                rows.append(checked)
                if len(forward) > 1 and variant != forward[rank - 1]:
                    ind["backward_top_differs_from_forward"].append(
                        {"tissue": tissue, "gene_id": gene, "rank": rank, "forward": forward[rank - 1],
                         "reported": variant})
                if forward_others and sorted(forward_others) != sorted(conditioned_on):
                    # What one tensorQTL backward pass (conditioning on the forward variants) would give.
                    alt = check_row(t, "eqtls_indep", row, forward_others)
                    ind["conditioning_differs_from_other_rows"].append({
                        "tissue": tissue, "gene_id": gene, "variant_id": variant, "rank": rank,
                        "forward_others": forward_others, "other_rows": conditioned_on,
                        "agrees_forward_others": all(alt["agrees"].values()),
                        "agrees_other_rows": all(checked["agrees"].values()),
                        "recomputed_forward_others": alt["recomputed"]})

        # 3. cis_pvals: every tested variant's marginal p.
        check_cis_pvals(t, top_rows, cis)

    counts = {}
    for table in ("top_assoc", "eqtls_indep"):
        sel = [r for r in rows if r["table"] == table]
        counts[table] = {
            "rows": len(sel),
            "rows_agreeing": sum(all(r["agrees"].values()) for r in sel),
            **{f"{s}_agreeing": sum(r["agrees"][s] for r in sel) for s in STATS},
            "naive_agreeing": sum(r["naive_agrees"] for r in sel),
        }
    cis["disagreeing"] = cis["disagreeing"][:20]  # (at most 20 written)
    counts["cis_pvals"] = cis
    disagreements = [
        {"tissue": r["tissue"], "gene_id": r["gene_id"], "variant_id": r["variant_id"], "table": r["table"],
         "statistics": [s for s in STATS if not r["agrees"][s]]}
        for r in rows if not all(r["agrees"].values())
    ]
    header = {
        "script": SCRIPT,
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
                     "pandas": pd.__version__, "pysam": pysam.__version__},
        "agreement": "float('%.6g' % recomputed) == published",
        "counts": counts,
        "disagreements": disagreements,
        "independent": ind,
    }
    # The header indented; then one compact row per line, which keeps the file small and diffs readable.
    text = json.dumps(header, indent=1, allow_nan=False)[:-2]
    text += ',\n "rows": [\n' + ",\n".join(json.dumps(r, allow_nan=False, separators=(",", ":")) for r in rows)
    text += "\n ]\n}\n"
    with open(OUT, "w") as f:
        f.write(text)

    for table in ("top_assoc", "eqtls_indep"):
        print(table, json.dumps(counts[table]))
    print("cis_pvals", json.dumps({k: v for k, v in cis.items() if k not in ("worst", "disagreeing")}))
    print("cis_pvals worst", json.dumps(cis["worst"]))
    print("independent", json.dumps({k: v if isinstance(v, int) else len(v) for k, v in ind.items()}))
    for d in disagreements:
        print("disagrees", json.dumps(d))
    for d in ind["conditioning_differs_from_other_rows"]:
        print("conditioning", json.dumps(d))
    print("wrote", os.path.relpath(OUT, ROOT), f"({len(text)} bytes)")


if __name__ == "__main__":
    main()

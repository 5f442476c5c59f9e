#!/usr/bin/python3
"""Reference log2_aFC for tests/permutation_pass_test.ts: aFC.py (secastel/aFC v0.3, a checkout outside the
repository, run locally and never copied) on the bundled miniature release, as RatGTEx's pipeline runs it:

    aFC.py --vcf geno/{D}.rn8.vcf.gz --pheno expr/expr.log2.{T}.v4_rn8.bed.gz --qtl PAIRS
           --cov covar/covar.{T}.expression.v4.tsv --log_xform 1 --boot 0

for every top_assoc and eqtls_indep pair of each tissue. aFC.py reads the phenotype BED by tabix, so each
tissue's BED is copied, bgzipped and indexed in a temporary folder (the values are the release's bytes).
aFC.py imports scikits.bootstrap at the top and uses it only for --boot: it is stubbed.

Run from the repository root (Debian python3-pysam, python3-statsmodels, python3-pandas, python3-numpy):

    AFC_DIR=/path/to/aFC /usr/bin/python3 tests/reference/permutation_pass/afc_release.py

Writes tests/reference/permutation_pass/afc.json: per tissue, pid (gene), sid (variant), and the log2_aFC
aFC.py printed (Python's str of the float: every digit).
"""
import gzip
import json
import os
import subprocess
import sys
import tempfile

import pandas as pd
import pysam

afc_dir = os.environ.get("AFC_DIR")
if not afc_dir:
    sys.exit("set AFC_DIR to a checkout of secastel/aFC")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
RELEASE = os.path.join(ROOT, "fixtures", "data", "v4")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "afc.json")


def main():
    info = pd.read_csv(os.path.join(RELEASE, "tissue_info.v4.tsv"), sep="\t")
    pairs = pd.concat([pd.read_csv(os.path.join(RELEASE, "eqtl", f), sep="\t")[["tissue", "gene_id", "variant_id"]]
                       for f in ["top_assoc.v4_rn8.tsv", "eqtls_indep.v4_rn8.tsv"]]).drop_duplicates()
    rows = []
    with tempfile.TemporaryDirectory() as d:
        stub = os.path.join(d, "stub", "scikits")
        os.makedirs(stub)
        open(os.path.join(stub, "__init__.py"), "w").close()
        with open(os.path.join(stub, "bootstrap.py"), "w") as f:
            f.write("def ci(*args, **kwargs):\n    raise RuntimeError('bootstrap not available: --boot 0')\n")
        for _, t in info.iterrows():
            tissue, dataset = t["tissueSiteDetailId"], t["dataset"]
            bed = os.path.join(d, f"{tissue}.bed")
            with gzip.open(os.path.join(RELEASE, "expr", f"expr.log2.{tissue}.v4_rn8.bed.gz"), "rb") as src:
                with open(bed, "wb") as dst:
                    dst.write(src.read())
            pysam.tabix_index(bed, preset="bed", force=True)
            qtl = os.path.join(d, f"{tissue}.qtl.txt")
            mine = pairs[pairs["tissue"] == tissue]
            with open(qtl, "w") as f:
                f.write("pid\tsid\tsid_chr\tsid_pos\n")
                for _, p in mine.iterrows():
                    chrom, pos = p["variant_id"].split(":")
                    f.write(f"{p['gene_id']}\t{p['variant_id']}\t{chrom}\t{pos}\n")
            out = os.path.join(d, f"{tissue}.afc.txt")
            cmd = [sys.executable, os.path.join(afc_dir, "aFC.py"), "--vcf",
                   os.path.join(RELEASE, "geno", f"{dataset}.rn8.vcf.gz"), "--pheno", bed + ".gz", "--qtl", qtl,
                   "--cov", os.path.join(RELEASE, "covar", f"covar.{tissue}.expression.v4.tsv"), "--log_xform", "1",
                   "--boot", "0", "--output", out]
            subprocess.run(cmd, check=True, env={**os.environ, "PYTHONPATH": os.path.dirname(stub)},
                           stdout=subprocess.DEVNULL)
            with open(out) as f:
                header = f.readline().rstrip("\n").split("\t")
                for line in f:
                    r = dict(zip(header, line.rstrip("\n").split("\t")))
                    rows.append({"tissue": tissue, "gene_id": r["pid"], "variant_id": r["sid"],
                                 "log2_aFC": r["log2_aFC"]})
    with open(OUT, "w") as f:
        json.dump({"generator": "tests/reference/permutation_pass/afc_release.py", "aFC": "secastel/aFC v0.3",
                   "rows": rows}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT}: {len(rows)} pairs")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Reference numbers for tests/afc_test.ts: aFC.py (secastel/aFC v0.3) run locally, as RatGTEx's pipeline runs
it (`aFC.py --vcf … --pheno expr.log2.bed.gz --qtl … --cov covar.tsv --log_xform 1`), on small deterministic
synthetic inputs written here: a bgzipped, tabix-indexed VCF (GT), a BED of log2(count + 1) expression, a
covariate file (ID + one column per sample) and the QTL list with sid_chr/sid_pos.

Run (Debian's pysam, statsmodels, pandas, numpy; a checkout of secastel/aFC, not committed):

    AFC_DIR=/path/to/aFC /usr/bin/python3 tests/reference/perm/make_afc_reference.py

Writes tests/reference/perm/afc_reference.json: the inputs (genotype calls, expression, covariates) and the
`log2_aFC` column aFC.py printed, with and without covariates. aFC.py imports scikits.bootstrap (not in Debian)
at the top; it is only used for the bootstrap CI, so it is stubbed and the run uses `--boot 0`.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pysam

afc_dir = os.environ.get("AFC_DIR")
if not afc_dir:
    sys.exit("set AFC_DIR to a checkout of secastel/aFC")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "afc_reference.json")

N_SAMPLES = 120
N_COV = 6


def simulate():
    rng = np.random.RandomState(20260804)
    samples = [f"rat{i:03d}" for i in range(N_SAMPLES)]
    cov = rng.normal(size=(N_COV, N_SAMPLES))
    cov_names = [f"geno_PC{i + 1}" for i in range(2)] + [f"expr_PC{i + 1}" for i in range(N_COV - 2)]
    cov_effect = np.array([0.0, 0.4, 0.0, -0.8, 0.05, 1.5])  # some strong, some null
    pairs = []
    # (true log2 aFC, ALT allele frequency, missing-call rate, baseline log2 expression, noise sd, kind)
    specs = [(0.0, 0.5, 0, 8, 0.5, "null"), (1.0, 0.3, 0, 8, 0.4, "up"), (-1.5, 0.4, 0, 9, 0.3, "down"),
             (0.4, 0.2, 0.05, 7, 0.6, "missing_calls"), (-0.3, 0.45, 0, 10, 0.2, "small"),
             (8.0, 0.5, 0, 6, 0.3, "capped_up"), (-8.0, 0.5, 0, 9, 0.3, "capped_down"),
             (1.2, 0.15, 0, 5, 0.5, "rare_alt"), (0.8, 0.5, 0, 1, 0.8, "low_counts"),
             (0.6, 0.0, 0, 8, 0.5, "no_alt_hom"), (0.0, 0.0, 0, 8, 0.5, "monomorphic"),
             (2.5, 0.6, 0.1, 7, 1.0, "noisy_missing"), (-0.7, 0.35, 0, 11, 0.1, "tight")]
    specs += [(float(rng.uniform(-3, 3)), float(rng.uniform(0.1, 0.9)), 0.0, float(rng.uniform(2, 11)),
               float(rng.uniform(0.1, 1.0)), f"random{i}") for i in range(17)]
    for k, (afc, f, miss, base, sd, kind) in enumerate(specs):
        if kind == "no_alt_hom":
            g = (rng.uniform(size=N_SAMPLES) < 0.4).astype(int)  # only 0 and 1
        elif kind == "monomorphic":
            g = np.zeros(N_SAMPLES, dtype=int)
        else:
            g = rng.binomial(1, f, N_SAMPLES) + rng.binomial(1, f, N_SAMPLES)
        phased = []
        for gi in g:
            phased.append({0: "0|0", 1: "0|1" if rng.uniform() < 0.5 else "1|0", 2: "1|1"}[int(gi)])
        missing = rng.uniform(size=N_SAMPLES) < miss
        gt = ["./." if m else p for m, p in zip(missing, phased)]
        # haplotype model on the count scale: 2^base per REF haplotype, 2^(base + afc) per ALT one
        mean = np.log2(2 ** base * ((2 - g) + (2 ** afc) * g) / 2)
        expr = mean + cov_effect @ cov * (0.5 if k % 2 else 1.0) + rng.normal(scale=sd, size=N_SAMPLES)
        expr = np.maximum(expr, 0)  # log2(count + 1) ≥ 0
        pairs.append({"gene": f"ENSRNOG{k:011d}", "variant": f"chr1:{1000 + 100 * k}", "pos": 1000 + 100 * k,
                      "kind": kind, "gt": gt, "expr": [float(f"{v:.6g}") for v in expr]})
    cov = np.vectorize(lambda v: float(f"{v:.6g}"))(cov)  # the values the covariate file holds
    return samples, cov_names, cov, pairs


def write_inputs(d, samples, cov_names, cov, pairs):
    vcf = os.path.join(d, "geno.vcf")
    with open(vcf, "w") as f:
        f.write("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=10000000>\n")
        f.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n')
        f.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(samples) + "\n")
        for p in pairs:
            f.write(f"chr1\t{p['pos']}\t{p['variant']}\tA\tG\t.\tPASS\t.\tGT\t" + "\t".join(p["gt"]) + "\n")
    pysam.tabix_index(vcf, preset="vcf", force=True)
    bed = os.path.join(d, "expr.log2.bed")
    with open(bed, "w") as f:
        f.write("#chr\tstart\tend\tgene_id\t" + "\t".join(samples) + "\n")
        for p in pairs:
            f.write(f"chr1\t{p['pos'] + 50}\t{p['pos'] + 51}\t{p['gene']}\t" +
                    "\t".join(f"{v:.6g}" for v in p["expr"]) + "\n")
    pysam.tabix_index(bed, preset="bed", force=True)
    covf = os.path.join(d, "covar.tsv")
    with open(covf, "w") as f:
        f.write("ID\t" + "\t".join(samples) + "\n")
        for name, row in zip(cov_names, cov):
            f.write(name + "\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
    qtl = os.path.join(d, "qtl.txt")
    with open(qtl, "w") as f:
        f.write("pid\tsid\tsid_chr\tsid_pos\n")
        for p in pairs:
            f.write(f"{p['gene']}\t{p['variant']}\tchr1\t{p['pos']}\n")
    stub = os.path.join(d, "stub", "scikits")
    os.makedirs(stub)
    open(os.path.join(stub, "__init__.py"), "w").close()
    with open(os.path.join(stub, "bootstrap.py"), "w") as f:
        f.write("def ci(*args, **kwargs):\n    raise RuntimeError('bootstrap not available: run with --boot 0')\n")
    return vcf + ".gz", bed + ".gz", covf, qtl, os.path.dirname(stub)


def run_afc(d, vcf, bed, covf, qtl, stub, with_cov):
    out = os.path.join(d, f"afc_{'cov' if with_cov else 'nocov'}.txt")
    cmd = [sys.executable, os.path.join(afc_dir, "aFC.py"), "--vcf", vcf, "--pheno", bed, "--qtl", qtl,
           "--log_xform", "1", "--boot", "0", "--output", out]
    if with_cov:
        cmd += ["--cov", covf]
    subprocess.run(cmd, check=True, env={**os.environ, "PYTHONPATH": stub}, stdout=subprocess.DEVNULL)
    rows = {}
    with open(out) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            rows[r["pid"]] = r["log2_aFC"]  # as printed (str(float): repr)
    return rows


def main():
    samples, cov_names, cov, pairs = simulate()
    with tempfile.TemporaryDirectory() as d:
        vcf, bed, covf, qtl, stub = write_inputs(d, samples, cov_names, cov, pairs)
        with_cov = run_afc(d, vcf, bed, covf, qtl, stub, True)
        without = run_afc(d, vcf, bed, covf, qtl, stub, False)
    for p in pairs:
        p["log2_aFC_cov"] = with_cov.get(p["gene"])
        p["log2_aFC_nocov"] = without.get(p["gene"])
    ref = {"generator": "tests/reference/perm/make_afc_reference.py", "samples": samples,
           "covariates": {"names": cov_names, "values": cov.tolist()}, "pairs": pairs}
    with open(OUT, "w") as f:
        json.dump(ref, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT}: {len(pairs)} pairs")


if __name__ == "__main__":
    main()

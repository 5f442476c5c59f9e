#!/usr/bin/python3
"""Reference LD numbers for tests/ld_test.ts, from Debian's plink 1.9 and pandas.

Writes two deterministic synthetic VCFs and, for each, what plink 1.9 (v1.90b6.26) and pandas print:

  ld_a.vcf   150 rats x 60 variants: mosaics of 8 founder haplotypes (as heterogeneous-stock rats are),
             ~3% missing calls, rare variants (1-3 ALT copies), ALT-major variants (plink flips allele 1),
             a monomorphic site (all 0/0), an all-1/1 site, an all-heterozygous site, a site missing in
             every rat, a half-missing site, perfect LD pairs (a copy, and a REF/ALT-swapped copy), and
             a few phased calls ("0|1").
  ld_b.vcf   12 rats x 60 variants: random calls with ~15% missing, plus constructed pairs whose two-locus
             tables reach every branch of plink's haplotype-frequency estimate (double heterozygotes with
             and without the other haplotypes, few rats, pairs with 0 or 1 rat called at both).

For each VCF (X = a, b), files ld_X.*:

  .dprime             plink --r2 dprime --ld-window 99999 --ld-window-kb 99999 --ld-window-r2 0
                      compact: "i j R2 DP" (variant indices; R2, DP exactly as plink printed them)
  .dprime_kao         the same with --keep-allele-order
  .dprime_signed_kao  plink --r dprime-signed --keep-allele-order ...: "i j R DP" (signed)
  .r2_square          plink --r2 square bin: the upper triangle with the diagonal, row by row, every
                      double written with repr() (exact); "nan" where plink wrote NaN
  .r_square_kao       plink --r square bin --keep-allele-order, the same way
  .v3                 the removed RatGTEx /api/v3/ld route's definition on the same calls:
                      pandas DataFrame(calls, dtype=float).corr() ** 2, .round(3); strict upper triangle

Every plink run also has --vcf X --double-id --allow-extra-chr. plink prints 6 significant digits in its
text tables (R2, DP): that is the precision the test can assert there; the square matrices are binary
doubles, so those are exact.

Re-run from the repository root (needs plink1.9, python3-pandas; takes a few seconds):

    /usr/bin/python3 tests/reference/ld/make_reference.py [PLINK]

PLINK defaults to plink1.9 on the PATH.
"""
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
PLINK = sys.argv[1] if len(sys.argv) > 1 else "plink1.9"


def gt(a, b, phased=False):
    if a is None:
        return "./."
    return f"{a}{'|' if phased else '/'}{b}"


def dose_to_alleles(rng, d):
    if d is None:
        return (None, None)
    if d == 1:
        return (0, 1) if rng.random() < 0.5 else (1, 0)
    return (d // 2, d // 2)


def variants_a():
    rng = random.Random(20240611)
    n, m = 150, 60
    # 8 founder haplotypes over 60 sites; at each site 1 to 7 founders carry ALT
    founders = [[0] * m for _ in range(8)]
    for j in range(m):
        for f in rng.sample(range(8), rng.randint(1, 7)):
            founders[f][j] = 1
    # each rat: two mosaics of founder segments, switching every few sites
    haps = []
    for _ in range(n):
        pair = []
        for _ in range(2):
            cur = rng.randrange(8)
            h = []
            for j in range(m):
                if rng.random() < 0.08:
                    cur = rng.randrange(8)
                h.append(founders[cur][j])
            pair.append(h)
        haps.append(pair)
    rows = []
    for j in range(m):
        cells = []
        for r in range(n):
            a, b = haps[r][0][j], haps[r][1][j]
            if rng.random() < 0.03:
                cells.append((None, None))
            else:
                cells.append((a, b))
        rows.append(cells)

    def set_doses(j, doses):
        rows[j] = [dose_to_alleles(rng, d) for d in doses]

    # special sites
    set_doses(3, [0] * n)  # monomorphic 0/0
    set_doses(4, [2] * n)  # all 1/1
    set_doses(5, [1] * (n - 4) + [None] * 4)  # all heterozygous among called
    set_doses(6, [None] * n)  # missing everywhere
    rows[7] = [(None, None) if r % 2 == 0 else rows[8][r] for r in range(n)]  # half missing, else site 8
    rare = [0] * n
    rare[10] = 1
    set_doses(12, rare)  # one ALT copy
    rare2 = [0] * n
    rare2[10] = 1
    rare2[77] = 2
    set_doses(13, rare2)  # three ALT copies, sharing a rat with site 12
    # perfect LD: site 21 = copy of site 20 (same missing calls), site 22 = REF/ALT swapped copy of 20
    rows[21] = list(rows[20])
    rows[22] = [(None, None) if a is None else (1 - a, 1 - b) for a, b in rows[20]]
    rows[30] = [(None, None) if a is None else (1 - a, 1 - b) for a, b in rows[31]]  # ALT-major copy
    return n, rows, {(j, r) for j in range(m) for r in range(n) if rng.random() < 0.01}


def variants_b():
    rng = random.Random(77)
    n, m = 12, 60
    rows = []
    for j in range(m):
        f = rng.choice([0.2, 0.5, 0.8])
        cells = []
        for _ in range(n):
            if rng.random() < 0.15:
                cells.append((None, None))
            else:
                cells.append((int(rng.random() < f), int(rng.random() < f)))
        rows.append(cells)

    def set_doses(j, doses):
        rows[j] = [dose_to_alleles(rng, d) for d in doses]

    N = None
    # double heterozygotes with only 1-1/1-1 homozygotes beside them (plink's prod == 0 branch)
    set_doses(0, [1, 1, 1, 1, 0, 0, 0, 0, 0, 2, N, 1])
    set_doses(1, [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, N])
    # double heterozygotes and both "repulsion" homozygotes only
    set_doses(2, [1, 1, 1, 0, 0, 2, 2, 1, 1, 0, 2, 0])
    set_doses(3, [1, 1, 1, 2, 2, 0, 0, 1, 1, 2, 0, 2])
    # double heterozygotes dominate, every haplotype seen once or twice (several likelihood roots)
    set_doses(4, [1, 1, 1, 1, 1, 1, 0, 2, 0, 2, 1, 1])
    set_doses(5, [1, 1, 1, 1, 1, 1, 0, 2, 2, 0, 0, 2])
    # pairs with 0 and 1 rats called at both
    set_doses(6, [0, 1, 2, 1, 0, 2, N, N, N, N, N, N])
    set_doses(7, [N, N, N, N, N, N, 0, 1, 2, 1, 0, 2])
    set_doses(8, [N, N, N, N, N, 1, 1, 2, 0, 1, 0, 2])
    # an all-heterozygous site and a monomorphic one
    set_doses(9, [1] * 12)
    set_doses(10, [2] * 11 + [N])
    return n, rows, set()


def write_vcf(path, n, rows, phased):
    m = len(rows)
    with open(path, "w") as out:
        out.write("##fileformat=VCFv4.2\n")
        out.write("##source=tests/reference/ld/make_reference.py (synthetic)\n")
        out.write("##contig=<ID=chr1>\n")
        out.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n')
        out.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t")
        out.write("\t".join(f"rat{r:03d}" for r in range(n)) + "\n")
        for j in range(m):
            cells = [gt(a, b, (j, r) in phased) for r, (a, b) in enumerate(rows[j])]
            out.write(f"chr1\t{10000 + 1000 * j}\tv{j}\tA\tG\t.\tPASS\t.\tGT\t" + "\t".join(cells) + "\n")


def doses(rows):
    return [[np.nan if a is None else a + b for a, b in cells] for cells in rows]


def plink(vcf, tmp, name, *args):
    out = os.path.join(tmp, name)
    cmd = [PLINK, "--vcf", vcf, "--double-id", "--allow-extra-chr", *args, "--out", out]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return out


def compact_table(path, dest, m):
    lines = open(path).read().split("\n")
    header = lines[0].split()
    assert header[:6] == ["CHR_A", "BP_A", "SNP_A", "CHR_B", "BP_B", "SNP_B"], header
    with open(dest, "w") as out:
        out.write("# i j " + " ".join(header[6:]) + "   (variant indices; values as plink printed them)\n")
        for line in lines[1:]:
            f = line.split()
            if not f:
                continue
            out.write(f"{f[2][1:]} {f[5][1:]} {' '.join(f[6:])}\n")


def compact_square(path, dest, m):
    raw = open(path, "rb").read()
    assert len(raw) == 8 * m * m, (len(raw), m)
    vals = struct.unpack(f"<{m * m}d", raw)
    with open(dest, "w") as out:
        out.write("# upper triangle with diagonal, row by row; repr() of plink's doubles\n")
        for i in range(m):
            out.write(" ".join(repr(vals[i * m + j]) for j in range(i, m)) + "\n")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for tag, (n, rows, phased) in (("a", variants_a()), ("b", variants_b())):
            m = len(rows)
            vcf = os.path.join(HERE, f"ld_{tag}.vcf")
            write_vcf(vcf, n, rows, phased)
            window = ["--ld-window", "99999", "--ld-window-kb", "99999", "--ld-window-r2", "0"]
            o = plink(vcf, tmp, "dprime", "--r2", "dprime", *window)
            compact_table(o + ".ld", os.path.join(HERE, f"ld_{tag}.dprime"), m)
            o = plink(vcf, tmp, "dprime_kao", "--r2", "dprime", *window, "--keep-allele-order")
            compact_table(o + ".ld", os.path.join(HERE, f"ld_{tag}.dprime_kao"), m)
            o = plink(vcf, tmp, "signed_kao", "--r", "dprime-signed", *window, "--keep-allele-order")
            compact_table(o + ".ld", os.path.join(HERE, f"ld_{tag}.dprime_signed_kao"), m)
            o = plink(vcf, tmp, "square", "--r2", "square", "bin")
            compact_square(o + ".ld.bin", os.path.join(HERE, f"ld_{tag}.r2_square"), m)
            o = plink(vcf, tmp, "rsquare", "--r", "square", "bin", "--keep-allele-order")
            compact_square(o + ".ld.bin", os.path.join(HERE, f"ld_{tag}.r_square_kao"), m)
            # The v3 route: rats as rows, variants as columns, pandas' pairwise-complete Pearson r.
            frame = pd.DataFrame(np.array(doses(rows), dtype=float).T, dtype=float)
            ldmat = (frame.corr().to_numpy() ** 2).round(3)
            with open(os.path.join(HERE, f"ld_{tag}.v3"), "w") as out:
                out.write(f"# pandas {pd.__version__} DataFrame.corr() ** 2, numpy {np.__version__} .round(3); "
                          "strict upper triangle, row by row\n")
                for i in range(m - 1):
                    out.write(" ".join(repr(float(ldmat[i, j])) for j in range(i + 1, m)) + "\n")
    version = subprocess.run([PLINK, "--version"], capture_output=True, text=True).stdout.strip()
    with open(os.path.join(HERE, "VERSIONS"), "w") as out:
        out.write(f"{version}\npandas {pd.__version__}\nnumpy {np.__version__}\n")


if __name__ == "__main__":
    if shutil.which(PLINK) is None:
        sys.exit(f"{PLINK} not found (Debian: apt-get install plink1.9)")
    main()

#!/usr/bin/python3
"""Reference LD numbers for tests/release_ld_test.ts: Debian's plink 1.9 on the bundled release's own VCFs.

For each case (a lead variant, a +-1 Mb window, all rats of a VCF or one tissue's rats), runs plink 1.9 on
fixtures/data/v4/geno/{dataset}.rn8.vcf.gz and writes tests/reference/release_ld/{case}.tsv with one row per
variant plink pairs with the lead (the lead itself included):

  variantId  the variant (the VCF's ID column, chrN:pos)
  r2         the lead's row of `plink --r2 square bin` over the window's variants: the exact double, repr()
  R2, DP     `plink --r2 dprime --ld-snp LEAD --ld-window-kb 1000 --ld-window 99999 --ld-window-r2 0`,
             exactly as plink printed them (6 significant digits; haplotype-frequency r2 and D')

Every run has --vcf VCF --double-id --allow-extra-chr --biallelic-only strict (plink 1.9 cannot pair a
multi-allelic site; the library gives such a site a reason instead). A tissue case adds --keep with the
tissue's rats (rat_ids/rat_ids.{T}.v4.txt, FID = IID = rat, as --double-id reads the VCF).

Re-run from the repository root (needs plink1.9; a few seconds):

    /usr/bin/python3 tests/reference/release_ld/make_reference.py [PLINK]
"""
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
DATA = os.path.join(ROOT, "fixtures", "data", "v4")
PLINK = sys.argv[1] if len(sys.argv) > 1 else "plink1.9"
WINDOW = 1_000_000

# case, lead, dataset, tissue (None: every rat of the VCF)
CASES = [
    ("all_chr10", "chr10:100826333", "ratgtex_v4_round11_2", None),
    ("il_chr10", "chr10:100826333", "ratgtex_v4_round11_2", "IL"),
    ("all_chr19", "chr19:43245682", "ratgtex_v4_round11_2", None),
    ("adipose_chr5", "chr5:95498283", "ratgtex_v4_round11_1", "Adipose"),
]


def plink(args, tmp):
    subprocess.run([PLINK, *args, "--out", os.path.join(tmp, "out")], check=True, capture_output=True)


def main():
    versions = subprocess.run([PLINK, "--version"], capture_output=True, text=True).stdout.strip()
    with open(os.path.join(HERE, "VERSIONS"), "w") as f:
        f.write(versions + "\n")
    for case, lead, dataset, tissue in CASES:
        chrom, pos = lead.split(":")
        pos = int(pos)
        with tempfile.TemporaryDirectory() as tmp:
            base = ["--vcf", os.path.join(DATA, "geno", f"{dataset}.rn8.vcf.gz"), "--double-id",
                    "--allow-extra-chr", "--biallelic-only", "strict", "--threads", "1"]
            if tissue is not None:
                keep = os.path.join(tmp, "keep.txt")
                with open(os.path.join(DATA, "rat_ids", f"rat_ids.{tissue}.v4.txt")) as src, open(keep, "w") as dst:
                    for rat in src.read().split():
                        dst.write(f"{rat} {rat}\n")
                base += ["--keep", keep]
            # The exact dosage r2: the square matrix over the window, with the variants' order.
            plink(base + ["--chr", chrom, "--from-bp", str(max(1, pos - WINDOW)), "--to-bp", str(pos + WINDOW),
                          "--r2", "square", "bin", "--write-snplist"], tmp)
            with open(os.path.join(tmp, "out.snplist")) as f:
                ids = f.read().split()
            with open(os.path.join(tmp, "out.ld.bin"), "rb") as f:
                raw = f.read()
            m = len(ids)
            values = struct.unpack(f"<{m * m}d", raw)
            row = ids.index(lead)
            r2 = {ids[j]: values[row * m + j] for j in range(m)}
            # The haplotype-frequency r2 and D', as printed.
            plink(base + ["--r2", "dprime", "--ld-snp", lead, "--ld-window-kb", str(WINDOW // 1000),
                          "--ld-window", "99999", "--ld-window-r2", "0"], tmp)
            with open(os.path.join(tmp, "out.ld")) as f:
                lines = [line.split() for line in f.read().splitlines()[1:] if line.strip()]
            with open(os.path.join(HERE, f"{case}.tsv"), "w") as out:
                out.write(f"# lead {lead}, dataset {dataset}, rats {tissue or 'all'}, window {WINDOW}\n")
                out.write("variantId\tr2\tR2\tDP\n")
                for cells in lines:
                    snp_b, r2h, dp = cells[5], cells[6], cells[7]
                    out.write(f"{snp_b}\t{r2[snp_b]!r}\t{r2h}\t{dp}\n")
            print(case, len(lines), "pairs")


if __name__ == "__main__":
    main()

# Reference numbers for tests/coloc_gwas_test.ts: coloc 5's coloc.abf between each synthetic GWAS trait
# (fixtures/gwas/, SYNTHETIC) and every gene x tissue near its lead, the datasets assembled here from the raw
# files exactly as the test's documentation says colocGwas assembles them:
#   GWAS  list(type = "quant", beta = b, varbeta = se^2, N = 917, MAF = pmin(Freq, 1 - Freq), snp = SNP)
#         (A1 is the release's ALT in these files, so no allele is swapped), restricted to the variants the
#         gene's cis window shares with it; sdY estimated by coloc (sdY.est).
#   eQTL  list(type = "quant", beta = slope, varbeta = slope_se^2, sdY = 1, snp = variant_id)    mode "one"
#         list(type = "quant", beta, varbeta, N = n, MAF = pmin(af, 1 - af), snp)                mode "estimate"
# Modes: keep = every GWAS variant; drop = strand-ambiguous GWAS variants (A/T, C/G) left out first.
# Input: the folder written by export.ts (see there for the command lines). Output (stdout): TSV, %.17g.
lib <- Sys.getenv("COLOC_R_LIB")
if (lib != "") .libPaths(c(lib, .libPaths()))
suppressPackageStartupMessages(library(coloc))
d <- commandArgs(TRUE)[1]
eq <- read.delim(file.path(d, "eqtl.tsv"), stringsAsFactors = FALSE)
ambiguous <- function(a, b) paste0(a, b) %in% c("AT", "TA", "CG", "GC")
cat(paste(c("trait", "ambiguous", "sdy", "gene", "tissue", "nsnps", "PP.H0", "PP.H1", "PP.H2", "PP.H3", "PP.H4",
            "sdY1"), collapse = "\t"), "\n", sep = "")
runs <- list(c("A", "keep", "one"), c("B", "keep", "one"), c("C", "keep", "one"), c("B", "drop", "one"),
             c("C", "keep", "estimate"))
for (run in runs) {
  tr <- run[1]; amb <- run[2]; sdy <- run[3]
  gw <- read.delim(file.path(d, sprintf("synthetic_trait_%s.mlma", tr)), stringsAsFactors = FALSE)
  if (amb == "drop") gw <- gw[!ambiguous(gw$A1, gw$A2), ]
  e_tr <- eq[eq$trait == tr, ]
  for (key in unique(paste(e_tr$gene, e_tr$tissue))) {
    e <- e_tr[paste(e_tr$gene, e_tr$tissue) == key, ]
    e <- e[e$variant_id %in% gw$SNP, ]
    g <- gw[match(e$variant_id, gw$SNP), ]
    d1 <- list(beta = g$b, varbeta = g$se^2, N = 917, type = "quant", MAF = pmin(g$Freq, 1 - g$Freq), snp = g$SNP)
    d2 <- if (sdy == "one") {
      list(beta = e$slope, varbeta = e$slope_se^2, sdY = 1, type = "quant", snp = e$variant_id)
    } else {
      list(beta = e$slope, varbeta = e$slope_se^2, N = e$n, MAF = pmin(e$af, 1 - e$af), type = "quant",
           snp = e$variant_id)
    }
    invisible(capture.output(r <- suppressWarnings(suppressMessages(coloc.abf(d1, d2)))))
    s <- r$summary
    sdy1 <- coloc:::sdY.est(d1$varbeta, d1$MAF, d1$N)
    cat(paste(c(tr, amb, sdy, e$gene[1], e$tissue[1], s["nsnps"], sprintf("%.17g", s[2:6]), sprintf("%.17g", sdy1)),
              collapse = "\t"), "\n", sep = "")
  }
}

# Reference coloc.susie (coloc 5) between the synthetic GWAS trait C (fixtures/gwas/, SYNTHETIC) and SynG049
# in three tissues of the bundled release, for tests/coloc_susie_gwas_test.ts. Input: the folder export.ts
# wrote. What the test's documentation says colocSusieGwas does, done here with coloc's and susieR's own code:
#   GWAS: the .mlma restricted to the gene's cis-window variants; LD = cor() of their dosages over every rat
#         of the reference VCF (missing calls mean-imputed); s1 = coloc::runsusie(list(beta = b, varbeta = se^2,
#         N = 917, type = "quant", MAF, snp, LD)).
#   gene: dosages mean-imputed, y and X residualised on the covariates with an intercept (qr.resid),
#         s2 = susieR::susie(X, y) (defaults).
#   coloc::coloc.susie(s1, s2) with its default priors (p12 = 5e-6).
# Output (stdout): TSV, one row per pair of credible sets, numbers %.17g.
lib <- Sys.getenv("COLOC_R_LIB")
if (lib != "") .libPaths(c(lib, .libPaths()))
suppressPackageStartupMessages({ library(coloc); library(susieR) })
d <- commandArgs(TRUE)[1]
gw <- read.delim(file.path(d, "synthetic_trait_C.mlma"), stringsAsFactors = FALSE)
impute <- function(G) { for (j in seq_len(ncol(G))) { m <- G[, j] < 0; G[m, j] <- mean(G[!m, j]) }; G }
cat(paste(c("tissue", "idx1", "idx2", "hit1", "hit2", "nsnps", "PP.H0", "PP.H1", "PP.H2", "PP.H3", "PP.H4"),
          collapse = "\t"), "\n", sep = "")
for (tissue in c("Adipose", "Brain", "PL")) {
  t <- read.delim(file.path(d, sprintf("SynG049.%s.tsv", tissue)), check.names = FALSE, stringsAsFactors = FALSE)
  covs <- grep("^(geno|pheno)_PC", names(t), value = TRUE)
  vars <- grep("^chr", names(t), value = TRUE)
  q <- qr(cbind(1, as.matrix(t[, covs])))
  X <- qr.resid(q, impute(as.matrix(t[, vars])))
  y <- qr.resid(q, t$y)
  colnames(X) <- vars
  s2 <- susie(X, y)
  colnames(s2$lbf_variable) <- vars
  colnames(s2$alpha) <- vars
  gd <- read.delim(file.path(d, sprintf("gwas_dosages.%s.tsv", tissue)), check.names = FALSE)
  shared <- vars[vars %in% gw$SNP]
  LD <- cor(impute(as.matrix(gd[, shared])))
  g <- gw[match(shared, gw$SNP), ]
  d1 <- list(beta = g$b, varbeta = g$se^2, N = 917, type = "quant", MAF = pmin(g$Freq, 1 - g$Freq), snp = shared,
             LD = LD)
  invisible(capture.output(s1 <- suppressMessages(runsusie(d1))))
  invisible(capture.output(r <- suppressWarnings(suppressMessages(coloc.susie(s1, s2)))))
  s <- r$summary
  for (k in seq_len(nrow(s))) {
    cat(paste(c(tissue, s$idx1[k], s$idx2[k], s$hit1[k], s$hit2[k], s$nsnps[k],
                sprintf("%.17g", unlist(s[k, c("PP.H0.abf", "PP.H1.abf", "PP.H2.abf", "PP.H3.abf", "PP.H4.abf")]))),
              collapse = "\t"), "\n", sep = "")
  }
}

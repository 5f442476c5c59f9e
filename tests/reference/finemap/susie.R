# Reference fine-mapping of three loci of the bundled release (SYNTHETIC) with Debian's susieR, for
# tests/finemap_test.ts. Input: the folder export.ts wrote (one TSV per locus: sample, y, the covariates,
# then one column of ALT dosages per variant, -1 = missing). What the pipeline does before SuSiE, done here
# with R's own tools: missing dosages imputed with the variant's mean over the samples; y and every dosage
# column residualised on the covariates with an intercept (qr.resid of lm's QR); then susie(X, y) with
# susieR's defaults (L = 10, coverage 0.95, min_abs_corr 0.5, estimate_prior_variance by optim).
# Output (stdout): JSON, every number with 17 significant digits.
suppressPackageStartupMessages({ library(susieR); library(jsonlite) })
d <- commandArgs(TRUE)[1]
loci <- c("SynG049.Adipose", "SynG021.Liver", "Cd300lf.IL")
out <- list(versions = list(susieR = as.character(packageVersion("susieR")), R = R.version.string))
for (locus in loci) {
  t <- read.delim(file.path(d, paste0(locus, ".tsv")), check.names = FALSE, stringsAsFactors = FALSE)
  covs <- grep("^(geno|pheno)_PC", names(t), value = TRUE)
  vars <- grep("^chr", names(t), value = TRUE)
  G <- as.matrix(t[, vars])
  for (j in seq_len(ncol(G))) {
    miss <- G[, j] < 0
    G[miss, j] <- mean(G[!miss, j])
  }
  q <- qr(cbind(1, as.matrix(t[, covs])))
  X <- qr.resid(q, G)
  y <- qr.resid(q, t$y)
  fit <- susie(X, y)
  sets <- lapply(seq_along(fit$sets$cs), function(k) list(
    variants = I(vars[fit$sets$cs[[k]]]),
    cs_index = fit$sets$cs_index[k],
    coverage = fit$sets$coverage[k],
    purity = unname(unlist(fit$sets$purity[k, ]))
  ))
  out[[locus]] <- list(variants = vars, pip = unname(fit$pip), elbo = fit$elbo, niter = fit$niter,
                       converged = fit$converged, lbf = fit$lbf, sigma2 = fit$sigma2, V = fit$V, sets = sets)
}
cat(toJSON(out, digits = I(17), auto_unbox = TRUE, pretty = FALSE), "\n")

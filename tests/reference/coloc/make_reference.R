# Reference numbers for lib/analysis/genetics/coloc.ts, made by the coloc R package itself.
#
# coloc is not in Debian: fetch it (github.com/chr1swallace/coloc, tag v5.2.3 = coloc 5) and install it into a
# library OUTSIDE this repository, then run this script from the repository root:
#
#   R CMD INSTALL -l /work/rlib /path/to/coloc-checkout          # needs r-cran-data.table, -ggplot2, -viridis,
#                                                               # -matrixStats, -susier (all in Debian)
#   COLOC_R_LIB=/work/rlib Rscript tests/reference/coloc/make_reference.R
#
# It writes, beside itself:
#   abf_reference.json    coloc.abf: the vignette's D1/D2 (quant, sdY given), the same with sdY estimated, as
#                         case-control, as p-values + MAF + N, and synthetic loci simulated here (shared causal
#                         variant, distinct causal variants, a null trait, case-control p-values with partial
#                         variant overlap and shuffled order, priors large enough to be adjusted). Inputs are
#                         rounded to 15 significant digits BEFORE coloc sees them, so the JSON holds exactly
#                         what coloc computed on.
#   susie_reference.json  coloc.susie on the vignette "Coloc: using SuSiE to relax the single causal variant
#                         assumption" (runsusie = susieR::susie_rss on D3, D4), with and without a null column,
#                         and coloc.bf_bf on those lbf matrices with partial variant overlap (pairs trimmed,
#                         all pairs trimmed) and other priors. The lbf matrices are recorded, so the TypeScript
#                         tests need no SuSiE.
# Versions used are recorded in each file ("versions").

lib <- Sys.getenv("COLOC_R_LIB")
if (lib == "") stop("set COLOC_R_LIB to the R library where coloc is installed")
.libPaths(c(lib, .libPaths()))
suppressPackageStartupMessages({
  library(coloc)
  library(susieR)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
outdir <- if (length(script)) dirname(normalizePath(script)) else "tests/reference/coloc"

versions <- list(coloc = as.character(packageVersion("coloc")), susieR = as.character(packageVersion("susieR")),
                 R = R.version.string)
r15 <- function(x) signif(x, 15)
quiet <- function(expr) {
  # coloc.abf prints its summary; keep stdout for this script's own lines. Warnings are recorded, not printed.
  warnings <- character(0)
  value <- withCallingHandlers(
    { capture.output(v <- suppressMessages(expr)); v },
    warning = function(w) { warnings <<- c(warnings, conditionMessage(w)); invokeRestart("muffleWarning") })
  list(value = value, warnings = warnings)
}

# A coloc dataset with every vector rounded to 15 significant digits (what the JSON can hold exactly).
rounded <- function(d) {
  for (v in intersect(names(d), c("beta", "varbeta", "pvalues", "MAF", "sdY", "s"))) d[[v]] <- r15(d[[v]])
  d$LD <- NULL
  d
}

# ---------------------------------------------------------------------------------------------- coloc.abf
data(coloc_test_data)
D1 <- rounded(coloc_test_data$D1)
D2 <- rounded(coloc_test_data$D2)

datasets <- list(D1 = D1, D2 = D2)

# D1/D2 as p-values: two-sided normal p of beta/se, as coloc's own check_dataset computes them.
pv <- function(d) r15(2 * pnorm(-abs(d$beta / sqrt(d$varbeta))))
datasets$D1_p <- list(type = "quant", snp = D1$snp, pvalues = pv(D1), MAF = D1$MAF, N = D1$N)
datasets$D2_p <- list(type = "quant", snp = D2$snp, pvalues = pv(D2), MAF = D2$MAF, N = D2$N)

# Synthetic loci: dosages from two haplotypes of an AR(1) latent normal (LD decays as rho^distance),
# allele frequencies 0.05-0.5; traits = effect x causal dosage + normal noise; marginal OLS per variant.
set.seed(20240524)
simulate_genotypes <- function(n, p, rho, thr) {
  hap <- function() {
    z <- matrix(rnorm(n * p), n, p)
    for (j in 2:p) z[, j] <- rho * z[, j - 1] + sqrt(1 - rho^2) * z[, j]
    (z < matrix(thr, n, p, byrow = TRUE)) * 1
  }
  hap() + hap()
}
marginal_ols <- function(G, y) {
  gc <- sweep(G, 2, colMeans(G))
  yc <- y - mean(y)
  sxx <- colSums(gc^2)
  beta <- colSums(gc * yc) / sxx
  rss <- colSums((yc - gc * matrix(beta, nrow(G), ncol(G), byrow = TRUE))^2)
  list(beta = beta, varbeta = rss / (nrow(G) - 2) / sxx)
}
maf_of <- function(G) { af <- colMeans(G) / 2; pmin(af, 1 - af) }
p_syn <- 400
thr <- qnorm(runif(p_syn, 0.05, 0.5))
ids <- sprintf("chr7:%d", 10000000 + 250 * seq_len(p_syn))
quant_dataset <- function(G, y, keep_sdY = TRUE) {
  ok <- maf_of(G) > 0
  f <- marginal_ols(G[, ok], y)
  d <- list(type = "quant", snp = ids[ok], beta = r15(f$beta), varbeta = r15(f$varbeta), MAF = r15(maf_of(G)[ok]),
            N = nrow(G))
  if (keep_sdY) d$sdY <- r15(sd(y))
  d
}
G1 <- simulate_genotypes(600, p_syn, 0.95, thr)
G2 <- simulate_genotypes(400, p_syn, 0.95, thr)
datasets$shared1 <- quant_dataset(G1, 0.50 * G1[, 200] + rnorm(600, sd = 1.2))
datasets$shared2 <- quant_dataset(G2, 0.45 * G2[, 200] + rnorm(400))
datasets$distinct1 <- quant_dataset(G1, 0.35 * G1[, 80] + rnorm(600))
datasets$distinct2 <- quant_dataset(G2, 0.50 * G2[, 330] + rnorm(400), keep_sdY = FALSE) # sdY estimated
datasets$null2 <- quant_dataset(G2, rnorm(400, sd = 2))

# Case-control: liability threshold (about 40 % cases); trait 1 as p-values (+ MAF, N, s), trait 2 as
# logistic-regression log-OR and its variance; variants partly shared, trait 2 in shuffled order.
G3 <- simulate_genotypes(1000, p_syn, 0.95, thr)
G4 <- simulate_genotypes(800, p_syn, 0.95, thr)
case1 <- as.numeric(0.80 * G3[, 260] + rnorm(1000) > 0.45)
case2 <- as.numeric(0.80 * G4[, 262] + rnorm(800) > 0.40)
ok3 <- maf_of(G3) > 0
ok3[1:30] <- FALSE # variants trait 2 lacks
p_cc <- apply(G3[, ok3], 2, function(g) summary(glm(case1 ~ g, family = binomial))$coefficients[2, 4])
datasets$cc1_p <- list(type = "cc", snp = ids[ok3], pvalues = r15(p_cc), MAF = r15(maf_of(G3)[ok3]), N = 1000,
                       s = r15(mean(case1)))
ok4 <- maf_of(G4) > 0
ok4[(p_syn - 19):p_syn] <- FALSE # variants trait 1 lacks
fits <- t(apply(G4[, ok4], 2, function(g) summary(glm(case2 ~ g, family = binomial))$coefficients[2, 1:2]))
shuffle <- sample(sum(ok4))
datasets$cc2 <- list(type = "cc", snp = ids[ok4][shuffle], beta = r15(fits[shuffle, 1]),
                     varbeta = r15(fits[shuffle, 2]^2), MAF = r15(maf_of(G4)[ok4][shuffle]), N = 800,
                     s = r15(mean(case2)))

derive <- function(name, omit = character(0), set = list()) {
  d <- datasets[[name]]
  for (v in omit) d[[v]] <- NULL
  for (v in names(set)) d[[v]] <- set[[v]]
  d
}
abf_cases <- list(
  list(name = "vignette D1/D2 (quant, sdY given)", dataset1 = list(name = "D1"), dataset2 = list(name = "D2")),
  list(name = "vignette D1/D2, sdY estimated from varbeta, MAF, N",
       dataset1 = list(name = "D1", omit = "sdY"), dataset2 = list(name = "D2", omit = "sdY")),
  list(name = "vignette D1/D2 as case-control (beta = log OR)",
       dataset1 = list(name = "D1", omit = "sdY", set = list(type = "cc", s = 0.4)),
       dataset2 = list(name = "D2", omit = "sdY", set = list(type = "cc", s = 0.3))),
  list(name = "vignette D1/D2 as p-values + MAF + N (quant)", dataset1 = list(name = "D1_p"),
       dataset2 = list(name = "D2_p")),
  list(name = "vignette D1 p-values as case-control, D2 beta", dataset1 = list(name = "D1_p",
       set = list(type = "cc", s = 0.25)), dataset2 = list(name = "D2")),
  list(name = "vignette D1/D2 with other priors", dataset1 = list(name = "D1"), dataset2 = list(name = "D2"),
       options = list(p1 = 1e-3, p2 = 5e-4, p12 = 1e-6)),
  list(name = "synthetic: shared causal variant", dataset1 = list(name = "shared1"),
       dataset2 = list(name = "shared2")),
  list(name = "synthetic: distinct causal variants (trait 2 sdY estimated)", dataset1 = list(name = "distinct1"),
       dataset2 = list(name = "distinct2")),
  list(name = "synthetic: trait 2 null", dataset1 = list(name = "distinct1"), dataset2 = list(name = "null2")),
  list(name = "synthetic: case-control, p-values vs log-OR, partial overlap, shuffled",
       dataset1 = list(name = "cc1_p"), dataset2 = list(name = "cc2")),
  list(name = "synthetic: priors adjusted (nsnps * p >= 1)", dataset1 = list(name = "shared1"),
       dataset2 = list(name = "shared2"), options = list(p1 = 3e-3, p2 = 3e-3, p12 = 3e-3))
)

credible_set <- function(results, coverage = 0.95) {
  # As the coloc vignette: order by SNP.PP.H4, the first prefix whose cumulative sum exceeds the coverage.
  o <- order(results$SNP.PP.H4, decreasing = TRUE)
  cs <- cumsum(results$SNP.PP.H4[o])
  w <- which(cs > coverage)[1]
  results$snp[o][1:w]
}

for (k in seq_along(abf_cases)) {
  cs <- abf_cases[[k]]
  d1 <- do.call(derive, cs$dataset1)
  d2 <- do.call(derive, cs$dataset2)
  opts <- if (is.null(cs$options)) list() else cs$options
  run <- quiet(do.call(coloc.abf, c(list(dataset1 = d1, dataset2 = d2), opts)))
  r <- run$value
  s <- r$summary
  abf_cases[[k]]$expected <- list(
    nsnps = unname(s["nsnps"]),
    pp = unname(s[paste0("PP.H", 0:4, ".abf")]),
    priors = as.list(r$priors),
    results = list(snp = r$results$snp, lABF1 = r$results$lABF.df1, lABF2 = r$results$lABF.df2,
                   snpPpH4 = r$results$SNP.PP.H4),
    credibleSet = credible_set(r$results),
    warnings = run$warnings)
  cat(sprintf("%-70s nsnps %4d  H3 %.6g  H4 %.6g\n", cs$name, s["nsnps"], s["PP.H3.abf"], s["PP.H4.abf"]))
}

write_json(list(versions = versions, note = "made by make_reference.R (see its header)", datasets = datasets,
                cases = abf_cases),
           file.path(outdir, "abf_reference.json"), digits = NA, auto_unbox = TRUE, pretty = FALSE)

# ------------------------------------------------------------------------------- coloc.susie / coloc.bf_bf
D3 <- coloc_test_data$D3
D4 <- coloc_test_data$D4
fit <- function(d, ...) quiet(runsusie(d, ...))$value
S3 <- fit(D3)
S4 <- fit(D4)
S3n <- fit(D3, null_weight = 0.1)
S4n <- fit(D4, null_weight = 0.1)

fit_json <- function(s) {
  lbf <- s$lbf_variable
  list(lbfVariable = unname(lbf), columns = colnames(lbf), csIndex = s$sets$cs_index)
}
# susieR's lbf rounded to 10 significant digits (a smaller file); coloc runs on those very numbers below.
rounded_fit <- function(s) { s$lbf_variable[] <- signif(s$lbf_variable, 10); s }
fits <- list(S3 = S3, S4 = S4, S3n = S3n, S4n = S4n)
fits <- lapply(fits, rounded_fit)

summary_json <- function(ret) {
  sm <- as.data.frame(ret$summary)
  rows <- lapply(seq_len(nrow(sm)), function(i) {
    list(nsnps = sm$nsnps[i], hit1 = sm$hit1[i], hit2 = sm$hit2[i],
         pp = unname(unlist(sm[i, paste0("PP.H", 0:4, ".abf")])), idx1 = sm$idx1[i], idx2 = sm$idx2[i])
  })
  pp <- if (is.null(ret$results)) NULL else as.data.frame(ret$results)
  list(summary = rows, results = if (is.null(pp)) NULL else list(snp = pp$snp, snpPpH4 = unname(as.list(pp[, -1, drop = FALSE]))),
       priors = if (is.null(ret$priors)) NULL else as.list(ret$priors))
}

susie_cases <- list()
add_susie <- function(name, f1, f2, opts = list()) {
  run <- quiet(do.call(coloc.susie, c(list(fits[[f1]], fits[[f2]]), opts)))
  susie_cases[[length(susie_cases) + 1]] <<- list(name = name, fit1 = f1, fit2 = f2, options = opts,
                                                   expected = c(summary_json(run$value), list(warnings = run$warnings)))
}
add_susie("vignette: coloc.susie(S3, S4)", "S3", "S4")
add_susie("vignette fits with null_weight = 0.1 (a null column)", "S3n", "S4n")
add_susie("vignette, p12 = 1e-5", "S3", "S4", list(p12 = 1e-5))

bf_cases <- list()
add_bf <- function(name, f1, rows1, cols1, f2, rows2, cols2, opts = list()) {
  b1 <- fits[[f1]]$lbf_variable[rows1, cols1, drop = FALSE]
  b2 <- fits[[f2]]$lbf_variable[rows2, cols2, drop = FALSE]
  run <- quiet(do.call(coloc.bf_bf, c(list(b1, b2), opts)))
  ret <- run$value
  bf_cases[[length(bf_cases) + 1]] <<- list(
    name = name, bf1 = list(fit = f1, rows = rows1, columns = colnames(b1)),
    bf2 = list(fit = f2, rows = rows2, columns = colnames(b2)), options = opts,
    expected = c(if (is.list(ret) && !is.data.frame(ret)) summary_json(ret) else list(summary = list()),
                 list(warnings = run$warnings)))
}
add_bf("all rows, all variants", "S3", c(1, 2), 1:500, "S4", 1, 1:500)
add_bf("effects 1-3 of both fits (3 x 3 pairs; effect 3 is no signal)", "S3", 1:3, 1:500, "S4", 1:3, 1:500)
add_bf("trait 2 lacks s1-s99: pairs whose signal falls outside trimmed", "S3", c(1, 2), 1:500, "S4", 1,
       100:500)
add_bf("trait 2 lacks s1-s200: every pair trimmed", "S3", c(1, 2), 1:500, "S4", 1, 201:500)
add_bf("trait 2 lacks s1-s99, no trimming", "S3", c(1, 2), 1:500, "S4", 1, 100:500,
       list(trim_by_posterior = FALSE))
add_bf("null columns, partial overlap, overlap.min 0.3", "S3n", c(1, 2), c(1:450, 501), "S4n", c(1, 2),
       c(60:501), list(overlap.min = 0.3))
add_bf("other priors", "S3", c(1, 2), 1:500, "S4", 1, 1:500, list(p1 = 1e-3, p2 = 2e-4, p12 = 1e-4))

for (cs in c(susie_cases, bf_cases)) {
  for (row in cs$expected$summary) {
    cat(sprintf("%-70s %s/%s H3 %s H4 %s\n", cs$name, row$hit1, row$hit2, format(row$pp[4], digits = 6),
                format(row$pp[5], digits = 6)))
  }
}

write_json(list(versions = versions, note = "made by make_reference.R (see its header)",
                fits = lapply(fits, fit_json), susieCases = susie_cases, bfCases = bf_cases),
           file.path(outdir, "susie_reference.json"), digits = NA, auto_unbox = TRUE, pretty = FALSE,
           na = "null")

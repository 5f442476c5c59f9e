# Reference SuSiE fits from susieR, for tests/susie_test.ts.
#
# Re-run (from the repository root) with Debian's R and susieR:
#   apt-get install r-base-core r-cran-susier      # susieR 0.12.35, R 4.2
#   Rscript tests/reference/susie/make_reference.R
# It writes, beside itself:
#   n3_input.json   susieR's own N3finemapping data (X 574 x 1001, Y column 1), X stored exactly and
#                   compactly: per column its distinct values, and per cell the index of its value
#                   (bytes, zlib-compressed, base64);
#   reference.json  the fits: susie() with its defaults on N3finemapping and on three synthetic loci made
#                   here from a fixed seed (two causal variants each), susie_rss() with in-sample LD on the
#                   N3 z-scores and on locus A, and susieR's behaviour on degenerate inputs.
# Numbers are written with 17 significant digits (jsonlite digits = NA is 15).

suppressMessages({
  library(susieR)
  library(jsonlite)
})
stopifnot(packageVersion("susieR") == "0.12.35")

here <- (function() {
  args <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", args[grep("^--file=", args)])
  if (length(f) == 1) dirname(normalizePath(f)) else "tests/reference/susie"
})()

# Exact doubles in JSON: format with %.17g and let jsonlite pass them through as JSON numbers.
num <- function(x) {
  x <- as.numeric(x)
  out <- sprintf("%.17g", x)
  out[is.na(x)] <- "null"
  out[is.infinite(x) & x > 0] <- "\"Infinity\""
  out[is.infinite(x) & x < 0] <- "\"-Infinity\""
  json(paste0("[", paste(out, collapse = ","), "]"))
}
json <- function(text) structure(text, class = "json")
rows <- function(m) json(paste0("[", paste(apply(m, 1, function(r) num(r)), collapse = ","), "]"))

# A column-major matrix as distinct values per column + byte codes, zlib-compressed, base64.
encode_matrix <- function(X) {
  levels <- lapply(seq_len(ncol(X)), function(j) sort(unique(X[, j])))
  stopifnot(all(lengths(levels) <= 255))
  codes <- unlist(lapply(seq_len(ncol(X)), function(j) match(X[, j], levels[[j]]) - 1L))
  packed <- memCompress(as.raw(codes), type = "gzip")
  list(
    rows = nrow(X), columns = ncol(X),
    levels = json(paste0("[", paste(vapply(levels, function(v) num(v), ""), collapse = ","), "]")),
    codes = base64_enc(packed)
  )
}

fit_json <- function(fit) {
  sets <- list()
  if (!is.null(fit$sets$cs)) {
    for (k in seq_along(fit$sets$cs)) {
      sets[[k]] <- list(
        variants = I(as.integer(fit$sets$cs[[k]])),
        coverage = num(fit$sets$coverage[k]),
        purity = num(unlist(fit$sets$purity[k, ])),
        cs_index = as.integer(fit$sets$cs_index[k])
      )
    }
  }
  list(
    pip = num(fit$pip),
    sets = sets,
    lbf = num(fit$lbf),
    lbf_variable = rows(fit$lbf_variable),
    alpha = rows(fit$alpha),
    V = num(fit$V),
    sigma2 = num(fit$sigma2),
    elbo = num(fit$elbo),
    niter = fit$niter,
    converged = fit$converged,
    intercept = num(if (is.null(fit$intercept)) NA else fit$intercept)
  )
}

# The outcome of a call: its fit, or susieR's error message.
outcome <- function(expr) {
  tryCatch(list(fit = fit_json(expr)), error = function(e) list(error = conditionMessage(e)))
}

# ---- N3finemapping ------------------------------------------------------------------------------
data(N3finemapping)
X3 <- N3finemapping$X
y3 <- N3finemapping$Y[, 1]
fit3 <- susie(X3, y3)
stopifnot(identical(unname(lengths(fit3$sets$cs)), c(1L, 2L, 27L)))
stopifnot(all(c(653, 773, 403) %in% unlist(fit3$sets$cs)))

# susie_rss with in-sample LD: z from univariate regressions, R = cor(X).
uni <- univariate_regression(X3, y3)
z3 <- uni$betahat / uni$sebetahat
R3 <- cor(X3)
fit3_rss <- susie_rss(z3, R3, n = nrow(X3))

# ---- Synthetic loci (two causal variants each) -------------------------------------------------
# Haplotypes as a Markov chain along the variants: each keeps the previous allele with probability
# `keep`, else draws afresh at the variant's allele frequency; a rat's dosage is the sum of two.
make_genotypes <- function(n, p, keep) {
  freq <- runif(p, 0.1, 0.5)
  haplotype <- function() {
    h <- integer(p)
    h[1] <- rbinom(1, 1, freq[1])
    for (j in 2:p) h[j] <- if (runif(1) < keep) h[j - 1] else rbinom(1, 1, freq[j])
    h
  }
  X <- t(vapply(seq_len(n), function(i) haplotype() + haplotype(), numeric(p)))
  storage.mode(X) <- "double"
  X
}
set.seed(20250125)
loci <- list(
  A = list(n = 400, p = 500, keep = 0.9, causal = c(120, 380), effect = c(0.7, -0.7)),
  B = list(n = 150, p = 600, keep = 0.95, causal = c(100, 160), effect = c(1.0, 0.9)),
  C = list(n = 300, p = 300, keep = 0.97, causal = c(60, 220), effect = c(0.6, 0.5))
)
loci_out <- list()
for (name in names(loci)) {
  spec <- loci[[name]]
  X <- make_genotypes(spec$n, spec$p, spec$keep)
  y <- drop(X[, spec$causal] %*% spec$effect) + rnorm(spec$n)
  loci_out[[name]] <- list(
    X = encode_matrix(X), y = num(y), causal = as.integer(spec$causal),
    fit = fit_json(susie(X, y)), X_raw = X, y_raw = y
  )
}

# susie_rss on locus A with in-sample LD.
XA <- loci_out$A$X_raw
yA <- loci_out$A$y_raw
uniA <- univariate_regression(XA, yA)
zA <- uniA$betahat / uniA$sebetahat
fitA_rss <- susie_rss(zA, cor(XA), n = nrow(XA))

# ---- Other settings: non-convergence, null weight, EM, residual variance in susie_rss -------------
settings <- list(
  n3_max_iter_2 = outcome(suppressWarnings(susie(X3, y3, max_iter = 2))),
  locusA_null_weight = outcome(susie(XA, yA, null_weight = 0.1)),
  locusA_em = outcome(susie(XA, yA, estimate_prior_method = "EM")),
  n3_rss_residual_variance = outcome(suppressMessages(susie_rss(z3, R3, n = nrow(X3),
                                                                estimate_residual_variance = TRUE)))
)
# The other options, on a small window (locus A's first 50 variants and its two causal ones).
Xs <- cbind(XA[, 1:50], XA[, 120], XA[, 380])
options <- list(
  unstandardized = outcome(susie(Xs, yA, standardize = FALSE)),
  no_intercept = outcome(susie(Xs, yA, intercept = FALSE)),
  prior_weights = outcome(susie(Xs, yA, prior_weights = rep(c(1, 3), 26))),
  fixed_residual_variance = outcome(susie(Xs, yA, estimate_residual_variance = FALSE, residual_variance = 1.2)),
  check_null_threshold = outcome(susie(Xs, yA, check_null_threshold = 0.1)),
  fixed_prior_variance = outcome(susie(Xs, yA, estimate_prior_variance = FALSE, scaled_prior_variance = 0.1)),
  simple = outcome(susie(Xs, yA, estimate_prior_method = "simple")),
  L_2_coverage_0.8 = outcome(susie(Xs, yA, L = 2, coverage = 0.8, min_abs_corr = 0.9))
)

# susie_rss with z-scores that the LD contradicts: no convergence in 100 iterations, and with more
# iterations the prior-variance check stops it.
R_bad <- matrix(c(1, 0.9999, 0.9999, 1), 2, 2)
R_asym <- matrix(c(1, 0.99, 0.5, 0.9, 1, 0.5, 0.5, 0.5, 1), 3, 3)
mismatch <- list(
  R = num(R_bad), z = num(c(5, 0)), n = 1000,
  not_converged = outcome(suppressWarnings(susie_rss(c(5, 0), R_bad, n = 1000))),
  prior_check = outcome(susie_rss(c(5, 0), R_bad, n = 1000, max_iter = 2000)),
  asymmetric_R = num(R_asym), asymmetric_z = num(c(3, 2, 1)),
  asymmetric = outcome(suppressMessages(susie_rss(c(3, 2, 1), R_asym, n = 1000)))
)

# ---- Degenerate inputs ----------------------------------------------------------------------------
X50 <- XA[, 1:50]
degenerate <- list(
  one_variant = outcome(susie(XA[, 120, drop = FALSE], yA)),
  duplicated_columns = outcome(susie(cbind(X50, XA[, 120], XA[, 120]), yA)),
  constant_phenotype = outcome(susie(X50, rep(1.5, nrow(XA)))),
  missing_genotype = outcome(susie(`[<-`(X50, 3, 7, NA), yA)),
  all_missing_genotypes = outcome(susie(matrix(NA_real_, nrow(XA), 50), yA)),
  constant_genotypes = outcome(susie(matrix(rep(c(0, 1, 2, 2, 1), each = nrow(XA)), nrow(XA), 5), yA)),
  some_constant_genotypes = outcome(susie(cbind(X50[, 1:20], 1, XA[, 120], 2, X50[, 21:30]), yA)),
  L_above_p = outcome(susie(XA[, c(119, 120, 121)], yA, L = 10)),
  n_below_p = outcome(susie(XA[1:40, 101:160], yA[1:40]))
)

reference <- list(
  made_by = "tests/reference/susie/make_reference.R",
  R = R.version.string,
  susieR = as.character(packageVersion("susieR")),
  n3 = list(fit = fit_json(fit3), true_effects = which(N3finemapping$true_coef[, 1] != 0)),
  n3_rss = list(z = num(z3), n = nrow(X3), fit = fit_json(fit3_rss)),
  loci = lapply(loci_out, function(l) l[c("X", "y", "causal", "fit")]),
  locusA_rss = list(z = num(zA), n = nrow(XA), fit = fit_json(fitA_rss)),
  degenerate = degenerate,
  settings = settings,
  options = options,
  rss_mismatch = mismatch
)
n3_input <- list(X = encode_matrix(X3), y = num(y3))

write(toJSON(n3_input, auto_unbox = TRUE, json_verbatim = TRUE), file.path(here, "n3_input.json"))
write(toJSON(reference, auto_unbox = TRUE, json_verbatim = TRUE, null = "null"), file.path(here, "reference.json"))
cat("wrote", file.path(here, "n3_input.json"), "and", file.path(here, "reference.json"), "\n")

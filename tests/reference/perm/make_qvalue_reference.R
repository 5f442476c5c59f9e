# Reference q-values for tests/qvalue_test.ts: Bioconductor qvalue (Debian r-bioc-qvalue) on
# deterministic synthetic p-value vectors, as tensorQTL's post.calculate_qvalues calls it
# (qvalue(p, lambda = 0.85) through rpy2) and with a few other options.
#
# Run:  Rscript tests/reference/perm/make_qvalue_reference.R
# Writes tests/reference/perm/qvalue_reference.json (numbers as %.17g, which round-trip doubles exactly).
suppressPackageStartupMessages({
  library(qvalue)
  library(jsonlite)
})

out_file <- file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))),
                      "qvalue_reference.json")

num <- function(x) ifelse(is.na(x), NA, sprintf("%.17g", x))

cases <- list()
pvals <- list()
add <- function(name, p, lambda = 0.85, pfdr = FALSE, fdr.level = NULL, pi0 = NULL, p_name = name) {
  pvals[[p_name]] <<- I(num(p))
  args <- list(p = p, pfdr = pfdr)
  if (!is.null(lambda)) args$lambda <- lambda
  if (!is.null(fdr.level)) args$fdr.level <- fdr.level
  if (!is.null(pi0)) args$pi0 <- pi0
  res <- tryCatch(do.call(qvalue, args), error = function(e) e)
  case <- list(name = name, p = p_name, lambda = lambda, pfdr = pfdr,
               fdr_level = if (is.null(fdr.level)) NA else fdr.level, pi0_given = if (is.null(pi0)) NA else pi0)
  if (inherits(res, "error")) {
    case$error <- conditionMessage(res)
  } else {
    case$qvalues <- I(num(res$qvalues))
    case$pi0 <- num(res$pi0)
    case$pi0_lambda <- if (is.null(res$pi0.lambda)) NA else num(res$pi0.lambda)
    if (!is.null(fdr.level)) case$significant <- I(res$significant)
  }
  cases[[length(cases) + 1]] <<- case
}

set.seed(20260803)
add("uniform_1000", runif(1000))
mix <- c(runif(700), rbeta(300, 0.1, 5))
add("mixture_1000", mix)
add("mixture_lambda_0.5", mix, lambda = 0.5, p_name = "mixture_1000")
add("mixture_lambda_0", mix, lambda = 0, p_name = "mixture_1000")
add("mixture_fdr_level", mix, fdr.level = 0.05, p_name = "mixture_1000")
add("mixture_pfdr", mix, pfdr = TRUE, p_name = "mixture_1000")
add("mixture_pi0_given", mix, lambda = NULL, pi0 = 0.7, p_name = "mixture_1000")
# ties, p = 1, p = 0, tiny p
add("ties_rounded", round(c(runif(400), rbeta(100, 0.2, 3)), 2))
add("ones_and_zeros", c(rep(1, 30), rep(0, 5), runif(65)))
add("tiny", c(1e-300, 5e-324, 1e-20, 1e-12, 1e-8, runif(45)))
# small m
add("m2", c(0.01, 0.9))
add("m3", c(0.5, 0.86, 0.002))
add("m5_all_above", c(0.9, 0.95, 0.99, 0.86, 1))
add("m1", c(0.9))  # R stops in the local-FDR step (density needs 2 points)
# no p-value reaches lambda: R stops ("The estimated pi0 <= 0")
add("none_above_lambda", c(0.01, 0.2, 0.5))
# R's mean() of a logical in long double: 115 of 2051 p-values >= 0.85 rounds differently from 115/2051
p <- c(runif(115, 0.85, 1), runif(2051 - 115, 0, 0.84))
add("long_double_mean", p)
# missing values
add("with_na", c(0.01, NA, 0.9, 0.95, NaN, 0.3))
# a tissue-sized pval_beta-like column: 3,000 genes, 40 % with eQTLs
add("tissue_3000", c(runif(1800), rbeta(1200, 0.05, 8)))

ref <- list(generator = "tests/reference/perm/make_qvalue_reference.R",
            qvalue_version = as.character(packageVersion("qvalue")),
            r_version = R.version.string, pvalues = pvals, cases = cases)
writeLines(toJSON(ref, auto_unbox = TRUE, na = "null", digits = NA), out_file)
cat("wrote", out_file, length(cases), "cases\n")

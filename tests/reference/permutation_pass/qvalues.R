# Reference q-values for tests/permutation_pass_test.ts: Bioconductor qvalue (Debian r-bioc-qvalue) on each
# tissue's published pval_beta column of the bundled miniature release (fixtures/data/v4/eqtl/top_assoc),
# genes in file order, as tensorQTL's post.calculate_qvalues calls it: qvalue(p, lambda = 0.85). Where no
# pval_beta of a tissue reaches 0.85, qvalue stops ("the estimated pi0 <= 0"); the bundled release then uses
# the largest of 0.80, 0.75, ... that some pval_beta reaches, and so does this script (it says which).
#
# Run from the repository root:  Rscript tests/reference/permutation_pass/qvalues.R
# Writes tests/reference/permutation_pass/qvalues.json (numbers as %.17g, which round-trip doubles exactly).
suppressPackageStartupMessages({
  library(qvalue)
  library(jsonlite)
})
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
top <- read.delim(file.path(here, "..", "..", "..", "fixtures", "data", "v4", "eqtl", "top_assoc.v4_rn8.tsv"),
                  colClasses = c(tissue = "character", gene_id = "character", pval_beta = "character"))
num <- function(x) sprintf("%.17g", x)
out <- list()
for (tissue in unique(top$tissue)) {
  rows <- top[top$tissue == tissue, ]
  p <- as.numeric(rows$pval_beta)
  lambda <- 0.85
  first <- tryCatch(qvalue(p, lambda = lambda), error = function(e) conditionMessage(e))
  while (max(p) < lambda) lambda <- round(lambda - 0.05, 2)
  res <- qvalue(p, lambda = lambda)
  out[[length(out) + 1]] <- list(
    tissue = tissue, lambda = lambda, pi0 = num(res$pi0),
    error_at_0.85 = if (is.character(first)) first else NA,
    gene_id = I(rows$gene_id), pval_beta = I(rows$pval_beta), qvalues = I(num(res$qvalues))
  )
}
writeLines(toJSON(list(generator = "tests/reference/permutation_pass/qvalues.R",
                       qvalue = as.character(packageVersion("qvalue")), R = R.version.string, tissues = out),
                  auto_unbox = TRUE, na = "null", digits = NA),
           file.path(here, "qvalues.json"))
cat("wrote qvalues.json:", length(out), "tissues\n")

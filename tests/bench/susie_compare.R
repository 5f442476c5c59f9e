# susieR's side of tests/bench/susie_compare.ts: reads the locus the TypeScript side wrote (X column-major
# float64 little-endian, y float64), fits susie(X, y, L = 10) once untimed and `runs` times timed, and
# prints JSON with the time of each timed fit (elapsed seconds, proc.time) and the last fit's PIPs, credible sets and iterations.
#   Rscript tests/bench/susie_compare.R <dir> <n> <p> <runs>
suppressMessages({
  library(susieR)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
n <- as.integer(args[2])
p <- as.integer(args[3])
runs <- as.integer(args[4])
X <- matrix(readBin(file.path(dir, "X.bin"), "double", n * p, endian = "little"), n, p)
y <- readBin(file.path(dir, "y.bin"), "double", n, endian = "little")
fit <- suppressMessages(susie(X, y, L = 10)) # warm-up: the first call loads susieR's functions
seconds <- numeric(runs)
for (r in seq_len(runs)) {
  t0 <- proc.time()[["elapsed"]]
  fit <- suppressMessages(susie(X, y, L = 10))
  seconds[r] <- proc.time()[["elapsed"]] - t0
}
cat(toJSON(list(
  susieR = as.character(packageVersion("susieR")),
  seconds = seconds,
  niter = fit$niter,
  pip = fit$pip,
  sets = unname(lapply(fit$sets$cs, function(s) I(as.integer(s))))
), auto_unbox = TRUE, digits = NA))

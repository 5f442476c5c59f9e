# Check the synthetic GWAS's truth with coloc 5 (chr1swallace/coloc, installed locally; not part of this
# repository): coloc.abf and coloc.susie (runsusie on each dataset's summary statistics with its in-sample
# LD) between each trait and its truth gene in every tissue where the gene was tested.
# Input: the folder written by export.ts. Output (stdout): one TSV row per trait x tissue.
suppressPackageStartupMessages({library(coloc); library(susieR)})
d <- commandArgs(TRUE)[1]
eq <- read.delim(file.path(d, "eqtl.tsv"), stringsAsFactors = FALSE)
dos <- read.delim(file.path(d, "dosages.tsv"), stringsAsFactors = FALSE)
n_gwas <- nrow(read.delim(file.path(d, "synthetic_traits.phen"), header = FALSE))
ld <- function(gene, set, snps) {
  x <- dos[dos$gene == gene & dos$set == set, ]
  m <- sapply(strsplit(x$dosages, ","), as.numeric)
  colnames(m) <- x$variant_id
  cor(m[, snps])
}
cat(paste(c("trait", "gene", "tissue", "independent_eqtls", "abf_PP.H3", "abf_PP.H4", "gwas_cs", "eqtl_cs",
            "susie_best_pair", "susie_PP.H3", "susie_PP.H4"), collapse = "\t"), "\n", sep = "")
traits <- c(A = "SynG004", B = "SynG021", C = "SynG049")
for (tr in names(traits)) {
  gene <- traits[[tr]]
  gw <- read.delim(file.path(d, sprintf("synthetic_trait_%s.mlma", tr)), stringsAsFactors = FALSE)
  for (tis in unique(eq$tissue[eq$gene == gene])) {
    e <- eq[eq$gene == gene & eq$tissue == tis, ]
    g <- gw[match(e$variant_id, gw$SNP), ]
    d1 <- list(beta = g$b, varbeta = g$se^2, N = n_gwas, type = "quant", MAF = pmin(g$Freq, 1 - g$Freq), snp = g$SNP)
    d2 <- list(beta = e$slope, varbeta = e$se^2, N = e$n[1], type = "quant", sdY = 1, snp = e$variant_id)
    invisible(capture.output(a <- suppressMessages(coloc.abf(d1, d2))$summary))
    d1$LD <- ld(gene, "gwas", d1$snp)
    d2$LD <- ld(gene, tis, d2$snp)
    s1 <- tryCatch(suppressWarnings(suppressMessages(runsusie(d1))), error = function(e) NULL)
    s2 <- tryCatch(suppressWarnings(suppressMessages(runsusie(d2))), error = function(e) NULL)
    cs1 <- if (is.null(s1)) 0 else length(s1$sets$cs)
    cs2 <- if (is.null(s2)) 0 else length(s2$sets$cs)
    best <- c("NA", NA, NA)
    if (cs1 > 0 && cs2 > 0) {
      invisible(capture.output(r <- suppressWarnings(suppressMessages(coloc.susie(s1, s2)))$summary))
      k <- which.max(r$PP.H4.abf)
      best <- c(paste0(r$hit1[k], "~", r$hit2[k]), sprintf("%.4f", r$PP.H3.abf[k]), sprintf("%.4f", r$PP.H4.abf[k]))
    }
    cat(paste(c(tr, gene, tis, e$independent_eqtls[1], sprintf("%.4f", a["PP.H3.abf"]), sprintf("%.4f", a["PP.H4.abf"]),
                cs1, cs2, best), collapse = "\t"), "\n", sep = "")
  }
}

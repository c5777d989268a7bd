# Reference EARS C1/C2 from R's surveillance package, for EarsMatchesRTests.
# Usage: Rscript earsc_reference.R DIR
# Reads every DIR/*.txt (one count per line) and prints CSV on stdout:
#   series,method,day,alarm,upperbound   (day 1-based, as R numbers them; upperbound to 17 digits)
# preceded by two comment lines with the package version and qnorm(1 - alpha).
suppressPackageStartupMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
alpha <- 0.001
cat(sprintf("# surveillance %s\n", as.character(packageVersion("surveillance"))))
cat(sprintf("# qnorm %.17g\n", qnorm(1 - alpha)))
cat("series,method,day,alarm,upperbound\n")
for (file in sort(list.files(args[1], pattern = "\\.txt$", full.names = TRUE))) {
  x <- scan(file, quiet = TRUE)
  s <- sts(observed = matrix(x, ncol = 1))
  for (method in c("C1", "C2")) {
    r <- earsC(s, control = list(method = method, baseline = 7, alpha = alpha))
    cat(sprintf("%s,%s,%d,%d,%.17g\n", basename(file), method, r@control$range,
                as.integer(r@alarm[, 1]), r@upperbound[, 1]), sep = "")
  }
}

# Reference negative-binomial baseline for BaselineModelTests: the fixed point of alternating
# glm(family = negative.binomial(theta)) and MASS::theta.mm, with the design of BaselineModel
# (intercept, trend per year, Tuesday..Sunday against Monday, cos and sin of 2*pi*t/365.25).
# Usage: Rscript baseline_reference.R FILE   (FILE: date,count rows, no header)
# Prints the coefficients in BaselineModel's order, then theta, one per line, to 17 digits.
suppressPackageStartupMessages(library(MASS))
d <- read.csv(commandArgs(trailingOnly = TRUE)[1], header = FALSE, col.names = c("date", "y"))
date <- as.Date(d$date)
t <- as.numeric(date - date[1])
day <- factor(format(date, "%u"), levels = as.character(1:7)) # ISO weekday, 1 = Monday
X <- data.frame(y = d$y, trend = t / 365.25, day = day, c = cos(2 * pi * t / 365.25), s = sin(2 * pi * t / 365.25))
control <- glm.control(epsilon = 1e-14, maxit = 200)
fit <- glm(y ~ trend + day + c + s, family = poisson, data = X, control = control)
theta <- theta.mm(X$y, fitted(fit), dfr = fit$df.residual)
for (i in 1:200) {
  fit <- glm(y ~ trend + day + c + s, family = negative.binomial(theta), data = X, control = control, start = coef(fit))
  previous <- theta
  theta <- theta.mm(X$y, fitted(fit), dfr = fit$df.residual)
  if (abs(theta - previous) < 1e-12 * theta) break
}
cat(sprintf("%.17g\n", c(coef(fit), theta)), sep = "")

# Reference values for test/models/survival/*.test.ts and test/models/special/distributions.test.ts.
# Run from the repository root:  Rscript test/models/survival/reference/telco.R
# Produced with R 4.2.2 and survival 3.5-3. Numbers are printed with 17 significant digits so that the
# tests can hold them as exact doubles.
suppressPackageStartupMessages(library(survival))
cat("survival", as.character(packageVersion("survival")), "\n")
f <- function(x) paste(sprintf("%.17g", x), collapse = ", ")
show <- function(label, x) cat(label, ": [", f(x), "]\n", sep = "")

## ---- distributions -------------------------------------------------------------------------
cat("\n## pnorm(x, lower.tail = FALSE)\n")
for (x in c(-3, -1, 0, 0.5, 1.96, 5, 10, 20, 37.5)) show(paste("pnorm upper", x), pnorm(x, lower.tail = FALSE))
for (x in c(-10, -1.5, 0.3)) show(paste("pnorm lower", x), pnorm(x))
cat("\n## pchisq(x, df, lower.tail = FALSE)\n")
for (a in list(c(0.5, 1), c(3.84, 1), c(10, 2), c(1, 3), c(30, 3), c(200, 2), c(0.01, 5), c(60, 10),
               c(12.5, 7), c(1000, 4), c(150, 100), c(90, 100), c(1e-6, 1))) {
  show(paste("pchisq", a[1], a[2]), pchisq(a[1], a[2], lower.tail = FALSE))
}
cat("\n## 2 * pt(-|t|, df)\n")
for (a in list(c(2, 5), c(0.5, 1), c(1.96, 1000), c(10, 3), c(3.3, 12), c(0, 4), c(40, 30), c(1.2, 2.5))) {
  show(paste("pt2", a[1], a[2]), 2 * pt(-abs(a[1]), a[2]))
}

## ---- Telco -------------------------------------------------------------------------------------
telco <- read.csv("datasets/WA_Fn-UseC_-Telco-Customer-Churn.csv", stringsAsFactors = FALSE)
telco$event <- as.integer(telco$Churn == "Yes")
cat("\nrows", nrow(telco), "tenure0", sum(telco$tenure == 0), "events", sum(telco$event), "\n")

for (ct in c("log", "log-log", "plain")) {
  km <- survfit(Surv(tenure, event) ~ 1, data = telco, conf.type = ct)
  cat("\n## KM overall conf.type =", ct, "\n")
  if (ct == "log") {
    show("time", km$time); show("n.risk", km$n.risk); show("n.event", km$n.event)
    show("n.censor", km$n.censor); show("surv", km$surv); show("std.err (of log S)", km$std.err)
    show("lower", km$lower); show("upper", km$upper)
  }
  s <- summary(km, times = c(1, 12, 24, 72))
  show("summary time", s$time); show("summary n.risk", s$n.risk); show("summary n.event", s$n.event)
  show("summary surv", s$surv); show("summary std.err (of S)", s$std.err)
  show("summary lower", s$lower); show("summary upper", s$upper)
  print(km)
  show("median table", summary(km)$table[c("median", "0.95LCL", "0.95UCL")])
}

km <- survfit(Surv(tenure, event) ~ Contract, data = telco)
cat("\n## KM by Contract (log)\n")
print(km)
show("table median", summary(km)$table[, "median"])
show("table LCL", summary(km)$table[, "0.95LCL"])
show("table UCL", summary(km)$table[, "0.95UCL"])
s <- summary(km, times = c(1, 12, 24, 72))
print(data.frame(strata = s$strata, time = s$time))
show("summary n.risk", s$n.risk); show("summary n.event", s$n.event)
show("summary surv", s$surv); show("summary std.err", s$std.err)
show("summary lower", s$lower); show("summary upper", s$upper)
s2 <- summary(km, times = c(0, 80), extend = TRUE)
print(data.frame(strata = s2$strata, time = s2$time, n.risk = s2$n.risk, surv = s2$surv))
show("extend surv", s2$surv); show("extend std.err", s2$std.err)

cat("\n## survdiff by Contract\n")
sd <- survdiff(Surv(tenure, event) ~ Contract, data = telco)
print(sd)
show("obs", sd$obs); show("exp", sd$exp); show("var", sd$var); show("chisq", sd$chisq)
show("p", pchisq(sd$chisq, length(sd$n) - 1, lower.tail = FALSE))

cat("\n## coxph Efron\n")
for (m in c("efron", "breslow")) {
  fit <- coxph(Surv(tenure, event) ~ MonthlyCharges + SeniorCitizen + Contract, data = telco, ties = m)
  cat("\n### method", m, "\n")
  print(summary(fit))
  show("coef", coef(fit)); show("se", sqrt(diag(vcov(fit)))); show("var", vcov(fit))
  show("z", coef(fit) / sqrt(diag(vcov(fit))))
  show("p", 2 * pnorm(-abs(coef(fit) / sqrt(diag(vcov(fit))))))
  show("loglik", fit$loglik); show("iter", fit$iter); show("means", fit$means)
  show("wald", fit$wald.test); show("score", fit$score)
  show("lrt", 2 * diff(fit$loglik))
  show("concordance", fit$concordance)
  z <- cox.zph(fit)
  print(z)
  show("zph chisq", z$table[, "chisq"]); show("zph df", z$table[, "df"]); show("zph p", z$table[, "p"])
  z2 <- cox.zph(fit, terms = FALSE)
  show("zph terms=FALSE chisq", z2$table[, "chisq"]); show("zph terms=FALSE p", z2$table[, "p"])
}

## ---- small hand-made data with ties -----------------------------------------------------------
cat("\n## ties data\n")
ties <- data.frame(
  time   = c(1, 1, 2, 2, 2, 3, 4, 4, 5, 6, 7, 8, 8, 9),
  status = c(1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0),
  x1     = c(0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0),
  x2     = c(0.5, 1.2, -0.3, 0.8, 2.0, -1.0, 0.1, 0.7, 1.5, -0.4, 0.9, 0.3, -0.2, 1.1)
)
for (m in c("efron", "breslow")) {
  fit <- coxph(Surv(time, status) ~ x1 + x2, data = ties, ties = m)
  cat("\n### ties method", m, "\n")
  show("coef", coef(fit)); show("se", sqrt(diag(vcov(fit)))); show("var", vcov(fit))
  show("loglik", fit$loglik); show("wald", fit$wald.test); show("score", fit$score)
  show("concordance", fit$concordance)
  z <- cox.zph(fit)
  show("zph chisq", z$table[, "chisq"]); show("zph p", z$table[, "p"])
}
km <- survfit(Surv(time, status) ~ 1, data = ties)
show("ties km time", km$time); show("ties km surv", km$surv); show("ties km std.err", km$std.err)
show("ties km lower", km$lower); show("ties km upper", km$upper)
show("ties median", summary(km)$table[c("median", "0.95LCL", "0.95UCL")])
sd <- survdiff(Surv(time, status) ~ x1, data = ties)
show("ties survdiff obs", sd$obs); show("ties survdiff exp", sd$exp); show("ties survdiff var", sd$var)
show("ties survdiff chisq", sd$chisq)

cat("\n## median exactly 0.5 on an interval; curve reaching 0\n")
km <- survfit(Surv(c(1, 2, 3, 4), c(1, 1, 1, 1)) ~ 1)
show("half surv", km$surv); show("half std.err", km$std.err); show("half lower", km$lower); show("half upper", km$upper)
show("half median", summary(km)$table[c("median", "0.95LCL", "0.95UCL")])
km <- survfit(Surv(c(1, 2, 2, 3, 5, 6), c(1, 1, 0, 1, 1, 1)) ~ 1)
show("zero surv", km$surv); show("zero std.err", km$std.err); show("zero lower", km$lower); show("zero upper", km$upper)
show("zero median", summary(km)$table[c("median", "0.95LCL", "0.95UCL")])
km <- survfit(Surv(c(1, 2, 2, 3, 5, 6), c(1, 1, 0, 1, 1, 1)) ~ 1, conf.type = "log-log")
show("zero loglog lower", km$lower); show("zero loglog upper", km$upper)
km <- survfit(Surv(c(1, 2, 2, 3, 5, 6), c(1, 1, 0, 1, 1, 1)) ~ 1, conf.type = "plain")
show("zero plain lower", km$lower); show("zero plain upper", km$upper)
s <- summary(km, times = c(0.5, 2.5, 10), extend = TRUE)
show("zero summary n.risk", s$n.risk); show("zero summary n.event", s$n.event); show("zero summary surv", s$surv)

cat("\n## separation\n")
sep <- data.frame(time = 1:8, status = c(1, 1, 1, 1, 0, 1, 0, 0), x = c(1, 1, 1, 1, 0, 0, 0, 0))
fit <- tryCatch(coxph(Surv(time, status) ~ x, data = sep), warning = function(w) conditionMessage(w))
print(fit)

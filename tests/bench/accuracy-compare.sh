#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# accuracy-compare.sh — Cumulus against statsmodels and R forecast::ets
#
#   tests/bench/accuracy-compare.sh [BUILD_DIR] [N_SYNTHETIC]
#
# Holds out the last 30 periods of every series, forecasts them with
#   - cumulus-cli forecast (ETS chosen by AICc, bounded Nelder–Mead),
#   - statsmodels ExponentialSmoothing: the same six additive models
#     (trend none/additive/damped × season none/additive), picked by AICc,
#   - R forecast::ets(model = "AZZ"): the same family, and ets() with its
#     default automatic choice (multiplicative models allowed),
#   - seasonal naive,
# and prints mean MASE (scaled by the in-sample seasonal naive error) and
# mean sMAPE. Series: N synthetic daily cost series from bench-forecast
# (default 100) and the public series in tests/data/series.
#
# Needs the Debian packages python3-statsmodels and r-cran-forecast; a
# reference whose package is missing is left out of the table.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build}
count=${2:-100}
cli=$build/src/cli/cumulus-cli
bench=$build/tests/bench/bench-forecast
py=/usr/bin/python3
holdout=30

for tool in "$cli" "$bench"; do
  if [ ! -x "$tool" ]; then
    echo "accuracy-compare: $tool is not built (ninja -C $build)" >&2
    exit 1
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/series" "$work/train" "$work/cumulus" "$work/statsmodels" "$work/ets" "$work/ets-auto"

"$bench" --export "$work/series" --series "$count"
cp "$src"/tests/data/series/*.csv "$work/series/"

# the training part of every file, and Cumulus' forecast from it
for f in "$work"/series/*.csv; do
  name=$(basename "$f")
  rows=$(($(wc -l < "$f") - 1))
  head -n $((rows - holdout + 1)) "$f" > "$work/train/$name"
  "$cli" forecast --input "$work/train/$name" --horizon "$holdout" > "$work/cumulus/$name"
done

have_statsmodels=no
if "$py" -c 'import statsmodels' 2>/dev/null; then
  have_statsmodels=yes
  "$py" - "$work" "$holdout" <<'PY'
import glob, os, sys, warnings
import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing

warnings.simplefilter("ignore")
work, h = sys.argv[1], int(sys.argv[2])
for path in sorted(glob.glob(os.path.join(work, "train", "*.csv"))):
    rows = [line.rstrip("\n").split(",") for line in open(path)][1:]
    y = np.array([float(r[1]) for r in rows])
    m = 24 if " " in rows[0][0] else 7
    best = None
    for trend, damped in ((None, False), ("add", False), ("add", True)):
        for seasonal in (None, "add"):
            if seasonal and len(y) < 2 * m:
                continue
            try:
                fit = ExponentialSmoothing(y, trend=trend, damped_trend=damped, seasonal=seasonal,
                                           seasonal_periods=m if seasonal else None,
                                           initialization_method="estimated").fit()
            except Exception:
                continue
            if np.isfinite(fit.aicc) and (best is None or fit.aicc < best.aicc):
                best = fit
    f = best.forecast(h)
    if y.min() >= 0:
        f = np.maximum(f, 0)
    with open(os.path.join(work, "statsmodels", os.path.basename(path)), "w") as out:
        out.write("mean\n" + "".join("%r\n" % float(v) for v in f))
PY
fi

have_r=no
if command -v Rscript > /dev/null 2>&1 && Rscript -e 'suppressMessages(library(forecast))' > /dev/null 2>&1; then
  have_r=yes
  Rscript - "$work" "$holdout" > /dev/null 2>&1 <<'RS'
args <- commandArgs(trailingOnly = TRUE)
work <- args[1]; h <- as.integer(args[2])
suppressMessages(library(forecast))
for (path in Sys.glob(file.path(work, "train", "*.csv"))) {
  d <- read.csv(path, colClasses = "character")
  y <- as.numeric(d[[2]])
  m <- if (grepl(" ", d[1, 1])) 24 else 7
  x <- ts(y, frequency = m)
  for (variant in c("ets", "ets-auto")) {
    fit <- if (variant == "ets") ets(x, model = "AZZ") else ets(x)
    f <- as.numeric(forecast(fit, h = h)$mean)
    if (min(y) >= 0) f <- pmax(f, 0)
    write.csv(data.frame(mean = f), file.path(work, variant, basename(path)), row.names = FALSE)
  }
}
RS
fi

"$py" - "$work" "$holdout" "$have_statsmodels" "$have_r" <<'PY'
import glob, os, sys

work, h = sys.argv[1], int(sys.argv[2])
methods = [("Cumulus ETS", "cumulus")]
if sys.argv[3] == "yes":
    methods.append(("statsmodels ES (AICc)", "statsmodels"))
if sys.argv[4] == "yes":
    methods += [("R ets(AZZ)", "ets"), ("R ets() auto", "ets-auto")]
methods.append(("seasonal naive", None))

def scores(y, m, f):
    train, test = y[:-h], y[-h:]
    scale = sum(abs(train[t] - train[t - m]) for t in range(m, len(train))) / (len(train) - m)
    mase = sum(abs(a - b) for a, b in zip(test, f)) / h / scale
    terms = [200 * abs(a - b) / (abs(a) + abs(b)) for a, b in zip(test, f) if abs(a) + abs(b) > 0]
    return mase, sum(terms) / len(terms) if terms else 0.0

groups = {"synthetic": [], "public": []}
for path in sorted(glob.glob(os.path.join(work, "series", "*.csv"))):
    name = os.path.basename(path)
    lines = list(open(path))[1:]
    y = [float(line.rstrip("\n").split(",")[1]) for line in lines]
    m = 24 if " " in lines[0].split(",")[0] else 7
    row = {}
    for label, folder in methods:
        if folder is None:
            f = [y[len(y) - h - m + i % m] for i in range(h)]
        else:
            fp = os.path.join(work, folder, name)
            idx = 1 if folder == "cumulus" else 0
            f = [float(line.rstrip("\n").split(",")[idx]) for line in list(open(fp))[1:]]
        row[label] = scores(y, m, f)
    groups["synthetic" if name.startswith("synthetic-") else "public"].append((name, row))

for group, rows in groups.items():
    if not rows:
        continue
    print("\n%s series: %d, last %d periods held out" % (group, len(rows), h))
    print("  %-24s %10s %10s" % ("method", "mean MASE", "mean sMAPE"))
    for label, _ in methods:
        mase = sum(r[label][0] for _, r in rows) / len(rows)
        smape = sum(r[label][1] for _, r in rows) / len(rows)
        print("  %-24s %10.3f %9.2f%%" % (label, mase, smape))
    if group == "public":
        print("\n  per series (MASE):")
        print("  %-20s" % "series" + "".join(" %12s" % label[:12] for label, _ in methods))
        for name, r in rows:
            print("  %-20s" % name[:20] + "".join(" %12.3f" % r[label][0] for label, _ in methods))
PY

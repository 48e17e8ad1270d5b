#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench-import.sh — import speed and memory of cumulus-cli against sqlite3
#
#   tests/bench/bench-import.sh [BUILD_DIR] [ROWS] [SHAPES]
#
# For each file shape in SHAPES (default "sorted shuffled") generates a
# FOCUS 1.0 CSV of ROWS rows (default 1,000,000, about 500 MB) in a
# temporary directory, then in the same run times
#   1. cumulus-cli import of it into an empty workspace, and
#   2. sqlite3's own `.import` of the same file into a bare table followed by
#      one GROUP BY rollup (provider × day, the work the ledger's rollups do),
# and prints seconds, rows/s and peak RSS of each and their ratio.
#   sorted:   one billing period (May 2024) of one AWS payer, rows in day order
#   shuffled: 18 billing periods (2023-01 … 2024-06) of two providers (AWS and
#             Azure billing accounts), every row at a random place in the file,
#             as real exports are not sorted — 36 (account, period) groups
# It then imports 20,000 and 200,000 row files to show that memory does not
# grow with the file.
# Targets: cumulus at most 0.5x the sqlite3 pair's time on both shapes;
# peak RSS < 64 MB.
set -eu

build=${1:-build}
rows=${2:-1000000}
shapes=${3:-sorted shuffled}
cli=$(cd "$build" && pwd)/src/cli/cumulus-cli
[ -x "$cli" ] || { echo "bench-import: no $cli; build first (ninja -C $build)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "bench-import: sqlite3 is not installed" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench-import: python3 is not installed" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cumulus-bench-import.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

generate() { # generate FILE ROWS [SHAPE]
  python3 - "$1" "$2" "${3:-sorted}" <<'EOF'
import math, random, sys
path, n, shape = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rnd = random.Random(42)
header = ("AvailabilityZone,BilledCost,BillingAccountId,BillingAccountName,BillingCurrency,"
          "BillingPeriodEnd,BillingPeriodStart,ChargeCategory,ChargeClass,ChargeDescription,"
          "ChargeFrequency,ChargePeriodEnd,ChargePeriodStart,CommitmentDiscountCategory,"
          "CommitmentDiscountId,CommitmentDiscountName,CommitmentDiscountStatus,"
          "CommitmentDiscountType,ConsumedQuantity,ConsumedUnit,ContractedCost,"
          "ContractedUnitPrice,EffectiveCost,InvoiceIssuerName,ListCost,ListUnitPrice,"
          "PricingCategory,PricingQuantity,PricingUnit,ProviderName,PublisherName,RegionId,"
          "RegionName,ResourceId,ResourceName,ResourceType,ServiceCategory,ServiceName,SkuId,"
          "SkuPriceId,SubAccountId,SubAccountName,Tags")
services = [("Amazon Elastic Compute Cloud", "Compute", "Instance", "Hours"),
            ("Amazon Simple Storage Service", "Storage", "Bucket", "GB-Mo"),
            ("Amazon Relational Database Service", "Databases", "DBInstance", "Hours"),
            ("AWS Lambda", "Compute", "Function", "Requests"),
            ("Amazon CloudFront", "Networking", "Distribution", "GB"),
            ("Amazon DynamoDB", "Databases", "Table", "ReadRequestUnits"),
            ("Amazon Elastic Block Store", "Storage", "Volume", "GB-Mo"),
            ("Amazon CloudWatch", "Management and Governance", "Metric", "Metrics")]
regions = [("us-east-1", "US East (N. Virginia)"), ("us-west-2", "US West (Oregon)"),
           ("eu-west-1", "Europe (Ireland)"), ("eu-central-1", "Europe (Frankfurt)"),
           ("ap-southeast-2", "Asia Pacific (Sydney)")]
accounts = [("111122223333", "prod-workloads"), ("444455556666", "dev-sandbox"),
            ("777788889999", "data-platform")]
tags = ['"{""env"":""prod"",""team"":""data""}"', '"{""env"":""dev""}"', "",
        '"{""env"":""prod"",""team"":""payments"",""costcenter"":""cc-104""}"', '"{""team"":""finops""}"']
ends = [""] + ["2024-05-%02dT00:00:00Z" % (d + 1) for d in range(1, 31)] + ["2024-06-01T00:00:00Z"]
# shuffled: row k of the sorted order goes to position (k * step) mod n, a
# permutation (step is prime to n) that scatters neighbours all over the file
step = 1
if shape == "shuffled":
    step = int(n * 0.6180339887) | 1
    while math.gcd(step, n) != 1:
        step += 2
inverse = pow(step, -1, n) if n > 1 else 0
months = [(2023 + m // 12, 1 + m % 12) for m in range(18)]  # 2023-01 … 2024-06
providers = [("AWS", "999988887777", "acme-payer", "Amazon Web Services, Inc."),
             ("Microsoft", "8611537", "acme-ea", "Microsoft")]
out = open(path, "w", buffering=1 << 20)
out.write(header + "\n")
w = out.write
for j in range(n):
    i = j * inverse % n if shape == "shuffled" else j
    s, cat, rtype, unit = services[i % len(services)]
    reg, regname = regions[(i // 8) % len(regions)]
    acc, accname = accounts[(i // 40) % len(accounts)]
    if shape == "shuffled":
        y, m = months[i % 18]
        prov, payer, payername, issuer = providers[(i // 18) % 2]
        ndays = [31, 29 if y % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        day = 1 + (i // 36) % ndays
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        bp_start, bp_end = "%04d-%02d-01T00:00:00Z" % (y, m), "%04d-%02d-01T00:00:00Z" % (ny, nm)
        start = "%04d-%02d-%02dT00:00:00Z" % (y, m, day)
        end = ("%04d-%02d-%02dT00:00:00Z" % (y, m, day + 1)) if day < ndays else bp_end
    else:
        day = 1 + i * 31 // n
        prov, payer, payername, issuer = providers[0]
        bp_start, bp_end = "2024-05-01T00:00:00Z", "2024-06-01T00:00:00Z"
        start, end = "2024-05-%02dT00:00:00Z" % day, ends[day]
    qty = rnd.randint(1, 2400) / 100
    price = rnd.choice((0.0116, 0.023, 0.192, 0.45, 0.0000002, 0.085))
    cost = "%.10f" % (qty * price)
    res = "arn:aws:%s:%s:%s:r-%06x" % (cat.lower()[:3], reg, acc, i % 50000)
    w("%sa,%s,%s,%s,USD,%s,%s,Usage,,"
      "$%s per %s,Usage-Based,%s,%s,,,,,,%s,%s,%s,%s,%s,"
      "\"%s\",%s,%s,Standard,%s,%s,%s,\"%s\",%s,%s,"
      "%s,res-%d,%s,%s,%s,SKU%05d,SKU%05d.PRICE,%s,%s,%s\n"
      % (reg, cost, payer, payername, bp_end, bp_start, price, unit, end, start, qty, unit, cost, price, cost,
         issuer, cost, price, qty, unit, prov, issuer, reg, regname, res, i % 50000, rtype, cat, s, i % 997,
         i % 997, acc, accname, tags[i % len(tags)]))
out.close()
EOF
}

peak_rss_kb() { # from /usr/bin/time -v output
  sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$1"
}

cpu_seconds() { # user + system, from /usr/bin/time -v output
  awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$1"
}

timed() { # timed LOG COMMAND… — wall seconds on stdout, /usr/bin/time -v in LOG.time
  log=$1
  shift
  start=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$log.time" "$@" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
  else
    "$@" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
  fi
  end=$(date +%s.%N)
  echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }'
}

printf "%-10s %-28s %8s %8s %12s %14s\n" "shape" "" "seconds" "CPU s" "rows/s" "peak RSS (MB)" >"$tmp/table"
for shape in $shapes; do
  echo "Generating $rows FOCUS rows, $shape…"
  generate "$tmp/focus.csv" "$rows" "$shape"
  size=$(du -m "$tmp/focus.csv" | cut -f1)
  echo "  $tmp/focus.csv: ${size} MB"
  sync

  echo "cumulus-cli import…"
  rm -rf "$tmp/ws" "$tmp/bare.db"
  t_cu=$(timed "$tmp/cu.log" "$cli" --workspace "$tmp/ws" import "$tmp/focus.csv")
  cat "$tmp/cu.log"
  rss_cu=$(peak_rss_kb "$tmp/cu.log.time" 2>/dev/null || echo "?")
  cpu_cu=$(cpu_seconds "$tmp/cu.log.time" 2>/dev/null || echo "?")

  echo "sqlite3 .import + GROUP BY…"
  t_sq=$(timed "$tmp/sq.log" sqlite3 "$tmp/bare.db" \
    ".mode csv" ".import $tmp/focus.csv focus" \
    "SELECT ProviderName, substr(ChargePeriodStart, 1, 10) AS day, SUM(BilledCost), SUM(EffectiveCost) FROM focus GROUP BY 1, 2;")
  rss_sq=$(peak_rss_kb "$tmp/sq.log.time" 2>/dev/null || echo "?")
  cpu_sq=$(cpu_seconds "$tmp/sq.log.time" 2>/dev/null || echo "?")

  awk -v s="$shape" -v n="$rows" -v a="$t_cu" -v b="$t_sq" -v ra="$rss_cu" -v rb="$rss_sq" \
      -v ca="$cpu_cu" -v cb="$cpu_sq" 'BEGIN {
    printf "%-10s %-28s %8.2f %8.2f %12.0f %14.1f\n", s, "cumulus-cli import", a, ca, n / a, ra / 1024
    printf "%-10s %-28s %8.2f %8.2f %12.0f %14.1f\n", s, "sqlite3 .import + GROUP BY", b, cb, n / b, rb / 1024
    printf "%-10s cumulus takes %.2fx the sqlite3 pair'"'"'s time (target <= 0.50), %.2fx its CPU time\n",
           s, a / b, ca / cb
  }' >>"$tmp/table"
  rm -f "$tmp/focus.csv"
done
echo
cat "$tmp/table"

echo
echo "Memory does not grow with the file:"
for n in 20000 200000; do
  generate "$tmp/f$n.csv" "$n"
  timed "$tmp/m$n.log" "$cli" --workspace "$tmp/ws$n" import "$tmp/f$n.csv" >/dev/null
done
rss_small=$(peak_rss_kb "$tmp/m20000.log.time")
rss_large=$(peak_rss_kb "$tmp/m200000.log.time")
awk -v a="$rss_small" -v b="$rss_large" 'BEGIN {
  printf "  peak RSS  20,000 rows: %.1f MB   200,000 rows: %.1f MB   difference: %.1f MB (limit 20)\n",
         a / 1024, b / 1024, (b - a) / 1024
  exit (b - a > 20 * 1024) }'

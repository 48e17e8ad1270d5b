#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Integration tests of `cumulus-cli import` (TAP).

    test-import.py CASE

Reads the shared samples from $CUMULUS_SHARED_DIR at run time and drives the
cumulus-cli named by $CUMULUS_CLI. Every expected figure is computed here,
independently of Cumulus, with exact decimals.
"""

import csv
import gzip
import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from decimal import Decimal, ROUND_HALF_UP

CLI = os.environ.get("CUMULUS_CLI", "cumulus-cli")
SHARED = os.environ.get("CUMULUS_SHARED_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
HERE = os.path.dirname(os.path.abspath(__file__))
FOCUS = os.path.join(SHARED, "testdata", "focus", "sample-focus.csv")
CUR = os.path.join(SHARED, "testdata", "cur", "sample-cur.csv")
AZURE = os.path.join(HERE, "data", "azure-cost-details.csv")

_n = 0
_failed = 0


def ok(cond, name, detail=""):
    global _n, _failed
    _n += 1
    if cond:
        print("ok %d - %s" % (_n, name))
    else:
        _failed += 1
        print("not ok %d - %s" % (_n, name))
        for line in str(detail).splitlines():
            print("#   " + line)
    sys.stdout.flush()
    return cond


def note(text):
    for line in text.splitlines():
        print("# " + line)


def cents(d):
    return str(Decimal(d).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def run(*args, check=None):
    p = subprocess.run([CLI] + list(args), capture_output=True, text=True)
    if check is not None and p.returncode != check:
        note("%s exited %d\nstdout: %s\nstderr: %s" % (" ".join(args), p.returncode, p.stdout, p.stderr))
    return p


def import_files(ws, *files):
    return run("--workspace", ws, "import", *files)


# ---- independent sums ----

def read_csv(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def dec(s):
    s = (s or "").strip()
    return Decimal(0) if s in ("", "NULL") else Decimal(s)


def expected_focus(path):
    out = {}
    for r in read_csv(path):
        key = (r["ProviderName"], r["BillingCurrency"])
        b, e = out.get(key, (Decimal(0), Decimal(0)))
        out[key] = (b + dec(r["BilledCost"]), e + dec(r["EffectiveCost"]))
    return out


def cur_effective(r, get):
    """cloud-apis.md §9.1: amortised cost per line item type."""
    t = get(r, "LineItemType")
    unblended = dec(get(r, "UnblendedCost"))
    if t == "SavingsPlanCoveredUsage":
        return dec(get(r, "SavingsPlanEffectiveCost"))
    if t in ("SavingsPlanNegation", "SavingsPlanUpfrontFee", "SavingsPlanRecurringFee"):
        return Decimal(0)
    if t == "DiscountedUsage":
        return dec(get(r, "EffectiveCost"))
    if t == "RIFee":
        return Decimal(0)
    return unblended


def cur_get(r, name):
    legacy = {"LineItemType": "lineItem/LineItemType", "UnblendedCost": "lineItem/UnblendedCost",
              "SavingsPlanEffectiveCost": "savingsPlan/SavingsPlanEffectiveCost",
              "EffectiveCost": "reservation/EffectiveCost", "CurrencyCode": "lineItem/CurrencyCode"}
    snake = {"LineItemType": "line_item_line_item_type", "UnblendedCost": "line_item_unblended_cost",
             "SavingsPlanEffectiveCost": "savings_plan_savings_plan_effective_cost",
             "EffectiveCost": "reservation_effective_cost", "CurrencyCode": "line_item_currency_code"}
    return r.get(legacy[name], r.get(snake[name], ""))


def expected_cur(path):
    out = {}
    for r in read_csv(path):
        key = ("AWS", cur_get(r, "CurrencyCode"))
        b, e = out.get(key, (Decimal(0), Decimal(0)))
        out[key] = (b + dec(cur_get(r, "UnblendedCost")), e + cur_effective(r, cur_get))
    return out


def expected_azure(path):
    out = {}
    for r in read_csv(path):
        key = ("Microsoft", r["BillingCurrencyCode"])
        b, e = out.get(key, (Decimal(0), Decimal(0)))
        c = dec(r["CostInBillingCurrency"])
        out[key] = (b + c, e + c)
    return out


# ---- what the ledger says ----

def ledger_path(ws):
    return os.path.join(ws, "ledger.db")


def sql_totals(ws, table="rollup_daily"):
    db = sqlite3.connect(ledger_path(ws))
    try:
        if table == "rollup_daily":
            q = "SELECT provider, currency, SUM(billed), SUM(effective) FROM rollup_daily GROUP BY 1, 2"
        else:
            q = ("SELECT COALESCE(c.ProviderName, a.provider), c.BillingCurrency, SUM(c.BilledCost),"
                 " SUM(c.EffectiveCost) FROM cost_rows c JOIN accounts a ON a.id = c.account_id GROUP BY 1, 2")
        return {(p, cur): (Decimal(b) / 1000000, Decimal(e) / 1000000) for p, cur, b, e in db.execute(q)}
    finally:
        db.close()


def count_rows(ws):
    db = sqlite3.connect(ledger_path(ws))
    try:
        return db.execute("SELECT COUNT(*) FROM cost_rows").fetchone()[0]
    finally:
        db.close()


def costs_totals(ws):
    """`costs --group-by provider --granularity total --format csv`, or None
    while the command is not there yet."""
    p = run("--workspace", ws, "costs", "--group-by", "provider", "--granularity", "total", "--format", "csv")
    lines = p.stdout.splitlines()
    if p.returncode != 0 or not lines or lines[0].strip() != "period,group,billed_cost,effective_cost,currency":
        return None
    out = {}
    for r in csv.DictReader(io.StringIO(p.stdout)):
        out[(r["group"], r["currency"])] = (r["billed_cost"], r["effective_cost"])
    return out


def in_cents(totals):
    return {k: (cents(b), cents(e)) for k, (b, e) in totals.items()}


def check_reconciles(ws, expected, what):
    want = in_cents(expected)
    note("%s: expected %s" % (what, want))
    ok(in_cents(sql_totals(ws, "cost_rows")) == want, "%s: cost rows sum to the file's totals to the cent" % what,
       "ledger rows: %s" % in_cents(sql_totals(ws, "cost_rows")))
    ok(in_cents(sql_totals(ws)) == want, "%s: daily rollups sum to the file's totals to the cent" % what,
       "rollups: %s" % in_cents(sql_totals(ws)))
    got = costs_totals(ws)
    if got is None:
        print("ok %d - %s: costs --group-by provider # SKIP the costs command is not available yet" % (_n + 1, what))
        globals()["_n"] += 1
    else:
        ok(got == want, "%s: costs --group-by provider --granularity total equals the file" % what,
           "costs: %s" % got)


# ---- file variants made at run time ----

def write_csv(path, header, rows, crlf=False, quoting=csv.QUOTE_MINIMAL):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n" if crlf else "\n", quoting=quoting)
        w.writerow(header)
        for r in rows:
            w.writerow([r.get(h, "") for h in header])


def snake(name):
    cat, col = name.split("/", 1)
    cat = re.sub(r"(?<!^)(?=[A-Z])", "_", cat).lower()
    col = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", col).lower()
    return cat + "_" + col


def make_cur2(src, dst):
    rows = read_csv(src)
    header = [h for h in rows[0].keys() if not h.startswith("resourceTags/")]
    new_header = [snake(h) for h in header] + ["resource_tags"]
    out = []
    for r in rows:
        n = {snake(h): r[h] for h in header}
        tags = {"user_" + k.split(":", 1)[1]: v for k, v in r.items() if k.startswith("resourceTags/user:") and v}
        n["resource_tags"] = json.dumps(tags) if tags else ""
        out.append(n)
    write_csv(dst, new_header, out)


# ---- cases ----

def case_reconcile_focus(tmp):
    ws = os.path.join(tmp, "ws")
    p = import_files(ws, FOCUS)
    ok(p.returncode == 0, "FOCUS sample imports", p.stderr)
    ok(re.search(r"FOCUS 1\.0, 51 rows, period 2024-05, billed 295\.71 USD", p.stdout) is not None,
       "the result line names format, rows, period and total", p.stdout)
    ok(p.stderr == "", "nothing on stderr when it is not a terminal", p.stderr)
    exp = expected_focus(FOCUS)
    ok(in_cents(exp) == {("AWS", "USD"): ("126.06", "39.26"), ("Microsoft", "USD"): ("169.65", "169.65")},
       "the independent sum agrees with the sample's README", in_cents(exp))
    check_reconciles(ws, exp, "FOCUS")
    ok(count_rows(ws) == 51, "51 cost rows", count_rows(ws))


def case_reconcile_cur(tmp):
    ws = os.path.join(tmp, "ws")
    p = import_files(ws, CUR)
    ok(p.returncode == 0, "CUR sample imports", p.stderr)
    ok("AWS CUR, 53 rows, period 2024-05, billed 425.77 USD" in p.stdout, "result line", p.stdout)
    exp = expected_cur(CUR)
    ok(cents(exp[("AWS", "USD")][0]) == "425.77", "the independent sum agrees with the README (425.7702580644)")
    check_reconciles(ws, exp, "CUR")
    db = sqlite3.connect(ledger_path(ws))
    tags = db.execute("SELECT Tags FROM cost_rows WHERE Tags LIKE '%batch-worker-3%' LIMIT 1").fetchone()
    db.close()
    ok(tags is not None and json.loads(tags[0]) == {"Name": "batch-worker-3", "env": "prod", "team": "data"},
       "resourceTags/user:* columns become tags", tags)


def case_reconcile_cur2(tmp):
    ws = os.path.join(tmp, "ws")
    path = os.path.join(tmp, "cur2.csv")
    make_cur2(CUR, path)
    p = import_files(ws, path)
    ok(p.returncode == 0, "CUR 2.0 file imports", p.stderr)
    ok("AWS CUR 2.0, 53 rows" in p.stdout, "detected as CUR 2.0", p.stdout)
    check_reconciles(ws, expected_cur(path), "CUR 2.0")
    db = sqlite3.connect(ledger_path(ws))
    tags = db.execute("SELECT Tags FROM cost_rows WHERE Tags LIKE '%batch-worker-3%' LIMIT 1").fetchone()
    db.close()
    ok(tags is not None and json.loads(tags[0]) == {"Name": "batch-worker-3", "env": "prod", "team": "data"},
       "resource_tags map keys lose their user_ prefix", tags)


def case_reconcile_azure(tmp):
    ws = os.path.join(tmp, "ws")
    p = import_files(ws, AZURE)
    ok(p.returncode == 0, "Azure cost-details export imports (BOM, CRLF, US dates)", p.stderr)
    ok("Azure cost details, 40 rows, period 2024-05" in p.stdout, "result line", p.stdout)
    check_reconciles(ws, expected_azure(AZURE), "Azure")
    db = sqlite3.connect(ledger_path(ws))
    regions = {r[0] for r in db.execute("SELECT DISTINCT RegionId FROM cost_rows")}
    tags = db.execute("SELECT Tags FROM cost_rows WHERE Tags LIKE '%web%' LIMIT 1").fetchone()
    accounts = {r[0] for r in db.execute("SELECT name FROM accounts")}
    db.close()
    ok(regions == {"westeurope", "northeurope", "eastus"}, "ResourceLocation spellings become one region id", regions)
    ok(tags is not None and json.loads(tags[0]) == {"env": "prod", "team": "web"}, "brace-less EA tags parse", tags)
    ok(accounts == {"import:azure:12345678"}, "one account per billing account", accounts)


def case_gzip(tmp):
    for name, src, exp in (("FOCUS", FOCUS, expected_focus(FOCUS)), ("CUR", CUR, expected_cur(CUR))):
        gz = os.path.join(tmp, os.path.basename(src) + ".gz")
        with open(src, "rb") as f, gzip.open(gz, "wb") as g:
            g.write(f.read())
        ws_plain, ws_gz = os.path.join(tmp, "plain-" + name), os.path.join(tmp, "gz-" + name)
        a, b = import_files(ws_plain, src), import_files(ws_gz, gz)
        ok(a.returncode == 0 and b.returncode == 0, "%s plain and gzip import" % name, a.stderr + b.stderr)
        ok("(gzip)" in b.stdout, "%s gzip is detected from the magic bytes" % name, b.stdout)
        ok(sql_totals(ws_plain, "cost_rows") == sql_totals(ws_gz, "cost_rows") and
           count_rows(ws_plain) == count_rows(ws_gz), "%s gzip equals plain" % name)
        ok(in_cents(sql_totals(ws_gz)) == in_cents(exp), "%s gzip reconciles" % name)
    # a .csv name on gzip data, and gzip data named .csv.gz that is plain
    disguised = os.path.join(tmp, "disguised.csv")
    with open(FOCUS, "rb") as f, gzip.open(disguised, "wb") as g:
        g.write(f.read())
    p = import_files(os.path.join(tmp, "ws-disguised"), disguised)
    ok(p.returncode == 0 and "(gzip)" in p.stdout, "gzip is found by content, not by name", p.stdout + p.stderr)


def case_reimport(tmp):
    ws = os.path.join(tmp, "ws")
    import_files(ws, FOCUS)
    first, n1 = sql_totals(ws, "cost_rows"), count_rows(ws)
    p = import_files(ws, FOCUS)
    ok(p.returncode == 0, "the same file imports again", p.stderr)
    ok(sql_totals(ws, "cost_rows") == first and count_rows(ws) == n1, "re-import: same totals, no duplicate rows")
    ok(sql_totals(ws) == first, "re-import: rollups unchanged")
    # A gzip copy of the same period is the same bill: it replaces too.
    gz = os.path.join(tmp, "again.csv.gz")
    with open(FOCUS, "rb") as f, gzip.open(gz, "wb") as g:
        g.write(f.read())
    import_files(ws, gz)
    ok(sql_totals(ws, "cost_rows") == first and count_rows(ws) == n1, "another copy of the period replaces it")
    # Two files in one call, an older month then this one: both periods stay.
    rows = read_csv(FOCUS)
    april = []
    for r in rows:
        r = dict(r)
        for k in ("ChargePeriodStart", "ChargePeriodEnd"):
            r[k] = r[k].replace("2024-05-", "2024-04-").replace("2024-06-01", "2024-05-01")
        r["BillingPeriodStart"], r["BillingPeriodEnd"] = "2024-04-01T00:00:00Z", "2024-05-01T00:00:00Z"
        if r["ChargePeriodStart"].startswith("2024-04-01T") and r["ChargeClass"] == "Correction":
            continue
        april.append(r)
    path = os.path.join(tmp, "april.csv")
    write_csv(path, list(rows[0].keys()), april)
    p = import_files(ws, path, FOCUS)
    ok(p.returncode == 0 and len(p.stdout.splitlines()) == 2, "two files, one line each", p.stdout + p.stderr)
    ok(count_rows(ws) == n1 + len(april), "April's import and May's coexist (May's April correction did not erase April)",
       (count_rows(ws), n1, len(april)))
    db = sqlite3.connect(ledger_path(ws))
    months = dict(db.execute("SELECT substr(BillingPeriodStart, 1, 7), COUNT(*) FROM cost_rows GROUP BY 1"))
    db.close()
    ok(months == {"2024-04": len(april), "2024-05": 51}, "rows per billing period", months)


def ledger_snapshot(ws):
    return (sql_totals(ws, "cost_rows"), sql_totals(ws), count_rows(ws))


def expect_failure(tmp, ws, path, pattern, what):
    before = ledger_snapshot(ws)
    p = import_files(ws, path)
    ok(p.returncode == 1, "%s: exit status 1" % what, "status %d, stderr %s" % (p.returncode, p.stderr))
    ok(re.search(pattern, p.stderr) is not None, "%s: the error names file, line and column" % what,
       "stderr: %r, wanted /%s/" % (p.stderr, pattern))
    ok(len(p.stderr.strip().splitlines()) == 1, "%s: one error line" % what, p.stderr)
    ok(p.stdout == "", "%s: no result line" % what, p.stdout)
    ok(ledger_snapshot(ws) == before, "%s: ledger unchanged" % what)


def case_malformed(tmp):
    ws = os.path.join(tmp, "ws")
    import_files(ws, FOCUS)
    rows = read_csv(FOCUS)
    header = list(rows[0].keys())

    # a bad amount far down the file (line 40: after the first rows were written)
    bad = [dict(r) for r in rows]
    bad[38]["BilledCost"] = "abc"
    path = os.path.join(tmp, "cost.csv")
    write_csv(path, header, bad)
    expect_failure(tmp, ws, path, r"cost\.csv:40: column BilledCost: “abc” is not a decimal amount", "bad amount")

    # the same in a single-period, single-account file (the one-pass path)
    aws = [dict(r) for r in rows if r["ProviderName"] == "AWS" and r["ChargeClass"] != "Correction"]
    aws[20]["EffectiveCost"] = "1.2.3"
    path = os.path.join(tmp, "aws.csv")
    write_csv(path, header, aws)
    expect_failure(tmp, ws, path, r"aws\.csv:22: column EffectiveCost: “1\.2\.3” is not a decimal amount",
                   "bad amount, one pass")

    bad = [dict(r) for r in rows]
    bad[5]["ChargePeriodStart"] = "2024-13-01T00:00:00Z"
    path = os.path.join(tmp, "date.csv")
    write_csv(path, header, bad)
    expect_failure(tmp, ws, path, r"date\.csv:7: column ChargePeriodStart: .*not a date", "bad date")

    bad = [dict(r) for r in rows]
    bad[9]["BillingCurrency"] = ""
    path = os.path.join(tmp, "currency.csv")
    write_csv(path, header, bad)
    expect_failure(tmp, ws, path, r"currency\.csv:11: column BillingCurrency: empty", "missing currency")

    path = os.path.join(tmp, "nocost.csv")
    write_csv(path, [h for h in header if h != "BilledCost"], rows)
    expect_failure(tmp, ws, path, r"nocost\.csv:1: .*no BilledCost column", "missing required column")

    # a row with too few fields, and an unterminated quote
    with open(FOCUS, encoding="utf-8") as f:
        lines = f.read().splitlines(True)
    path = os.path.join(tmp, "short.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines[:30] + ["a,b,c\n"] + lines[30:])
    expect_failure(tmp, ws, path, r"short\.csv:31: 3 fields, but the header has 43", "short row")
    path = os.path.join(tmp, "quote.csv")
    at = max(i for i, line in enumerate(lines) if '"Amazon' in line)
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines[:at] + [lines[at].replace('"Amazon', '"Amazon"x', 1)] + lines[at + 1:])
    expect_failure(tmp, ws, path, r"quote\.csv:%d: .*after a closing quote" % (at + 1), "stray quote")

    # truncated gzip
    gz = os.path.join(tmp, "cut.csv.gz")
    with open(FOCUS, "rb") as f:
        data = gzip.compress(f.read())
    with open(gz, "wb") as f:
        f.write(data[: len(data) * 2 // 3])
    expect_failure(tmp, ws, gz, r"cut\.csv\.gz:\d+: .*truncated", "truncated gzip")

    path = os.path.join(tmp, "other.csv")
    with open(path, "w") as f:
        f.write("name,value\nx,1\n")
    expect_failure(tmp, ws, path, r"other\.csv:1: not a cost export", "unknown format")

    p = run("--workspace", ws, "import")
    ok(p.returncode == 2, "no file: usage error, exit 2", p.returncode)
    p = run("--workspace", ws, "import", "--help")
    ok(p.returncode == 0 and "FOCUS" in p.stdout, "--help", p.stdout + p.stderr)
    p = run("--workspace", ws, "import", os.path.join(tmp, "does-not-exist.csv"))
    ok(p.returncode == 1 and "does-not-exist.csv" in p.stderr, "a missing file is a runtime error naming it", p.stderr)
    # one good and one bad file: the good one lands, exit status 1
    ws2 = os.path.join(tmp, "ws2")
    p = import_files(ws2, os.path.join(tmp, "cost.csv"), CUR)
    ok(p.returncode == 1 and "AWS CUR, 53 rows" in p.stdout and count_rows(ws2) == 53,
       "a bad file does not stop the next one", p.stdout + p.stderr)


def case_focus_variants(tmp):
    rows = read_csv(FOCUS)
    exp = in_cents(expected_focus(FOCUS))
    header = list(rows[0].keys())

    # NULL for null, "YYYY-MM-DD HH:MM:SS" times, extra x_ columns, FOCUS 1.2 columns, CRLF, every field quoted
    var = []
    for r in rows:
        r = {k: ("NULL" if v == "" else v) for k, v in r.items()}
        for k in ("ChargePeriodStart", "ChargePeriodEnd", "BillingPeriodStart", "BillingPeriodEnd"):
            r[k] = r[k].replace("T", " ").replace("Z", "")
        r["x_ServiceCode"] = "AmazonEC2"
        r["InvoiceId"] = "NULL"
        r["PricingCurrency"] = r["BillingCurrency"]
        var.append(r)
    h2 = header + ["x_ServiceCode", "InvoiceId", "PricingCurrency"]
    path = os.path.join(tmp, "focus-1.2-null.csv")
    write_csv(path, h2, var, crlf=True, quoting=csv.QUOTE_ALL)
    ws = os.path.join(tmp, "ws1")
    p = import_files(ws, path)
    ok(p.returncode == 0 and "FOCUS 1.2" in p.stdout, "NULL tokens, space timestamps, CRLF, quoted, 1.2 columns",
       p.stdout + p.stderr)
    ok(in_cents(sql_totals(ws)) == exp, "variant reconciles", in_cents(sql_totals(ws)))
    db = sqlite3.connect(ledger_path(ws))
    nulls = db.execute("SELECT COUNT(*) FROM cost_rows WHERE RegionId = 'NULL' OR Tags = 'NULL' OR ChargeClass = 'NULL'").fetchone()[0]
    times = {r[0] for r in db.execute("SELECT DISTINCT ChargePeriodStart FROM cost_rows")}
    db.close()
    ok(nulls == 0, "NULL is read as null", nulls)
    ok(all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", t) for t in times), "timestamps stored in one form", times)

    # unquoted where possible, columns in another order, FOCUS 1.1 columns
    h3 = list(reversed(header)) + ["ServiceSubcategory", "SkuMeter"]
    path = os.path.join(tmp, "focus-1.1-reordered.csv")
    write_csv(path, h3, [dict(r, ServiceSubcategory="Other (Compute)") for r in rows])
    ws = os.path.join(tmp, "ws2")
    p = import_files(ws, path)
    ok(p.returncode == 0 and "FOCUS 1.1" in p.stdout, "columns by name, in any order", p.stdout + p.stderr)
    ok(in_cents(sql_totals(ws)) == exp, "reordered file reconciles")


def case_hourly(tmp):
    header = ["BillingAccountId", "BillingCurrency", "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart",
              "ChargePeriodEnd", "BilledCost", "EffectiveCost", "ProviderName", "ServiceName", "RegionId",
              "SubAccountId", "ChargeCategory", "Tags"]
    rows, per_day = [], {}
    for day in (1, 2, 3):
        for hour in range(24):
            for svc in ("Amazon EC2", "Amazon S3"):
                cost = Decimal("0.0%02d3" % ((day * 7 + hour * 3) % 97)) + (Decimal("0.1") if svc == "Amazon S3" else 0)
                eff = cost / 2
                d = "2024-05-%02d" % day
                rows.append({"BillingAccountId": "123456789012", "BillingCurrency": "USD",
                             "BillingPeriodStart": "2024-05-01T00:00:00Z", "BillingPeriodEnd": "2024-06-01T00:00:00Z",
                             "ChargePeriodStart": "%sT%02d:00:00Z" % (d, hour),
                             "ChargePeriodEnd": ("%sT%02d:00:00Z" % (d, hour + 1)) if hour < 23 else "2024-05-%02dT00:00:00Z" % (day + 1),
                             "BilledCost": str(cost), "EffectiveCost": str(eff), "ProviderName": "AWS",
                             "ServiceName": svc, "RegionId": "us-east-1", "SubAccountId": "123456789012",
                             "ChargeCategory": "Usage", "Tags": '{"env":"prod"}'})
                b, e = per_day.get(d, (Decimal(0), Decimal(0)))
                per_day[d] = (b + cost, e + eff)
    path = os.path.join(tmp, "hourly.csv")
    write_csv(path, header, rows)
    ws = os.path.join(tmp, "ws")
    p = import_files(ws, path)
    ok(p.returncode == 0 and "144 rows" in p.stdout, "hourly FOCUS rows import", p.stdout + p.stderr)
    db = sqlite3.connect(ledger_path(ws))
    got = {}
    for day, b, e in db.execute("SELECT usage_day, SUM(billed), SUM(effective) FROM rollup_daily GROUP BY 1"):
        d = time.strftime("%Y-%m-%d", time.gmtime(day * 86400))
        got[d] = (Decimal(b) / 1000000, Decimal(e) / 1000000)
    n_rollup = db.execute("SELECT COUNT(*) FROM rollup_daily").fetchone()[0]
    tag = db.execute("SELECT SUM(billed) FROM rollup_tag_daily WHERE tag_key = 'env' AND tag_value = 'prod'").fetchone()[0]
    db.close()
    ok(got == per_day, "24 hours of each day sum into that day exactly", "got %s\nwant %s" % (got, per_day))
    ok(n_rollup == 6, "one rollup row per day and service", n_rollup)
    ok(Decimal(tag) / 1000000 == sum(b for b, _ in per_day.values()), "tag rollups carry the same total")
    p = run("--workspace", ws, "costs", "--group-by", "provider", "--granularity", "day", "--format", "csv")
    if p.returncode == 0 and p.stdout.startswith("period,group"):
        got = {r["period"]: r["billed_cost"] for r in csv.DictReader(io.StringIO(p.stdout))}
        ok(got == {d: cents(b) for d, (b, _) in per_day.items()}, "costs --granularity day shows the day sums", got)


def generate_big_focus(path, n, billed):
    """n rows of one billing period of AWS 999988887777, each costing `billed`."""
    with open(path, "w", buffering=1 << 20) as f:
        f.write("BilledCost,BillingAccountId,BillingCurrency,BillingPeriodEnd,BillingPeriodStart,ChargePeriodEnd,"
                "ChargePeriodStart,EffectiveCost,ProviderName,RegionId,ResourceId,ServiceName,SubAccountId,Tags\n")
        for i in range(n):
            day = 1 + i * 31 // n
            f.write('%s,999988887777,USD,2024-06-01T00:00:00Z,2024-05-01T00:00:00Z,2024-05-%02dT00:00:00Z,'
                    '2024-05-%02dT00:00:00Z,%s,AWS,us-east-1,i-%08x,Amazon Elastic Compute Cloud,111122223333,'
                    '"{""n"":""%d""}"\n' % (billed, min(day + 1, 31), day, billed, i, i % 300))


def case_kill(tmp):
    ws = os.path.join(tmp, "ws")
    p = import_files(ws, FOCUS)
    ok(p.returncode == 0, "sample imported first", p.stderr)
    before = ledger_snapshot(ws)
    big = os.path.join(tmp, "big.csv")
    generate_big_focus(big, 400000, "0.01")
    child = subprocess.Popen([CLI, "--workspace", ws, "import", big], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # wait until the import is writing (its batch is "running"), then a bit more
    deadline = time.time() + 30
    running = False
    while time.time() < deadline and child.poll() is None:
        try:
            db = sqlite3.connect("file:%s?mode=ro" % ledger_path(ws), uri=True, timeout=1)
            running = db.execute("SELECT COUNT(*) FROM batches WHERE status = 'running'").fetchone()[0] > 0
            db.close()
        except sqlite3.Error:
            pass
        if running:
            break
        time.sleep(0.02)
    time.sleep(0.3)
    still_running = child.poll() is None
    child.send_signal(signal.SIGKILL)
    child.wait()
    ok(running and still_running, "the import was killed while writing", (running, still_running))
    ok(ledger_snapshot(ws) == before, "after SIGKILL the previous data is intact")
    p = import_files(ws, FOCUS)
    ok(p.returncode == 0 and ledger_snapshot(ws) == before, "the ledger is usable after the kill", p.stderr)
    db = sqlite3.connect(ledger_path(ws))
    statuses = [r[0] for r in db.execute("SELECT status FROM batches ORDER BY id")]
    db.close()
    ok("running" not in statuses, "the killed batch is not left 'running'", statuses)


SMALL_HEADER = ["BilledCost", "BillingAccountId", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
                "ChargePeriodEnd", "ChargePeriodStart", "EffectiveCost", "ProviderName", "RegionId", "ServiceName",
                "SubAccountId", "Tags"]


def small_row(billed="1.00", start="2024-05-03T00:00:00Z", end="2024-05-04T00:00:00Z", tags="",
              bp=("2024-05-01T00:00:00Z", "2024-06-01T00:00:00Z"), account="999988887777", provider="AWS",
              effective=None):
    return {"BilledCost": billed, "BillingAccountId": account, "BillingCurrency": "USD",
            "BillingPeriodStart": bp[0], "BillingPeriodEnd": bp[1], "ChargePeriodStart": start,
            "ChargePeriodEnd": end, "EffectiveCost": billed if effective is None else effective,
            "ProviderName": provider, "RegionId": "us-east-1", "ServiceName": "Amazon EC2",
            "SubAccountId": "111122223333", "Tags": tags}


def case_limits(tmp):
    """Amounts, sums, tags and timestamps at the edges (issue 8, found by fuzzing)."""
    ws = os.path.join(tmp, "ws")
    import_files(ws, FOCUS)

    def small(name, rows):
        path = os.path.join(tmp, name)
        write_csv(path, SMALL_HEADER, rows)
        return path

    ok_rows = [small_row() for _ in range(3)]
    expect_failure(tmp, ws, small("huge.csv", ok_rows + [small_row(billed="9223372036854.7758075")]),
                   r"huge\.csv:5: column BilledCost: “9223372036854\.7758075” is too large for an amount",
                   "an amount beyond int64 micros")
    expect_failure(tmp, ws, small("huge-neg.csv", [small_row(effective="-9223372036854.775808")]),
                   r"huge-neg\.csv:2: column EffectiveCost: .*too large", "the most negative amount")
    expect_failure(tmp, ws, small("sum.csv", ok_rows + [small_row(billed="5000000000000")] * 2),
                   r"sum\.csv:6: column BilledCost: the file’s billed costs in USD add up to more than",
                   "billed costs whose total overflows")
    # positive and negative parts are summed apart: no rollup can wrap either
    expect_failure(tmp, ws, small("sum-mixed.csv", [small_row(billed="5000000000000"), small_row(billed="-1"),
                                                     small_row(billed="5000000000000")]),
                   r"sum-mixed\.csv:4: column BilledCost: .*add up to more than", "a sum that only a rollup would wrap")
    p = import_files(os.path.join(tmp, "ws-big"), small("big-ok.csv", [small_row(billed="4611686018427"),
                                                                      small_row(billed="4611686018427")]))
    ok(p.returncode == 0 and "billed 9223372036854.00 USD" in p.stdout, "a total just under the limit imports",
       p.stdout + p.stderr)

    expect_failure(tmp, ws, small("tags.csv", ok_rows + [small_row(tags="{}{}")]),
                   r"tags\.csv:5: column Tags: not one JSON object", "tags holding two JSON values")
    expect_failure(tmp, ws, small("tags2.csv", [small_row(tags='{"a":"b"} {"c":"d"}')]),
                   r"tags2\.csv:2: column Tags: not one JSON object", "tags holding two objects")
    p = import_files(os.path.join(tmp, "ws-tags"), small("tags-ok.csv", [small_row(tags='{"a":"}{"} ')]))
    ok(p.returncode == 0, "braces inside a tag value are not two objects", p.stderr)

    late = small_row(start="9999-12-31T23:00:00-02:00", end="", bp=("9999-12-01T00:00:00Z", ""))
    expect_failure(tmp, ws, small("tz.csv", [late]),
                   r"tz\.csv:2: column ChargePeriodStart: “9999-12-31T23:00:00-02:00” is not a date",
                   "an offset past year 9999 quotes the file's text")
    early = small_row(start="0000-01-01T00:30:00+01:00", end="", bp=("0000-01-01T00:00:00Z", ""))
    expect_failure(tmp, ws, small("tz2.csv", [early]),
                   r"tz2\.csv:2: column ChargePeriodStart: “0000-01-01T00:30:00\+01:00” is not a date",
                   "an offset before year 0000 quotes the file's text")

    # CUR: the effective cost of an RI fee is a sum of two columns
    cur_header = ["lineItem/UsageStartDate", "lineItem/UsageEndDate", "lineItem/UnblendedCost", "lineItem/CurrencyCode",
                  "lineItem/LineItemType", "lineItem/UsageAccountId", "bill/PayerAccountId", "reservation/EffectiveCost",
                  "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod", "reservation/UnusedRecurringFee"]
    fee = {"lineItem/UsageStartDate": "2024-05-01T00:00:00Z", "lineItem/UsageEndDate": "2024-06-01T00:00:00Z",
           "lineItem/UnblendedCost": "10", "lineItem/CurrencyCode": "USD", "lineItem/LineItemType": "RIFee",
           "lineItem/UsageAccountId": "111122223333", "bill/PayerAccountId": "999988887777",
           "reservation/EffectiveCost": "", "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod": "6000000000000",
           "reservation/UnusedRecurringFee": "6000000000000"}
    path = os.path.join(tmp, "cur-fee.csv")
    write_csv(path, cur_header, [fee])
    expect_failure(tmp, ws, path, r"cur-fee\.csv:2: the effective cost is too large", "a CUR effective cost that overflows")

    # an unterminated quote is named on the line that opens it (it ends at the next quote, lines later)
    path = small("open-quote.csv", [small_row(), small_row(), small_row(), small_row(tags='{"a":"b"}')])
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines(True)
    lines[2] = lines[2].replace("Amazon EC2", '"Amazon EC2', 1)
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines)
    expect_failure(tmp, ws, path, r"open-quote\.csv:3: column ServiceName: the quoted field that starts here ends on line 5",
                   "an unterminated quote is reported where it opens")


def case_interleaved(tmp):
    """Rows of 6 billing periods and 2 providers in random order: one pass, one transaction."""
    import random
    rnd = random.Random(7)
    periods = [("2024-%02d-01T00:00:00Z" % m, "2024-%02d-01T00:00:00Z" % (m + 1) if m < 12 else "2025-01-01T00:00:00Z")
               for m in range(1, 7)]
    rows, expected = [], {}
    for i in range(1200):
        bp = periods[i % 6]
        provider, account = [("AWS", "123456789012"), ("Microsoft", "8611537")][(i // 6) % 2]
        day = 1 + (i // 12) % 28
        start = bp[0][:8] + "%02dT00:00:00Z" % day
        cost = Decimal(rnd.randint(1, 99999)) / 1000
        rows.append(small_row(billed=str(cost), start=start, end="", bp=bp, account=account, provider=provider))
        key = (provider, bp[0][:7])
        expected[key] = expected.get(key, Decimal(0)) + cost
    rnd.shuffle(rows)
    path = os.path.join(tmp, "interleaved.csv")
    write_csv(path, SMALL_HEADER, rows)
    ws = os.path.join(tmp, "ws")
    import_files(ws, FOCUS)
    before_sample = count_rows(ws)
    p = import_files(ws, path)
    ok(p.returncode == 0 and "1200 rows" in p.stdout, "an interleaved file imports", p.stdout + p.stderr)

    def per_group():
        db = sqlite3.connect(ledger_path(ws))
        got = {}
        for prov, month, billed in db.execute(
                "SELECT ProviderName, substr(BillingPeriodStart, 1, 7), SUM(BilledCost) FROM cost_rows"
                " WHERE batch_id IN (SELECT id FROM batches WHERE source LIKE '%interleaved%') GROUP BY 1, 2"):
            got[(prov, month)] = Decimal(billed) / 1000000
        statuses = [r[0] for r in db.execute("SELECT status FROM batches WHERE source LIKE '%interleaved%'")]
        db.close()
        return got, statuses

    got, statuses = per_group()
    ok(got == expected, "every (provider, period) group reconciles", "got %s\nwant %s" % (got, expected))
    ok(statuses.count("done") == 12, "one batch per group, all done", statuses)
    ok(count_rows(ws) == before_sample + 1200, "the sample's rows are untouched", count_rows(ws))
    p = import_files(ws, path)
    ok(p.returncode == 0 and count_rows(ws) == before_sample + 1200 and per_group()[0] == expected,
       "re-importing replaces every group", p.stderr)

    # a bad row at the very end: nothing of the file lands, the earlier import stays
    before = ledger_snapshot(ws)
    rows2 = [dict(r, BilledCost=str(Decimal(r["BilledCost"]) * 2)) for r in rows]
    rows2[-1]["BilledCost"] = "x"
    path2 = os.path.join(tmp, "interleaved-bad.csv")
    write_csv(path2, SMALL_HEADER, rows2)
    p = import_files(ws, path2)
    ok(p.returncode == 1 and "interleaved-bad.csv:1201: column BilledCost" in p.stderr,
       "a bad last row fails the import, naming it", p.stderr)
    ok(ledger_snapshot(ws) == before, "after the bad last row the ledger is as it was")
    db = sqlite3.connect(ledger_path(ws))
    statuses = [r[0] for r in db.execute("SELECT status FROM batches WHERE source LIKE '%interleaved-bad%'")]
    db.close()
    ok(statuses and all(st == "failed" for st in statuses), "its batches are recorded as failed", statuses)

    # months without a declared billing period (replace only the days covered) take the two-pass way
    undeclared = [dict(r, BillingPeriodStart="", BillingPeriodEnd="") for r in rows]
    path3 = os.path.join(tmp, "undeclared.csv")
    write_csv(path3, SMALL_HEADER, undeclared)
    ws3 = os.path.join(tmp, "ws3")
    p = import_files(ws3, path3)
    ok(p.returncode == 0 and "1200 rows" in p.stdout, "undeclared periods import", p.stdout + p.stderr)
    db = sqlite3.connect(ledger_path(ws3))
    total = Decimal(db.execute("SELECT SUM(billed) FROM rollup_daily").fetchone()[0]) / 1000000
    db.close()
    ok(total == sum(expected.values()), "undeclared periods reconcile", total)


# Reproducers found by fuzzing the importer (issue 8), one file each in data/fuzz/
FUZZ_CASES = [
    ("billed-sum-overflow.csv", r":3: column BilledCost: the file’s billed costs in USD add up to more than"),
    ("cur-effective-overflow.csv", r":3: the file’s effective costs in USD add up to more than"),
    ("cur-unblended-sum-overflow.csv", r":3: column lineItem/UnblendedCost: the file’s billed costs in USD add up"),
    ("round-half-up-overflow.csv", r":2: column BilledCost: “9223372036854\.7758075” is too large for an amount"),
    ("tz-before-year-0.csv", r":2: column ChargePeriodStart: “0000-01-01T00:00:00\+01:00” is not a date and time"),
]


def case_fuzz_regressions(tmp):
    ws = os.path.join(tmp, "ws")
    import_files(ws, FOCUS)
    for name, pattern in FUZZ_CASES:
        path = os.path.join(HERE, "data", "fuzz", name)
        expect_failure(tmp, ws, path, re.escape(name) + pattern, "fuzz reproducer " + name)


CASES = {
    "reconcile-focus": case_reconcile_focus,
    "reconcile-cur": case_reconcile_cur,
    "reconcile-cur2": case_reconcile_cur2,
    "reconcile-azure": case_reconcile_azure,
    "gzip": case_gzip,
    "reimport": case_reimport,
    "malformed": case_malformed,
    "focus-variants": case_focus_variants,
    "hourly": case_hourly,
    "kill": case_kill,
    "limits": case_limits,
    "interleaved": case_interleaved,
    "fuzz-regressions": case_fuzz_regressions,
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        print("usage: test-import.py {%s}" % "|".join(CASES), file=sys.stderr)
        return 2
    if not os.path.exists(FOCUS):
        print("1..0 # SKIP no shared samples in %s" % SHARED)
        return 0
    with tempfile.TemporaryDirectory(prefix="cumulus-import-") as tmp:
        try:
            CASES[sys.argv[1]](tmp)
        except Exception as e:  # a crash is one failed test, with its story
            import traceback
            ok(False, "%s raised %s" % (sys.argv[1], type(e).__name__), traceback.format_exc())
    print("1..%d" % _n)
    return 1 if _failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""cumulus-cli: every core command, exit codes, CSV and JSON shapes (TAP)."""
import csv
import io
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal

CLI = os.environ["CUMULUS_CLI"]
results = []


def run(*args, stdin=None, env=None):
    p = subprocess.run([CLI, *args], capture_output=True, text=True, input=stdin, timeout=240, env=env)
    return p.returncode, p.stdout, p.stderr


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def main():
    tmp = tempfile.mkdtemp(prefix="cumulus-cli-")
    ws = os.path.join(tmp, "ws")
    env_ws = ["--workspace", ws]
    try:
        # usage errors: exit 2, one line on stderr
        rc, out, err = run("frobnicate")
        check("unknown command exits 2", rc == 2 and "frobnicate" in err and err.count("\n") == 1, err)
        rc, out, err = run(*env_ws, "costs", "--granularity", "fortnight")
        check("bad --granularity exits 2", rc == 2 and "--granularity" in err, err)
        rc, out, err = run(*env_ws, "costs", "--from", "2026-13-01")
        check("bad --from exits 2", rc == 2 and "YYYY-MM-DD" in err, err)
        rc, out, err = run(*env_ws, "costs", "--group-by", "colour")
        check("bad --group-by exits 2", rc == 2, err)
        rc, out, err = run(*env_ws, "costs", "--from", "2026-02-01", "--to", "2026-01-01")
        check("--to before --from exits 2", rc == 2, err)
        rc, out, err = run("--workspace")
        check("--workspace without a directory exits 2", rc == 2, err)

        # --help on every command exits 0 and prints usage
        for cmd in ["demo", "summary", "costs", "bench"]:
            rc, out, err = run(cmd, "--help")
            check(f"{cmd} --help exits 0", rc == 0 and "Usage" in out, out + err)
        rc, out, err = run("--help")
        check("--help lists commands", rc == 0 and "costs" in out and "summary" in out)

        # runtime errors: exit 1, one actionable line
        rc, out, err = run(*env_ws, "summary")
        check("summary without a workspace exits 1", rc == 1 and "demo" in err and err.count("\n") == 1, err)

        # demo
        rc, out, err = run(*env_ws, "demo", "--end", "2026-10-31")
        check("demo creates the workspace", rc == 0 and os.path.exists(os.path.join(ws, "ledger.db")), out + err)
        rc, out, err = run(*env_ws, "demo", "--end", "2026-10-31")
        check("demo refuses an existing workspace", rc == 1 and "already" in err, err)

        # summary --json
        rc, out, err = run(*env_ws, "summary", "--json", "--as-of", "2026-11-01")
        s = json.loads(out) if rc == 0 else {}
        check("summary --json parses", rc == 0 and s.get("currency") == "USD", err)
        check("summary month is October", s.get("month_start") == "2026-10-01" and s.get("days_elapsed") == 31)
        check("projection equals MTD on the last day", s.get("month_projection") == s.get("month_to_date"))
        check("a complete month's projection is its actuals",
              s.get("month_projection_basis") == "actual" and s.get("month_projection_hi95") == s.get("month_to_date"), out)
        check("top services are five", len(s.get("top_services", [])) == 5)
        check("top accounts present", len(s.get("top_accounts", [])) >= 4)
        series = s.get("daily", {}).get("series", [])
        named = [x for x in series if x["name"] != "Other"]
        other = [x["total"] for x in series if x["name"] == "Other"]
        check("90-day chart names at least eight services", s.get("daily", {}).get("days") == 90
              and 8 <= len(named) <= 16, series)
        check("\"Other\" is not the largest band of the chart",
              named and (not other or other[0] < max(x["total"] for x in named)), series)

        # costs CSV
        rc, out, err = run(*env_ws, "costs", "--group-by", "provider", "--granularity", "total", "--format", "csv")
        rows = list(csv.reader(io.StringIO(out)))
        check("costs CSV header", rows and rows[0] == ["period", "group", "billed_cost", "effective_cost", "currency"], rows[:1])
        providers = {r[1] for r in rows[1:]}
        check("providers are AWS and Microsoft", providers == {"AWS", "Microsoft"}, providers)
        total_by_provider = sum(Decimal(r[2]) for r in rows[1:])
        check("amounts have two decimals", all(len(r[2].split(".")[1]) == 2 for r in rows[1:]))

        rc, out, err = run(*env_ws, "costs", "--granularity", "month", "--format", "csv")
        months = list(csv.DictReader(io.StringIO(out)))
        check("18–19 months", 18 <= len(months) <= 19, len(months))
        check("month periods are YYYY-MM", all(len(m["period"]) == 7 for m in months))
        month_total = sum(Decimal(m["billed_cost"]) for m in months)
        # each month is rounded to the cent, so the sums may differ by half a cent per month
        check("months add up to the provider total",
              abs(month_total - total_by_provider) <= Decimal("0.01") * len(months), (month_total, total_by_provider))

        rc, out, err = run(*env_ws, "costs", "--from", "2026-10-01", "--to", "2026-10-31",
                           "--group-by", "service", "--format", "json")
        cells = json.loads(out)
        check("costs JSON is a list of cells", isinstance(cells, list) and cells
              and set(cells[0]) == {"period", "group", "billed_cost", "effective_cost", "currency"})
        service_sum = sum(Decimal(str(c["billed_cost"])) for c in cells)
        check("October by service matches the summary",
              abs(service_sum - Decimal(str(s.get("month_to_date", 0)))) <= Decimal("0.01") * len(cells),
              (service_sum, s.get("month_to_date")))
        amounts = re.findall(r'"(?:billed|effective)_cost": ([^,}\s]+)', out)
        check("JSON amounts are exact cents (no 12.300000000000001)",
              amounts and all(re.fullmatch(r"-?\d+(\.\d{1,2})?", a) for a in amounts), amounts[:5])
        check("JSON sorted largest first", [c["billed_cost"] for c in cells] == sorted([c["billed_cost"] for c in cells], reverse=True))

        rc, out, err = run(*env_ws, "costs", "--from", "2026-10-26", "--to", "2026-10-31", "--granularity", "day", "--format", "csv")
        days = [r["period"] for r in csv.DictReader(io.StringIO(out))]
        check("day granularity lists each day", days == [f"2026-10-{d}" for d in range(26, 32)], days)

        rc, out, err = run(*env_ws, "costs", "--group-by", "tag:team", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "csv")
        teams = {r["group"]: Decimal(r["billed_cost"]) for r in csv.DictReader(io.StringIO(out))}
        check("tag grouping shows untagged spend", "(untagged)" in teams and len(teams) >= 3, teams)
        check("tag groups add up to the month", abs(sum(teams.values()) - service_sum) <= Decimal("0.01") * (len(teams) + len(cells)))

        rc, out, err = run(*env_ws, "costs", "--granularity", "week", "--from", "2026-10-05", "--to", "2026-10-18", "--format", "csv")
        weeks = [r["period"] for r in csv.DictReader(io.StringIO(out))]
        check("weeks start on Mondays", weeks == ["2026-10-05", "2026-10-12"], weeks)

        rc, out, err = run(*env_ws, "costs", "--filter", "provider=Microsoft", "--format", "csv")
        ms = list(csv.DictReader(io.StringIO(out)))
        check("filter by provider", len(ms) == 1 and ms[0]["currency"] == "USD", out + err)

        # --pivot: groups × periods, the same sums as the rows of `costs`
        base = ["costs", "--group-by", "tag:team", "--granularity", "month",
                "--from", "2026-08-01", "--to", "2026-10-31", "--format", "csv"]
        rc, out, err = run(*env_ws, *base)
        flat = list(csv.DictReader(io.StringIO(out)))
        rc, pout, err = run(*env_ws, *base, "--pivot")
        prow = list(csv.reader(io.StringIO(pout)))
        check("pivot CSV header", rc == 0 and prow and
              prow[0] == ["group", "2026-08", "2026-09", "2026-10", "total", "change", "change_pct", "currency"],
              prow[:1] + [err])
        pivot = {r[0]: r for r in prow[1:]}
        want = {}
        for r in flat:
            want.setdefault(r["group"], {})[r["period"]] = Decimal(r["billed_cost"])
        check("pivot has one row per group", set(pivot) == set(want), (set(pivot), set(want)))
        check("pivot cells are the costs rows", all(
            Decimal(pivot[g][1 + i]) == want[g].get(m, Decimal(0))
            for g in want if g in pivot for i, m in enumerate(["2026-08", "2026-09", "2026-10"])), pout[:300])
        check("pivot total is the row's sum to the cent", all(
            abs(Decimal(r[4]) - sum(Decimal(x) for x in r[1:4])) <= Decimal("0.02") for r in prow[1:]))
        check("pivot change is last minus first", all(
            abs(Decimal(r[5]) - (Decimal(r[3]) - Decimal(r[1]))) <= Decimal("0.01") for r in prow[1:]))
        check("pivot change_pct", all(
            r[6] == "" if Decimal(r[1]) <= 0 else
            abs(Decimal(r[6]) - (Decimal(r[3]) - Decimal(r[1])) / Decimal(r[1]) * 100) <= Decimal("0.051")
            for r in prow[1:]), prow[1:3])
        totals = [Decimal(r[4]) for r in prow[1:]]
        check("pivot rows by total, largest first", totals == sorted(totals, reverse=True), totals)
        rc, sout, err = run(*env_ws, *base, "--pivot", "--sort", "change_pct")
        pcts = [Decimal(r[6]) for r in list(csv.reader(io.StringIO(sout)))[1:] if r[6] != ""]
        check("pivot --sort change_pct", rc == 0 and len(pcts) >= 3 and pcts == sorted(pcts, reverse=True), sout[:300] + err)
        rc, sout, err = run(*env_ws, *base, "--pivot", "--sort", "group")
        names = [r[0] for r in list(csv.reader(io.StringIO(sout)))[1:]]
        check("pivot --sort group is A to Z", rc == 0 and names == sorted(names) and len(names) == len(pivot), names)
        rc, sout, err = run(*env_ws, *base, "--pivot", "--sort", "2026-09")
        sep = [Decimal(r[2]) for r in list(csv.reader(io.StringIO(sout)))[1:]]
        check("pivot --sort by a period", rc == 0 and sep == sorted(sep, reverse=True), sout[:200] + err)
        rc, sout, err = run(*env_ws, *base, "--pivot", "--sort", "colour")
        check("pivot --sort unknown column exits 2", rc == 2 and "colour" in err, err)
        rc, sout, err = run(*env_ws, "costs", "--pivot")
        check("pivot without a granularity exits 2", rc == 2 and "--granularity" in err, err)
        rc, sout, err = run(*env_ws, "costs", "--granularity", "week", "--pivot", "--format", "csv",
                            "--from", "2026-10-05", "--to", "2026-10-18")
        check("pivot weeks are the Mondays", sout.startswith("group,2026-10-05,2026-10-12,total,change,change_pct,currency\n"
                                                             ",") and sout.count("\n") == 2, sout + err)
        # the first month of history and a range cut inside a month are partial: no percentage
        rc, sout, err = run(*env_ws, "costs", "--granularity", "month", "--pivot", "--format", "csv")
        allm = list(csv.reader(io.StringIO(sout)))
        check("pivot over all history: first month partial, no change", rc == 0 and len(allm) == 2
              and allm[1][-2] == "" and allm[1][-3] == "" and len(allm[0]) == 5 + len(months), sout[:200] + err)
        rc, sout, err = run(*env_ws, "costs", "--granularity", "month", "--pivot", "--format", "json",
                            "--from", "2026-09-15", "--to", "2026-10-31")
        pj = json.loads(sout) if rc == 0 else {}
        check("pivot JSON marks the cut month partial",
              [(x["period"], x["partial"], x["covered_from"]) for x in pj.get("periods", [])]
              == [("2026-09", True, "2026-09-15"), ("2026-10", False, "2026-10-01")], sout[:300] + err)
        rc, sout, err = run(*env_ws, "costs", "--granularity", "month", "--pivot",
                            "--from", "2026-09-15", "--to", "2026-10-31")
        check("pivot table marks partial periods", rc == 0 and "2026-09*" in sout and "partial" in sout, sout + err)

        # --compare: a calendar month against the previous calendar month
        rc, cout, err = run(*env_ws, "costs", "--from", "2026-10-01", "--to", "2026-10-31", "--compare", "--format", "csv")
        cmp_rows = list(csv.DictReader(io.StringIO(cout)))
        check("compare CSV header", cout.startswith("group,period,billed_cost,comparison,comparison_period,comparison_cost,"
                                                    "change,change_pct,year_earlier_period,year_earlier_cost,year_change_pct,currency\n"),
              cout[:200] + err)
        rc, sep_out, err = run(*env_ws, "costs", "--from", "2026-09-01", "--to", "2026-09-30", "--format", "csv")
        sep_total = Decimal(list(csv.DictReader(io.StringIO(sep_out)))[0]["billed_cost"])
        check("October is compared with September", len(cmp_rows) == 1
              and cmp_rows[0]["comparison"] == "previous month"
              and cmp_rows[0]["comparison_period"] == "2026-09-01/2026-09-30"
              and Decimal(cmp_rows[0]["comparison_cost"]) == sep_total
              and cmp_rows[0]["year_earlier_period"] == "2025-10-01/2025-10-31", cmp_rows)
        rc, cout, err = run(*env_ws, "costs", "--from", "2026-10-01", "--to", "2026-10-02", "--compare", "--format", "csv")
        cmp_rows = list(csv.DictReader(io.StringIO(cout)))
        check("a month to date is compared like for like", cmp_rows
              and cmp_rows[0]["comparison"] == "previous month, same days"
              and cmp_rows[0]["comparison_period"] == "2026-09-01/2026-09-02", cmp_rows)
        rc, cout, err = run(*env_ws, "costs", "--from", "2026-10-02", "--to", "2026-10-31", "--compare", "--format", "csv")
        cmp_rows = list(csv.DictReader(io.StringIO(cout)))
        check("a custom range is compared with the days before", cmp_rows
              and cmp_rows[0]["comparison"] == "the 30 days before"
              and cmp_rows[0]["comparison_period"] == "2026-09-02/2026-10-01"
              and cmp_rows[0]["year_earlier_period"] == "", cmp_rows)
        rc, cout, err = run(*env_ws, "costs", "--compare-as", "month")
        check("--compare-as without --compare exits 2", rc == 2, err)

        # analytics on the ledger
        rc, out, err = run(*env_ws, "forecast", "--horizon", "30")
        fc = list(csv.DictReader(io.StringIO(out)))
        check("forecast CSV: 30 days after the data", rc == 0 and len(fc) == 30
              and fc[0]["date"] == "2026-11-01" and fc[-1]["date"] == "2026-11-30", out[:200] + err)
        check("forecast intervals are ordered", all(
            float(r["lo95"]) <= float(r["lo80"]) <= float(r["mean"]) <= float(r["hi80"]) <= float(r["hi95"]) for r in fc))
        rc, out, err = run(*env_ws, "forecast", "--group-by", "service", "--horizon", "7", "--format", "json")
        fj = json.loads(out) if rc == 0 else []
        check("forecast by service covers 30 services", len({r["group"] for r in fj}) == 30 and len(fj) == 30 * 7, err)
        rc, out, err = run(*env_ws, "forecast", "--horizon", "400")
        check("forecast --horizon beyond 90 exits 2", rc == 2, err)

        rc, out, err = run(*env_ws, "anomalies", "--format", "csv")
        flags = list(csv.DictReader(io.StringIO(out)))
        check("anomalies CSV header", rc == 0 and out.startswith(
            "id,date,series,group,expected,actual,impact,impact_pct,score,status,currency\n"), out[:100] + err)
        import datetime
        import sqlite3
        db = sqlite3.connect(os.path.join(ws, "ledger.db"))
        events = [(datetime.date(1970, 1, 1) + datetime.timedelta(days=d), kind, svc)
                  for d, kind, svc in db.execute("SELECT usage_day, kind, service FROM demo_events")]
        db.close()
        service_flags = {(r["date"], r["group"]) for r in flags if r["series"] == "service"}
        injected = [(d, svc) for d, kind, svc in events if kind == "anomaly"]
        found = [(d, svc) for d, svc in injected if (d.isoformat(), svc) in service_flags]
        check(f"recall of the demo's injected anomalies ({len(found)}/{len(injected)})",
              len(injected) >= 4 and len(found) == len(injected), set(injected) - set(found))

        def explained(day, svc):
            d = datetime.date.fromisoformat(day)
            for e, kind, esvc in events:
                span = 3 if kind == "anomaly" else 14
                if esvc == svc and 0 <= (d - e).days <= span:
                    return True
            return False
        false_alarms = [f for f in service_flags if not explained(*f)]
        check(f"at most 3 false alarms over 548 days × 30 services ({len(false_alarms)})",
              len(false_alarms) <= 3, false_alarms)
        check("anomalies are cost increases", all(float(r["impact"]) > 0 for r in flags))
        first_id = flags[0]["id"] if flags else "0"
        rc, out, err = run(*env_ws, "anomalies", "--dismiss", first_id)
        rc2, out2, err2 = run(*env_ws, "anomalies")
        check("dismissed anomalies are hidden", rc == 0 and f"\n{first_id}," not in out2, err + err2)
        rc, out, err = run(*env_ws, "anomalies", "--all")
        check("--all shows dismissed ones", f"\n{first_id}," in out and ",dismissed," in out)

        # incidents: one row per cost event, with its root cause
        rc, out, err = run(*env_ws, "incidents", "--format", "csv")
        incs = list(csv.DictReader(io.StringIO(out)))
        check("incidents CSV header", rc == 0 and out.startswith(
            "id,start,end,days,impact,impact_pct,currency,root_cause,status\n"), out[:100] + err)
        check(f"incidents are fewer than anomaly rows ({len(incs)} < {len(flags)})", 0 < len(incs) < len(flags) / 2)
        check("incident days are end - start + 1", all(
            (datetime.date.fromisoformat(r["end"]) - datetime.date.fromisoformat(r["start"])).days + 1 == int(r["days"])
            for r in incs), incs[:2])
        ends = [r["end"] for r in incs]
        check("incidents newest first", ends == sorted(ends, reverse=True), ends)
        for d, kind, svc in events:
            if kind != "anomaly":
                continue
            covering = [r for r in incs if r["start"] <= d.isoformat() <= r["end"]]
            check(f"the {svc} event of {d} is one incident with it as root cause",
                  len(covering) == 1 and covering[0]["root_cause"].startswith(svc + " in "), covering)
        rc, out, err = run(*env_ws, "incidents", "--format", "json")
        ij = json.loads(out) if rc == 0 else []
        check("incidents JSON has causes with shares and member anomalies",
              len(ij) == len(incs) and all(
                  r["causes"] and 0 < r["causes"][0]["share"] <= 1 and r["anomalies"]
                  or r["kind"] == "new_spend" for r in ij)
              and {str(r["id"]) for r in ij} == {r["id"] for r in incs}, out[:300] + err)
        member_ids = {str(a) for r in ij for a in r["anomalies"]}
        all_flags = {r["id"] for r in csv.DictReader(io.StringIO(run(*env_ws, "anomalies", "--all")[1]))}
        check("every anomaly is in one incident", member_ids == all_flags, all_flags - member_ids)
        rc, out, err = run(*env_ws, "incidents")
        check("incidents table", rc == 0 and out.startswith("ID") and "Root cause" in out.splitlines()[0], out[:200] + err)
        inc_id = incs[0]["id"] if incs else "0"
        rc, out, err = run(*env_ws, "incidents", "--acknowledge", inc_id)
        rc2, out2, err2 = run(*env_ws, "incidents", "--format", "csv")
        after = {r["id"]: r for r in csv.DictReader(io.StringIO(out2))}
        check("--acknowledge keeps the id and sets the status across reruns",
              rc == 0 and out == "" and after.get(inc_id, {}).get("status") == "acknowledged"
              and set(after) == {r["id"] for r in incs}, err + err2)
        members = next((r["anomalies"] for r in ij if str(r["id"]) == inc_id), [])
        acked = {r["id"] for r in csv.DictReader(io.StringIO(run(*env_ws, "anomalies", "--all")[1]))
                 if r["status"] == "acknowledged"}
        check("acknowledging an incident acknowledges its anomalies", members and {str(a) for a in members} <= acked)
        last_id = incs[-1]["id"] if incs else "0"
        rc, out, err = run(*env_ws, "incidents", "--dismiss", last_id)
        rc2, out2, err2 = run(*env_ws, "incidents", "--format", "csv")
        rc3, out3, err3 = run(*env_ws, "incidents", "--format", "csv", "--all")
        check("dismissed incidents are hidden, --all shows them",
              rc == 0 and f"\n{last_id}," not in out2 and f"\n{last_id}," in out3 and ",dismissed\n" in out3,
              err + err2 + err3)
        rc, out, err = run(*env_ws, "incidents", "--acknowledge", "987654")
        check("--acknowledge of an unknown incident exits 1", rc == 1 and "987654" in err and err.count("\n") == 1, err)
        rc, out, err = run(*env_ws, "incidents", "--acknowledge", "1", "--dismiss", "2")
        check("--acknowledge with --dismiss exits 2", rc == 2, err)
        rc, out, err = run(*env_ws, "incidents", "--acknowledge", "abc")
        check("--acknowledge with a non-number exits 2", rc == 2, err)
        rc, out, err = run(*env_ws, "incidents", "--format", "xml")
        check("incidents --format xml exits 2", rc == 2 and "--format" in err, err)
        rc, out, err = run(*env_ws, "incidents", "extra")
        check("incidents with an extra argument exits 2", rc == 2, err)
        rc, out, err = run("--workspace", os.path.join(tmp, "none"), "incidents")
        check("incidents without a workspace exits 1", rc == 1, err)
        rc, out, err = run("incidents", "--help")
        check("incidents --help exits 0", rc == 0 and "Usage" in out and "root_cause" in out, out + err)

        rc, out, err = run(*env_ws, "budgets", "add", "--name", "Cloud", "--amount", "300000")
        check("budgets add", rc == 0, err)
        rc, out, err = run(*env_ws, "budgets", "add", "--name", "Cloud", "--amount", "1")
        check("duplicate budget exits 1", rc == 1 and "already exists" in err, err)
        rc, out, err = run(*env_ws, "budgets", "add", "--name", "X", "--amount", "-5")
        check("negative budget exits 2", rc == 2, err)
        rc, out, err = run(*env_ws, "budgets", "add", "--name", "X", "--amount", "5", "--stages", "80,50")
        check("descending stages exit 2", rc == 2, err)
        rc, out, err = run(*env_ws, "budgets", "list", "--format", "json")
        bl = json.loads(out) if rc == 0 else []
        # the demo's two example budgets, then the one added above
        names = [b["name"] for b in bl]
        cloud = [b for b in bl if b["name"] == "Cloud"]
        check("budget list has the demo's two budgets and the new one",
              len(bl) == 3 and "Cloud spend" in names and "Platform team" in names, out + err)
        check("budget list shows October spend over 50 and 80 %",
              len(cloud) == 1 and cloud[0]["period_start"] == "2026-10-01"
              and abs(Decimal(str(cloud[0]["actual"])) - Decimal(str(s.get("month_to_date", 0)))) < Decimal("0.01")
              and "actual 80%" in cloud[0]["stages_crossed"] and "actual 100%" in cloud[0]["stages_crossed"],
              out + err)
        check("a complete period's chance of passing is 0 or 1",
              len(cloud) == 1 and cloud[0]["probability_over"] == 1, out)
        rc, out, err = run(*env_ws, "budgets", "remove", "Cloud")
        rc2, out2, err2 = run(*env_ws, "budgets", "remove", "Cloud")
        check("budgets remove, then not found", rc == 0 and rc2 == 1, err2)

        rc, out, err = run(*env_ws, "costs")
        check("table output has a header", rc == 0 and out.startswith("Period"), out[:80])

        # one default workspace: without --workspace the CLI reads what the
        # window shows, the demo in $XDG_DATA_HOME/cumulus/demo until a
        # default workspace exists
        xdg = os.path.join(tmp, "xdg")
        env = dict(os.environ, XDG_DATA_HOME=xdg)
        env.pop("CUMULUS_WORKSPACE", None)
        rc, out, err = run("summary", env=env)
        check("no workspace at all: summary exits 1 naming the default", rc == 1 and "default" in err, err)
        demo = os.path.join(xdg, "cumulus", "demo")
        rc, out, err = run("--workspace", demo, "demo", "--end", "2026-12-02", env=env)
        check("the GUI's demo workspace is made", rc == 0, err)
        rc, out, err = run("summary", "--json", "--as-of", "2026-12-03", env=env)
        s2 = json.loads(out) if rc == 0 else {}
        check("without --workspace the CLI finds the GUI's demo workspace",
              rc == 0 and s2.get("data_last_day") == "2026-12-02", err)
        check("without a forecast the month-end is linear, and says so",
              s2.get("month_projection_basis") == "linear" and s2.get("month_projection_model") is None, out)
        # budgets list runs the analysis: forecasts exist afterwards
        rc, out, err = run("budgets", "list", "--format", "json", env=env)
        bl2 = json.loads(out) if rc == 0 else []
        rc, out, err = run("summary", "--json", "--as-of", "2026-12-03", env=env)
        s3 = json.loads(out) if rc == 0 else {}
        total = [b for b in bl2 if b["name"] == "Cloud spend"]
        check("with a forecast the month-end is actuals plus the forecast, with its interval",
              s3.get("month_projection_basis") == "forecast" and s3.get("month_projection_model")
              and s3["month_projection_lo95"] < s3["month_projection_lo80"] < s3["month_projection"]
              < s3["month_projection_hi80"] < s3["month_projection_hi95"], out)
        check("the Overview's month-end is the budget's forecast (one number)",
              len(total) == 1 and abs(total[0]["forecast"] - s3.get("month_projection", 0)) < 0.01,
              f"{total} {s3.get('month_projection')}")
        check("the chance of passing the demo budget is a probability",
              len(total) == 1 and total[0]["probability_over"] is not None
              and 0 < total[0]["probability_over"] < 1, out)
        default = os.path.join(xdg, "cumulus", "default")
        rc, out, err = run("--workspace", default, "demo", "--end", "2026-11-30", env=env)
        rc, out, err = run("summary", "--json", env=env)
        s4 = json.loads(out) if rc == 0 else {}
        check("once a default workspace exists, it wins over the demo",
              s4.get("data_last_day") == "2026-11-30", err)

        rc, out, err = run("bench", "--rows", "20000", "--dir", os.path.join(tmp, "bench"))
        check("bench prints rows/s and query times", rc == 0 and "rows/s" in out and "ms" in out, out + err)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"1..{len(results)}")
    for i, (name, ok, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {name}")
        if not ok and detail != "":
            for line in str(detail).splitlines()[:10]:
                print(f"# {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

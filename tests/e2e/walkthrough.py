#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""walkthrough.py CUMULUS TMPDIR — drive the real app like a person (AT-SPI).

Run by run-walkthrough.sh inside Xvfb, a session bus and an accessibility
bus. Makes a demo workspace with cumulus-cli, starts the app on it, reads the
Overview's month-to-date figure and compares it with `cumulus-cli summary`,
clicks Cost Explorer, Anomalies and Budgets in the sidebar and checks what
each page shows, then quits with Ctrl+Q and checks the exit status. TAP.

Clicks and keys are real X input (XTest, through the AT-SPI registry). GTK 4.8
only reports window coordinates; with no window manager on Xvfb the window
sits at the screen's origin, so window coordinates are screen coordinates.
"""
import datetime
import decimal
import json
import os
import re
import subprocess
import sys
import time

import pyatspi

CUMULUS, TMP = sys.argv[1], sys.argv[2]
CLI = os.environ["CUMULUS_CLI"]
AS_OF = "2026-11-01"
WORKSPACE = os.path.join(TMP, "workspace")

PLAN = [
    "the app shows up on the accessibility bus",
    "Overview shows the month to date of `cumulus-cli summary`",
    "Cost Explorer lists costs by group",
    "Anomalies lists incidents with root causes and amounts",
    "Budgets shows its page",
    "Ctrl+Q quits the app with exit status 0",
]
results = []


def diag(msg):
    for line in str(msg).splitlines():
        print("# " + line, flush=True)


def report(ok, detail=""):
    n = len(results) + 1
    results.append(ok)
    print("%s %d - %s" % ("ok" if ok else "not ok", n, PLAN[n - 1]), flush=True)
    if detail:
        diag(detail)


class Failed(Exception):
    pass


def wait_for(what, probe, timeout):
    """Polls probe() until it returns something true; returns that."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            found = probe()
            if found:
                return found
        except Exception as e:  # the tree changes under us while pages load
            last = e
        if time.monotonic() > deadline:
            raise Failed("timed out after %d s waiting for %s%s"
                         % (timeout, what, " (last error: %s)" % last if last else ""))
        time.sleep(0.5)


def walk(node):
    yield node
    try:
        children = list(node)
    except Exception:
        return
    for child in children:
        if child is not None:
            yield from walk(child)


def role(node):
    try:
        return node.getRoleName()
    except Exception:
        return ""


def name(node):
    try:
        return node.name or ""
    except Exception:
        return ""


def find(root, want_role, want_name):
    for node in walk(root):
        if role(node) == want_role and name(node) == want_name:
            return node
    return None


def labels(root):
    return [name(n) for n in walk(root) if role(n) == "label"]


def window_titles(app):
    """The titles of the window's header bars (AdwWindowTitle's first label)."""
    titles = []
    for node in walk(app):
        if role(node) == "filler" and name(node) == "AdwWindowTitle":
            texts = labels(node)
            if texts:
                titles.append(texts[0])
    return titles


def click(node):
    box = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    if box.width <= 0 or box.height <= 0:
        raise Failed("%r has no size on screen" % name(node))
    pyatspi.Registry.generateMouseEvent(box.x + box.width // 2,
                                        box.y + box.height // 2, "b1c")


def expected_month_to_date():
    out = subprocess.run([CLI, "--workspace", WORKSPACE, "summary", "--json",
                          "--as-of", AS_OF],
                         check=True, capture_output=True, text=True).stdout
    summary = json.loads(out, parse_float=decimal.Decimal)
    month = datetime.date.fromisoformat(summary["month_start"]).strftime("%B")
    return month + " to date", "$" + format(summary["month_to_date"], ",.2f")


def main():
    print("1..%d" % len(PLAN), flush=True)

    subprocess.run([CLI, "--workspace", WORKSPACE, "demo", "--end", "2026-10-31"],
                   check=True, stdout=sys.stderr)
    card_title, want_mtd = expected_month_to_date()
    diag("cumulus-cli summary: %s = %s" % (card_title, want_mtd))

    pyatspi.Registry.getDesktop(0)  # the registry is up before the app starts

    env = dict(os.environ)
    env.pop("NO_AT_BRIDGE", None)
    env.pop("CUMULUS_E2E_INSIDE", None)
    env.pop("CUMULUS_E2E_APP_G_DEBUG", None)
    if os.environ.get("CUMULUS_E2E_APP_G_DEBUG"):
        env["G_DEBUG"] = os.environ["CUMULUS_E2E_APP_G_DEBUG"]
    env["CUMULUS_WORKSPACE"] = WORKSPACE
    proc = subprocess.Popen([CUMULUS], env=env, stdout=sys.stderr, stderr=sys.stderr)

    try:
        walkthrough(proc, card_title, want_mtd)
    except Failed as e:
        report(False, e)
    except Exception as e:  # pyatspi errors: the test fails, it does not crash
        report(False, "%s: %s" % (type(e).__name__, e))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    for _ in range(len(results), len(PLAN)):
        report(False, "not reached")
    return 0 if all(results) else 1


def walkthrough(proc, card_title, want_mtd):
    # 1. the app on the bus
    def app_on_bus():
        if proc.poll() is not None:
            raise Failed("cumulus exited early with status %d" % proc.returncode)
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and app.get_process_id() == proc.pid and app.childCount > 0:
                return app
        return None
    app = wait_for("cumulus on the accessibility bus", app_on_bus, 60)
    report(True, "application %r, pid %d" % (name(app), proc.pid))

    # 2. Overview: the month-to-date card
    def mtd_value():
        for node in walk(app):
            if role(node) == "label" and name(node) == card_title:
                money = [t for t in labels(node.parent)
                         if re.fullmatch(r"\$[0-9,]+\.[0-9]{2}", t)]
                if money:
                    return money[0]
        return None
    got = wait_for("the %r card" % card_title, mtd_value, 60)
    report(got == want_mtd, "Overview shows %s, cumulus-cli says %s" % (got, want_mtd))

    sidebar = wait_for("the sidebar", lambda: find(app, "list", "Pages"), 10)

    def open_page(title):
        row = find(sidebar, "list item", title)
        if row is None:
            raise Failed("no sidebar entry named %r" % title)
        click(row)
        wait_for("the header to say %r" % title, lambda: title in window_titles(app), 10)
        if not row.getState().contains(pyatspi.STATE_SELECTED):
            raise Failed("sidebar entry %r is not selected" % title)

    # 3. Cost Explorer: rows with amounts
    open_page("Cost Explorer")

    # the pivot table (a GtkColumnView): found by its name whatever role the
    # toolkit gives a column view; its cells are labels with amounts
    def explorer_rows():
        table = next((n for n in walk(app) if name(n) == "Cost by group and period"), None)
        return [t for t in labels(table)] if table is not None and any("$" in t for t in labels(table)) else None
    cells = wait_for("costs by group", explorer_rows, 30)
    report(True, "%d cells with amounts, first: %s" % (sum("$" in t for t in cells), " | ".join(cells[:6])))

    # 4. Anomalies: incidents, at least one row with an amount and a root
    # cause ("<service> in <account>, <region>")
    open_page("Anomalies")

    def anomaly_rows():
        listing = find(app, "list", "Incidents, newest first")
        return [row for row in (listing or []) if any("$" in t for t in labels(row))
                and any(" in " in t for t in labels(row))]
    rows = wait_for("incident rows", anomaly_rows, 30)
    report(True, "%d incidents, first: %s" % (len(rows), " | ".join(labels(rows[0]))))

    # 5. Budgets: the New Budget button, and the demo's empty state (or,
    # should the demo ever bring budgets, an amount)
    open_page("Budgets")
    wait_for("the New Budget button", lambda: find(app, "push button", "New Budget"), 30)

    def budgets_shown():
        texts = labels(find(app, "panel", "Budgets"))
        return texts if "No Budgets" in texts or any("$" in t for t in texts) else None
    texts = wait_for("the budgets or the empty state", budgets_shown, 30)
    report(True, "Budgets page: " + " | ".join(t for t in texts if t)[:300])

    # 6. Ctrl+Q (app.quit): Control held as a locked modifier, then q
    control_mask = 1 << pyatspi.MODIFIER_CONTROL
    pyatspi.Registry.generateKeyboardEvent(control_mask, None, pyatspi.KEY_LOCKMODIFIERS)
    try:
        pyatspi.Registry.generateKeyboardEvent(ord("q"), None, pyatspi.KEY_SYM)
    finally:
        pyatspi.Registry.generateKeyboardEvent(control_mask, None, pyatspi.KEY_UNLOCKMODIFIERS)
    try:
        status = proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        raise Failed("cumulus still running 20 s after Ctrl+Q")
    report(status == 0, "exit status %d" % status)


if __name__ == "__main__":
    sys.exit(main())

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-analysis-private.h — row readers shared by the analysis modules
 *
 * The anomalies page, the budgets page and the notification outbox read the
 * same rows with different filters; one reader per table keeps them alike.
 */
#pragma once

#include "analysis/cu-analysis.h"
#include "analysis/cu-budgets.h"
#include "analysis/cu-incidents.h"
#include "store/cu-ledger-private.h"

G_BEGIN_DECLS

/* @clause: trusted SQL after the FROM, "WHERE … ORDER BY …"; @what names
 * the read in an error. Return (element-type CuAnomaly / CuBudgetAlert). */
GPtrArray  *cu_anomalies_select      (CuLedger    *ledger,
                                      const char  *clause,
                                      const char  *what,
                                      GError     **error);
/* budget_alerts is aliased a, budgets b */
GPtrArray  *cu_budget_alerts_select  (CuLedger    *ledger,
                                      const char  *clause,
                                      const char  *what,
                                      GError     **error);

/* incidents: the same, with causes and member ids filled in */
GPtrArray  *cu_incidents_select      (CuLedger    *ledger,
                                      const char  *clause,
                                      const char  *what,
                                      GError     **error);
/* regroups the anomalies into incidents inside the caller's transaction */
gboolean    cu_incidents_rebuild     (CuLedger    *ledger,
                                      guint       *n_incidents,
                                      GError     **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-outbox.h — incidents, anomalies and budget alerts nobody has been told about yet
 *
 * An analysis run stores incidents, anomalies and budget stages with
 * notified = 0. Notifications are per incident; the anomalies are there
 * for callers that announce series (and are marked with their incident).
 * Whoever announces them (the GUI's GNotifications) collects them here,
 * tells the user, then marks exactly those notified, so each is announced
 * once however often the analysis runs.
 */
#pragma once

#include "analysis/cu-analysis.h"
#include "analysis/cu-budgets.h"
#include "store/cu-ledger.h"

G_BEGIN_DECLS

typedef struct {
  /* of CuAnomaly: status "new", impact of at least CU_ANALYSIS_MIN_IMPACT,
   * newest day first, then the largest impact */
  GPtrArray *anomalies;
  /* of CuIncident: status "new", impact of at least CU_ANALYSIS_MIN_IMPACT,
   * newest first, then the largest impact */
  GPtrArray *incidents;
  /* of CuBudgetAlert: by budget name, budget, period, basis, threshold */
  GPtrArray *alerts;
} CuOutbox;

void        cu_outbox_free            (CuOutbox *outbox);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuOutbox, cu_outbox_free)

CuOutbox   *cu_outbox_collect         (CuLedger        *ledger,
                                       GError         **error);
gboolean    cu_outbox_is_empty        (const CuOutbox  *outbox);
gboolean    cu_outbox_mark_notified   (CuLedger        *ledger,
                                       const CuOutbox  *outbox,
                                       GError         **error);

G_END_DECLS

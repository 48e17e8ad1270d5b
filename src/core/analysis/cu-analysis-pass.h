/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-analysis-pass.h — one full analysis of a workspace after its costs changed
 *
 * Forecasts and anomalies (cu_analysis_run()), then the budget stages
 * crossed, recorded as alerts (cu_budgets_evaluate()), then the outbox of
 * what nobody was told about yet. The GUI's analysis job runs it in a
 * worker with its own ledger connection.
 */
#pragma once

#include <gio/gio.h>

#include "analysis/cu-analysis.h"
#include "analysis/cu-outbox.h"
#include "store/cu-ledger.h"

G_BEGIN_DECLS

typedef struct {
  CuAnalysisStats  stats;        /* of the forecasts and anomalies */
  guint            n_budgets;    /* budgets evaluated */
  guint            n_stages;     /* stages they have crossed in their current period */
  CuOutbox        *outbox;       /* waiting to be announced, after this pass */
} CuAnalysisPass;

void            cu_analysis_pass_free  (CuAnalysisPass *pass);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuAnalysisPass, cu_analysis_pass_free)

CuAnalysisPass *cu_analysis_pass_run   (CuLedger      *ledger,
                                        CuDay          as_of,
                                        GCancellable  *cancellable,
                                        GError       **error);

G_END_DECLS

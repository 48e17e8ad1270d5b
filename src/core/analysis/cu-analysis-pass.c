/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-analysis-pass.c — one full analysis of a workspace after its costs changed
 *
 * The order matters: budgets read the forecasts the first step stores (a
 * stage on "forecast" is crossed by actuals plus the new forecast), and the
 * outbox is read last so that it holds this pass's anomalies and alerts.
 */
#define G_LOG_DOMAIN "cumulus-analysis"

#include "analysis/cu-analysis-pass.h"
#include "analysis/cu-budgets.h"

void
cu_analysis_pass_free (CuAnalysisPass *pass)
{
  if (pass == NULL)
    return;
  g_clear_pointer (&pass->outbox, cu_outbox_free);
  g_free (pass);
}

/**
 * cu_analysis_pass_run:
 * @as_of: today; the history ends the day before (or at the last data)
 * @cancellable: (nullable): checked between series and before the budgets
 *
 * Fits forecasts, flags anomalies, records the budget stages crossed and
 * collects the outbox. Each step commits on its own: a cancelled pass
 * leaves the previous step's results stored, never half of one.
 *
 * Returns: (transfer full): what the pass found, or %NULL with @error
 *   (%G_IO_ERROR_CANCELLED when cancelled)
 */
CuAnalysisPass *
cu_analysis_pass_run (CuLedger      *ledger,
                      CuDay          as_of,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(CuAnalysisPass) pass = g_new0 (CuAnalysisPass, 1);
  g_autoptr(GPtrArray) budgets = NULL;
  g_autoptr(GPtrArray) statuses = NULL;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  if (!cu_analysis_run (ledger, as_of, cancellable, &pass->stats, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  budgets = cu_budgets_list (ledger, error);
  if (budgets == NULL)
    return NULL;
  statuses = cu_budgets_evaluate (ledger, budgets, as_of, TRUE, error);
  if (statuses == NULL)
    return NULL;
  pass->n_budgets = budgets->len;
  for (guint i = 0; i < statuses->len; i++)
    pass->n_stages += ((CuBudgetStatus *) g_ptr_array_index (statuses, i))->stages->len;

  pass->outbox = cu_outbox_collect (ledger, error);
  if (pass->outbox == NULL)
    return NULL;
  return g_steal_pointer (&pass);
}

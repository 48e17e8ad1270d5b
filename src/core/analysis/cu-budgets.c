/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-budgets.c — budgets with staged alerts on actual and forecast spend
 *
 * A stage (say 80 %) is crossed on "actual" when spend to date reaches it,
 * and on "forecast" when the projected spend of the whole period does.
 * budget_alerts has one row per budget × period × basis × stage, so each
 * stage alerts once per period however often the budgets are evaluated.
 */
#define G_LOG_DOMAIN "cumulus-budgets"

#include "analysis/cu-analysis.h"
#include "analysis/cu-analysis-private.h"
#include "analysis/cu-budgets.h"
#include "analysis/cu-projection.h"
#include "store/cu-cost-query.h"
#include "util/cu-money.h"

#include <stdlib.h>
#include <string.h>

void
cu_budget_free (CuBudget *b)
{
  if (b == NULL)
    return;
  g_free (b->name);
  g_free (b->currency);
  g_free (b->filter_key);
  g_free (b->filter_value);
  g_free (b);
}

void
cu_budget_alert_free (CuBudgetAlert *a)
{
  if (a == NULL)
    return;
  g_free (a->budget_name);
  g_free (a->currency);
  g_free (a->basis);
  g_free (a);
}

static void
stage_free (CuBudgetStage *s)
{
  g_free (s->basis);
  g_free (s);
}

void
cu_budget_status_free (CuBudgetStatus *s)
{
  if (s == NULL)
    return;
  g_clear_pointer (&s->stages, g_ptr_array_unref);
  g_free (s);
}

static const char * const period_names[] = { "monthly", "quarterly", "annual" };

gboolean
cu_budget_period_parse (const char *text, CuBudgetPeriod *period)
{
  for (guint i = 0; i < G_N_ELEMENTS (period_names); i++)
    if (g_strcmp0 (text, period_names[i]) == 0)
      {
        *period = (CuBudgetPeriod) i;
        return TRUE;
      }
  return FALSE;
}

const char *
cu_budget_period_to_string (CuBudgetPeriod period)
{
  g_return_val_if_fail (period <= CU_BUDGET_ANNUAL, NULL);
  return period_names[period];
}

/**
 * cu_budget_stages_parse:
 * @text: "50,80,100"
 *
 * Fills @budget's stages, ascending, each 1–1000 %.
 */
gboolean
cu_budget_stages_parse (const char *text, CuBudget *budget, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  guint n = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *end = NULL;
      gint64 v = g_ascii_strtoll (g_strstrip (parts[i]), &end, 10);

      if (end == parts[i] || *end != '\0' || v < 1 || v > 1000 || n >= CU_BUDGET_MAX_STAGES ||
          (n > 0 && (guint) v <= budget->stages[n - 1]))
        {
          g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                       "Alert stages “%s” must be up to %d ascending percentages between 1 and 1000, like 50,80,100",
                       text, CU_BUDGET_MAX_STAGES);
          return FALSE;
        }
      budget->stages[n++] = (guint) v;
    }
  if (n == 0)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID, "A budget needs at least one alert stage");
      return FALSE;
    }
  budget->n_stages = n;
  return TRUE;
}

static char *
stages_to_string (const CuBudget *b)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < b->n_stages; i++)
    g_string_append_printf (s, "%s%u", i ? "," : "", b->stages[i]);
  return g_string_free (s, FALSE);
}

void
cu_budget_period_bounds (CuBudgetPeriod period, CuDay day, CuDay *start, CuDay *end)
{
  int y, m;

  cu_day_to_ymd (day, &y, &m, NULL);
  switch (period)
    {
    case CU_BUDGET_MONTHLY:
      *start = cu_day_from_ymd (y, m, 1);
      *end = cu_day_month_end (*start);
      break;
    case CU_BUDGET_QUARTERLY:
      *start = cu_day_from_ymd (y, ((m - 1) / 3) * 3 + 1, 1);
      *end = cu_day_add_months (*start, 3) - 1;
      break;
    case CU_BUDGET_ANNUAL:
    default:
      *start = cu_day_from_ymd (y, 1, 1);
      *end = cu_day_from_ymd (y, 12, 31);
      break;
    }
}

static gboolean
validate (const CuBudget *b, GError **error)
{
  if (b->name == NULL || *b->name == '\0')
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID, "A budget needs a name");
      return FALSE;
    }
  if (b->amount <= 0)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID, "The budget amount must be above zero");
      return FALSE;
    }
  if (b->currency == NULL || strlen (b->currency) != 3)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID, "The budget currency must be a three-letter code");
      return FALSE;
    }
  if (b->filter_key != NULL &&
      !g_str_equal (b->filter_key, "account") && !g_str_equal (b->filter_key, "service") &&
      !g_str_equal (b->filter_key, "region") && !g_str_equal (b->filter_key, "provider") &&
      !(g_str_has_prefix (b->filter_key, "tag:") && b->filter_key[4] != '\0'))
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "A budget filters on account, service, region, provider or tag:KEY, not “%s”", b->filter_key);
      return FALSE;
    }
  if (b->filter_key != NULL && (b->filter_value == NULL || *b->filter_value == '\0'))
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID, "The budget filter needs a value");
      return FALSE;
    }
  if (b->n_stages == 0)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID, "A budget needs at least one alert stage");
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_budget (CuLedger *ledger, const CuBudget *b, gboolean update, gint64 *id, GError **error)
{
  g_autofree char *stages = stages_to_string (b);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!validate (b, error))
    return FALSE;
  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          update
                          ? "UPDATE budgets SET period = ?2, amount = ?3, currency = ?4, filter_key = ?5,"
                            " filter_value = ?6, thresholds = ?7 WHERE name = ?1"
                          : "INSERT INTO budgets (name, period, amount, currency, filter_key, filter_value, thresholds)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot save the budget");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, b->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, cu_budget_period_to_string (b->period), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, b->amount);
  sqlite3_bind_text (stmt, 4, b->currency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, b->filter_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, b->filter_value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, stages, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_EXISTS, "A budget named “%s” already exists", b->name);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot save the budget");
      return FALSE;
    }
  if (update && sqlite3_changes (cu_ledger_get_db (ledger)) == 0)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_NOT_FOUND, "No budget named “%s”", b->name);
      return FALSE;
    }
  if (id)
    *id = sqlite3_last_insert_rowid (cu_ledger_get_db (ledger));
  return TRUE;
}

/**
 * cu_budgets_add:
 *
 * Returns: the new budget's id, or 0 with @error
 */
gint64
cu_budgets_add (CuLedger *ledger, const CuBudget *budget, GError **error)
{
  gint64 id = 0;
  return write_budget (ledger, budget, FALSE, &id, error) ? id : 0;
}

/**
 * cu_budgets_update:
 *
 * Changes the budget named budget->name. Stages already alerted stay alerted.
 */
gboolean
cu_budgets_update (CuLedger *ledger, const CuBudget *budget, GError **error)
{
  return write_budget (ledger, budget, TRUE, NULL, error);
}

gboolean
cu_budgets_remove (CuLedger *ledger, const char *name, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), "DELETE FROM budgets WHERE name = ?", -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot remove the budget");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot remove the budget");
      return FALSE;
    }
  if (sqlite3_changes (cu_ledger_get_db (ledger)) == 0)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_NOT_FOUND, "No budget named “%s”", name);
      return FALSE;
    }
  return TRUE;
}

/**
 * cu_budgets_list:
 *
 * Returns: (transfer full) (element-type CuBudget): by name
 */
GPtrArray *
cu_budgets_list (CuLedger *ledger, GError **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_budget_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "SELECT id, name, period, amount, currency, filter_key, filter_value, thresholds"
                          " FROM budgets ORDER BY name", -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot list budgets");
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CuBudget *b = g_new0 (CuBudget, 1);
      const char *fk = (const char *) sqlite3_column_text (stmt, 5);
      const char *fv = (const char *) sqlite3_column_text (stmt, 6);

      b->id = sqlite3_column_int64 (stmt, 0);
      b->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      cu_budget_period_parse ((const char *) sqlite3_column_text (stmt, 2), &b->period);
      b->amount = sqlite3_column_int64 (stmt, 3);
      b->currency = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      b->filter_key = g_strdup (fk);
      b->filter_value = g_strdup (fv);
      cu_budget_stages_parse ((const char *) sqlite3_column_text (stmt, 7), b, NULL);
      g_ptr_array_add (list, b);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot list budgets");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* Daily spend of the budget's slice over [start, through], in its currency. */
static GArray *
daily_spend (CuLedger *ledger, const CuBudget *b, CuDay start, CuDay through, GError **error)
{
  g_autoptr(GPtrArray) cells = NULL;
  GArray *days = g_array_new (FALSE, TRUE, sizeof (gint64));
  CuCostQuery q;

  g_array_set_size (days, MAX (through - start + 1, 0));
  if (through < start)
    return days;
  cu_cost_query_init (&q);
  q.from = start;
  q.to = through;
  q.granularity = CU_GRANULARITY_DAY;
  q.filter_key = b->filter_key;
  q.filter_value = b->filter_value;
  cells = cu_ledger_query_costs (ledger, &q, error);
  if (cells == NULL)
    {
      g_array_unref (days);
      return NULL;
    }
  for (guint i = 0; i < cells->len; i++)
    {
      CuCostCell *c = cells->pdata[i];
      if (g_str_equal (c->currency, b->currency))
        g_array_index (days, gint64, c->period_start - start) += c->billed;
    }
  return days;
}

static gboolean
record_stage (CuLedger *ledger, const CuBudget *b, CuDay period_start, CuBudgetStage *stage, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "INSERT OR IGNORE INTO budget_alerts (budget_id, period_start, basis, threshold, spend, crossed_day)"
                          " VALUES (?, ?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot record the budget alert");
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, b->id);
  sqlite3_bind_int (stmt, 2, period_start);
  sqlite3_bind_text (stmt, 3, stage->basis, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, stage->threshold);
  sqlite3_bind_int64 (stmt, 5, stage->spend);
  sqlite3_bind_int (stmt, 6, stage->crossed_day);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot record the budget alert");
      return FALSE;
    }
  stage->new_alert = sqlite3_changes (cu_ledger_get_db (ledger)) > 0;
  return TRUE;
}

/**
 * cu_budgets_evaluate:
 * @budgets: (element-type CuBudget): from cu_budgets_list()
 * @record_alerts: write crossed stages to budget_alerts, marking each
 *   status stage new_alert the first time it is crossed in the period
 *
 * Returns: (transfer full) (element-type CuBudgetStatus): one per budget
 */
GPtrArray *
cu_budgets_evaluate (CuLedger   *ledger,
                     GPtrArray  *budgets,
                     CuDay       as_of,
                     gboolean    record_alerts,
                     GError    **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_budget_status_free);
  CuDay first = 0, last = 0, ref;

  if (!cu_ledger_get_day_range (ledger, &first, &last, error) && error && *error)
    return NULL;
  ref = MIN (as_of - 1, last);

  for (guint i = 0; i < budgets->len; i++)
    {
      CuBudget *b = budgets->pdata[i];
      CuBudgetStatus *st = g_new0 (CuBudgetStatus, 1);
      g_autoptr(GArray) days = NULL;
      gint64 cumulative = 0;
      const char *kind = NULL;

      st->budget = b;
      st->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) stage_free);
      g_ptr_array_add (out, st);
      cu_budget_period_bounds (b->period, ref, &st->period_start, &st->period_end);
      st->through = ref;

      days = daily_spend (ledger, b, st->period_start, ref, error);
      if (days == NULL)
        return NULL;

      for (guint d = 0; d < days->len; d++)
        {
          cumulative += g_array_index (days, gint64, d);
          for (guint s = 0; s < b->n_stages; s++)
            {
              gboolean known = FALSE;
              gint64 limit = (gint64) ((double) b->amount * b->stages[s] / 100.0);

              for (guint k = 0; k < st->stages->len; k++)
                {
                  CuBudgetStage *e = st->stages->pdata[k];
                  known |= e->threshold == b->stages[s] && g_str_equal (e->basis, "actual");
                }
              if (!known && cumulative >= limit)
                {
                  CuBudgetStage *stage = g_new0 (CuBudgetStage, 1);
                  stage->threshold = b->stages[s];
                  stage->basis = g_strdup ("actual");
                  stage->crossed_day = st->period_start + (CuDay) d;
                  stage->spend = cumulative;
                  g_ptr_array_add (st->stages, stage);
                }
            }
        }
      st->actual = cumulative;

      /* forecast: the stored model of the same slice when there is one */
      if (b->filter_key == NULL)
        kind = "total";
      else if (g_str_equal (b->filter_key, "account") || g_str_equal (b->filter_key, "service"))
        kind = b->filter_key;
      st->forecast = st->actual;
      st->probability_over = ref >= st->period_end ? (st->actual > b->amount ? 1.0 : 0.0) : -1.0;
      if (kind != NULL && ref < st->period_end)
        {
          CuProjection p;
          g_autoptr(GError) local = NULL;

          if (cu_analysis_project (ledger, kind, b->filter_value ? b->filter_value : "",
                                   st->period_start, st->period_end, &p, &local) &&
              p.model != NULL && p.actual_through == ref)
            {
              double amount = cu_money_to_double (b->amount) - cu_money_to_double (st->actual) + p.actual;

              st->forecast = st->actual + cu_money_from_double (p.mean - p.actual);
              st->forecast_from_model = TRUE;
              /* the projection's own actuals may differ from the filtered
               * ones by rounding: shift the budget onto its scale */
              st->probability_over = cu_projection_probability_above (&p, amount);
              st->forecast_lo80 = cu_money_to_double (st->actual) + p.lo80 - p.actual;
              st->forecast_hi80 = cu_money_to_double (st->actual) + p.hi80 - p.actual;
            }
          g_free (p.model);
        }
      if (!st->forecast_from_model && ref >= st->period_start && ref < st->period_end)
        st->forecast = (gint64) ((double) st->actual / (ref - st->period_start + 1) *
                                 (st->period_end - st->period_start + 1));
      if (!st->forecast_from_model)
        st->forecast_lo80 = st->forecast_hi80 = cu_money_to_double (st->forecast);

      for (guint s = 0; s < b->n_stages; s++)
        {
          gint64 limit = (gint64) ((double) b->amount * b->stages[s] / 100.0);
          if (st->forecast >= limit)
            {
              CuBudgetStage *stage = g_new0 (CuBudgetStage, 1);
              stage->threshold = b->stages[s];
              stage->basis = g_strdup ("forecast");
              stage->crossed_day = ref;
              stage->spend = st->forecast;
              g_ptr_array_add (st->stages, stage);
            }
        }

      if (record_alerts)
        for (guint k = 0; k < st->stages->len; k++)
          if (!record_stage (ledger, b, st->period_start, st->stages->pdata[k], error))
            return NULL;
    }
  return g_steal_pointer (&out);
}

static gpointer
budget_alert_new_from_row (sqlite3_stmt *stmt)
{
  CuBudgetAlert *a = g_new0 (CuBudgetAlert, 1);
  CuDay start;

  a->budget_id = sqlite3_column_int64 (stmt, 0);
  a->budget_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  /* a period this version does not know reads as monthly, as budgets do */
  if (!cu_budget_period_parse ((const char *) sqlite3_column_text (stmt, 2), &a->period))
    a->period = CU_BUDGET_MONTHLY;
  a->amount = sqlite3_column_int64 (stmt, 3);
  a->currency = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  /* the stored start is the alert's key: kept as it is, for marking */
  a->period_start = sqlite3_column_int (stmt, 5);
  cu_budget_period_bounds (a->period, a->period_start, &start, &a->period_end);
  a->basis = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  a->threshold = sqlite3_column_int (stmt, 7);
  a->spend = sqlite3_column_int64 (stmt, 8);
  a->crossed_day = sqlite3_column_int (stmt, 9);
  return a;
}

/**
 * cu_budgets_list_alerts:
 *
 * Every stage crossed so far, by any budget, notified or not.
 *
 * Returns: (transfer full) (element-type CuBudgetAlert): newest period
 *   first, then the highest stage, "actual" before "forecast"; %NULL with
 *   @error
 */
GPtrArray *
cu_budgets_list_alerts (CuLedger  *ledger,
                        GError   **error)
{
  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);

  return cu_budget_alerts_select (ledger, "ORDER BY a.period_start DESC, a.threshold DESC, a.basis",
                                  "Cannot read the budget alerts", error);
}

GPtrArray *
cu_budget_alerts_select (CuLedger    *ledger,
                         const char  *clause,
                         const char  *what,
                         GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT a.budget_id, b.name, b.period, b.amount, b.currency, a.period_start,"
                                          " a.basis, a.threshold, a.spend, a.crossed_day FROM budget_alerts a"
                                          " JOIN budgets b ON b.id = a.budget_id %s", clause);

  return cu_ledger_select_rows (ledger, sql, budget_alert_new_from_row, (GDestroyNotify) cu_budget_alert_free,
                                what, error);
}

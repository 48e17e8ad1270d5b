/* cmd-ledger.c — forecast, anomalies and budgets on the workspace's ledger
 *
 * `forecast` and `anomalies` without --input work on the ledger (the file
 * forms are in cmd-analytics.c); `budgets` is here entirely.
 */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cu-cli.h"
#include "analysis/cu-analysis.h"
#include "analysis/cu-budgets.h"
#include "store/cu-ledger.h"
#include "util/cu-date.h"
#include "util/cu-money.h"
#include "util/cu-workspace.h"

static gboolean
run_analysis (CuLedger *ledger, int *exit_code)
{
  g_autoptr(GError) error = NULL;

  if (!cu_analysis_run (ledger, cu_day_today (), NULL, NULL, &error))
    {
      *exit_code = cu_cli_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------ forecast */

int
cu_cli_forecast_ledger (CuCliGlobal *global, int argc, char **argv)
{
  g_autofree char *group = NULL, *format = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  gint horizon = 30;
  int rc = 0, n = 0;
  gboolean csv;
  GOptionEntry entries[] = {
    { "group-by", 0, 0, G_OPTION_ARG_STRING, &group, "total, account or service (default: total)", "GROUP" },
    { "horizon", 0, 0, G_OPTION_ARG_INT, &horizon, "Days ahead, 1 to 90 (default 30)", "H" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "csv or json (default: csv)", "FORMAT" },
    { NULL }
  };

  if (!cu_cli_parse ("forecast", NULL,
                     "Forecasts daily costs of the workspace with 80 % and 95 % prediction\n"
                     "intervals (Holt-Winters / ETS chosen by AICc, weekly season).\n"
                     "CSV columns: group,date,mean,lo80,hi80,lo95,hi95 in the ledger’s currency.\n"
                     "With --input FILE.csv --horizon H [--season N] [--level 80,95] it forecasts\n"
                     "a series from a file instead (see the README).",
                     entries, &argc, &argv, &rc))
    return rc;
  if (argc > 1)
    return cu_cli_usage_error ("forecast", "unexpected argument “%s”", argv[1]);
  if (group == NULL)
    group = g_strdup ("total");
  if (!g_str_equal (group, "total") && !g_str_equal (group, "account") && !g_str_equal (group, "service"))
    return cu_cli_usage_error ("forecast", "--group-by “%s” is not one of total, account, service", group);
  if (horizon < 1 || horizon > CU_ANALYSIS_HORIZON)
    return cu_cli_usage_error ("forecast", "--horizon must be between 1 and %d days", CU_ANALYSIS_HORIZON);
  if (format && !g_str_equal (format, "csv") && !g_str_equal (format, "json"))
    return cu_cli_usage_error ("forecast", "--format “%s” is not one of csv, json", format);
  csv = format == NULL || g_str_equal (format, "csv");

  if ((ledger = cu_cli_open_workspace (global, &rc)) == NULL || !run_analysis (ledger, &rc))
    return rc;

  sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                      "SELECT f.series_key, f.usage_day, f.mean, f.lo80, f.hi80, f.lo95, f.hi95, m.currency"
                      " FROM forecasts f JOIN forecast_models m USING (series_kind, series_key)"
                      " WHERE f.series_kind = ? AND f.usage_day <= m.history_to + ?"
                      " ORDER BY f.series_key = '', f.series_key, f.usage_day", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, group, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, horizon);
  g_string_append (out, csv ? "group,date,mean,lo80,hi80,lo95,hi95,currency\n" : "[");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char day[11];
      const char *key = (const char *) sqlite3_column_text (stmt, 0);

      cu_day_format (sqlite3_column_int (stmt, 1), day);
      if (csv)
        {
          cu_cli_csv_field (out, key);
          g_string_append_printf (out, ",%s,%.2f,%.2f,%.2f,%.2f,%.2f,%s\n", day,
                                  sqlite3_column_double (stmt, 2), sqlite3_column_double (stmt, 3),
                                  sqlite3_column_double (stmt, 4), sqlite3_column_double (stmt, 5),
                                  sqlite3_column_double (stmt, 6), sqlite3_column_text (stmt, 7));
        }
      else
        {
          g_string_append (out, n ? ",\n  {\"group\": " : "\n  {\"group\": ");
          cu_cli_json_string (out, key);
          g_string_append_printf (out, ", \"date\": \"%s\", \"mean\": %.2f, \"lo80\": %.2f, \"hi80\": %.2f,"
                                  " \"lo95\": %.2f, \"hi95\": %.2f, \"currency\": \"%s\"}", day,
                                  sqlite3_column_double (stmt, 2), sqlite3_column_double (stmt, 3),
                                  sqlite3_column_double (stmt, 4), sqlite3_column_double (stmt, 5),
                                  sqlite3_column_double (stmt, 6), sqlite3_column_text (stmt, 7));
        }
      n++;
    }
  sqlite3_finalize (stmt);
  if (!csv)
    g_string_append (out, n ? "\n]\n" : "]\n");
  fwrite (out->str, 1, out->len, stdout);
  return CU_CLI_OK;
}

/* ------------------------------------------------------------ anomalies */

int
cu_cli_anomalies_ledger (CuCliGlobal *global, int argc, char **argv)
{
  g_autofree char *format = NULL;
  gint64 ack = 0, dismiss = 0;
  gboolean all = FALSE;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  int rc = 0;
  gboolean csv;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "csv or json (default: csv)", "FORMAT" },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, "Include dismissed anomalies", NULL },
    { "acknowledge", 0, 0, G_OPTION_ARG_INT64, &ack, "Mark anomaly ID as acknowledged", "ID" },
    { "dismiss", 0, 0, G_OPTION_ARG_INT64, &dismiss, "Mark anomaly ID as dismissed", "ID" },
    { NULL }
  };

  if (!cu_cli_parse ("anomalies", NULL,
                     "Detects cost anomalies in the daily series of the workspace (the total,\n"
                     "each account, the 30 largest services) and lists them newest first.\n"
                     "CSV columns: id,date,series,group,expected,actual,impact,impact_pct,score,status,currency.\n"
                     "With --input FILE.csv [--season N] it scores a series from a file instead.",
                     entries, &argc, &argv, &rc))
    return rc;
  if (argc > 1)
    return cu_cli_usage_error ("anomalies", "unexpected argument “%s”", argv[1]);
  if (format && !g_str_equal (format, "csv") && !g_str_equal (format, "json"))
    return cu_cli_usage_error ("anomalies", "--format “%s” is not one of csv, json", format);
  csv = format == NULL || g_str_equal (format, "csv");

  if ((ledger = cu_cli_open_workspace (global, &rc)) == NULL)
    return rc;
  if (ack || dismiss)
    {
      if (!cu_analysis_set_anomaly_status (ledger, ack ? ack : dismiss, ack ? "acknowledged" : "dismissed", &error))
        return cu_cli_error ("%s", error->message);
      return CU_CLI_OK;
    }
  if (!run_analysis (ledger, &rc))
    return rc;
  list = cu_analysis_list_anomalies (ledger, all, &error);
  if (list == NULL)
    return cu_cli_error ("%s", error->message);

  g_string_append (out, csv ? "id,date,series,group,expected,actual,impact,impact_pct,score,status,currency\n" : "[");
  for (guint i = 0; i < list->len; i++)
    {
      CuAnomaly *a = list->pdata[i];
      g_autofree char *exp = cu_money_format_plain (a->expected, 2);
      g_autofree char *act = cu_money_format_plain (a->actual, 2);
      g_autofree char *imp = cu_money_format_plain (a->impact, 2);
      g_autofree char *pct = isnan (a->impact_pct) ? g_strdup (csv ? "" : "null")
                                                   : g_strdup_printf ("%.1f", a->impact_pct);
      char day[11];

      cu_day_format (a->day, day);
      if (csv)
        {
          g_string_append_printf (out, "%" G_GINT64_FORMAT ",%s,%s,", a->id, day, a->series_kind);
          cu_cli_csv_field (out, a->series_key);
          g_string_append_printf (out, ",%s,%s,%s,%s,%.4f,%s,%s\n", exp, act, imp, pct, a->score, a->status, a->currency);
        }
      else
        {
          g_string_append_printf (out, "%s\n  {\"id\": %" G_GINT64_FORMAT ", \"date\": \"%s\", \"series\": \"%s\", \"group\": ",
                                  i ? "," : "", a->id, day, a->series_kind);
          cu_cli_json_string (out, a->series_key);
          g_string_append_printf (out, ", \"expected\": %s, \"actual\": %s, \"impact\": %s, \"impact_pct\": %s,"
                                  " \"score\": %.4f, \"status\": \"%s\", \"currency\": \"%s\"}",
                                  exp, act, imp, pct, a->score, a->status, a->currency);
        }
    }
  if (!csv)
    g_string_append (out, list->len ? "\n]\n" : "]\n");
  fwrite (out->str, 1, out->len, stdout);
  return CU_CLI_OK;
}

/* ------------------------------------------------------------ budgets */

static int
budgets_add (CuCliGlobal *global, int argc, char **argv)
{
  g_autofree char *name = NULL, *amount = NULL, *period = NULL, *currency = NULL;
  g_autofree char *filter = NULL, *stages = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  CuBudget b = { 0 };
  int rc = 0;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Name of the budget", "NAME" },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount, "Amount per period, e.g. 25000 or 25000.50", "AMOUNT" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "monthly, quarterly or annual (default: monthly)", "PERIOD" },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, "Currency code (default: USD)", "CODE" },
    { "filter", 0, 0, G_OPTION_ARG_STRING, &filter, "Only costs where account/service/region/provider/tag:KEY equals VALUE", "KEY=VALUE" },
    { "stages", 0, 0, G_OPTION_ARG_STRING, &stages, "Alert stages in percent (default: 50,80,100)", "LIST" },
    { NULL }
  };

  if (!cu_cli_parse ("budgets add", NULL, "Adds a budget with staged alerts on actual and forecast spend.",
                     entries, &argc, &argv, &rc))
    return rc;
  if (name == NULL || amount == NULL)
    return cu_cli_usage_error ("budgets add", "--name and --amount are required");
  b.name = name;
  if (!cu_money_parse (amount, -1, &b.amount, &error) || b.amount <= 0)
    return cu_cli_usage_error ("budgets add", "--amount “%s” is not a positive amount", amount);
  if (period && !cu_budget_period_parse (period, &b.period))
    return cu_cli_usage_error ("budgets add", "--period “%s” is not one of monthly, quarterly, annual", period);
  b.currency = currency ? currency : (char *) "USD";
  if (filter)
    {
      const char *eq = strchr (filter, '=');
      if (eq == NULL || eq == filter || eq[1] == '\0')
        return cu_cli_usage_error ("budgets add", "--filter “%s” must look like KEY=VALUE", filter);
      b.filter_key = g_strndup (filter, eq - filter);
      b.filter_value = g_strdup (eq + 1);
    }
  if (!cu_budget_stages_parse (stages ? stages : "50,80,100", &b, &error))
    {
      rc = cu_cli_usage_error ("budgets add", "%s", error->message);
      goto out;
    }
  if ((ledger = cu_cli_open_workspace (global, &rc)) == NULL)
    goto out;
  if (cu_budgets_add (ledger, &b, &error) == 0)
    rc = cu_cli_error ("%s", error->message);
  else
    g_print ("Added budget “%s”\n", name);
out:
  g_free (b.filter_key);
  g_free (b.filter_value);
  return rc;
}

static int
budgets_list (CuCliGlobal *global, int argc, char **argv)
{
  g_autofree char *format = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GPtrArray) budgets = NULL, status = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean json;
  int rc = 0;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "table, csv or json (default: table)", "FORMAT" },
    { NULL }
  };

  if (!cu_cli_parse ("budgets list", NULL,
                     "Lists budgets with spend to date, forecast spend for the period and the\n"
                     "alert stages crossed (each stage alerts once per period).",
                     entries, &argc, &argv, &rc))
    return rc;
  if (format && !g_str_equal (format, "table") && !g_str_equal (format, "csv") && !g_str_equal (format, "json"))
    return cu_cli_usage_error ("budgets list", "--format “%s” is not one of table, csv, json", format);
  json = format && g_str_equal (format, "json");
  if ((ledger = cu_cli_open_workspace (global, &rc)) == NULL || !run_analysis (ledger, &rc))
    return rc;
  budgets = cu_budgets_list (ledger, &error);
  if (budgets == NULL || (status = cu_budgets_evaluate (ledger, budgets, cu_day_today (), TRUE, &error)) == NULL)
    return cu_cli_error ("%s", error->message);

  if (format && g_str_equal (format, "csv"))
    g_string_append (out, "name,period,period_start,period_end,amount,actual,forecast,currency,filter,stages_crossed\n");
  else if (json)
    g_string_append (out, "[");
  for (guint i = 0; i < status->len; i++)
    {
      CuBudgetStatus *st = status->pdata[i];
      CuBudget *b = st->budget;
      g_autofree char *amount = cu_money_format_plain (b->amount, 2);
      g_autofree char *actual = cu_money_format_plain (st->actual, 2);
      g_autofree char *forecast = cu_money_format_plain (st->forecast, 2);
      g_autofree char *filter = b->filter_key ? g_strdup_printf ("%s=%s", b->filter_key, b->filter_value) : g_strdup ("");
      g_autoptr(GString) crossed = g_string_new (NULL);
      char ps[11], pe[11];

      cu_day_format (st->period_start, ps);
      cu_day_format (st->period_end, pe);
      for (guint k = 0; k < st->stages->len; k++)
        {
          CuBudgetStage *s = st->stages->pdata[k];
          g_string_append_printf (crossed, "%s%s %u%%", crossed->len ? "; " : "", s->basis, s->threshold);
        }
      if (format && g_str_equal (format, "csv"))
        {
          cu_cli_csv_field (out, b->name);
          g_string_append_printf (out, ",%s,%s,%s,%s,%s,%s,%s,", cu_budget_period_to_string (b->period),
                                  ps, pe, amount, actual, forecast, b->currency);
          cu_cli_csv_field (out, filter);
          g_string_append_c (out, ',');
          cu_cli_csv_field (out, crossed->str);
          g_string_append_c (out, '\n');
        }
      else if (json)
        {
          g_string_append (out, i ? ",\n  {\"name\": " : "\n  {\"name\": ");
          cu_cli_json_string (out, b->name);
          g_string_append_printf (out, ", \"period\": \"%s\", \"period_start\": \"%s\", \"period_end\": \"%s\","
                                  " \"amount\": %s, \"actual\": %s, \"forecast\": %s, \"currency\": \"%s\", \"filter\": ",
                                  cu_budget_period_to_string (b->period), ps, pe, amount, actual, forecast, b->currency);
          cu_cli_json_string (out, filter);
          g_string_append (out, ", \"stages_crossed\": ");
          cu_cli_json_string (out, crossed->str);
          g_string_append_c (out, '}');
        }
      else
        g_string_append_printf (out, "%-24s %-9s %s…%s  budget %12s  actual %12s (%3.0f %%)  forecast %12s (%3.0f %%) %s  %s%s%s\n",
                                b->name, cu_budget_period_to_string (b->period), ps, pe, amount, actual,
                                100.0 * st->actual / b->amount, forecast, 100.0 * st->forecast / b->amount,
                                b->currency, filter, crossed->len ? "  crossed: " : "", crossed->str);
    }
  if (json)
    g_string_append (out, status->len ? "\n]\n" : "]\n");
  else if (!format && status->len == 0)
    g_string_append (out, "No budgets. Add one with “cumulus-cli budgets add --name NAME --amount AMOUNT”.\n");
  fwrite (out->str, 1, out->len, stdout);
  return CU_CLI_OK;
}

static int
budgets_remove (CuCliGlobal *global, int argc, char **argv)
{
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  int rc = 0;

  if (!cu_cli_parse ("budgets remove", "NAME", "Removes a budget and its alert history.", NULL, &argc, &argv, &rc))
    return rc;
  if (argc != 2)
    return cu_cli_usage_error ("budgets remove", "name exactly one budget");
  if ((ledger = cu_cli_open_workspace (global, &rc)) == NULL)
    return rc;
  if (!cu_budgets_remove (ledger, argv[1], &error))
    return cu_cli_error ("%s", error->message);
  g_print ("Removed budget “%s”\n", argv[1]);
  return CU_CLI_OK;
}

int
cu_cli_budgets_ledger (CuCliGlobal *global, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return budgets_add (global, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return budgets_list (global, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "remove"))
    return budgets_remove (global, argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      g_print ("Usage:\n  cumulus-cli budgets list [--format table|csv|json]\n"
               "  cumulus-cli budgets add --name NAME --amount AMOUNT [--period monthly|quarterly|annual]\n"
               "                          [--currency CODE] [--filter KEY=VALUE] [--stages 50,80,100]\n"
               "  cumulus-cli budgets remove NAME\n");
      return CU_CLI_OK;
    }
  return cu_cli_usage_error ("budgets", "use “budgets list”, “budgets add” or “budgets remove”");
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
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
#include "analysis/cu-forecasts.h"
#include "store/cu-ledger.h"
#include "util/cu-date.h"
#include "util/cu-money.h"
#include "util/cu-output.h"
#include "util/cu-workspace.h"

/* Ends the array @b holds and appends it, pretty, with a final newline. */
static void
append_json (GString *out, JsonBuilder *b)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_array (b);
  root = json_builder_get_root (b);
  cu_output_json_append (out, root, CU_JSON_PRETTY);
  g_string_append_c (out, '\n');
}

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
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  gint horizon = 30;
  int rc = 0;
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

  models = cu_forecasts_list (ledger, &error);
  if (models == NULL)
    return cu_cli_error ("%s", error->message);

  if (csv)
    {
      static const char * const header[] = { "group", "date", "mean", "lo80", "hi80", "lo95", "hi95", "currency" };

      cu_output_csv_row (out, G_N_ELEMENTS (header), header);
    }
  else
    json_builder_begin_array (b);
  for (guint m = 0; m < models->len; m++)
    {
      CuStoredForecast *model = models->pdata[m];
      g_autoptr(GArray) points = NULL;

      if (!g_str_equal (model->series_kind, group))
        continue;
      points = cu_forecasts_get_points (ledger, model->series_kind, model->series_key,
                                        model->history_to, (guint) horizon, &error);
      if (points == NULL)
        return cu_cli_error ("%s", error->message);
      for (guint i = 0; i < points->len; i++)
        {
          const CuForecastPoint *p = &g_array_index (points, CuForecastPoint, i);
          char day[11];

          cu_day_format (p->day, day);
          if (csv)
            {
              char v[5][G_ASCII_DTOSTR_BUF_SIZE];
              const double values[5] = { p->mean, p->lo80, p->hi80, p->lo95, p->hi95 };
              /* the total has no group: an empty field */
              const char *fields[8] = { *model->series_key ? model->series_key : NULL, day };

              for (guint k = 0; k < 5; k++)
                fields[2 + k] = g_ascii_formatd (v[k], sizeof v[k], "%.2f", values[k]);
              fields[7] = model->currency;
              cu_output_csv_row (out, G_N_ELEMENTS (fields), fields);
            }
          else
            {
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "group");
              json_builder_add_string_value (b, model->series_key);
              json_builder_set_member_name (b, "date");
              json_builder_add_string_value (b, day);
              json_builder_set_member_name (b, "mean");
              cu_output_json_add_rounded (b, p->mean, 2);
              json_builder_set_member_name (b, "lo80");
              cu_output_json_add_rounded (b, p->lo80, 2);
              json_builder_set_member_name (b, "hi80");
              cu_output_json_add_rounded (b, p->hi80, 2);
              json_builder_set_member_name (b, "lo95");
              cu_output_json_add_rounded (b, p->lo95, 2);
              json_builder_set_member_name (b, "hi95");
              cu_output_json_add_rounded (b, p->hi95, 2);
              json_builder_set_member_name (b, "currency");
              json_builder_add_string_value (b, model->currency);
              json_builder_end_object (b);
            }
        }
    }
  if (!csv)
    append_json (out, b);
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
  g_autoptr(JsonBuilder) b = json_builder_new ();
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

  if (csv)
    {
      static const char * const header[] = { "id", "date", "series", "group", "expected", "actual",
                                             "impact", "impact_pct", "score", "status", "currency" };

      cu_output_csv_row (out, G_N_ELEMENTS (header), header);
    }
  else
    json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      CuAnomaly *a = list->pdata[i];
      char day[11];

      cu_day_format (a->day, day);
      if (csv)
        {
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, a->id);
          g_autofree char *exp = cu_money_format_plain (a->expected, 2);
          g_autofree char *act = cu_money_format_plain (a->actual, 2);
          g_autofree char *imp = cu_money_format_plain (a->impact, 2);
          char pct[G_ASCII_DTOSTR_BUF_SIZE], score[G_ASCII_DTOSTR_BUF_SIZE];
          const char *fields[] = {
            id, day, a->series_kind, *a->series_key ? a->series_key : NULL, exp, act, imp,
            isnan (a->impact_pct) ? NULL : g_ascii_formatd (pct, sizeof pct, "%.1f", a->impact_pct),
            g_ascii_formatd (score, sizeof score, "%.4f", a->score), a->status, a->currency,
          };

          cu_output_csv_row (out, G_N_ELEMENTS (fields), fields);
        }
      else
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, a->id);
          json_builder_set_member_name (b, "date");
          json_builder_add_string_value (b, day);
          json_builder_set_member_name (b, "series");
          json_builder_add_string_value (b, a->series_kind);
          json_builder_set_member_name (b, "group");
          json_builder_add_string_value (b, a->series_key);
          json_builder_set_member_name (b, "expected");
          cu_output_json_add_money (b, a->expected, 2);
          json_builder_set_member_name (b, "actual");
          cu_output_json_add_money (b, a->actual, 2);
          json_builder_set_member_name (b, "impact");
          cu_output_json_add_money (b, a->impact, 2);
          json_builder_set_member_name (b, "impact_pct");
          cu_output_json_add_rounded (b, a->impact_pct, 1);   /* NaN: null */
          json_builder_set_member_name (b, "score");
          cu_output_json_add_rounded (b, a->score, 4);
          json_builder_set_member_name (b, "status");
          json_builder_add_string_value (b, a->status);
          json_builder_set_member_name (b, "currency");
          json_builder_add_string_value (b, a->currency);
          json_builder_end_object (b);
        }
    }
  if (!csv)
    append_json (out, b);
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
  g_autoptr(JsonBuilder) b = json_builder_new ();
  CuOutputFormat out_format = CU_OUTPUT_FORMAT_TABLE;
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
  if (format && !cu_output_format_parse (format, &out_format))
    return cu_cli_usage_error ("budgets list", "--format “%s” is not one of table, csv, json", format);
  if ((ledger = cu_cli_open_workspace (global, &rc)) == NULL || !run_analysis (ledger, &rc))
    return rc;
  budgets = cu_budgets_list (ledger, &error);
  if (budgets == NULL || (status = cu_budgets_evaluate (ledger, budgets, cu_day_today (), TRUE, &error)) == NULL)
    return cu_cli_error ("%s", error->message);

  if (out_format == CU_OUTPUT_FORMAT_CSV)
    {
      static const char * const header[] = { "name", "period", "period_start", "period_end", "amount", "actual",
                                             "forecast", "currency", "filter", "stages_crossed" };

      cu_output_csv_row (out, G_N_ELEMENTS (header), header);
    }
  else if (out_format == CU_OUTPUT_FORMAT_JSON)
    json_builder_begin_array (b);
  for (guint i = 0; i < status->len; i++)
    {
      CuBudgetStatus *st = status->pdata[i];
      CuBudget *bu = st->budget;
      g_autofree char *amount = cu_money_format_plain (bu->amount, 2);
      g_autofree char *actual = cu_money_format_plain (st->actual, 2);
      g_autofree char *forecast = cu_money_format_plain (st->forecast, 2);
      g_autofree char *filter = bu->filter_key ? g_strdup_printf ("%s=%s", bu->filter_key, bu->filter_value) : g_strdup ("");
      g_autoptr(GString) crossed = g_string_new (NULL);
      const char *period = cu_budget_period_to_string (bu->period);
      char ps[11], pe[11];

      cu_day_format (st->period_start, ps);
      cu_day_format (st->period_end, pe);
      for (guint k = 0; k < st->stages->len; k++)
        {
          CuBudgetStage *s = st->stages->pdata[k];
          g_string_append_printf (crossed, "%s%s %u%%", crossed->len ? "; " : "", s->basis, s->threshold);
        }
      if (out_format == CU_OUTPUT_FORMAT_CSV)
        {
          /* no filter and no stage crossed are empty fields */
          const char *fields[] = { bu->name, period, ps, pe, amount, actual, forecast, bu->currency,
                                   *filter ? filter : NULL, crossed->len ? crossed->str : NULL };

          cu_output_csv_row (out, G_N_ELEMENTS (fields), fields);
        }
      else if (out_format == CU_OUTPUT_FORMAT_JSON)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, bu->name);
          json_builder_set_member_name (b, "period");
          json_builder_add_string_value (b, period);
          json_builder_set_member_name (b, "period_start");
          json_builder_add_string_value (b, ps);
          json_builder_set_member_name (b, "period_end");
          json_builder_add_string_value (b, pe);
          json_builder_set_member_name (b, "amount");
          cu_output_json_add_money (b, bu->amount, 2);
          json_builder_set_member_name (b, "actual");
          cu_output_json_add_money (b, st->actual, 2);
          json_builder_set_member_name (b, "forecast");
          cu_output_json_add_money (b, st->forecast, 2);
          json_builder_set_member_name (b, "currency");
          json_builder_add_string_value (b, bu->currency);
          json_builder_set_member_name (b, "filter");
          json_builder_add_string_value (b, filter);
          json_builder_set_member_name (b, "stages_crossed");
          json_builder_add_string_value (b, crossed->str);
          /* the chance the period ends above the amount; null without a forecast */
          json_builder_set_member_name (b, "probability_over");
          if (st->probability_over >= 0)
            cu_output_json_add_rounded (b, st->probability_over, 4);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      else
        g_string_append_printf (out, "%-24s %-9s %s…%s  budget %12s  actual %12s (%3.0f %%)  forecast %12s (%3.0f %%) %s  %s%s%s\n",
                                bu->name, period, ps, pe, amount, actual,
                                100.0 * st->actual / bu->amount, forecast, 100.0 * st->forecast / bu->amount,
                                bu->currency, filter, crossed->len ? "  crossed: " : "", crossed->str);
    }
  if (out_format == CU_OUTPUT_FORMAT_JSON)
    append_json (out, b);
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

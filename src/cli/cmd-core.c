/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd-core.c — demo, summary, costs and bench */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cu-cli.h"
#include "demo/cu-demo.h"
#include "store/cu-cost-query.h"
#include "store/cu-cost-report.h"
#include "store/cu-comparison.h"
#include "store/cu-cost-pivot.h"
#include "store/cu-ledger.h"
#include "store/cu-ledger-profile.h"
#include "store/cu-summary.h"
#include "store/cu-ledger-bench.h"
#include "util/cu-date.h"
#include "util/cu-money.h"
#include "util/cu-workspace.h"

static gboolean
parse_day_option (const char *command, const char *option, const char *text, CuDay *out, int *exit_code)
{
  if (text == NULL)
    return TRUE;
  if (!cu_day_parse (text, out) || strlen (text) != 10)
    {
      *exit_code = cu_cli_usage_error (command, "%s “%s” is not a date: use YYYY-MM-DD", option, text);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ demo */

static void
demo_progress_cb (double fraction, gpointer data)
{
  if (isatty (STDERR_FILENO))
    {
      g_printerr ("\rGenerating the demo workspace… %3d %%", (int) (fraction * 100));
      if (fraction >= 1.0)
        g_printerr ("\n");
    }
}

int
cu_cli_cmd_demo (CuCliGlobal *global, int argc, char **argv)
{
  gint64 seed = CU_DEMO_DEFAULT_SEED;
  g_autofree char *end_text = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  CuDay end_day = cu_day_today () - 1;
  int rc = 0;
  GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the generator (default 42)", "N" },
    { "end", 0, 0, G_OPTION_ARG_STRING, &end_text, "Last day of data (default: yesterday)", "YYYY-MM-DD" },
    { NULL }
  };

  if (!cu_cli_parse ("demo", NULL,
                     "Creates the demo workspace: 18 months of generated costs for three AWS\n"
                     "accounts and one Azure subscription, plus a resource inventory. Without\n"
                     "--workspace it is created where the app looks for it\n"
                     "($XDG_DATA_HOME/cumulus/demo).",
                     entries, &argc, &argv, &rc))
    return rc;
  if (argc > 1)
    return cu_cli_usage_error ("demo", "unexpected argument “%s”", argv[1]);
  if (seed < 0)
    return cu_cli_usage_error ("demo", "--seed must not be negative");
  if (!parse_day_option ("demo", "--end", end_text, &end_day, &rc))
    return rc;

  dir = global->workspace ? g_strdup (global->workspace) : cu_workspace_demo_dir ();
  if (cu_workspace_exists (dir))
    return cu_cli_error ("a workspace already exists at %s: remove it or choose another with --workspace", dir);

  if (!cu_demo_create (dir, (guint64) seed, end_day, NULL, demo_progress_cb, NULL, &error))
    return cu_cli_error ("cannot create the demo workspace at %s: %s", dir, error->message);

  ledger = cu_ledger_open (dir, &error);
  if (ledger == NULL)
    return cu_cli_error ("%s", error->message);
  {
    CuDay first = 0, last = 0;
    char a[11], b[11];
    gint64 n = cu_ledger_count_cost_rows (ledger, NULL);

    cu_ledger_get_day_range (ledger, &first, &last, NULL);
    cu_day_format (first, a);
    cu_day_format (last, b);
    g_print ("Created the demo workspace at %s: %" G_GINT64_FORMAT " cost rows from %s to %s\n",
             dir, n, a, b);
  }
  return CU_CLI_OK;
}

/* ------------------------------------------------------------------ summary */

static void
print_items (const char *title, GPtrArray *items, const char *currency)
{
  g_print ("\n%s\n", title);
  for (guint i = 0; i < items->len; i++)
    {
      CuSummaryItem *item = g_ptr_array_index (items, i);
      g_autofree char *amount = cu_money_format_display (item->amount, currency);
      g_print ("  %-44s %16s %5.1f %%\n", item->name, amount, item->share * 100.0);
    }
}

int
cu_cli_cmd_summary (CuCliGlobal *global, int argc, char **argv)
{
  gboolean json = FALSE;
  g_autofree char *as_of_text = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(CuSummary) s = NULL;
  g_autoptr(GError) error = NULL;
  CuDay as_of = cu_day_today ();
  int rc = 0;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of_text, "Compute as if today were this day", "YYYY-MM-DD" },
    { NULL }
  };

  if (!cu_cli_parse ("summary", NULL,
                     "Prints what the Overview shows: month to date with the month-end\n"
                     "projection (actuals plus the forecast, linear where none exists), last month, year to date, the daily average of the last 30\n"
                     "days and the top services, accounts and regions of the last 30 days.",
                     entries, &argc, &argv, &rc))
    return rc;
  if (argc > 1)
    return cu_cli_usage_error ("summary", "unexpected argument “%s”", argv[1]);
  if (!parse_day_option ("summary", "--as-of", as_of_text, &as_of, &rc))
    return rc;

  if ((ledger = cu_cli_open_workspace (global, &rc)) == NULL)
    return rc;
  s = cu_summary_compute (ledger, as_of, &error);
  if (s == NULL)
    return cu_cli_error ("%s", error->message);

  if (json)
    {
      g_autofree char *text = cu_summary_to_json (s);
      g_print ("%s", text);
      return CU_CLI_OK;
    }

  {
    g_autofree char *mtd = cu_money_format_display (s->month_to_date, s->currency);
    g_autofree char *proj = cu_money_format_display (s->month_projection, s->currency);
    g_autofree char *last = cu_money_format_display (s->last_month, s->currency);
    g_autofree char *ytd = cu_money_format_display (s->year_to_date, s->currency);
    g_autofree char *avg = cu_money_format_display (s->daily_average, s->currency);
    char through[11], month[11], top_from[11], top_to[11];

    cu_day_format (s->month_start + s->days_elapsed - 1, through);
    cu_day_format (s->month_start, month);
    cu_day_format (s->top_from, top_from);
    cu_day_format (s->top_to, top_to);
    g_print ("Costs in %s, data through %s%s\n\n", s->currency, through,
             s->mixed_currencies ? " (other currencies left out)" : "");
    g_print ("  Month to date (%.7s, %d of %d days)   %16s\n", month, s->days_elapsed, s->days_in_month, mtd);
    if (g_str_equal (s->month_projection_basis, "forecast"))
      {
        g_autofree char *lo = cu_money_format_display (s->month_projection_lo80, s->currency);
        g_autofree char *hi = cu_money_format_display (s->month_projection_hi80, s->currency);

        g_print ("  Month-end projection (forecast)       %16s\n", proj);
        g_print ("    80 %% interval                       %s – %s\n", lo, hi);
      }
    else
      g_print ("  Month-end projection (%s)%*s%16s\n", s->month_projection_basis,
               (int) (16 - strlen (s->month_projection_basis)), "", proj);
    g_print ("  Last month                            %16s\n", last);
    g_print ("  Year to date                          %16s\n", ytd);
    g_print ("  Daily average (last 30 days)          %16s\n", avg);
    g_print ("\nLast 30 days: %s to %s\n", top_from, top_to);
    print_items ("Top services", s->top_services, s->currency);
    print_items ("Top accounts", s->top_accounts, s->currency);
    print_items ("Regions", s->by_region, s->currency);
  }
  return CU_CLI_OK;
}

/* ------------------------------------------------------------------ costs */

int
cu_cli_cmd_costs (CuCliGlobal *global, int argc, char **argv)
{
  g_autofree char *from_text = NULL, *to_text = NULL, *group_text = NULL;
  g_autofree char *gran_text = NULL, *format = NULL, *filter = NULL;
  g_autofree char *tag_key = NULL, *filter_key = NULL;
  g_autofree char *sort = NULL, *compare_as = NULL;
  gboolean pivot = FALSE, compare = FALSE;
  CuPeriodKind kind = CU_PERIOD_KIND_AUTO;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  CuCostQuery q;
  CuOutputFormat out_format = CU_OUTPUT_FORMAT_TABLE;
  int rc = 0;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, "First day (default: first day with data)", "YYYY-MM-DD" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, "Last day, inclusive (default: last day with data)", "YYYY-MM-DD" },
    { "group-by", 0, 0, G_OPTION_ARG_STRING, &group_text, "provider, account, service, region or tag:KEY (default: none)", "GROUP" },
    { "granularity", 0, 0, G_OPTION_ARG_STRING, &gran_text, "total, month, week or day (default: total)", "G" },
    { "filter", 0, 0, G_OPTION_ARG_STRING, &filter, "Only costs where provider/account/service/region/tag:KEY equals VALUE", "KEY=VALUE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "table, csv or json (default: table)", "FORMAT" },
    { "pivot", 0, 0, G_OPTION_ARG_NONE, &pivot, "One row per group, one column per period, then total and change", NULL },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort, "With --pivot: sort by this column (group ascending, others descending; default: total)", "COLUMN" },
    { "compare", 0, 0, G_OPTION_ARG_NONE, &compare, "Compare the range with the previous period and a year earlier", NULL },
    { "compare-as", 0, 0, G_OPTION_ARG_STRING, &compare_as, "With --compare: the range is a month, quarter, year or range (default: auto)", "KIND" },
    { NULL }
  };

  if (!cu_cli_parse ("costs", NULL,
                     "Prints cost totals by period and group. CSV columns:\n"
                     "period,group,billed_cost,effective_cost,currency — amounts in currency\n"
                     "units with two decimals; periods are YYYY-MM-DD (day; for week the\n"
                     "Monday), YYYY-MM (month) or FIRST/LAST (total).\n\n"
                     "--pivot: group,<period>…,total,change,change_pct,currency; change is the\n"
                     "last period minus the first, change_pct is empty when the first is zero or\n"
                     "when one of the two is partial (covered only in part by the range or the data).\n\n"
                     "--compare: a calendar month, quarter or year against the previous one and\n"
                     "the same period a year earlier, a month to date against the same days of the\n"
                     "previous month, any other range against the same number of days before it.",
                     entries, &argc, &argv, &rc))
    return rc;
  if (argc > 1)
    return cu_cli_usage_error ("costs", "unexpected argument “%s”", argv[1]);

  cu_cost_query_init (&q);
  if (!parse_day_option ("costs", "--from", from_text, &q.from, &rc) ||
      !parse_day_option ("costs", "--to", to_text, &q.to, &rc))
    return rc;
  if (q.from != CU_DAY_INVALID && q.to != CU_DAY_INVALID && q.to < q.from)
    return cu_cli_usage_error ("costs", "--to %s comes before --from %s", to_text, from_text);
  if (group_text && !cu_group_by_parse (group_text, &q.group_by, &tag_key))
    return cu_cli_usage_error ("costs", "--group-by “%s” is not one of provider, account, service, region, tag:KEY", group_text);
  q.tag_key = tag_key;
  if (gran_text && !cu_granularity_parse (gran_text, &q.granularity))
    return cu_cli_usage_error ("costs", "--granularity “%s” is not one of total, month, week, day", gran_text);
  if (format && !cu_output_format_parse (format, &out_format))
    return cu_cli_usage_error ("costs", "--format “%s” is not one of table, csv, json", format);
  if (filter)
    {
      const char *eq = strchr (filter, '=');
      CuGroupBy dummy;
      g_autofree char *dummy_key = NULL;

      if (eq == NULL || eq == filter)
        return cu_cli_usage_error ("costs", "--filter “%s” must look like KEY=VALUE", filter);
      filter_key = g_strndup (filter, eq - filter);
      if (!cu_group_by_parse (filter_key, &dummy, &dummy_key) || dummy == CU_GROUP_NONE)
        return cu_cli_usage_error ("costs", "--filter key “%s” is not one of provider, account, service, region, tag:KEY", filter_key);
      q.filter_key = filter_key;
      q.filter_value = eq + 1;
    }

  if (pivot && compare)
    return cu_cli_usage_error ("costs", "--pivot and --compare cannot be combined");
  if (sort && !pivot)
    return cu_cli_usage_error ("costs", "--sort needs --pivot");
  if (compare_as && !compare)
    return cu_cli_usage_error ("costs", "--compare-as needs --compare");
  if (compare_as && !cu_period_kind_parse (compare_as, &kind))
    return cu_cli_usage_error ("costs", "--compare-as “%s” is not one of auto, month, quarter, year, range", compare_as);
  if (pivot && q.granularity == CU_GRANULARITY_TOTAL)
    return cu_cli_usage_error ("costs", "--pivot needs --granularity month, week or day");

  if ((ledger = cu_cli_open_workspace (global, &rc)) == NULL)
    return rc;

  if (pivot || compare)
    {
      CuDay first = CU_DAY_INVALID, last = CU_DAY_INVALID;

      if (!cu_ledger_get_day_range (ledger, &first, &last, &error) && error != NULL)
        return cu_cli_error ("%s", error->message);
      if (q.from == CU_DAY_INVALID)
        q.from = first;
      if (q.to == CU_DAY_INVALID)
        q.to = last;
      if (q.from == CU_DAY_INVALID || q.to == CU_DAY_INVALID)
        return cu_cli_error ("the workspace has no costs: give --from and --to");
      if (q.to < q.from)
        return cu_cli_usage_error ("costs", "--to comes before --from");
      if (compare)
        {
          g_autoptr(CuCostComparison) cmp = cu_ledger_compare_costs (ledger, &q, kind, &error);

          if (cmp == NULL)
            return cu_cli_error ("%s", error->message);
          cu_cost_comparison_append (cmp, out, out_format);
        }
      else
        {
          g_autoptr(CuCostPivot) pv = NULL;

          cells = cu_ledger_query_costs (ledger, &q, &error);
          if (cells == NULL)
            return cu_cli_error ("%s", error->message);
          pv = cu_cost_pivot_new (cells, q.granularity, q.from, q.to, first, last);
          if (sort)
            {
              gboolean by_group = g_str_equal (sort, "group");

              if (!cu_cost_pivot_sort (pv, sort, !by_group))
                return cu_cli_usage_error ("costs", "--sort “%s” is not a column: group, a period, total, change or change_pct", sort);
            }
          cu_cost_pivot_append (pv, out, out_format);
        }
      fwrite (out->str, 1, out->len, stdout);
      return CU_CLI_OK;
    }

  cells = cu_ledger_query_costs (ledger, &q, &error);
  if (cells == NULL)
    return cu_cli_error ("%s", error->message);

  cu_cost_cells_append (out, cells, out_format);
  fwrite (out->str, 1, out->len, stdout);
  return CU_CLI_OK;
}

/* ------------------------------------------------------------------ bench */

static gint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  p = strstr (status, "VmHWM:");
  return p ? g_ascii_strtoll (p + 6, NULL, 10) : -1;
}

/* One line per statement, for the benchmark's report: time and the SQL on
 * one line, cut to fit a terminal. */
static void
print_timings (const char *title,
               GPtrArray  *timings)
{
  g_print ("%s\n", title);
  for (guint i = 0; i < timings->len; i++)
    {
      CuQueryTiming *t = timings->pdata[i];
      g_autofree char *sql = g_strdup (t->sql ? t->sql : "");

      g_strdelimit (sql, "\n", ' ');
      if (strlen (sql) > 90)
        strcpy (sql + 87, "...");
      g_print ("  %8.2f ms  %s\n", t->ms, sql);
    }
}

int
cu_cli_cmd_bench (CuCliGlobal *global, int argc, char **argv)
{
  gint64 n_rows = 1000000;
  g_autofree char *dir_opt = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  const int n_accounts = 4, n_days = 365;
  CuDay last_day = cu_day_today () - 1, first_day = last_day - n_days + 1;
  gint64 written = 0, t0, t1;
  double write_seconds, cpu0;
  gboolean no_tags = g_getenv ("NOTAGS") != NULL;
  char *day_starts[365], *day_ends[365];
  int rc = 0;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT64, &n_rows, "Cost rows to write (default 1000000)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir_opt, "Write the ledger here (default: a new temporary directory, removed after)", "DIR" },
    { NULL }
  };

  if (!cu_cli_parse ("bench", NULL,
                     "Writes N generated cost rows with their rollups into a fresh ledger, prints\n"
                     "rows per second and peak memory, then times every Overview query on it.",
                     entries, &argc, &argv, &rc))
    return rc;
  if (n_rows < 1000)
    return cu_cli_usage_error ("bench", "--rows must be at least 1000");

  dir = dir_opt ? g_strdup (dir_opt) : g_dir_make_tmp ("cumulus-bench-XXXXXX", &error);
  if (dir == NULL)
    return cu_cli_error ("%s", error->message);
  if (cu_workspace_exists (dir))
    return cu_cli_error ("%s already holds a ledger; the benchmark needs a fresh one", dir);
  ledger = cu_ledger_open (dir, &error);
  if (ledger == NULL)
    return cu_cli_error ("%s", error->message);

  /* the generated strings are made before the clock starts */
  for (int d = 0; d < n_days; d++)
    {
      char ds[11];
      cu_day_format (first_day + d, ds);
      day_starts[d] = g_strdup_printf ("%sT00:00:00Z", ds);
      day_ends[d] = g_strdup_printf ("%sT23:59:59Z", ds);
    }

  g_print ("Writing %" G_GINT64_FORMAT " cost rows (%d accounts × %d days) into %s/ledger.db\n",
           n_rows, n_accounts, n_days, dir);
  cpu0 = cu_ledger_bench_cpu_seconds ();
  t0 = g_get_monotonic_time ();
  for (int a = 0; a < n_accounts; a++)
    {
      g_autofree char *name = g_strdup_printf ("bench-%d", a + 1);
      gint64 account_id = cu_ledger_add_account (ledger, name, a == 3 ? "azure" : "aws",
                                                 "import", NULL, NULL, &error);
      gint64 per_account = n_rows / n_accounts + (a < n_rows % n_accounts ? 1 : 0);
      gint64 per_day = per_account / n_days;
      CuLedgerWriter *w;
      char sub[16];

      if (account_id == 0)
        return cu_cli_error ("%s", error->message);
      w = cu_ledger_writer_begin (ledger, account_id, "import", "bench", first_day, last_day, &error);
      if (w == NULL)
        return cu_cli_error ("%s", error->message);
      g_snprintf (sub, sizeof sub, "%012d", 111111111 * (a + 1));
      for (gint64 i = 0; i < per_account; i++)
        {
          CuDay day = first_day + (CuDay) MIN (i / MAX (per_day, 1), n_days - 1);
          CuCostRow row = { 0 };
          const char *start = day_starts[day - first_day];
          const char *end = day_ends[day - first_day];

          row.charge_period_start = start;
          row.charge_period_end = end;
          cu_ledger_bench_fill_row (&row, a, i, sub, name);
          if (no_tags)
            row.n_tags = 0;
          if (!cu_ledger_writer_add (w, &row, &error))
            {
              cu_ledger_writer_abort (w, error->message);
              return cu_cli_error ("%s", error->message);
            }
          written++;
        }
      if (!cu_ledger_writer_commit (w, &error))
        return cu_cli_error ("%s", error->message);
    }
  t1 = g_get_monotonic_time ();
  write_seconds = (t1 - t0) / 1e6;
  g_print ("write: %" G_GINT64_FORMAT " rows in %.2f s = %.0f rows/s (target ≥ 250000)\n",
           written, (t1 - t0) / 1e6, written / ((t1 - t0) / 1e6));
  g_print ("write CPU time: %.2f s = %.0f rows per CPU second\n", cu_ledger_bench_cpu_seconds () - cpu0,
           written / (cu_ledger_bench_cpu_seconds () - cpu0));
  g_print ("peak RSS: %.1f MiB\n", peak_rss_kib () / 1024.0);
  t0 = g_get_monotonic_time ();
  if (!cu_ledger_checkpoint (ledger, &error))
    return cu_cli_error ("%s", error->message);
  t1 = g_get_monotonic_time ();
  g_print ("checkpoint (WAL into the database, done when idle): %.2f s; "
           "write + checkpoint = %.0f rows/s\n", (t1 - t0) / 1e6,
           written / ((t1 - t0) / 1e6 + write_seconds));
  /* every Explorer query shape, and the ledger's size per cost row */
  {
    g_autofree char *report = cu_ledger_bench_queries (ledger, &error);
    if (report == NULL)
      return cu_cli_error ("%s", error->message);
    g_print ("%s", report);
  }

  {
    g_autoptr(CuSummary) s = NULL;
    g_autoptr(GPtrArray) timings = NULL;
    CuLedgerProfile *profile;
    gint64 q0, q1;

    profile = cu_ledger_profile_start (ledger);
    q0 = g_get_monotonic_time ();
    s = cu_summary_compute (ledger, last_day + 1, &error);
    q1 = g_get_monotonic_time ();
    timings = cu_ledger_profile_stop (profile);
    if (s == NULL)
      return cu_cli_error ("%s", error->message);
    print_timings ("Overview queries (target < 50 ms each):", timings);
    g_print ("Overview total: %.2f ms\n", (q1 - q0) / 1e3);
  }

  g_clear_object (&ledger);
  if (dir_opt == NULL)
    {
      const char *files[] = { "ledger.db", "ledger.db-wal", "ledger.db-shm" };
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          g_autofree char *path = g_build_filename (dir, files[i], NULL);
          g_unlink (path);
        }
      g_rmdir (dir);
    }
  return CU_CLI_OK;
}

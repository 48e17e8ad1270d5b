/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-incidents.c — anomalies grouped into incidents with root causes
 *
 * The grouping on hand-made anomalies (gaps, levels of one event), then a
 * real ledger with a young service (new spend, then a young anomaly), then
 * the demo workspace: each injected event is one incident whose first
 * root cause is the injected series, and reruns keep ids and statuses.
 */
#define G_LOG_DOMAIN "test-incidents"

#include <math.h>
#include <string.h>

#include "cu-test-util.h"
#include "analysis/cu-analysis.h"
#include "analysis/cu-analysis-pass.h"
#include "analysis/cu-incidents.h"
#include "analysis/cu-outbox.h"
#include "demo/cu-demo.h"
#include "store/cu-ledger.h"
#include "util/cu-money.h"

/* ------------------------------------------------------------ grouping */

static gint64 next_id;

static void
add (GPtrArray *list, const char *kind, const char *key, CuDay day, double impact)
{
  CuAnomaly *a = g_new0 (CuAnomaly, 1);

  a->id = ++next_id;
  a->series_kind = g_strdup (kind);
  a->series_key = g_strdup (key);
  a->day = day;
  a->expected = cu_money_from_double (1000);
  a->actual = cu_money_from_double (1000 + impact);
  a->impact = cu_money_from_double (impact);
  a->currency = g_strdup ("USD");
  a->status = g_strdup ("new");
  g_ptr_array_add (list, a);
}

static GPtrArray *
anomalies_new (void)
{
  next_id = 0;
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cu_anomaly_free);
}

static void
test_group_gaps (void)
{
  g_autoptr(GPtrArray) list = anomalies_new ();
  g_autoptr(GPtrArray) incidents = NULL;
  const CuIncident *a, *b;

  /* days 100, 102 (one day between: joined), 105 (two days between: split) */
  add (list, "service", "EC2", 105, 300);
  add (list, "service", "EC2", 100, 100);
  add (list, "service", "EC2", 102, 200);
  incidents = cu_incidents_group (list, NULL, NULL);
  g_assert_cmpuint (incidents->len, ==, 2);
  a = incidents->pdata[0];
  b = incidents->pdata[1];
  if (a->start > b->start)
    {
      const CuIncident *t = a;
      a = b;
      b = t;
    }
  g_assert_cmpint (a->start, ==, 100);
  g_assert_cmpint (a->end, ==, 102);
  g_assert_cmpuint (cu_incident_get_days (a), ==, 3);
  g_assert_cmpint (a->impact, ==, cu_money_from_double (300));
  g_assert_cmpuint (a->anomaly_ids->len, ==, 2);
  g_assert_cmpint (b->start, ==, 105);
  g_assert_cmpint (b->end, ==, 105);
  g_assert_cmpint (b->impact, ==, cu_money_from_double (300));
  g_assert_cmpstr (a->root_cause, ==, "EC2");
  g_assert_cmpstr (a->kind, ==, "spike");
}

static void
test_group_levels (void)
{
  g_autoptr(GPtrArray) list = anomalies_new ();
  g_autoptr(GPtrArray) incidents = NULL;
  const CuIncident *inc;

  /* one two-day event seen by the total, the account and the service */
  add (list, "total", "", 200, 950);
  add (list, "total", "", 201, 900);
  add (list, "account", "acme-prod", 200, 980);
  add (list, "account", "acme-prod", 201, 940);
  add (list, "service", "EC2", 200, 1000);
  add (list, "service", "EC2", 201, 990);
  incidents = cu_incidents_group (list, NULL, NULL);
  g_assert_cmpuint (incidents->len, ==, 1);
  inc = incidents->pdata[0];
  g_assert_cmpint (inc->start, ==, 200);
  g_assert_cmpint (inc->end, ==, 201);
  g_assert_cmpuint (inc->anomaly_ids->len, ==, 6);
  /* one dollar seen at three levels counts once: the level that saw most */
  g_assert_cmpint (inc->impact, ==, cu_money_from_double (1990));
  g_assert_cmpfloat_with_epsilon (inc->impact_pct, 100.0 * 1990 / 2000, 1e-9);
  /* named after the most specific member */
  g_assert_cmpstr (inc->root_cause, ==, "EC2");
}

/* services never explain each other; anything else on the same days does */
static gboolean
services_apart_cb (const char *kind_a, const char *key_a, const char *kind_b, const char *key_b,
                   CuDay from, CuDay to, gpointer data)
{
  guint *calls = data;

  (*calls)++;
  g_assert_cmpint (from, <=, to);
  return !(g_str_equal (kind_a, "service") && g_str_equal (kind_b, "service"));
}

static void
test_group_link (void)
{
  g_autoptr(GPtrArray) list = anomalies_new ();
  g_autoptr(GPtrArray) incidents = NULL;
  g_autoptr(GPtrArray) apart = NULL;
  guint calls = 0;

  add (list, "service", "EC2", 300, 500);
  add (list, "service", "S3", 301, 400);
  add (list, "service", "RDS", 340, 400);
  incidents = cu_incidents_group (list, services_apart_cb, &calls);
  g_assert_cmpuint (incidents->len, ==, 3);
  g_assert_cmpuint (calls, ==, 1);   /* only EC2 and S3 touch */

  /* the account spike on those days joins both services into one event */
  add (list, "account", "acme-prod", 300, 480);
  apart = cu_incidents_group (list, services_apart_cb, &calls);
  g_assert_cmpuint (apart->len, ==, 2);
  for (guint i = 0; i < apart->len; i++)
    {
      const CuIncident *inc = apart->pdata[i];

      if (inc->start == 300)
        {
          g_assert_cmpint (inc->end, ==, 301);
          g_assert_cmpuint (inc->anomaly_ids->len, ==, 3);
          /* the services' sum is the larger view of it */
          g_assert_cmpint (inc->impact, ==, cu_money_from_double (900));
        }
      else
        g_assert_cmpint (inc->start, ==, 340);
    }
}

/* ---------------------------------------------------- a young service */

static void
write_costs (CuLedger *ledger, CuDay first, int n_days, int gpu_from, int gpu_spike)
{
  g_autoptr(GError) error = NULL;
  gint64 account = cu_ledger_add_account (ledger, "src", "aws", "import", NULL, NULL, &error);
  CuLedgerWriter *w;

  g_assert_no_error (error);
  w = cu_ledger_writer_begin (ledger, account, "import", "t", first, first + n_days - 1, &error);
  g_assert_no_error (error);
  for (int d = 0; d < n_days; d++)
    {
      char day[11];
      CuCostRow row = { 0 };
      int wd = cu_day_weekday (first + d);

      cu_day_format (first + d, day);
      row.charge_period_start = day;
      row.billing_currency = "USD";
      row.provider_name = "AWS";
      row.sub_account_id = "111";
      row.sub_account_name = "prod";
      row.region_id = "us-east-1";
      row.service_name = "Compute";
      row.billed_cost = cu_money_from_double (400.0 + (wd >= 6 ? -120.0 : 0.0) + ((d * 37) % 11) - 5);
      row.effective_cost = row.billed_cost;
      g_assert_true (cu_ledger_writer_add (w, &row, &error));
      if (d >= gpu_from)
        {
          row.service_name = "GPU";
          row.region_id = "us-west-2";
          row.billed_cost = cu_money_from_double (300.0 + ((d * 7) % 5) + (d == gpu_spike ? 1500.0 : 0.0));
          row.effective_cost = row.billed_cost;
          g_assert_true (cu_ledger_writer_add (w, &row, &error));
        }
    }
  g_assert_true (cu_ledger_writer_commit (w, &error));
  g_assert_no_error (error);
}

static void
test_young_service (void)
{
  g_autoptr(CuTestWorkspace) ws = cu_test_workspace_new ("cumulus-incidents");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *sql = NULL;
  CuDay first = cu_day_from_ymd (2026, 1, 1);
  const int gpu_from = 150, gpu_spike = 162;
  gboolean seen_new = FALSE, seen_spike = FALSE;

  write_costs (ws->ledger, first, 200, gpu_from, gpu_spike);
  g_assert_true (cu_analysis_run (ws->ledger, first + 200, NULL, NULL, &error));
  g_assert_no_error (error);

  /* no string of anomalies for the new service's first days */
  sql = g_strdup_printf ("SELECT COUNT(*) FROM anomalies WHERE series_key = 'GPU' AND usage_day < %d",
                         first + gpu_from + CU_ANALYSIS_YOUNG_HISTORY);
  g_assert_cmpint (cu_test_query_int (ws->ledger, sql), ==, 0);
  /* but a spike at twelve days old is flagged, judged as a young series */
  g_free (sql);
  sql = g_strdup_printf ("SELECT COUNT(*) FROM anomalies WHERE series_key = 'GPU' AND usage_day = %d AND young = 1",
                         first + gpu_spike);
  g_assert_cmpint (cu_test_query_int (ws->ledger, sql), ==, 1);

  list = cu_incidents_list (ws->ledger, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      const CuIncident *inc = list->pdata[i];
      const CuIncidentCause *top = inc->causes->pdata[0];

      g_assert_cmpuint (inc->causes->len, >=, 1);
      if (g_str_equal (inc->kind, "new_spend"))
        {
          g_assert_false (seen_new);
          seen_new = TRUE;
          g_assert_cmpint (inc->start, ==, first + gpu_from);
          g_assert_cmpuint (cu_incident_get_days (inc), ==, CU_INCIDENT_NEW_SPEND_DAYS);
          g_assert_cmpstr (top->service, ==, "GPU");
          g_assert_cmpstr (top->region, ==, "us-west-2");
          g_assert_cmpstr (inc->root_cause, ==, "GPU in prod, us-west-2");
          /* its first week's cost, and nothing of Compute */
          g_assert_cmpfloat (cu_money_to_double (inc->impact), >=, 7 * 300.0);
          g_assert_cmpfloat (cu_money_to_double (inc->impact), <=, 7 * 305.0);
        }
      else if (inc->start == first + gpu_spike)
        {
          seen_spike = TRUE;
          g_assert_true (inc->young);
          g_assert_cmpstr (top->service, ==, "GPU");
          g_assert_cmpfloat (top->share, >, 0.9);
        }
    }
  g_assert_true (seen_new);
  g_assert_true (seen_spike);
}

/* ------------------------------------------------------------- the demo */

typedef struct {
  char *dir;
  CuLedger *ledger;
} Demo;

static void
demo_open (Demo *demo, guint64 seed, CuDay end_day)
{
  g_autoptr(GError) error = NULL;

  demo->dir = cu_test_make_tmp_dir ("cumulus-incidents-demo");
  g_assert_true (cu_demo_create (demo->dir, seed, end_day, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  demo->ledger = cu_ledger_open (demo->dir, &error);
  g_assert_no_error (error);
}

static void
demo_close (Demo *demo)
{
  g_clear_object (&demo->ledger);
  cu_test_remove_tree (demo->dir);
  g_free (demo->dir);
}

static void
assert_demo_events (CuLedger *ledger, GPtrArray *incidents)
{
  guint n_events = 0;
  g_autofree char *text = NULL;

  /* the events as the demo recorded them, account by name */
  text = cu_test_query_text (ledger, "SELECT group_concat(kind || '|' || usage_day || '|' || COALESCE(json_extract(detail,"
                                     " '$.days'), 0) || '|' || json_extract(detail, '$.account') || '|' || service"
                                     " || '|' || region, ';') FROM (SELECT * FROM demo_events ORDER BY usage_day, id)");
  {
    g_auto(GStrv) events = g_strsplit (text, ";", -1);
    guint n_new_spend = 0;

    for (guint e = 0; events[e] != NULL; e++)
      {
        g_auto(GStrv) f = g_strsplit (events[e], "|", 6);
        CuDay day = (CuDay) g_ascii_strtoll (f[1], NULL, 10);
        guint days = (guint) g_ascii_strtoull (f[2], NULL, 10);
        guint matches = 0;

        if (g_str_equal (f[0], "anomaly"))
          {
            n_events++;
            for (guint i = 0; i < incidents->len; i++)
              {
                const CuIncident *inc = incidents->pdata[i];
                const CuIncidentCause *top;

                if (inc->end < day || inc->start > day + (CuDay) days - 1)
                  continue;
                matches++;
                g_test_message ("event %s on %d for %u days: incident %" G_GINT64_FORMAT " %d..%d %s",
                                f[4], day, days, inc->id, inc->start, inc->end, inc->root_cause);
                g_assert_cmpuint (inc->causes->len, >=, 1);
                top = inc->causes->pdata[0];
                /* the injected series is the first root cause */
                g_assert_cmpstr (top->service, ==, f[4]);
                g_assert_cmpstr (top->account, ==, f[3]);
                g_assert_cmpstr (top->region, ==, f[5]);
                g_assert_cmpfloat (top->share, >, 0.5);
                g_assert_cmpstr (inc->kind, ==, "spike");
                /* and the incident is the event's days, not more */
                g_assert_cmpint (inc->start, >=, day);
                g_assert_cmpint (inc->end, <=, day + (CuDay) days - 1);
                g_assert_cmpuint (cu_incident_get_days (inc), >=, 1);
              }
            /* one incident per event, not one per series and day */
            g_assert_cmpuint (matches, ==, 1);
          }
        else if (g_str_equal (f[4], "Amazon Bedrock"))
          {
            /* a new service launched: one "new spend" incident */
            for (guint i = 0; i < incidents->len; i++)
              {
                const CuIncident *inc = incidents->pdata[i];

                if (inc->start <= day + 1 && inc->end >= day)
                  {
                    const CuIncidentCause *top = inc->causes->pdata[0];

                    n_new_spend++;
                    g_assert_cmpstr (inc->kind, ==, "new_spend");
                    g_assert_cmpstr (top->service, ==, "Amazon Bedrock");
                    g_assert_cmpint (inc->start, ==, day);
                  }
              }
            g_assert_cmpuint (n_new_spend, ==, 1);
          }
      }
  }
  g_assert_cmpuint (n_events, ==, 6);
}

static void
test_demo (gconstpointer data)
{
  guint64 seed = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(CuAnalysisPass) pass = NULL;
  g_autoptr(CuAnalysisPass) again = NULL;
  g_autoptr(GPtrArray) incidents = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) all = NULL;
  CuDay end_day = cu_day_from_ymd (2026, 12, 3);
  gint64 n_anomalies, acked, dismissed;
  Demo demo = { 0 };

  demo_open (&demo, seed, end_day);
  pass = cu_analysis_pass_run (demo.ledger, end_day + 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pass->stats.n_incidents, >=, 7);

  incidents = cu_incidents_list (demo.ledger, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (incidents->len, ==, pass->stats.n_incidents);
  n_anomalies = cu_test_query_int (demo.ledger, "SELECT COUNT(*) FROM anomalies");
  g_test_message ("seed %" G_GUINT64_FORMAT ": %" G_GINT64_FORMAT " anomaly rows, %u incidents",
                  seed, n_anomalies, incidents->len);
  /* far fewer rows than anomalies, and every anomaly in one */
  g_assert_cmpint (incidents->len, <, n_anomalies / 2);
  g_assert_cmpint (cu_test_query_int (demo.ledger, "SELECT COUNT(*) FROM anomalies WHERE incident_id IS NULL"), ==, 0);
  assert_demo_events (demo.ledger, incidents);

  /* newest first; shares are of one whole */
  for (guint i = 0; i < incidents->len; i++)
    {
      const CuIncident *inc = incidents->pdata[i];
      double sum = 0;

      if (i > 0)
        g_assert_cmpint (((CuIncident *) incidents->pdata[i - 1])->end, >=, inc->end);
      for (guint c = 0; c < inc->causes->len; c++)
        {
          const CuIncidentCause *cause = inc->causes->pdata[c];

          sum += cause->share;
          if (c > 0)
            g_assert_cmpfloat (((CuIncidentCause *) inc->causes->pdata[c - 1])->share, >=, cause->share);
        }
      g_assert_cmpfloat (sum, >, 0);
      g_assert_cmpfloat (sum, <=, 1.0 + 1e-9);
    }

  /* notifications per incident: the outbox holds each once */
  g_assert_cmpuint (pass->outbox->incidents->len, >=, 6);
  g_assert_true (cu_outbox_mark_notified (demo.ledger, pass->outbox, &error));
  g_assert_no_error (error);

  /* review two, rerun: same ids, same statuses, nothing new to announce */
  {
    const CuIncident *a = incidents->pdata[0], *d = incidents->pdata[1];
    g_autofree char *sql = NULL;

    acked = a->id;
    dismissed = d->id;
    g_assert_true (cu_incidents_set_status (demo.ledger, acked, "acknowledged", &error));
    g_assert_true (cu_incidents_set_status (demo.ledger, dismissed, "dismissed", &error));
    g_assert_no_error (error);
    sql = g_strdup_printf ("SELECT COUNT(*) FROM anomalies WHERE incident_id = %" G_GINT64_FORMAT
                           " AND status != 'acknowledged'", acked);
    g_assert_cmpint (cu_test_query_int (demo.ledger, sql), ==, 0);
  }
  g_assert_false (cu_incidents_set_status (demo.ledger, 999999, "dismissed", &error));
  g_assert_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cu_incidents_set_status (demo.ledger, acked, "maybe", &error));
  g_assert_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  again = cu_analysis_pass_run (demo.ledger, end_day + 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->outbox->incidents->len, ==, 0);
  all = cu_incidents_list (demo.ledger, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, incidents->len);
  for (guint i = 0; i < all->len; i++)
    {
      const CuIncident *was = incidents->pdata[i], *now = all->pdata[i];

      g_assert_cmpint (now->id, ==, was->id);
      g_assert_cmpint (now->start, ==, was->start);
      g_assert_cmpint (now->end, ==, was->end);
      g_assert_cmpstr (now->status, ==, now->id == acked ? "acknowledged"
                                        : now->id == dismissed ? "dismissed" : "new");
    }
  after = cu_incidents_list (demo.ledger, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, incidents->len - 1);

  demo_close (&demo);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/incidents/group/gaps", test_group_gaps);
  g_test_add_func ("/incidents/group/levels", test_group_levels);
  g_test_add_func ("/incidents/group/link", test_group_link);
  g_test_add_func ("/incidents/young-service", test_young_service);
  g_test_add_data_func ("/incidents/demo/seed-42", GUINT_TO_POINTER (42), test_demo);
  g_test_add_data_func ("/incidents/demo/seed-7", GUINT_TO_POINTER (7), test_demo);
  return g_test_run ();
}

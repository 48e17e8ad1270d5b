/* cu-analysis-job.c — forecasts, anomalies and budget alerts in a worker, then notifications
 *
 * One run: in a worker with its own ledger connection, cu_analysis_run()
 * fits the forecasts and flags anomalies, cu_budgets_evaluate() records the
 * budget stages crossed, and the anomalies and budget alerts nobody was told
 * about yet (notified = 0) are read back. On the main thread those become
 * GNotifications — the newest few anomalies one by one and the rest in one
 * summary, one per budget — whose default action opens the page
 * (app.show-page). A second small worker then marks them notified, so each
 * is announced once, however often the analysis runs.
 *
 * A new run cancels the one under way; its result is dropped.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>

#include "analysis/cu-analysis.h"
#include "analysis/cu-budgets.h"
#include "cu-analysis-job.h"
#include "cu-format.h"
#include "cu-page-job.h"
#include "store/cu-ledger.h"
#include "util/cu-money.h"

/* anomalies announced one by one; the rest are summarised */
#define MAX_ANOMALY_NOTICES 3

struct _CuAnalysisJob
{
  GObject        parent_instance;

  /* borrowed */
  GApplication  *application;     /* weak pointer; NULL: nothing is sent */

  /* owned state */
  char          *workspace;       /* of the run under way */
  GCancellable  *cancellable;
  char          *error;
  GStrv          notifications;   /* titles of the last run's notifications */
  guint          n_runs;
  gboolean       running;
};

G_DEFINE_FINAL_TYPE (CuAnalysisJob, cu_analysis_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  char *id;
  char *title;
  char *body;
  char *page;
} Notice;

typedef struct {
  gint64 budget_id;
  CuDay  period_start;
  char  *basis;
  guint  threshold;
} AlertKey;

/* what a run found; what to mark notified */
typedef struct {
  GPtrArray  *notices;        /* of Notice */
  GArray     *anomaly_ids;    /* of gint64, to mark notified */
  GArray     *alert_keys;     /* of AlertKey */
  gboolean    deliverable;
} Run;

static void
notice_free (Notice *n)
{
  g_free (n->id);
  g_free (n->title);
  g_free (n->body);
  g_free (n->page);
  g_free (n);
}

static void
alert_key_clear (AlertKey *k)
{
  g_free (k->basis);
}

static void
run_free (Run *run)
{
  g_clear_pointer (&run->notices, g_ptr_array_unref);
  g_clear_pointer (&run->anomaly_ids, g_array_unref);
  g_clear_pointer (&run->alert_keys, g_array_unref);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static void
add_notice (Run        *run,
            const char *id,
            const char *page,
            char       *title,
            char       *body)
{
  Notice *n = g_new0 (Notice, 1);

  n->id = g_strdup (id);
  n->page = g_strdup (page);
  n->title = title;
  n->body = body;
  g_ptr_array_add (run->notices, n);
}

static char *
series_name (const char *kind,
             const char *key)
{
  if (g_strcmp0 (kind, "total") == 0 || key == NULL || *key == '\0')
    return g_strdup (_("Total cost"));
  if (g_strcmp0 (kind, "account") == 0)
    return g_strdup_printf (_("Account %s"), key);
  return g_strdup (key);
}

/* GLib warns once per process when it cannot reach a notification service;
 * in a session without one (a server, a test bus) we do not try. */
static gboolean
notifications_available (void)
{
  static const char * const names[] = { "org.gtk.Notifications", "org.freedesktop.Notifications" };
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return TRUE;   /* the portal answers */
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GVariant) has = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                             "org.freedesktop.DBus", "NameHasOwner",
                                                             g_variant_new ("(s)", names[i]), G_VARIANT_TYPE ("(b)"),
                                                             G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
      gboolean owned = FALSE;

      if (has != NULL)
        g_variant_get (has, "(b)", &owned);
      if (owned)
        return TRUE;
    }

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ListActivatableNames",
                                       NULL, G_VARIANT_TYPE ("(as)"),
                                       G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
  if (reply != NULL)
    {
      g_autofree const char **activatable = NULL;

      g_variant_get (reply, "(^a&s)", &activatable);
      return activatable != NULL && g_strv_contains (activatable, "org.freedesktop.Notifications");
    }
  return FALSE;
}

static gboolean
collect_anomalies (CuLedger  *ledger,
                   Run       *run,
                   GError   **error)
{
  sqlite3 *db = cu_ledger_get_db (ledger);
  sqlite3_stmt *stmt = NULL;
  guint n = 0;
  CuDay first = 0, last = 0;
  gint64 extra_impact = 0;
  g_autofree char *extra_currency = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT id, series_kind, series_key, usage_day, actual, expected, impact,"
                              " impact_pct, currency FROM anomalies"
                              " WHERE notified = 0 AND status = 'new' AND impact >= ?"
                              " ORDER BY usage_day DESC, impact DESC", -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the new anomalies");
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, (gint64) (CU_ANALYSIS_MIN_IMPACT * CU_MICROS_PER_UNIT));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      const char *key = (const char *) sqlite3_column_text (stmt, 2);
      CuDay day = sqlite3_column_int (stmt, 3);
      gint64 actual = sqlite3_column_int64 (stmt, 4);
      gint64 expected = sqlite3_column_int64 (stmt, 5);
      gint64 impact = sqlite3_column_int64 (stmt, 6);
      const char *currency = (const char *) sqlite3_column_text (stmt, 8);

      g_array_append_val (run->anomaly_ids, id);
      if (n < MAX_ANOMALY_NOTICES)
        {
          g_autofree char *name = series_name (kind, key);
          g_autofree char *date = cu_format_day (day);
          g_autofree char *a = cu_money_format_display (actual, currency);
          g_autofree char *e = cu_money_format_display (expected, currency);
          g_autofree char *i = cu_money_format_display (impact, currency);
          g_autofree char *nid = g_strdup_printf ("anomaly-%" G_GINT64_FORMAT, id);

          add_notice (run, nid, "anomalies",
                      /* TRANSLATORS: "Cost anomaly: Amazon EC2" */
                      g_strdup_printf (_("Cost anomaly: %s"), name),
                      /* TRANSLATORS: "21 Oct 2026: $2,345.00 against $1,234.00 expected (+$1,111.00)" */
                      g_strdup_printf (_("%s: %s against %s expected (+%s)"), date, a, e, i));
        }
      else
        {
          if (n == MAX_ANOMALY_NOTICES)
            {
              last = day;
              extra_currency = g_strdup (currency);
            }
          first = day;
          if (g_strcmp0 (extra_currency, currency) == 0)
            extra_impact += impact;
        }
      n++;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the new anomalies");
      return FALSE;
    }

  if (n > MAX_ANOMALY_NOTICES)
    {
      guint rest = n - MAX_ANOMALY_NOTICES;
      g_autofree char *period = cu_format_period (first, last);
      g_autofree char *total = cu_money_format_display (extra_impact, extra_currency);

      add_notice (run, "anomalies-summary", "anomalies",
                  g_strdup_printf (g_dngettext (NULL, "%u more cost anomaly", "%u more cost anomalies", rest), rest),
                  /* TRANSLATORS: "1 Jun – 14 Oct 2026, $12,345.00 above expected in all" */
                  g_strdup_printf (_("%s, %s above expected in all"), period, total));
    }
  return TRUE;
}

static gboolean
collect_budget_alerts (CuLedger  *ledger,
                       Run       *run,
                       GError   **error)
{
  sqlite3 *db = cu_ledger_get_db (ledger);
  sqlite3_stmt *stmt = NULL;
  int rc;
  gint64 current_id = 0;
  CuDay current_start = 0;
  GString *body = NULL;
  char *title = NULL;
  guint top_actual = 0, top_forecast = 0;
  g_autofree char *name = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT a.budget_id, b.name, a.period_start, a.basis, a.threshold, a.spend,"
                              " a.crossed_day, b.amount, b.currency, b.period FROM budget_alerts a"
                              " JOIN budgets b ON b.id = a.budget_id WHERE a.notified = 0"
                              " ORDER BY b.name, a.budget_id, a.period_start, a.basis, a.threshold",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the budget alerts");
      return FALSE;
    }

  /* one notification per budget and period: the highest stage reached */
#define FLUSH()                                                                    \
  G_STMT_START {                                                                   \
    if (body != NULL)                                                              \
      {                                                                            \
        g_autofree char *nid = g_strdup_printf ("budget-%" G_GINT64_FORMAT, current_id); \
        if (top_actual > 0)                                                        \
          title = g_strdup_printf (_("Budget “%s”: %u%% reached"), name, top_actual); \
        else                                                                       \
          title = g_strdup_printf (_("Budget “%s”: forecast to reach %u%%"), name, top_forecast); \
        add_notice (run, nid, "budgets", title, g_string_free (body, FALSE));      \
        body = NULL;                                                               \
      }                                                                            \
  } G_STMT_END

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      CuDay start = sqlite3_column_int (stmt, 2);
      const char *basis = (const char *) sqlite3_column_text (stmt, 3);
      guint threshold = sqlite3_column_int (stmt, 4);
      gint64 spend = sqlite3_column_int64 (stmt, 5);
      CuDay crossed = sqlite3_column_int (stmt, 6);
      gint64 amount = sqlite3_column_int64 (stmt, 7);
      const char *currency = (const char *) sqlite3_column_text (stmt, 8);
      CuBudgetPeriod period = CU_BUDGET_MONTHLY;
      CuDay ps, pe;
      AlertKey key = { id, start, g_strdup (basis), threshold };

      g_array_append_val (run->alert_keys, key);
      cu_budget_period_parse ((const char *) sqlite3_column_text (stmt, 9), &period);
      cu_budget_period_bounds (period, start, &ps, &pe);

      if (body == NULL || id != current_id || start != current_start)
        {
          FLUSH ();
          g_free (name);
          name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          current_id = id;
          current_start = start;
          top_actual = top_forecast = 0;
          body = g_string_new (NULL);
        }

      {
        g_autofree char *s = cu_money_format_display (spend, currency);
        g_autofree char *a = cu_money_format_display (amount, currency);
        g_autofree char *p = cu_format_period (ps, pe);
        g_autofree char *d = cu_format_day (crossed);

        if (body->len > 0)
          g_string_append_c (body, '\n');
        if (g_strcmp0 (basis, "actual") == 0)
          {
            top_actual = MAX (top_actual, threshold);
            /* TRANSLATORS: "80% on 21 Oct 2026: $8,012.00 spent of $10,000.00 for 1–31 Oct 2026" */
            g_string_append_printf (body, _("%u%% on %s: %s spent of %s for %s"), threshold, d, s, a, p);
          }
        else
          {
            top_forecast = MAX (top_forecast, threshold);
            g_string_append_printf (body, _("%u%% forecast: %s expected of %s for %s"), threshold, s, a, p);
          }
      }
    }
  FLUSH ();
#undef FLUSH
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the budget alerts");
      return FALSE;
    }
  return TRUE;
}

static gpointer
analyse_run (CuLedger      *ledger,
             gpointer       request,
             GCancellable  *cancellable,
             GError       **error)
{
  const CuDay *as_of = request;
  g_autoptr(Run) run = g_new0 (Run, 1);
  g_autoptr(GPtrArray) budgets = NULL;
  g_autoptr(GPtrArray) statuses = NULL;

  run->notices = g_ptr_array_new_with_free_func ((GDestroyNotify) notice_free);
  run->anomaly_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  run->alert_keys = g_array_new (FALSE, FALSE, sizeof (AlertKey));
  g_array_set_clear_func (run->alert_keys, (GDestroyNotify) alert_key_clear);

  if (!cu_analysis_run (ledger, *as_of, cancellable, NULL, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  budgets = cu_budgets_list (ledger, error);
  if (budgets != NULL)
    statuses = cu_budgets_evaluate (ledger, budgets, *as_of, TRUE, error);
  if (budgets == NULL || statuses == NULL)
    return NULL;

  if (!collect_anomalies (ledger, run, error) ||
      !collect_budget_alerts (ledger, run, error))
    return NULL;
  run->deliverable = run->notices->len > 0 && notifications_available ();
  return g_steal_pointer (&run);
}

/* the result is only "done": any non-NULL pointer */
static gpointer
mark_run (CuLedger      *ledger,
          gpointer       request,
          GCancellable  *cancellable,
          GError       **error)
{
  Run *run = request;
  sqlite3_stmt *a = NULL, *b = NULL;
  sqlite3 *db;

  if (!cu_ledger_begin (ledger, error))
    return NULL;
  db = cu_ledger_get_db (ledger);
  if (sqlite3_prepare_v2 (db, "UPDATE anomalies SET notified = 1 WHERE id = ?", -1, &a, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "UPDATE budget_alerts SET notified = 1 WHERE budget_id = ? AND period_start = ?"
                              " AND basis = ? AND threshold = ?", -1, &b, NULL) != SQLITE_OK)
    goto fail;
  for (guint i = 0; i < run->anomaly_ids->len; i++)
    {
      sqlite3_reset (a);
      sqlite3_bind_int64 (a, 1, g_array_index (run->anomaly_ids, gint64, i));
      if (sqlite3_step (a) != SQLITE_DONE)
        goto fail;
    }
  for (guint i = 0; i < run->alert_keys->len; i++)
    {
      AlertKey *k = &g_array_index (run->alert_keys, AlertKey, i);
      sqlite3_reset (b);
      sqlite3_bind_int64 (b, 1, k->budget_id);
      sqlite3_bind_int (b, 2, k->period_start);
      sqlite3_bind_text (b, 3, k->basis, -1, SQLITE_STATIC);
      sqlite3_bind_int (b, 4, k->threshold);
      if (sqlite3_step (b) != SQLITE_DONE)
        goto fail;
    }
  sqlite3_finalize (a);
  sqlite3_finalize (b);
  if (!cu_ledger_commit (ledger, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);

fail:
  cu_ledger_set_sql_error (ledger, error, "Cannot mark the notifications as sent");
  sqlite3_finalize (a);
  sqlite3_finalize (b);
  cu_ledger_rollback (ledger);
  return NULL;
}

static void
finish (CuAnalysisJob *self,
        const char    *error)
{
  g_free (self->error);
  self->error = g_strdup (error);
  self->running = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[FINISHED], 0, error == NULL);
}

static void
marked_done (gpointer      source,
             gpointer      request,
             gpointer      result,
             const GError *error)
{
  CuAnalysisJob *self = CU_ANALYSIS_JOB (source);

  if (result == NULL)
    {
      g_debug ("Marking notifications: %s", error->message);
      finish (self, error->message);
      return;
    }
  finish (self, NULL);
}

static const CuPageJobInfo mark_job = {
  .name = "[cumulus] mark notified",
  .run = mark_run,
  .done = marked_done,
  .request_free = (GDestroyNotify) run_free,
};

static void
analysed_done (gpointer      source,
               gpointer      request,
               gpointer      result,
               const GError *error)
{
  CuAnalysisJob *self = CU_ANALYSIS_JOB (source);
  g_autoptr(Run) run = result;
  Run *mark;
  g_autoptr(GStrvBuilder) titles = g_strv_builder_new ();

  if (run == NULL)
    {
      g_debug ("Analysis: %s", error->message);
      finish (self, error->message);
      return;
    }

  for (guint i = 0; i < run->notices->len; i++)
    {
      Notice *n = g_ptr_array_index (run->notices, i);

      g_strv_builder_add (titles, n->title);
      if (self->application != NULL && run->deliverable)
        {
          g_autoptr(GNotification) notification = g_notification_new (n->title);

          g_notification_set_body (notification, n->body);
          g_notification_set_default_action_and_target (notification, "app.show-page", "s", n->page);
          g_notification_set_priority (notification, g_str_equal (n->page, "budgets")
                                                     ? G_NOTIFICATION_PRIORITY_HIGH
                                                     : G_NOTIFICATION_PRIORITY_NORMAL);
          g_application_send_notification (self->application, n->id, notification);
        }
    }
  g_strfreev (self->notifications);
  self->notifications = g_strv_builder_end (titles);

  if (run->anomaly_ids->len == 0 && run->alert_keys->len == 0)
    {
      finish (self, NULL);
      return;
    }

  /* what to mark moves on to the second worker */
  mark = g_new0 (Run, 1);
  mark->anomaly_ids = g_steal_pointer (&run->anomaly_ids);
  mark->alert_keys = g_steal_pointer (&run->alert_keys);
  cu_page_job_start (&mark_job, self, &self->cancellable, self->workspace, mark);
}

static void
cu_analysis_job_dispose (GObject *object)
{
  CuAnalysisJob *self = CU_ANALYSIS_JOB (object);

  cu_page_job_cancel (&self->cancellable);
  if (self->application != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->application), (gpointer *) &self->application);
  self->application = NULL;

  G_OBJECT_CLASS (cu_analysis_job_parent_class)->dispose (object);
}

static void
cu_analysis_job_finalize (GObject *object)
{
  CuAnalysisJob *self = CU_ANALYSIS_JOB (object);

  g_free (self->workspace);
  g_free (self->error);
  g_strfreev (self->notifications);

  G_OBJECT_CLASS (cu_analysis_job_parent_class)->finalize (object);
}

static void
cu_analysis_job_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CuAnalysisJob *self = CU_ANALYSIS_JOB (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_analysis_job_class_init (CuAnalysisJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cu_analysis_job_dispose;
  object_class->finalize = cu_analysis_job_finalize;
  object_class->get_property = cu_analysis_job_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CuAnalysisJob::finished:
   * @success: whether the analysis ran to the end
   *
   * Emitted on the main thread when a run is complete: results stored,
   * notifications sent and marked. Not emitted for a cancelled run.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
cu_analysis_job_init (CuAnalysisJob *self)
{
}

/**
 * cu_analysis_job_new:
 * @application: (nullable): the application that sends the notifications;
 *   %NULL to collect them without sending (tests)
 *
 * Returns: (transfer full): a new, idle job
 */
CuAnalysisJob *
cu_analysis_job_new (GApplication *application)
{
  CuAnalysisJob *self = g_object_new (CU_TYPE_ANALYSIS_JOB, NULL);

  g_return_val_if_fail (application == NULL || G_IS_APPLICATION (application), self);

  self->application = application;
  if (application != NULL)
    g_object_add_weak_pointer (G_OBJECT (application), (gpointer *) &self->application);
  return self;
}

/**
 * cu_analysis_job_start:
 * @workspace_dir: the workspace to analyse
 *
 * Starts a run in a worker thread; a run under way is cancelled.
 */
void
cu_analysis_job_start (CuAnalysisJob *self,
                       const char    *workspace_dir)
{
  static const CuPageJobInfo analyse_job = {
    .name = "[cumulus] analysis",
    .run = analyse_run,
    .done = analysed_done,
    .request_free = g_free,
    .result_free = (GDestroyNotify) run_free,
  };
  CuDay as_of = cu_day_today ();

  g_return_if_fail (CU_IS_ANALYSIS_JOB (self));
  g_return_if_fail (workspace_dir != NULL);

  cu_analysis_job_cancel (self);
  g_free (self->workspace);
  self->workspace = g_strdup (workspace_dir);

  self->n_runs++;
  if (!self->running)
    {
      self->running = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }

  cu_page_job_start (&analyse_job, self, &self->cancellable, self->workspace,
                     g_memdup2 (&as_of, sizeof as_of));
}

/**
 * cu_analysis_job_cancel:
 *
 * Cancels the run under way, if any; it will not emit ::finished.
 */
void
cu_analysis_job_cancel (CuAnalysisJob *self)
{
  g_return_if_fail (CU_IS_ANALYSIS_JOB (self));

  cu_page_job_cancel (&self->cancellable);
  if (self->running)
    {
      self->running = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
}

gboolean
cu_analysis_job_get_running (CuAnalysisJob *self)
{
  g_return_val_if_fail (CU_IS_ANALYSIS_JOB (self), FALSE);
  return self->running;
}

/**
 * cu_analysis_job_get_error:
 *
 * Returns: (nullable): why the last run failed
 */
const char *
cu_analysis_job_get_error (CuAnalysisJob *self)
{
  g_return_val_if_fail (CU_IS_ANALYSIS_JOB (self), NULL);
  return self->error;
}

guint
cu_analysis_job_get_n_runs (CuAnalysisJob *self)
{
  g_return_val_if_fail (CU_IS_ANALYSIS_JOB (self), 0);
  return self->n_runs;
}

/**
 * cu_analysis_job_get_notifications:
 *
 * Returns: (transfer none) (nullable): the titles of the notifications of
 *   the last finished run, sent or (without an application or a
 *   notification service) only collected
 */
const char * const *
cu_analysis_job_get_notifications (CuAnalysisJob *self)
{
  g_return_val_if_fail (CU_IS_ANALYSIS_JOB (self), NULL);
  return (const char * const *) self->notifications;
}

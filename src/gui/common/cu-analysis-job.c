/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-analysis-job.c — forecasts, anomalies and budget alerts in a worker, then notifications
 *
 * One run: in a worker with its own ledger connection, cu_analysis_pass_run()
 * fits the forecasts and flags anomalies, records the budget stages crossed
 * and returns the outbox: the anomalies and budget alerts nobody was told
 * about yet. On the main thread those become
 * GNotifications — the newest few anomalies one by one and the rest in one
 * summary, one per budget — whose default action opens the page
 * (app.show-page). A second small worker then marks them notified
 * (cu_outbox_mark_notified()), so each
 * is announced once, however often the analysis runs.
 *
 * A new run cancels the one under way; its result is dropped.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>

#include "analysis/cu-analysis-pass.h"
#include "analysis/cu-budgets.h"
#include "analysis/cu-incidents.h"
#include "analysis/cu-outbox.h"
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

/* what a run found; what to mark notified */
typedef struct {
  GPtrArray  *notices;        /* of Notice */
  CuOutbox   *outbox;         /* what the notices announce, to mark notified */
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
run_free (Run *run)
{
  g_clear_pointer (&run->notices, g_ptr_array_unref);
  g_clear_pointer (&run->outbox, cu_outbox_free);
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

/* One notice per incident — one cost event, however many series and days
 * show it — so that a spike is announced once, with its cause. */
static void
collect_anomalies (Run *run)
{
  GPtrArray *incidents = run->outbox->incidents;
  guint n = 0;
  CuDay first = 0, last = 0;
  gint64 extra_impact = 0;
  g_autofree char *extra_currency = NULL;

  for (guint k = 0; incidents != NULL && k < incidents->len; k++)
    {
      const CuIncident *inc = g_ptr_array_index (incidents, k);

      if (n < MAX_ANOMALY_NOTICES)
        {
          g_autofree char *period = cu_format_period (inc->start, inc->end);
          g_autofree char *what = cu_incident_describe (inc);
          g_autofree char *nid = g_strdup_printf ("incident-%" G_GINT64_FORMAT, inc->id);

          add_notice (run, nid, "anomalies",
                      /* TRANSLATORS: "Cost anomaly: Amazon EC2 in acme-prod, us-east-1" */
                      g_strdup_printf (_("Cost anomaly: %s"), inc->root_cause),
                      /* TRANSLATORS: "21 – 22 Oct 2026: Amazon EC2 in acme-prod, us-east-1, +$1,900.00 a day for 2 days" */
                      g_strdup_printf (_("%s: %s"), period, what));
        }
      else
        {
          if (n == MAX_ANOMALY_NOTICES)
            {
              last = inc->end;
              extra_currency = g_strdup (inc->currency);
            }
          first = inc->start;
          if (g_strcmp0 (extra_currency, inc->currency) == 0)
            extra_impact += inc->impact;
        }
      n++;
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
}

static void
collect_budget_alerts (Run *run)
{
  GPtrArray *alerts = run->outbox->alerts;
  gint64 current_id = 0;
  CuDay current_start = 0;
  GString *body = NULL;
  char *title = NULL;
  guint top_actual = 0, top_forecast = 0;
  const char *name = NULL;

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

  for (guint k = 0; k < alerts->len; k++)
    {
      const CuBudgetAlert *alert = g_ptr_array_index (alerts, k);
      guint threshold = alert->threshold;

      if (body == NULL || alert->budget_id != current_id || alert->period_start != current_start)
        {
          FLUSH ();
          name = alert->budget_name;
          current_id = alert->budget_id;
          current_start = alert->period_start;
          top_actual = top_forecast = 0;
          body = g_string_new (NULL);
        }

      {
        g_autofree char *s = cu_money_format_display (alert->spend, alert->currency);
        g_autofree char *a = cu_money_format_display (alert->amount, alert->currency);
        g_autofree char *p = cu_format_period (alert->period_start, alert->period_end);
        g_autofree char *d = cu_format_day (alert->crossed_day);

        if (body->len > 0)
          g_string_append_c (body, '\n');
        if (g_strcmp0 (alert->basis, "actual") == 0)
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
}

static gpointer
analyse_run (CuLedger      *ledger,
             gpointer       request,
             GCancellable  *cancellable,
             GError       **error)
{
  const CuDay *as_of = request;
  g_autoptr(Run) run = g_new0 (Run, 1);
  g_autoptr(CuAnalysisPass) pass = NULL;

  run->notices = g_ptr_array_new_with_free_func ((GDestroyNotify) notice_free);

  pass = cu_analysis_pass_run (ledger, *as_of, cancellable, error);
  if (pass == NULL)
    return NULL;
  run->outbox = g_steal_pointer (&pass->outbox);

  collect_anomalies (run);
  collect_budget_alerts (run);
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

  if (!cu_outbox_mark_notified (ledger, run->outbox, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
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

  if (cu_outbox_is_empty (run->outbox))
    {
      finish (self, NULL);
      return;
    }

  /* what to mark moves on to the second worker */
  mark = g_new0 (Run, 1);
  mark->outbox = g_steal_pointer (&run->outbox);
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-progress.c — how far a job is: a fraction and a message, from any thread
 *
 * A worker calls cu_progress_update() as often as it likes; the values are
 * stored under a mutex and at most one idle is pending on the main context
 * the progress was made on. That idle notifies "fraction" and "message"
 * (and emits "changed" once), so a progress bar bound to it redraws at the
 * main loop's pace, never from the worker, however fast the worker goes.
 * Readers on that main context get the values last notified.
 */
#define G_LOG_DOMAIN "cumulus-progress"

#include "cu-progress.h"

struct _CuProgress
{
  GObject       parent_instance;

  /* owned state */
  GMainContext *context;        /* where notifications happen */
  GMutex        mutex;          /* guards the fields below */
  double        fraction;
  char         *message;
  gboolean      idle_pending;
};

G_DEFINE_FINAL_TYPE (CuProgress, cu_progress, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRACTION,
  PROP_MESSAGE,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
notify_idle (gpointer data)
{
  CuProgress *self = data;

  g_mutex_lock (&self->mutex);
  self->idle_pending = FALSE;
  g_mutex_unlock (&self->mutex);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* with the mutex held */
static void
schedule_locked (CuProgress *self)
{
  GSource *source;

  if (self->idle_pending)
    return;
  self->idle_pending = TRUE;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, notify_idle, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[cumulus] progress");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
cu_progress_finalize (GObject *object)
{
  CuProgress *self = CU_PROGRESS (object);

  g_mutex_clear (&self->mutex);
  g_free (self->message);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (cu_progress_parent_class)->finalize (object);
}

static void
cu_progress_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CuProgress *self = CU_PROGRESS (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, cu_progress_get_fraction (self));
      break;
    case PROP_MESSAGE:
      g_value_take_string (value, cu_progress_dup_message (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_progress_class_init (CuProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cu_progress_finalize;
  object_class->get_property = cu_progress_get_property;

  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CuProgress::changed:
   *
   * On the progress's main context, once per batch of updates.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cu_progress_init (CuProgress *self)
{
  g_mutex_init (&self->mutex);
  self->context = g_main_context_ref_thread_default ();
}

/**
 * cu_progress_new:
 *
 * Made on the thread that shows the progress: notifications happen on its
 * thread-default main context.
 *
 * Returns: (transfer full): a progress at 0 with no message
 */
CuProgress *
cu_progress_new (void)
{
  return g_object_new (CU_TYPE_PROGRESS, NULL);
}

/**
 * cu_progress_update:
 * @fraction: how much is done, 0 to 1 (clamped)
 * @message: (nullable): what is being done, or %NULL to keep the last one
 *
 * From any thread. The main context hears of it once, later.
 */
void
cu_progress_update (CuProgress *self,
                    double      fraction,
                    const char *message)
{
  g_return_if_fail (CU_IS_PROGRESS (self));

  g_mutex_lock (&self->mutex);
  self->fraction = CLAMP (fraction, 0.0, 1.0);
  if (message != NULL && g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
    }
  schedule_locked (self);
  g_mutex_unlock (&self->mutex);
}

/**
 * cu_progress_set_fraction:
 * @fraction: how much is done, 0 to 1 (clamped)
 *
 * From any thread; keeps the message.
 */
void
cu_progress_set_fraction (CuProgress *self,
                          double      fraction)
{
  cu_progress_update (self, fraction, NULL);
}

/**
 * cu_progress_reset:
 *
 * Back to 0 with no message, for the next run; from any thread.
 */
void
cu_progress_reset (CuProgress *self)
{
  g_return_if_fail (CU_IS_PROGRESS (self));

  g_mutex_lock (&self->mutex);
  self->fraction = 0.0;
  g_clear_pointer (&self->message, g_free);
  schedule_locked (self);
  g_mutex_unlock (&self->mutex);
}

/**
 * cu_progress_get_fraction:
 *
 * Returns: the fraction last set, 0 to 1
 */
double
cu_progress_get_fraction (CuProgress *self)
{
  double fraction;

  g_return_val_if_fail (CU_IS_PROGRESS (self), 0.0);

  g_mutex_lock (&self->mutex);
  fraction = self->fraction;
  g_mutex_unlock (&self->mutex);
  return fraction;
}

/**
 * cu_progress_dup_message:
 *
 * Returns: (transfer full) (nullable): the message last set
 */
char *
cu_progress_dup_message (CuProgress *self)
{
  char *message;

  g_return_val_if_fail (CU_IS_PROGRESS (self), NULL);

  g_mutex_lock (&self->mutex);
  message = g_strdup (self->message);
  g_mutex_unlock (&self->mutex);
  return message;
}

/**
 * cu_progress_fraction_cb:
 * @fraction: how much is done
 * @progress: (type CuProgress): the progress to update
 *
 * A CuDemoProgressFunc-shaped callback that updates @progress.
 */
void
cu_progress_fraction_cb (double   fraction,
                         gpointer progress)
{
  cu_progress_set_fraction (progress, fraction);
}

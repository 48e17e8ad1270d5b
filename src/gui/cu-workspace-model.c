/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-workspace-model.c — the open workspace, and what changed in it
 *
 * The window owns one model; every page, dialog and job that writes to the
 * workspace tells the model what it changed, and every page listens and
 * reloads when something it shows changed. Nobody refreshes a page by
 * hand, so a new page or a new writer is wired by the flags alone.
 *
 * Opening another directory notifies "directory" (pages show it, which
 * reloads them); opening the one already open is a change of costs and
 * accounts, since that is what an import or a sync into it did.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include "cu-workspace-model.h"

struct _CuWorkspaceModel
{
  GObject   parent_instance;

  /* owned state */
  char     *directory;
  gboolean  is_demo;
};

G_DEFINE_FINAL_TYPE (CuWorkspaceModel, cu_workspace_model, G_TYPE_OBJECT)
G_DEFINE_FLAGS_TYPE (CuWorkspaceChange, cu_workspace_change,
                     G_DEFINE_ENUM_VALUE (CU_WORKSPACE_CHANGE_COSTS, "costs"),
                     G_DEFINE_ENUM_VALUE (CU_WORKSPACE_CHANGE_ANALYSIS, "analysis"),
                     G_DEFINE_ENUM_VALUE (CU_WORKSPACE_CHANGE_ACCOUNTS, "accounts"),
                     G_DEFINE_ENUM_VALUE (CU_WORKSPACE_CHANGE_INVENTORY, "inventory"),
                     G_DEFINE_ENUM_VALUE (CU_WORKSPACE_CHANGE_RECOMMENDATIONS, "recommendations"))

enum {
  PROP_0,
  PROP_DIRECTORY,
  PROP_IS_DEMO,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
cu_workspace_model_finalize (GObject *object)
{
  CuWorkspaceModel *self = CU_WORKSPACE_MODEL (object);

  g_clear_pointer (&self->directory, g_free);

  G_OBJECT_CLASS (cu_workspace_model_parent_class)->finalize (object);
}

static void
cu_workspace_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CuWorkspaceModel *self = CU_WORKSPACE_MODEL (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;
    case PROP_IS_DEMO:
      g_value_set_boolean (value, self->is_demo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_workspace_model_class_init (CuWorkspaceModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cu_workspace_model_finalize;
  object_class->get_property = cu_workspace_model_get_property;

  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_DEMO] =
    g_param_spec_boolean ("is-demo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CuWorkspaceModel::changed:
   * @what: a #CuWorkspaceChange: what was written to the open workspace
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CU_TYPE_WORKSPACE_CHANGE);
}

static void
cu_workspace_model_init (CuWorkspaceModel *self)
{
}

/**
 * cu_workspace_model_new:
 *
 * Returns: (transfer full): a model with no workspace open
 */
CuWorkspaceModel *
cu_workspace_model_new (void)
{
  return g_object_new (CU_TYPE_WORKSPACE_MODEL, NULL);
}

/**
 * cu_workspace_model_get_directory:
 *
 * Returns: (nullable): the open workspace's directory
 */
const char *
cu_workspace_model_get_directory (CuWorkspaceModel *self)
{
  g_return_val_if_fail (CU_IS_WORKSPACE_MODEL (self), NULL);
  return self->directory;
}

/**
 * cu_workspace_model_get_is_demo:
 *
 * Returns: whether the open workspace is the generated demo one
 */
gboolean
cu_workspace_model_get_is_demo (CuWorkspaceModel *self)
{
  g_return_val_if_fail (CU_IS_WORKSPACE_MODEL (self), FALSE);
  return self->is_demo;
}

/**
 * cu_workspace_model_open:
 * @directory: a workspace directory
 * @is_demo: whether it is the generated demo workspace
 *
 * Opens @directory. When it is already open, emits "changed" for costs
 * and accounts: whoever opens it again wrote to it.
 */
void
cu_workspace_model_open (CuWorkspaceModel *self,
                         const char       *directory,
                         gboolean          is_demo)
{
  g_return_if_fail (CU_IS_WORKSPACE_MODEL (self));
  g_return_if_fail (directory != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->is_demo != is_demo)
    {
      self->is_demo = is_demo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DEMO]);
    }
  if (g_strcmp0 (self->directory, directory) != 0)
    {
      g_free (self->directory);
      self->directory = g_strdup (directory);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTORY]);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }
  g_object_thaw_notify (G_OBJECT (self));
  cu_workspace_model_changed (self, CU_WORKSPACE_CHANGE_COSTS | CU_WORKSPACE_CHANGE_ACCOUNTS);
}

/**
 * cu_workspace_model_changed:
 * @what: what was written to the open workspace
 *
 * Tells every page (and the jobs that follow costs) what changed.
 */
void
cu_workspace_model_changed (CuWorkspaceModel  *self,
                            CuWorkspaceChange  what)
{
  g_return_if_fail (CU_IS_WORKSPACE_MODEL (self));

  if (what != 0)
    g_signal_emit (self, signals[CHANGED], 0, what);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-page.c — the base of every page: workspace, loading / empty / error, title
 *
 * A page shows one workspace. Setting the workspace reloads it; reload()
 * is the one thing each page implements. The state says what the page
 * shows (the page draws it its own way: a stack, a status box) so that the
 * window, the tests and accessibility read every page alike. "loading" is
 * the state being LOADING, kept as a boolean property because that is
 * what a spinner or a test waits on.
 *
 * The title and icon name are what the sidebar shows; the page registry
 * sets them when it makes the page.
 *
 * In the window a page follows the workspace model: it shows the model's
 * directory and reloads when the model says that something it shows
 * (reload_on) changed. A page on its own (tests) is given a directory.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include "cu-page.h"

typedef struct
{
  /* owned state */
  CuWorkspaceModel *model;
  char        *workspace;
  char        *title;
  char        *icon_name;
  char        *error;
  CuPageState  state;
} CuPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CuPage, cu_page, GTK_TYPE_WIDGET)
G_DEFINE_ENUM_TYPE (CuPageState, cu_page_state,
                    G_DEFINE_ENUM_VALUE (CU_PAGE_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (CU_PAGE_STATE_LOADING, "loading"),
                    G_DEFINE_ENUM_VALUE (CU_PAGE_STATE_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (CU_PAGE_STATE_EMPTY, "empty"),
                    G_DEFINE_ENUM_VALUE (CU_PAGE_STATE_ERROR, "error"))

enum {
  PROP_0,
  PROP_WORKSPACE,
  PROP_MODEL,
  PROP_TITLE,
  PROP_ICON_NAME,
  PROP_STATE,
  PROP_LOADING,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GLib 2.74 has no g_set_str() */
static gboolean
set_str (char       **slot,
         const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

static void
model_directory_cb (CuPage *self)
{
  CuPagePrivate *priv = cu_page_get_instance_private (self);

  cu_page_set_workspace (self, cu_workspace_model_get_directory (priv->model));
}

static void
model_changed_cb (CuPage            *self,
                  CuWorkspaceChange  what)
{
  CU_PAGE_GET_CLASS (self)->changed (self, what);
}

static void
cu_page_real_changed (CuPage            *self,
                      CuWorkspaceChange  what)
{
  if ((what & CU_PAGE_GET_CLASS (self)->reload_on) != 0)
    cu_page_reload (self);
}

static void
cu_page_dispose (GObject *object)
{
  CuPagePrivate *priv = cu_page_get_instance_private (CU_PAGE (object));
  GtkWidget *child;

  if (priv->model != NULL)
    g_signal_handlers_disconnect_by_data (priv->model, object);
  g_clear_object (&priv->model);

  /* a page's template has one top child, not always bound to a field */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cu_page_parent_class)->dispose (object);
}

static void
cu_page_finalize (GObject *object)
{
  CuPagePrivate *priv = cu_page_get_instance_private (CU_PAGE (object));

  g_clear_pointer (&priv->workspace, g_free);
  g_clear_pointer (&priv->title, g_free);
  g_clear_pointer (&priv->icon_name, g_free);
  g_clear_pointer (&priv->error, g_free);

  G_OBJECT_CLASS (cu_page_parent_class)->finalize (object);
}

static void
cu_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CuPage *self = CU_PAGE (object);
  CuPagePrivate *priv = cu_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_string (value, priv->workspace);
      break;
    case PROP_MODEL:
      g_value_set_object (value, priv->model);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, priv->icon_name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, priv->state == CU_PAGE_STATE_LOADING);
      break;
    case PROP_ERROR:
      g_value_set_string (value, priv->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CuPage *self = CU_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      cu_page_set_workspace (self, g_value_get_string (value));
      break;
    case PROP_MODEL:
      cu_page_set_model (self, g_value_get_object (value));
      break;
    case PROP_TITLE:
      cu_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_ICON_NAME:
      cu_page_set_icon_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_page_class_init (CuPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cu_page_dispose;
  object_class->finalize = cu_page_finalize;
  object_class->get_property = cu_page_get_property;
  object_class->set_property = cu_page_set_property;
  klass->changed = cu_page_real_changed;

  properties[PROP_WORKSPACE] =
    g_param_spec_string ("workspace", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, CU_TYPE_WORKSPACE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       CU_TYPE_PAGE_STATE, CU_PAGE_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cu_page_init (CuPage *self)
{
}

/**
 * cu_page_get_workspace:
 *
 * Returns: (nullable): the workspace directory shown
 */
const char *
cu_page_get_workspace (CuPage *self)
{
  CuPagePrivate *priv;

  g_return_val_if_fail (CU_IS_PAGE (self), NULL);
  priv = cu_page_get_instance_private (self);
  return priv->workspace;
}

/**
 * cu_page_set_workspace:
 * @workspace_dir: (nullable): the workspace to show
 *
 * Shows @workspace_dir: the page forgets the old one and reloads.
 * Nothing happens when it is already shown.
 */
void
cu_page_set_workspace (CuPage     *self,
                       const char *workspace_dir)
{
  CuPagePrivate *priv;

  g_return_if_fail (CU_IS_PAGE (self));
  priv = cu_page_get_instance_private (self);

  if (g_strcmp0 (priv->workspace, workspace_dir) == 0)
    return;
  g_free (priv->workspace);
  priv->workspace = g_strdup (workspace_dir);
  if (CU_PAGE_GET_CLASS (self)->workspace_changed != NULL)
    CU_PAGE_GET_CLASS (self)->workspace_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
  cu_page_reload (self);
}

/**
 * cu_page_reload:
 *
 * Reads the workspace again (in a worker); a load under way is cancelled
 * and its result dropped. Without a workspace the page goes idle.
 */
void
cu_page_reload (CuPage *self)
{
  g_return_if_fail (CU_IS_PAGE (self));

  if (CU_PAGE_GET_CLASS (self)->reload != NULL)
    CU_PAGE_GET_CLASS (self)->reload (self);
}

/**
 * cu_page_get_model:
 *
 * Returns: (transfer none) (nullable): the workspace model the page follows
 */
CuWorkspaceModel *
cu_page_get_model (CuPage *self)
{
  CuPagePrivate *priv;

  g_return_val_if_fail (CU_IS_PAGE (self), NULL);
  priv = cu_page_get_instance_private (self);
  return priv->model;
}

/**
 * cu_page_set_model:
 * @model: (nullable): the window's workspace model
 *
 * From now on the page shows @model's directory and reloads when @model
 * reports a change it shows. Set once, when the page is made.
 */
void
cu_page_set_model (CuPage           *self,
                   CuWorkspaceModel *model)
{
  CuPagePrivate *priv;

  g_return_if_fail (CU_IS_PAGE (self));
  g_return_if_fail (model == NULL || CU_IS_WORKSPACE_MODEL (model));
  priv = cu_page_get_instance_private (self);

  if (priv->model == model)
    return;
  if (priv->model != NULL)
    g_signal_handlers_disconnect_by_data (priv->model, self);
  g_set_object (&priv->model, model);
  if (model != NULL)
    {
      g_signal_connect_object (model, "notify::directory",
                               G_CALLBACK (model_directory_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (model, "changed",
                               G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
  if (model != NULL && cu_workspace_model_get_directory (model) != NULL)
    cu_page_set_workspace (self, cu_workspace_model_get_directory (model));
}

/**
 * cu_page_get_title:
 *
 * Returns: (nullable): the page's name in the sidebar and the header
 */
const char *
cu_page_get_title (CuPage *self)
{
  CuPagePrivate *priv;

  g_return_val_if_fail (CU_IS_PAGE (self), NULL);
  priv = cu_page_get_instance_private (self);
  return priv->title;
}

void
cu_page_set_title (CuPage     *self,
                   const char *title)
{
  CuPagePrivate *priv;

  g_return_if_fail (CU_IS_PAGE (self));
  priv = cu_page_get_instance_private (self);

  if (set_str (&priv->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/**
 * cu_page_get_icon_name:
 *
 * Returns: (nullable): the symbolic icon beside the title in the sidebar
 */
const char *
cu_page_get_icon_name (CuPage *self)
{
  CuPagePrivate *priv;

  g_return_val_if_fail (CU_IS_PAGE (self), NULL);
  priv = cu_page_get_instance_private (self);
  return priv->icon_name;
}

void
cu_page_set_icon_name (CuPage     *self,
                       const char *icon_name)
{
  CuPagePrivate *priv;

  g_return_if_fail (CU_IS_PAGE (self));
  priv = cu_page_get_instance_private (self);

  if (set_str (&priv->icon_name, icon_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

CuPageState
cu_page_get_state (CuPage *self)
{
  CuPagePrivate *priv;

  g_return_val_if_fail (CU_IS_PAGE (self), CU_PAGE_STATE_IDLE);
  priv = cu_page_get_instance_private (self);
  return priv->state;
}

/**
 * cu_page_set_state:
 * @state: what the page shows now
 *
 * For the page itself. Any state but %CU_PAGE_STATE_ERROR forgets the last
 * error; to report one, use cu_page_set_error().
 */
void
cu_page_set_state (CuPage      *self,
                   CuPageState  state)
{
  CuPagePrivate *priv;
  gboolean was_loading;

  g_return_if_fail (CU_IS_PAGE (self));
  priv = cu_page_get_instance_private (self);

  if (state != CU_PAGE_STATE_ERROR && priv->error != NULL)
    {
      g_clear_pointer (&priv->error, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (priv->state == state)
    return;

  was_loading = priv->state == CU_PAGE_STATE_LOADING;
  priv->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (was_loading != (state == CU_PAGE_STATE_LOADING))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/**
 * cu_page_get_loading:
 *
 * Returns: whether a load is under way
 */
gboolean
cu_page_get_loading (CuPage *self)
{
  return cu_page_get_state (self) == CU_PAGE_STATE_LOADING;
}

/**
 * cu_page_get_error:
 *
 * Returns: (nullable): why the last load failed
 */
const char *
cu_page_get_error (CuPage *self)
{
  CuPagePrivate *priv;

  g_return_val_if_fail (CU_IS_PAGE (self), NULL);
  priv = cu_page_get_instance_private (self);
  return priv->error;
}

/**
 * cu_page_set_error:
 * @message: (nullable): why the load failed, for the user
 *
 * For the page itself: the state becomes %CU_PAGE_STATE_ERROR with
 * @message, or, for %NULL, %CU_PAGE_STATE_READY.
 */
void
cu_page_set_error (CuPage     *self,
                   const char *message)
{
  CuPagePrivate *priv;

  g_return_if_fail (CU_IS_PAGE (self));
  priv = cu_page_get_instance_private (self);

  if (message == NULL)
    {
      cu_page_set_state (self, CU_PAGE_STATE_READY);
      return;
    }
  if (set_str (&priv->error, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  cu_page_set_state (self, CU_PAGE_STATE_ERROR);
}

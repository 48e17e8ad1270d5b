/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-preferences-window.c — colour scheme and default date range
 *
 * Each combo row is bound to an enum key; the rows list the enum's values
 * in the schema's order, so the mapping is by position.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>

#include "cu-preferences-window.h"

struct _CuPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template children */
  AdwComboRow          *color_scheme_row;
  AdwComboRow          *date_range_row;

  /* owned state */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (CuPreferencesWindow, cu_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const color_scheme_nicks[] = { "default", "light", "dark", NULL };
static const char * const date_range_nicks[] = {
  "last-30-days", "month-to-date", "last-month", "last-90-days", "year-to-date", NULL
};

static gboolean
nick_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_str_equal (nicks[i], nick))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
position_to_nick (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint position = g_value_get_uint (value);

  if (position >= g_strv_length ((char **) nicks))
    return NULL;
  return g_variant_new_string (nicks[position]);
}

static void
cu_preferences_window_constructed (GObject *object)
{
  CuPreferencesWindow *self = CU_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (cu_preferences_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    return;
  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->color_scheme_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                nick_to_position, position_to_nick,
                                (gpointer) color_scheme_nicks, NULL);
  g_settings_bind_with_mapping (self->settings, "default-date-range",
                                self->date_range_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                nick_to_position, position_to_nick,
                                (gpointer) date_range_nicks, NULL);
}

static void
cu_preferences_window_dispose (GObject *object)
{
  CuPreferencesWindow *self = CU_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CU_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cu_preferences_window_parent_class)->dispose (object);
}

static void
cu_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CuPreferencesWindow *self = CU_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CuPreferencesWindow *self = CU_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_preferences_window_class_init (CuPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cu_preferences_window_constructed;
  object_class->dispose = cu_preferences_window_dispose;
  object_class->get_property = cu_preferences_window_get_property;
  object_class->set_property = cu_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cumulusfinops/Cumulus/cu-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CuPreferencesWindow, color_scheme_row);
  gtk_widget_class_bind_template_child (widget_class, CuPreferencesWindow, date_range_row);
}

static void
cu_preferences_window_init (CuPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cu_preferences_window_new:
 * @settings: (nullable): the app's settings, or %NULL for an unbound window
 *
 * Returns: (transfer floating): the preferences window
 */
CuPreferencesWindow *
cu_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  return g_object_new (CU_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-application.c — the Cumulus application
 *
 * Owns the app actions (quit, about, preferences), the settings, the
 * colour scheme and the job manager (running syncs, the background sync
 * schedule); every window is a CuWindow. The shortcuts window is
 * GtkApplication's automatic help overlay (gtk/help-overlay.ui), which
 * brings win.show-help-overlay with Ctrl+?.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>

#include "cu-application.h"
#include "cu-job-manager.h"
#include "cu-page-registry.h"
#include "cu-preferences-window.h"
#include "cumulus-resources.h"
#include "cu-window.h"

struct _CuApplication
{
  AdwApplication  parent_instance;

  /* owned state */
  GSettings      *settings;
  CuJobManager   *jobs;
};

G_DEFINE_FINAL_TYPE (CuApplication, cu_application, ADW_TYPE_APPLICATION)

/* Installed builds find the schema in the usual places; a build run from
 * its build tree finds it next to it, so `./build/src/cumulus` works. */
static GSettings *
create_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, BASE_APP_ID, TRUE);

#ifdef CUMULUS_BUILD_SCHEMA_DIR
  if (schema == NULL)
    {
      g_autoptr(GSettingsSchemaSource) build_source =
        g_settings_schema_source_new_from_directory (CUMULUS_BUILD_SCHEMA_DIR, source, FALSE, NULL);
      if (build_source != NULL)
        schema = g_settings_schema_source_lookup (build_source, BASE_APP_ID, FALSE);
    }
#endif

  if (schema == NULL)
    return g_settings_new (BASE_APP_ID);   /* names the missing schema and aborts */
  return g_settings_new_full (schema, NULL, NULL);
}

static void
apply_color_scheme (CuApplication *self)
{
  static const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT,
    ADW_COLOR_SCHEME_FORCE_LIGHT,
    ADW_COLOR_SCHEME_FORCE_DARK,
  };
  int value = g_settings_get_enum (self->settings, "color-scheme");

  if (value < 0 || value >= (int) G_N_ELEMENTS (schemes))
    value = 0;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), schemes[value]);
}

static void
color_scheme_changed_cb (CuApplication *self)
{
  apply_color_scheme (self);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  CuApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* closing lets each window save its size and cancel its jobs */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_close (window);
    }
  cu_job_manager_cancel_all (self->jobs);
  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  CuApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Cumulus contributors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-icon", BASE_APP_ID,
                        "application-name", _("Cumulus"),
                        "developer-name", _("The Cumulus contributors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("See where your cloud money goes, and what to do about it."),
                        "website", "https://github.com/cumulusfinops/cumulus",
                        "issue-url", "https://github.com/cumulusfinops/cumulus/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Cumulus contributors",
                        "developers", developers,
                        /* TRANSLATORS: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  CuApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  CuPreferencesWindow *prefs = cu_preferences_window_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

/* from a notification: bring the window up on the page it is about */
static void
show_page_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  CuApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (cu_window_new (self));
  gtk_window_present (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "window.show-page", "s",
                              g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "show-page", show_page_action, "s" },
};

static void
cu_application_activate (GApplication *app)
{
  CuApplication *self = CU_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (cu_window_new (self));
  gtk_window_present (window);
}

static void
cu_application_startup (GApplication *app)
{
  CuApplication *self = CU_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *reload_accels[] = { "<Control>r", "F5", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (cu_application_parent_class)->startup (app);

  g_type_ensure (CU_TYPE_WINDOW);
  /* the window's pages (tests look up every template class by name) */
  cu_page_registry_ensure_types ();

  self->settings = create_settings ();
  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (color_scheme_changed_cb), self, G_CONNECT_SWAPPED);
  apply_color_scheme (self);

  self->jobs = g_object_ref (cu_job_manager_get_default ());
  cu_job_manager_set_settings (self->jobs, self->settings);
  cu_job_manager_set_application (self->jobs, G_APPLICATION (self));

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.reload", reload_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
}

static void
cu_application_dispose (GObject *object)
{
  CuApplication *self = CU_APPLICATION (object);

  if (self->jobs != NULL)
    cu_job_manager_cancel_all (self->jobs);
  g_clear_object (&self->jobs);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cu_application_parent_class)->dispose (object);
}

static void
cu_application_class_init (CuApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cu_application_dispose;
  app_class->activate = cu_application_activate;
  app_class->startup = cu_application_startup;
}

static void
cu_application_init (CuApplication *self)
{
  /* The bundle lives in a static library: referencing it here is what
   * links it in (and registers it) in every program using the app. */
  g_assert (cumulus_get_resource () != NULL);
}

/**
 * cu_application_new:
 *
 * Returns: (transfer full): the application
 */
CuApplication *
cu_application_new (void)
{
  return g_object_new (CU_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/cumulusfinops/Cumulus",
                       NULL);
}

/**
 * cu_application_get_settings:
 *
 * Returns: (transfer none): the app's settings; valid after startup
 */
GSettings *
cu_application_get_settings (CuApplication *self)
{
  g_return_val_if_fail (CU_IS_APPLICATION (self), NULL);
  return self->settings;
}

/**
 * cu_application_get_job_manager:
 *
 * Returns: (transfer none): the jobs running for the app; valid after startup
 */
CuJobManager *
cu_application_get_job_manager (CuApplication *self)
{
  g_return_val_if_fail (CU_IS_APPLICATION (self), NULL);
  return self->jobs;
}

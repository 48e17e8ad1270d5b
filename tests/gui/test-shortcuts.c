/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-shortcuts.c — the Keyboard Shortcuts window lists every shortcut
 *
 * The accelerators come from two places: the application's accels for
 * actions (cu-application.c) and the key bindings of the window class
 * (cu-window.c, such as Ctrl+I for win.import). Each must be listed in
 * gtk/help-overlay.ui, and the window must list nothing that does not
 * exist.
 */
#include <adwaita.h>
#include <glib/gstdio.h>

#include "cu-application.h"
#include "cu-window.h"

#define OVERLAY_PATH "/io/github/cumulusfinops/Cumulus/gtk/help-overlay.ui"

/* "<Control>q" and "<Primary>q" are one accelerator: compare them parsed */
static char *
normalize (const char *accel)
{
  guint key = 0;
  GdkModifierType mods = 0;

  if (!gtk_accelerator_parse (accel, &key, &mods) || key == 0)
    g_error ("“%s” is not an accelerator", accel);
  return gtk_accelerator_name (gdk_keyval_to_lower (key), mods);
}

/* Every accelerator the Shortcuts window shows, normalized. */
static GHashTable *
listed_accels (GtkApplication *app)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  GHashTable *listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GSList *objects;

  gtk_builder_add_from_resource (builder, OVERLAY_PATH, &error);
  g_assert_no_error (error);
  objects = gtk_builder_get_objects (builder);
  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accelerator = NULL;
      g_autofree char *action = NULL;
      g_autofree char *title = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "accelerator", &accelerator, "action-name", &action, "title", &title, NULL);
      if (accelerator != NULL && *accelerator != '\0')
        {
          g_auto(GStrv) accels = g_strsplit (accelerator, " ", -1);

          for (guint i = 0; accels[i] != NULL; i++)
            if (*accels[i] != '\0')
              g_hash_table_add (listed, normalize (accels[i]));
        }
      else
        {
          g_auto(GStrv) accels = NULL;

          g_assert_nonnull (action);
          /* the shortcuts window asks the application, as here */
          accels = gtk_application_get_accels_for_action (app, action);
          if (accels[0] == NULL && !g_str_equal (action, "win.show-help-overlay"))
            g_error ("“%s” names %s, which has no accelerator", title, action);
          for (guint i = 0; accels[i] != NULL; i++)
            g_hash_table_add (listed, normalize (accels[i]));
        }
      g_test_message ("listed: %s", title);
    }
  g_slist_free (objects);

  /* GtkApplication sets this one itself when it loads the overlay */
  g_hash_table_add (listed, normalize ("<Control>question"));
  return listed;
}

static void
assert_listed (GHashTable *listed,
               const char *accel,
               const char *action)
{
  g_autofree char *name = normalize (accel);

  if (!g_hash_table_contains (listed, name))
    g_error ("%s (%s) is missing from gtk/help-overlay.ui", accel, action);
}

static void
test_overlay_lists_everything (void)
{
  g_autoptr(GError) error = NULL;
  CuApplication *app = cu_application_new ();
  g_autoptr(GHashTable) listed = NULL;
  g_auto(GStrv) actions = NULL;
  CuWindow *window;
  GListModel *controllers;
  guint n_bindings = 0;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  listed = listed_accels (GTK_APPLICATION (app));
  g_assert_cmpuint (g_hash_table_size (listed), >, 1);

  /* the application's accels */
  actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        assert_listed (listed, accels[j], actions[i]);
    }

  /* the window's own key bindings to its actions (a bare window: no
   * workspace is opened) */
  window = g_object_ref_sink (g_object_new (CU_TYPE_WINDOW, NULL));
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          const char *name;
          g_autofree char *accel = NULL;

          if (!GTK_IS_KEYVAL_TRIGGER (trigger) || !GTK_IS_NAMED_ACTION (action))
            continue;
          name = gtk_named_action_get_action_name (GTK_NAMED_ACTION (action));
          /* ours, not the ones GtkWindow brings */
          if (!g_str_has_prefix (name, "win.") && !g_str_has_prefix (name, "window."))
            continue;
          accel = gtk_accelerator_name (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                                        gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)));
          g_test_message ("window binding %s → %s", accel, name);
          assert_listed (listed, accel, name);
          n_bindings++;
        }
    }
  g_object_unref (controllers);
  g_assert_cmpuint (n_bindings, >=, 1);   /* Ctrl+I, Import Cost Files */
  assert_listed (listed, "<Control>i", "win.import");

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_object_unref (app);
}

int
main (int argc, char **argv)
{
  g_autofree char *tmp_home = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  tmp_home = g_dir_make_tmp ("cumulus-shortcuts-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", tmp_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", tmp_home, TRUE);
  g_setenv ("XDG_CACHE_HOME", tmp_home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/gui/shortcuts/overlay-lists-everything", test_overlay_lists_everything);

  status = g_test_run ();
  g_rmdir (tmp_home);
  return status;
}

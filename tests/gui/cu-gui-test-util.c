/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-gui-test-util.c — what the GUI and pages tests share
 *
 * A private home in a temporary folder, the application registered, the
 * main loop run until something happened (or for a while), the texts a
 * window shows, and screenshots saved into the build dir.
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cu-gui-test-util.h"

/**
 * cu_test_init:
 * @tmp_template: for g_dir_make_tmp(), "cumulus-gui-XXXXXX"
 *
 * Points XDG_DATA_HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME at a new
 * temporary folder, keeps settings in memory and accessibility off, then
 * initialises the test framework, GTK and libadwaita.
 *
 * Returns: (transfer full): the temporary folder, for cu_test_remove_tree()
 */
char *
cu_test_init (int          *argc,
              char       ***argv,
              const char   *tmp_template)
{
  g_autoptr(GError) error = NULL;
  char *tmp_dir = g_dir_make_tmp (tmp_template, &error);

  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);
  g_setenv ("XDG_CONFIG_HOME", tmp_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", tmp_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_unsetenv ("CUMULUS_WORKSPACE");

  g_test_init (argc, argv, NULL);
  gtk_init ();
  adw_init ();
  return tmp_dir;
}

/**
 * cu_test_application_new:
 *
 * Returns: (transfer full): the application, registered, not unique: it
 *   links in the resources and registers the classes
 */
CuApplication *
cu_test_application_new (void)
{
  g_autoptr(GError) error = NULL;
  CuApplication *app = cu_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}

/* Deletes @path and everything below it; links are not followed. */
void
cu_test_remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            cu_test_remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds. */
void
cu_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/**
 * cu_test_wait_for:
 *
 * Runs the main loop until @condition holds or @seconds have passed.
 *
 * Returns: whether @condition holds
 */
gboolean
cu_test_wait_for (CuTestCondition condition,
                  gpointer        data,
                  guint           seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return condition (data);
}

/**
 * cu_test_wait_property_false:
 * @property: a boolean property of @object, "loading" or "running"
 *
 * Lets a load that was just requested start, then runs the main loop
 * until @property is %FALSE or @seconds have passed.
 *
 * Returns: whether @property is %FALSE
 */
gboolean
cu_test_wait_property_false (gpointer    object,
                             const char *property,
                             guint       seconds)
{
  gboolean timed_out = FALSE;
  gboolean value = TRUE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  g_main_context_iteration (NULL, FALSE);
  for (;;)
    {
      g_object_get (object, property, &value, NULL);
      if (!value || timed_out)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  if (!timed_out)
    g_source_remove (id);
  return !value;
}

/* Adds @widget and its descendants of @type to @out, depth first. */
void
cu_test_collect_widgets (GtkWidget *widget,
                         GType      type,
                         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cu_test_collect_widgets (child, type, out);
}

/**
 * cu_test_visible_texts:
 *
 * Returns: (transfer full): all texts shown in labels below @root, one per line
 */
char *
cu_test_visible_texts (GtkWidget *root)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  cu_test_collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      if (gtk_widget_is_drawable (label))
        g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (label)));
    }
  return g_string_free (out, FALSE);
}

/* Fails the test, listing @texts, unless @expected is among them. */
void
cu_test_assert_text_shown (const char *texts,
                           const char *expected)
{
  if (strstr (texts, expected) == NULL)
    g_error ("“%s” is not shown; the window shows:\n%s", expected, texts);
}

/**
 * cu_test_save_png:
 * @name: the file name, "overview-1280-light.png"
 *
 * Saves @texture into the build dir (CUMULUS_BUILD_ROOT), or the current
 * folder outside `meson test`.
 */
void
cu_test_save_png (GdkTexture *texture,
                  const char *name)
{
  const char *build_root = g_getenv ("CUMULUS_BUILD_ROOT");
  g_autofree char *path = g_build_filename (build_root ? build_root : ".", name, NULL);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("wrote %s (%d × %d)", path,
                  gdk_texture_get_width (texture), gdk_texture_get_height (texture));
}

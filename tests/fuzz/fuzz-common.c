/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-common.c — shared plumbing of the fuzz targets */
#define G_LOG_DOMAIN "cumulus-fuzz"

#include "fuzz-common.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

void
fuzz_check_failed (const char *file, int line, const char *cond)
{
  fprintf (stderr, "%s:%d: property failed: %s\n", file, line, cond);
  abort ();
}

static void
log_cb (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  /* debug and info are noise at millions of runs; criticals and warnings
   * print and abort. GLib's own fatal path raises SIGTRAP, which libFuzzer
   * does not catch (no crash file, the job just dies): abort() it is. */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_log_default_handler (domain, level, message, data);
      abort ();
    }
}

static GLogWriterOutput
log_writer_cb (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_log_writer_standard_streams (level, fields, n_fields, data);
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

void
fuzz_init_glib (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_log_set_default_handler (log_cb, NULL);
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
  g_setenv ("CUMULUS_TODAY", "2024-06-15", TRUE);
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("no_proxy", "*", TRUE);
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("all_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("ALL_PROXY");
  g_once_init_leave (&done, 1);
}

static char *tmpdir;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
remove_tmpdir (void)
{
  if (tmpdir != NULL)
    remove_tree (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
}

const char *
fuzz_tmpdir (void)
{
  if (tmpdir == NULL)
    {
      g_autoptr(GError) error = NULL;

      tmpdir = g_dir_make_tmp ("cumulus-fuzz-XXXXXX", &error);
      if (tmpdir == NULL)
        g_error ("cannot make a temporary directory: %s", error->message);
      atexit (remove_tmpdir);
    }
  return tmpdir;
}

void
fuzz_reset_workspace (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (!g_file_test (child, G_FILE_TEST_IS_DIR))
        g_unlink (child);
    }
}

void
fuzz_copy_files (const char *from, const char *to)
{
  g_autoptr(GDir) d = g_dir_open (from, 0, NULL);
  const char *name;

  fuzz_reset_workspace (to);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *src = g_build_filename (from, name, NULL);
      g_autofree char *dst = g_build_filename (to, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      if (g_file_test (src, G_FILE_TEST_IS_DIR))
        continue;
      if (!g_file_get_contents (src, &contents, &len, NULL) ||
          !g_file_set_contents (dst, contents, (gssize) len, NULL))
        g_error ("cannot copy %s", src);
    }
}

/* ------------------------------------------------------------ the server */

typedef struct {
  guint  status;
  GBytes *body;
} Piece;

static GMutex server_lock;
static GQueue pieces = G_QUEUE_INIT;
static GBytes *default_answer;
static guint n_requests;
static char *server_url;

static void
piece_free (gpointer p)
{
  Piece *piece = p;

  g_bytes_unref (piece->body);
  g_free (piece);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           data)
{
  Piece *piece;
  guint status = 200;
  g_autoptr(GBytes) body = NULL;
  gsize len;
  const char *bytes;

  g_mutex_lock (&server_lock);
  n_requests++;
  piece = g_queue_pop_head (&pieces);
  if (piece != NULL)
    {
      status = piece->status;
      body = g_bytes_ref (piece->body);
      piece_free (piece);
    }
  else
    body = g_bytes_ref (default_answer);
  g_mutex_unlock (&server_lock);

  bytes = g_bytes_get_data (body, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, bytes && len && bytes[0] == '<' ? "text/xml" : "application/json",
                                    SOUP_MEMORY_COPY, bytes ? bytes : "", len);
}

typedef struct {
  GMutex  lock;
  GCond   cond;
  char   *url;
} StartData;

static gpointer
server_thread (gpointer p)
{
  StartData *start = p;
  GMainContext *ctx = g_main_context_new ();
  g_autoptr(GMainLoop) loop = NULL;
  SoupServer *server;
  GSList *uris;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (ctx);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, handler_cb, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("cannot listen on loopback: %s", error->message);
  uris = soup_server_get_uris (server);
  g_mutex_lock (&start->lock);
  start->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_cond_signal (&start->cond);
  g_mutex_unlock (&start->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* serves until the process exits */
  loop = g_main_loop_new (ctx, FALSE);
  g_main_loop_run (loop);
  return NULL;
}

const char *
fuzz_server_start (const char *default_body)
{
  static StartData start;

  if (server_url != NULL)
    return server_url;
  default_answer = g_bytes_new_static (default_body, strlen (default_body));
  g_mutex_init (&start.lock);
  g_cond_init (&start.cond);
  g_mutex_lock (&start.lock);
  g_thread_unref (g_thread_new ("fuzz-server", server_thread, &start));
  while (start.url == NULL)
    g_cond_wait (&start.cond, &start.lock);
  g_mutex_unlock (&start.lock);
  server_url = start.url;
  return server_url;
}

static const char *
find_bytes (const char *hay, gsize hay_len, const char *needle, gsize needle_len)
{
  for (gsize i = 0; i + needle_len <= hay_len; i++)
    if (memcmp (hay + i, needle, needle_len) == 0)
      return hay + i;
  return NULL;
}

void
fuzz_server_set_input (const uint8_t *data, size_t size)
{
  const char *p = (const char *) data, *end = p + size;
  const char sep[] = "\n" FUZZ_PIECE_SEPARATOR "\n";

  g_mutex_lock (&server_lock);
  g_queue_clear_full (&pieces, piece_free);
  n_requests = 0;
  while (p <= end)
    {
      const char *next = find_bytes (p, (gsize) (end - p), sep, strlen (sep));
      const char *stop = next ? next : end;
      Piece *piece = g_new0 (Piece, 1);

      piece->status = 200;
      if (stop - p >= 9 && memcmp (p, "HTTP ", 5) == 0 && g_ascii_isdigit (p[5]) &&
          g_ascii_isdigit (p[6]) && g_ascii_isdigit (p[7]) && p[8] == '\n')
        {
          piece->status = (guint) ((p[5] - '0') * 100 + (p[6] - '0') * 10 + (p[7] - '0'));
          if (piece->status < 200)
            piece->status = 200;
          p += 9;
        }
      piece->body = g_bytes_new (p, stop - p);
      g_queue_push_tail (&pieces, piece);
      if (next == NULL)
        break;
      p = next + strlen (sep);
    }
  g_mutex_unlock (&server_lock);
}

guint
fuzz_server_get_n_requests (void)
{
  guint n;

  g_mutex_lock (&server_lock);
  n = n_requests;
  g_mutex_unlock (&server_lock);
  return n;
}

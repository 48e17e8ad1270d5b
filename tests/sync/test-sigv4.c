/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sigv4.c — the SigV4 signer against every case in shared/testdata/sigv4
 *
 * The vectors are read at test time from $CUMULUS_SHARED_DIR; nothing is
 * copied into the tree.
 */
#define G_LOG_DOMAIN "cumulus-test"

#include <json-glib/json-glib.h>
#include <string.h>

#include "providers/aws/cu-sigv4.h"

static char *sigv4_dir;

static char *
read_case_file (const char *name, const char *ext)
{
  g_autofree char *path = g_strdup_printf ("%s/%s/%s.%s", sigv4_dir, name, name, ext);
  g_autoptr(GError) error = NULL;
  char *text = NULL;
  gsize len;

  g_file_get_contents (path, &text, &len, &error);
  g_assert_no_error (error);
  /* compare after stripping one trailing newline and any CR */
  if (len > 0 && text[len - 1] == '\n')
    text[--len] = '\0';
  if (len > 0 && text[len - 1] == '\r')
    text[--len] = '\0';
  return text;
}

static char *
context_token (const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s/context.json", sigv4_dir, name);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *creds;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  creds = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "credentials");
  return g_strdup (json_object_get_string_member (creds, "token"));
}

typedef struct {
  char *name;
  char *token_mode;   /* "no" | "signed" | "added-after-signing" */
} Case;

static void
case_free (gpointer p)
{
  Case *c = p;
  g_free (c->name);
  g_free (c->token_mode);
  g_free (c);
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *req_text = read_case_file (c->name, "req");
  g_autofree char *want_creq = read_case_file (c->name, "creq");
  g_autofree char *want_sts = read_case_file (c->name, "sts");
  g_autofree char *want_authz = read_case_file (c->name, "authz");
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *method = NULL, *path = NULL, *query = NULL, *date = NULL, *token = NULL;
  g_autofree char *creq = NULL, *sts = NULL, *authz = NULL;
  const char *body;
  char *sep, *line_end, *first_space, *last_space;
  char *p = req_text;
  CuSigv4Request req = { 0 };
  CuSigv4Key key = { 0 };
  gboolean has_token = FALSE;

  /* request line: split on the first and the last space (get-space) */
  line_end = strchr (p, '\n');
  g_assert_nonnull (line_end);
  *line_end = '\0';
  first_space = strchr (p, ' ');
  last_space = strrchr (p, ' ');
  g_assert_true (first_space != NULL && last_space > first_space);
  method = g_strndup (p, first_space - p);
  path = g_strndup (first_space + 1, last_space - first_space - 1);
  sep = strchr (path, '?');
  if (sep)
    {
      query = g_strdup (sep + 1);
      *sep = '\0';
    }
  p = line_end + 1;

  /* headers, with obsolete line folding, until a blank line */
  body = "";
  while (*p)
    {
      line_end = strchr (p, '\n');
      if (line_end)
        *line_end = '\0';
      if (*p == '\0')
        {
          body = line_end ? line_end + 1 : "";
          break;
        }
      if ((*p == ' ' || *p == '\t') && names->len > 0)
        {
          char *prev = values->pdata[values->len - 1];
          values->pdata[values->len - 1] = g_strconcat (prev, " ", g_strstrip (p), NULL);
          g_free (prev);
        }
      else
        {
          char *colon = strchr (p, ':');
          g_assert_nonnull (colon);
          g_ptr_array_add (names, g_strndup (p, colon - p));
          g_ptr_array_add (values, g_strdup (colon + 1));
          if (g_ascii_strcasecmp (names->pdata[names->len - 1], "X-Amz-Date") == 0)
            date = g_strstrip (g_strdup (colon + 1));
          if (g_ascii_strcasecmp (names->pdata[names->len - 1], "X-Amz-Security-Token") == 0)
            has_token = TRUE;
        }
      if (!line_end)
        break;
      p = line_end + 1;
    }

  if (g_str_equal (c->token_mode, "signed") && !has_token)
    {
      token = context_token (c->name);
      g_ptr_array_add (names, g_strdup ("X-Amz-Security-Token"));
      g_ptr_array_add (values, g_strdup (token));
    }

  req.method = method;
  req.path = path;
  req.query = query;
  req.header_names = (const char * const *) names->pdata;
  req.header_values = (const char * const *) values->pdata;
  req.n_headers = names->len;
  req.body = (const guint8 *) body;
  req.body_len = strlen (body);
  req.normalize_path = TRUE;

  key.access_key_id = "AKIDEXAMPLE";
  key.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  key.region = "us-east-1";
  key.service = "service";
  key.amz_date = date;
  g_assert_nonnull (date);

  authz = cu_sigv4_authorization (&req, &key, &creq, &sts);
  g_assert_cmpstr (creq, ==, want_creq);
  g_assert_cmpstr (sts, ==, want_sts);
  g_assert_cmpstr (authz, ==, want_authz);
}

static void
test_encode (void)
{
  g_autofree char *a = cu_sigv4_uri_encode ("a b/c~d*é", -1, TRUE);
  g_autofree char *b = cu_sigv4_canonical_query ("b=2&a=%2F&a=1&c");
  g_assert_cmpstr (a, ==, "a%20b%2Fc~d%2A%C3%A9");
  g_assert_cmpstr (b, ==, "a=%2F&a=1&b=2&c=");
}

int
main (int argc, char **argv)
{
  const char *shared = g_getenv ("CUMULUS_SHARED_DIR");
  g_autofree char *tsv_path = NULL;
  g_autofree char *tsv = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (case_free);
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (shared);
  sigv4_dir = g_build_filename (shared, "testdata", "sigv4", NULL);
  tsv_path = g_build_filename (sigv4_dir, "cases.tsv", NULL);
  if (!g_file_get_contents (tsv_path, &tsv, NULL, NULL))
    g_error ("cannot read %s", tsv_path);

  lines = g_strsplit (tsv, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
      Case *c;
      g_autofree char *test_path = NULL;

      if (g_strv_length (f) < 3)
        continue;
      c = g_new0 (Case, 1);
      c->name = g_strdup (f[0]);
      c->token_mode = g_strdup (f[2]);
      g_ptr_array_add (cases, c);
      test_path = g_strdup_printf ("/sigv4/vector/%s", c->name);
      g_test_add_data_func (test_path, c, test_case);
    }
  /* all 34 published vectors must be there */
  g_assert_cmpuint (cases->len, ==, 34);
  g_test_add_func ("/sigv4/encode", test_encode);

  rc = g_test_run ();
  g_free (sigv4_dir);
  return rc;
}

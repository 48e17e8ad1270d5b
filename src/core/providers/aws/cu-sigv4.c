/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-sigv4.c — AWS Signature Version 4
 *
 * Follows the published algorithm step by step (canonical request, string to
 * sign, derived key, signature) so that every intermediate can be compared
 * with the test vectors in shared/testdata/sigv4.
 */
#define G_LOG_DOMAIN "cumulus-sync"

#include "providers/aws/cu-sigv4.h"

#include <string.h>

static gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.' || c == '~';
}

/**
 * cu_sigv4_uri_encode:
 * @text: bytes to encode
 * @len: length or -1
 * @encode_slash: whether '/' is encoded too
 *
 * Percent-encodes every byte outside A-Z a-z 0-9 - _ . ~ with upper-case hex.
 *
 * Returns: (transfer full): the encoded text
 */
char *
cu_sigv4_uri_encode (const char *text,
                     gssize      len,
                     gboolean    encode_slash)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  if (len < 0)
    len = strlen (text);
  out = g_string_sized_new (len + 16);
  for (gssize i = 0; i < len; i++)
    {
      guchar c = (guchar) text[i];

      if (is_unreserved (c) || (c == '/' && !encode_slash))
        g_string_append_c (out, (char) c);
      else
        g_string_append_printf (out, "%%%02X", c);
    }
  return g_string_free (out, FALSE);
}

char *
cu_sigv4_hex_sha256 (const guint8 *data,
                     gsize         len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data ? data : (const guint8 *) "", len);
}

/**
 * cu_sigv4_canonical_path:
 * @path: the unencoded request path
 * @normalize: remove "." and ".." segments and duplicate slashes
 *
 * Returns: (transfer full): the canonical URI, encoded once
 */
char *
cu_sigv4_canonical_path (const char *path,
                         gboolean    normalize)
{
  g_autoptr(GPtrArray) segments = NULL;
  g_auto(GStrv) parts = NULL;
  GString *out;
  gboolean trailing;
  gsize len;

  if (path == NULL || *path == '\0')
    return g_strdup ("/");
  if (!normalize)
    return cu_sigv4_uri_encode (path, -1, FALSE);

  len = strlen (path);
  trailing = path[len - 1] == '/' ||
             g_str_has_suffix (path, "/.") || g_str_has_suffix (path, "/..");
  parts = g_strsplit (path, "/", -1);
  segments = g_ptr_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || g_str_equal (parts[i], "."))
        continue;
      if (g_str_equal (parts[i], ".."))
        {
          if (segments->len > 0)
            g_ptr_array_remove_index (segments, segments->len - 1);
          continue;
        }
      g_ptr_array_add (segments, parts[i]);
    }

  out = g_string_new ("/");
  for (guint i = 0; i < segments->len; i++)
    {
      g_autofree char *enc = cu_sigv4_uri_encode (g_ptr_array_index (segments, i), -1, TRUE);

      if (i > 0)
        g_string_append_c (out, '/');
      g_string_append (out, enc);
    }
  if (trailing && segments->len > 0)
    g_string_append_c (out, '/');
  return g_string_free (out, FALSE);
}

typedef struct {
  char *name;
  char *value;
} Pair;

static void
pair_clear (gpointer data)
{
  Pair *p = data;
  g_free (p->name);
  g_free (p->value);
}

static int
pair_cmp (gconstpointer a, gconstpointer b)
{
  const Pair *pa = a, *pb = b;
  int c = strcmp (pa->name, pb->name);

  return c != 0 ? c : strcmp (pa->value, pb->value);
}

/* Decodes once (the query may already be percent-encoded on the wire), so
 * that re-encoding gives the same text for raw and for encoded input. */
static char *
decode_then_encode (const char *text, gssize len)
{
  g_autofree char *raw = len < 0 ? g_strdup (text) : g_strndup (text, len);
  g_autofree char *decoded = g_uri_unescape_string (raw, NULL);

  return cu_sigv4_uri_encode (decoded ? decoded : raw, -1, TRUE);
}

/**
 * cu_sigv4_canonical_query:
 * @query: (nullable): the query string without '?'
 *
 * Returns: (transfer full): names and values encoded, sorted by name then
 *   value, joined with '&'
 */
char *
cu_sigv4_canonical_query (const char *query)
{
  g_autoptr(GArray) pairs = NULL;
  g_auto(GStrv) parts = NULL;
  GString *out;

  if (query == NULL || *query == '\0')
    return g_strdup ("");

  pairs = g_array_new (FALSE, TRUE, sizeof (Pair));
  g_array_set_clear_func (pairs, pair_clear);
  parts = g_strsplit (query, "&", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *eq;
      Pair p;

      if (parts[i][0] == '\0')
        continue;
      eq = strchr (parts[i], '=');
      if (eq != NULL)
        {
          p.name = decode_then_encode (parts[i], eq - parts[i]);
          p.value = decode_then_encode (eq + 1, -1);
        }
      else
        {
          p.name = decode_then_encode (parts[i], -1);
          p.value = g_strdup ("");
        }
      g_array_append_val (pairs, p);
    }
  g_array_sort (pairs, pair_cmp);

  out = g_string_new (NULL);
  for (guint i = 0; i < pairs->len; i++)
    {
      Pair *p = &g_array_index (pairs, Pair, i);

      if (i > 0)
        g_string_append_c (out, '&');
      g_string_append_printf (out, "%s=%s", p->name, p->value);
    }
  return g_string_free (out, FALSE);
}

/* Trims and collapses runs of whitespace into one space. */
static char *
canonical_header_value (const char *value)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = value; *p; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

typedef struct {
  char *name;
  char *value;
  guint order;
} Header;

static int
header_cmp (gconstpointer a, gconstpointer b)
{
  const Header *ha = a, *hb = b;
  int c = strcmp (ha->name, hb->name);

  if (c != 0)
    return c;
  return ha->order < hb->order ? -1 : ha->order > hb->order;
}

static void
header_clear (gpointer data)
{
  Header *h = data;
  g_free (h->name);
  g_free (h->value);
}

/**
 * cu_sigv4_canonical_request:
 * @out_signed_headers: (out) (optional): the "a;b;c" list
 *
 * Returns: (transfer full): the canonical request text
 */
char *
cu_sigv4_canonical_request (const CuSigv4Request  *req,
                            char                 **out_signed_headers)
{
  g_autoptr(GArray) headers = g_array_new (FALSE, TRUE, sizeof (Header));
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  g_autofree char *payload = NULL;
  GString *out, *names;

  g_return_val_if_fail (req != NULL && req->method != NULL, NULL);

  g_array_set_clear_func (headers, header_clear);
  for (guint i = 0; i < req->n_headers; i++)
    {
      Header h = { g_ascii_strdown (req->header_names[i], -1),
                   canonical_header_value (req->header_values[i]), i };
      g_array_append_val (headers, h);
    }
  g_array_sort (headers, header_cmp);

  path = cu_sigv4_canonical_path (req->path, req->normalize_path);
  query = cu_sigv4_canonical_query (req->query);
  payload = cu_sigv4_hex_sha256 (req->body, req->body_len);

  out = g_string_new (NULL);
  names = g_string_new (NULL);
  g_string_append_printf (out, "%s\n%s\n%s\n", req->method, path, query);
  for (guint i = 0; i < headers->len; i++)
    {
      Header *h = &g_array_index (headers, Header, i);

      if (i > 0 && g_str_equal (h->name, g_array_index (headers, Header, i - 1).name))
        {
          /* repeated header: values joined with ',' on the same line */
          g_string_truncate (out, out->len - 1);
          g_string_append_printf (out, ",%s\n", h->value);
          continue;
        }
      g_string_append_printf (out, "%s:%s\n", h->name, h->value);
      if (names->len > 0)
        g_string_append_c (names, ';');
      g_string_append (names, h->name);
    }
  g_string_append_printf (out, "\n%s\n%s", names->str, payload);

  if (out_signed_headers)
    *out_signed_headers = g_string_free (names, FALSE);
  else
    g_string_free (names, TRUE);
  return g_string_free (out, FALSE);
}

char *
cu_sigv4_string_to_sign (const char *amz_date,
                         const char *region,
                         const char *service,
                         const char *canonical_request)
{
  g_autofree char *hash = cu_sigv4_hex_sha256 ((const guint8 *) canonical_request,
                                               strlen (canonical_request));

  g_return_val_if_fail (amz_date != NULL && strlen (amz_date) >= 8, NULL);
  return g_strdup_printf ("AWS4-HMAC-SHA256\n%s\n%.8s/%s/%s/aws4_request\n%s",
                          amz_date, amz_date, region, service, hash);
}

static void
hmac (const guint8 *key, gsize key_len, const char *data, guint8 out[32])
{
  GHmac *h = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  gsize len = 32;

  g_hmac_update (h, (const guchar *) data, strlen (data));
  g_hmac_get_digest (h, out, &len);
  g_hmac_unref (h);
}

/**
 * cu_sigv4_signature:
 *
 * Returns: (transfer full): hex HMAC of @string_to_sign with the derived key
 */
char *
cu_sigv4_signature (const CuSigv4Key *key,
                    const char       *string_to_sign)
{
  guint8 k[32], k2[32];
  char date[9];
  char *secret;
  GString *hex;

  g_return_val_if_fail (key != NULL && key->secret_access_key != NULL, NULL);

  g_strlcpy (date, key->amz_date, sizeof date);
  secret = g_strconcat ("AWS4", key->secret_access_key, NULL);
  hmac ((const guint8 *) secret, strlen (secret), date, k);
  memset (secret, 0, strlen (secret));
  g_free (secret);
  hmac (k, 32, key->region, k2);
  hmac (k2, 32, key->service, k);
  hmac (k, 32, "aws4_request", k2);
  hmac (k2, 32, string_to_sign, k);

  hex = g_string_sized_new (64);
  for (int i = 0; i < 32; i++)
    g_string_append_printf (hex, "%02x", k[i]);
  memset (k, 0, sizeof k);
  memset (k2, 0, sizeof k2);
  return g_string_free (hex, FALSE);
}

/**
 * cu_sigv4_authorization:
 * @out_canonical_request: (out) (optional)
 * @out_string_to_sign: (out) (optional)
 *
 * Returns: (transfer full): the Authorization header value
 */
char *
cu_sigv4_authorization (const CuSigv4Request  *req,
                        const CuSigv4Key      *key,
                        char                 **out_canonical_request,
                        char                 **out_string_to_sign)
{
  g_autofree char *signed_headers = NULL;
  g_autofree char *creq = cu_sigv4_canonical_request (req, &signed_headers);
  g_autofree char *sts = cu_sigv4_string_to_sign (key->amz_date, key->region, key->service, creq);
  g_autofree char *sig = cu_sigv4_signature (key, sts);
  char *authz;

  authz = g_strdup_printf ("AWS4-HMAC-SHA256 Credential=%s/%.8s/%s/%s/aws4_request, "
                           "SignedHeaders=%s, Signature=%s",
                           key->access_key_id, key->amz_date, key->region, key->service,
                           signed_headers, sig);
  if (out_canonical_request)
    *out_canonical_request = g_steal_pointer (&creq);
  if (out_string_to_sign)
    *out_string_to_sign = g_steal_pointer (&sts);
  return authz;
}

char *
cu_sigv4_format_amz_date (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-importer.c — cost export files into the ledger
 *
 * The formats are described in cu-format-*.c (header detection, column
 * map, row fix-ups) and listed in the table below; everything else is here.
 *
 * How a file is written:
 *
 * - Every row belongs to a group: (ledger account, billing period). The
 *   account is one per provider and billing account, "import:aws:<payer>",
 *   so the same bill imported as FOCUS or as CUR replaces, never adds up.
 * - Each group has its own ledger writer, which replaces the account's days
 *   in the billing period, and all the writers of a file share one
 *   transaction (a CuLedgerWriterGroup): the file lands whole or not at
 *   all. When the file declares its billing period (FOCUS, CUR, most Azure
 *   exports) the whole period is replaced — an export is the state of the
 *   period, so a later export drops rows that were restated away. When the
 *   period is only inferred from the calendar month, just the days the file
 *   covers are replaced.
 * - Corrections of an earlier period billed in this one (a May FOCUS row
 *   with ChargePeriodStart in April) are booked on the first day of the
 *   billing period that billed them. The ledger replaces by charge day, and
 *   widening the range to April would delete the April import's rows.
 * - One pass, whatever the order of the rows: a group's writer starts when
 *   its first row shows up, and rows are validated as they are written; an
 *   invalid row rolls the whole transaction back, so a bad file leaves the
 *   ledger as it was and nothing is visible before the whole file is valid.
 * - Two passes only when a group's range is not known from its first row
 *   (no declared billing period: the days are those the file covers) or
 *   two billing periods of one account overlap: a first pass validates and
 *   finds the groups, a second writes them all in one transaction and
 *   checks that each group's row count and sums are what the first saw.
 *
 * - A second thread reads, parses and checks the rows while this one writes
 *   them; rows are written in windows of about 24,000, sorted by account
 *   and day, so that a file in random order reaches the ledger's indexes in
 *   runs (see run_writing_pass()).
 *
 * Memory stays constant: one window of rows, plus a few bytes per group.
 */
#define G_LOG_DOMAIN "cumulus-import"

#include "store/cu-ledger-private.h"
#include "importers/cu-importer.h"
#include "importers/cu-format-private.h"
#include "util/cu-money.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (cu-import-error-quark, cu_import_error)

/* Detection tries them in this order: the first whose header matches. */
static const CuImportFormatDesc * const formats[] = {
  &cu_format_focus,
  &cu_format_cur,
  &cu_format_cur2,
  &cu_format_azure,
};

typedef struct {
  char *name;       /* "import:aws:999988887777" */
  char *provider;   /* "aws" */
  gint64 id;        /* in the ledger, once a writer needed it */
  GPtrArray *groups; /* of Group *, borrowed from Importer.group_list */
  guint order;       /* of appearance, to sort rows by account */
} Account;

typedef struct {
  Account        *account;   /* borrowed from Importer.accounts */
  CuDay           bp_first;
  CuDay           bp_last;
  gboolean        declared;
  CuDay           min_day;
  CuDay           max_day;
  guint64         n_rows;
  guint64         checksum;  /* of the amounts, to notice a file that changed between passes */
  guint           order;
  CuLedgerWriter *writer;    /* borrowed from the writer group, while writing */
  /* second pass */
  guint64         n_written;
  guint64         written_checksum;
} Group;

typedef enum {
  PASS_WRITE,      /* write every group while validating; bail out when a range is unknown */
  PASS_SCAN,       /* validate, find groups, no writing */
  PASS_WRITE_ALL,  /* write the groups the scan found, every range emptied first */
} PassMode;

/* Sums of one currency: positive and negative parts apart, so that no sum
 * over any subset of the rows (a rollup, SQL's sum()) can overflow either */
typedef struct {
  char   *currency;
  gint64  billed_pos, billed_neg;
  gint64  effective_pos, effective_neg;
} Total;

typedef struct {
  /* the current record, as the formats read it: first, see row_of() */
  CuFormatRow            fr;

  /* borrowed */
  CuLedger              *ledger;
  GFile                 *file;
  const char            *display;
  CuImportProgressFunc   progress;
  gpointer               progress_data;
  GCancellable          *cancellable;

  /* owned */
  const CuImportFormatDesc *spec;
  char                  *format_name;
  char                  *source;
  JsonParser            *json;
  GHashTable            *tag_cache;        /* JSON text → key, value, key, value… */
  GPtrArray             *tag_keys;
  GPtrArray             *tag_values;
  GHashTable            *accounts;         /* name → Account */
  GHashTable            *raw_accounts;     /* provider and billing account as written → Account */
  GPtrArray             *group_list;       /* of Group *, owned, in order of appearance */
  GArray                *totals;           /* of Total */
  guint64                n_moved;
  CuLedgerWriterGroup   *writers;
  CuImportResult        *result;

  /* the current row */
  CuCostRow              row;
  CuDay                  day;
  gboolean               moved;
  Group                 *group;
  Account               *last_account;
  GString               *last_account_raw;  /* scratch for find_account() */
  char                   start_buf[32];
  char                   end_buf[32];
  char                   bp_start_buf[32];
  char                   bp_end_buf[32];
  guint64                last_progress;
} Importer;

/* ---- small helpers ---- */

static void
account_free (gpointer data)
{
  Account *a = data;

  g_free (a->name);
  g_free (a->provider);
  g_ptr_array_unref (a->groups);
  g_free (a);
}

static inline const char *
get (Importer *imp, CuField field)
{
  return cu_format_row_get (&imp->fr, field);
}

static Importer *
importer_of (CuFormatRow *row)
{
  return (Importer *) row;  /* fr is the first member */
}

static const char *
column_name (Importer *imp, int field)
{
  if (imp->fr.col[field] >= 0)
    return imp->fr.header[imp->fr.col[field]];
  return "?";
}

static gboolean
row_error (Importer    *imp,
           GError     **error,
           int          field,
           const char  *fmt,
           ...) G_GNUC_PRINTF (4, 5);

static gboolean
row_error_valist (Importer    *imp,
                  GError     **error,
                  int          field,
                  const char  *fmt,
                  va_list      ap) G_GNUC_PRINTF (4, 0);

/* "cost.csv:1234: column BilledCost: “abc” is not a decimal amount" */
static gboolean
row_error_valist (Importer    *imp,
                  GError     **error,
                  int          field,
                  const char  *fmt,
                  va_list      ap)
{
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);

  if (field >= 0)
    g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_INVALID_VALUE,
                 "%s:%" G_GUINT64_FORMAT ": column %s: %s", imp->display,
                 cu_csv_reader_get_line (imp->fr.reader), column_name (imp, field), msg);
  else
    g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_INVALID_VALUE,
                 "%s:%" G_GUINT64_FORMAT ": %s", imp->display,
                 cu_csv_reader_get_line (imp->fr.reader), msg);
  return FALSE;
}

static gboolean
row_error (Importer    *imp,
           GError     **error,
           int          field,
           const char  *fmt,
           ...)
{
  va_list ap;

  va_start (ap, fmt);
  row_error_valist (imp, error, field, fmt, ap);
  va_end (ap);
  return FALSE;
}

gboolean
cu_format_row_error (CuFormatRow *row,
                     GError     **error,
                     int          field,
                     const char  *fmt,
                     ...)
{
  va_list ap;

  va_start (ap, fmt);
  row_error_valist (importer_of (row), error, field, fmt, ap);
  va_end (ap);
  return FALSE;
}

static gboolean
parse_money (Importer   *imp,
             CuField     field,
             gboolean    required,
             gint64     *out,
             gboolean   *has,
             GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *s = get (imp, field);

  if (has)
    *has = FALSE;
  if (s == NULL)
    {
      *out = 0;
      if (required)
        return row_error (imp, error, field, "empty, but an amount is required");
      return TRUE;
    }
  if (!cu_money_parse (s, -1, out, &local_error))
    return row_error (imp, error, field, "%s", local_error->message);
  if (has)
    *has = TRUE;
  return TRUE;
}

gboolean
cu_format_row_parse_money (CuFormatRow *row,
                           CuField      field,
                           gboolean     required,
                           gint64      *out,
                           gboolean    *has,
                           GError     **error)
{
  return parse_money (importer_of (row), field, required, out, has, error);
}

static gboolean
parse_quantity (Importer  *imp,
                CuField    field,
                double    *out,
                gboolean  *has,
                GError   **error)
{
  const char *s = get (imp, field);
  char *end = NULL;

  *has = FALSE;
  if (s == NULL)
    return TRUE;
  *out = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0')
    return row_error (imp, error, field, "“%.40s” is not a number", s);
  *has = TRUE;
  return TRUE;
}

static int
two_digits (const char *s)
{
  if (!g_ascii_isdigit (s[0]) || !g_ascii_isdigit (s[1]))
    return -1;
  return (s[0] - '0') * 10 + (s[1] - '0');
}

/* Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]",
 * "YYYY-MM-DD HH:MM:SS[ UTC]" and the US "MM/DD/YYYY[ HH:MM:SS]" of Azure
 * exports; writes the UTC instant as "YYYY-MM-DDTHH:MM:SSZ". */
static gboolean
parse_timestamp (const char *s,
                 char        out[32],
                 CuDay      *out_day,
                 gboolean   *out_midnight)
{
  int y, mo, d, h = 0, mi = 0, sec = 0, offset = 0;
  const char *p;
  CuDay day;

  /* the canonical form, nearly every row of FOCUS and CUR files */
  if (strlen (s) == 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' &&
      s[19] == 'Z' && s[20] == '\0' && cu_day_parse (s, &day))
    {
      h = two_digits (s + 11);
      mi = two_digits (s + 14);
      sec = two_digits (s + 17);
      if (h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 60)
        {
          memcpy (out, s, 21);
          if (out_day)
            *out_day = day;
          if (out_midnight)
            *out_midnight = (h == 0 && mi == 0 && sec == 0);
          return TRUE;
        }
      h = mi = sec = 0;
    }

  if (strlen (s) >= 10 && s[4] == '-' && s[7] == '-')
    {
      char date[11];

      memcpy (date, s, 10);
      date[10] = '\0';
      if (!cu_day_parse (date, &day))
        return FALSE;
      p = s + 10;
    }
  else
    {
      /* M/D/YYYY, one or two digits for month and day */
      char *end;

      mo = (int) strtol (s, &end, 10);
      if (end == s || *end != '/')
        return FALSE;
      p = end + 1;
      d = (int) strtol (p, &end, 10);
      if (end == p || *end != '/')
        return FALSE;
      p = end + 1;
      y = (int) strtol (p, &end, 10);
      if (end - p != 4)
        return FALSE;
      p = end;
      if (mo < 1 || mo > 12 || d < 1 || d > cu_days_in_month (y, mo))
        return FALSE;
      day = cu_day_from_ymd (y, mo, d);
    }

  if (*p == 'T' || *p == 't' || *p == ' ')
    {
      p++;
      h = two_digits (p);
      if (h < 0 || p[2] != ':')
        return FALSE;
      mi = two_digits (p + 3);
      if (mi < 0)
        return FALSE;
      p += 5;
      if (*p == ':')
        {
          sec = two_digits (p + 1);
          if (sec < 0)
            return FALSE;
          p += 3;
          if (*p == '.' || *p == ',')
            {
              p++;
              while (g_ascii_isdigit (*p))
                p++;
            }
        }
      if (h > 23 || mi > 59 || sec > 60)
        return FALSE;
      if (*p == 'Z' || *p == 'z')
        p++;
      else if (strcmp (p, " UTC") == 0 || strcmp (p, " GMT") == 0)
        p += 4;
      else if (*p == '+' || *p == '-')
        {
          int sign = *p == '-' ? -1 : 1;
          int oh = two_digits (p + 1), om;

          if (oh < 0)
            return FALSE;
          p += 3;
          if (*p == ':')
            p++;
          om = two_digits (p);
          if (om < 0)
            om = 0;
          else
            p += 2;
          offset = sign * (oh * 60 + om);
        }
    }
  if (*p != '\0')
    return FALSE;

  if (offset != 0)
    {
      int minutes = h * 60 + mi - offset;

      while (minutes < 0)
        {
          minutes += 24 * 60;
          day--;
        }
      while (minutes >= 24 * 60)
        {
          minutes -= 24 * 60;
          day++;
        }
      h = minutes / 60;
      mi = minutes % 60;
    }

  cu_day_to_ymd (day, &y, &mo, &d);
  /* an offset can carry 0000-01-01 or 9999-12-31 out of the years the
   * ledger writes; the caller quotes the file's own text */
  if (y < 0 || y > 9999)
    return FALSE;
  g_snprintf (out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, sec);
  if (out_day)
    *out_day = day;
  if (out_midnight)
    *out_midnight = (h == 0 && mi == 0 && sec == 0);
  return TRUE;
}

static void
format_day_start (CuDay day, char out[32])
{
  int y, m, d;

  cu_day_to_ymd (day, &y, &m, &d);
  g_snprintf (out, 32, "%04d-%02d-%02dT00:00:00Z", y, m, d);
}

static char *
provider_slug (const char *provider_name)
{
  g_autofree char *lower = g_ascii_strdown (provider_name ? provider_name : "", -1);
  GString *slug;

  if (g_str_equal (lower, "aws") || g_str_has_prefix (lower, "amazon"))
    return g_strdup ("aws");
  if (g_str_has_prefix (lower, "microsoft") || g_str_equal (lower, "azure"))
    return g_strdup ("azure");
  if (g_str_has_prefix (lower, "google") || g_str_equal (lower, "gcp"))
    return g_strdup ("gcp");
  if (g_str_has_prefix (lower, "oracle") || g_str_equal (lower, "oci"))
    return g_strdup ("oci");

  slug = g_string_new (NULL);
  for (const char *p = lower; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, *p);
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  if (slug->len == 0)
    g_string_append (slug, "other");
  return g_string_free (slug, FALSE);
}

/* The ledger account of a row: provider and billing account. Azure billing
 * account ids are resource paths; their last segment is the id people know. */
static Account *
lookup_account (Importer *imp, const char *provider_name, const char *billing_account)
{
  const char *id = billing_account;
  g_autofree char *slug = NULL;
  g_autofree char *name = NULL;
  Account *account;

  if (id != NULL && strrchr (id, '/') != NULL && strrchr (id, '/')[1] != '\0')
    id = strrchr (id, '/') + 1;
  slug = provider_slug (provider_name);
  name = id != NULL ? g_strdup_printf ("import:%s:%s", slug, id)
                    : g_strdup_printf ("import:%s", slug);

  account = g_hash_table_lookup (imp->accounts, name);
  if (account == NULL)
    {
      account = g_new0 (Account, 1);
      account->name = g_steal_pointer (&name);
      account->provider = g_steal_pointer (&slug);
      account->groups = g_ptr_array_new ();
      account->order = g_hash_table_size (imp->accounts);
      g_hash_table_insert (imp->accounts, account->name, account);
    }
  return account;
}

/* The account of a row, from a cache keyed by the row's own text: the
 * provider's length first, so that no two (provider, billing account)
 * pairs share a key whatever bytes they hold. */
static Account *
find_account (Importer *imp, const char *provider_name, const char *billing_account)
{
  GString *raw = imp->last_account_raw;
  Account *account;

  if (provider_name == NULL)
    provider_name = "";
  if (billing_account == NULL)
    billing_account = "";
  g_string_truncate (raw, 0);
  g_string_append_printf (raw, "%zu:", strlen (provider_name));
  g_string_append (raw, provider_name);
  g_string_append (raw, billing_account);
  account = g_hash_table_lookup (imp->raw_accounts, raw->str);
  if (account == NULL)
    {
      account = lookup_account (imp, *provider_name ? provider_name : NULL, *billing_account ? billing_account : NULL);
      g_hash_table_insert (imp->raw_accounts, g_strdup (raw->str), account);
    }
  return account;
}

/* ---- tags ---- */

static void
add_tag (Importer *imp, const char *key, const char *value)
{
  g_ptr_array_add (imp->tag_keys, (gpointer) key);
  g_ptr_array_add (imp->tag_values, (gpointer) value);
}

/* Whether @text is one JSON object and nothing else but white space:
 * braces balanced outside strings, the first one closing at the end. */
static gboolean
is_one_json_object (const char *text)
{
  const char *p = text;
  int depth = 0;

  while (g_ascii_isspace (*p))
    p++;
  if (*p != '{')
    return FALSE;
  for (; *p; p++)
    {
      if (*p == '"')
        {
          for (p++; *p && *p != '"'; p++)
            if (*p == '\\' && p[1] != '\0')
              p++;
          if (*p == '\0')
            return FALSE;
        }
      else if (*p == '{' || *p == '[')
        depth++;
      else if (*p == '}' || *p == ']')
        {
          if (--depth == 0)
            break;
        }
    }
  if (*p == '\0')
    return FALSE;
  for (p++; *p; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* Tag objects repeat a lot (every row of a resource carries the same
 * tags), so parsed objects are kept in a small cache, emptied when full. */
#define TAG_CACHE_SIZE 512

static char **
parse_json_object (Importer *imp, const char *text, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *wrapped = NULL;
  g_autoptr(GStrvBuilder) pairs = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *root;
  JsonObject *object;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  /* EA exports write the members without the braces: "env": "prod","team": "x" */
  if (*text != '{')
    text = wrapped = g_strconcat ("{", text, "}", NULL);

  /* json-glib 1.6 reads "{}{}" as well, keeping one value and leaking the
   * other: a tag column holds exactly one object */
  if (!is_one_json_object (text))
    {
      row_error (imp, error, CU_FIELD_TAGS, "not one JSON object");
      return NULL;
    }

  if (!json_parser_load_from_data (imp->json, text, -1, &local_error))
    {
      row_error (imp, error, CU_FIELD_TAGS, "not a JSON object (%s)", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (imp->json);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      row_error (imp, error, CU_FIELD_TAGS, "not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &member, &node))
    {
      const char *key = member;
      g_autofree char *value = NULL;

      /* CUR 2.0 spells user tags "user_env"; legacy CUR "user:env" — both "env" */
      if (imp->spec->tag_prefix != NULL && g_str_has_prefix (key, imp->spec->tag_prefix) &&
          key[strlen (imp->spec->tag_prefix)] != '\0')
        key += strlen (imp->spec->tag_prefix);
      /* the ledger wants unique keys: "user_env" and "env" are one tag */
      if (*key == '\0' || !g_hash_table_add (seen, (gpointer) key))
        continue;

      if (JSON_NODE_HOLDS_VALUE (node))
        {
          switch (json_node_get_value_type (node))
            {
            case G_TYPE_STRING:
              value = g_strdup (json_node_get_string (node));
              break;
            case G_TYPE_INT64:
              value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
              break;
            case G_TYPE_DOUBLE:
              {
                char buf[G_ASCII_DTOSTR_BUF_SIZE];
                value = g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
              }
              break;
            case G_TYPE_BOOLEAN:
              value = g_strdup (json_node_get_boolean (node) ? "true" : "false");
              break;
            default:
              value = g_strdup ("");
            }
        }
      else if (JSON_NODE_HOLDS_NULL (node))
        value = g_strdup ("");
      else
        value = json_to_string (node, FALSE);
      g_strv_builder_add (pairs, key);
      g_strv_builder_add (pairs, value);
    }
  return g_strv_builder_end (pairs);
}

static gboolean
parse_json_tags (Importer *imp, const char *text, GError **error)
{
  char **pairs;

  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0' || strcmp (text, "{}") == 0)
    return TRUE;

  pairs = g_hash_table_lookup (imp->tag_cache, text);
  if (pairs == NULL)
    {
      pairs = parse_json_object (imp, text, error);
      if (pairs == NULL)
        return FALSE;
      if (g_hash_table_size (imp->tag_cache) >= TAG_CACHE_SIZE)
        g_hash_table_remove_all (imp->tag_cache);
      g_hash_table_insert (imp->tag_cache, g_strdup (text), pairs);
    }
  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    add_tag (imp, pairs[i], pairs[i + 1]);
  return TRUE;
}

/* ---- one row ---- */

static Group *
lookup_group (Importer *imp, Account *account, CuDay bp_first, CuDay bp_last, gboolean declared)
{
  Group *group;

  /* a handful of billing periods per account: a scan is the fastest */
  for (guint i = 0; i < account->groups->len; i++)
    {
      group = g_ptr_array_index (account->groups, i);
      if (group->bp_first == bp_first && group->bp_last == bp_last && group->declared == declared)
        return group;
    }
  group = g_new0 (Group, 1);
  group->account = account;
  group->bp_first = bp_first;
  group->bp_last = bp_last;
  group->declared = declared;
  group->min_day = G_MAXINT32;
  group->max_day = G_MININT32;
  group->order = imp->group_list->len;
  g_ptr_array_add (imp->group_list, group);
  g_ptr_array_add (account->groups, group);
  return group;
}

/* Turns the current record into imp->row, imp->day and imp->group, or
 * fails naming the line and column. */
static gboolean
convert_row (Importer *imp, GError **error)
{
  CuCostRow *row = &imp->row;
  const CuImportFormatDesc *spec = imp->spec;
  guint n_fields = cu_csv_reader_get_n_fields (imp->fr.reader);
  const char *s, *provider_name, *billing_account;
  CuDay day, bp_first, bp_last;
  gboolean declared = FALSE, midnight = FALSE;

  if (n_fields != imp->fr.n_header)
    {
      gboolean extra_empty = n_fields > imp->fr.n_header;

      for (guint i = imp->fr.n_header; extra_empty && i < n_fields; i++)
        if (*cu_csv_reader_get_field (imp->fr.reader, i, NULL) != '\0')
          extra_empty = FALSE;
      if (!extra_empty)
        return row_error (imp, error, -1, "%u fields, but the header has %u", n_fields, imp->fr.n_header);
    }

  memset (row, 0, sizeof *row);
  g_ptr_array_set_size (imp->tag_keys, 0);
  g_ptr_array_set_size (imp->tag_values, 0);

  /* charge period */
  s = get (imp, CU_FIELD_CHARGE_START);
  if (s == NULL)
    return row_error (imp, error, CU_FIELD_CHARGE_START, "empty, but a date is required");
  if (!parse_timestamp (s, imp->start_buf, &day, NULL))
    return row_error (imp, error, CU_FIELD_CHARGE_START, "“%.40s” is not a date and time", s);
  row->charge_period_start = imp->start_buf;
  if (imp->fr.col[CU_FIELD_CHARGE_END] >= 0)
    {
      s = get (imp, CU_FIELD_CHARGE_END);
      if (s != NULL && !parse_timestamp (s, imp->end_buf, NULL, NULL))
        return row_error (imp, error, CU_FIELD_CHARGE_END, "“%.40s” is not a date and time", s);
      row->charge_period_end = s != NULL ? imp->end_buf : NULL;
    }
  else
    {
      format_day_start (day + 1, imp->end_buf);
      row->charge_period_end = imp->end_buf;
    }

  /* billing period: declared by the file, or the calendar month */
  s = get (imp, CU_FIELD_BP_START);
  if (s != NULL)
    {
      if (!parse_timestamp (s, imp->bp_start_buf, &bp_first, NULL))
        return row_error (imp, error, CU_FIELD_BP_START, "“%.40s” is not a date and time", s);
      row->billing_period_start = imp->bp_start_buf;
      s = get (imp, CU_FIELD_BP_END);
      if (s != NULL)
        {
          if (!parse_timestamp (s, imp->bp_end_buf, &bp_last, &midnight))
            return row_error (imp, error, CU_FIELD_BP_END, "“%.40s” is not a date and time", s);
          row->billing_period_end = imp->bp_end_buf;
          if (!spec->bp_end_inclusive && midnight)
            bp_last--;
          if (bp_last < bp_first)
            return row_error (imp, error, CU_FIELD_BP_END, "the billing period ends before it starts");
        }
      else
        bp_last = cu_day_month_end (bp_first);
      declared = TRUE;
    }
  else
    {
      bp_first = cu_day_month_start (day);
      bp_last = cu_day_month_end (day);
    }

  if (day < bp_first || day > bp_last)
    {
      /* a correction billed in this period for another one: see the top */
      day = day < bp_first ? bp_first : bp_last;
      format_day_start (day, imp->start_buf);
      imp->moved = TRUE;
    }
  else
    imp->moved = FALSE;
  imp->day = day;

  /* amounts */
  if (!parse_money (imp, CU_FIELD_BILLED, TRUE, &row->billed_cost, NULL, error))
    return FALSE;
  if (spec->effective_cost != NULL)
    {
      if (!spec->effective_cost (&imp->fr, row->billed_cost, &row->effective_cost, error))
        return FALSE;
    }
  else
    row->effective_cost = row->billed_cost;
  if (!parse_money (imp, CU_FIELD_LIST, FALSE, &row->list_cost, &row->has_list_cost, error) ||
      !parse_money (imp, CU_FIELD_CONTRACTED, FALSE, &row->contracted_cost, &row->has_contracted_cost, error) ||
      !parse_quantity (imp, CU_FIELD_PRICING_QUANTITY, &row->pricing_quantity, &row->has_pricing_quantity, error) ||
      !parse_quantity (imp, CU_FIELD_CONSUMED_QUANTITY, &row->consumed_quantity, &row->has_consumed_quantity, error))
    return FALSE;

  s = get (imp, CU_FIELD_CURRENCY);
  if (s == NULL)
    return row_error (imp, error, CU_FIELD_CURRENCY, "empty, but a currency is required");
  if (strlen (s) != 3 || !g_ascii_isalpha (s[0]) || !g_ascii_isalpha (s[1]) || !g_ascii_isalpha (s[2]))
    return row_error (imp, error, CU_FIELD_CURRENCY, "“%.40s” is not a three-letter currency code", s);
  row->billing_currency = s;

  /* dimensions */
  provider_name = spec->provider_name ? spec->provider_name : get (imp, CU_FIELD_PROVIDER);
  billing_account = get (imp, CU_FIELD_BILLING_ACCOUNT_ID);
  row->provider_name = provider_name;
  row->billing_account_id = billing_account;
  row->billing_account_name = get (imp, CU_FIELD_BILLING_ACCOUNT_NAME);
  row->sub_account_id = get (imp, CU_FIELD_SUB_ACCOUNT_ID);
  row->sub_account_name = get (imp, CU_FIELD_SUB_ACCOUNT_NAME);
  row->publisher_name = get (imp, CU_FIELD_PUBLISHER);
  row->invoice_issuer_name = get (imp, CU_FIELD_INVOICE_ISSUER);
  row->service_name = get (imp, CU_FIELD_SERVICE_NAME);
  row->service_category = get (imp, CU_FIELD_SERVICE_CATEGORY);
  row->service_subcategory = get (imp, CU_FIELD_SERVICE_SUBCATEGORY);
  row->region_id = get (imp, CU_FIELD_REGION_ID);
  row->region_name = get (imp, CU_FIELD_REGION_NAME);
  row->availability_zone = get (imp, CU_FIELD_AZ);
  row->resource_id = get (imp, CU_FIELD_RESOURCE_ID);
  row->resource_name = get (imp, CU_FIELD_RESOURCE_NAME);
  row->resource_type = get (imp, CU_FIELD_RESOURCE_TYPE);
  row->charge_category = get (imp, CU_FIELD_CHARGE_CATEGORY);
  row->charge_class = get (imp, CU_FIELD_CHARGE_CLASS);
  row->charge_description = get (imp, CU_FIELD_CHARGE_DESCRIPTION);
  row->charge_frequency = get (imp, CU_FIELD_CHARGE_FREQUENCY);
  row->sku_id = get (imp, CU_FIELD_SKU_ID);
  row->sku_price_id = get (imp, CU_FIELD_SKU_PRICE_ID);
  row->pricing_category = get (imp, CU_FIELD_PRICING_CATEGORY);
  row->pricing_unit = get (imp, CU_FIELD_PRICING_UNIT);
  row->consumed_unit = get (imp, CU_FIELD_CONSUMED_UNIT);
  row->commitment_discount_id = get (imp, CU_FIELD_COMMITMENT_ID);
  row->commitment_discount_type = get (imp, CU_FIELD_COMMITMENT_TYPE);
  row->invoice_id = get (imp, CU_FIELD_INVOICE_ID);

  if (spec->fix_row != NULL)
    spec->fix_row (&imp->fr, row);

  /* tags */
  if (imp->fr.tag_columns->len > 0)
    {
      for (guint i = 0; i < imp->fr.tag_columns->len; i++)
        {
          guint index = g_array_index (imp->fr.tag_columns, guint, i);
          const char *value = cu_csv_reader_get_field (imp->fr.reader, index, NULL);

          if (!cu_format_is_null (value))
            add_tag (imp, g_ptr_array_index (imp->fr.tag_column_keys, i), value);
        }
    }
  else if ((s = get (imp, CU_FIELD_TAGS)) != NULL)
    {
      if (!parse_json_tags (imp, s, error))
        return FALSE;
    }
  row->n_tags = imp->tag_keys->len;
  row->tag_keys = (const char * const *) imp->tag_keys->pdata;
  row->tag_values = (const char * const *) imp->tag_values->pdata;

  /* group */
  imp->last_account = find_account (imp, provider_name, billing_account);
  if (imp->group == NULL || imp->group->account != imp->last_account ||
      imp->group->bp_first != bp_first || imp->group->bp_last != bp_last ||
      imp->group->declared != declared)
    imp->group = lookup_group (imp, imp->last_account, bp_first, bp_last, declared);

  return TRUE;
}

static guint64
row_checksum (const CuCostRow *row)
{
  return (guint64) row->billed_cost * 31u + (guint64) row->effective_cost;
}

static gboolean
add_part (gint64 *pos, gint64 *neg, gint64 amount)
{
  if (amount >= 0)
    return !__builtin_add_overflow (*pos, amount, pos);
  return !__builtin_add_overflow (*neg, amount, neg);
}

/* Adds the row to its currency's totals; refuses a file whose amounts add
 * up to more than an amount can hold. */
static gboolean
add_total (Importer *imp, const CuCostRow *row, GError **error)
{
  Total *t = NULL;

  for (guint i = 0; i < imp->totals->len; i++)
    {
      Total *candidate = &g_array_index (imp->totals, Total, i);
      if (strcmp (candidate->currency, row->billing_currency) == 0)
        {
          t = candidate;
          break;
        }
    }
  if (t == NULL)
    {
      Total fresh = { g_strdup (row->billing_currency), 0, 0, 0, 0 };
      g_array_append_val (imp->totals, fresh);
      t = &g_array_index (imp->totals, Total, imp->totals->len - 1);
    }
  if (!add_part (&t->billed_pos, &t->billed_neg, row->billed_cost))
    return row_error (imp, error, CU_FIELD_BILLED, "the file’s billed costs in %s add up to more than an amount can hold",
                      row->billing_currency);
  if (!add_part (&t->effective_pos, &t->effective_neg, row->effective_cost))
    return row_error (imp, error, imp->fr.col[CU_FIELD_EFFECTIVE] >= 0 ? CU_FIELD_EFFECTIVE : -1,
                      "the file’s effective costs in %s add up to more than an amount can hold",
                      row->billing_currency);
  return TRUE;
}

static gboolean
note_row (Importer *imp, GError **error)
{
  Group *g = imp->group;

  if (!add_total (imp, &imp->row, error))
    return FALSE;
  g->n_rows++;
  g->checksum += row_checksum (&imp->row);
  g->min_day = MIN (g->min_day, imp->day);
  g->max_day = MAX (g->max_day, imp->day);
  if (imp->moved)
    imp->n_moved++;
  return TRUE;
}

/* ---- header ---- */

static void prefix_read_error (Importer *imp, GError **error, GError *local_error);

static gboolean
read_header (Importer *imp, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) index = NULL;
  CuFormatRow *fr = &imp->fr;

  if (!cu_csv_reader_next (fr->reader, imp->cancellable, &local_error))
    {
      if (local_error != NULL)
        prefix_read_error (imp, error, local_error);
      else
        g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_EMPTY,
                     "%s: the file is empty", imp->display);
      return FALSE;
    }
  if (fr->header != NULL)
    return TRUE; /* a later pass: the header is known */

  fr->n_header = cu_csv_reader_get_n_fields (fr->reader);
  fr->header = g_new0 (char *, fr->n_header + 1);
  index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < fr->n_header; i++)
    {
      const char *name = cu_csv_reader_get_field (fr->reader, i, NULL);
      char *lower;

      /* a UTF-8 byte order mark, as Excel and Azure write */
      if (i == 0 && g_str_has_prefix (name, "\xef\xbb\xbf"))
        name += 3;
      fr->header[i] = g_strstrip (g_strdup (name));
      lower = g_ascii_strdown (fr->header[i], -1);
      if (!g_hash_table_contains (index, lower))
        g_hash_table_insert (index, lower, GUINT_TO_POINTER (i + 1));
      else
        g_free (lower);
    }

  for (guint i = 0; i < G_N_ELEMENTS (formats) && imp->spec == NULL; i++)
    if (formats[i]->detect (index))
      imp->spec = formats[i];
  if (imp->spec == NULL)
    {
      g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_UNKNOWN_FORMAT,
                   "%s:1: not a cost export this version reads: expected the header of a "
                   "FOCUS 1.0–1.2 (BilledCost, ChargePeriodStart…), AWS CUR (lineItem/UnblendedCost…), "
                   "CUR 2.0 (line_item_unblended_cost…) or Azure cost details (Date, CostInBillingCurrency…) file",
                   imp->display);
      return FALSE;
    }

  for (guint i = 0; i < CU_N_FIELDS; i++)
    fr->col[i] = -1;
  for (guint i = 0; i < imp->spec->n_columns; i++)
    {
      g_auto(GStrv) names = g_strsplit (imp->spec->columns[i].names, "|", -1);

      for (guint j = 0; names[j] != NULL; j++)
        {
          gpointer found = g_hash_table_lookup (index, names[j]);
          if (found != NULL)
            {
              fr->col[imp->spec->columns[i].field] = GPOINTER_TO_UINT (found) - 1;
              break;
            }
        }
    }

  for (guint i = 0; i < imp->spec->n_required; i++)
    if (fr->col[imp->spec->required[i].field] < 0)
      {
        g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_MISSING_COLUMN,
                     "%s:1: the %s header has no %s column", imp->display, imp->spec->name,
                     imp->spec->required[i].display);
        return FALSE;
      }

  if (imp->spec->prepare != NULL)
    imp->spec->prepare (fr);
  imp->format_name = imp->spec->describe != NULL ? imp->spec->describe (index)
                                                 : g_strdup (imp->spec->name);
  return TRUE;
}

/* ---- passes ---- */

static gboolean
open_reader (Importer *imp, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  g_clear_object (&imp->fr.reader);
  imp->fr.reader = cu_csv_reader_new_for_file (imp->file, imp->cancellable, &local_error);
  if (imp->fr.reader == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s",
                   imp->display, local_error->message);
      return FALSE;
    }
  imp->group = NULL;
  return read_header (imp, error);
}

static void
report_progress (Importer *imp, const char *what, gboolean force)
{
  guint64 offset, size;

  if (imp->progress == NULL)
    return;
  offset = cu_csv_reader_get_input_offset (imp->fr.reader);
  if (!force && offset - imp->last_progress < 512 * 1024)
    return;
  imp->last_progress = offset;
  size = cu_csv_reader_get_input_size (imp->fr.reader);
  imp->progress (size > 0 ? MIN (1.0, (double) offset / size) : 0.0, what, imp->progress_data);
}

static void
prefix_read_error (Importer *imp, GError **error, GError *local_error)
{
  int field = -1;
  guint64 line = cu_csv_reader_get_error_line (imp->fr.reader, &field);

  if (field >= 0 && imp->fr.header != NULL && (guint) field < imp->fr.n_header)
    g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_MALFORMED,
                 "%s:%" G_GUINT64_FORMAT ": column %s: %s", imp->display, line,
                 imp->fr.header[field], local_error->message);
  else
    g_set_error (error, local_error->domain == CU_CSV_ERROR ? CU_IMPORT_ERROR : local_error->domain,
                 local_error->domain == CU_CSV_ERROR ? CU_IMPORT_ERROR_MALFORMED : local_error->code,
                 "%s:%" G_GUINT64_FORMAT ": %s", imp->display, line, local_error->message);
}

/* Starts the group's writer in the file's transaction, emptying its range. */
static gboolean
begin_group (Importer *imp, Group *group, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  CuDay first = group->declared ? group->bp_first : group->min_day;
  CuDay last = group->declared ? group->bp_last : group->max_day;

  if (imp->writers == NULL)
    imp->writers = cu_ledger_writer_group_new (imp->ledger, "import", imp->source);
  if (group->account->id == 0)
    {
      group->account->id = cu_ledger_ensure_account (imp->ledger, group->account->name,
                                                     group->account->provider, "import", &local_error);
      if (group->account->id == 0)
        {
          g_set_error (error, local_error->domain, local_error->code, "%s: %s", imp->display, local_error->message);
          return FALSE;
        }
    }
  group->writer = cu_ledger_writer_group_begin (imp->writers, group->account->id, first, last, &local_error);
  if (group->writer == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s", imp->display, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_row (Importer *imp, Group *group, const CuCostRow *row, guint64 line, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!cu_ledger_writer_add (group->writer, row, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, "%s:%" G_GUINT64_FORMAT ": %s",
                   imp->display, line, local_error->message);
      return FALSE;
    }
  group->n_written++;
  group->written_checksum += row_checksum (row);
  return TRUE;
}

static void
drop_writers (Importer *imp, const char *reason, gboolean cancelled)
{
  if (imp->writers == NULL)
    return;
  if (cancelled)
    cu_ledger_writer_group_cancel (g_steal_pointer (&imp->writers));
  else
    cu_ledger_writer_group_abort (g_steal_pointer (&imp->writers), reason);
  for (guint i = 0; i < imp->group_list->len; i++)
    ((Group *) g_ptr_array_index (imp->group_list, i))->writer = NULL;
}

static gboolean
commit_writers (Importer *imp, gboolean check_counts, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (check_counts)
    for (guint i = 0; i < imp->group_list->len; i++)
      {
        Group *group = g_ptr_array_index (imp->group_list, i);

        if (group->n_written != group->n_rows || group->written_checksum != group->checksum)
          {
            drop_writers (imp, "the file changed while it was imported", FALSE);
            g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_CHANGED,
                         "%s: the file changed while it was imported; import it again", imp->display);
            return FALSE;
          }
      }
  if (imp->writers == NULL)
    return TRUE;
  ok = cu_ledger_writer_group_commit (g_steal_pointer (&imp->writers), &local_error);
  for (guint i = 0; i < imp->group_list->len; i++)
    ((Group *) g_ptr_array_index (imp->group_list, i))->writer = NULL;
  if (!ok)
    g_set_error (error, local_error->domain, local_error->code, "%s: %s", imp->display, local_error->message);
  return ok;
}

typedef enum {
  PASS_OK,
  PASS_FAILED,
  PASS_FALLBACK,  /* the one pass met a group whose range it cannot know yet */
} PassResult;

/* ---- the writing passes: a reading thread and this one ----
 *
 * Reading, parsing and checking a row costs about as much as writing it,
 * so the writing passes run them in a second thread: it converts rows into
 * batches (the strings copied out of the reader's buffer) and this thread,
 * which owns the ledger connection, writes them. A few batches in flight
 * keep memory flat. */

#define BATCH_ROWS 512
/* The writing side takes WINDOW_BATCHES at a time and writes their rows
 * sorted by account and day: rows of a shuffled file then reach the
 * ledger's (account, day) index and the rollup sums in runs, not one
 * random place per row. About 300 kB per batch. */
#define WINDOW_BATCHES 48
#define BATCHES_IN_FLIGHT (WINDOW_BATCHES + 4)

typedef struct {
  CuCostRow  row;      /* strings as arena offsets + 1 until batch_resolve() */
  Group     *group;
  CuDay      day;
  guint64    line;
  guint      tag_first;
  guint      n_tags;
} BatchRow;

typedef struct {
  GString   *arena;
  GArray    *tag_offsets;   /* of gsize: keys then values of each row */
  GPtrArray *tag_ptrs;
  BatchRow   rows[BATCH_ROWS];
  guint      n_rows;
  guint64    input_offset;
  guint64    input_size;
  gboolean   last;          /* the reader is done: end of file or @error */
  GError    *error;
} Batch;

static const gsize string_fields[] = {
  G_STRUCT_OFFSET (CuCostRow, charge_period_start), G_STRUCT_OFFSET (CuCostRow, charge_period_end),
  G_STRUCT_OFFSET (CuCostRow, billing_currency), G_STRUCT_OFFSET (CuCostRow, billing_period_start),
  G_STRUCT_OFFSET (CuCostRow, billing_period_end), G_STRUCT_OFFSET (CuCostRow, billing_account_id),
  G_STRUCT_OFFSET (CuCostRow, billing_account_name), G_STRUCT_OFFSET (CuCostRow, sub_account_id),
  G_STRUCT_OFFSET (CuCostRow, sub_account_name), G_STRUCT_OFFSET (CuCostRow, provider_name),
  G_STRUCT_OFFSET (CuCostRow, publisher_name), G_STRUCT_OFFSET (CuCostRow, invoice_issuer_name),
  G_STRUCT_OFFSET (CuCostRow, service_name), G_STRUCT_OFFSET (CuCostRow, service_category),
  G_STRUCT_OFFSET (CuCostRow, service_subcategory), G_STRUCT_OFFSET (CuCostRow, region_id),
  G_STRUCT_OFFSET (CuCostRow, region_name), G_STRUCT_OFFSET (CuCostRow, availability_zone),
  G_STRUCT_OFFSET (CuCostRow, resource_id), G_STRUCT_OFFSET (CuCostRow, resource_name),
  G_STRUCT_OFFSET (CuCostRow, resource_type), G_STRUCT_OFFSET (CuCostRow, charge_category),
  G_STRUCT_OFFSET (CuCostRow, charge_class), G_STRUCT_OFFSET (CuCostRow, charge_description),
  G_STRUCT_OFFSET (CuCostRow, charge_frequency), G_STRUCT_OFFSET (CuCostRow, sku_id),
  G_STRUCT_OFFSET (CuCostRow, sku_price_id), G_STRUCT_OFFSET (CuCostRow, pricing_category),
  G_STRUCT_OFFSET (CuCostRow, pricing_unit), G_STRUCT_OFFSET (CuCostRow, consumed_unit),
  G_STRUCT_OFFSET (CuCostRow, commitment_discount_id), G_STRUCT_OFFSET (CuCostRow, commitment_discount_type),
  G_STRUCT_OFFSET (CuCostRow, invoice_id),
};

#define FIELD_AT(row, offset) (*(const char **) ((char *) (row) + (offset)))

static Batch *
batch_new (void)
{
  Batch *b = g_new0 (Batch, 1);

  b->arena = g_string_sized_new (BATCH_ROWS * 512);
  b->tag_offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  b->tag_ptrs = g_ptr_array_new ();
  return b;
}

static void
batch_free (gpointer data)
{
  Batch *b = data;

  g_string_free (b->arena, TRUE);
  g_array_unref (b->tag_offsets);
  g_ptr_array_unref (b->tag_ptrs);
  g_clear_error (&b->error);
  g_free (b);
}

static void
batch_reset (Batch *b)
{
  g_string_truncate (b->arena, 0);
  g_array_set_size (b->tag_offsets, 0);
  g_ptr_array_set_size (b->tag_ptrs, 0);
  b->n_rows = 0;
  b->last = FALSE;
  g_clear_error (&b->error);
}

static inline gsize
arena_add (GString *arena, const char *s)
{
  gsize at = arena->len;

  g_string_append_len (arena, s, strlen (s) + 1);
  return at + 1;
}

/* Copies the converted row (imp->row, imp->group) into @b. */
static void
batch_add (Batch *b, Importer *imp)
{
  BatchRow *r = &b->rows[b->n_rows++];

  r->row = imp->row;
  r->group = imp->group;
  r->day = imp->day;
  r->line = cu_csv_reader_get_line (imp->fr.reader);
  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    {
      const char *text = FIELD_AT (&r->row, string_fields[i]);

      FIELD_AT (&r->row, string_fields[i]) = text != NULL ? (const char *) GSIZE_TO_POINTER (arena_add (b->arena, text)) : NULL;
    }
  r->tag_first = b->tag_offsets->len;
  r->n_tags = imp->row.n_tags;
  for (guint i = 0; i < r->n_tags; i++)
    {
      gsize at = arena_add (b->arena, imp->row.tag_keys[i]);
      g_array_append_val (b->tag_offsets, at);
    }
  for (guint i = 0; i < r->n_tags; i++)
    {
      gsize at = arena_add (b->arena, imp->row.tag_values[i] ? imp->row.tag_values[i] : "");
      g_array_append_val (b->tag_offsets, at);
    }
  r->row.tag_keys = NULL;
  r->row.tag_values = NULL;
}

/* Turns the offsets of a full batch into pointers, once the arena no
 * longer moves; the reading thread does it before handing the batch over. */
static void
batch_resolve (Batch *b)
{
  const char *base = b->arena->str - 1;

  g_ptr_array_set_size (b->tag_ptrs, b->tag_offsets->len);
  for (guint i = 0; i < b->tag_offsets->len; i++)
    b->tag_ptrs->pdata[i] = (gpointer) (base + g_array_index (b->tag_offsets, gsize, i));
  for (guint k = 0; k < b->n_rows; k++)
    {
      BatchRow *r = &b->rows[k];

      for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
        {
          gsize at = GPOINTER_TO_SIZE (FIELD_AT (&r->row, string_fields[i]));

          if (at != 0)
            FIELD_AT (&r->row, string_fields[i]) = base + at;
        }
      r->row.tag_keys = (const char * const *) b->tag_ptrs->pdata + r->tag_first;
      r->row.tag_values = (const char * const *) b->tag_ptrs->pdata + r->tag_first + r->n_tags;
    }
}

typedef struct {
  Importer    *imp;
  PassMode     mode;
  GAsyncQueue *full;    /* of Batch *, read → write */
  GAsyncQueue *empty;   /* of Batch *, write → read */
  gint         stop;    /* atomic: the writing side gave up */
} Pipe;

/* The reading thread: converts every record, checks it as the scan does,
 * and hands batches over; the last one carries the end or the error. */
static gpointer
read_thread (gpointer data)
{
  Pipe *pipe = data;
  Importer *imp = pipe->imp;
  Batch *b = g_async_queue_pop (pipe->empty);
  guint64 n = 0;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;

      if (g_atomic_int_get (&pipe->stop))
        break;
      if (!cu_csv_reader_next (imp->fr.reader, imp->cancellable, &local_error))
        {
          if (local_error != NULL)
            prefix_read_error (imp, &b->error, local_error);
          break;
        }
      if ((++n & 1023) == 0 && g_cancellable_set_error_if_cancelled (imp->cancellable, &b->error))
        break;
      if (!convert_row (imp, &b->error))
        break;
      if (pipe->mode == PASS_WRITE && !note_row (imp, &b->error))
        break;
      batch_add (b, imp);
      if (b->n_rows == BATCH_ROWS)
        {
          batch_resolve (b);
          b->input_offset = cu_csv_reader_get_input_offset (imp->fr.reader);
          b->input_size = cu_csv_reader_get_input_size (imp->fr.reader);
          g_async_queue_push (pipe->full, b);
          b = g_async_queue_pop (pipe->empty);
        }
    }
  batch_resolve (b);
  b->input_offset = cu_csv_reader_get_input_offset (imp->fr.reader);
  b->input_size = cu_csv_reader_get_input_size (imp->fr.reader);
  b->last = TRUE;
  g_async_queue_push (pipe->full, b);
  return NULL;
}

static int
compare_batch_rows (gconstpointer a, gconstpointer b)
{
  const BatchRow *ra = *(BatchRow * const *) a;
  const BatchRow *rb = *(BatchRow * const *) b;

  if (ra->group->account != rb->group->account)
    return ra->group->account->order < rb->group->account->order ? -1 : 1;
  if (ra->day != rb->day)
    return ra->day < rb->day ? -1 : 1;
  return ra->line < rb->line ? -1 : ra->line > rb->line;
}

/* Writes one row read by the reading thread. */
static PassResult
write_batch_row (Importer *imp, PassMode mode, GPtrArray *open, BatchRow *r, GError **error)
{
  Group *group = r->group;

  if (group->writer == NULL)
    {
      if (mode == PASS_WRITE_ALL)
        {
          g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_CHANGED,
                       "%s: the file changed while it was imported; import it again", imp->display);
          return PASS_FAILED;
        }
      /* the range of an undeclared period is the days the file covers:
       * known at the end only; an overlap would empty rows just written */
      if (!group->declared)
        return PASS_FALLBACK;
      for (guint i = 0; i < open->len; i++)
        {
          Group *other = g_ptr_array_index (open, i);

          if (other->account == group->account &&
              other->bp_first <= group->bp_last && group->bp_first <= other->bp_last)
            return PASS_FALLBACK;
        }
      if (!begin_group (imp, group, error))
        return PASS_FAILED;
      g_ptr_array_add (open, group);
    }
  return write_row (imp, group, &r->row, r->line, error) ? PASS_OK : PASS_FAILED;
}

static PassResult
run_writing_pass (Importer *imp, PassMode mode, GError **error)
{
  g_autoptr(GPtrArray) open = g_ptr_array_new ();
  g_autoptr(GPtrArray) order = g_ptr_array_sized_new (WINDOW_BATCHES * BATCH_ROWS);
  g_autoptr(GError) read_error = NULL;
  Pipe pipe = { imp, mode, NULL, NULL, 0 };
  PassResult result = PASS_OK;
  gboolean reading = TRUE;
  GThread *thread;

  if (mode == PASS_WRITE_ALL)
    {
      /* every range is emptied before any row lands, so that billing
       * periods of one account may overlap */
      for (guint i = 0; i < imp->group_list->len; i++)
        if (!begin_group (imp, g_ptr_array_index (imp->group_list, i), error))
          {
            drop_writers (imp, error && *error ? (*error)->message : "failed", FALSE);
            return PASS_FAILED;
          }
    }

  pipe.full = g_async_queue_new ();
  pipe.empty = g_async_queue_new_full (batch_free);
  for (guint i = 0; i < BATCHES_IN_FLIGHT; i++)
    g_async_queue_push (pipe.empty, batch_new ());
  thread = g_thread_new ("cumulus-import-read", read_thread, &pipe);

  while (reading && result == PASS_OK)
    {
      Batch *window[WINDOW_BATCHES];
      guint n_window = 0;

      /* a window of batches, then its rows in (account, day, line) order */
      while (reading && n_window < WINDOW_BATCHES)
        {
          Batch *b = g_async_queue_pop (pipe.full);

          window[n_window++] = b;
          if (b->last)
            {
              reading = FALSE;
              read_error = g_steal_pointer (&b->error);
            }
        }
      g_ptr_array_set_size (order, 0);
      for (guint i = 0; i < n_window; i++)
        for (guint k = 0; k < window[i]->n_rows; k++)
          g_ptr_array_add (order, &window[i]->rows[k]);
      /* most files come in day order already: no need to sort those */
      for (guint k = 1; k < order->len; k++)
        if (compare_batch_rows (&order->pdata[k - 1], &order->pdata[k]) > 0)
          {
            g_ptr_array_sort (order, compare_batch_rows);
            break;
          }
      for (guint k = 0; k < order->len && result == PASS_OK; k++)
        result = write_batch_row (imp, mode, open, g_ptr_array_index (order, k), error);

      if (imp->progress != NULL && window[n_window - 1]->input_offset - imp->last_progress >= 512 * 1024)
        {
          Batch *b = window[n_window - 1];

          imp->last_progress = b->input_offset;
          imp->progress (b->input_size > 0 ? MIN (1.0, (double) b->input_offset / b->input_size) : 0.0,
                         "Importing", imp->progress_data);
        }
      for (guint i = 0; i < n_window; i++)
        {
          batch_reset (window[i]);
          g_async_queue_push (pipe.empty, window[i]);
        }
    }
  if (reading)
    {
      /* the writing side failed: stop the reader and wait for its last batch */
      g_atomic_int_set (&pipe.stop, 1);
      while (reading)
        {
          Batch *b = g_async_queue_pop (pipe.full);

          reading = !b->last;
          batch_reset (b);
          g_async_queue_push (pipe.empty, b);
        }
    }
  g_thread_join (thread);
  g_async_queue_unref (pipe.full);
  g_async_queue_unref (pipe.empty);  /* frees the batches */

  if (result == PASS_OK && read_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      result = PASS_FAILED;
    }
  if (result == PASS_OK && mode == PASS_WRITE && cu_csv_reader_get_n_records (imp->fr.reader) <= 1)
    {
      g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_EMPTY,
                   "%s: the file has a header but no rows", imp->display);
      result = PASS_FAILED;
    }
  if (result == PASS_FALLBACK)
    {
      drop_writers (imp, "superseded: the file is written after a check", FALSE);
      return PASS_FALLBACK;
    }
  if (result == PASS_FAILED)
    {
      drop_writers (imp, error && *error ? (*error)->message : "failed",
                    error != NULL && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
      return PASS_FAILED;
    }
  if (!commit_writers (imp, mode == PASS_WRITE_ALL, error))
    return PASS_FAILED;
  return PASS_OK;
}

static PassResult
run_pass (Importer *imp, PassMode mode, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  guint64 n = 0;

  if (!open_reader (imp, error))
    return PASS_FAILED;
  imp->last_progress = 0;
  report_progress (imp, mode == PASS_SCAN ? "Checking" : "Importing", TRUE);
  if (mode != PASS_SCAN)
    {
      PassResult result = run_writing_pass (imp, mode, error);

      if (result == PASS_OK)
        report_progress (imp, "Importing", TRUE);
      return result;
    }

  for (;;)
    {
      if (!cu_csv_reader_next (imp->fr.reader, imp->cancellable, &local_error))
        {
          if (local_error != NULL)
            {
              prefix_read_error (imp, error, local_error);
              return PASS_FAILED;
            }
          break;
        }
      if ((++n & 1023) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (imp->cancellable, error))
            return PASS_FAILED;
          report_progress (imp, "Checking", FALSE);
        }
      if (!convert_row (imp, error) || !note_row (imp, error))
        return PASS_FAILED;
    }
  if (cu_csv_reader_get_n_records (imp->fr.reader) <= 1)
    {
      g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_EMPTY,
                   "%s: the file has a header but no rows", imp->display);
      return PASS_FAILED;
    }
  report_progress (imp, "Checking", TRUE);
  return PASS_OK;
}

static void
reset_counts (Importer *imp)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, imp->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_set_size (((Account *) value)->groups, 0);
  g_ptr_array_set_size (imp->group_list, 0);
  for (guint i = 0; i < imp->totals->len; i++)
    g_free (g_array_index (imp->totals, Total, i).currency);
  g_array_set_size (imp->totals, 0);
  imp->n_moved = 0;
  imp->group = NULL;
}

static void
importer_clear (Importer *imp)
{
  drop_writers (imp, "failed", FALSE);
  g_clear_object (&imp->fr.reader);
  g_clear_object (&imp->json);
  g_hash_table_unref (imp->tag_cache);
  g_strfreev (imp->fr.header);
  g_free (imp->format_name);
  g_free (imp->source);
  g_array_unref (imp->fr.tag_columns);
  g_ptr_array_unref (imp->fr.tag_column_keys);
  g_ptr_array_unref (imp->tag_keys);
  g_ptr_array_unref (imp->tag_values);
  reset_counts (imp);
  g_array_unref (imp->totals);
  g_ptr_array_unref (imp->group_list);
  g_hash_table_unref (imp->raw_accounts);
  g_hash_table_unref (imp->accounts);
  g_string_free (imp->last_account_raw, TRUE);
  g_clear_pointer (&imp->result, cu_import_result_free);
}

static int
compare_groups (gconstpointer a, gconstpointer b)
{
  const Group *ga = *(Group * const *) a;
  const Group *gb = *(Group * const *) b;

  if (ga->bp_first != gb->bp_first)
    return ga->bp_first < gb->bp_first ? -1 : 1;
  return ga->order < gb->order ? -1 : ga->order > gb->order;
}

static void
fill_result (Importer *imp, CuImportResult *result)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (imp->group_list->len);

  /* a view of the groups, which group_list owns */
  for (guint i = 0; i < imp->group_list->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (imp->group_list, i));
  result->format = imp->spec->format;
  result->format_name = g_strdup (imp->format_name);
  result->first_day = G_MAXINT32;
  result->last_day = G_MININT32;
  g_ptr_array_sort (sorted, compare_groups);
  for (guint i = 0; i < sorted->len; i++)
    {
      Group *g = g_ptr_array_index (sorted, i);
      g_autofree char *period = NULL;
      gboolean seen = FALSE;
      int y, m, d, y2, m2, d2;

      result->n_rows += g->n_rows;
      result->first_day = MIN (result->first_day, g->min_day);
      result->last_day = MAX (result->last_day, g->max_day);

      cu_day_to_ymd (g->declared ? g->bp_first : g->min_day, &y, &m, &d);
      cu_day_to_ymd (g->declared ? g->bp_last : g->max_day, &y2, &m2, &d2);
      if (g->declared && d == 1 && y == y2 && m == m2 && d2 == cu_days_in_month (y, m))
        period = g_strdup_printf ("%04d-%02d", y, m);
      else
        period = g_strdup_printf ("%04d-%02d-%02d..%04d-%02d-%02d", y, m, d, y2, m2, d2);
      for (guint j = 0; j < result->periods->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (result->periods, j), period);
      if (!seen)
        g_ptr_array_add (result->periods, g_steal_pointer (&period));

      seen = FALSE;
      for (guint j = 0; j < result->accounts->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (result->accounts, j), g->account->name);
      if (!seen)
        g_ptr_array_add (result->accounts, g_strdup (g->account->name));
    }
  for (guint i = 0; i < imp->totals->len; i++)
    {
      Total *t = &g_array_index (imp->totals, Total, i);
      CuImportTotal *copy = g_new0 (CuImportTotal, 1);

      /* each part fits, and they have opposite signs: the sum fits too */
      copy->currency = g_strdup (t->currency);
      copy->billed = t->billed_pos + t->billed_neg;
      copy->effective = t->effective_pos + t->effective_neg;
      g_ptr_array_add (result->totals, copy);
    }
  result->n_moved = imp->n_moved;
}

static void
total_free (gpointer data)
{
  CuImportTotal *t = data;

  g_free (t->currency);
  g_free (t);
}

static int
ledger_cache_size (CuLedger *ledger)
{
  sqlite3_stmt *stmt = NULL;
  int size = 0;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), "PRAGMA cache_size", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    size = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return size;
}

static void
set_cache_size (CuLedger *ledger, int size)
{
  g_autofree char *sql = NULL;

  if (size == 0)
    return;
  sql = g_strdup_printf ("PRAGMA cache_size = %d", size);
  cu_ledger_exec (ledger, sql, NULL);
}

/* ---- public API ---- */

void
cu_import_result_free (CuImportResult *result)
{
  if (result == NULL)
    return;
  g_free (result->format_name);
  g_ptr_array_unref (result->periods);
  g_ptr_array_unref (result->accounts);
  g_ptr_array_unref (result->totals);
  g_free (result);
}

const char *
cu_import_format_to_string (CuImportFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i]->format == format)
      return formats[i]->name;
  return "unknown";
}

/**
 * cu_import_file:
 * @ledger: the ledger to write to; this thread's connection
 * @file: a FOCUS, AWS CUR, CUR 2.0 or Azure cost-details CSV, plain or gzip
 * @display_name: (nullable): how errors name the file (default: its basename)
 * @progress: (nullable) (scope call): called with the fraction of the
 *   current pass
 * @cancellable: (nullable): cancels between rows; the ledger is then as it
 *   was for every billing period not yet committed
 *
 * Imports @file, replacing each of its billing periods for its account(s).
 * A file that fails validation leaves the ledger untouched; errors name the
 * file, line and column.
 *
 * Returns: (transfer full): what was imported, or %NULL with @error set
 */
CuImportResult *
cu_import_file (CuLedger              *ledger,
                GFile                 *file,
                const char            *display_name,
                CuImportProgressFunc   progress,
                gpointer               progress_data,
                GCancellable          *cancellable,
                GError               **error)
{
  Importer imp = { 0 };
  g_autofree char *basename = NULL;
  CuImportResult *result;
  PassResult pass;
  int cache_size;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (display_name == NULL)
    display_name = basename = g_file_get_basename (file);

  imp.ledger = ledger;
  imp.file = file;
  imp.display = display_name;
  imp.progress = progress;
  imp.progress_data = progress_data;
  imp.cancellable = cancellable;
  imp.source = g_file_get_path (file);
  if (imp.source == NULL)
    imp.source = g_file_get_uri (file);
  imp.fr.display = display_name;
  imp.fr.tag_columns = g_array_new (FALSE, FALSE, sizeof (guint));
  imp.fr.tag_column_keys = g_ptr_array_new_with_free_func (g_free);
  imp.json = json_parser_new_immutable ();
  imp.tag_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  imp.tag_keys = g_ptr_array_new ();
  imp.tag_values = g_ptr_array_new ();
  imp.accounts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, account_free);
  imp.raw_accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  imp.group_list = g_ptr_array_new_with_free_func (g_free);
  imp.totals = g_array_new (FALSE, FALSE, sizeof (Total));
  imp.last_account_raw = g_string_new (NULL);

  result = g_new0 (CuImportResult, 1);
  result->periods = g_ptr_array_new_with_free_func (g_free);
  result->accounts = g_ptr_array_new_with_free_func (g_free);
  result->totals = g_ptr_array_new_with_free_func (total_free);
  imp.result = result;

  /* Rows are appended and the indexes grow at their end, so a big page
   * cache buys nothing here; a small one keeps the import's memory flat
   * whatever the file's size. Restored on the way out. */
  cache_size = ledger_cache_size (ledger);
  cu_ledger_exec (ledger, "PRAGMA cache_size = -8192", NULL);

  pass = run_pass (&imp, PASS_WRITE, error);
  if (pass == PASS_FAILED)
    goto fail;
  result->compressed = cu_csv_reader_is_compressed (imp.fr.reader);
  result->n_passes = 1;

  if (pass == PASS_FALLBACK)
    {
      reset_counts (&imp);
      if (run_pass (&imp, PASS_SCAN, error) != PASS_OK ||
          run_pass (&imp, PASS_WRITE_ALL, error) != PASS_OK)
        goto fail;
      result->n_passes = 2;
    }

  fill_result (&imp, result);
  imp.result = NULL;
  importer_clear (&imp);
  set_cache_size (ledger, cache_size);
  return result;

fail:
  importer_clear (&imp);
  set_cache_size (ledger, cache_size);
  return NULL;
}

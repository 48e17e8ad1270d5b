/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-mock-cloud.c — a fake AWS + Azure on loopback; see the header */
#define G_LOG_DOMAIN "cumulus-mock"

#include "cu-mock-cloud.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "providers/aws/cu-aws-client.h"
#include "providers/aws/cu-sigv4.h"
#include "util/cu-money.h"

static const char * const aws_services[] = {
  "Amazon Elastic Compute Cloud - Compute", "Amazon Relational Database Service",
  "Amazon Simple Storage Service", "AWS Lambda",
  /* only with cu_mock_cloud_set_credits() */
  "Tax", "AWS Support (Business)",
};
#define N_USAGE_SERVICES 4
static const char * const aws_accounts[] = { "111122223333", "444455556666" };
static const char * const aws_account_names[] = { "Production", "Staging" };
static const char * const aws_regions[] = { "us-east-1", "eu-west-1", "global" };
static const char * const az_services[] = { "Virtual Machines", "Storage", "Bandwidth" };

/* Cost-allocation tags: every cube cell (day, service, account, region)
 * carries at most one value per key, so a SERVICE × TAG:key answer sums
 * the same cells as the other groupings and has the same totals. Keys not
 * listed here are known to CE but tag nothing ("key$" only). */
typedef struct {
  const char *key;
  const char *values[3];
  guint       n_values;
} MockTag;

static const MockTag aws_tags[] = {
  { "team", { "web", "data science" }, 2 },
  { "env", { "prod", "dev", "test" }, 3 },
};
static const char * const az_locations[] = { "westeurope", "eastus" };

typedef struct {
  char        *api;
  CuMockFault  fault;
  guint        skip;
  guint        count;
  guint        param;
} Fault;

typedef struct {
  char   *secret;
  char   *token;     /* temporary credentials only */
  gint64  expires;   /* unix s, 0 = never */
  char   *arn;
} AwsUser;

struct _CuMockCloud
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *url;
  char         *testdata;
  GMutex        lock;
  GCond         ready;

  /* under lock */
  GHashTable   *users;        /* key id → AwsUser */
  GHashTable   *counts;       /* what → count */
  GPtrArray    *faults;
  char         *role_arn;
  char         *external_id;
  guint         role_duration;
  guint         n_issued;
  char         *az_tenant, *az_client, *az_secret, *az_subscription;
  GHashTable   *az_tokens;    /* token → expires */
  gint64        clock_offset;
  int           version;
  guint         page_size;
  gboolean      credits;
};

/* ---------------------------------------------------------------- data */

static guint32
mix (guint32 x)
{
  x ^= x >> 16; x *= 0x7feb352dU; x ^= x >> 15; x *= 0x846ca68bU; x ^= x >> 16;
  return x;
}

static gboolean
is_estimated (CuDay d)
{
  return d >= cu_day_today () - 2;
}

/* With credits: a 60-day promotional credit of USD 120 a day on EC2 in the
 * first account and region (days today-70 … today-11), so that account,
 * region and cell amounts turn negative on some days and not on others;
 * tax in both accounts and two regions on the last day of each month;
 * support in the first account on the first of the month, with a refund
 * in the second account the same day. */
static gint64
aws_amount (CuMockCloud *m, CuDay d, guint s, guint a, guint r, gboolean amortized)
{
  guint32 h = mix ((guint32) d * 2654435761U + s * 97 + a * 13 + r * 7 + 1);
  gint64 v;

  if (s >= N_USAGE_SERVICES)
    {
      if (!m->credits)
        return 0;
      if (s == N_USAGE_SERVICES)
        return d == cu_day_month_end (d) && r < 2 ? 1000000 + a * 250001 + r * 125003 + (h % 1000) : 0;
      if (d != cu_day_month_start (d) || r != 2)
        return 0;
      return a == 0 ? 29000000 : -5000000;
    }
  v = 0;
  if (h % 5 != 0)
    {
      v = (gint64) (h % 90000000) + 1234;     /* up to 90 USD, micro-units */
      if (is_estimated (d))
        v += (gint64) m->version * 123457;
      if (amortized && s == 0)
        v = v - v / 7;                          /* a savings plan on EC2 */
    }
  if (m->credits && s == 0 && a == 0 && r == 0 && d >= cu_day_today () - 70 && d <= cu_day_today () - 11)
    v -= 120000000;
  return v;
}

static gint64
az_amount (CuMockCloud *m, CuDay d, guint s, guint l, gboolean amortized)
{
  guint32 h = mix ((guint32) d * 40503U + s * 31 + l * 5 + 3);
  gint64 v;

  if (h % 4 == 0)
    return 0;
  v = (gint64) (h % 50000000) + 10;
  if (is_estimated (d))
    v += (gint64) m->version * 1000;
  if (amortized && s == 0)
    v = v * 9 / 10;
  return v;
}

static const MockTag *
mock_tag (const char *key)
{
  for (guint t = 0; t < G_N_ELEMENTS (aws_tags); t++)
    if (g_str_equal (aws_tags[t].key, key))
      return &aws_tags[t];
  return NULL;
}

/* 0 = untagged, else 1 + the index of the value */
static guint
aws_tag_value (CuDay d, guint s, guint a, guint r, const MockTag *tag)
{
  guint32 h;

  if (tag == NULL)
    return 0;
  h = mix ((guint32) d * 2246822519U + s * 131 + a * 17 + r * 3 + (guint32) (tag - aws_tags) * 7919 + 11);
  return h % (tag->n_values + 1);
}

gint64
cu_mock_cloud_aws_tag_total (CuMockCloud *m, CuDay first, CuDay last, const char *key, const char *value,
                             gboolean amortized)
{
  const MockTag *tag = mock_tag (key);
  guint want = 0;
  gint64 sum = 0;

  if (value != NULL && *value != '\0')
    {
      want = G_MAXUINT;
      for (guint v = 0; tag && v < tag->n_values; v++)
        if (g_str_equal (tag->values[v], value))
          want = v + 1;
    }
  g_mutex_lock (&m->lock);
  for (CuDay d = first; d <= last; d++)
    for (guint s = 0; s < G_N_ELEMENTS (aws_services); s++)
      for (guint a = 0; a < G_N_ELEMENTS (aws_accounts); a++)
        for (guint r = 0; r < G_N_ELEMENTS (aws_regions); r++)
          if (aws_tag_value (d, s, a, r, tag) == want)
            sum += aws_amount (m, d, s, a, r, amortized);
  g_mutex_unlock (&m->lock);
  return sum;
}

gint64
cu_mock_cloud_aws_total (CuMockCloud *m, CuDay first, CuDay last, const char *account, gboolean amortized)
{
  gint64 sum = 0;

  g_mutex_lock (&m->lock);
  for (CuDay d = first; d <= last; d++)
    for (guint s = 0; s < G_N_ELEMENTS (aws_services); s++)
      for (guint a = 0; a < G_N_ELEMENTS (aws_accounts); a++)
        for (guint r = 0; r < G_N_ELEMENTS (aws_regions); r++)
          if (account == NULL || g_str_equal (account, aws_accounts[a]))
            sum += aws_amount (m, d, s, a, r, amortized);
  g_mutex_unlock (&m->lock);
  return sum;
}

gint64
cu_mock_cloud_azure_total (CuMockCloud *m, CuDay first, CuDay last, gboolean amortized)
{
  gint64 sum = 0;

  g_mutex_lock (&m->lock);
  for (CuDay d = first; d <= last; d++)
    for (guint s = 0; s < G_N_ELEMENTS (az_services); s++)
      for (guint l = 0; l < G_N_ELEMENTS (az_locations); l++)
        if (az_amount (m, d, s, l, amortized) != 0)
          sum += az_amount (m, d, s, l, amortized) + 1;   /* the answer says v + 0.5 micro-units */
  g_mutex_unlock (&m->lock);
  return sum;
}

/* ------------------------------------------------------------- helpers */

static void
count (CuMockCloud *m, const char *what)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (m->counts, what));
  g_hash_table_replace (m->counts, g_strdup (what), GUINT_TO_POINTER (n + 1));
}

static GDateTime *
mock_now (CuMockCloud *m)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_add_seconds (now, (gdouble) m->clock_offset);
}

static char *
testdata (CuMockCloud *m, const char *rel)
{
  g_autofree char *path = g_build_filename (m->testdata, rel, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("mock: cannot read %s", path);
  return text;
}

static void
respond (SoupServerMessage *msg, guint status, const char *type, const char *body, gsize len)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, len);
}

static void
respond_file (CuMockCloud *m, SoupServerMessage *msg, guint status, const char *type, const char *rel)
{
  g_autofree char *body = testdata (m, rel);
  respond (msg, status, type, body, strlen (body));
}

static void
ce_error (CuMockCloud *m, SoupServerMessage *msg, guint status, const char *code, const char *file,
          const char *message)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (h, "x-amzn-ErrorType", code);
  if (file)
    respond_file (m, msg, status, "application/x-amz-json-1.1", file);
  else
    {
      g_autofree char *body = g_strdup_printf ("{\"__type\":\"com.amazonaws.ce#%s\",\"Message\":\"%s\"}", code, message);
      respond (msg, status, "application/x-amz-json-1.1", body, strlen (body));
    }
}

static void
query_error (SoupServerMessage *msg, guint status, const char *code, const char *message)
{
  g_autofree char *body = g_strdup_printf ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                                           "<Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>"
                                           "<RequestId>4c2a7f2e-mock</RequestId></ErrorResponse>", code, message);
  respond (msg, status, "text/xml", body, strlen (body));
}

/* Takes the first applicable fault for @api, or returns FALSE. */
static gboolean
take_fault (CuMockCloud *m, const char *api, gboolean paged, Fault *out)
{
  for (guint i = 0; i < m->faults->len; i++)
    {
      Fault *f = m->faults->pdata[i];

      if (f->count == 0 || (!g_str_equal (f->api, "*") && !g_str_equal (f->api, api)))
        continue;
      if ((f->fault == CU_MOCK_PAGE_500 || f->fault == CU_MOCK_INVALID_NEXT_TOKEN) && !paged)
        continue;
      if (f->skip > 0)
        {
          f->skip--;
          return FALSE;
        }
      f->count--;
      *out = *f;
      return TRUE;
    }
  return FALSE;
}

/* --------------------------------------------------------------- SigV4 */

/* Returns the key id when the signature is good; otherwise answers. */
static AwsUser *
verify_sigv4 (CuMockCloud *m, SoupServerMessage *msg, GBytes *body, const char *service,
              gboolean json, char **out_key_id)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *authz = soup_message_headers_get_one (h, "Authorization");
  const char *date = soup_message_headers_get_one (h, "X-Amz-Date");
  g_autofree char *key_id = NULL, *scope = NULL, *signed_headers = NULL, *signature = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *expected = NULL, *creq = NULL, *sts = NULL;
  g_autoptr(GDateTime) now = mock_now (m);
  g_autoptr(GDateTime) req_time = NULL;
  CuSigv4Request req = { 0 };
  CuSigv4Key key = { 0 };
  AwsUser *user;
  const char *p;
  gsize len = 0;

  if (authz == NULL || !g_str_has_prefix (authz, "AWS4-HMAC-SHA256 ") || date == NULL)
    goto bad;
  if ((p = strstr (authz, "Credential=")) == NULL)
    goto bad;
  key_id = g_strndup (p + 11, strcspn (p + 11, "/"));
  scope = g_strndup (p + 11 + strlen (key_id) + 1, strcspn (p + 11 + strlen (key_id) + 1, ","));
  if ((p = strstr (authz, "SignedHeaders=")) == NULL)
    goto bad;
  signed_headers = g_strndup (p + 14, strcspn (p + 14, ","));
  if ((p = strstr (authz, "Signature=")) == NULL)
    goto bad;
  signature = g_strdup (p + 10);

  user = g_hash_table_lookup (m->users, key_id);
  if (user == NULL)
    {
      count (m, "unknown-key");
      if (json)
        ce_error (m, msg, 400, "UnrecognizedClientException", NULL, "The security token included in the request is invalid.");
      else
        respond_file (m, msg, 403, "text/xml", "aws/sts-error-invalid-client-token-id.xml");
      return NULL;
    }

  /* the required headers must be signed */
  names = g_strsplit (signed_headers, ";", -1);
  if (!g_strv_contains ((const char * const *) names, "host") ||
      !g_strv_contains ((const char * const *) names, "x-amz-date") ||
      (json && !g_strv_contains ((const char * const *) names, "x-amz-target")) ||
      (user->token && !g_strv_contains ((const char * const *) names, "x-amz-security-token")))
    goto bad;

  /* five minutes of tolerance, like AWS */
  {
    g_autofree char *iso = g_strdup_printf ("%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", date, date + 4, date + 6,
                                            date + 9, date + 11, date + 13);
    req_time = g_date_time_new_from_iso8601 (iso, NULL);
  }
  if (req_time == NULL)
    goto bad;
  if (ABS (g_date_time_difference (now, req_time)) > 300 * G_TIME_SPAN_SECOND)
    {
      g_autofree char *now_text = cu_sigv4_format_amz_date (now);
      g_autofree char *message = g_strdup_printf ("Signature expired: %s is now earlier than %s (%s - 5 min.)",
                                                  date, now_text, now_text);
      count (m, "skewed");
      if (json)
        ce_error (m, msg, 400, "InvalidSignatureException", NULL, message);
      else
        query_error (msg, 403, "SignatureDoesNotMatch", message);
      return NULL;
    }

  for (guint i = 0; names[i]; i++)
    {
      const char *v = soup_message_headers_get_list (h, names[i]);
      g_ptr_array_add (values, g_strdup (v ? v : ""));
    }

  req.method = soup_server_message_get_method (msg);
  req.path = g_uri_get_path (soup_server_message_get_uri (msg));
  req.query = g_uri_get_query (soup_server_message_get_uri (msg));
  req.header_names = (const char * const *) names;
  req.header_values = (const char * const *) values->pdata;
  req.n_headers = values->len;
  req.body = g_bytes_get_data (body, &len);
  req.body_len = len;
  req.normalize_path = TRUE;

  key.access_key_id = key_id;
  key.secret_access_key = user->secret;
  key.region = "us-east-1";
  key.service = service;
  key.amz_date = date;

  {
    g_autofree char *want_scope = g_strdup_printf ("%.8s/us-east-1/%s/aws4_request", date, service);
    if (!g_str_equal (scope, want_scope))
      goto mismatch;
  }
  creq = cu_sigv4_canonical_request (&req, NULL);
  sts = cu_sigv4_string_to_sign (date, "us-east-1", service, creq);
  expected = cu_sigv4_signature (&key, sts);
  if (!g_str_equal (expected, signature))
    goto mismatch;

  if (user->token)
    {
      const char *token = soup_message_headers_get_one (h, "X-Amz-Security-Token");
      if (token == NULL || !g_str_equal (token, user->token))
        goto bad;
      if (user->expires && g_date_time_to_unix (now) >= user->expires)
        {
          count (m, "expired");
          if (json)
            ce_error (m, msg, 400, "ExpiredTokenException", "aws/ce-error-expired-token.json", NULL);
          else
            respond_file (m, msg, 400, "text/xml", "aws/sts-error-expired-token.xml");
          return NULL;
        }
    }
  count (m, "signed-ok");
  *out_key_id = g_steal_pointer (&key_id);
  return user;

mismatch:
  count (m, "bad-signature");
  if (json)
    ce_error (m, msg, 400, "InvalidSignatureException", NULL,
              "The request signature we calculated does not match the signature you provided.");
  else
    respond_file (m, msg, 403, "text/xml", "aws/sts-error-signature-does-not-match.xml");
  return NULL;

bad:
  count (m, "bad-signature");
  if (json)
    ce_error (m, msg, 400, "IncompleteSignatureException", NULL, "Authorization header is incomplete.");
  else
    query_error (msg, 400, "IncompleteSignature", "Authorization header is incomplete.");
  return NULL;
}

/* ------------------------------------------------------------------ CE */

typedef struct {
  CuDay day;
  guint s;
  guint x;
  gint64 unblended;
  gint64 amortized;
} Group;

static void
add_metric (JsonBuilder *b, const char *name, gint64 micros)
{
  g_autofree char *amount = cu_money_format_plain (micros, 6);

  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Amount");
  json_builder_add_string_value (b, amount);
  json_builder_set_member_name (b, "Unit");
  json_builder_add_string_value (b, "USD");
  json_builder_end_object (b);
}

static void
handle_ce (CuMockCloud *m, SoupServerMessage *msg, GBytes *body, const Fault *fault, gboolean faulted)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *target = soup_message_headers_get_one (h, "X-Amz-Target");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GArray) groups = g_array_new (FALSE, FALSE, sizeof (Group));
  g_autofree char *text = NULL;
  JsonObject *in, *tp;
  JsonArray *group_by;
  const char *start, *end, *token, *dim, *dim_type;
  const MockTag *tag = NULL;
  CuDay first, stop, window;
  gboolean by_region, by_tag;
  guint offset = 0, n_x, page_end;
  const char *data;
  gsize len;

  if (g_strcmp0 (target, "AWSInsightsIndexService.GetCostAndUsage") != 0)
    {
      ce_error (m, msg, 400, "UnknownOperationException", NULL, "Unknown operation");
      return;
    }
  data = g_bytes_get_data (body, &len);
  if (!json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      ce_error (m, msg, 400, "SerializationException", NULL, "bad JSON");
      return;
    }
  in = json_node_get_object (json_parser_get_root (parser));
  token = json_object_get_string_member_with_default (in, "NextPageToken", NULL);

  if (faulted)
    {
      switch (fault->fault)
        {
        case CU_MOCK_THROTTLE:
          ce_error (m, msg, 400, "LimitExceededException", "aws/ce-error-limit-exceeded.json", NULL);
          return;
        case CU_MOCK_HTTP_429:
          {
            g_autofree char *ra = g_strdup_printf ("%u", fault->param);
            soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", ra);
            ce_error (m, msg, 429, "ThrottlingException", NULL, "Rate exceeded");
            return;
          }
        case CU_MOCK_HTTP_500:
        case CU_MOCK_PAGE_500:
          ce_error (m, msg, 500, "InternalServerException", NULL, "Internal failure");
          return;
        case CU_MOCK_EXPIRED_TOKEN:
          ce_error (m, msg, 400, "ExpiredTokenException", "aws/ce-error-expired-token.json", NULL);
          return;
        case CU_MOCK_ACCESS_DENIED:
          ce_error (m, msg, 400, "AccessDeniedException", NULL,
                    "User: arn:aws:iam::111122223333:user/cumulus is not authorized to perform: ce:GetCostAndUsage");
          return;
        case CU_MOCK_INVALID_NEXT_TOKEN:
          ce_error (m, msg, 400, "InvalidNextTokenException", "aws/ce-error-invalid-next-token.json", NULL);
          return;
        case CU_MOCK_WRONG_SHAPE:
          {
            static const char * const shapes[] = {
              "{\"ResultsByTime\":[{\"TimePeriod\":{\"Start\":\"2024-05-01\"},\"Groups\":[{\"Keys\":[\"EC2\",\"1\"],"
              "\"Metrics\":{\"UnblendedCost\":\"12\"}}]}]}",               /* metric not an object */
              "{\"ResultsByTime\":[{\"Groups\":[]}]}",                       /* no TimePeriod */
              "{\"ResultsByTime\":[{\"TimePeriod\":{\"Start\":\"2024-05-01\"},\"Groups\":[{\"Keys\":\"EC2\"}]}]}",
              "{\"ResultsByTime\":{}}",
              " \n\t ",
              /* each (day, service) fits; the sync's total does not */
              "{\"ResultsByTime\":[{\"TimePeriod\":{\"Start\":\"2024-05-01\"},\"Groups\":["
              "{\"Keys\":[\"EC2\",\"111122223333\"],\"Metrics\":{\"UnblendedCost\":{\"Amount\":\"6000000000000\"}}},"
              "{\"Keys\":[\"S3\",\"111122223333\"],\"Metrics\":{\"UnblendedCost\":{\"Amount\":\"6000000000000\"}}}]}]}",
            };
            g_autofree char *text_ = g_strdup (shapes[fault->param % G_N_ELEMENTS (shapes)]);
            char *day = strstr (text_, "2024-05-01");
            char recent[11];

            /* a day inside any sync's window */
            cu_day_format (cu_day_today () - 5, recent);
            if (day != NULL)
              memcpy (day, recent, 10);
            count (m, "ce-ok");
            respond (msg, 200, "application/x-amz-json-1.1", text_, strlen (text_));
            return;
          }
        default:
          break;
        }
    }

  tp = json_object_get_object_member (in, "TimePeriod");
  start = tp ? json_object_get_string_member_with_default (tp, "Start", NULL) : NULL;
  end = tp ? json_object_get_string_member_with_default (tp, "End", NULL) : NULL;
  group_by = json_object_get_array_member (in, "GroupBy");
  if (!start || !end || !cu_day_parse (start, &first) || !cu_day_parse (end, &stop) || stop <= first ||
      g_strcmp0 (json_object_get_string_member_with_default (in, "Granularity", ""), "DAILY") != 0 ||
      group_by == NULL || json_array_get_length (group_by) != 2)
    {
      ce_error (m, msg, 400, "ValidationException", "aws/ce-error-validation.json", NULL);
      return;
    }
  window = cu_day_add_months (cu_day_month_start (cu_day_today ()), -13);
  if (first < window || stop > cu_day_today () + 1)
    {
      ce_error (m, msg, 400, "ValidationException", NULL, "start date is too old or end date is in the future");
      return;
    }
  dim = json_object_get_string_member_with_default (json_array_get_object_element (group_by, 1), "Key", "");
  dim_type = json_object_get_string_member_with_default (json_array_get_object_element (group_by, 1), "Type", "");
  by_tag = g_strcmp0 (dim_type, "TAG") == 0;
  by_region = !by_tag && g_strcmp0 (dim, "REGION") == 0;
  if ((by_tag && (*dim == '\0' || strchr (dim, '$') != NULL)) ||
      (!by_tag && (g_strcmp0 (dim_type, "DIMENSION") != 0 ||
                   (!by_region && g_strcmp0 (dim, "LINKED_ACCOUNT") != 0))))
    {
      ce_error (m, msg, 400, "ValidationException", "aws/ce-error-validation.json", NULL);
      return;
    }
  if (by_tag)
    tag = mock_tag (dim);

  /* all groups of the range, then one page of them */
  if (by_tag)
    {
      n_x = (tag ? tag->n_values : 0) + 1;
      for (CuDay d = first; d < stop; d++)
        for (guint s = 0; s < G_N_ELEMENTS (aws_services); s++)
          for (guint x = 0; x < n_x; x++)
            {
              Group g = { d, s, x, 0, 0 };
              for (guint a = 0; a < G_N_ELEMENTS (aws_accounts); a++)
                for (guint r = 0; r < G_N_ELEMENTS (aws_regions); r++)
                  if (aws_tag_value (d, s, a, r, tag) == x)
                    {
                      g.unblended += aws_amount (m, d, s, a, r, FALSE);
                      g.amortized += aws_amount (m, d, s, a, r, TRUE);
                    }
              if (g.unblended != 0 || g.amortized != 0)
                g_array_append_val (groups, g);
            }
    }
  else
    {
      n_x = by_region ? G_N_ELEMENTS (aws_regions) : G_N_ELEMENTS (aws_accounts);
      for (CuDay d = first; d < stop; d++)
        for (guint s = 0; s < G_N_ELEMENTS (aws_services); s++)
          for (guint x = 0; x < n_x; x++)
            {
              Group g = { d, s, x, 0, 0 };
              for (guint y = 0; y < (by_region ? G_N_ELEMENTS (aws_accounts) : G_N_ELEMENTS (aws_regions)); y++)
                {
                  guint a = by_region ? y : x, r = by_region ? x : y;
                  g.unblended += aws_amount (m, d, s, a, r, FALSE);
                  g.amortized += aws_amount (m, d, s, a, r, TRUE);
                }
              if (g.unblended != 0 || g.amortized != 0)
                g_array_append_val (groups, g);
            }
    }
  if (token != NULL)
    {
      if (!g_str_has_prefix (token, "mock-page-") ||
          !g_ascii_string_to_unsigned (token + 10, 10, 1, groups->len, (guint64 *) &offset, NULL))
        {
          ce_error (m, msg, 400, "InvalidNextTokenException", "aws/ce-error-invalid-next-token.json", NULL);
          return;
        }
    }
  page_end = MIN (groups->len, offset + m->page_size);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "GroupDefinitions");
  json_builder_add_value (b, json_node_copy (json_object_get_member (in, "GroupBy")));
  json_builder_set_member_name (b, "ResultsByTime");
  json_builder_begin_array (b);
  for (guint i = offset; i < page_end;)
    {
      CuDay d = g_array_index (groups, Group, i).day;
      char ds[11], de[11];

      cu_day_format (d, ds);
      cu_day_format (d + 1, de);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "TimePeriod");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "Start");
      json_builder_add_string_value (b, ds);
      json_builder_set_member_name (b, "End");
      json_builder_add_string_value (b, de);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "Total");
      json_builder_begin_object (b);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "Groups");
      json_builder_begin_array (b);
      for (; i < page_end && g_array_index (groups, Group, i).day == d; i++)
        {
          Group *g = &g_array_index (groups, Group, i);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "Keys");
          json_builder_begin_array (b);
          json_builder_add_string_value (b, aws_services[g->s]);
          if (by_tag)
            {
              /* "team$web"; "team$" for the untagged part */
              g_autofree char *k = g_strdup_printf ("%s$%s", dim, g->x ? tag->values[g->x - 1] : "");
              json_builder_add_string_value (b, k);
            }
          else
            json_builder_add_string_value (b, by_region ? aws_regions[g->x] : aws_accounts[g->x]);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "Metrics");
          json_builder_begin_object (b);
          add_metric (b, "UnblendedCost", g->unblended);
          add_metric (b, "AmortizedCost", g->amortized);
          json_builder_end_object (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "Estimated");
      json_builder_add_boolean_value (b, is_estimated (d));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (!by_region && !by_tag)
    {
      json_builder_set_member_name (b, "DimensionValueAttributes");
      json_builder_begin_array (b);
      for (guint a = 0; a < G_N_ELEMENTS (aws_accounts); a++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "Value");
          json_builder_add_string_value (b, aws_accounts[a]);
          json_builder_set_member_name (b, "Attributes");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "description");
          json_builder_add_string_value (b, aws_account_names[a]);
          json_builder_end_object (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  if (page_end < groups->len)
    {
      g_autofree char *next = g_strdup_printf ("mock-page-%u", page_end);
      json_builder_set_member_name (b, "NextPageToken");
      json_builder_add_string_value (b, next);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  count (m, "ce-ok");
  if (by_tag)
    count (m, "ce-tag");
  if (faulted && fault->fault == CU_MOCK_TRUNCATED)
    respond (msg, 200, "application/x-amz-json-1.1", text, strlen (text) / 2);
  else
    respond (msg, 200, "application/x-amz-json-1.1", text, strlen (text));
}

/* ----------------------------------------------------------------- STS */

static char *
form_value (GHashTable *form, const char *key)
{
  return form ? g_hash_table_lookup (form, key) : NULL;
}

static char *
replace (const char *text, const char *from, const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);
  return g_strjoinv (to, parts);
}

static void
handle_query (CuMockCloud *m, SoupServerMessage *msg, GBytes *body, const char *service,
              const char *key_id, AwsUser *user, const Fault *fault, gboolean faulted)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_autoptr(GHashTable) form = soup_form_decode (text);
  const char *action = form_value (form, "Action");

  if (faulted)
    {
      switch (fault->fault)
        {
        case CU_MOCK_THROTTLE:
          query_error (msg, 400, "Throttling", "Rate exceeded");
          return;
        case CU_MOCK_HTTP_500:
          query_error (msg, 500, "InternalFailure", "Internal failure");
          return;
        case CU_MOCK_EXPIRED_TOKEN:
          respond_file (m, msg, 400, "text/xml", "aws/sts-error-expired-token.xml");
          return;
        case CU_MOCK_ACCESS_DENIED:
          respond_file (m, msg, 403, "text/xml", "aws/sts-error-access-denied.xml");
          return;
        default:
          break;
        }
    }

  if (g_str_equal (service, "ec2"))
    {
      /* inventory calls answer with the shared samples */
      if (g_strcmp0 (action, "DescribeAddresses") == 0)
        respond_file (m, msg, 200, "text/xml", "aws/ec2-describe-addresses.xml");
      else if (g_strcmp0 (action, "DescribeVolumes") == 0)
        respond_file (m, msg, 200, "text/xml", "aws/ec2-describe-volumes.xml");
      else
        respond_file (m, msg, 400, "text/xml", "aws/ec2-error-unauthorized-operation.xml");
      return;
    }

  if (g_strcmp0 (action, "GetCallerIdentity") == 0)
    {
      if (user->arn)
        {
          g_autofree char *xml = testdata (m, "aws/sts-get-caller-identity.assumed-role.xml");
          respond (msg, 200, "text/xml", xml, strlen (xml));
        }
      else
        respond_file (m, msg, 200, "text/xml", "aws/sts-get-caller-identity.xml");
      count (m, "sts-identity");
      return;
    }
  if (g_strcmp0 (action, "AssumeRole") == 0)
    {
      const char *arn = form_value (form, "RoleArn");
      const char *ext = form_value (form, "ExternalId");
      g_autofree char *sample = NULL, *a = NULL, *b = NULL, *c = NULL, *d = NULL;
      g_autofree char *new_key = NULL, *new_secret = NULL, *new_token = NULL, *exp = NULL;
      g_autoptr(GDateTime) now = mock_now (m);
      g_autoptr(GDateTime) until = NULL;
      AwsUser *temp;

      if (user->token != NULL || m->role_arn == NULL || g_strcmp0 (arn, m->role_arn) != 0 ||
          g_strcmp0 (ext, m->external_id) != 0 ||
          form_value (form, "RoleSessionName") == NULL)
        {
          count (m, "assume-denied");
          respond_file (m, msg, 403, "text/xml", "aws/sts-error-access-denied.xml");
          return;
        }
      m->n_issued++;
      new_key = g_strdup_printf ("ASIAMOCK%012u", m->n_issued);
      new_secret = g_strdup_printf ("mockTemporarySecret/%u+%08x", m->n_issued, g_random_int ());
      new_token = g_strdup_printf ("IQoJmockSessionToken%u%08x", m->n_issued, g_random_int ());
      until = g_date_time_add_seconds (now, m->role_duration);
      exp = g_date_time_format (until, "%Y-%m-%dT%H:%M:%SZ");
      temp = g_new0 (AwsUser, 1);
      temp->secret = g_strdup (new_secret);
      temp->token = g_strdup (new_token);
      temp->expires = g_date_time_to_unix (until);
      temp->arn = g_strdup (arn);
      g_hash_table_replace (m->users, g_strdup (new_key), temp);

      /* the shared sample, with fresh credentials swapped in */
      sample = testdata (m, "aws/sts-assume-role.xml");
      a = replace (sample, "ASIAIOSFODNN7EXAMPLE", new_key);
      b = replace (a, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", new_secret);
      {
        const char *ts = strstr (b, "<SessionToken>"), *te = strstr (b, "</SessionToken>");
        g_autofree char *old = g_strndup (ts + 14, te - ts - 14);
        c = replace (b, old, new_token);
      }
      d = replace (c, "2024-05-20T13:34:41Z", exp);
      count (m, "sts-assume");
      respond (msg, 200, "text/xml", d, strlen (d));
      return;
    }
  query_error (msg, 400, "InvalidAction", "Unknown action");
}

/* --------------------------------------------------------------- Azure */

static void
azure_429 (CuMockCloud *m, SoupServerMessage *msg, guint seconds)
{
  g_autofree char *headers = testdata (m, "azure/query-error-429.headers.txt");
  g_auto(GStrv) lines = g_strsplit (headers, "\n", -1);
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  g_autofree char *secs = g_strdup_printf ("%u", seconds);

  for (guint i = 1; lines[i]; i++)
    {
      char *colon = strchr (lines[i], ':');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (colon == NULL)
        continue;
      name = g_strstrip (g_strndup (lines[i], colon - lines[i]));
      value = g_strstrip (g_strdup (colon + 1));
      if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        continue;
      /* keep the sample's headers, but wait @seconds instead of 10 */
      if (strstr (name, "retry-after") || strstr (name, "Retry-After"))
        soup_message_headers_replace (h, name, g_str_equal (value, "0") ? "0" : secs);
      else
        soup_message_headers_replace (h, name, value);
    }
  respond_file (m, msg, 429, "application/json; charset=utf-8", "azure/query-error-429.json");
}

static void
handle_azure_token (CuMockCloud *m, SoupServerMessage *msg, GBytes *body, const char *tenant,
                    const Fault *fault, gboolean faulted)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_autoptr(GHashTable) form = soup_form_decode (text);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *sample = testdata (m, "azure/token-response.json");
  g_autofree char *token = NULL, *out = NULL;
  JsonObject *o;

  if (faulted && fault->fault == CU_MOCK_HTTP_500)
    {
      respond (msg, 500, "application/json", "{}", 2);
      return;
    }
  if (g_strcmp0 (tenant, m->az_tenant) != 0)
    {
      respond_file (m, msg, 400, "application/json; charset=utf-8", "azure/token-error-tenant-not-found.json");
      return;
    }
  if (g_strcmp0 (form_value (form, "grant_type"), "client_credentials") != 0 ||
      g_strcmp0 (form_value (form, "scope"), "https://management.azure.com/.default") != 0 ||
      g_strcmp0 (form_value (form, "client_id"), m->az_client) != 0 ||
      g_strcmp0 (form_value (form, "client_secret"), m->az_secret) != 0)
    {
      respond_file (m, msg, 401, "application/json; charset=utf-8", "azure/token-error-invalid-client.json");
      return;
    }
  token = g_strdup_printf ("mock-token-%08x%08x", g_random_int (), g_random_int ());
  g_hash_table_replace (m->az_tokens, g_strdup (token), GINT_TO_POINTER (1));
  json_parser_load_from_data (parser, sample, -1, NULL);
  o = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (o, "access_token", token);
  /* a lifetime no client may believe (fuzzing found the overflow) */
  if (faulted && fault->fault == CU_MOCK_WRONG_SHAPE && fault->param == 0)
    json_object_set_int_member (o, "expires_in", G_MAXINT64);
  /* a token that would split the Authorization header (fuzzing found it) */
  if (faulted && fault->fault == CU_MOCK_WRONG_SHAPE && fault->param == 1)
    json_object_set_string_member (o, "access_token", "eyJ0eXAi\r\nX-Injected: 1");
  out = json_to_string (json_parser_get_root (parser), FALSE);
  count (m, "azure-token-ok");
  respond (msg, 200, "application/json; charset=utf-8", out, strlen (out));
}

static void
handle_azure_query (CuMockCloud *m, SoupServerMessage *msg, GBytes *body, const char *subscription,
                    const Fault *fault, gboolean faulted)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (h, "Authorization");
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) params = g_uri_get_query (uri) ? soup_form_decode (g_uri_get_query (uri)) : NULL;
  const char *skip = form_value (params, "$skiptoken");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) rows_text = NULL;
  JsonObject *in, *tp;
  const char *type, *from, *to;
  gboolean amortized;
  CuDay first, last;
  guint offset = 0, n = 0, page = 40;
  const char *data;
  gsize len;

  if (auth == NULL || !g_str_has_prefix (auth, "Bearer ") || !g_hash_table_contains (m->az_tokens, auth + 7))
    {
      respond_file (m, msg, 401, "application/json; charset=utf-8", "azure/query-error-401.json");
      return;
    }
  if (faulted)
    {
      switch (fault->fault)
        {
        case CU_MOCK_THROTTLE:
        case CU_MOCK_HTTP_429:
          azure_429 (m, msg, fault->param);
          return;
        case CU_MOCK_HTTP_500:
          respond (msg, 500, "application/json", "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"oops\"}}", 58);
          return;
        case CU_MOCK_PAGE_500:
          if (skip)
            {
              respond (msg, 500, "application/json", "{}", 2);
              return;
            }
          break;
        case CU_MOCK_EXPIRED_TOKEN:
          g_hash_table_remove (m->az_tokens, auth + 7);
          respond_file (m, msg, 401, "application/json; charset=utf-8", "azure/query-error-401.json");
          return;
        case CU_MOCK_ACCESS_DENIED:
          respond_file (m, msg, 403, "application/json; charset=utf-8", "azure/query-error-403.json");
          return;
        default:
          break;
        }
    }
  if (g_strcmp0 (subscription, m->az_subscription) != 0)
    {
      respond_file (m, msg, 403, "application/json; charset=utf-8", "azure/query-error-403.json");
      return;
    }
  data = g_bytes_get_data (body, &len);
  if (!json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      respond_file (m, msg, 400, "application/json; charset=utf-8", "azure/query-error-400.json");
      return;
    }
  in = json_node_get_object (json_parser_get_root (parser));
  type = json_object_get_string_member_with_default (in, "type", "");
  tp = json_object_get_object_member (in, "timePeriod");
  from = tp ? json_object_get_string_member_with_default (tp, "from", "") : "";
  to = tp ? json_object_get_string_member_with_default (tp, "to", "") : "";
  amortized = g_str_equal (type, "AmortizedCost");
  if ((!amortized && !g_str_equal (type, "ActualCost")) || !cu_day_parse (from, &first) ||
      !cu_day_parse (to, &last) || last < first)
    {
      respond_file (m, msg, 400, "application/json; charset=utf-8", "azure/query-error-400.json");
      return;
    }
  /* reference §8.2: one query covers at most one year */
  if (last > cu_day_add_months (first, 12) - 1)
    {
      count (m, "azure-query-too-long");
      static const char too_long[] =
        "{\"error\":{\"code\":\"BadRequest\",\"message\":\"Invalid query definition: "
        "The time period for pulling the data cannot exceed 1 year(s)\"}}";
      respond (msg, 400, "application/json; charset=utf-8", too_long, strlen (too_long));
      return;
    }
  if (faulted && fault->fault == CU_MOCK_WRONG_SHAPE)
    {
      static const char * const shapes[] = {
        "{\"id\":\"x\"}",                                          /* no properties */
        "{\"properties\":{\"columns\":{},\"rows\":[]}}",             /* columns not an array */
        "{\"properties\":{\"columns\":[{\"name\":\"Cost\"},{\"name\":\"UsageDate\"},"
        "{\"name\":\"ServiceName\"}],\"rows\":[[1.5,20240501]]}}",   /* a row shorter than its columns */
        "   \n ",                                                     /* whitespace */
      };
      const char *body_text = shapes[fault->param % G_N_ELEMENTS (shapes)];
      respond (msg, 200, "application/json; charset=utf-8", body_text, strlen (body_text));
      return;
    }
  if (skip)
    offset = (guint) g_ascii_strtoull (skip, NULL, 10);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "mock-query");
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "Microsoft.CostManagement/query");
  json_builder_set_member_name (b, "properties");
  json_builder_begin_object (b);
  /* an unusual column order: clients must map by name */
  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  {
    static const char * const cols[][2] = {
      { "UsageDate", "Number" }, { "ServiceName", "String" }, { "Cost", "Number" },
      { "ResourceLocation", "String" }, { "Currency", "String" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
      {
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "name");
        json_builder_add_string_value (b, cols[i][0]);
        json_builder_set_member_name (b, "type");
        json_builder_add_string_value (b, cols[i][1]);
        json_builder_end_object (b);
      }
  }
  json_builder_end_array (b);
  /* JsonBuilder only writes doubles: the rows are written by hand */
  json_builder_set_member_name (b, "rows");
  json_builder_add_string_value (b, "@ROWS@");
  rows_text = g_string_new ("[");
  for (CuDay d = first; d <= last; d++)
    for (guint s = 0; s < G_N_ELEMENTS (az_services); s++)
      for (guint l = 0; l < G_N_ELEMENTS (az_locations); l++)
        {
          gint64 v = az_amount (m, d, s, l, amortized);
          g_autofree char *plain = NULL;
          int y, mo, dd;

          if (v == 0)
            continue;
          if (n++ < offset || n > offset + page)
            continue;
          cu_day_to_ymd (d, &y, &mo, &dd);
          plain = cu_money_format_plain (v, 6);
          /* half a micro-unit more: exact decimals round it up, doubles at random */
          g_string_append_printf (rows_text, "%s[%d,\"%s\",%s5,\"%s\",\"EUR\"]",
                                  rows_text->len > 1 ? "," : "", y * 10000 + mo * 100 + dd,
                                  az_services[s], plain, az_locations[l]);
        }
  g_string_append_c (rows_text, ']');
  json_builder_set_member_name (b, "nextLink");
  if (offset + page < n)
    {
      g_autofree char *next = g_strdup_printf ("%s/subscriptions/%s/providers/Microsoft.CostManagement/query"
                                               "?api-version=2023-03-01&$skiptoken=%u",
                                               m->url, subscription, offset + page);
      json_builder_add_string_value (b, next);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  {
    g_autofree char *skeleton = json_to_string (root, FALSE);
    g_auto(GStrv) parts = g_strsplit (skeleton, "\"@ROWS@\"", 2);
    text = g_strconcat (parts[0], rows_text->str, parts[1], NULL);
  }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "x-ms-ratelimit-microsoft.costmanagement-qpu-remaining", "QueriesPer10Sec:11");
  count (m, "azure-query-ok");
  if (faulted && fault->fault == CU_MOCK_TRUNCATED)
    respond (msg, 200, "application/json; charset=utf-8", text, strlen (text) / 2);
  else
    respond (msg, 200, "application/json; charset=utf-8", text, strlen (text));
}

/* ------------------------------------------------------------- routing */

static gboolean
unpause_cb (gpointer data)
{
  soup_server_message_unpause (data);
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static void
handler_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  CuMockCloud *m = data;
  SoupMessageBody *req_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (req_body);
  SoupMessageHeaders *rh = soup_server_message_get_response_headers (msg);
  const char *authz = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *date = NULL;
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  Fault fault = { 0 };
  gboolean faulted = FALSE;
  const char *api = "other";

  g_mutex_lock (&m->lock);
  now = mock_now (m);
  date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  soup_message_headers_replace (rh, "Date", date);
  soup_message_headers_replace (rh, "x-amzn-RequestId", "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE");

  if (g_str_has_suffix (path, "/oauth2/v2.0/token") && g_strv_length (parts) >= 2)
    {
      api = "azure-token";
      count (m, api);
      faulted = take_fault (m, api, FALSE, &fault);
      if (!(faulted && fault.fault == CU_MOCK_SLOW))
        handle_azure_token (m, msg, body, parts[1], &fault, faulted);
      else
        handle_azure_token (m, msg, body, parts[1], &fault, FALSE);
    }
  else if (strstr (path, "/providers/Microsoft.CostManagement/query") && g_strv_length (parts) >= 3)
    {
      api = "azure-query";
      count (m, api);
      faulted = take_fault (m, api, query && g_hash_table_contains (query, "$skiptoken"), &fault);
      handle_azure_query (m, msg, body, parts[2], &fault, faulted && fault.fault != CU_MOCK_SLOW);
    }
  else if (authz && g_str_has_prefix (authz, "AWS4-HMAC-SHA256 "))
    {
      const char *scope = strstr (authz, "Credential=");
      g_auto(GStrv) sp = scope ? g_strsplit (scope + 11, "/", 5) : NULL;
      const char *service = sp && g_strv_length (sp) >= 4 ? sp[3] : "";
      gboolean json = g_str_equal (service, "ce");
      g_autofree char *key_id = NULL;
      AwsUser *user;

      api = json ? "ce" : service;
      count (m, api);
      user = verify_sigv4 (m, msg, body, service, json, &key_id);
      if (user != NULL)
        {
          gboolean paged = FALSE;

          if (json)
            {
              gsize len;
              const char *text = g_bytes_get_data (body, &len);
              paged = text && g_strstr_len (text, len, "\"NextPageToken\"") != NULL;
            }
          faulted = take_fault (m, api, paged, &fault);
          if (json)
            handle_ce (m, msg, body, &fault, faulted && fault.fault != CU_MOCK_SLOW);
          else if (g_str_equal (service, "sts") || g_str_equal (service, "ec2"))
            handle_query (m, msg, body, service, key_id, user, &fault, faulted && fault.fault != CU_MOCK_SLOW);
          else
            query_error (msg, 400, "UnknownService", "unknown service");
        }
    }
  else
    {
      count (m, "unauthenticated");
      ce_error (m, msg, 403, "MissingAuthenticationTokenException", NULL, "Missing Authentication Token");
    }
  g_mutex_unlock (&m->lock);

  if (faulted && fault.fault == CU_MOCK_SLOW)
    {
      GSource *source = g_timeout_source_new (fault.param);

      soup_server_message_pause (msg);
      g_source_set_callback (source, unpause_cb, g_object_ref (msg), NULL);
      g_source_attach (source, m->context);
      g_source_unref (source);
    }
}

/* ---------------------------------------------------------- lifecycle */

static gpointer
mock_thread (gpointer data)
{
  CuMockCloud *m = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (m->context);
  m->server = soup_server_new ("server-header", "MockCloud", NULL);
  soup_server_add_handler (m->server, NULL, handler_cb, m, NULL);
  if (!soup_server_listen_local (m->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("mock: cannot listen: %s", error->message);
  uris = soup_server_get_uris (m->server);
  m->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&m->lock);
  g_cond_signal (&m->ready);
  g_mutex_unlock (&m->lock);

  g_main_loop_run (m->loop);
  soup_server_disconnect (m->server);
  g_clear_object (&m->server);
  g_main_context_pop_thread_default (m->context);
  return NULL;
}

static void
aws_user_free (gpointer p)
{
  AwsUser *u = p;
  g_free (u->secret);
  g_free (u->token);
  g_free (u->arn);
  g_free (u);
}

static void
fault_free (gpointer p)
{
  Fault *f = p;
  g_free (f->api);
  g_free (f);
}

CuMockCloud *
cu_mock_cloud_new (void)
{
  CuMockCloud *m = g_new0 (CuMockCloud, 1);
  const char *shared = g_getenv ("CUMULUS_SHARED_DIR");

  g_assert (shared != NULL);
  m->testdata = g_build_filename (shared, "testdata", NULL);
  g_mutex_init (&m->lock);
  g_cond_init (&m->ready);
  m->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, aws_user_free);
  m->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  m->faults = g_ptr_array_new_with_free_func (fault_free);
  m->az_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  m->role_duration = 3600;
  m->page_size = 1000;
  m->context = g_main_context_new ();
  m->loop = g_main_loop_new (m->context, FALSE);

  g_mutex_lock (&m->lock);
  m->thread = g_thread_new ("mock-cloud", mock_thread, m);
  while (m->url == NULL)
    g_cond_wait (&m->ready, &m->lock);
  g_mutex_unlock (&m->lock);
  return m;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
cu_mock_cloud_free (CuMockCloud *m)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, quit_cb, m->loop, NULL);
  g_source_attach (source, m->context);
  g_source_unref (source);
  g_thread_join (m->thread);
  g_main_loop_unref (m->loop);
  g_main_context_unref (m->context);
  g_hash_table_unref (m->users);
  g_hash_table_unref (m->counts);
  g_hash_table_unref (m->az_tokens);
  g_ptr_array_unref (m->faults);
  g_free (m->role_arn);
  g_free (m->external_id);
  g_free (m->az_tenant);
  g_free (m->az_client);
  g_free (m->az_secret);
  g_free (m->az_subscription);
  g_free (m->url);
  g_free (m->testdata);
  g_mutex_clear (&m->lock);
  g_cond_clear (&m->ready);
  g_free (m);
}

const char *
cu_mock_cloud_get_url (CuMockCloud *m)
{
  return m->url;
}

void
cu_mock_cloud_add_aws_user (CuMockCloud *m, const char *key_id, const char *secret)
{
  AwsUser *u = g_new0 (AwsUser, 1);

  u->secret = g_strdup (secret);
  g_mutex_lock (&m->lock);
  g_hash_table_replace (m->users, g_strdup (key_id), u);
  g_mutex_unlock (&m->lock);
}

void
cu_mock_cloud_set_role (CuMockCloud *m, const char *role_arn, const char *external_id, guint duration)
{
  g_mutex_lock (&m->lock);
  g_free (m->role_arn);
  g_free (m->external_id);
  m->role_arn = g_strdup (role_arn);
  m->external_id = g_strdup (external_id);
  m->role_duration = duration;
  g_mutex_unlock (&m->lock);
}

void
cu_mock_cloud_set_azure (CuMockCloud *m, const char *tenant, const char *client_id,
                         const char *secret, const char *subscription)
{
  g_mutex_lock (&m->lock);
  g_free (m->az_tenant);
  g_free (m->az_client);
  g_free (m->az_secret);
  g_free (m->az_subscription);
  m->az_tenant = g_strdup (tenant);
  m->az_client = g_strdup (client_id);
  m->az_secret = g_strdup (secret);
  m->az_subscription = g_strdup (subscription);
  g_mutex_unlock (&m->lock);
}

void
cu_mock_cloud_add_fault (CuMockCloud *m, const char *api, CuMockFault fault, guint skip, guint n, guint param)
{
  Fault *f = g_new0 (Fault, 1);

  f->api = g_strdup (api);
  f->fault = fault;
  f->skip = skip;
  f->count = n;
  f->param = param;
  g_mutex_lock (&m->lock);
  g_ptr_array_add (m->faults, f);
  g_mutex_unlock (&m->lock);
}

void
cu_mock_cloud_clear_faults (CuMockCloud *m)
{
  g_mutex_lock (&m->lock);
  g_ptr_array_set_size (m->faults, 0);
  g_mutex_unlock (&m->lock);
}

guint
cu_mock_cloud_count (CuMockCloud *m, const char *what)
{
  guint n;

  g_mutex_lock (&m->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (m->counts, what));
  g_mutex_unlock (&m->lock);
  return n;
}

void
cu_mock_cloud_reset_counts (CuMockCloud *m)
{
  g_mutex_lock (&m->lock);
  g_hash_table_remove_all (m->counts);
  g_mutex_unlock (&m->lock);
}

void
cu_mock_cloud_set_clock_offset (CuMockCloud *m, gint64 seconds)
{
  g_mutex_lock (&m->lock);
  m->clock_offset = seconds;
  g_mutex_unlock (&m->lock);
}

void
cu_mock_cloud_set_version (CuMockCloud *m, int version)
{
  g_mutex_lock (&m->lock);
  m->version = version;
  g_mutex_unlock (&m->lock);
}

void
cu_mock_cloud_set_page_size (CuMockCloud *m, guint groups)
{
  g_mutex_lock (&m->lock);
  m->page_size = MAX (groups, 1);
  g_mutex_unlock (&m->lock);
}

void
cu_mock_cloud_set_credits (CuMockCloud *m, gboolean credits)
{
  g_mutex_lock (&m->lock);
  m->credits = credits;
  g_mutex_unlock (&m->lock);
}

gint64
cu_mock_cloud_aws_cell_total (CuMockCloud *m, CuDay day, const char *service, const char *account,
                              const char *region, gboolean amortized)
{
  gint64 sum = 0;

  g_mutex_lock (&m->lock);
  for (guint s = 0; s < G_N_ELEMENTS (aws_services); s++)
    for (guint a = 0; a < G_N_ELEMENTS (aws_accounts); a++)
      for (guint r = 0; r < G_N_ELEMENTS (aws_regions); r++)
        if ((service == NULL || g_str_equal (service, aws_services[s])) &&
            (account == NULL || g_str_equal (account, aws_accounts[a])) &&
            (region == NULL || g_str_equal (region, aws_regions[r])))
          sum += aws_amount (m, day, s, a, r, amortized);
  g_mutex_unlock (&m->lock);
  return sum;
}

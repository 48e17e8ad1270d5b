/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-aws-client.c — signed calls to AWS */
#define G_LOG_DOMAIN "cumulus-sync"

#include "util/cu-output.h"
#include "providers/aws/cu-aws-client.h"
#include "providers/cu-json-read.h"
#include "providers/aws/cu-sigv4.h"

#include <string.h>

typedef struct {
  char   *access_key_id;
  char   *secret;
  char   *session_token;
  gint64  expires;          /* unix seconds, 0 = never */
} Creds;

struct _CuAwsClient
{
  /* borrowed */
  CuHttp *http;

  /* owned */
  Creds   base;             /* the stored keys */
  Creds   role;             /* assumed-role credentials, when role_arn */
  char   *role_arn;
  char   *external_id;
  char   *endpoint;         /* override base URL, or NULL */
  guint   n_assume;
};

static void
creds_clear (Creds *c)
{
  g_free (c->access_key_id);
  if (c->secret)
    {
      memset (c->secret, 0, strlen (c->secret));
      g_free (c->secret);
    }
  if (c->session_token)
    {
      memset (c->session_token, 0, strlen (c->session_token));
      g_free (c->session_token);
    }
  memset (c, 0, sizeof *c);
}

/* ------------------------------------------------------------ error codes */

static const char * const throttling_codes[] = {
  "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
  "TooManyRequestsException", "ProvisionedThroughputExceededException",
  "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
  "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
  "EC2ThrottledException", NULL
};

static const char * const transient_codes[] = {
  "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
  "InternalError", "InternalFailure", "ServiceUnavailable", NULL
};

gboolean
cu_aws_code_is_throttling (const char *code)
{
  return code != NULL && g_strv_contains (throttling_codes, code);
}

/**
 * cu_aws_error_code_normalize:
 *
 * "com.amazon.foo#LimitExceededException:http://…" → "LimitExceededException",
 * as botocore does: cut at the first ':', keep what follows the last '#'.
 */
char *
cu_aws_error_code_normalize (const char *type)
{
  g_autofree char *t = NULL;
  char *colon, *hash;

  if (type == NULL)
    return NULL;
  t = g_strdup (type);
  colon = strchr (t, ':');
  if (colon)
    *colon = '\0';
  hash = strrchr (t, '#');
  return g_strdup (hash ? hash + 1 : t);
}

/* ------------------------------------------------------------------- XML */

typedef struct {
  GHashTable *values;
  GString    *text;
  char       *current;
} XmlCollect;

static void
xml_start (GMarkupParseContext *ctx, const char *name, const char **an, const char **av,
           gpointer data, GError **error)
{
  XmlCollect *c = data;
  const char *colon = strchr (name, ':');

  g_free (c->current);
  c->current = g_strdup (colon ? colon + 1 : name);
  g_string_truncate (c->text, 0);
}

static void
xml_end (GMarkupParseContext *ctx, const char *name, gpointer data, GError **error)
{
  XmlCollect *c = data;

  /* leaf elements only; the first occurrence wins */
  if (c->current != NULL && !g_hash_table_contains (c->values, c->current))
    g_hash_table_insert (c->values, g_strdup (c->current), g_strdup (g_strstrip (c->text->str)));
  g_clear_pointer (&c->current, g_free);
  g_string_truncate (c->text, 0);
}

static void
xml_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer data, GError **error)
{
  XmlCollect *c = data;

  if (c->current != NULL)
    g_string_append_len (c->text, text, len);
}

/**
 * cu_aws_xml_collect:
 *
 * Parses a Query/EC2 XML answer into leaf element name → text (first
 * occurrence). Enough for STS and error bodies.
 *
 * Returns: (transfer full): the table, or %NULL when the XML is broken
 */
GHashTable *
cu_aws_xml_collect (const char *xml, gssize len, GError **error)
{
  static const GMarkupParser parser = { xml_start, xml_end, xml_text, NULL, NULL };
  XmlCollect c = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
                   g_string_new (NULL), NULL };
  GMarkupParseContext *ctx = g_markup_parse_context_new (&parser, 0, &c, NULL);
  gboolean ok;

  ok = g_markup_parse_context_parse (ctx, xml, len, error) &&
       g_markup_parse_context_end_parse (ctx, error);
  g_markup_parse_context_free (ctx);
  g_string_free (c.text, TRUE);
  g_free (c.current);
  if (!ok)
    {
      g_hash_table_unref (c.values);
      return NULL;
    }
  return c.values;
}

/* --------------------------------------------------------------- calling */

typedef struct {
  CuAwsClient *client;
  const Creds *creds;
  const char  *service;
  const char  *target;       /* JSON only */
  const char  *permission;
  const char  *content_type;
  GBytes      *body;
  gboolean     json;
  /* result */
  JsonNode    *json_result;
  GHashTable  *xml_result;
} Call;

static gboolean
prepare_cb (SoupMessage *msg, gpointer data, GError **error)
{
  Call *call = data;
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = cu_sigv4_format_amz_date (now);
  g_autofree char *host = cu_http_host_header (soup_message_get_uri (msg));
  g_autofree char *authz = NULL;
  const char *names[5], *values[5];
  guint n = 0;
  gsize body_len = 0;
  const guint8 *body = call->body ? g_bytes_get_data (call->body, &body_len) : NULL;
  CuSigv4Request req = { 0 };
  CuSigv4Key key = { 0 };

  soup_message_headers_replace (h, "Host", host);
  soup_message_headers_replace (h, "X-Amz-Date", date);
  names[n] = "Host"; values[n++] = host;
  names[n] = "X-Amz-Date"; values[n++] = date;
  names[n] = "Content-Type"; values[n++] = call->content_type;
  if (call->target)
    {
      soup_message_headers_replace (h, "X-Amz-Target", call->target);
      names[n] = "X-Amz-Target"; values[n++] = call->target;
    }
  if (call->creds->session_token)
    {
      soup_message_headers_replace (h, "X-Amz-Security-Token", call->creds->session_token);
      names[n] = "X-Amz-Security-Token"; values[n++] = call->creds->session_token;
    }

  req.method = soup_message_get_method (msg);
  req.path = g_uri_get_path (soup_message_get_uri (msg));
  req.query = g_uri_get_query (soup_message_get_uri (msg));
  req.header_names = names;
  req.header_values = values;
  req.n_headers = n;
  req.body = body;
  req.body_len = body_len;
  req.normalize_path = TRUE;

  key.access_key_id = call->creds->access_key_id;
  key.secret_access_key = call->creds->secret;
  key.region = CU_AWS_REGION;
  key.service = call->service;
  key.amz_date = date;

  authz = cu_sigv4_authorization (&req, &key, NULL, NULL);
  soup_message_headers_replace (h, "Authorization", authz);
  return TRUE;
}

static gint64
clock_offset (SoupMessageHeaders *headers)
{
  const char *date = headers ? soup_message_headers_get_one (headers, "Date") : NULL;
  g_autoptr(GDateTime) server = date ? soup_date_time_new_from_http_string (date) : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (server == NULL)
    return 0;
  return g_date_time_difference (server, now) / G_TIME_SPAN_SECOND;
}

static const char *
api_name (const char *service)
{
  if (g_str_equal (service, "ce"))
    return "Cost Explorer";
  if (g_str_equal (service, "sts"))
    return "AWS STS";
  return service;
}

static CuHttpVerdict
classify_cb (const CuHttpResponse *resp, gpointer data, GError **error)
{
  Call *call = data;
  gsize len = 0;
  const char *body = resp->body ? g_bytes_get_data (resp->body, &len) : NULL;
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  const char *key_id = call->creds->access_key_id;

  if (resp->status >= 200 && resp->status < 300)
    {
      if (call->json)
        {
          /* empty, whitespace, broken or not an object: all the same to us */
          JsonNode *root = cu_json_parse_object (body, len, NULL);

          if (root == NULL)
            {
              g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                           "%s sent an unexpected answer (not a JSON object)", api_name (call->service));
              return CU_HTTP_RETRY;
            }
          g_clear_pointer (&call->json_result, json_node_unref);
          call->json_result = root;
        }
      else
        {
          g_clear_pointer (&call->xml_result, g_hash_table_unref);
          call->xml_result = body ? cu_aws_xml_collect (body, len, NULL) : NULL;
          if (call->xml_result == NULL)
            {
              g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                           "%s sent an incomplete or broken answer", api_name (call->service));
              return CU_HTTP_RETRY;
            }
        }
      return CU_HTTP_DONE;
    }

  /* error answer: JSON {"__type", "message"} or XML <Code>/<Message> */
  if (body != NULL && len > 0)
    {
      if (body[0] == '{')
        {
          g_autoptr(JsonNode) root = cu_json_parse_object (body, len, NULL);
          JsonObject *o = cu_json_node_object (root);

          if (o != NULL)
            {
              const char *m = cu_json_get_string (o, "message");

              code = cu_aws_error_code_normalize (cu_json_get_string (o, "__type"));
              message = g_strdup (m ? m : cu_json_get_string (o, "Message"));
            }
        }
      else
        {
          g_autoptr(GHashTable) x = cu_aws_xml_collect (body, len, NULL);

          if (x != NULL)
            {
              code = g_strdup (g_hash_table_lookup (x, "Code"));
              message = g_strdup (g_hash_table_lookup (x, "Message"));
            }
        }
    }
  if (code == NULL && resp->headers)
    code = cu_aws_error_code_normalize (soup_message_headers_get_one (resp->headers, "x-amzn-ErrorType"));
  if (message == NULL)
    message = g_strdup ("no details given");

  if (resp->status == 429 || cu_aws_code_is_throttling (code))
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_THROTTLED,
                   "%s is throttling requests (%s)", api_name (call->service), code ? code : "HTTP 429");
      return CU_HTTP_RETRY;
    }
  if (resp->status >= 500 || (code && g_strv_contains (transient_codes, code)))
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_SERVER,
                   "%s had an internal error (HTTP %u%s%s)", api_name (call->service), resp->status,
                   code ? ", " : "", code ? code : "");
      return CU_HTTP_RETRY;
    }

  if (code == NULL)
    code = g_strdup_printf ("HTTP %u", resp->status);

  if (g_str_equal (code, "ExpiredToken") || g_str_equal (code, "ExpiredTokenException"))
    g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_EXPIRED_TOKEN,
                 "The AWS session token has expired. Temporary credentials last only hours: "
                 "store fresh ones with “cumulus-cli account add”, or use long-lived keys or a role.");
  else if (g_str_equal (code, "InvalidClientTokenId") || g_str_equal (code, "UnrecognizedClientException") ||
           g_str_equal (code, "AuthFailure"))
    g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_UNKNOWN_KEY,
                 "AWS does not recognise the access key id %s. Check that it was typed correctly "
                 "and that the key has not been deleted or deactivated in IAM.", key_id);
  else if (g_str_equal (code, "RequestTimeTooSkewed") || g_str_equal (code, "RequestExpired") ||
           ((g_str_equal (code, "SignatureDoesNotMatch") || g_str_equal (code, "InvalidSignatureException")) &&
            (ABS (clock_offset (resp->headers)) > 300 || strstr (message, "Signature expired") != NULL)))
    {
      gint64 off = clock_offset (resp->headers);
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CLOCK_SKEW,
                   "This computer’s clock is %s by about %" G_GINT64_FORMAT " minutes compared with AWS; "
                   "AWS only accepts requests signed within 5 minutes of its time. Set the clock "
                   "(turn on automatic date and time) and try again.",
                   off > 0 ? "behind" : "ahead", ABS (off) / 60);
    }
  else if (g_str_equal (code, "SignatureDoesNotMatch") || g_str_equal (code, "InvalidSignatureException"))
    g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_BAD_SECRET,
                 "The secret access key does not belong to access key id %s (AWS rejected the "
                 "request signature). Enter the secret again.", key_id);
  else if (g_str_equal (code, "AccessDenied") || g_str_equal (code, "AccessDeniedException") ||
           g_str_equal (code, "UnauthorizedOperation") || g_str_equal (code, "AuthorizationError"))
    g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_ACCESS_DENIED,
                 "Access denied: the credentials lack the IAM permission “%s”. Add it to the "
                 "user’s or role’s policy%s.", call->permission ? call->permission : "for this call",
                 call->target == NULL && g_str_equal (call->service, "sts") && call->permission &&
                 g_str_equal (call->permission, "sts:AssumeRole")
                   ? ", and check that the role’s trust policy names this user and the external id" : "");
  else
    g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_API,
                 "%s refused the request: %s (%s)", api_name (call->service), message, code);
  return CU_HTTP_FAIL;
}

static char *
endpoint_for (CuAwsClient *self, const char *service)
{
  if (self->endpoint)
    return g_strdup (self->endpoint);
  return g_strdup_printf ("https://%s.%s.amazonaws.com/", service, CU_AWS_REGION);
}

static gboolean
send_call (CuAwsClient *self, Call *call, guint *n_sent, GCancellable *cancellable, GError **error)
{
  g_autofree char *url = endpoint_for (self, call->service);
  g_autoptr(CuHttpResponse) resp = NULL;
  CuHttpRequest req = { 0 };

  req.method = "POST";
  req.url = url;
  req.content_type = call->content_type;
  req.body = call->body;
  req.prepare = prepare_cb;
  req.classify = classify_cb;
  req.user_data = call;
  req.n_sent = n_sent;
  resp = cu_http_send (self->http, &req, cancellable, error);
  return resp != NULL;
}

static gboolean
parse_iso_time (const char *text, gint64 *out)
{
  g_autoptr(GDateTime) dt = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

static gboolean
do_assume (CuAwsClient *self, GCancellable *cancellable, GError **error)
{
  g_autoptr(GString) form = g_string_new ("Action=AssumeRole&Version=2011-06-15&RoleArn=");
  g_autofree char *session = g_strdup_printf ("cumulus-%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  Call call = { 0 };
  gboolean ok;
  const char *id, *secret, *token, *exp;

  g_string_append_uri_escaped (form, self->role_arn, NULL, FALSE);
  g_string_append (form, "&RoleSessionName=");
  g_string_append_uri_escaped (form, session, NULL, FALSE);
  if (self->external_id && *self->external_id)
    {
      g_string_append (form, "&ExternalId=");
      g_string_append_uri_escaped (form, self->external_id, NULL, FALSE);
    }
  g_string_append (form, "&DurationSeconds=3600");

  call.client = self;
  call.creds = &self->base;
  call.service = "sts";
  call.permission = "sts:AssumeRole";
  call.content_type = "application/x-www-form-urlencoded; charset=utf-8";
  call.body = g_bytes_new (form->str, form->len);
  ok = send_call (self, &call, NULL, cancellable, error);
  g_bytes_unref (call.body);
  if (!ok)
    {
      g_clear_pointer (&call.xml_result, g_hash_table_unref);
      if (error && *error && (*error)->domain == CU_PROVIDER_ERROR &&
          (*error)->code == CU_PROVIDER_ERROR_ACCESS_DENIED)
        {
          g_autofree char *msg = g_strdup_printf ("Cannot assume the role %s: %s", self->role_arn,
                                                  (*error)->message);
          g_free ((*error)->message);
          (*error)->message = g_steal_pointer (&msg);
        }
      return FALSE;
    }

  id = g_hash_table_lookup (call.xml_result, "AccessKeyId");
  secret = g_hash_table_lookup (call.xml_result, "SecretAccessKey");
  token = g_hash_table_lookup (call.xml_result, "SessionToken");
  exp = g_hash_table_lookup (call.xml_result, "Expiration");
  creds_clear (&self->role);
  if (!cu_http_is_token (id) || !cu_http_is_token (secret) || !cu_http_is_token (token) ||
      !parse_iso_time (exp, &self->role.expires))
    {
      g_hash_table_unref (call.xml_result);
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                   "AWS STS answered AssumeRole without usable credentials");
      return FALSE;
    }
  self->role.access_key_id = g_strdup (id);
  self->role.secret = g_strdup (secret);
  self->role.session_token = g_strdup (token);
  self->n_assume++;
  /* the table holds the temporary secret: wipe before freeing */
  {
    char *s = g_hash_table_lookup (call.xml_result, "SecretAccessKey");
    char *t = g_hash_table_lookup (call.xml_result, "SessionToken");
    memset (s, 0, strlen (s));
    memset (t, 0, strlen (t));
  }
  g_hash_table_unref (call.xml_result);
  g_debug ("assumed %s until %" G_GINT64_FORMAT, self->role_arn, self->role.expires);
  return TRUE;
}

/* Returns the credentials to sign with, renewing role credentials early. */
static const Creds *
current_creds (CuAwsClient *self, GCancellable *cancellable, GError **error)
{
  if (self->role_arn == NULL)
    return &self->base;
  if (self->role.access_key_id == NULL ||
      g_get_real_time () / G_USEC_PER_SEC + CU_AWS_RENEW_MARGIN_S >= self->role.expires)
    {
      if (!do_assume (self, cancellable, error))
        return NULL;
    }
  return &self->role;
}

static gboolean
call_with_creds (CuAwsClient *self, Call *call, guint *n_sent, GCancellable *cancellable, GError **error)
{
  g_autoptr(GError) local = NULL;

  call->creds = current_creds (self, cancellable, error);
  if (call->creds == NULL)
    return FALSE;
  if (send_call (self, call, n_sent, cancellable, &local))
    return TRUE;
  /* role credentials can be revoked or expire early: renew once */
  if (self->role_arn != NULL &&
      g_error_matches (local, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_EXPIRED_TOKEN))
    {
      g_clear_error (&local);
      creds_clear (&self->role);
      call->creds = current_creds (self, cancellable, error);
      if (call->creds == NULL)
        return FALSE;
      return send_call (self, call, n_sent, cancellable, error);
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* ------------------------------------------------------------ public API */

/**
 * cu_aws_client_new:
 * @http: (transfer none): the thread's transport; must outlive the client
 * @session_token: (nullable)
 *
 * Returns: (transfer full): a client signing with these keys; the strings
 *   are copied and wiped on free
 */
CuAwsClient *
cu_aws_client_new (CuHttp     *http,
                   const char *access_key_id,
                   const char *secret_access_key,
                   const char *session_token)
{
  CuAwsClient *self;

  g_return_val_if_fail (http != NULL && access_key_id != NULL && secret_access_key != NULL, NULL);

  self = g_new0 (CuAwsClient, 1);
  self->http = http;
  self->base.access_key_id = g_strdup (access_key_id);
  self->base.secret = g_strdup (secret_access_key);
  self->base.session_token = session_token && *session_token ? g_strdup (session_token) : NULL;
  cu_aws_client_set_endpoint (self, NULL, NULL);
  return self;
}

void
cu_aws_client_free (CuAwsClient *self)
{
  if (self == NULL)
    return;
  creds_clear (&self->base);
  creds_clear (&self->role);
  g_free (self->role_arn);
  g_free (self->external_id);
  g_free (self->endpoint);
  g_free (self);
}

/**
 * cu_aws_client_set_endpoint:
 * @base_url: (nullable): override, or %NULL for $CUMULUS_AWS_ENDPOINT / AWS
 */
gboolean
cu_aws_client_set_endpoint (CuAwsClient  *self,
                            const char   *base_url,
                            GError      **error)
{
  g_clear_pointer (&self->endpoint, g_free);
  if (base_url == NULL)
    base_url = g_getenv ("CUMULUS_AWS_ENDPOINT");
  if (base_url == NULL || *base_url == '\0')
    return TRUE;
  if (!cu_http_check_base_url (base_url, error))
    return FALSE;
  self->endpoint = g_str_has_suffix (base_url, "/") ? g_strdup (base_url)
                                                     : g_strconcat (base_url, "/", NULL);
  return TRUE;
}

/**
 * cu_aws_client_assume_role:
 * @external_id: (nullable)
 *
 * From now on the client signs with the role's temporary credentials and
 * renews them before they expire.
 */
gboolean
cu_aws_client_assume_role (CuAwsClient   *self,
                           const char    *role_arn,
                           const char    *external_id,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (self != NULL && role_arn != NULL, FALSE);

  g_free (self->role_arn);
  g_free (self->external_id);
  self->role_arn = g_strdup (role_arn);
  self->external_id = g_strdup (external_id);
  creds_clear (&self->role);
  return current_creds (self, cancellable, error) != NULL;
}

guint
cu_aws_client_get_n_assume (CuAwsClient *self)
{
  return self->n_assume;
}

/**
 * cu_aws_client_call_json:
 * @service: signing name, e.g. "ce"
 * @target: X-Amz-Target, e.g. "AWSInsightsIndexService.GetCostAndUsage"
 * @permission: the IAM action, named when access is denied
 * @n_sent: (nullable): += requests that reached the service
 *
 * Returns: (transfer full): the answer object
 */
JsonNode *
cu_aws_client_call_json (CuAwsClient   *self,
                         const char    *service,
                         const char    *target,
                         const char    *permission,
                         JsonNode      *input,
                         guint         *n_sent,
                         GCancellable  *cancellable,
                         GError       **error)
{
  Call call = { 0 };
  char *text;
  gsize len;
  gboolean ok;

  /* the one JSON writer: it escapes what json-glib 1.6 leaves raw */
  text = cu_output_json_to_string (input, CU_JSON_COMPACT);
  len = strlen (text);

  call.client = self;
  call.service = service;
  call.target = target;
  call.permission = permission;
  call.content_type = "application/x-amz-json-1.1";
  call.body = g_bytes_new_take (text, len);
  call.json = TRUE;
  ok = call_with_creds (self, &call, n_sent, cancellable, error);
  g_bytes_unref (call.body);
  if (!ok)
    {
      g_clear_pointer (&call.json_result, json_node_unref);
      return NULL;
    }
  return call.json_result;
}

/**
 * cu_aws_client_call_query:
 * @form_body: "Action=…&Version=…&…", already encoded
 *
 * Returns: (transfer full): leaf element → text of the XML answer
 */
GHashTable *
cu_aws_client_call_query (CuAwsClient   *self,
                          const char    *service,
                          const char    *form_body,
                          const char    *permission,
                          guint         *n_sent,
                          GCancellable  *cancellable,
                          GError       **error)
{
  Call call = { 0 };
  gboolean ok;

  call.client = self;
  call.service = service;
  call.permission = permission;
  call.content_type = "application/x-www-form-urlencoded; charset=utf-8";
  call.body = g_bytes_new (form_body, strlen (form_body));
  ok = call_with_creds (self, &call, n_sent, cancellable, error);
  g_bytes_unref (call.body);
  if (!ok)
    {
      g_clear_pointer (&call.xml_result, g_hash_table_unref);
      return NULL;
    }
  return call.xml_result;
}

/**
 * cu_aws_client_get_caller_identity:
 *
 * STS GetCallerIdentity: needs no IAM permission, so it tests the
 * credentials themselves.
 */
gboolean
cu_aws_client_get_caller_identity (CuAwsClient   *self,
                                   char         **out_arn,
                                   char         **out_account,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  g_autoptr(GHashTable) x = cu_aws_client_call_query (self, "sts",
                                                      "Action=GetCallerIdentity&Version=2011-06-15",
                                                      "sts:GetCallerIdentity", NULL,
                                                      cancellable, error);
  if (x == NULL)
    return FALSE;
  if (out_arn)
    *out_arn = g_strdup (g_hash_table_lookup (x, "Arn"));
  if (out_account)
    *out_account = g_strdup (g_hash_table_lookup (x, "Account"));
  return TRUE;
}

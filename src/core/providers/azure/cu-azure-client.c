/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-azure-client.c — Azure token + Cost Management query */
#define G_LOG_DOMAIN "cumulus-sync"

#include "providers/azure/cu-azure-client.h"
#include "providers/cu-json-read.h"

#include <string.h>

struct _CuAzureClient
{
  /* borrowed */
  CuHttp *http;

  /* owned */
  char   *tenant;
  char   *client_id;
  char   *secret;
  char   *token;
  gint64  token_expires;   /* unix seconds */
  char   *management;      /* base URL without trailing slash */
  char   *login;
};

static void
wipe_free (char *s)
{
  if (s)
    {
      memset (s, 0, strlen (s));
      g_free (s);
    }
}

static char *
base_url (const char *given, const char *env, const char *fallback, GError **error)
{
  const char *url = given ? given : g_getenv (env);

  if (url == NULL || *url == '\0')
    url = fallback;
  else if (!cu_http_check_base_url (url, error))
    return NULL;
  return g_str_has_suffix (url, "/") ? g_strndup (url, strlen (url) - 1) : g_strdup (url);
}

/**
 * cu_azure_client_new:
 *
 * Returns: (transfer full): a client; the secret is copied and wiped on free
 */
CuAzureClient *
cu_azure_client_new (CuHttp     *http,
                     const char *tenant,
                     const char *client_id,
                     const char *client_secret)
{
  CuAzureClient *self = g_new0 (CuAzureClient, 1);

  self->http = http;
  self->tenant = g_strdup (tenant);
  self->client_id = g_strdup (client_id);
  self->secret = g_strdup (client_secret);
  cu_azure_client_set_endpoints (self, NULL, NULL, NULL);
  return self;
}

void
cu_azure_client_free (CuAzureClient *self)
{
  if (self == NULL)
    return;
  g_free (self->tenant);
  g_free (self->client_id);
  wipe_free (self->secret);
  wipe_free (self->token);
  g_free (self->management);
  g_free (self->login);
  g_free (self);
}

gboolean
cu_azure_client_set_endpoints (CuAzureClient  *self,
                               const char     *management,
                               const char     *login,
                               GError        **error)
{
  char *m = base_url (management, "CUMULUS_AZURE_ENDPOINT", "https://management.azure.com", error);
  char *l = m ? base_url (login, "CUMULUS_AZURE_LOGIN_ENDPOINT", "https://login.microsoftonline.com", error) : NULL;

  if (m == NULL || l == NULL)
    {
      g_free (m);
      return FALSE;
    }
  g_free (self->management);
  g_free (self->login);
  self->management = m;
  self->login = l;
  return TRUE;
}

/* ----------------------------------------------------------------- token */

typedef struct {
  CuAzureClient *self;
  JsonNode      *result;
} TokenCall;

static CuHttpVerdict
token_classify_cb (const CuHttpResponse *resp, gpointer data, GError **error)
{
  TokenCall *call = data;
  CuAzureClient *self = call->self;
  gsize len = 0;
  const char *body = resp->body ? g_bytes_get_data (resp->body, &len) : NULL;
  g_autoptr(JsonNode) root = cu_json_parse_object (body, len, NULL);
  JsonObject *o = cu_json_node_object (root);
  JsonArray *codes;
  const char *err;
  gint64 aadsts = 0;

  if (resp->status >= 200 && resp->status < 300)
    {
      const char *token = cu_json_get_string (o, "access_token");

      if (!cu_http_is_token (token))
        {
          g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                       "Microsoft Entra ID sent an incomplete or broken token answer");
          return CU_HTTP_RETRY;
        }
      g_clear_pointer (&call->result, json_node_unref);
      call->result = g_steal_pointer (&root);
      return CU_HTTP_DONE;
    }
  if (resp->status == 429 || resp->status >= 500)
    {
      g_set_error (error, CU_PROVIDER_ERROR,
                   resp->status == 429 ? CU_PROVIDER_ERROR_THROTTLED : CU_PROVIDER_ERROR_SERVER,
                   "Microsoft Entra ID could not issue a token (HTTP %u)", resp->status);
      return CU_HTTP_RETRY;
    }

  err = cu_json_get_string (o, "error");
  if (err == NULL)
    err = "";
  codes = cu_json_get_array (o, "error_codes");
  if (codes && json_array_get_length (codes) > 0)
    {
      JsonNode *first = json_array_get_element (codes, 0);

      if (JSON_NODE_TYPE (first) == JSON_NODE_VALUE && json_node_get_value_type (first) == G_TYPE_INT64)
        aadsts = json_node_get_int (first);
    }

  switch (aadsts)
    {
    case 7000215:
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_BAD_SECRET,
                   "The client secret is wrong for application (client) id %s. Use the secret’s "
                   "value, not its id, and enter it again.", self->client_id);
      break;
    case 7000222:
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_EXPIRED_TOKEN,
                   "The client secret of application %s has expired. Create a new secret in "
                   "Microsoft Entra ID and enter it again.", self->client_id);
      break;
    case 700016:
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_UNKNOWN_KEY,
                   "Tenant %s has no application with client id %s. Check the client id and tenant.",
                   self->tenant, self->client_id);
      break;
    case 90002:
    case 900023:
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_UNKNOWN_KEY,
                   "Microsoft Entra ID does not know the tenant “%s”. Check the tenant id.", self->tenant);
      break;
    default:
      if (g_str_equal (err, "invalid_client"))
        g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_BAD_SECRET,
                     "Microsoft Entra ID rejected the client id %s or its secret. Check both.",
                     self->client_id);
      else
        g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_API,
                     "Microsoft Entra ID refused the token request (%s, AADSTS%" G_GINT64_FORMAT ")",
                     *err ? err : "no details", aadsts);
    }
  return CU_HTTP_FAIL;
}

/**
 * cu_azure_client_get_token:
 *
 * Fetches (or keeps) a client-credentials token for management.azure.com.
 */
gboolean
cu_azure_client_get_token (CuAzureClient  *self,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_autofree char *url = NULL;
  g_autoptr(GString) form = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(CuHttpResponse) resp = NULL;
  CuHttpRequest req = { 0 };
  TokenCall call = { self, NULL };
  JsonObject *o;
  gint64 expires_in;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (self->token && now + 300 < self->token_expires)
    return TRUE;

  url = g_strdup_printf ("%s/%s/oauth2/v2.0/token", self->login, self->tenant);
  form = g_string_new ("grant_type=client_credentials&client_id=");
  g_string_append_uri_escaped (form, self->client_id, NULL, FALSE);
  g_string_append (form, "&scope=");
  g_string_append_uri_escaped (form, "https://management.azure.com/.default", NULL, FALSE);
  g_string_append (form, "&client_secret=");
  g_string_append_uri_escaped (form, self->secret, NULL, FALSE);
  body = g_bytes_new (form->str, form->len);
  memset (form->str, 0, form->len);

  req.method = "POST";
  req.url = url;
  req.content_type = "application/x-www-form-urlencoded";
  req.body = body;
  req.classify = token_classify_cb;
  req.user_data = &call;
  resp = cu_http_send (self->http, &req, cancellable, error);
  if (resp == NULL)
    {
      g_clear_pointer (&call.result, json_node_unref);
      return FALSE;
    }
  o = cu_json_node_object (call.result);
  wipe_free (self->token);
  self->token = g_strdup (cu_json_get_string (o, "access_token"));
  /* from the network: a lifetime outside a minute to a day is not believed */
  if (!cu_json_get_int (o, "expires_in", &expires_in))
    expires_in = 3599;
  self->token_expires = now + CLAMP (expires_in, 60, 86400);
  json_node_unref (call.result);
  return TRUE;
}

/* ----------------------------------------------------------------- query */

typedef struct {
  CuAzureClient *self;
  const char    *scope;
  JsonNode      *result;
} QueryCall;

static gboolean
query_prepare_cb (SoupMessage *msg, gpointer data, GError **error)
{
  QueryCall *call = data;
  g_autofree char *auth = g_strconcat ("Bearer ", call->self->token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  memset (auth, 0, strlen (auth));
  return TRUE;
}

/**
 * cu_azure_parse_answer:
 * @body: (array length=len): a Cost Management query answer
 *
 * Parses a query answer with every JSON number turned into a string of the
 * same text (cu_json_numbers_to_strings()), so that costs reach
 * cu_money_parse() as the exact decimals Azure wrote, and checks its shape:
 * an object whose "properties" is an object, with "columns" and "rows"
 * arrays when present and "nextLink" a string or null.
 *
 * Returns: (transfer full): the answer, or %NULL with an
 *   CU_PROVIDER_ERROR_INVALID_RESPONSE @error
 */
JsonNode *
cu_azure_parse_answer (const char  *body,
                       gsize        len,
                       GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *props;
  gsize text_len = 0;

  if (body == NULL || len == 0)
    goto invalid;
  text = cu_json_numbers_to_strings (body, len, &text_len);
  root = cu_json_parse_object (text, text_len, NULL);
  props = cu_json_get_object (cu_json_node_object (root), "properties");
  if (props == NULL)
    goto invalid;
  if ((json_object_has_member (props, "columns") && cu_json_get_array (props, "columns") == NULL) ||
      (json_object_has_member (props, "rows") && cu_json_get_array (props, "rows") == NULL) ||
      (json_object_has_member (props, "nextLink") && cu_json_get_string (props, "nextLink") == NULL &&
       !json_node_is_null (json_object_get_member (props, "nextLink"))))
    goto invalid;
  return g_steal_pointer (&root);

invalid:
  g_set_error_literal (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                       "Azure Cost Management sent an unexpected answer");
  return NULL;
}

static CuHttpVerdict
query_classify_cb (const CuHttpResponse *resp, gpointer data, GError **error)
{
  QueryCall *call = data;
  gsize len = 0;
  const char *body = resp->body ? g_bytes_get_data (resp->body, &len) : NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o, *e;
  const char *code = NULL, *message = NULL;

  if (resp->status == 204)
    {
      call->result = NULL;
      return CU_HTTP_DONE;
    }
  if (resp->status >= 200 && resp->status < 300)
    {
      g_clear_pointer (&call->result, json_node_unref);
      call->result = cu_azure_parse_answer (body, len, error);
      /* a cut-off answer may be whole the next time */
      return call->result ? CU_HTTP_DONE : CU_HTTP_RETRY;
    }

  root = cu_json_parse_object (body, len, NULL);
  o = cu_json_node_object (root);
  e = cu_json_get_object (o, "error");
  code = cu_json_get_string (e, "code");
  message = cu_json_get_string (e, "message");
  if (code == NULL)
    code = "";
  if (message == NULL)
    message = "no details given";

  if (resp->status == 429 || resp->status == 503 || resp->status >= 500)
    {
      g_set_error (error, CU_PROVIDER_ERROR,
                   resp->status == 429 ? CU_PROVIDER_ERROR_THROTTLED : CU_PROVIDER_ERROR_SERVER,
                   "Azure Cost Management %s (HTTP %u)",
                   resp->status == 429 ? "is throttling queries" : "had an internal error", resp->status);
      return CU_HTTP_RETRY;
    }
  if (resp->status == 401)
    g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_EXPIRED_TOKEN,
                 "Azure did not accept the access token (%s)", *code ? code : "HTTP 401");
  else if (resp->status == 403)
    g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_ACCESS_DENIED,
                 "Access denied: the service principal lacks the permission "
                 "“Microsoft.CostManagement/query/action” on %s. Give it the Cost Management "
                 "Reader role on that scope.", call->scope);
  else
    g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_API,
                 "Azure Cost Management refused the query: %s (%s)", message, *code ? code : "HTTP error");
  return CU_HTTP_FAIL;
}

static JsonNode *
post_query (CuAzureClient *self, const char *url, const char *scope, GBytes *body,
            guint *n_sent, GCancellable *cancellable, GError **error)
{
  QueryCall call = { self, scope, NULL };
  g_autoptr(CuHttpResponse) resp = NULL;
  CuHttpRequest req = { 0 };

  if (!cu_azure_client_get_token (self, cancellable, error))
    return NULL;
  req.method = "POST";
  req.url = url;
  req.content_type = "application/json";
  req.body = body;
  req.prepare = query_prepare_cb;
  req.classify = query_classify_cb;
  req.user_data = &call;
  req.n_sent = n_sent;
  resp = cu_http_send (self->http, &req, cancellable, error);
  if (resp == NULL)
    g_clear_pointer (&call.result, json_node_unref);
  else if (call.result == NULL)
    call.result = json_from_string ("{\"properties\":{\"columns\":[],\"rows\":[]}}", NULL);
  return call.result;
}

/* nextLink comes from the server: follow it only to the same origin */
static gboolean
same_origin (const char *a, const char *b)
{
  g_autoptr(GUri) ua = g_uri_parse (a, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) ub = g_uri_parse (b, G_URI_FLAGS_NONE, NULL);

  return ua && ub && g_ascii_strcasecmp (g_uri_get_scheme (ua), g_uri_get_scheme (ub)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (ua), g_uri_get_host (ub)) == 0 &&
         g_uri_get_port (ua) == g_uri_get_port (ub);
}

/**
 * cu_azure_client_query:
 * @scope: e.g. "subscriptions/<id>"
 * @n_sent: (nullable): += query requests made
 *
 * POSTs @body and follows properties.nextLink with the same body.
 */
gboolean
cu_azure_client_query (CuAzureClient    *self,
                       const char       *scope,
                       JsonNode         *body,
                       CuAzurePageFunc   func,
                       gpointer          user_data,
                       guint            *n_sent,
                       GCancellable     *cancellable,
                       GError          **error)
{
  g_autofree char *url = g_strdup_printf ("%s/%s/providers/Microsoft.CostManagement/query?api-version=2023-03-01",
                                          self->management, scope);
  g_autofree char *first_url = g_strdup (url);
  g_autoptr(GBytes) bytes = NULL;
  gsize len;
  char *text = json_to_string (body, FALSE);

  len = strlen (text);
  bytes = g_bytes_new_take (text, len);

  while (url != NULL)
    {
      g_autoptr(JsonNode) page = NULL;
      g_autoptr(GError) local = NULL;
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      JsonObject *props;
      JsonArray *columns, *rows;
      const char *next;

      page = post_query (self, url, scope, bytes, n_sent, cancellable, &local);
      if (page == NULL && g_error_matches (local, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_EXPIRED_TOKEN))
        {
          /* the token may have been revoked or expired early: renew once */
          g_clear_error (&local);
          self->token_expires = 0;
          page = post_query (self, url, scope, bytes, n_sent, cancellable, &local);
        }
      if (page == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      props = cu_json_get_object (cu_json_node_object (page), "properties");
      columns = cu_json_get_array (props, "columns");
      rows = cu_json_get_array (props, "rows");
      if (props == NULL)
        {
          g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                       "Azure Cost Management sent an unexpected answer");
          return FALSE;
        }
      for (guint i = 0; columns && i < json_array_get_length (columns); i++)
        {
          const char *name = cu_json_get_string (cu_json_node_object (json_array_get_element (columns, i)), "name");

          if (name == NULL)
            {
              g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                           "Azure Cost Management sent an unexpected answer (a column without a name)");
              return FALSE;
            }
          g_ptr_array_add (names, (gpointer) name);
        }
      g_ptr_array_add (names, NULL);
      if (rows && json_array_get_length (rows) > 0 && !func ((const char * const *) names->pdata, rows, user_data, error))
        return FALSE;

      next = cu_json_get_string (props, "nextLink");
      g_free (url);
      url = NULL;
      if (next && *next)
        {
          if (!same_origin (next, first_url))
            {
              g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                           "Azure Cost Management pointed the next page to another server; stopped");
              return FALSE;
            }
          url = g_strdup (next);
        }
    }
  return TRUE;
}

/**
 * cu_azure_build_query:
 * @type: "ActualCost" or "AmortizedCost"
 *
 * Returns: (transfer full): a daily query grouped by ServiceName and
 *   ResourceLocation for [first_day, last_day]
 */
JsonNode *
cu_azure_build_query (const char *type,
                      CuDay       first_day,
                      CuDay       last_day)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *from = NULL, *to = NULL;
  char f[11], l[11];

  cu_day_format (first_day, f);
  cu_day_format (last_day, l);
  from = g_strdup_printf ("%sT00:00:00+00:00", f);
  to = g_strdup_printf ("%sT23:59:59+00:00", l);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "timeframe");
  json_builder_add_string_value (b, "Custom");
  json_builder_set_member_name (b, "timePeriod");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "from");
  json_builder_add_string_value (b, from);
  json_builder_set_member_name (b, "to");
  json_builder_add_string_value (b, to);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "dataset");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "granularity");
  json_builder_add_string_value (b, "Daily");
  json_builder_set_member_name (b, "aggregation");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "totalCost");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "Cost");
  json_builder_set_member_name (b, "function");
  json_builder_add_string_value (b, "Sum");
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "grouping");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "Dimension");
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "ServiceName");
  json_builder_end_object (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "Dimension");
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "ResourceLocation");
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

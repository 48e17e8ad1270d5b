/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-http.c — HTTPS transport with retries
 *
 * Messages never include request bodies or headers: those carry signatures,
 * tokens and (for the Azure token call) the client secret.
 */
#define G_LOG_DOMAIN "cumulus-sync"

#include "providers/cu-http.h"

#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (cu-provider-error-quark, cu_provider_error)

struct _CuHttp
{
  SoupSession *session;
  guint        timeout;
  guint        max_attempts;
  guint        backoff_ms;
  guint        max_retry_after;
  guint        n_sent;
};

static guint
env_uint (const char *name, guint fallback, guint min, guint max)
{
  const char *v = g_getenv (name);
  guint64 n;

  if (v == NULL || !g_ascii_string_to_unsigned (v, 10, min, max, &n, NULL))
    return fallback;
  return (guint) n;
}

static const char *
env_first (const char * const *names)
{
  for (guint i = 0; names[i]; i++)
    {
      const char *v = g_getenv (names[i]);
      if (v != NULL && *v != '\0')
        return v;
    }
  return NULL;
}

static GProxyResolver *
proxy_from_env (void)
{
  static const char * const https_names[] = { "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", NULL };
  static const char * const http_names[] = { "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY", NULL };
  static const char * const no_names[] = { "no_proxy", "NO_PROXY", NULL };
  const char *https = env_first (https_names);
  const char *http = env_first (http_names);
  const char *no = env_first (no_names);
  g_autoptr(GStrvBuilder) ignore = NULL;
  g_auto(GStrv) ignore_hosts = NULL;
  GProxyResolver *resolver;

  if (https == NULL && http == NULL)
    return NULL;

  ignore = g_strv_builder_new ();
  g_strv_builder_add_many (ignore, "localhost", "127.0.0.0/8", "::1", NULL);
  if (no != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (no, ",", -1);
      for (guint i = 0; parts[i]; i++)
        {
          g_strstrip (parts[i]);
          if (*parts[i])
            g_strv_builder_add (ignore, parts[i][0] == '.' ? parts[i] + 1 : parts[i]);
        }
    }
  ignore_hosts = g_strv_builder_end (ignore);
  resolver = g_simple_proxy_resolver_new (https ? https : http, ignore_hosts);
  if (http != NULL)
    g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "http", http);
  if (https != NULL)
    g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "https", https);
  return resolver;
}

/**
 * cu_http_new:
 *
 * Returns: (transfer full): a transport with its own SoupSession; use it from
 *   one thread only
 */
CuHttp *
cu_http_new (void)
{
  CuHttp *self = g_new0 (CuHttp, 1);
  g_autoptr(GProxyResolver) proxy = proxy_from_env ();

  self->timeout = env_uint ("CUMULUS_HTTP_TIMEOUT", 60, 1, 3600);
  self->max_attempts = env_uint ("CUMULUS_HTTP_MAX_ATTEMPTS", 5, 1, 20);
  self->backoff_ms = env_uint ("CUMULUS_HTTP_BACKOFF_MS", 500, 0, 60000);
  self->max_retry_after = env_uint ("CUMULUS_HTTP_MAX_RETRY_AFTER", 120, 0, 3600);
  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "idle-timeout", 60,
                                                 "user-agent", "Cumulus/" PACKAGE_VERSION " ",
                                                 NULL);
  if (proxy != NULL)
    soup_session_set_proxy_resolver (self->session, proxy);
  return self;
}

void
cu_http_free (CuHttp *self)
{
  if (self == NULL)
    return;
  soup_session_abort (self->session);
  g_object_unref (self->session);
  g_free (self);
}

void
cu_http_response_free (CuHttpResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

guint
cu_http_get_n_sent (CuHttp *self)
{
  return self->n_sent;
}

static gboolean
is_loopback_host (const char *host)
{
  return host != NULL &&
         (g_str_equal (host, "localhost") || g_str_equal (host, "::1") ||
          g_str_has_prefix (host, "127."));
}

/**
 * cu_http_check_base_url:
 *
 * Endpoint overrides exist for tests and private endpoints: they must be
 * https, except on loopback where the mock server speaks plain http.
 */
gboolean
cu_http_check_base_url (const char  *url,
                        GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
                   "The endpoint “%s” is not a URL", url);
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback_host (g_uri_get_host (uri)))
    return TRUE;
  g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
               "The endpoint “%s” must use https (plain http is only allowed on this computer’s loopback address)",
               url);
  return FALSE;
}

/**
 * cu_http_host_header:
 *
 * Returns: (transfer full): the Host header libsoup sends for @uri
 */
char *
cu_http_host_header (GUri *uri)
{
  int port = g_uri_get_port (uri);
  const char *scheme = g_uri_get_scheme (uri);
  int default_port = g_ascii_strcasecmp (scheme, "https") == 0 ? 443 : 80;

  if (port < 0 || port == default_port)
    return g_strdup (g_uri_get_host (uri));
  return g_strdup_printf ("%s:%d", g_uri_get_host (uri), port);
}

typedef struct {
  guint max;
} RetryAfterScan;

static guint
parse_retry_after (const char *value)
{
  guint64 n;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *v = g_strstrip (g_strdup (value));
  GTimeSpan span;

  if (g_ascii_string_to_unsigned (v, 10, 0, 86400, &n, NULL))
    return (guint) n;
  when = soup_date_time_new_from_http_string (v);
  if (when == NULL)
    return 0;
  now = g_date_time_new_now_utc ();
  span = g_date_time_difference (when, now);
  /* a date years ahead is "too long", not a wrapped small number */
  return span > 0 ? (guint) MIN ((span + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND, 86400) : 0;
}

static void
scan_retry_after_cb (const char *name, const char *value, gpointer data)
{
  RetryAfterScan *scan = data;
  g_autofree char *lower = g_ascii_strdown (name, -1);

  if (strstr (lower, "retry-after") != NULL)
    scan->max = MAX (scan->max, parse_retry_after (value));
}

/**
 * cu_http_retry_after:
 *
 * Returns: the largest wait, in seconds, that any Retry-After style header
 *   asks for (Retry-After, x-ms-ratelimit-*-retry-after), or 0
 */
guint
cu_http_retry_after (SoupMessageHeaders *headers)
{
  RetryAfterScan scan = { 0 };

  if (headers != NULL)
    soup_message_headers_foreach (headers, scan_retry_after_cb, &scan);
  return scan.max;
}

static CuHttpVerdict
default_classify (const CuHttpResponse *resp, gpointer user_data, GError **error)
{
  if (resp->status >= 200 && resp->status < 300)
    return CU_HTTP_DONE;
  if (resp->status == 429)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_THROTTLED,
                   "The service is throttling requests (HTTP 429)");
      return CU_HTTP_RETRY;
    }
  if (resp->status >= 500)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_SERVER,
                   "The service had an internal error (HTTP %u)", resp->status);
      return CU_HTTP_RETRY;
    }
  g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_API,
               "The service refused the request (HTTP %u)", resp->status);
  return CU_HTTP_FAIL;
}

/* Sleeps in small steps so that cancellation is noticed quickly. */
static gboolean
sleep_cancellable (guint ms, GCancellable *cancellable, GError **error)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  for (;;)
    {
      gint64 left = until - g_get_monotonic_time ();

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (left <= 0)
        return TRUE;
      g_usleep (MIN (left, 20000));
    }
}

/* Transport failures become one of our codes; retryable ones return TRUE. */
static gboolean
map_transport_error (GError *cause, const char *host, GError **error)
{
  if (cause->domain == G_RESOLVER_ERROR)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_DNS,
                   "Cannot find the server “%s”: the DNS lookup failed. Check the network "
                   "connection and the endpoint name.", host);
      return FALSE;
    }
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_NETWORK,
                   "Cannot connect to “%s” (%s): check that this computer is online and "
                   "that no firewall or proxy blocks it.", host, cause->message);
      return FALSE;
    }
  if (cause->domain == G_TLS_ERROR)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_TLS,
                   "The secure connection to “%s” failed (%s); the server’s certificate "
                   "could not be verified.", host, cause->message);
      return FALSE;
    }
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_TIMEOUT,
                   "“%s” did not answer in time", host);
      return TRUE;
    }
  g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_SERVER,
               "The connection to “%s” broke off (%s)", host, cause->message);
  return TRUE;
}

/**
 * cu_http_send:
 *
 * Sends @request, retrying as described above.
 *
 * Returns: (transfer full): the answer the classifier accepted, or %NULL
 *   with @error (G_IO_ERROR_CANCELLED when cancelled)
 */
CuHttpResponse *
cu_http_send (CuHttp               *self,
              const CuHttpRequest  *request,
              GCancellable         *cancellable,
              GError              **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) last = NULL;
  CuHttpClassifyFunc classify;
  const char *host;

  g_return_val_if_fail (self != NULL && request != NULL && request->url != NULL, NULL);

  uri = g_uri_parse (request->url, SOUP_HTTP_URI_FLAGS, error);
  if (uri == NULL)
    return NULL;
  host = g_uri_get_host (uri);
  classify = request->classify ? request->classify : default_classify;

  for (guint attempt = 1; attempt <= self->max_attempts; attempt++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new_from_uri (request->method, uri);
      g_autoptr(GError) local = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(CuHttpResponse) resp = NULL;
      guint delay_ms, cap_ms, retry_after = 0;
      CuHttpVerdict verdict;

      if (request->body != NULL)
        soup_message_set_request_body_from_bytes (msg, request->content_type, request->body);
      if (request->prepare && !request->prepare (msg, request->user_data, error))
        return NULL;

      body = soup_session_send_and_read (self->session, msg, cancellable, &local);
      if (body == NULL)
        {
          g_clear_error (&last);
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
              g_cancellable_is_cancelled (cancellable))
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
              return NULL;
            }
          if (!map_transport_error (local, host, &last))
            {
              g_propagate_error (error, g_steal_pointer (&last));
              return NULL;
            }
          g_debug ("%s %s: attempt %u failed: %s", request->method, host, attempt, last->message);
        }
      else
        {
          self->n_sent++;
          if (request->n_sent)
            (*request->n_sent)++;
          resp = g_new0 (CuHttpResponse, 1);
          resp->status = soup_message_get_status (msg);
          resp->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
          resp->body = g_steal_pointer (&body);

          g_clear_error (&last);
          verdict = classify (resp, request->user_data, &last);
          if (verdict == CU_HTTP_DONE)
            return g_steal_pointer (&resp);
          if (verdict == CU_HTTP_FAIL)
            {
              if (last == NULL)
                g_set_error (&last, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_API,
                             "The service refused the request (HTTP %u)", resp->status);
              g_propagate_error (error, g_steal_pointer (&last));
              return NULL;
            }
          if (last == NULL)
            g_set_error (&last, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_SERVER,
                         "The service failed (HTTP %u)", resp->status);
          retry_after = cu_http_retry_after (resp->headers);
          g_debug ("%s %s: attempt %u: HTTP %u, retry-after %u s: %s", request->method, host,
                   attempt, resp->status, retry_after, last->message);
          if (retry_after > self->max_retry_after)
            {
              g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_THROTTLED,
                           "%s; the service asks to wait %u s before trying again",
                           last->message, retry_after);
              return NULL;
            }
        }

      if (attempt == self->max_attempts)
        break;

      /* full jitter: uniform in [0, min(cap, base * 2^(attempt-1))] */
      cap_ms = MIN (20000u, self->backoff_ms << MIN (attempt - 1, 10u));
      delay_ms = cap_ms > 0 ? (guint) g_random_int_range (0, (gint32) cap_ms + 1) : 0;
      delay_ms = MAX (delay_ms, retry_after * 1000);
      if (!sleep_cancellable (delay_ms, cancellable, error))
        {
          g_clear_error (error);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
          return NULL;
        }
    }

  g_set_error (error, last->domain, last->code, "%s (gave up after %u attempts)",
               last->message, self->max_attempts);
  return NULL;
}

/**
 * cu_http_is_token:
 * @value: (nullable): a credential a server issued (an access token, a
 *   session token, a key id)
 *
 * Credentials from the network go into request headers; a CR, LF or any
 * other control byte there would split the header (libsoup refuses it with
 * a critical). Real tokens are base64-like visible ASCII.
 *
 * Returns: %TRUE when @value is 1 to 16384 visible ASCII characters
 */
gboolean
cu_http_is_token (const char *value)
{
  gsize n = 0;

  if (value == NULL || *value == '\0')
    return FALSE;
  for (const char *p = value; *p; p++, n++)
    if (*p < 0x21 || *p > 0x7e || n >= 16384)
      return FALSE;
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-http.h — HTTPS transport for the cloud clients
 *
 * One CuHttp (one SoupSession) per worker thread. Requests are retried on
 * throttling, 5xx and dropped connections with exponential backoff and full
 * jitter, honouring Retry-After and Azure's x-ms-ratelimit-*-retry-after
 * headers; every attempt is prepared again (AWS signatures carry the time).
 *
 * Tuning through the environment (tests use small values):
 *   CUMULUS_HTTP_TIMEOUT          seconds of silence before an attempt fails (60)
 *   CUMULUS_HTTP_MAX_ATTEMPTS     attempts per request (5)
 *   CUMULUS_HTTP_BACKOFF_MS       first backoff step (500)
 *   CUMULUS_HTTP_MAX_RETRY_AFTER  longest server-requested wait honoured, s (120)
 * Proxies: https_proxy / http_proxy / all_proxy / no_proxy when set, else the
 * system proxy settings.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define CU_PROVIDER_ERROR (cu_provider_error_quark ())
GQuark cu_provider_error_quark (void);

typedef enum {
  CU_PROVIDER_ERROR_NETWORK,          /* cannot connect at all */
  CU_PROVIDER_ERROR_DNS,              /* host name does not resolve */
  CU_PROVIDER_ERROR_TIMEOUT,
  CU_PROVIDER_ERROR_TLS,
  CU_PROVIDER_ERROR_THROTTLED,        /* still throttled after every retry */
  CU_PROVIDER_ERROR_SERVER,           /* 5xx or broken answers after every retry */
  CU_PROVIDER_ERROR_INVALID_RESPONSE,
  CU_PROVIDER_ERROR_UNKNOWN_KEY,      /* key id / client id / tenant not known */
  CU_PROVIDER_ERROR_BAD_SECRET,       /* wrong secret: signature mismatch */
  CU_PROVIDER_ERROR_EXPIRED_TOKEN,
  CU_PROVIDER_ERROR_ACCESS_DENIED,
  CU_PROVIDER_ERROR_CLOCK_SKEW,
  CU_PROVIDER_ERROR_API,              /* any other error the service reported */
  CU_PROVIDER_ERROR_CONFIG,           /* account or endpoint misconfigured */
} CuProviderError;

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
} CuHttpResponse;

void cu_http_response_free (CuHttpResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuHttpResponse, cu_http_response_free)

typedef enum {
  CU_HTTP_DONE,
  CU_HTTP_RETRY,
  CU_HTTP_FAIL,
} CuHttpVerdict;

typedef gboolean      (*CuHttpPrepareFunc)  (SoupMessage  *message,
                                             gpointer      user_data,
                                             GError      **error);
typedef CuHttpVerdict (*CuHttpClassifyFunc) (const CuHttpResponse *response,
                                             gpointer              user_data,
                                             GError              **error);

typedef struct {
  const char         *method;
  const char         *url;
  const char         *content_type;  /* nullable */
  GBytes             *body;          /* nullable */
  CuHttpPrepareFunc   prepare;       /* nullable; called before each attempt */
  CuHttpClassifyFunc  classify;      /* nullable: 2xx done, 429/5xx retry, else fail */
  gpointer            user_data;
  guint              *n_sent;        /* nullable; += 1 per request answered */
} CuHttpRequest;

typedef struct _CuHttp CuHttp;

CuHttp         *cu_http_new            (void);
void            cu_http_free           (CuHttp              *http);
CuHttpResponse *cu_http_send           (CuHttp              *http,
                                        const CuHttpRequest *request,
                                        GCancellable        *cancellable,
                                        GError             **error);
guint           cu_http_get_n_sent     (CuHttp              *http);
gboolean        cu_http_check_base_url (const char          *url,
                                        GError             **error);
char           *cu_http_host_header    (GUri                *uri);
guint           cu_http_retry_after    (SoupMessageHeaders  *headers);
gboolean        cu_http_is_token       (const char          *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuHttp, cu_http_free)

G_END_DECLS

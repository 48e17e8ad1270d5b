/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-sigv4.h — AWS Signature Version 4 (AWS4-HMAC-SHA256)
 *
 * Pure functions, no I/O: the client signs outgoing requests with them and
 * the test mock server recomputes signatures with the same code.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One request to sign. Every header listed is signed (the caller adds host,
 * x-amz-date, content-type, x-amz-target, x-amz-security-token as needed).
 * Header names may repeat; values are trimmed and folded. */
typedef struct {
  const char         *method;
  const char         *path;        /* unencoded path, e.g. "/" */
  const char         *query;       /* raw or percent-encoded query without '?', nullable */
  const char * const *header_names;
  const char * const *header_values;
  guint               n_headers;
  const guint8       *body;
  gsize               body_len;
  gboolean            normalize_path; /* FALSE only for S3 */
} CuSigv4Request;

typedef struct {
  const char *access_key_id;
  const char *secret_access_key;
  const char *region;
  const char *service;
  const char *amz_date;        /* YYYYMMDD'T'HHMMSS'Z' */
} CuSigv4Key;

char    *cu_sigv4_uri_encode         (const char *text,
                                      gssize      len,
                                      gboolean    encode_slash);
char    *cu_sigv4_hex_sha256         (const guint8 *data,
                                      gsize         len);
char    *cu_sigv4_canonical_path     (const char *path,
                                      gboolean    normalize);
char    *cu_sigv4_canonical_query    (const char *query);
char    *cu_sigv4_canonical_request  (const CuSigv4Request *request,
                                      char                **out_signed_headers);
char    *cu_sigv4_string_to_sign     (const char *amz_date,
                                      const char *region,
                                      const char *service,
                                      const char *canonical_request);
char    *cu_sigv4_signature          (const CuSigv4Key *key,
                                      const char       *string_to_sign);
char    *cu_sigv4_authorization      (const CuSigv4Request *request,
                                      const CuSigv4Key     *key,
                                      char                **out_canonical_request,
                                      char                **out_string_to_sign);
char    *cu_sigv4_format_amz_date    (GDateTime *time);

G_END_DECLS

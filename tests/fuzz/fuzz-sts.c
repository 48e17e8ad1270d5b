/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-sts.c — the STS (Query protocol) XML answers
 *
 * Twice per input: the whole input through cu_aws_xml_collect() (the
 * parser every Query answer and error body goes through), then as the
 * answers of a real client against the loopback server: AssumeRole (its
 * credentials and Expiration) and GetCallerIdentity, split into pieces as
 * fuzz-common.h describes, so error bodies and statuses are reached too.
 */
#define G_LOG_DOMAIN "cumulus-fuzz"

#include <string.h>

#include "fuzz-common.h"
#include "providers/aws/cu-aws-client.h"
#include "providers/cu-http.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  g_setenv ("CUMULUS_AWS_ENDPOINT", fuzz_server_start ("<Empty/>"), TRUE);
  g_setenv ("CUMULUS_HTTP_MAX_ATTEMPTS", "2", TRUE);
  g_setenv ("CUMULUS_HTTP_BACKOFF_MS", "0", TRUE);
  g_setenv ("CUMULUS_HTTP_MAX_RETRY_AFTER", "0", TRUE);
  g_setenv ("CUMULUS_HTTP_TIMEOUT", "10", TRUE);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(GHashTable) values = cu_aws_xml_collect ((const char *) data, (gssize) size, &error);

    if (values == NULL)
      FUZZ_CHECK (error != NULL);
    else
      {
        GHashTableIter it;
        gpointer k, v;

        g_hash_table_iter_init (&it, values);
        while (g_hash_table_iter_next (&it, &k, &v))
          FUZZ_CHECK (k != NULL && v != NULL && g_utf8_validate (v, -1, NULL));
      }
    g_clear_error (&error);
  }

  {
    g_autoptr(CuHttp) http = cu_http_new ();
    g_autoptr(CuAwsClient) client = cu_aws_client_new (http, "AKIAFUZZEXAMPLE00001", "fuzz-secret-key", NULL);
    g_autofree char *arn = NULL, *account = NULL;

    fuzz_server_set_input (data, size);
    FUZZ_CHECK (cu_aws_client_set_endpoint (client, NULL, NULL));
    if (cu_aws_client_assume_role (client, "arn:aws:iam::123456789012:role/fuzz", "ext", NULL, &error))
      {
        if (cu_aws_client_get_caller_identity (client, &arn, &account, NULL, &error))
          FUZZ_CHECK (error == NULL);
        else
          FUZZ_CHECK (error != NULL && *error->message != '\0');
      }
    else
      {
        FUZZ_CHECK (error != NULL && *error->message != '\0');
        /* the secret never shows in an error */
        FUZZ_CHECK (strstr (error->message, "fuzz-secret-key") == NULL);
      }
  }
  return 0;
}

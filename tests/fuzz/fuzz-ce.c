/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-ce.c — AWS Cost Explorer answers through the sync job
 *
 * An aws-keys account with one cost-allocation tag key is synced; every
 * GetCostAndUsage answer (SERVICE × LINKED_ACCOUNT, SERVICE × REGION,
 * SERVICE × TAG:team, their next pages) is the next piece of the input,
 * and an empty page once the pieces run out. This reaches the JSON 1.1 client, the
 * page parser, the apportioning of accounts over regions and of rows over
 * tag values, and the ledger writer. No answer may abort the process.
 */
#define G_LOG_DOMAIN "cumulus-fuzz"

#include "fuzz-common.h"
#include "fuzz-sync-common.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  static const char * const tags[] = { "team", NULL };
  CuAccountSpec spec = {
    .name = "fuzz-aws", .kind = "aws-keys", .access_key_id = "AKIAFUZZEXAMPLE00001",
    .secret = "fuzz-secret-key", .cost_tags = tags,
  };

  fuzz_sync_setup (&spec, "{\"ResultsByTime\":[]}");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_sync_run ("fuzz-aws", data, size);
  return 0;
}

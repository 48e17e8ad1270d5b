/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-azure.c — Azure token and Cost Management answers through the sync
 *
 * An azure-sp account is synced; the first piece of the input answers the
 * token request, the next ones the ActualCost and AmortizedCost queries
 * and their nextLink pages, and an empty page once the pieces run out. This reaches
 * the token parser (expires_in), the query pages (properties, columns,
 * rows) and the rows' reading in the sync job (UsageDate, amounts,
 * ServiceName / ResourceLocation / Currency columns).
 */
#define G_LOG_DOMAIN "cumulus-fuzz"

#include "fuzz-common.h"
#include "fuzz-sync-common.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  CuAccountSpec spec = {
    .name = "fuzz-azure", .kind = "azure-sp",
    .tenant = "00000000-0000-0000-0000-000000000001",
    .client_id = "00000000-0000-0000-0000-000000000002",
    .subscription = "00000000-0000-0000-0000-000000000003",
    .secret = "fuzz-secret-value",
  };

  fuzz_sync_setup (&spec, "{\"properties\":{\"columns\":[],\"rows\":[]}}");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_sync_run ("fuzz-azure", data, size);
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-provider.c — the provider registry */
#define G_LOG_DOMAIN "cumulus-sync"

#include "providers/cu-provider.h"
#include "providers/aws/cu-aws-provider.h"
#include "providers/azure/cu-azure-provider.h"

/* A new provider is its folder plus one line here. */
static const CuProvider * const providers[] = {
  &cu_aws_provider,
  &cu_azure_provider,
};

/**
 * cu_provider_lookup:
 * @id: (nullable): an account's provider, e.g. "aws"
 *
 * Returns: (transfer none) (nullable): the provider, or %NULL when @id is
 *   not a cloud (file imports and the demo are not providers)
 */
const CuProvider *
cu_provider_lookup (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (providers); i++)
    if (g_str_equal (providers[i]->id, id))
      return providers[i];
  return NULL;
}

/**
 * cu_provider_single_range:
 *
 * plan_ranges for APIs that take any range the sync asks for.
 *
 * Returns: (transfer full) (element-type CuDayRange): one range
 */
GArray *
cu_provider_single_range (CuDay first,
                          CuDay last)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (CuDayRange));
  CuDayRange r = { first, last };

  g_array_append_val (ranges, r);
  return ranges;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-azure-provider.h — Azure behind the provider interface
 *
 * Sign-in: a service principal (tenant, client id, keyring secret) for one
 * subscription. Costs: Cost Management queries ActualCost and
 * AmortizedCost per range of at most one year (cu-azure-costs.h). Test: a
 * token plus a one-day query.
 */
#pragma once

#include "providers/cu-provider.h"

G_BEGIN_DECLS

extern const CuProvider cu_azure_provider;

G_END_DECLS

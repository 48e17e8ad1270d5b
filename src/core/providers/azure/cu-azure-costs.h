/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-azure-costs.h — Cost Management query rows into ledger rows
 *
 * The sync asks ActualCost (→ BilledCost) and AmortizedCost (→
 * EffectiveCost) by day × ServiceName × ResourceLocation; the accumulator
 * sums the rows of both into one ledger row per (day, service, location,
 * currency). Columns are found by name, never by position. Costs are read
 * as the decimal text Azure sent (cu_azure_parse_answer() keeps numbers as
 * text) with cu_money_parse(), never through a double, and every sum is
 * checked. A row that is not an array, is shorter than a column it must
 * have, has a date outside 1900–9999 or a cost that is no decimal amount,
 * is an "unexpected answer" error.
 *
 * Azure refuses a query over more than one year ("The time period for
 * pulling the data cannot exceed 1 year(s)"), so cu_azure_plan_ranges()
 * splits the days to fetch into ranges of at most 12 calendar months and
 * at most 365 days.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "providers/cu-provider.h"

G_BEGIN_DECLS

typedef struct _CuAzureCosts CuAzureCosts;

CuAzureCosts *cu_azure_costs_new       (const char         *subscription);
void          cu_azure_costs_free      (CuAzureCosts       *costs);
gboolean      cu_azure_costs_add_rows  (CuAzureCosts       *costs,
                                        const char * const *columns,
                                        JsonArray          *rows,
                                        gboolean            amortized,
                                        CuDay               first,
                                        CuDay               last,
                                        GError            **error);
gboolean      cu_azure_costs_add_body  (CuAzureCosts       *costs,
                                        const char         *body,
                                        gsize               len,
                                        gboolean            amortized,
                                        CuDay               first,
                                        CuDay               last,
                                        GError            **error);
gboolean      cu_azure_costs_emit_rows (CuAzureCosts       *costs,
                                        CuProviderRowFunc   func,
                                        gpointer            user_data,
                                        guint64            *n_rows,
                                        GError            **error);
GArray       *cu_azure_plan_ranges     (CuDay               first,
                                        CuDay               last);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuAzureCosts, cu_azure_costs_free)

G_END_DECLS

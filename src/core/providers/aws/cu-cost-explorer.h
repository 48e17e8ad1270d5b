/* cu-cost-explorer.h — daily costs from AWS Cost Explorer
 *
 * CE allows two GroupBy keys per request while a ledger row wants service,
 * linked account and region. We ask twice — SERVICE × LINKED_ACCOUNT and
 * SERVICE × REGION — and build one row per (day, service, account, region):
 *
 *  - one linked account for the (day, service): the region rows are exact;
 *  - one region: the account rows are exact;
 *  - several of both: each account's amount is split across the regions in
 *    proportion to the regions' amounts, with integer largest-remainder
 *    rounding, so that every account total (and so every grand total) stays
 *    exact to the micro-unit and region totals are within one micro-unit per
 *    account; when a split is not meaningful (credits make a side negative,
 *    or the total is zero) the account amount keeps RegionId empty.
 *
 * Every request is one page and costs USD 0.01; the count is returned.
 */
#pragma once

#include "providers/aws/cu-aws-client.h"
#include "store/cu-ledger.h"

G_BEGIN_DECLS

#define CU_CE_MICROS_PER_REQUEST G_GINT64_CONSTANT (10000)  /* USD 0.01 */

typedef struct _CuCeAccum CuCeAccum;

typedef gboolean (*CuCeRowFunc) (const CuCostRow *row,
                                 gpointer         user_data,
                                 GError         **error);

CuCeAccum *cu_ce_accum_new          (void);
void       cu_ce_accum_free         (CuCeAccum    *accum);
gboolean   cu_ce_accum_add_page     (CuCeAccum    *accum,
                                     JsonNode     *page,
                                     gboolean      by_region,
                                     GError      **error);
CuDay      cu_ce_accum_first_estimated (CuCeAccum *accum);
gboolean   cu_ce_accum_emit_rows    (CuCeAccum    *accum,
                                     CuCeRowFunc   func,
                                     gpointer      user_data,
                                     guint64      *n_rows,
                                     GError      **error);
gboolean   cu_ce_fetch              (CuAwsClient  *client,
                                     CuCeAccum    *accum,
                                     CuDay         first_day,
                                     CuDay         last_day,
                                     guint        *n_requests,
                                     GCancellable *cancellable,
                                     GError      **error);
JsonNode  *cu_ce_build_request      (CuDay         first_day,
                                     CuDay         last_day,
                                     const char   *second_dimension,
                                     const char   *next_page_token);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuCeAccum, cu_ce_accum_free)

G_END_DECLS

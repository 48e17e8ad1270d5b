/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-cost-explorer.h — daily costs from AWS Cost Explorer
 *
 * CE allows two GroupBy keys per request while a ledger row wants service,
 * linked account and region. We ask twice — SERVICE × LINKED_ACCOUNT and
 * SERVICE × REGION — and build one row per (day, service, account, region):
 *
 *  - one linked account for the (day, service): the region rows are exact;
 *  - one region: the account rows are exact;
 *  - several of both, or credits and refunds of any sign on either side:
 *    cu_ce_allocate() finds the cells so that every account total and
 *    every region total of the (day, service) stays exact to the
 *    micro-unit, negative amounts included, moving the least money around
 *    (the side with the larger gross amount keeps one sign per cell); with
 *    no credits it is the proportional split. When CE's two answers
 *    disagree on a (day, service) total, the difference is booked with no
 *    RegionId, so the accounts and the regions CE named stay exact.
 *
 * Every amount and sum is checked: an answer whose amounts do not fit the
 * ledger's 64-bit micro-units, or of an unexpected shape, is an
 * CU_PROVIDER_ERROR_INVALID_RESPONSE error, never an abort.
 *
 * Cost-allocation tags the user selected (config "cost_tags") cost one more
 * query each, SERVICE × TAG:key, whose group keys read "key$value" ("key$"
 * is the untagged part). CE cannot give tag × account × region, so the
 * (day, service) rows built above are split across the tag values, each
 * metric on its own:
 *
 *  - the (day, service) total S (the rows' sum) is first apportioned over
 *    the tag values in proportion to the tag query's amounts (largest
 *    remainder), giving integer targets that sum to S — equal to the tag
 *    query's amounts whenever CE's two answers agree;
 *  - the rows are then split one after the other, each in proportion to
 *    what is still left of every target (largest remainder again). Every
 *    row keeps its exact amount and every tag value gets exactly its
 *    target, so account, region, service and day totals do not move and
 *    tag totals are exact too;
 *  - the untagged part gets no tag; when the split is not meaningful
 *    (negative amounts, nothing tagged) the rows go wholly to the one tag
 *    value that has an amount, or else stay untagged.
 *
 * With several keys the same split is applied again, key after key, to the
 * parts the previous key made; each part then carries one value per key.
 * All totals stay exact; the joint spread of two keys is an assumption
 * (independence within each row), since CE never reports it. Rows grow by
 * the number of values of each key, hence the small cap on keys.
 *
 * Requests: every page is one request and costs USD 0.01. One sync makes
 * pages(SERVICE × LINKED_ACCOUNT) + pages(SERVICE × REGION) + for each tag
 * key pages(SERVICE × TAG:key), plus any retries that reached CE. A page
 * holds CE's own number of groups (days × services × values), so a 13-month
 * first sync takes a few pages per query and a daily resync one per query.
 */
#pragma once

#include "providers/aws/cu-aws-client.h"
#include "providers/cu-provider.h"
#include "store/cu-ledger.h"

G_BEGIN_DECLS

#define CU_CE_MICROS_PER_REQUEST G_GINT64_CONSTANT (10000)  /* USD 0.01 */
#define CU_CE_MAX_TAG_KEYS 5

typedef struct _CuCeAccum CuCeAccum;

typedef CuProviderRowFunc CuCeRowFunc;

CuCeAccum *cu_ce_accum_new          (void);
void       cu_ce_accum_free         (CuCeAccum    *accum);
void       cu_ce_accum_set_tag_keys (CuCeAccum    *accum,
                                     const char * const *tag_keys);
gboolean   cu_ce_accum_add_page     (CuCeAccum    *accum,
                                     JsonNode     *page,
                                     gboolean      by_region,
                                     GError      **error);
gboolean   cu_ce_accum_add_tag_page (CuCeAccum    *accum,
                                     JsonNode     *page,
                                     guint         tag_index,
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
                                     guint        *n_tag_requests,
                                     GCancellable *cancellable,
                                     GError      **error);
JsonNode  *cu_ce_build_request      (CuDay         first_day,
                                     CuDay         last_day,
                                     const char   *second_dimension,
                                     const char   *next_page_token);
JsonNode  *cu_ce_build_tag_request  (CuDay         first_day,
                                     CuDay         last_day,
                                     const char   *tag_key,
                                     const char   *next_page_token);
gboolean   cu_ce_allocate           (const gint64 *rows,
                                     guint         n_rows,
                                     const gint64 *cols,
                                     guint         n_cols,
                                     gint64       *cells);
gboolean   cu_ce_apportion          (gint64        amount,
                                     const gint64 *weights,
                                     guint         n,
                                     gint64       *shares);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuCeAccum, cu_ce_accum_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-mock-cloud.h — a fake AWS + Azure on 127.0.0.1 for the sync tests
 *
 * A SoupServer in its own thread (random port) speaking Cost Explorer JSON
 * 1.1 (GetCostAndUsage with NextPageToken paging), STS Query/XML
 * (GetCallerIdentity, AssumeRole), EC2 Query/XML (served from the shared
 * samples), the Azure token endpoint and Cost Management query (nextLink
 * paging). Every AWS request's SigV4 signature is recomputed with the
 * known secret and refused when it does not match. Faults are queued on
 * demand. Error bodies are read from $CUMULUS_SHARED_DIR/testdata.
 *
 * Cost data is a deterministic cube day × service × linked account × region
 * (AWS) and day × service × location (Azure); the last two days before
 * today are Estimated and change with cu_mock_cloud_set_version(). Each AWS
 * cell also carries a value (or none) of the cost-allocation tags "team"
 * (web, data science) and "env" (prod, dev, test); GroupBy TAG answers sum
 * the same cells ("team$web", "team$" untagged), so every grouping has the
 * same totals. Other tag keys tag nothing. cu_mock_cloud_set_credits() adds
 * a promotional credit, tax and support with a refund (see aws_amount()).
 * Azure costs are written as exact decimal text carrying half a
 * micro-unit (v + 0.0000005), which only an exact decimal reader rounds
 * to v + 1 every time; a query over more than one year is refused with
 * Azure's 400 "cannot exceed 1 year(s)". Counts: "ce" every CE request,
 * "ce-ok" every page served, "ce-tag" every page of a TAG query.
 */
#pragma once

#include <glib.h>

#include "util/cu-date.h"

G_BEGIN_DECLS

typedef enum {
  CU_MOCK_THROTTLE,         /* CE: 400 LimitExceededException; STS: Throttling; Azure: 429 + headers */
  CU_MOCK_HTTP_429,         /* 429 with Retry-After: param seconds */
  CU_MOCK_HTTP_500,
  CU_MOCK_SLOW,             /* answer after param milliseconds */
  CU_MOCK_TRUNCATED,        /* 200 with half of the body */
  CU_MOCK_EXPIRED_TOKEN,
  CU_MOCK_ACCESS_DENIED,
  CU_MOCK_PAGE_500,         /* 500 only for requests carrying a page token */
  CU_MOCK_INVALID_NEXT_TOKEN,
  CU_MOCK_WRONG_SHAPE,      /* 200 with valid JSON of an unexpected shape (param picks which) */
} CuMockFault;

typedef struct _CuMockCloud CuMockCloud;

CuMockCloud *cu_mock_cloud_new            (void);
void         cu_mock_cloud_free           (CuMockCloud *mock);
const char  *cu_mock_cloud_get_url        (CuMockCloud *mock);
void         cu_mock_cloud_add_aws_user   (CuMockCloud *mock,
                                           const char  *access_key_id,
                                           const char  *secret);
void         cu_mock_cloud_set_role       (CuMockCloud *mock,
                                           const char  *role_arn,
                                           const char  *external_id,
                                           guint        duration_s);
void         cu_mock_cloud_set_azure      (CuMockCloud *mock,
                                           const char  *tenant,
                                           const char  *client_id,
                                           const char  *secret,
                                           const char  *subscription);
/* api: "ce", "sts", "ec2", "azure-token", "azure-query" or "*" */
void         cu_mock_cloud_add_fault      (CuMockCloud *mock,
                                           const char  *api,
                                           CuMockFault  fault,
                                           guint        skip,
                                           guint        count,
                                           guint        param);
void         cu_mock_cloud_clear_faults   (CuMockCloud *mock);
guint        cu_mock_cloud_count          (CuMockCloud *mock,
                                           const char  *what);
void         cu_mock_cloud_reset_counts   (CuMockCloud *mock);
void         cu_mock_cloud_set_clock_offset (CuMockCloud *mock,
                                             gint64       seconds);
void         cu_mock_cloud_set_version    (CuMockCloud *mock,
                                           int          version);
void         cu_mock_cloud_set_page_size  (CuMockCloud *mock,
                                           guint        groups);
gint64       cu_mock_cloud_aws_total      (CuMockCloud *mock,
                                           CuDay        first,
                                           CuDay        last,
                                           const char  *linked_account,
                                           gboolean     amortized);
/* @value: a tag value, or NULL / "" for the untagged part */
gint64       cu_mock_cloud_aws_tag_total  (CuMockCloud *mock,
                                           CuDay        first,
                                           CuDay        last,
                                           const char  *key,
                                           const char  *value,
                                           gboolean     amortized);
void         cu_mock_cloud_set_credits    (CuMockCloud *mock,
                                           gboolean     credits);
/* one day; NULL matches every service, account or region */
gint64       cu_mock_cloud_aws_cell_total (CuMockCloud *mock,
                                           CuDay        day,
                                           const char  *service,
                                           const char  *account,
                                           const char  *region,
                                           gboolean     amortized);
gint64       cu_mock_cloud_azure_total    (CuMockCloud *mock,
                                           CuDay        first,
                                           CuDay        last,
                                           gboolean     amortized);

G_END_DECLS

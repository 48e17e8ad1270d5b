/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-format-cur.c — AWS Cost and Usage Reports, legacy and 2.0
 *
 * Legacy CUR names its columns "lineItem/UnblendedCost" and puts each tag
 * in a column of its own ("resourceTags/user:env"); CUR 2.0 names them
 * "line_item_unblended_cost" and keeps the tags as one JSON object whose
 * user keys start with "user_". Both carry the line item type, from which
 * the FOCUS charge category and the amortised (effective) cost follow.
 */
#define G_LOG_DOMAIN "cumulus-import"

#include "importers/cu-format-private.h"

#include <string.h>

static const CuFormatColumn cur_columns[] = {
  { CU_FIELD_CHARGE_START, "lineitem/usagestartdate" },
  { CU_FIELD_CHARGE_END, "lineitem/usageenddate" },
  { CU_FIELD_BILLED, "lineitem/unblendedcost" },
  { CU_FIELD_LIST, "pricing/publicondemandcost" },
  { CU_FIELD_CURRENCY, "lineitem/currencycode" },
  { CU_FIELD_BP_START, "bill/billingperiodstartdate" },
  { CU_FIELD_BP_END, "bill/billingperiodenddate" },
  { CU_FIELD_BILLING_ACCOUNT_ID, "bill/payeraccountid|lineitem/usageaccountid" },
  { CU_FIELD_BILLING_ACCOUNT_NAME, "bill/payeraccountname" },
  { CU_FIELD_SUB_ACCOUNT_ID, "lineitem/usageaccountid" },
  { CU_FIELD_SUB_ACCOUNT_NAME, "lineitem/usageaccountname" },
  { CU_FIELD_PUBLISHER, "lineitem/legalentity" },
  { CU_FIELD_INVOICE_ISSUER, "bill/invoicingentity" },
  { CU_FIELD_SERVICE_NAME, "product/productname" },
  { CU_FIELD_REGION_ID, "product/region|product/regioncode" },
  { CU_FIELD_REGION_FALLBACK, "product/regioncode" },
  { CU_FIELD_REGION_NAME, "product/location" },
  { CU_FIELD_AZ, "lineitem/availabilityzone" },
  { CU_FIELD_RESOURCE_ID, "lineitem/resourceid" },
  { CU_FIELD_CHARGE_DESCRIPTION, "lineitem/lineitemdescription" },
  { CU_FIELD_SKU_ID, "product/sku" },
  { CU_FIELD_PRICING_UNIT, "pricing/unit" },
  { CU_FIELD_PRICING_QUANTITY, "lineitem/usageamount" },
  { CU_FIELD_INVOICE_ID, "bill/invoiceid" },
  { CU_FIELD_LINE_ITEM_TYPE, "lineitem/lineitemtype" },
  { CU_FIELD_PRODUCT_CODE, "lineitem/productcode" },
  { CU_FIELD_SP_EFFECTIVE, "savingsplan/savingsplaneffectivecost" },
  { CU_FIELD_SP_ARN, "savingsplan/savingsplanarn" },
  { CU_FIELD_SP_TOTAL_COMMITMENT, "savingsplan/totalcommitmenttodate" },
  { CU_FIELD_SP_USED_COMMITMENT, "savingsplan/usedcommitment" },
  { CU_FIELD_RI_EFFECTIVE, "reservation/effectivecost" },
  { CU_FIELD_RI_ARN, "reservation/reservationarn" },
  { CU_FIELD_RI_UNUSED_AMORTIZED, "reservation/unusedamortizedupfrontfeeforbillingperiod" },
  { CU_FIELD_RI_UNUSED_RECURRING, "reservation/unusedrecurringfee" },
};

static const CuFormatColumn cur2_columns[] = {
  { CU_FIELD_CHARGE_START, "line_item_usage_start_date" },
  { CU_FIELD_CHARGE_END, "line_item_usage_end_date" },
  { CU_FIELD_BILLED, "line_item_unblended_cost" },
  { CU_FIELD_LIST, "pricing_public_on_demand_cost" },
  { CU_FIELD_CURRENCY, "line_item_currency_code" },
  { CU_FIELD_BP_START, "bill_billing_period_start_date" },
  { CU_FIELD_BP_END, "bill_billing_period_end_date" },
  { CU_FIELD_BILLING_ACCOUNT_ID, "bill_payer_account_id|line_item_usage_account_id" },
  { CU_FIELD_BILLING_ACCOUNT_NAME, "bill_payer_account_name" },
  { CU_FIELD_SUB_ACCOUNT_ID, "line_item_usage_account_id" },
  { CU_FIELD_SUB_ACCOUNT_NAME, "line_item_usage_account_name" },
  { CU_FIELD_PUBLISHER, "line_item_legal_entity" },
  { CU_FIELD_INVOICE_ISSUER, "bill_invoicing_entity" },
  { CU_FIELD_SERVICE_NAME, "product_product_name|product_servicename" },
  { CU_FIELD_REGION_ID, "product_region_code|product_region" },
  { CU_FIELD_REGION_NAME, "product_location" },
  { CU_FIELD_AZ, "line_item_availability_zone" },
  { CU_FIELD_RESOURCE_ID, "line_item_resource_id" },
  { CU_FIELD_CHARGE_DESCRIPTION, "line_item_line_item_description" },
  { CU_FIELD_SKU_ID, "product_sku" },
  { CU_FIELD_PRICING_UNIT, "pricing_unit" },
  { CU_FIELD_PRICING_QUANTITY, "line_item_usage_amount" },
  { CU_FIELD_INVOICE_ID, "bill_invoice_id" },
  { CU_FIELD_TAGS, "resource_tags" },
  { CU_FIELD_LINE_ITEM_TYPE, "line_item_line_item_type" },
  { CU_FIELD_PRODUCT_CODE, "line_item_product_code" },
  { CU_FIELD_SP_EFFECTIVE, "savings_plan_savings_plan_effective_cost" },
  { CU_FIELD_SP_ARN, "savings_plan_savings_plan_a_r_n" },
  { CU_FIELD_SP_TOTAL_COMMITMENT, "savings_plan_total_commitment_to_date" },
  { CU_FIELD_SP_USED_COMMITMENT, "savings_plan_used_commitment" },
  { CU_FIELD_RI_EFFECTIVE, "reservation_effective_cost" },
  { CU_FIELD_RI_ARN, "reservation_reservation_a_r_n" },
  { CU_FIELD_RI_UNUSED_AMORTIZED, "reservation_unused_amortized_upfront_fee_for_billing_period" },
  { CU_FIELD_RI_UNUSED_RECURRING, "reservation_unused_recurring_fee" },
};

static const CuFormatRequired cur_required[] = {
  { CU_FIELD_BILLED, "lineItem/UnblendedCost" }, { CU_FIELD_CHARGE_START, "lineItem/UsageStartDate" },
  { CU_FIELD_CURRENCY, "lineItem/CurrencyCode" },
};

static const CuFormatRequired cur2_required[] = {
  { CU_FIELD_BILLED, "line_item_unblended_cost" }, { CU_FIELD_CHARGE_START, "line_item_usage_start_date" },
  { CU_FIELD_CURRENCY, "line_item_currency_code" },
};

static gboolean
cur_detect (GHashTable *index)
{
  return cu_format_header_has (index, "lineitem/unblendedcost") ||
         cu_format_header_has (index, "lineitem/usagestartdate");
}

static gboolean
cur2_detect (GHashTable *index)
{
  return cu_format_header_has (index, "line_item_unblended_cost") ||
         cu_format_header_has (index, "line_item_usage_start_date");
}

/* legacy CUR: one column per tag, "resourceTags/user:env" is tag "env" */
static void
cur_prepare (CuFormatRow *row)
{
  for (guint i = 0; i < row->n_header; i++)
    if (g_ascii_strncasecmp (row->header[i], "resourceTags/", 13) == 0)
      {
        const char *key = row->header[i] + 13;

        if (g_str_has_prefix (key, "user:") && key[5] != '\0')
          key += 5;
        g_array_append_val (row->tag_columns, i);
        g_ptr_array_add (row->tag_column_keys, g_strdup (key));
      }
}

static gboolean
sum_overflows (CuFormatRow *row, GError **error)
{
  return cu_format_row_error (row, error, -1, "the effective cost is too large for an amount");
}

/* Amortised cost per line item (cloud-apis.md §9.1), only where the file
 * carries the commitment columns; without them the unblended cost is all
 * there is. */
static gboolean
cur_effective_cost (CuFormatRow *row,
                    gint64       unblended,
                    gint64      *effective,
                    GError     **error)
{
  const char *type = cu_format_row_get (row, CU_FIELD_LINE_ITEM_TYPE);
  gboolean has_sp = cu_format_row_has_column (row, CU_FIELD_SP_EFFECTIVE);
  gboolean has_ri = cu_format_row_has_column (row, CU_FIELD_RI_EFFECTIVE);

  *effective = unblended;
  if (type == NULL)
    return TRUE;

  if (has_sp && strcmp (type, "SavingsPlanCoveredUsage") == 0)
    return cu_format_row_parse_money (row, CU_FIELD_SP_EFFECTIVE, FALSE, effective, NULL, error);
  if (has_sp && (strcmp (type, "SavingsPlanNegation") == 0 ||
                 strcmp (type, "SavingsPlanUpfrontFee") == 0))
    {
      *effective = 0;
      return TRUE;
    }
  if (has_sp && strcmp (type, "SavingsPlanRecurringFee") == 0)
    {
      gint64 total = 0, used = 0;
      gboolean has_total = FALSE, has_used = FALSE;

      *effective = 0;
      if (cu_format_row_has_column (row, CU_FIELD_SP_TOTAL_COMMITMENT) &&
          cu_format_row_has_column (row, CU_FIELD_SP_USED_COMMITMENT))
        {
          /* the unused part of the commitment is what the fee costs */
          if (!cu_format_row_parse_money (row, CU_FIELD_SP_TOTAL_COMMITMENT, FALSE, &total, &has_total, error) ||
              !cu_format_row_parse_money (row, CU_FIELD_SP_USED_COMMITMENT, FALSE, &used, &has_used, error))
            return FALSE;
          if (has_total && __builtin_sub_overflow (total, used, effective))
            return sum_overflows (row, error);
        }
      return TRUE;
    }
  if (has_ri && strcmp (type, "DiscountedUsage") == 0)
    return cu_format_row_parse_money (row, CU_FIELD_RI_EFFECTIVE, FALSE, effective, NULL, error);
  if (has_ri && strcmp (type, "RIFee") == 0)
    {
      gint64 a = 0, b = 0;

      if (!cu_format_row_parse_money (row, CU_FIELD_RI_UNUSED_AMORTIZED, FALSE, &a, NULL, error) ||
          !cu_format_row_parse_money (row, CU_FIELD_RI_UNUSED_RECURRING, FALSE, &b, NULL, error))
        return FALSE;
      if (__builtin_add_overflow (a, b, effective))
        return sum_overflows (row, error);
      return TRUE;
    }
  return TRUE;
}

/* The line item type as a FOCUS charge category and frequency */
static void
cur_charge (const char *type, const char **category, const char **frequency)
{
  *category = "Usage";
  *frequency = "Usage-Based";
  if (type == NULL)
    return;
  if (strcmp (type, "Tax") == 0)
    *category = "Tax", *frequency = "One-Time";
  else if (strcmp (type, "Credit") == 0 || strcmp (type, "Refund") == 0 ||
           strstr (type, "Discount") != NULL)
    *category = "Credit", *frequency = "One-Time";
  else if (strcmp (type, "RIFee") == 0 || strcmp (type, "SavingsPlanRecurringFee") == 0)
    *category = "Purchase", *frequency = "Recurring";
  else if (strcmp (type, "Fee") == 0 || strcmp (type, "SavingsPlanUpfrontFee") == 0)
    *category = "Purchase", *frequency = "One-Time";
}

static void
cur_fix_row (CuFormatRow *row,
             CuCostRow   *cost)
{
  const char *type = cu_format_row_get (row, CU_FIELD_LINE_ITEM_TYPE);

  cur_charge (type, &cost->charge_category, &cost->charge_frequency);
  if (cost->service_name == NULL)
    cost->service_name = cu_format_row_get (row, CU_FIELD_PRODUCT_CODE);
  if (cost->region_id == NULL)
    cost->region_id = cu_format_row_get (row, CU_FIELD_REGION_FALLBACK);
  if (type != NULL && g_str_has_prefix (type, "SavingsPlan"))
    cost->commitment_discount_id = cu_format_row_get (row, CU_FIELD_SP_ARN);
  else if (type != NULL && (strcmp (type, "DiscountedUsage") == 0 || strcmp (type, "RIFee") == 0))
    cost->commitment_discount_id = cu_format_row_get (row, CU_FIELD_RI_ARN);
}

const CuImportFormatDesc cu_format_cur = {
  .format = CU_IMPORT_FORMAT_CUR,
  .name = "AWS CUR",
  .columns = cur_columns,
  .n_columns = G_N_ELEMENTS (cur_columns),
  .required = cur_required,
  .n_required = G_N_ELEMENTS (cur_required),
  .provider_name = "AWS",
  .bp_end_inclusive = FALSE,
  .detect = cur_detect,
  .prepare = cur_prepare,
  .effective_cost = cur_effective_cost,
  .fix_row = cur_fix_row,
};

const CuImportFormatDesc cu_format_cur2 = {
  .format = CU_IMPORT_FORMAT_CUR2,
  .name = "AWS CUR 2.0",
  .columns = cur2_columns,
  .n_columns = G_N_ELEMENTS (cur2_columns),
  .required = cur2_required,
  .n_required = G_N_ELEMENTS (cur2_required),
  .provider_name = "AWS",
  .bp_end_inclusive = FALSE,
  .tag_prefix = "user_",
  .detect = cur2_detect,
  .effective_cost = cur_effective_cost,
  .fix_row = cur_fix_row,
};

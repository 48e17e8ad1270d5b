/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-format-azure.c — Azure cost-details exports (EA and MCA)
 *
 * EA exports spell their columns in PascalCase, MCA ones in camelCase;
 * header matching is case-blind, so one table serves both. The billing
 * period's end is its last day, inclusive.
 */
#define G_LOG_DOMAIN "cumulus-import"

#include "importers/cu-format-private.h"

static const CuFormatColumn azure_columns[] = {
  { CU_FIELD_CHARGE_START, "date|usagedatetime|usagedate" },
  { CU_FIELD_BILLED, "costinbillingcurrency|pretaxcost|cost" },
  { CU_FIELD_CURRENCY, "billingcurrency|billingcurrencycode|currency" },
  { CU_FIELD_BP_START, "billingperiodstartdate" },
  { CU_FIELD_BP_END, "billingperiodenddate" },
  { CU_FIELD_BILLING_ACCOUNT_ID, "billingaccountid|subscriptionid|subscriptionguid" },
  { CU_FIELD_BILLING_ACCOUNT_NAME, "billingaccountname" },
  { CU_FIELD_SUB_ACCOUNT_ID, "subscriptionid|subscriptionguid" },
  { CU_FIELD_SUB_ACCOUNT_NAME, "subscriptionname" },
  { CU_FIELD_PUBLISHER, "publishername" },
  { CU_FIELD_SERVICE_NAME, "metercategory|servicename" },
  { CU_FIELD_REGION_ID, "resourcelocation|resourcelocationnormalized" },
  { CU_FIELD_REGION_NAME, "meterregion" },
  { CU_FIELD_AZ, "availabilityzone" },
  { CU_FIELD_RESOURCE_ID, "resourceid|instanceid|instancename" },
  { CU_FIELD_RESOURCE_NAME, "resourcename" },
  { CU_FIELD_CHARGE_CATEGORY, "chargetype" },
  { CU_FIELD_CHARGE_DESCRIPTION, "metername|productname" },
  { CU_FIELD_CHARGE_FREQUENCY, "frequency" },
  { CU_FIELD_SKU_ID, "partnumber|meterid" },
  { CU_FIELD_PRICING_CATEGORY, "pricingmodel" },
  { CU_FIELD_PRICING_UNIT, "unitofmeasure" },
  { CU_FIELD_PRICING_QUANTITY, "quantity|usagequantity" },
  { CU_FIELD_COMMITMENT_ID, "reservationid|benefitid" },
  { CU_FIELD_INVOICE_ID, "invoiceid" },
  { CU_FIELD_TAGS, "tags" },
};

static const CuFormatRequired azure_required[] = {
  { CU_FIELD_BILLED, "CostInBillingCurrency" }, { CU_FIELD_CHARGE_START, "Date" },
  { CU_FIELD_CURRENCY, "BillingCurrency" },
};

static gboolean
azure_detect (GHashTable *index)
{
  return (cu_format_header_has (index, "costinbillingcurrency") || cu_format_header_has (index, "pretaxcost") ||
          cu_format_header_has (index, "cost")) &&
         (cu_format_header_has (index, "date") || cu_format_header_has (index, "usagedatetime") ||
          cu_format_header_has (index, "usagedate")) &&
         (cu_format_header_has (index, "metercategory") || cu_format_header_has (index, "subscriptionid") ||
          cu_format_header_has (index, "subscriptionguid"));
}

/* ChargeType to FOCUS ChargeCategory */
static const char *
azure_charge_category (const char *charge_type)
{
  if (charge_type == NULL)
    return "Usage";
  if (g_ascii_strcasecmp (charge_type, "Purchase") == 0)
    return "Purchase";
  if (g_ascii_strcasecmp (charge_type, "Refund") == 0)
    return "Credit";
  if (g_ascii_strcasecmp (charge_type, "Tax") == 0)
    return "Tax";
  if (g_ascii_strcasecmp (charge_type, "Adjustment") == 0)
    return "Adjustment";
  return "Usage";
}

static void
azure_fix_row (CuFormatRow *row,
               CuCostRow   *cost)
{
  cost->charge_category = azure_charge_category (cost->charge_category);
  if (cost->region_id != NULL)
    {
      /* "West Europe", "WestEurope" and "westeurope" are one region */
      gsize n = 0;

      for (const char *p = cost->region_id; *p && n < sizeof row->region_buf - 1; p++)
        if (*p != ' ')
          row->region_buf[n++] = g_ascii_tolower (*p);
      row->region_buf[n] = '\0';
      cost->region_id = row->region_buf;
    }
  if (cost->publisher_name == NULL)
    cost->publisher_name = "Microsoft";
}

const CuImportFormatDesc cu_format_azure = {
  .format = CU_IMPORT_FORMAT_AZURE,
  .name = "Azure cost details",
  .columns = azure_columns,
  .n_columns = G_N_ELEMENTS (azure_columns),
  .required = azure_required,
  .n_required = G_N_ELEMENTS (azure_required),
  .provider_name = "Microsoft",
  .bp_end_inclusive = TRUE,
  .detect = azure_detect,
  .fix_row = azure_fix_row,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-format-focus.c — FinOps FOCUS 1.0–1.2 exports
 *
 * FOCUS is the ledger's own shape: its columns map one to one, and only the
 * version is told from the header (columns that 1.1 and 1.2 added).
 */
#define G_LOG_DOMAIN "cumulus-import"

#include "importers/cu-format-private.h"

static const CuFormatColumn focus_columns[] = {
  { CU_FIELD_CHARGE_START, "chargeperiodstart" },
  { CU_FIELD_CHARGE_END, "chargeperiodend" },
  { CU_FIELD_BILLED, "billedcost" },
  { CU_FIELD_EFFECTIVE, "effectivecost" },
  { CU_FIELD_LIST, "listcost" },
  { CU_FIELD_CONTRACTED, "contractedcost" },
  { CU_FIELD_CURRENCY, "billingcurrency" },
  { CU_FIELD_BP_START, "billingperiodstart" },
  { CU_FIELD_BP_END, "billingperiodend" },
  { CU_FIELD_BILLING_ACCOUNT_ID, "billingaccountid" },
  { CU_FIELD_BILLING_ACCOUNT_NAME, "billingaccountname" },
  { CU_FIELD_SUB_ACCOUNT_ID, "subaccountid" },
  { CU_FIELD_SUB_ACCOUNT_NAME, "subaccountname" },
  { CU_FIELD_PROVIDER, "providername" },
  { CU_FIELD_PUBLISHER, "publishername" },
  { CU_FIELD_INVOICE_ISSUER, "invoiceissuername" },
  { CU_FIELD_SERVICE_NAME, "servicename" },
  { CU_FIELD_SERVICE_CATEGORY, "servicecategory" },
  { CU_FIELD_SERVICE_SUBCATEGORY, "servicesubcategory" },
  { CU_FIELD_REGION_ID, "regionid|region" },
  { CU_FIELD_REGION_NAME, "regionname" },
  { CU_FIELD_AZ, "availabilityzone" },
  { CU_FIELD_RESOURCE_ID, "resourceid" },
  { CU_FIELD_RESOURCE_NAME, "resourcename" },
  { CU_FIELD_RESOURCE_TYPE, "resourcetype" },
  { CU_FIELD_CHARGE_CATEGORY, "chargecategory" },
  { CU_FIELD_CHARGE_CLASS, "chargeclass" },
  { CU_FIELD_CHARGE_DESCRIPTION, "chargedescription" },
  { CU_FIELD_CHARGE_FREQUENCY, "chargefrequency" },
  { CU_FIELD_SKU_ID, "skuid" },
  { CU_FIELD_SKU_PRICE_ID, "skupriceid" },
  { CU_FIELD_PRICING_CATEGORY, "pricingcategory" },
  { CU_FIELD_PRICING_UNIT, "pricingunit" },
  { CU_FIELD_CONSUMED_UNIT, "consumedunit" },
  { CU_FIELD_PRICING_QUANTITY, "pricingquantity" },
  { CU_FIELD_CONSUMED_QUANTITY, "consumedquantity" },
  { CU_FIELD_COMMITMENT_ID, "commitmentdiscountid" },
  { CU_FIELD_COMMITMENT_TYPE, "commitmentdiscounttype" },
  { CU_FIELD_INVOICE_ID, "invoiceid" },
  { CU_FIELD_TAGS, "tags" },
};

static const CuFormatRequired focus_required[] = {
  { CU_FIELD_BILLED, "BilledCost" }, { CU_FIELD_EFFECTIVE, "EffectiveCost" },
  { CU_FIELD_CHARGE_START, "ChargePeriodStart" }, { CU_FIELD_CURRENCY, "BillingCurrency" },
};

static gboolean
focus_detect (GHashTable *index)
{
  return cu_format_header_has (index, "billedcost") || cu_format_header_has (index, "chargeperiodstart") ||
         (cu_format_header_has (index, "effectivecost") && cu_format_header_has (index, "billingperiodstart"));
}

static char *
focus_describe (GHashTable *index)
{
  const char *version = "1.0";

  if (cu_format_header_has (index, "invoiceid") || cu_format_header_has (index, "pricingcurrency") ||
      cu_format_header_has (index, "billingaccounttype"))
    version = "1.2";
  else if (cu_format_header_has (index, "servicesubcategory") ||
           cu_format_header_has (index, "capacityreservationid") ||
           cu_format_header_has (index, "skumeter") ||
           cu_format_header_has (index, "commitmentdiscountquantity"))
    version = "1.1";
  return g_strdup_printf ("FOCUS %s", version);
}

/* FOCUS states the effective cost itself, and requires it */
static gboolean
focus_effective_cost (CuFormatRow *row,
                      gint64       billed,
                      gint64      *effective,
                      GError     **error)
{
  return cu_format_row_parse_money (row, CU_FIELD_EFFECTIVE, TRUE, effective, NULL, error);
}

const CuImportFormatDesc cu_format_focus = {
  .format = CU_IMPORT_FORMAT_FOCUS,
  .name = "FOCUS",
  .columns = focus_columns,
  .n_columns = G_N_ELEMENTS (focus_columns),
  .required = focus_required,
  .n_required = G_N_ELEMENTS (focus_required),
  .provider_name = NULL,
  .bp_end_inclusive = FALSE,
  .detect = focus_detect,
  .describe = focus_describe,
  .effective_cost = focus_effective_cost,
};

/* cu-importer.c — cost export files into the ledger
 *
 * How a file is written:
 *
 * - Every row belongs to a group: (ledger account, billing period). The
 *   account is one per provider and billing account, "import:aws:<payer>",
 *   so the same bill imported as FOCUS or as CUR replaces, never adds up.
 * - A group is written by one ledger writer, i.e. one transaction that
 *   replaces the account's days in the billing period. When the file
 *   declares its billing period (FOCUS, CUR, most Azure exports) the whole
 *   period is replaced — an export is the state of the period, so a later
 *   export drops rows that were restated away. When the period is only
 *   inferred from the calendar month, just the days the file covers are
 *   replaced.
 * - Corrections of an earlier period billed in this one (a May FOCUS row
 *   with ChargePeriodStart in April) are booked on the first day of the
 *   billing period that billed them. The ledger replaces by charge day, and
 *   widening the range to April would delete the April import's rows.
 * - One pass when possible: if the first row's billing period is declared,
 *   the writer starts at once and rows are validated as they are written;
 *   an invalid row aborts the writer, so a bad file leaves the ledger as it
 *   was. Should a second group show up the writer is abandoned and the
 *   file is read twice: a first pass validates everything and finds the
 *   groups, a second writes them (once per group, or one sequential pass
 *   when the groups are contiguous in the file). Nothing is written before
 *   the whole file has been validated, and the second pass checks that
 *   each group's row count and sums are what the first pass saw.
 *
 * Memory stays constant: one record at a time, plus a few bytes per group.
 */
#define G_LOG_DOMAIN "cumulus-import"

#include "importers/cu-importer.h"
#include "importers/cu-csv-reader.h"
#include "util/cu-money.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (cu-import-error-quark, cu_import_error)

/* Source fields, whatever their column is called in a format */
enum {
  F_CHARGE_START,
  F_CHARGE_END,
  F_BILLED,
  F_EFFECTIVE,
  F_LIST,
  F_CONTRACTED,
  F_CURRENCY,
  F_BP_START,
  F_BP_END,
  F_BILLING_ACCOUNT_ID,
  F_BILLING_ACCOUNT_NAME,
  F_SUB_ACCOUNT_ID,
  F_SUB_ACCOUNT_NAME,
  F_PROVIDER,
  F_PUBLISHER,
  F_INVOICE_ISSUER,
  F_SERVICE_NAME,
  F_SERVICE_CATEGORY,
  F_SERVICE_SUBCATEGORY,
  F_REGION_ID,
  F_REGION_NAME,
  F_AZ,
  F_RESOURCE_ID,
  F_RESOURCE_NAME,
  F_RESOURCE_TYPE,
  F_CHARGE_CATEGORY,
  F_CHARGE_CLASS,
  F_CHARGE_DESCRIPTION,
  F_CHARGE_FREQUENCY,
  F_SKU_ID,
  F_SKU_PRICE_ID,
  F_PRICING_CATEGORY,
  F_PRICING_UNIT,
  F_CONSUMED_UNIT,
  F_PRICING_QUANTITY,
  F_CONSUMED_QUANTITY,
  F_COMMITMENT_ID,
  F_COMMITMENT_TYPE,
  F_INVOICE_ID,
  F_TAGS,
  /* CUR only */
  F_LINE_ITEM_TYPE,
  F_PRODUCT_CODE,
  F_REGION_FALLBACK,
  F_SP_EFFECTIVE,
  F_SP_ARN,
  F_SP_TOTAL_COMMITMENT,
  F_SP_USED_COMMITMENT,
  F_RI_EFFECTIVE,
  F_RI_ARN,
  F_RI_UNUSED_AMORTIZED,
  F_RI_UNUSED_RECURRING,
  N_FIELDS
};

typedef struct {
  int         field;
  const char *names;   /* lowercase header names, '|'-separated, first match wins */
} ColumnName;

static const ColumnName focus_columns[] = {
  { F_CHARGE_START, "chargeperiodstart" },
  { F_CHARGE_END, "chargeperiodend" },
  { F_BILLED, "billedcost" },
  { F_EFFECTIVE, "effectivecost" },
  { F_LIST, "listcost" },
  { F_CONTRACTED, "contractedcost" },
  { F_CURRENCY, "billingcurrency" },
  { F_BP_START, "billingperiodstart" },
  { F_BP_END, "billingperiodend" },
  { F_BILLING_ACCOUNT_ID, "billingaccountid" },
  { F_BILLING_ACCOUNT_NAME, "billingaccountname" },
  { F_SUB_ACCOUNT_ID, "subaccountid" },
  { F_SUB_ACCOUNT_NAME, "subaccountname" },
  { F_PROVIDER, "providername" },
  { F_PUBLISHER, "publishername" },
  { F_INVOICE_ISSUER, "invoiceissuername" },
  { F_SERVICE_NAME, "servicename" },
  { F_SERVICE_CATEGORY, "servicecategory" },
  { F_SERVICE_SUBCATEGORY, "servicesubcategory" },
  { F_REGION_ID, "regionid|region" },
  { F_REGION_NAME, "regionname" },
  { F_AZ, "availabilityzone" },
  { F_RESOURCE_ID, "resourceid" },
  { F_RESOURCE_NAME, "resourcename" },
  { F_RESOURCE_TYPE, "resourcetype" },
  { F_CHARGE_CATEGORY, "chargecategory" },
  { F_CHARGE_CLASS, "chargeclass" },
  { F_CHARGE_DESCRIPTION, "chargedescription" },
  { F_CHARGE_FREQUENCY, "chargefrequency" },
  { F_SKU_ID, "skuid" },
  { F_SKU_PRICE_ID, "skupriceid" },
  { F_PRICING_CATEGORY, "pricingcategory" },
  { F_PRICING_UNIT, "pricingunit" },
  { F_CONSUMED_UNIT, "consumedunit" },
  { F_PRICING_QUANTITY, "pricingquantity" },
  { F_CONSUMED_QUANTITY, "consumedquantity" },
  { F_COMMITMENT_ID, "commitmentdiscountid" },
  { F_COMMITMENT_TYPE, "commitmentdiscounttype" },
  { F_INVOICE_ID, "invoiceid" },
  { F_TAGS, "tags" },
};

static const ColumnName cur_columns[] = {
  { F_CHARGE_START, "lineitem/usagestartdate" },
  { F_CHARGE_END, "lineitem/usageenddate" },
  { F_BILLED, "lineitem/unblendedcost" },
  { F_LIST, "pricing/publicondemandcost" },
  { F_CURRENCY, "lineitem/currencycode" },
  { F_BP_START, "bill/billingperiodstartdate" },
  { F_BP_END, "bill/billingperiodenddate" },
  { F_BILLING_ACCOUNT_ID, "bill/payeraccountid|lineitem/usageaccountid" },
  { F_BILLING_ACCOUNT_NAME, "bill/payeraccountname" },
  { F_SUB_ACCOUNT_ID, "lineitem/usageaccountid" },
  { F_SUB_ACCOUNT_NAME, "lineitem/usageaccountname" },
  { F_PUBLISHER, "lineitem/legalentity" },
  { F_INVOICE_ISSUER, "bill/invoicingentity" },
  { F_SERVICE_NAME, "product/productname" },
  { F_REGION_ID, "product/region|product/regioncode" },
  { F_REGION_FALLBACK, "product/regioncode" },
  { F_REGION_NAME, "product/location" },
  { F_AZ, "lineitem/availabilityzone" },
  { F_RESOURCE_ID, "lineitem/resourceid" },
  { F_CHARGE_DESCRIPTION, "lineitem/lineitemdescription" },
  { F_SKU_ID, "product/sku" },
  { F_PRICING_UNIT, "pricing/unit" },
  { F_PRICING_QUANTITY, "lineitem/usageamount" },
  { F_INVOICE_ID, "bill/invoiceid" },
  { F_LINE_ITEM_TYPE, "lineitem/lineitemtype" },
  { F_PRODUCT_CODE, "lineitem/productcode" },
  { F_SP_EFFECTIVE, "savingsplan/savingsplaneffectivecost" },
  { F_SP_ARN, "savingsplan/savingsplanarn" },
  { F_SP_TOTAL_COMMITMENT, "savingsplan/totalcommitmenttodate" },
  { F_SP_USED_COMMITMENT, "savingsplan/usedcommitment" },
  { F_RI_EFFECTIVE, "reservation/effectivecost" },
  { F_RI_ARN, "reservation/reservationarn" },
  { F_RI_UNUSED_AMORTIZED, "reservation/unusedamortizedupfrontfeeforbillingperiod" },
  { F_RI_UNUSED_RECURRING, "reservation/unusedrecurringfee" },
};

static const ColumnName cur2_columns[] = {
  { F_CHARGE_START, "line_item_usage_start_date" },
  { F_CHARGE_END, "line_item_usage_end_date" },
  { F_BILLED, "line_item_unblended_cost" },
  { F_LIST, "pricing_public_on_demand_cost" },
  { F_CURRENCY, "line_item_currency_code" },
  { F_BP_START, "bill_billing_period_start_date" },
  { F_BP_END, "bill_billing_period_end_date" },
  { F_BILLING_ACCOUNT_ID, "bill_payer_account_id|line_item_usage_account_id" },
  { F_BILLING_ACCOUNT_NAME, "bill_payer_account_name" },
  { F_SUB_ACCOUNT_ID, "line_item_usage_account_id" },
  { F_SUB_ACCOUNT_NAME, "line_item_usage_account_name" },
  { F_PUBLISHER, "line_item_legal_entity" },
  { F_INVOICE_ISSUER, "bill_invoicing_entity" },
  { F_SERVICE_NAME, "product_product_name|product_servicename" },
  { F_REGION_ID, "product_region_code|product_region" },
  { F_REGION_NAME, "product_location" },
  { F_AZ, "line_item_availability_zone" },
  { F_RESOURCE_ID, "line_item_resource_id" },
  { F_CHARGE_DESCRIPTION, "line_item_line_item_description" },
  { F_SKU_ID, "product_sku" },
  { F_PRICING_UNIT, "pricing_unit" },
  { F_PRICING_QUANTITY, "line_item_usage_amount" },
  { F_INVOICE_ID, "bill_invoice_id" },
  { F_TAGS, "resource_tags" },
  { F_LINE_ITEM_TYPE, "line_item_line_item_type" },
  { F_PRODUCT_CODE, "line_item_product_code" },
  { F_SP_EFFECTIVE, "savings_plan_savings_plan_effective_cost" },
  { F_SP_ARN, "savings_plan_savings_plan_a_r_n" },
  { F_SP_TOTAL_COMMITMENT, "savings_plan_total_commitment_to_date" },
  { F_SP_USED_COMMITMENT, "savings_plan_used_commitment" },
  { F_RI_EFFECTIVE, "reservation_effective_cost" },
  { F_RI_ARN, "reservation_reservation_a_r_n" },
  { F_RI_UNUSED_AMORTIZED, "reservation_unused_amortized_upfront_fee_for_billing_period" },
  { F_RI_UNUSED_RECURRING, "reservation_unused_recurring_fee" },
};

/* EA ("PascalCase") and MCA ("camelCase") exports; matching is case-blind */
static const ColumnName azure_columns[] = {
  { F_CHARGE_START, "date|usagedatetime|usagedate" },
  { F_BILLED, "costinbillingcurrency|pretaxcost|cost" },
  { F_CURRENCY, "billingcurrency|billingcurrencycode|currency" },
  { F_BP_START, "billingperiodstartdate" },
  { F_BP_END, "billingperiodenddate" },
  { F_BILLING_ACCOUNT_ID, "billingaccountid|subscriptionid|subscriptionguid" },
  { F_BILLING_ACCOUNT_NAME, "billingaccountname" },
  { F_SUB_ACCOUNT_ID, "subscriptionid|subscriptionguid" },
  { F_SUB_ACCOUNT_NAME, "subscriptionname" },
  { F_PUBLISHER, "publishername" },
  { F_SERVICE_NAME, "metercategory|servicename" },
  { F_REGION_ID, "resourcelocation|resourcelocationnormalized" },
  { F_REGION_NAME, "meterregion" },
  { F_AZ, "availabilityzone" },
  { F_RESOURCE_ID, "resourceid|instanceid|instancename" },
  { F_RESOURCE_NAME, "resourcename" },
  { F_CHARGE_CATEGORY, "chargetype" },
  { F_CHARGE_DESCRIPTION, "metername|productname" },
  { F_CHARGE_FREQUENCY, "frequency" },
  { F_SKU_ID, "partnumber|meterid" },
  { F_PRICING_CATEGORY, "pricingmodel" },
  { F_PRICING_UNIT, "unitofmeasure" },
  { F_PRICING_QUANTITY, "quantity|usagequantity" },
  { F_COMMITMENT_ID, "reservationid|benefitid" },
  { F_INVOICE_ID, "invoiceid" },
  { F_TAGS, "tags" },
};

typedef struct {
  int         field;
  const char *display;  /* as the format spells it, for errors */
} Required;

typedef struct {
  CuImportFormat    format;
  const char       *name;
  const ColumnName *columns;
  guint             n_columns;
  const Required   *required;
  guint             n_required;
  const char       *provider_name;   /* fixed ProviderName, or NULL to read it */
  gboolean          bp_end_inclusive;
} FormatSpec;

static const Required focus_required[] = {
  { F_BILLED, "BilledCost" }, { F_EFFECTIVE, "EffectiveCost" },
  { F_CHARGE_START, "ChargePeriodStart" }, { F_CURRENCY, "BillingCurrency" },
};
static const Required cur_required[] = {
  { F_BILLED, "lineItem/UnblendedCost" }, { F_CHARGE_START, "lineItem/UsageStartDate" },
  { F_CURRENCY, "lineItem/CurrencyCode" },
};
static const Required cur2_required[] = {
  { F_BILLED, "line_item_unblended_cost" }, { F_CHARGE_START, "line_item_usage_start_date" },
  { F_CURRENCY, "line_item_currency_code" },
};
static const Required azure_required[] = {
  { F_BILLED, "CostInBillingCurrency" }, { F_CHARGE_START, "Date" },
  { F_CURRENCY, "BillingCurrency" },
};

static const FormatSpec formats[] = {
  { CU_IMPORT_FORMAT_FOCUS, "FOCUS", focus_columns, G_N_ELEMENTS (focus_columns),
    focus_required, G_N_ELEMENTS (focus_required), NULL, FALSE },
  { CU_IMPORT_FORMAT_CUR, "AWS CUR", cur_columns, G_N_ELEMENTS (cur_columns),
    cur_required, G_N_ELEMENTS (cur_required), "AWS", FALSE },
  { CU_IMPORT_FORMAT_CUR2, "AWS CUR 2.0", cur2_columns, G_N_ELEMENTS (cur2_columns),
    cur2_required, G_N_ELEMENTS (cur2_required), "AWS", FALSE },
  { CU_IMPORT_FORMAT_AZURE, "Azure cost details", azure_columns, G_N_ELEMENTS (azure_columns),
    azure_required, G_N_ELEMENTS (azure_required), "Microsoft", TRUE },
};

typedef struct {
  char *name;       /* "import:aws:999988887777" */
  char *provider;   /* "aws" */
} Account;

typedef struct {
  Account *account;   /* borrowed from Importer.accounts */
  CuDay    bp_first;
  CuDay    bp_last;
  gboolean declared;
  CuDay    min_day;
  CuDay    max_day;
  guint64  n_rows;
  guint64  checksum;  /* of the amounts, to notice a file that changed between passes */
  guint    order;
  /* second pass */
  guint64  n_written;
  guint64  written_checksum;
} Group;

typedef enum {
  PASS_FAST,       /* write the first group while validating; bail out on a second */
  PASS_SCAN,       /* validate, find groups, no writing */
  PASS_SEQUENTIAL, /* write every group, groups are contiguous */
  PASS_ONE_GROUP,  /* write the rows of one group */
} PassMode;

typedef struct {
  /* borrowed */
  CuLedger              *ledger;
  GFile                 *file;
  const char            *display;
  CuImportProgressFunc   progress;
  gpointer               progress_data;
  GCancellable          *cancellable;

  /* owned */
  const FormatSpec      *spec;
  char                  *format_name;
  char                  *source;
  int                    col[N_FIELDS];
  char                 **header;           /* column names as written in the file */
  guint                  n_header;
  GArray                *tag_columns;      /* of guint: CUR resourceTags/... columns */
  GPtrArray             *tag_column_keys;  /* matching tag keys */
  JsonParser            *json;
  GHashTable            *tag_cache;        /* JSON text → key, value, key, value… */
  GPtrArray             *tag_keys;
  GPtrArray             *tag_values;
  GHashTable            *accounts;         /* name → Account */
  GHashTable            *groups;           /* key → Group */
  GPtrArray             *group_list;       /* of Group *, in order of appearance */
  GArray                *totals;           /* of CuImportTotal */
  guint64                n_moved;
  gboolean               contiguous;
  CuImportResult        *result;

  /* the current row */
  CuCsvReader           *reader;
  CuCostRow              row;
  CuDay                  day;
  gboolean               moved;
  Group                 *group;
  Account               *last_account;
  GString               *last_account_raw;
  GString               *key;
  char                   start_buf[32];
  char                   end_buf[32];
  char                   bp_start_buf[32];
  char                   bp_end_buf[32];
  char                   region_buf[128];
  guint64                last_progress;
} Importer;

/* ---- small helpers ---- */

static void
account_free (gpointer data)
{
  Account *a = data;

  g_free (a->name);
  g_free (a->provider);
  g_free (a);
}

static gboolean
is_null (const char *s)
{
  return s == NULL || s[0] == '\0' ||
         (s[0] == 'N' && s[1] == 'U' && s[2] == 'L' && s[3] == 'L' && s[4] == '\0');
}

static const char *
get (Importer *imp, int field)
{
  const char *s;

  if (imp->col[field] < 0)
    return NULL;
  s = cu_csv_reader_get_field (imp->reader, imp->col[field], NULL);
  return is_null (s) ? NULL : s;
}

static const char *
column_name (Importer *imp, int field)
{
  if (imp->col[field] >= 0)
    return imp->header[imp->col[field]];
  return "?";
}

static gboolean
row_error (Importer    *imp,
           GError     **error,
           int          field,
           const char  *fmt,
           ...) G_GNUC_PRINTF (4, 5);

/* "cost.csv:1234: column BilledCost: “abc” is not a decimal amount" */
static gboolean
row_error (Importer    *imp,
           GError     **error,
           int          field,
           const char  *fmt,
           ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (field >= 0)
    g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_INVALID_VALUE,
                 "%s:%" G_GUINT64_FORMAT ": column %s: %s", imp->display,
                 cu_csv_reader_get_line (imp->reader), column_name (imp, field), msg);
  else
    g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_INVALID_VALUE,
                 "%s:%" G_GUINT64_FORMAT ": %s", imp->display,
                 cu_csv_reader_get_line (imp->reader), msg);
  return FALSE;
}

static gboolean
parse_money (Importer   *imp,
             int         field,
             gboolean    required,
             gint64     *out,
             gboolean   *has,
             GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *s = get (imp, field);

  if (has)
    *has = FALSE;
  if (s == NULL)
    {
      *out = 0;
      if (required)
        return row_error (imp, error, field, "empty, but an amount is required");
      return TRUE;
    }
  if (!cu_money_parse (s, -1, out, &local_error))
    return row_error (imp, error, field, "%s", local_error->message);
  if (has)
    *has = TRUE;
  return TRUE;
}

static gboolean
parse_quantity (Importer  *imp,
                int        field,
                double    *out,
                gboolean  *has,
                GError   **error)
{
  const char *s = get (imp, field);
  char *end = NULL;

  *has = FALSE;
  if (s == NULL)
    return TRUE;
  *out = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0')
    return row_error (imp, error, field, "“%.40s” is not a number", s);
  *has = TRUE;
  return TRUE;
}

static int
two_digits (const char *s)
{
  if (!g_ascii_isdigit (s[0]) || !g_ascii_isdigit (s[1]))
    return -1;
  return (s[0] - '0') * 10 + (s[1] - '0');
}

/* Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]",
 * "YYYY-MM-DD HH:MM:SS[ UTC]" and the US "MM/DD/YYYY[ HH:MM:SS]" of Azure
 * exports; writes the UTC instant as "YYYY-MM-DDTHH:MM:SSZ". */
static gboolean
parse_timestamp (const char *s,
                 char        out[32],
                 CuDay      *out_day,
                 gboolean   *out_midnight)
{
  int y, mo, d, h = 0, mi = 0, sec = 0, offset = 0;
  const char *p;
  CuDay day;

  /* the canonical form, nearly every row of FOCUS and CUR files */
  if (strlen (s) == 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' &&
      s[19] == 'Z' && s[20] == '\0' && cu_day_parse (s, &day))
    {
      h = two_digits (s + 11);
      mi = two_digits (s + 14);
      sec = two_digits (s + 17);
      if (h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 60)
        {
          memcpy (out, s, 21);
          if (out_day)
            *out_day = day;
          if (out_midnight)
            *out_midnight = (h == 0 && mi == 0 && sec == 0);
          return TRUE;
        }
      h = mi = sec = 0;
    }

  if (strlen (s) >= 10 && s[4] == '-' && s[7] == '-')
    {
      char date[11];

      memcpy (date, s, 10);
      date[10] = '\0';
      if (!cu_day_parse (date, &day))
        return FALSE;
      p = s + 10;
    }
  else
    {
      /* M/D/YYYY, one or two digits for month and day */
      char *end;

      mo = (int) strtol (s, &end, 10);
      if (end == s || *end != '/')
        return FALSE;
      p = end + 1;
      d = (int) strtol (p, &end, 10);
      if (end == p || *end != '/')
        return FALSE;
      p = end + 1;
      y = (int) strtol (p, &end, 10);
      if (end - p != 4)
        return FALSE;
      p = end;
      if (mo < 1 || mo > 12 || d < 1 || d > cu_days_in_month (y, mo))
        return FALSE;
      day = cu_day_from_ymd (y, mo, d);
    }

  if (*p == 'T' || *p == 't' || *p == ' ')
    {
      p++;
      h = two_digits (p);
      if (h < 0 || p[2] != ':')
        return FALSE;
      mi = two_digits (p + 3);
      if (mi < 0)
        return FALSE;
      p += 5;
      if (*p == ':')
        {
          sec = two_digits (p + 1);
          if (sec < 0)
            return FALSE;
          p += 3;
          if (*p == '.' || *p == ',')
            {
              p++;
              while (g_ascii_isdigit (*p))
                p++;
            }
        }
      if (h > 23 || mi > 59 || sec > 60)
        return FALSE;
      if (*p == 'Z' || *p == 'z')
        p++;
      else if (strcmp (p, " UTC") == 0 || strcmp (p, " GMT") == 0)
        p += 4;
      else if (*p == '+' || *p == '-')
        {
          int sign = *p == '-' ? -1 : 1;
          int oh = two_digits (p + 1), om;

          if (oh < 0)
            return FALSE;
          p += 3;
          if (*p == ':')
            p++;
          om = two_digits (p);
          if (om < 0)
            om = 0;
          else
            p += 2;
          offset = sign * (oh * 60 + om);
        }
    }
  if (*p != '\0')
    return FALSE;

  if (offset != 0)
    {
      int minutes = h * 60 + mi - offset;

      while (minutes < 0)
        {
          minutes += 24 * 60;
          day--;
        }
      while (minutes >= 24 * 60)
        {
          minutes -= 24 * 60;
          day++;
        }
      h = minutes / 60;
      mi = minutes % 60;
    }

  cu_day_to_ymd (day, &y, &mo, &d);
  g_snprintf (out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, sec);
  if (out_day)
    *out_day = day;
  if (out_midnight)
    *out_midnight = (h == 0 && mi == 0 && sec == 0);
  return TRUE;
}

static void
format_day_start (CuDay day, char out[32])
{
  int y, m, d;

  cu_day_to_ymd (day, &y, &m, &d);
  g_snprintf (out, 32, "%04d-%02d-%02dT00:00:00Z", y, m, d);
}

static char *
provider_slug (const char *provider_name)
{
  g_autofree char *lower = g_ascii_strdown (provider_name ? provider_name : "", -1);
  GString *slug;

  if (g_str_equal (lower, "aws") || g_str_has_prefix (lower, "amazon"))
    return g_strdup ("aws");
  if (g_str_has_prefix (lower, "microsoft") || g_str_equal (lower, "azure"))
    return g_strdup ("azure");
  if (g_str_has_prefix (lower, "google") || g_str_equal (lower, "gcp"))
    return g_strdup ("gcp");
  if (g_str_has_prefix (lower, "oracle") || g_str_equal (lower, "oci"))
    return g_strdup ("oci");

  slug = g_string_new (NULL);
  for (const char *p = lower; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, *p);
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  if (slug->len == 0)
    g_string_append (slug, "other");
  return g_string_free (slug, FALSE);
}

/* The ledger account of a row: provider and billing account. Azure billing
 * account ids are resource paths; their last segment is the id people know. */
static Account *
lookup_account (Importer *imp, const char *provider_name, const char *billing_account)
{
  const char *id = billing_account;
  g_autofree char *slug = NULL;
  g_autofree char *name = NULL;
  Account *account;

  g_string_truncate (imp->last_account_raw, 0);
  g_string_append (imp->last_account_raw, provider_name ? provider_name : "");
  g_string_append_c (imp->last_account_raw, '\x1f');
  g_string_append (imp->last_account_raw, billing_account ? billing_account : "");

  if (id != NULL && strrchr (id, '/') != NULL && strrchr (id, '/')[1] != '\0')
    id = strrchr (id, '/') + 1;
  slug = provider_slug (provider_name);
  name = id != NULL ? g_strdup_printf ("import:%s:%s", slug, id)
                    : g_strdup_printf ("import:%s", slug);

  account = g_hash_table_lookup (imp->accounts, name);
  if (account == NULL)
    {
      account = g_new0 (Account, 1);
      account->name = g_steal_pointer (&name);
      account->provider = g_steal_pointer (&slug);
      g_hash_table_insert (imp->accounts, account->name, account);
    }
  return account;
}

static gboolean
same_account_raw (Importer *imp, const char *provider_name, const char *billing_account)
{
  const char *raw = imp->last_account_raw->str;
  gsize plen = provider_name ? strlen (provider_name) : 0;

  if (imp->last_account == NULL)
    return FALSE;
  if (strncmp (raw, provider_name ? provider_name : "", plen) != 0 || raw[plen] != '\x1f')
    return FALSE;
  return strcmp (raw + plen + 1, billing_account ? billing_account : "") == 0;
}

/* ---- tags ---- */

static void
add_tag (Importer *imp, const char *key, const char *value)
{
  g_ptr_array_add (imp->tag_keys, (gpointer) key);
  g_ptr_array_add (imp->tag_values, (gpointer) value);
}

/* Tag objects repeat a lot (every row of a resource carries the same
 * tags), so parsed objects are kept in a small cache, emptied when full. */
#define TAG_CACHE_SIZE 512

static char **
parse_json_object (Importer *imp, const char *text, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *wrapped = NULL;
  g_autoptr(GStrvBuilder) pairs = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *root;
  JsonObject *object;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  /* EA exports write the members without the braces: "env": "prod","team": "x" */
  if (*text != '{')
    text = wrapped = g_strconcat ("{", text, "}", NULL);

  if (!json_parser_load_from_data (imp->json, text, -1, &local_error))
    {
      row_error (imp, error, F_TAGS, "not a JSON object (%s)", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (imp->json);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      row_error (imp, error, F_TAGS, "not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &member, &node))
    {
      const char *key = member;
      g_autofree char *value = NULL;

      /* CUR 2.0 spells user tags "user_env"; legacy CUR "user:env" — both "env" */
      if (imp->spec->format == CU_IMPORT_FORMAT_CUR2 && g_str_has_prefix (key, "user_") && key[5] != '\0')
        key += 5;
      /* the ledger wants unique keys: "user_env" and "env" are one tag */
      if (*key == '\0' || !g_hash_table_add (seen, (gpointer) key))
        continue;

      if (JSON_NODE_HOLDS_VALUE (node))
        {
          switch (json_node_get_value_type (node))
            {
            case G_TYPE_STRING:
              value = g_strdup (json_node_get_string (node));
              break;
            case G_TYPE_INT64:
              value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
              break;
            case G_TYPE_DOUBLE:
              {
                char buf[G_ASCII_DTOSTR_BUF_SIZE];
                value = g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
              }
              break;
            case G_TYPE_BOOLEAN:
              value = g_strdup (json_node_get_boolean (node) ? "true" : "false");
              break;
            default:
              value = g_strdup ("");
            }
        }
      else if (JSON_NODE_HOLDS_NULL (node))
        value = g_strdup ("");
      else
        value = json_to_string (node, FALSE);
      g_strv_builder_add (pairs, key);
      g_strv_builder_add (pairs, value);
    }
  return g_strv_builder_end (pairs);
}

static gboolean
parse_json_tags (Importer *imp, const char *text, GError **error)
{
  char **pairs;

  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0' || strcmp (text, "{}") == 0)
    return TRUE;

  pairs = g_hash_table_lookup (imp->tag_cache, text);
  if (pairs == NULL)
    {
      pairs = parse_json_object (imp, text, error);
      if (pairs == NULL)
        return FALSE;
      if (g_hash_table_size (imp->tag_cache) >= TAG_CACHE_SIZE)
        g_hash_table_remove_all (imp->tag_cache);
      g_hash_table_insert (imp->tag_cache, g_strdup (text), pairs);
    }
  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    add_tag (imp, pairs[i], pairs[i + 1]);
  return TRUE;
}

/* ---- one row ---- */

static gboolean
cur_effective_cost (Importer *imp, gint64 unblended, gint64 *effective, GError **error)
{
  const char *type = get (imp, F_LINE_ITEM_TYPE);
  gboolean has_sp = imp->col[F_SP_EFFECTIVE] >= 0;
  gboolean has_ri = imp->col[F_RI_EFFECTIVE] >= 0;

  *effective = unblended;
  if (type == NULL)
    return TRUE;

  /* Amortised cost per line item (cloud-apis.md §9.1), only where the
   * file carries the commitment columns; without them the unblended cost
   * is all there is. */
  if (has_sp && strcmp (type, "SavingsPlanCoveredUsage") == 0)
    return parse_money (imp, F_SP_EFFECTIVE, FALSE, effective, NULL, error);
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
      if (imp->col[F_SP_TOTAL_COMMITMENT] >= 0 && imp->col[F_SP_USED_COMMITMENT] >= 0)
        {
          /* the unused part of the commitment is what the fee costs */
          if (!parse_money (imp, F_SP_TOTAL_COMMITMENT, FALSE, &total, &has_total, error) ||
              !parse_money (imp, F_SP_USED_COMMITMENT, FALSE, &used, &has_used, error))
            return FALSE;
          if (has_total)
            *effective = total - used;
        }
      return TRUE;
    }
  if (has_ri && strcmp (type, "DiscountedUsage") == 0)
    return parse_money (imp, F_RI_EFFECTIVE, FALSE, effective, NULL, error);
  if (has_ri && strcmp (type, "RIFee") == 0)
    {
      gint64 a = 0, b = 0;

      if (!parse_money (imp, F_RI_UNUSED_AMORTIZED, FALSE, &a, NULL, error) ||
          !parse_money (imp, F_RI_UNUSED_RECURRING, FALSE, &b, NULL, error))
        return FALSE;
      *effective = a + b;
      return TRUE;
    }
  return TRUE;
}

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

static Group *
lookup_group (Importer *imp, Account *account, CuDay bp_first, CuDay bp_last, gboolean declared)
{
  Group *group;

  g_string_printf (imp->key, "%s\x1f%d\x1f%d\x1f%d", account->name, bp_first, bp_last, declared);
  group = g_hash_table_lookup (imp->groups, imp->key->str);
  if (group == NULL)
    {
      group = g_new0 (Group, 1);
      group->account = account;
      group->bp_first = bp_first;
      group->bp_last = bp_last;
      group->declared = declared;
      group->min_day = G_MAXINT32;
      group->max_day = G_MININT32;
      group->order = imp->group_list->len;
      g_hash_table_insert (imp->groups, g_strdup (imp->key->str), group);
      g_ptr_array_add (imp->group_list, group);
    }
  return group;
}

/* Turns the current record into imp->row, imp->day and imp->group, or
 * fails naming the line and column. */
static gboolean
convert_row (Importer *imp, GError **error)
{
  CuCostRow *row = &imp->row;
  const FormatSpec *spec = imp->spec;
  guint n_fields = cu_csv_reader_get_n_fields (imp->reader);
  const char *s, *provider_name, *billing_account;
  CuDay day, bp_first, bp_last;
  gboolean declared = FALSE, midnight = FALSE;

  if (n_fields != imp->n_header)
    {
      gboolean extra_empty = n_fields > imp->n_header;

      for (guint i = imp->n_header; extra_empty && i < n_fields; i++)
        if (*cu_csv_reader_get_field (imp->reader, i, NULL) != '\0')
          extra_empty = FALSE;
      if (!extra_empty)
        return row_error (imp, error, -1, "%u fields, but the header has %u", n_fields, imp->n_header);
    }

  memset (row, 0, sizeof *row);
  g_ptr_array_set_size (imp->tag_keys, 0);
  g_ptr_array_set_size (imp->tag_values, 0);

  /* charge period */
  s = get (imp, F_CHARGE_START);
  if (s == NULL)
    return row_error (imp, error, F_CHARGE_START, "empty, but a date is required");
  if (!parse_timestamp (s, imp->start_buf, &day, NULL))
    return row_error (imp, error, F_CHARGE_START, "“%.40s” is not a date and time", s);
  row->charge_period_start = imp->start_buf;
  if (imp->col[F_CHARGE_END] >= 0)
    {
      s = get (imp, F_CHARGE_END);
      if (s != NULL && !parse_timestamp (s, imp->end_buf, NULL, NULL))
        return row_error (imp, error, F_CHARGE_END, "“%.40s” is not a date and time", s);
      row->charge_period_end = s != NULL ? imp->end_buf : NULL;
    }
  else
    {
      format_day_start (day + 1, imp->end_buf);
      row->charge_period_end = imp->end_buf;
    }

  /* billing period: declared by the file, or the calendar month */
  s = get (imp, F_BP_START);
  if (s != NULL)
    {
      if (!parse_timestamp (s, imp->bp_start_buf, &bp_first, NULL))
        return row_error (imp, error, F_BP_START, "“%.40s” is not a date and time", s);
      row->billing_period_start = imp->bp_start_buf;
      s = get (imp, F_BP_END);
      if (s != NULL)
        {
          if (!parse_timestamp (s, imp->bp_end_buf, &bp_last, &midnight))
            return row_error (imp, error, F_BP_END, "“%.40s” is not a date and time", s);
          row->billing_period_end = imp->bp_end_buf;
          if (!spec->bp_end_inclusive && midnight)
            bp_last--;
          if (bp_last < bp_first)
            return row_error (imp, error, F_BP_END, "the billing period ends before it starts");
        }
      else
        bp_last = cu_day_month_end (bp_first);
      declared = TRUE;
    }
  else
    {
      bp_first = cu_day_month_start (day);
      bp_last = cu_day_month_end (day);
    }

  if (day < bp_first || day > bp_last)
    {
      /* a correction billed in this period for another one: see the top */
      day = day < bp_first ? bp_first : bp_last;
      format_day_start (day, imp->start_buf);
      imp->moved = TRUE;
    }
  else
    imp->moved = FALSE;
  imp->day = day;

  /* amounts */
  if (!parse_money (imp, F_BILLED, TRUE, &row->billed_cost, NULL, error))
    return FALSE;
  if (spec->format == CU_IMPORT_FORMAT_FOCUS)
    {
      if (!parse_money (imp, F_EFFECTIVE, TRUE, &row->effective_cost, NULL, error))
        return FALSE;
    }
  else if (spec->format == CU_IMPORT_FORMAT_CUR || spec->format == CU_IMPORT_FORMAT_CUR2)
    {
      if (!cur_effective_cost (imp, row->billed_cost, &row->effective_cost, error))
        return FALSE;
    }
  else
    row->effective_cost = row->billed_cost;
  if (!parse_money (imp, F_LIST, FALSE, &row->list_cost, &row->has_list_cost, error) ||
      !parse_money (imp, F_CONTRACTED, FALSE, &row->contracted_cost, &row->has_contracted_cost, error) ||
      !parse_quantity (imp, F_PRICING_QUANTITY, &row->pricing_quantity, &row->has_pricing_quantity, error) ||
      !parse_quantity (imp, F_CONSUMED_QUANTITY, &row->consumed_quantity, &row->has_consumed_quantity, error))
    return FALSE;

  s = get (imp, F_CURRENCY);
  if (s == NULL)
    return row_error (imp, error, F_CURRENCY, "empty, but a currency is required");
  if (strlen (s) != 3 || !g_ascii_isalpha (s[0]) || !g_ascii_isalpha (s[1]) || !g_ascii_isalpha (s[2]))
    return row_error (imp, error, F_CURRENCY, "“%.40s” is not a three-letter currency code", s);
  row->billing_currency = s;

  /* dimensions */
  provider_name = spec->provider_name ? spec->provider_name : get (imp, F_PROVIDER);
  billing_account = get (imp, F_BILLING_ACCOUNT_ID);
  row->provider_name = provider_name;
  row->billing_account_id = billing_account;
  row->billing_account_name = get (imp, F_BILLING_ACCOUNT_NAME);
  row->sub_account_id = get (imp, F_SUB_ACCOUNT_ID);
  row->sub_account_name = get (imp, F_SUB_ACCOUNT_NAME);
  row->publisher_name = get (imp, F_PUBLISHER);
  row->invoice_issuer_name = get (imp, F_INVOICE_ISSUER);
  row->service_name = get (imp, F_SERVICE_NAME);
  row->service_category = get (imp, F_SERVICE_CATEGORY);
  row->service_subcategory = get (imp, F_SERVICE_SUBCATEGORY);
  row->region_id = get (imp, F_REGION_ID);
  row->region_name = get (imp, F_REGION_NAME);
  row->availability_zone = get (imp, F_AZ);
  row->resource_id = get (imp, F_RESOURCE_ID);
  row->resource_name = get (imp, F_RESOURCE_NAME);
  row->resource_type = get (imp, F_RESOURCE_TYPE);
  row->charge_category = get (imp, F_CHARGE_CATEGORY);
  row->charge_class = get (imp, F_CHARGE_CLASS);
  row->charge_description = get (imp, F_CHARGE_DESCRIPTION);
  row->charge_frequency = get (imp, F_CHARGE_FREQUENCY);
  row->sku_id = get (imp, F_SKU_ID);
  row->sku_price_id = get (imp, F_SKU_PRICE_ID);
  row->pricing_category = get (imp, F_PRICING_CATEGORY);
  row->pricing_unit = get (imp, F_PRICING_UNIT);
  row->consumed_unit = get (imp, F_CONSUMED_UNIT);
  row->commitment_discount_id = get (imp, F_COMMITMENT_ID);
  row->commitment_discount_type = get (imp, F_COMMITMENT_TYPE);
  row->invoice_id = get (imp, F_INVOICE_ID);

  switch (spec->format)
    {
    case CU_IMPORT_FORMAT_CUR:
    case CU_IMPORT_FORMAT_CUR2:
      {
        const char *type = get (imp, F_LINE_ITEM_TYPE);

        cur_charge (type, &row->charge_category, &row->charge_frequency);
        if (row->service_name == NULL)
          row->service_name = get (imp, F_PRODUCT_CODE);
        if (row->region_id == NULL)
          row->region_id = get (imp, F_REGION_FALLBACK);
        if (type != NULL && (g_str_has_prefix (type, "SavingsPlan")))
          row->commitment_discount_id = get (imp, F_SP_ARN);
        else if (type != NULL && (strcmp (type, "DiscountedUsage") == 0 || strcmp (type, "RIFee") == 0))
          row->commitment_discount_id = get (imp, F_RI_ARN);
      }
      break;
    case CU_IMPORT_FORMAT_AZURE:
      row->charge_category = azure_charge_category (row->charge_category);
      if (row->region_id != NULL)
        {
          /* "West Europe", "WestEurope" and "westeurope" are one region */
          gsize n = 0;
          for (const char *p = row->region_id; *p && n < sizeof imp->region_buf - 1; p++)
            if (*p != ' ')
              imp->region_buf[n++] = g_ascii_tolower (*p);
          imp->region_buf[n] = '\0';
          row->region_id = imp->region_buf;
        }
      if (row->publisher_name == NULL)
        row->publisher_name = "Microsoft";
      break;
    case CU_IMPORT_FORMAT_FOCUS:
    case CU_IMPORT_FORMAT_UNKNOWN:
    default:
      break;
    }

  /* tags */
  if (imp->tag_columns->len > 0)
    {
      for (guint i = 0; i < imp->tag_columns->len; i++)
        {
          guint index = g_array_index (imp->tag_columns, guint, i);
          const char *value = cu_csv_reader_get_field (imp->reader, index, NULL);

          if (!is_null (value))
            add_tag (imp, g_ptr_array_index (imp->tag_column_keys, i), value);
        }
    }
  else if ((s = get (imp, F_TAGS)) != NULL)
    {
      if (!parse_json_tags (imp, s, error))
        return FALSE;
    }
  row->n_tags = imp->tag_keys->len;
  row->tag_keys = (const char * const *) imp->tag_keys->pdata;
  row->tag_values = (const char * const *) imp->tag_values->pdata;

  /* group */
  if (!same_account_raw (imp, provider_name, billing_account))
    imp->last_account = lookup_account (imp, provider_name, billing_account);
  if (imp->group == NULL || imp->group->account != imp->last_account ||
      imp->group->bp_first != bp_first || imp->group->bp_last != bp_last ||
      imp->group->declared != declared)
    imp->group = lookup_group (imp, imp->last_account, bp_first, bp_last, declared);

  return TRUE;
}

static guint64
row_checksum (const CuCostRow *row)
{
  return (guint64) row->billed_cost * 31u + (guint64) row->effective_cost;
}

static void
add_total (Importer *imp, const CuCostRow *row)
{
  CuImportTotal *t = NULL;

  for (guint i = 0; i < imp->totals->len; i++)
    {
      CuImportTotal *candidate = &g_array_index (imp->totals, CuImportTotal, i);
      if (strcmp (candidate->currency, row->billing_currency) == 0)
        {
          t = candidate;
          break;
        }
    }
  if (t == NULL)
    {
      CuImportTotal fresh = { g_strdup (row->billing_currency), 0, 0 };
      g_array_append_val (imp->totals, fresh);
      t = &g_array_index (imp->totals, CuImportTotal, imp->totals->len - 1);
    }
  t->billed += row->billed_cost;
  t->effective += row->effective_cost;
}

static void
note_row (Importer *imp)
{
  Group *g = imp->group;

  g->n_rows++;
  g->checksum += row_checksum (&imp->row);
  g->min_day = MIN (g->min_day, imp->day);
  g->max_day = MAX (g->max_day, imp->day);
  if (imp->moved)
    imp->n_moved++;
  add_total (imp, &imp->row);
}

/* ---- header ---- */

static void prefix_read_error (Importer *imp, GError **error, GError *local_error);

static gboolean
read_header (Importer *imp, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) index = NULL;

  if (!cu_csv_reader_next (imp->reader, imp->cancellable, &local_error))
    {
      if (local_error != NULL)
        prefix_read_error (imp, error, local_error);
      else
        g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_EMPTY,
                     "%s: the file is empty", imp->display);
      return FALSE;
    }
  if (imp->header != NULL)
    return TRUE; /* a later pass: the header is known */

  imp->n_header = cu_csv_reader_get_n_fields (imp->reader);
  imp->header = g_new0 (char *, imp->n_header + 1);
  index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < imp->n_header; i++)
    {
      const char *name = cu_csv_reader_get_field (imp->reader, i, NULL);
      char *lower;

      /* a UTF-8 byte order mark, as Excel and Azure write */
      if (i == 0 && g_str_has_prefix (name, "\xef\xbb\xbf"))
        name += 3;
      imp->header[i] = g_strstrip (g_strdup (name));
      lower = g_ascii_strdown (imp->header[i], -1);
      if (!g_hash_table_contains (index, lower))
        g_hash_table_insert (index, lower, GUINT_TO_POINTER (i + 1));
      else
        g_free (lower);
    }

#define HAS(n) g_hash_table_contains (index, n)
  if (HAS ("billedcost") || HAS ("chargeperiodstart") ||
      (HAS ("effectivecost") && HAS ("billingperiodstart")))
    imp->spec = &formats[0];
  else if (HAS ("lineitem/unblendedcost") || HAS ("lineitem/usagestartdate"))
    imp->spec = &formats[1];
  else if (HAS ("line_item_unblended_cost") || HAS ("line_item_usage_start_date"))
    imp->spec = &formats[2];
  else if ((HAS ("costinbillingcurrency") || HAS ("pretaxcost") || HAS ("cost")) &&
           (HAS ("date") || HAS ("usagedatetime") || HAS ("usagedate")) &&
           (HAS ("metercategory") || HAS ("subscriptionid") || HAS ("subscriptionguid")))
    imp->spec = &formats[3];
  else
    {
      g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_UNKNOWN_FORMAT,
                   "%s:1: not a cost export this version reads: expected the header of a "
                   "FOCUS 1.0–1.2 (BilledCost, ChargePeriodStart…), AWS CUR (lineItem/UnblendedCost…), "
                   "CUR 2.0 (line_item_unblended_cost…) or Azure cost details (Date, CostInBillingCurrency…) file",
                   imp->display);
      return FALSE;
    }

  for (guint i = 0; i < N_FIELDS; i++)
    imp->col[i] = -1;
  for (guint i = 0; i < imp->spec->n_columns; i++)
    {
      g_auto(GStrv) names = g_strsplit (imp->spec->columns[i].names, "|", -1);

      for (guint j = 0; names[j] != NULL; j++)
        {
          gpointer found = g_hash_table_lookup (index, names[j]);
          if (found != NULL)
            {
              imp->col[imp->spec->columns[i].field] = GPOINTER_TO_UINT (found) - 1;
              break;
            }
        }
    }

  for (guint i = 0; i < imp->spec->n_required; i++)
    if (imp->col[imp->spec->required[i].field] < 0)
      {
        g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_MISSING_COLUMN,
                     "%s:1: the %s header has no %s column", imp->display, imp->spec->name,
                     imp->spec->required[i].display);
        return FALSE;
      }

  /* legacy CUR: one column per tag */
  if (imp->spec->format == CU_IMPORT_FORMAT_CUR)
    for (guint i = 0; i < imp->n_header; i++)
      if (g_ascii_strncasecmp (imp->header[i], "resourceTags/", 13) == 0)
        {
          const char *key = imp->header[i] + 13;

          if (g_str_has_prefix (key, "user:") && key[5] != '\0')
            key += 5;
          g_array_append_val (imp->tag_columns, i);
          g_ptr_array_add (imp->tag_column_keys, g_strdup (key));
        }

  if (imp->spec->format == CU_IMPORT_FORMAT_FOCUS)
    {
      const char *version = "1.0";

      if (HAS ("invoiceid") || HAS ("pricingcurrency") || HAS ("billingaccounttype"))
        version = "1.2";
      else if (HAS ("servicesubcategory") || HAS ("capacityreservationid") || HAS ("skumeter") ||
               HAS ("commitmentdiscountquantity"))
        version = "1.1";
      imp->format_name = g_strdup_printf ("FOCUS %s", version);
    }
  else
    imp->format_name = g_strdup (imp->spec->name);
#undef HAS

  return TRUE;
}

/* ---- passes ---- */

static gboolean
open_reader (Importer *imp, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  g_clear_object (&imp->reader);
  imp->reader = cu_csv_reader_new_for_file (imp->file, imp->cancellable, &local_error);
  if (imp->reader == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s",
                   imp->display, local_error->message);
      return FALSE;
    }
  imp->group = NULL;
  return read_header (imp, error);
}

static void
report_progress (Importer *imp, const char *what, gboolean force)
{
  guint64 offset, size;

  if (imp->progress == NULL)
    return;
  offset = cu_csv_reader_get_input_offset (imp->reader);
  if (!force && offset - imp->last_progress < 512 * 1024)
    return;
  imp->last_progress = offset;
  size = cu_csv_reader_get_input_size (imp->reader);
  imp->progress (size > 0 ? MIN (1.0, (double) offset / size) : 0.0, what, imp->progress_data);
}

static void
prefix_read_error (Importer *imp, GError **error, GError *local_error)
{
  int field = -1;
  guint64 line = cu_csv_reader_get_error_line (imp->reader, &field);

  if (field >= 0 && imp->header != NULL && (guint) field < imp->n_header)
    g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_MALFORMED,
                 "%s:%" G_GUINT64_FORMAT ": column %s: %s", imp->display, line,
                 imp->header[field], local_error->message);
  else
    g_set_error (error, local_error->domain == CU_CSV_ERROR ? CU_IMPORT_ERROR : local_error->domain,
                 local_error->domain == CU_CSV_ERROR ? CU_IMPORT_ERROR_MALFORMED : local_error->code,
                 "%s:%" G_GUINT64_FORMAT ": %s", imp->display, line, local_error->message);
}

static CuLedgerWriter *
begin_group (Importer *imp, Group *group, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  CuLedgerWriter *writer;
  gint64 account_id;
  CuDay first = group->declared ? group->bp_first : group->min_day;
  CuDay last = group->declared ? group->bp_last : group->max_day;

  account_id = cu_ledger_ensure_account (imp->ledger, group->account->name,
                                         group->account->provider, "import", &local_error);
  if (account_id == 0)
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s", imp->display, local_error->message);
      return NULL;
    }
  writer = cu_ledger_writer_begin (imp->ledger, account_id, "import", imp->source, first, last, &local_error);
  if (writer == NULL)
    g_set_error (error, local_error->domain, local_error->code, "%s: %s", imp->display, local_error->message);
  return writer;
}

static gboolean
write_row (Importer *imp, CuLedgerWriter *writer, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!cu_ledger_writer_add (writer, &imp->row, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, "%s:%" G_GUINT64_FORMAT ": %s",
                   imp->display, cu_csv_reader_get_line (imp->reader), local_error->message);
      return FALSE;
    }
  imp->group->n_written++;
  imp->group->written_checksum += row_checksum (&imp->row);
  return TRUE;
}

static gboolean
finish_group (Importer *imp, Group *group, CuLedgerWriter *writer, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (group->n_written != group->n_rows || group->written_checksum != group->checksum)
    {
      cu_ledger_writer_abort (writer, "the file changed while it was imported");
      g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_CHANGED,
                   "%s: the file changed while it was imported; import it again", imp->display);
      return FALSE;
    }
  if (!cu_ledger_writer_commit (writer, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s", imp->display, local_error->message);
      return FALSE;
    }
  return TRUE;
}

typedef enum {
  PASS_OK,
  PASS_FAILED,
  PASS_FALLBACK,  /* the fast pass met a second group */
} PassResult;

static PassResult
run_pass (Importer *imp, PassMode mode, Group *target, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  CuLedgerWriter *writer = NULL;
  Group *writing = NULL;
  Group *previous = NULL;
  const char *what = mode == PASS_SCAN ? "Checking" : "Importing";
  guint64 n = 0;

  if (!open_reader (imp, error))
    return PASS_FAILED;
  imp->last_progress = 0;
  report_progress (imp, what, TRUE);

  for (;;)
    {
      if (!cu_csv_reader_next (imp->reader, imp->cancellable, &local_error))
        {
          if (local_error != NULL)
            {
              prefix_read_error (imp, error, local_error);
              goto fail;
            }
          break;
        }

      if ((++n & 1023) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (imp->cancellable, error))
            goto fail;
          report_progress (imp, what, FALSE);
        }

      if (!convert_row (imp, error))
        goto fail;

      switch (mode)
        {
        case PASS_SCAN:
          if (previous != NULL && previous != imp->group && imp->group->n_rows > 0)
            imp->contiguous = FALSE;
          previous = imp->group;
          note_row (imp);
          break;

        case PASS_FAST:
          if (writing == NULL)
            {
              if (!imp->group->declared)
                return PASS_FALLBACK;
              writing = imp->group;
              writer = begin_group (imp, writing, error);
              if (writer == NULL)
                return PASS_FAILED;
            }
          else if (imp->group != writing)
            {
              cu_ledger_writer_abort (writer, "superseded: the file holds several billing periods or accounts, written one by one after a check");
              return PASS_FALLBACK;
            }
          note_row (imp);
          if (!write_row (imp, writer, error))
            goto fail;
          break;

        case PASS_SEQUENTIAL:
          if (imp->group != writing)
            {
              if (writer != NULL)
                {
                  gboolean ok = finish_group (imp, writing, writer, error);
                  writer = NULL;
                  if (!ok)
                    goto fail;
                }
              writing = imp->group;
              writer = begin_group (imp, writing, error);
              if (writer == NULL)
                goto fail;
            }
          if (!write_row (imp, writer, error))
            goto fail;
          break;

        case PASS_ONE_GROUP:
          if (imp->group != target)
            break;
          if (writer == NULL)
            {
              writing = target;
              writer = begin_group (imp, writing, error);
              if (writer == NULL)
                goto fail;
            }
          if (!write_row (imp, writer, error))
            goto fail;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (mode == PASS_ONE_GROUP && writer == NULL && target->n_rows > 0)
    {
      g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_CHANGED,
                   "%s: the file changed while it was imported; import it again", imp->display);
      return PASS_FAILED;
    }
  if (writer != NULL)
    {
      gboolean ok = finish_group (imp, writing, writer, error);
      writer = NULL;
      if (!ok)
        return PASS_FAILED;
    }
  if (mode == PASS_SCAN && cu_csv_reader_get_n_records (imp->reader) <= 1)
    {
      g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_EMPTY,
                   "%s: the file has a header but no rows", imp->display);
      return PASS_FAILED;
    }
  report_progress (imp, what, TRUE);
  return PASS_OK;

fail:
  if (writer != NULL && error != NULL && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cu_ledger_writer_cancel (writer);
  else if (writer != NULL)
    cu_ledger_writer_abort (writer, error && *error ? (*error)->message : "failed");
  return PASS_FAILED;
}

static void
reset_counts (Importer *imp)
{
  g_hash_table_remove_all (imp->groups);
  g_ptr_array_set_size (imp->group_list, 0);
  for (guint i = 0; i < imp->totals->len; i++)
    g_free (g_array_index (imp->totals, CuImportTotal, i).currency);
  g_array_set_size (imp->totals, 0);
  imp->n_moved = 0;
  imp->group = NULL;
  imp->contiguous = TRUE;
}

static void
importer_clear (Importer *imp)
{
  g_clear_object (&imp->reader);
  g_clear_object (&imp->json);
  g_hash_table_unref (imp->tag_cache);
  g_strfreev (imp->header);
  g_free (imp->format_name);
  g_free (imp->source);
  g_array_unref (imp->tag_columns);
  g_ptr_array_unref (imp->tag_column_keys);
  g_ptr_array_unref (imp->tag_keys);
  g_ptr_array_unref (imp->tag_values);
  reset_counts (imp);
  g_array_unref (imp->totals);
  g_hash_table_unref (imp->groups);
  g_ptr_array_unref (imp->group_list);
  g_hash_table_unref (imp->accounts);
  g_string_free (imp->last_account_raw, TRUE);
  g_string_free (imp->key, TRUE);
  g_clear_pointer (&imp->result, cu_import_result_free);
}

static int
compare_groups (gconstpointer a, gconstpointer b)
{
  const Group *ga = *(Group * const *) a;
  const Group *gb = *(Group * const *) b;

  if (ga->bp_first != gb->bp_first)
    return ga->bp_first < gb->bp_first ? -1 : 1;
  return ga->order < gb->order ? -1 : ga->order > gb->order;
}

static void
fill_result (Importer *imp, CuImportResult *result)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (imp->group_list, NULL, NULL);

  result->format = imp->spec->format;
  result->format_name = g_strdup (imp->format_name);
  result->first_day = G_MAXINT32;
  result->last_day = G_MININT32;
  g_ptr_array_sort (sorted, compare_groups);
  for (guint i = 0; i < sorted->len; i++)
    {
      Group *g = g_ptr_array_index (sorted, i);
      g_autofree char *period = NULL;
      gboolean seen = FALSE;
      int y, m, d, y2, m2, d2;

      result->n_rows += g->n_rows;
      result->first_day = MIN (result->first_day, g->min_day);
      result->last_day = MAX (result->last_day, g->max_day);

      cu_day_to_ymd (g->declared ? g->bp_first : g->min_day, &y, &m, &d);
      cu_day_to_ymd (g->declared ? g->bp_last : g->max_day, &y2, &m2, &d2);
      if (g->declared && d == 1 && y == y2 && m == m2 && d2 == cu_days_in_month (y, m))
        period = g_strdup_printf ("%04d-%02d", y, m);
      else
        period = g_strdup_printf ("%04d-%02d-%02d..%04d-%02d-%02d", y, m, d, y2, m2, d2);
      for (guint j = 0; j < result->periods->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (result->periods, j), period);
      if (!seen)
        g_ptr_array_add (result->periods, g_steal_pointer (&period));

      seen = FALSE;
      for (guint j = 0; j < result->accounts->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (result->accounts, j), g->account->name);
      if (!seen)
        g_ptr_array_add (result->accounts, g_strdup (g->account->name));
    }
  for (guint i = 0; i < imp->totals->len; i++)
    {
      CuImportTotal *t = &g_array_index (imp->totals, CuImportTotal, i);
      CuImportTotal *copy = g_new0 (CuImportTotal, 1);

      copy->currency = g_strdup (t->currency);
      copy->billed = t->billed;
      copy->effective = t->effective;
      g_ptr_array_add (result->totals, copy);
    }
  result->n_moved = imp->n_moved;
}

static void
total_free (gpointer data)
{
  CuImportTotal *t = data;

  g_free (t->currency);
  g_free (t);
}

static int
ledger_cache_size (CuLedger *ledger)
{
  sqlite3_stmt *stmt = NULL;
  int size = 0;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), "PRAGMA cache_size", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    size = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return size;
}

static void
set_cache_size (CuLedger *ledger, int size)
{
  g_autofree char *sql = NULL;

  if (size == 0)
    return;
  sql = g_strdup_printf ("PRAGMA cache_size = %d", size);
  cu_ledger_exec (ledger, sql, NULL);
}

/* ---- public API ---- */

void
cu_import_result_free (CuImportResult *result)
{
  if (result == NULL)
    return;
  g_free (result->format_name);
  g_ptr_array_unref (result->periods);
  g_ptr_array_unref (result->accounts);
  g_ptr_array_unref (result->totals);
  g_free (result);
}

const char *
cu_import_format_to_string (CuImportFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i].format == format)
      return formats[i].name;
  return "unknown";
}

/**
 * cu_import_file:
 * @ledger: the ledger to write to; this thread's connection
 * @file: a FOCUS, AWS CUR, CUR 2.0 or Azure cost-details CSV, plain or gzip
 * @display_name: (nullable): how errors name the file (default: its basename)
 * @progress: (nullable) (scope call): called with the fraction of the
 *   current pass
 * @cancellable: (nullable): cancels between rows; the ledger is then as it
 *   was for every billing period not yet committed
 *
 * Imports @file, replacing each of its billing periods for its account(s).
 * A file that fails validation leaves the ledger untouched; errors name the
 * file, line and column.
 *
 * Returns: (transfer full): what was imported, or %NULL with @error set
 */
CuImportResult *
cu_import_file (CuLedger              *ledger,
                GFile                 *file,
                const char            *display_name,
                CuImportProgressFunc   progress,
                gpointer               progress_data,
                GCancellable          *cancellable,
                GError               **error)
{
  Importer imp = { 0 };
  g_autofree char *basename = NULL;
  CuImportResult *result;
  PassResult pass;
  int cache_size;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (display_name == NULL)
    display_name = basename = g_file_get_basename (file);

  imp.ledger = ledger;
  imp.file = file;
  imp.display = display_name;
  imp.progress = progress;
  imp.progress_data = progress_data;
  imp.cancellable = cancellable;
  imp.source = g_file_get_path (file);
  if (imp.source == NULL)
    imp.source = g_file_get_uri (file);
  imp.tag_columns = g_array_new (FALSE, FALSE, sizeof (guint));
  imp.tag_column_keys = g_ptr_array_new_with_free_func (g_free);
  imp.json = json_parser_new_immutable ();
  imp.tag_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  imp.tag_keys = g_ptr_array_new ();
  imp.tag_values = g_ptr_array_new ();
  imp.accounts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, account_free);
  imp.groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  imp.group_list = g_ptr_array_new ();
  imp.totals = g_array_new (FALSE, FALSE, sizeof (CuImportTotal));
  imp.last_account_raw = g_string_new (NULL);
  imp.key = g_string_new (NULL);
  imp.contiguous = TRUE;

  result = g_new0 (CuImportResult, 1);
  result->periods = g_ptr_array_new_with_free_func (g_free);
  result->accounts = g_ptr_array_new_with_free_func (g_free);
  result->totals = g_ptr_array_new_with_free_func (total_free);
  imp.result = result;

  /* Rows are appended and the indexes grow at their end, so a big page
   * cache buys nothing here; a small one keeps the import's memory flat
   * whatever the file's size. Restored on the way out. */
  cache_size = ledger_cache_size (ledger);
  cu_ledger_exec (ledger, "PRAGMA cache_size = -8192", NULL);

  pass = run_pass (&imp, PASS_FAST, NULL, error);
  if (pass == PASS_FAILED)
    goto fail;
  result->compressed = cu_csv_reader_is_compressed (imp.reader);
  result->n_passes = 1;

  if (pass == PASS_FALLBACK)
    {
      reset_counts (&imp);
      if (run_pass (&imp, PASS_SCAN, NULL, error) != PASS_OK)
        goto fail;
      result->n_passes = 2;
      if (imp.contiguous)
        {
          if (run_pass (&imp, PASS_SEQUENTIAL, NULL, error) != PASS_OK)
            goto fail;
        }
      else
        {
          for (guint i = 0; i < imp.group_list->len; i++)
            {
              if (run_pass (&imp, PASS_ONE_GROUP, g_ptr_array_index (imp.group_list, i), error) != PASS_OK)
                goto fail;
              result->n_passes++;
            }
        }
    }
  else if (imp.group_list->len == 0)
    {
      g_set_error (error, CU_IMPORT_ERROR, CU_IMPORT_ERROR_EMPTY,
                   "%s: the file has a header but no rows", display_name);
      goto fail;
    }

  fill_result (&imp, result);
  imp.result = NULL;
  importer_clear (&imp);
  set_cache_size (ledger, cache_size);
  return result;

fail:
  importer_clear (&imp);
  set_cache_size (ledger, cache_size);
  return NULL;
}

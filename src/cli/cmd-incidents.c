/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd-incidents.c — `incidents`: the workspace's anomalies grouped into events
 *
 * `anomalies` lists one row per series and day; this lists what a person
 * acts on: one row per cost event with its root cause, and acknowledges
 * or dismisses one (its anomalies with it).
 */

#include <math.h>
#include <stdio.h>

#include "cu-cli.h"
#include "analysis/cu-analysis.h"
#include "analysis/cu-incidents.h"
#include "store/cu-ledger.h"
#include "util/cu-date.h"
#include "util/cu-money.h"
#include "util/cu-output.h"

#define NOT_GIVEN G_MININT64

static void
append_csv (GString *out, GPtrArray *list)
{
  static const char * const header[] = { "id", "start", "end", "days", "impact", "impact_pct",
                                         "currency", "root_cause", "status" };

  cu_output_csv_row (out, G_N_ELEMENTS (header), header);
  for (guint i = 0; i < list->len; i++)
    {
      const CuIncident *inc = list->pdata[i];
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, inc->id);
      g_autofree char *days = g_strdup_printf ("%u", cu_incident_get_days (inc));
      g_autofree char *impact = cu_money_format_plain (inc->impact, 2);
      char start[11], end[11], pct[G_ASCII_DTOSTR_BUF_SIZE];
      const char *fields[9];

      cu_day_format (inc->start, start);
      cu_day_format (inc->end, end);
      fields[0] = id;
      fields[1] = start;
      fields[2] = end;
      fields[3] = days;
      fields[4] = impact;
      fields[5] = isnan (inc->impact_pct) ? NULL : g_ascii_formatd (pct, sizeof pct, "%.1f", inc->impact_pct);
      fields[6] = inc->currency;
      fields[7] = inc->root_cause;
      fields[8] = inc->status;
      cu_output_csv_row (out, G_N_ELEMENTS (fields), fields);
    }
}

static void
append_json (GString *out, GPtrArray *list)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      const CuIncident *inc = list->pdata[i];
      g_autofree char *summary = cu_incident_describe (inc);
      char start[11], end[11];

      cu_day_format (inc->start, start);
      cu_day_format (inc->end, end);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, inc->id);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, inc->kind);
      json_builder_set_member_name (b, "start");
      json_builder_add_string_value (b, start);
      json_builder_set_member_name (b, "end");
      json_builder_add_string_value (b, end);
      json_builder_set_member_name (b, "days");
      json_builder_add_int_value (b, cu_incident_get_days (inc));
      json_builder_set_member_name (b, "expected");
      cu_output_json_add_money (b, inc->expected, 2);
      json_builder_set_member_name (b, "impact");
      cu_output_json_add_money (b, inc->impact, 2);
      json_builder_set_member_name (b, "impact_pct");
      cu_output_json_add_rounded (b, inc->impact_pct, 1);   /* NaN: null */
      json_builder_set_member_name (b, "currency");
      json_builder_add_string_value (b, inc->currency);
      json_builder_set_member_name (b, "root_cause");
      json_builder_add_string_value (b, inc->root_cause);
      json_builder_set_member_name (b, "summary");
      json_builder_add_string_value (b, summary);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, inc->status);
      /* under four weeks of history: judged against a wider range */
      json_builder_set_member_name (b, "young_series");
      json_builder_add_boolean_value (b, inc->young);
      json_builder_set_member_name (b, "causes");
      json_builder_begin_array (b);
      for (guint c = 0; c < inc->causes->len; c++)
        {
          const CuIncidentCause *cause = inc->causes->pdata[c];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "service");
          json_builder_add_string_value (b, cause->service);
          json_builder_set_member_name (b, "account");
          json_builder_add_string_value (b, cause->account);
          json_builder_set_member_name (b, "region");
          json_builder_add_string_value (b, cause->region);
          json_builder_set_member_name (b, "impact");
          cu_output_json_add_money (b, cause->impact, 2);
          json_builder_set_member_name (b, "share");
          cu_output_json_add_rounded (b, cause->share, 4);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "anomalies");
      json_builder_begin_array (b);
      for (guint a = 0; a < inc->anomaly_ids->len; a++)
        json_builder_add_int_value (b, g_array_index (inc->anomaly_ids, gint64, a));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  cu_output_json_append (out, root, CU_JSON_PRETTY);
}

static void
append_table (GString *out, GPtrArray *list)
{
  g_autoptr(CuTable) table = cu_table_new (8);

  cu_table_set_column (table, 0, "ID", CU_TABLE_ALIGN_RIGHT, 0, 0);
  cu_table_set_column (table, 1, "Start", CU_TABLE_ALIGN_LEFT, 0, 0);
  cu_table_set_column (table, 2, "End", CU_TABLE_ALIGN_LEFT, 0, 0);
  cu_table_set_column (table, 3, "Days", CU_TABLE_ALIGN_RIGHT, 0, 0);
  cu_table_set_column (table, 4, "Impact", CU_TABLE_ALIGN_RIGHT, 0, 0);
  cu_table_set_column (table, 5, "%", CU_TABLE_ALIGN_RIGHT, 0, 0);
  cu_table_set_column (table, 6, "Root cause", CU_TABLE_ALIGN_LEFT, 0, 60);
  cu_table_set_column (table, 7, "Status", CU_TABLE_ALIGN_LEFT, 0, 0);
  for (guint i = 0; i < list->len; i++)
    {
      const CuIncident *inc = list->pdata[i];
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, inc->id);
      g_autofree char *days = g_strdup_printf ("%u", cu_incident_get_days (inc));
      g_autofree char *impact = cu_money_format_display (inc->impact, inc->currency);
      g_autofree char *pct = isnan (inc->impact_pct) ? g_strdup ("") : g_strdup_printf ("%+.0f%%", inc->impact_pct);
      g_autofree char *cause = g_strcmp0 (inc->kind, "new_spend") == 0
                               ? g_strdup_printf ("New spend: %s", inc->root_cause) : g_strdup (inc->root_cause);
      char start[11], end[11];
      const char *cells[8];

      cu_day_format (inc->start, start);
      cu_day_format (inc->end, end);
      cells[0] = id;
      cells[1] = start;
      cells[2] = end;
      cells[3] = days;
      cells[4] = impact;
      cells[5] = pct;
      cells[6] = cause;
      cells[7] = inc->status;
      cu_table_add_row (table, cells);
    }
  cu_table_append (table, out);
}

/**
 * cu_cli_cmd_incidents:
 *
 * `incidents [--format table|csv|json] [--all]` runs the analysis and lists
 * the incidents newest first; `--acknowledge ID` / `--dismiss ID` set the
 * status of one (and of its anomalies) without rerunning anything.
 */
int
cu_cli_cmd_incidents (CuCliGlobal *global, int argc, char **argv)
{
  g_autofree char *format = NULL;
  gint64 ack = NOT_GIVEN, dismiss = NOT_GIVEN;
  gboolean all = FALSE;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  CuOutputFormat out_format = CU_OUTPUT_FORMAT_TABLE;
  int rc = 0;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "table, csv or json (default: table)", "FORMAT" },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, "Include dismissed incidents", NULL },
    { "acknowledge", 0, 0, G_OPTION_ARG_INT64, &ack, "Mark incident ID (and its anomalies) acknowledged", "ID" },
    { "dismiss", 0, 0, G_OPTION_ARG_INT64, &dismiss, "Mark incident ID (and its anomalies) dismissed", "ID" },
    { NULL }
  };

  if (!cu_cli_parse ("incidents", NULL,
                     "Groups the workspace's cost anomalies into incidents — one per cost event,\n"
                     "however many series and days show it — with their root causes, newest first.\n"
                     "CSV columns: id,start,end,days,impact,impact_pct,currency,root_cause,status.\n"
                     "JSON adds the causes with their share and the member anomalies' ids.",
                     entries, &argc, &argv, &rc))
    return rc;
  if (argc > 1)
    return cu_cli_usage_error ("incidents", "unexpected argument “%s”", argv[1]);
  if (format && !cu_output_format_parse (format, &out_format))
    return cu_cli_usage_error ("incidents", "--format “%s” is not one of table, csv, json", format);
  if (ack != NOT_GIVEN && dismiss != NOT_GIVEN)
    return cu_cli_usage_error ("incidents", "--acknowledge and --dismiss cannot be combined");
  if ((ack != NOT_GIVEN && ack <= 0) || (dismiss != NOT_GIVEN && dismiss <= 0))
    return cu_cli_usage_error ("incidents", "an incident ID is a positive number");

  if ((ledger = cu_cli_open_workspace (global, &rc)) == NULL)
    return rc;
  if (ack != NOT_GIVEN || dismiss != NOT_GIVEN)
    {
      if (!cu_incidents_set_status (ledger, ack != NOT_GIVEN ? ack : dismiss,
                                    ack != NOT_GIVEN ? "acknowledged" : "dismissed", &error))
        return cu_cli_error ("%s", error->message);
      return CU_CLI_OK;
    }
  if (!cu_analysis_run (ledger, cu_day_today (), NULL, NULL, &error))
    return cu_cli_error ("%s", error->message);
  list = cu_incidents_list (ledger, all, &error);
  if (list == NULL)
    return cu_cli_error ("%s", error->message);

  switch (out_format)
    {
    case CU_OUTPUT_FORMAT_CSV:
      append_csv (out, list);
      break;
    case CU_OUTPUT_FORMAT_JSON:
      append_json (out, list);
      break;
    case CU_OUTPUT_FORMAT_TABLE:
    default:
      append_table (out, list);
      break;
    }
  fwrite (out->str, 1, out->len, stdout);
  return CU_CLI_OK;
}

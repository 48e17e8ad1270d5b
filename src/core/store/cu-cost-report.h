/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-cost-report.h — a cost query result as a table, CSV or JSON
 *
 * The one rendering of cu_ledger_query_costs() cells: `cumulus-cli costs
 * --format` prints it and the Explorer page exports it, so the two always
 * agree. CSV columns: period,group,billed_cost,effective_cost,currency;
 * amounts in currency units rounded to the cent (half away from zero).
 */
#pragma once

#include "store/cu-cost-query.h"
#include "util/cu-output.h"

G_BEGIN_DECLS

void   cu_cost_cells_append (GString        *out,
                             GPtrArray      *cells,
                             CuOutputFormat  format);
char  *cu_cost_cells_render (GPtrArray      *cells,
                             CuOutputFormat  format);

G_END_DECLS

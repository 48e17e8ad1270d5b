/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-projection.h — the distribution of a period's total, from its projection */
#pragma once

#include "analysis/cu-analysis.h"

G_BEGIN_DECLS

double   cu_projection_probability_above (const CuProjection *projection,
                                          double              amount);
gboolean cu_projection_has_interval      (const CuProjection *projection);

G_END_DECLS

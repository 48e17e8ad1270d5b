/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-stat-card.h — one headline figure with its period */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CU_TYPE_STAT_CARD (cu_stat_card_get_type ())
G_DECLARE_FINAL_TYPE (CuStatCard, cu_stat_card, CU, STAT_CARD, GtkWidget)

GtkWidget  *cu_stat_card_new        (void);
const char *cu_stat_card_get_title  (CuStatCard *self);
void        cu_stat_card_set_title  (CuStatCard *self,
                                     const char *title);
const char *cu_stat_card_get_period (CuStatCard *self);
void        cu_stat_card_set_period (CuStatCard *self,
                                     const char *period);
const char *cu_stat_card_get_value  (CuStatCard *self);
void        cu_stat_card_set_value  (CuStatCard *self,
                                     const char *value);
const char *cu_stat_card_get_detail (CuStatCard *self);
void        cu_stat_card_set_detail (CuStatCard *self,
                                     const char *detail);

G_END_DECLS

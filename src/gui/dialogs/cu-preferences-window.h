/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-preferences-window.h — colour scheme and default date range */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CU_TYPE_PREFERENCES_WINDOW (cu_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (CuPreferencesWindow, cu_preferences_window, CU, PREFERENCES_WINDOW, AdwPreferencesWindow)

CuPreferencesWindow *cu_preferences_window_new (GSettings *settings);

G_END_DECLS

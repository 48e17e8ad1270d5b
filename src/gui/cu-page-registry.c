/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-page-registry.c — the window's pages: one line each
 *
 * The window builds its sidebar and its stack from this table, and a
 * notification opens a page by its name here, so a new page is its folder
 * under pages/ plus one line below. This is the only file outside a page's
 * folder that names it.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>

#include "cu-page-registry.h"
#include "cu-accounts-page.h"
#include "cu-anomalies-page.h"
#include "cu-budgets-page.h"
#include "cu-explorer-page.h"
#include "cu-forecast-page.h"
#include "cu-overview-page.h"

static const CuPageInfo pages[] = {
  { "overview",  N_("Overview"),      "view-grid-symbolic",             cu_overview_page_get_type,  10 },
  { "explorer",  N_("Cost Explorer"), "system-search-symbolic",         cu_explorer_page_get_type,  20 },
  { "forecast",  N_("Forecast"),      "x-office-presentation-symbolic", cu_forecast_page_get_type,  30 },
  { "anomalies", N_("Anomalies"),     "dialog-warning-symbolic",        cu_anomalies_page_get_type, 40 },
  { "budgets",   N_("Budgets"),       "task-due-symbolic",              cu_budgets_page_get_type,   50 },
  { "accounts",  N_("Accounts"),      "weather-overcast-symbolic",      cu_accounts_page_get_type,  60 },
};

static int
compare_order (gconstpointer a,
               gconstpointer b)
{
  const CuPageInfo *pa = a, *pb = b;

  return (pa->order > pb->order) - (pa->order < pb->order);
}

/**
 * cu_page_registry_get_pages:
 * @n_pages: (out): how many there are
 *
 * Returns: (transfer none) (array length=n_pages): every page, in sidebar order
 */
const CuPageInfo *
cu_page_registry_get_pages (guint *n_pages)
{
  static CuPageInfo *sorted;

  g_return_val_if_fail (n_pages != NULL, NULL);

  if (g_once_init_enter (&sorted))
    {
      CuPageInfo *copy = g_memdup2 (pages, sizeof pages);

      qsort (copy, G_N_ELEMENTS (pages), sizeof pages[0], compare_order);
      g_once_init_leave (&sorted, copy);
    }
  *n_pages = G_N_ELEMENTS (pages);
  return sorted;
}

/**
 * cu_page_registry_lookup:
 * @name: a page's name, as in app.show-page
 *
 * Returns: (transfer none) (nullable): the page, %NULL for an unknown name
 */
const CuPageInfo *
cu_page_registry_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    if (g_str_equal (pages[i].name, name))
      return &pages[i];
  return NULL;
}

/**
 * cu_page_registry_create_page:
 * @info: an entry of the registry
 *
 * Returns: (transfer floating): a new page with its title and icon, no workspace yet
 */
CuPage *
cu_page_registry_create_page (const CuPageInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return g_object_new (info->get_type (),
                       "title", _(info->title),
                       "icon-name", info->icon_name,
                       NULL);
}

/**
 * cu_page_registry_ensure_types:
 *
 * Registers every page type, so that a template or a test can name it.
 */
void
cu_page_registry_ensure_types (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    g_type_ensure (pages[i].get_type ());
}

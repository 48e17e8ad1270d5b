/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-page-registry.h — the window's pages: one line each */
#pragma once

#include "cu-page.h"

G_BEGIN_DECLS

typedef struct {
  const char  *name;       /* stack child and app.show-page target */
  const char  *title;      /* untranslated (N_()); the sidebar and header show it */
  const char  *icon_name;
  GType      (*get_type) (void);
  int          order;      /* place in the sidebar, smallest first */
} CuPageInfo;

const CuPageInfo *cu_page_registry_get_pages   (guint            *n_pages);
const CuPageInfo *cu_page_registry_lookup      (const char       *name);
CuPage           *cu_page_registry_create_page (const CuPageInfo *info);
void              cu_page_registry_ensure_types (void);

G_END_DECLS

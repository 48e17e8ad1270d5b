/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-gui-test-util.h — what the GUI and pages tests share: set-up, waiting, looking, saving */
#pragma once

#include <gtk/gtk.h>

#include "cu-application.h"

G_BEGIN_DECLS

typedef gboolean (*CuTestCondition) (gpointer data);

char          *cu_test_init                (int              *argc,
                                            char           ***argv,
                                            const char       *tmp_template);
CuApplication *cu_test_application_new     (void);
void           cu_test_remove_tree         (const char       *path);

void           cu_test_spin                (guint             ms);
gboolean       cu_test_wait_for            (CuTestCondition   condition,
                                            gpointer          data,
                                            guint             seconds);
gboolean       cu_test_wait_property_false (gpointer          object,
                                            const char       *property,
                                            guint             seconds);

void           cu_test_collect_widgets     (GtkWidget        *widget,
                                            GType             type,
                                            GPtrArray        *out);
char          *cu_test_visible_texts       (GtkWidget        *root);
void           cu_test_assert_text_shown   (const char       *texts,
                                            const char       *expected);

void           cu_test_save_png            (GdkTexture       *texture,
                                            const char       *name);

G_END_DECLS

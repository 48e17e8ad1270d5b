/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-stat-card.c — one headline figure with its period
 *
 * A figure never stands alone: the card names what it is (title), which
 * days it covers (period) and, optionally, how to read it (detail).
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include "cu-stat-card.h"

struct _CuStatCard
{
  GtkWidget  parent_instance;

  /* template children */
  GtkLabel  *title_label;
  GtkLabel  *period_label;
  GtkLabel  *value_label;
  GtkLabel  *detail_label;
};

G_DEFINE_FINAL_TYPE (CuStatCard, cu_stat_card, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_PERIOD,
  PROP_VALUE,
  PROP_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
set_label (CuStatCard *self,
           GtkLabel   *label,
           const char *text,
           int         prop)
{
  if (text == NULL)
    text = "";
  if (g_strcmp0 (gtk_label_get_label (label), text) == 0)
    return FALSE;
  gtk_label_set_label (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), *text != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

static void
update_accessible (CuStatCard *self)
{
  g_autofree char *label = g_strdup_printf ("%s, %s: %s",
                                            gtk_label_get_label (self->title_label),
                                            gtk_label_get_label (self->period_label),
                                            gtk_label_get_label (self->value_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
cu_stat_card_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CU_TYPE_STAT_CARD);

  G_OBJECT_CLASS (cu_stat_card_parent_class)->dispose (object);
}

static void
cu_stat_card_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CuStatCard *self = CU_STAT_CARD (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, cu_stat_card_get_title (self));
      break;
    case PROP_PERIOD:
      g_value_set_string (value, cu_stat_card_get_period (self));
      break;
    case PROP_VALUE:
      g_value_set_string (value, cu_stat_card_get_value (self));
      break;
    case PROP_DETAIL:
      g_value_set_string (value, cu_stat_card_get_detail (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_stat_card_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CuStatCard *self = CU_STAT_CARD (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      cu_stat_card_set_title (self, g_value_get_string (value));
      break;
    case PROP_PERIOD:
      cu_stat_card_set_period (self, g_value_get_string (value));
      break;
    case PROP_VALUE:
      cu_stat_card_set_value (self, g_value_get_string (value));
      break;
    case PROP_DETAIL:
      cu_stat_card_set_detail (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_stat_card_class_init (CuStatCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cu_stat_card_dispose;
  object_class->get_property = cu_stat_card_get_property;
  object_class->set_property = cu_stat_card_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERIOD] =
    g_param_spec_string ("period", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cumulusfinops/Cumulus/cu-stat-card.ui");
  gtk_widget_class_bind_template_child (widget_class, CuStatCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, CuStatCard, period_label);
  gtk_widget_class_bind_template_child (widget_class, CuStatCard, value_label);
  gtk_widget_class_bind_template_child (widget_class, CuStatCard, detail_label);

  gtk_widget_class_set_css_name (widget_class, "statcard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cu_stat_card_init (CuStatCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cu_stat_card_new:
 *
 * Returns: (transfer floating): an empty card
 */
GtkWidget *
cu_stat_card_new (void)
{
  return g_object_new (CU_TYPE_STAT_CARD, NULL);
}

const char *
cu_stat_card_get_title (CuStatCard *self)
{
  g_return_val_if_fail (CU_IS_STAT_CARD (self), NULL);
  return gtk_label_get_label (self->title_label);
}

/**
 * cu_stat_card_set_title:
 * @title: what the figure is, "Month to date"
 */
void
cu_stat_card_set_title (CuStatCard *self,
                        const char *title)
{
  g_return_if_fail (CU_IS_STAT_CARD (self));
  if (set_label (self, self->title_label, title, PROP_TITLE))
    update_accessible (self);
}

const char *
cu_stat_card_get_period (CuStatCard *self)
{
  g_return_val_if_fail (CU_IS_STAT_CARD (self), NULL);
  return gtk_label_get_label (self->period_label);
}

/**
 * cu_stat_card_set_period:
 * @period: the days it covers, "1–21 Nov 2026"
 */
void
cu_stat_card_set_period (CuStatCard *self,
                         const char *period)
{
  g_return_if_fail (CU_IS_STAT_CARD (self));
  if (set_label (self, self->period_label, period, PROP_PERIOD))
    update_accessible (self);
}

const char *
cu_stat_card_get_value (CuStatCard *self)
{
  g_return_val_if_fail (CU_IS_STAT_CARD (self), NULL);
  return gtk_label_get_label (self->value_label);
}

/**
 * cu_stat_card_set_value:
 * @value: the figure with its currency, "$12,345.67"
 */
void
cu_stat_card_set_value (CuStatCard *self,
                        const char *value)
{
  g_return_if_fail (CU_IS_STAT_CARD (self));
  if (set_label (self, self->value_label, value, PROP_VALUE))
    update_accessible (self);
}

const char *
cu_stat_card_get_detail (CuStatCard *self)
{
  g_return_val_if_fail (CU_IS_STAT_CARD (self), NULL);
  return gtk_label_get_label (self->detail_label);
}

/**
 * cu_stat_card_set_detail:
 * @detail: (nullable): how to read the figure; hidden when empty
 */
void
cu_stat_card_set_detail (CuStatCard *self,
                         const char *detail)
{
  g_return_if_fail (CU_IS_STAT_CARD (self));
  set_label (self, self->detail_label, detail, PROP_DETAIL);
}

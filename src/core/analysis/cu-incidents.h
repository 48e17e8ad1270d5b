/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-incidents.h — anomalous days grouped into incidents with root causes
 *
 * One cost event shows as anomalies of several series (the total, the
 * account, the service) on one or more days. An incident is that event:
 * consecutive or one-day-apart anomalous days of a series, joined with the
 * other series' anomalies on the same days that explain one another, and
 * the cells (service, account, region) that carry its excess, ranked by
 * their share of it. Incidents keep their id and status across analysis
 * runs; a status set on an incident is set on its anomalies too.
 */
#pragma once

#include <gio/gio.h>

#include "analysis/cu-analysis.h"
#include "store/cu-ledger.h"

G_BEGIN_DECLS

/* anomalous days of one series at most this many days apart are one run */
#define CU_INCIDENT_MAX_GAP 2
/* a new service shows as "new spend" over its first this many days */
#define CU_INCIDENT_NEW_SPEND_DAYS 7

typedef struct {
  char   *service;
  char   *account;
  char   *region;
  gint64  impact;     /* micro-units above the cell's baseline on the incident's days */
  double  share;      /* of the excess of all the causes' cells, 0..1 */
} CuIncidentCause;

typedef struct {
  gint64     id;          /* 0 until stored */
  char      *kind;        /* "spike" or "new_spend" */
  CuDay      start, end;  /* inclusive */
  gint64     expected;    /* micro-units over the incident's days */
  gint64     impact;      /* micro-units above expected */
  double     impact_pct;  /* NaN when nothing was expected */
  char      *currency;
  char      *root_cause;  /* "Amazon EC2 in acme-prod, us-east-1" */
  char      *status;      /* new, acknowledged, dismissed */
  GPtrArray *causes;      /* of CuIncidentCause, largest share first */
  GArray    *anomaly_ids; /* of gint64, the member anomalies */
  gboolean   young;       /* a member was judged as a young series, against
                           * the wider range of a short history */
} CuIncident;

void        cu_incident_free          (CuIncident *incident);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuIncident, cu_incident_free)

static inline guint
cu_incident_get_days (const CuIncident *incident)
{
  return (guint) (incident->end - incident->start + 1);
}

/* Whether anomalies of two series on [@from, @to] explain one another
 * (are the same event seen at two levels). */
typedef gboolean (*CuIncidentLinkFunc) (const char *kind_a,
                                        const char *key_a,
                                        const char *kind_b,
                                        const char *key_b,
                                        CuDay       from,
                                        CuDay       to,
                                        gpointer    user_data);

GPtrArray  *cu_incidents_group        (GPtrArray           *anomalies,
                                       CuIncidentLinkFunc   link,
                                       gpointer             user_data);

gboolean    cu_incidents_build        (CuLedger            *ledger,
                                       guint               *n_incidents,
                                       GError             **error);

GPtrArray  *cu_incidents_list         (CuLedger            *ledger,
                                       gboolean             include_dismissed,
                                       GError             **error);
gboolean    cu_incidents_set_status   (CuLedger            *ledger,
                                       gint64               id,
                                       const char          *status,
                                       GError             **error);
char       *cu_incident_describe      (const CuIncident    *incident);

G_END_DECLS

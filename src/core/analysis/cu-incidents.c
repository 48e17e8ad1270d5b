/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-incidents.c — anomalous days grouped into incidents with root causes
 *
 * Three steps. Runs: a series' anomalous days at most CU_INCIDENT_MAX_GAP
 * apart are one run (a two-day spike is one event, not two). Links: runs
 * of different series on overlapping days join when the cells they share
 * carry at least half of the smaller one's excess (the account's spike is
 * the service's spike when that service in that account holds it; two
 * services never explain each other, but both may join through their
 * account). Causes: the cells (service, account, region) under the
 * members, ranked by their excess over the same weekdays of the four
 * weeks before — how a person reads the cost explorer after an alert.
 */
#define G_LOG_DOMAIN "cumulus-analysis"

#include "analysis/cu-incidents.h"
#include "analysis/cu-analysis-private.h"
#include "store/cu-ledger-private.h"
#include "util/cu-money.h"

#include <math.h>
#include <string.h>

/* weeks of the same weekday before an incident that make a cell's baseline */
#define BASELINE_WEEKS 4
#define MAX_CAUSES 5
#define MIN_CAUSE_SHARE 0.05

typedef struct {
  char    *kind;       /* total, account, service */
  char    *key;
  CuDay    start, end;
  gint64   impact;
  gint64   expected;
  gboolean new_spend;
  GArray  *ids;        /* of gint64 */
  GArray  *statuses;   /* of const char *, borrowed from the anomalies */
  guint    parent;     /* union-find */
} Run;

static void
run_clear (gpointer data)
{
  Run *r = data;

  g_free (r->kind);
  g_free (r->key);
  g_clear_pointer (&r->ids, g_array_unref);
  g_clear_pointer (&r->statuses, g_array_unref);
}

static void
cause_free (CuIncidentCause *c)
{
  if (c == NULL)
    return;
  g_free (c->service);
  g_free (c->account);
  g_free (c->region);
  g_free (c);
}

void
cu_incident_free (CuIncident *incident)
{
  if (incident == NULL)
    return;
  g_free (incident->kind);
  g_free (incident->currency);
  g_free (incident->root_cause);
  g_free (incident->status);
  g_clear_pointer (&incident->causes, g_ptr_array_unref);
  g_clear_pointer (&incident->anomaly_ids, g_array_unref);
  g_free (incident);
}

static CuIncident *
incident_new (void)
{
  CuIncident *incident = g_new0 (CuIncident, 1);

  incident->causes = g_ptr_array_new_with_free_func ((GDestroyNotify) cause_free);
  incident->anomaly_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  incident->impact_pct = NAN;
  return incident;
}

static int
compare_anomaly_series_day (gconstpointer pa, gconstpointer pb)
{
  const CuAnomaly *a = *(CuAnomaly * const *) pa, *b = *(CuAnomaly * const *) pb;
  int c = strcmp (a->series_kind, b->series_kind);

  if (c == 0)
    c = strcmp (a->series_key, b->series_key);
  return c != 0 ? c : (a->day > b->day) - (a->day < b->day);
}

/* Appends the runs of @anomalies (of CuAnomaly) to @runs. */
static void
make_runs (GPtrArray *anomalies, GArray *runs)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  Run *cur = NULL;

  for (guint i = 0; i < anomalies->len; i++)
    g_ptr_array_add (sorted, anomalies->pdata[i]);
  g_ptr_array_sort (sorted, compare_anomaly_series_day);

  for (guint i = 0; i < sorted->len; i++)
    {
      const CuAnomaly *a = sorted->pdata[i];

      if (cur == NULL || !g_str_equal (cur->kind, a->series_kind) || !g_str_equal (cur->key, a->series_key) ||
          a->day - cur->end > CU_INCIDENT_MAX_GAP)
        {
          Run r = { 0 };

          r.kind = g_strdup (a->series_kind);
          r.key = g_strdup (a->series_key);
          r.start = r.end = a->day;
          r.ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          r.statuses = g_array_new (FALSE, FALSE, sizeof (const char *));
          g_array_append_val (runs, r);
          cur = &g_array_index (runs, Run, runs->len - 1);
        }
      cur->end = a->day;
      cur->impact += a->impact;
      cur->expected += a->expected;
      g_array_append_val (cur->ids, a->id);
      g_array_append_val (cur->statuses, a->status);
    }
}

static guint
find_root (GArray *runs, guint i)
{
  while (g_array_index (runs, Run, i).parent != i)
    {
      Run *r = &g_array_index (runs, Run, i);

      r->parent = g_array_index (runs, Run, r->parent).parent;
      i = r->parent;
    }
  return i;
}

static gboolean
runs_touch (const Run *a, const Run *b)
{
  /* the same tolerance as within a series: a spike the total shows on its
   * first day and the service on its second is still one event */
  return a->start - b->end <= CU_INCIDENT_MAX_GAP && b->start - a->end <= CU_INCIDENT_MAX_GAP;
}

static int
kind_rank (const char *kind)
{
  if (g_str_equal (kind, "service"))
    return 0;
  if (g_str_equal (kind, "account"))
    return 1;
  return 2;
}

/* Joins linked runs; returns (element-type CuIncident) without causes,
 * the root cause named after the most specific member. @member_of
 * (optional) receives, per run, the index of its incident. */
static GPtrArray *
group_runs (GArray *runs, CuIncidentLinkFunc link, gpointer user_data, int **member_of)
{
  g_autoptr(GPtrArray) incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_incident_free);
  g_autofree int *slot = g_new (int, MAX (runs->len, 1));

  for (guint i = 0; i < runs->len; i++)
    g_array_index (runs, Run, i).parent = i;

  for (guint i = 0; i < runs->len; i++)
    for (guint j = i + 1; j < runs->len; j++)
      {
        const Run *a = &g_array_index (runs, Run, i), *b = &g_array_index (runs, Run, j);
        guint ra, rb;

        if (g_str_equal (a->kind, b->kind) && g_str_equal (a->key, b->key))
          continue; /* a series' runs are split on purpose */
        if (!runs_touch (a, b))
          continue;
        ra = find_root (runs, i);
        rb = find_root (runs, j);
        if (ra == rb)
          continue;
        if (link != NULL && !link (a->kind, a->key, b->kind, b->key,
                                   MIN (a->start, b->start), MAX (a->end, b->end), user_data))
          continue;
        g_array_index (runs, Run, MAX (ra, rb)).parent = MIN (ra, rb);
      }

  for (guint i = 0; i < runs->len; i++)
    slot[i] = -1;
  for (guint i = 0; i < runs->len; i++)
    {
      guint root = find_root (runs, i);

      if (slot[root] < 0)
        {
          slot[root] = (int) incidents->len;
          g_ptr_array_add (incidents, incident_new ());
        }
    }

  /* per incident: dates and members; the impact is that of the level that
   * saw the most of it (summing levels would count one dollar three times) */
  for (guint k = 0; k < incidents->len; k++)
    {
      CuIncident *inc = incidents->pdata[k];
      gint64 by_kind[3] = { 0 }, exp_kind[3] = { 0 };
      gboolean any = FALSE, new_spend = FALSE, all_reviewed = TRUE;
      const char *status = NULL, *best_key = NULL;
      int best_rank = 3, best = 0;
      gint64 best_impact = 0;

      for (guint i = 0; i < runs->len; i++)
        {
          const Run *r = &g_array_index (runs, Run, i);
          int rk;

          if (slot[find_root (runs, i)] != (int) k)
            continue;
          inc->start = any ? MIN (inc->start, r->start) : r->start;
          inc->end = any ? MAX (inc->end, r->end) : r->end;
          any = TRUE;
          new_spend |= r->new_spend;
          rk = kind_rank (r->kind);
          by_kind[rk] += r->impact;
          exp_kind[rk] += r->expected;
          if (rk < best_rank || (rk == best_rank && r->impact > best_impact))
            {
              best_rank = rk;
              best_impact = r->impact;
              best_key = r->key;
            }
          g_array_append_vals (inc->anomaly_ids, r->ids->data, r->ids->len);
          for (guint s = 0; s < r->statuses->len; s++)
            {
              const char *st = g_array_index (r->statuses, const char *, s);

              if (st == NULL || g_str_equal (st, "new") || (status && !g_str_equal (status, st)))
                all_reviewed = FALSE;
              status = st;
            }
        }
      for (int rk = 1; rk < 3; rk++)
        if (by_kind[rk] > by_kind[best])
          best = rk;
      inc->impact = by_kind[best];
      inc->expected = exp_kind[best];
      inc->impact_pct = inc->expected > 0 ? 100.0 * (double) inc->impact / (double) inc->expected : NAN;
      inc->kind = g_strdup (new_spend ? "new_spend" : "spike");
      inc->root_cause = g_strdup (best_key && *best_key ? best_key : "Total");
      /* a review carried over from before incidents existed (all members
       * acknowledged, say) stays the incident's */
      inc->status = g_strdup (all_reviewed && status != NULL && inc->anomaly_ids->len > 0 ? status : "new");
    }
  if (member_of != NULL)
    {
      *member_of = g_new (int, MAX (runs->len, 1));
      for (guint i = 0; i < runs->len; i++)
        (*member_of)[i] = slot[find_root (runs, i)];
    }
  return g_steal_pointer (&incidents);
}

/**
 * cu_incidents_group:
 * @anomalies: (element-type CuAnomaly): any order
 * @link: (nullable): whether two series' runs on the same days explain one
 *   another; %NULL joins every pair of different series that touch
 *
 * The pure part of the grouping, for tests and for callers that bring
 * their own notion of "explains".
 *
 * Returns: (transfer full) (element-type CuIncident): without causes and
 *   ids, the root cause named after the most specific member series
 */
GPtrArray *
cu_incidents_group (GPtrArray           *anomalies,
                    CuIncidentLinkFunc   link,
                    gpointer             user_data)
{
  g_autoptr(GArray) runs = g_array_new (FALSE, TRUE, sizeof (Run));

  g_return_val_if_fail (anomalies != NULL, NULL);

  g_array_set_clear_func (runs, run_clear);
  make_runs (anomalies, runs);
  return group_runs (runs, link, user_data, NULL);
}

/* ---------------------------------------------------------- the ledger */

typedef struct {
  CuLedger   *ledger;
  const char *currency;
  GError     *error;     /* the first SQL error of a link test */
} LinkContext;

/* Excess of the cells under (@service, @account) — NULL for any — on
 * [@from, @to] over the same weekdays of the weeks before @from. */
static gboolean
window_excess (CuLedger *ledger, const char *currency, const char *service, const char *account,
               CuDay from, CuDay to, double *excess, GError **error)
{
  CuDay lo = from - 7 * BASELINE_WEEKS - 6;
  guint n = (guint) (to - lo + 1);
  g_autofree double *v = g_new0 (double, n);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "SELECT r.usage_day, SUM(r.billed) FROM rollup_daily r WHERE r.currency = ?1"
                          " AND r.usage_day BETWEEN ?2 AND ?3 AND (?4 IS NULL OR r.service = ?4)"
                          " AND (?5 IS NULL OR " CU_LEDGER_SQL_ACCOUNT_NAME " = ?5) GROUP BY r.usage_day",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the costs of an incident");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, currency, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, lo);
  sqlite3_bind_int (stmt, 3, to);
  if (service)
    sqlite3_bind_text (stmt, 4, service, -1, SQLITE_STATIC);
  if (account)
    sqlite3_bind_text (stmt, 5, account, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    v[sqlite3_column_int (stmt, 0) - lo] = cu_money_to_double (sqlite3_column_int64 (stmt, 1));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the costs of an incident");
      return FALSE;
    }

  *excess = 0;
  for (CuDay d = from; d <= to; d++)
    {
      double base = 0;
      CuDay b = d - 7;
      guint k = 0;

      while (b >= from)
        b -= 7;
      for (; k < BASELINE_WEEKS && b >= lo; k++, b -= 7)
        base += v[b - lo];
      *excess += v[d - lo] - (k > 0 ? base / k : 0);
    }
  return TRUE;
}

static void
series_filter (const char *kind, const char *key, const char **service, const char **account)
{
  if (g_str_equal (kind, "service"))
    *service = key;
  else if (g_str_equal (kind, "account"))
    *account = key;
}

static gboolean
ledger_link_cb (const char *kind_a, const char *key_a, const char *kind_b, const char *key_b,
                CuDay from, CuDay to, gpointer user_data)
{
  LinkContext *ctx = user_data;
  const char *sa = NULL, *aa = NULL, *sb = NULL, *ab = NULL;
  double ea, eb, eab;

  if (ctx->error != NULL)
    return FALSE;
  series_filter (kind_a, key_a, &sa, &aa);
  series_filter (kind_b, key_b, &sb, &ab);
  /* two services (or two accounts) share no cell */
  if ((sa && sb && !g_str_equal (sa, sb)) || (aa && ab && !g_str_equal (aa, ab)))
    return FALSE;
  if (!window_excess (ctx->ledger, ctx->currency, sa, aa, from, to, &ea, &ctx->error) ||
      !window_excess (ctx->ledger, ctx->currency, sb, ab, from, to, &eb, &ctx->error) ||
      !window_excess (ctx->ledger, ctx->currency, sa ? sa : sb, aa ? aa : ab, from, to, &eab, &ctx->error))
    return FALSE;
  return eab > 0 && eab >= 0.5 * MIN (ea, eb);
}

typedef struct {
  char   *service, *account, *region;
  double *v;
} Cell;

static void
cell_clear (gpointer data)
{
  Cell *c = data;

  g_free (c->service);
  g_free (c->account);
  g_free (c->region);
  g_free (c->v);
}

static int
compare_cause_impact (gconstpointer pa, gconstpointer pb)
{
  const CuIncidentCause *a = *(CuIncidentCause * const *) pa, *b = *(CuIncidentCause * const *) pb;

  return (a->impact < b->impact) - (a->impact > b->impact);
}

/* Fills @inc->causes from the cells under its member series @members
 * (pairs kind, key; a total member covers every cell). */
static gboolean
find_causes (CuLedger *ledger, const char *currency, CuIncident *inc, GPtrArray *members, GError **error)
{
  CuDay lo = inc->start - 7 * BASELINE_WEEKS - 6;
  guint n = (guint) (inc->end - lo + 1);
  g_autoptr(GArray) cells = g_array_new (FALSE, TRUE, sizeof (Cell));
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) cause_free);
  sqlite3_stmt *stmt = NULL;
  gboolean any_total = FALSE;
  double positive = 0;
  int rc;

  g_array_set_clear_func (cells, cell_clear);
  for (guint m = 0; m < members->len; m += 2)
    any_total |= g_str_equal (members->pdata[m], "total");

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "SELECT r.service, " CU_LEDGER_SQL_ACCOUNT_NAME ", r.region, r.usage_day, SUM(r.billed)"
                          " FROM rollup_daily r WHERE r.currency = ?1 AND r.usage_day BETWEEN ?2 AND ?3"
                          " GROUP BY 1, 2, 3, 4", -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the root causes of an incident");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, currency, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, lo);
  sqlite3_bind_int (stmt, 3, inc->end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *service = (const char *) sqlite3_column_text (stmt, 0);
      const char *account = (const char *) sqlite3_column_text (stmt, 1);
      const char *region = (const char *) sqlite3_column_text (stmt, 2);
      g_autofree char *key = NULL;
      gpointer slot;
      gboolean under = any_total;

      service = service ? service : "";
      account = account ? account : "";
      region = region ? region : "";
      for (guint m = 0; !under && m < members->len; m += 2)
        {
          const char *kind = members->pdata[m], *k = members->pdata[m + 1];

          under = (g_str_equal (kind, "service") && g_str_equal (k, service)) ||
                  (g_str_equal (kind, "account") && g_str_equal (k, account));
        }
      if (!under)
        continue;
      key = g_strjoin ("\x1f", service, account, region, NULL);
      if (!g_hash_table_lookup_extended (index, key, NULL, &slot))
        {
          Cell c = { g_strdup (service), g_strdup (account), g_strdup (region), g_new0 (double, n) };

          g_array_append_val (cells, c);
          slot = GUINT_TO_POINTER (cells->len - 1);
          g_hash_table_insert (index, g_steal_pointer (&key), slot);
        }
      g_array_index (cells, Cell, GPOINTER_TO_UINT (slot)).v[sqlite3_column_int (stmt, 3) - lo] +=
        cu_money_to_double (sqlite3_column_int64 (stmt, 4));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the root causes of an incident");
      return FALSE;
    }

  for (guint i = 0; i < cells->len; i++)
    {
      Cell *c = &g_array_index (cells, Cell, i);
      double excess = 0;

      for (CuDay d = inc->start; d <= inc->end; d++)
        {
          double base = 0;
          CuDay b = d - 7;
          guint k = 0;

          while (b >= inc->start)
            b -= 7;
          for (; k < BASELINE_WEEKS && b >= lo; k++, b -= 7)
            base += c->v[b - lo];
          excess += c->v[d - lo] - (k > 0 ? base / k : 0);
        }
      if (excess > 0.005)
        {
          CuIncidentCause *cause = g_new0 (CuIncidentCause, 1);

          cause->service = g_strdup (c->service);
          cause->account = g_strdup (c->account);
          cause->region = g_strdup (c->region);
          cause->impact = cu_money_from_double (excess);
          positive += excess;
          g_ptr_array_add (all, cause);
        }
    }
  g_ptr_array_sort (all, compare_cause_impact);
  for (guint i = 0; i < all->len; i++)
    {
      CuIncidentCause *cause = all->pdata[i];

      cause->share = cu_money_to_double (cause->impact) / positive;
      /* the cells that matter; the long tail is noise around the event */
      if (i > 0 && (i >= MAX_CAUSES || cause->share < MIN_CAUSE_SHARE))
        break;
      g_ptr_array_add (inc->causes, g_steal_pointer (&all->pdata[i]));
    }
  if (inc->causes->len > 0)
    {
      const CuIncidentCause *top = inc->causes->pdata[0];

      g_free (inc->root_cause);
      inc->root_cause = g_strdup_printf ("%s in %s, %s", top->service, top->account,
                                         *top->region ? top->region : "global");
    }
  return TRUE;
}

/* A service that first costs something after the workspace's first week and
 * whose first days cost more than the dollar floor: one "new spend" run
 * over those days (its own detector stays quiet while it is young). */
static gboolean
add_new_spend_runs (CuLedger *ledger, const char *currency, CuDay first, CuDay last, GArray *runs, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "WITH s AS (SELECT service, MIN(usage_day) AS f FROM rollup_daily"
                          "  WHERE currency = ?1 AND billed > 0 AND usage_day <= ?3 GROUP BY service)"
                          " SELECT s.service, s.f, (SELECT SUM(r.billed) FROM rollup_daily r WHERE r.currency = ?1"
                          "  AND r.service = s.service AND r.usage_day BETWEEN s.f AND MIN(s.f + ?4 - 1, ?3))"
                          " FROM s WHERE s.f >= ?2 + 7",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot find new services");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, currency, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, first);
  sqlite3_bind_int (stmt, 3, last);
  sqlite3_bind_int (stmt, 4, CU_INCIDENT_NEW_SPEND_DAYS);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CuDay f = sqlite3_column_int (stmt, 1);
      CuDay e = MIN (f + CU_INCIDENT_NEW_SPEND_DAYS - 1, last);
      gint64 cost = sqlite3_column_int64 (stmt, 2);
      Run r = { 0 };

      if (cu_money_to_double (cost) / (double) (e - f + 1) < CU_ANALYSIS_MIN_IMPACT)
        continue;
      r.kind = g_strdup ("service");
      r.key = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      r.start = f;
      r.end = e;
      r.impact = cost;
      r.new_spend = TRUE;
      r.ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      r.statuses = g_array_new (FALSE, FALSE, sizeof (const char *));
      g_array_append_val (runs, r);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot find new services");
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  gint64   id;
  char    *kind;
  CuDay    start, end;
  char    *root_cause;
  gboolean taken;
} OldIncident;

static void
old_clear (gpointer data)
{
  OldIncident *o = data;

  g_free (o->kind);
  g_free (o->root_cause);
}

static gboolean
step_done (sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

/* Matches @incidents with the stored ones (by shared anomalies, else by
 * kind, days and root cause), then rewrites the table: matched ones keep
 * id, status and notified; unmatched unreviewed ones go. */
static gboolean
store_incidents (CuLedger *ledger, GPtrArray *incidents, GError **error)
{
  sqlite3 *db = cu_ledger_get_db (ledger);
  g_autoptr(GArray) old = g_array_new (FALSE, TRUE, sizeof (OldIncident));
  g_autoptr(GHashTable) owner = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) owner_keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) owner_vals = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *sel = NULL, *upd = NULL, *ins = NULL, *cause = NULL, *member = NULL;
  int rc;

  g_array_set_clear_func (old, old_clear);
  if (sqlite3_prepare_v2 (db, "SELECT id, kind, start_day, end_day, root_cause FROM incidents", -1, &sel, NULL) != SQLITE_OK)
    goto fail;
  while ((rc = sqlite3_step (sel)) == SQLITE_ROW)
    {
      OldIncident o = { sqlite3_column_int64 (sel, 0), g_strdup ((const char *) sqlite3_column_text (sel, 1)),
                        sqlite3_column_int (sel, 2), sqlite3_column_int (sel, 3),
                        g_strdup ((const char *) sqlite3_column_text (sel, 4)), FALSE };
      g_array_append_val (old, o);
    }
  sqlite3_finalize (sel);
  sel = NULL;
  if (rc != SQLITE_DONE)
    goto fail;
  if (sqlite3_prepare_v2 (db, "SELECT id, incident_id FROM anomalies WHERE incident_id IS NOT NULL", -1, &sel, NULL) != SQLITE_OK)
    goto fail;
  while ((rc = sqlite3_step (sel)) == SQLITE_ROW)
    {
      gint64 a = sqlite3_column_int64 (sel, 0), i = sqlite3_column_int64 (sel, 1);

      g_array_append_val (owner_keys, a);
      g_array_append_val (owner_vals, i);
    }
  sqlite3_finalize (sel);
  sel = NULL;
  if (rc != SQLITE_DONE)
    goto fail;
  for (guint i = 0; i < owner_keys->len; i++)
    g_hash_table_insert (owner, &g_array_index (owner_keys, gint64, i), &g_array_index (owner_vals, gint64, i));

  for (guint k = 0; k < incidents->len; k++)
    {
      CuIncident *inc = incidents->pdata[k];
      guint best = G_MAXUINT, best_votes = 0;

      for (guint o = 0; o < old->len; o++)
        {
          OldIncident *prev = &g_array_index (old, OldIncident, o);
          guint votes = 0;

          if (prev->taken)
            continue;
          for (guint a = 0; a < inc->anomaly_ids->len; a++)
            {
              gint64 *was = g_hash_table_lookup (owner, &g_array_index (inc->anomaly_ids, gint64, a));
              votes += was != NULL && *was == prev->id;
            }
          /* no shared anomaly (a new-spend incident has none): the same
           * event if it is the same kind of thing, on the same days, of
           * the same cause */
          if (votes == 0 && g_str_equal (prev->kind, inc->kind) && prev->start <= inc->end && inc->start <= prev->end &&
              g_strcmp0 (prev->root_cause, inc->root_cause) == 0)
            votes = 1;
          if (votes > best_votes)
            {
              best = o;
              best_votes = votes;
            }
        }
      if (best != G_MAXUINT)
        {
          OldIncident *prev = &g_array_index (old, OldIncident, best);

          prev->taken = TRUE;
          inc->id = prev->id;
        }
    }

  if (!cu_ledger_exec (ledger, "UPDATE anomalies SET incident_id = NULL WHERE incident_id IS NOT NULL", error))
    return FALSE;
  for (guint o = 0; o < old->len; o++)
    {
      const OldIncident *prev = &g_array_index (old, OldIncident, o);
      g_autofree char *sql = NULL;

      if (prev->taken)
        continue;
      /* a reviewed incident stays, as it was reviewed, even when the data
       * under it changed; an unreviewed one that is gone is gone */
      sql = g_strdup_printf ("DELETE FROM incidents WHERE id = %" G_GINT64_FORMAT " AND status = 'new'", prev->id);
      if (!cu_ledger_exec (ledger, sql, error))
        return FALSE;
    }

  if (sqlite3_prepare_v2 (db, "UPDATE incidents SET kind = ?2, start_day = ?3, end_day = ?4, expected = ?5,"
                              " impact = ?6, impact_pct = ?7, currency = ?8, root_cause = ?9 WHERE id = ?1",
                          -1, &upd, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "INSERT INTO incidents (kind, start_day, end_day, expected, impact, impact_pct,"
                              " currency, root_cause, status) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                          -1, &ins, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "INSERT INTO incident_causes (incident_id, rank, service, account, region, impact, share)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &cause, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "UPDATE anomalies SET incident_id = ? WHERE id = ?", -1, &member, NULL) != SQLITE_OK)
    goto fail;

  for (guint k = 0; k < incidents->len; k++)
    {
      CuIncident *inc = incidents->pdata[k];
      sqlite3_stmt *stmt = inc->id ? upd : ins;
      gboolean is_new = inc->id == 0;
      g_autofree char *del = NULL;

      if (inc->id)
        sqlite3_bind_int64 (stmt, 1, inc->id);
      sqlite3_bind_text (stmt, 2, inc->kind, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, inc->start);
      sqlite3_bind_int (stmt, 4, inc->end);
      sqlite3_bind_int64 (stmt, 5, inc->expected);
      sqlite3_bind_int64 (stmt, 6, inc->impact);
      if (isnan (inc->impact_pct))
        sqlite3_bind_null (stmt, 7);
      else
        sqlite3_bind_double (stmt, 7, inc->impact_pct);
      sqlite3_bind_text (stmt, 8, inc->currency, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, inc->root_cause, -1, SQLITE_STATIC);
      if (!inc->id)
        sqlite3_bind_text (stmt, 10, inc->status, -1, SQLITE_STATIC);
      if (!step_done (stmt))
        goto fail;
      sqlite3_clear_bindings (stmt);
      if (!inc->id)
        inc->id = sqlite3_last_insert_rowid (db);

      del = g_strdup_printf ("DELETE FROM incident_causes WHERE incident_id = %" G_GINT64_FORMAT, inc->id);
      if (!cu_ledger_exec (ledger, del, error))
        goto fail_quiet;
      for (guint c = 0; c < inc->causes->len; c++)
        {
          const CuIncidentCause *ic = inc->causes->pdata[c];

          sqlite3_bind_int64 (cause, 1, inc->id);
          sqlite3_bind_int (cause, 2, (int) c + 1);
          sqlite3_bind_text (cause, 3, ic->service, -1, SQLITE_STATIC);
          sqlite3_bind_text (cause, 4, ic->account, -1, SQLITE_STATIC);
          sqlite3_bind_text (cause, 5, ic->region, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (cause, 6, ic->impact);
          sqlite3_bind_double (cause, 7, ic->share);
          if (!step_done (cause))
            goto fail;
        }
      for (guint a = 0; a < inc->anomaly_ids->len; a++)
        {
          sqlite3_bind_int64 (member, 1, inc->id);
          sqlite3_bind_int64 (member, 2, g_array_index (inc->anomaly_ids, gint64, a));
          if (!step_done (member))
            goto fail;
        }
      if (is_new && inc->anomaly_ids->len > 0)
        {
          /* anomalies announced before incidents existed are not news again */
          g_autofree char *sql = g_strdup_printf ("UPDATE incidents SET notified = 1 WHERE id = %" G_GINT64_FORMAT
                                                  " AND NOT EXISTS (SELECT 1 FROM anomalies WHERE incident_id = %"
                                                  G_GINT64_FORMAT " AND notified = 0)", inc->id, inc->id);
          if (!cu_ledger_exec (ledger, sql, error))
            goto fail_quiet;
        }
    }
  sqlite3_finalize (upd);
  sqlite3_finalize (ins);
  sqlite3_finalize (cause);
  sqlite3_finalize (member);
  return TRUE;

fail:
  cu_ledger_set_sql_error (ledger, error, "Cannot store the incidents");
fail_quiet:
  sqlite3_finalize (sel);
  sqlite3_finalize (upd);
  sqlite3_finalize (ins);
  sqlite3_finalize (cause);
  sqlite3_finalize (member);
  return FALSE;
}

/* The grouping over the stored anomalies, inside the caller's transaction
 * (cu_analysis_run() calls it after storing the anomalies). */
gboolean
cu_incidents_rebuild (CuLedger *ledger, guint *n_incidents, GError **error)
{
  g_autoptr(GPtrArray) anomalies = NULL;
  g_autoptr(GArray) runs = g_array_new (FALSE, TRUE, sizeof (Run));
  g_autoptr(GPtrArray) incidents = NULL;
  g_autofree char *currency = NULL;
  g_autofree int *member_of = NULL;
  LinkContext ctx = { ledger, NULL, NULL };
  CuDay first, last;

  g_array_set_clear_func (runs, run_clear);
  if (!cu_ledger_get_day_range (ledger, &first, &last, error))
    {
      if (error && *error)
        return FALSE;
      if (n_incidents)
        *n_incidents = 0;
      return cu_ledger_exec (ledger, "DELETE FROM incidents WHERE status = 'new'", error);
    }
  currency = cu_ledger_get_dominant_currency (ledger, CU_DAY_INVALID, CU_DAY_INVALID, NULL, error);
  if (currency == NULL)
    return FALSE;
  ctx.currency = currency;

  anomalies = cu_anomalies_select (ledger, "ORDER BY id", "Cannot read the anomalies", error);
  if (anomalies == NULL)
    return FALSE;
  make_runs (anomalies, runs);
  if (!add_new_spend_runs (ledger, currency, first, last, runs, error))
    return FALSE;
  incidents = group_runs (runs, ledger_link_cb, &ctx, &member_of);
  if (ctx.error != NULL)
    {
      g_propagate_error (error, ctx.error);
      return FALSE;
    }

  for (guint k = 0; k < incidents->len; k++)
    {
      CuIncident *inc = incidents->pdata[k];
      g_autoptr(GPtrArray) members = g_ptr_array_new ();

      inc->currency = g_strdup (currency);
      for (guint i = 0; i < runs->len; i++)
        if (member_of[i] == (int) k)
          {
            Run *r = &g_array_index (runs, Run, i);

            g_ptr_array_add (members, r->kind);
            g_ptr_array_add (members, r->key);
          }
      if (!find_causes (ledger, currency, inc, members, error))
        return FALSE;
    }
  if (!store_incidents (ledger, incidents, error))
    return FALSE;
  if (n_incidents)
    *n_incidents = incidents->len;
  return TRUE;
}

/**
 * cu_incidents_build:
 * @n_incidents: (out) (optional): how many incidents the anomalies make
 *
 * Regroups the stored anomalies into incidents, in one transaction. The
 * analysis run does this itself; this is for callers that changed the
 * anomalies some other way.
 */
gboolean
cu_incidents_build (CuLedger  *ledger,
                    guint     *n_incidents,
                    GError   **error)
{
  g_return_val_if_fail (CU_IS_LEDGER (ledger), FALSE);

  if (!cu_ledger_begin (ledger, error))
    return FALSE;
  if (!cu_incidents_rebuild (ledger, n_incidents, error) || !cu_ledger_commit (ledger, error))
    {
      cu_ledger_rollback (ledger);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------- reading */

static gpointer
incident_new_from_row (sqlite3_stmt *stmt)
{
  CuIncident *inc = incident_new ();

  inc->id = sqlite3_column_int64 (stmt, 0);
  inc->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  inc->start = sqlite3_column_int (stmt, 2);
  inc->end = sqlite3_column_int (stmt, 3);
  inc->expected = sqlite3_column_int64 (stmt, 4);
  inc->impact = sqlite3_column_int64 (stmt, 5);
  inc->impact_pct = sqlite3_column_type (stmt, 6) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 6);
  inc->currency = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  inc->root_cause = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  inc->status = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  return inc;
}

static gpointer
cause_new_from_row (sqlite3_stmt *stmt)
{
  CuIncidentCause *c = g_new0 (CuIncidentCause, 1);

  /* column 0 is the incident id, read by the caller */
  c->service = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  c->account = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  c->region = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  c->impact = sqlite3_column_int64 (stmt, 4);
  c->share = sqlite3_column_double (stmt, 5);
  return c;
}

/* Fills in the causes and member ids of @list, one query each. */
static gboolean
load_details (CuLedger *ledger, GPtrArray *list, GError **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  sqlite3_stmt *stmt = NULL;
  int rc;

  for (guint i = 0; i < list->len; i++)
    g_hash_table_insert (by_id, &((CuIncident *) list->pdata[i])->id, list->pdata[i]);

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), "SELECT incident_id, service, account, region, impact, share"
                          " FROM incident_causes ORDER BY incident_id, rank", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      CuIncident *inc = g_hash_table_lookup (by_id, &id);

      if (inc != NULL)
        g_ptr_array_add (inc->causes, cause_new_from_row (stmt));
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    goto fail;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), "SELECT incident_id, id, young FROM anomalies"
                          " WHERE incident_id IS NOT NULL ORDER BY usage_day, id", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0), a = sqlite3_column_int64 (stmt, 1);
      CuIncident *inc = g_hash_table_lookup (by_id, &id);

      if (inc != NULL)
        {
          g_array_append_val (inc->anomaly_ids, a);
          inc->young |= sqlite3_column_int (stmt, 2) != 0;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      stmt = NULL;
      goto fail;
    }
  return TRUE;

fail:
  cu_ledger_set_sql_error (ledger, error, "Cannot read the incidents");
  sqlite3_finalize (stmt);
  return FALSE;
}

GPtrArray *
cu_incidents_select (CuLedger    *ledger,
                     const char  *clause,
                     const char  *what,
                     GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id, kind, start_day, end_day, expected, impact, impact_pct,"
                                          " currency, root_cause, status FROM incidents %s", clause);
  g_autoptr(GPtrArray) list = cu_ledger_select_rows (ledger, sql, incident_new_from_row,
                                                     (GDestroyNotify) cu_incident_free, what, error);

  if (list == NULL || !load_details (ledger, list, error))
    return NULL;
  return g_steal_pointer (&list);
}

/**
 * cu_incidents_list:
 * @include_dismissed: whether dismissed incidents are listed too
 *
 * Returns: (transfer full) (element-type CuIncident): newest first, then
 *   the largest impact, with causes and member anomaly ids
 */
GPtrArray *
cu_incidents_list (CuLedger  *ledger,
                   gboolean   include_dismissed,
                   GError   **error)
{
  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);

  return cu_incidents_select (ledger,
                              include_dismissed
                              ? "ORDER BY end_day DESC, impact DESC, id"
                              : "WHERE status != 'dismissed' ORDER BY end_day DESC, impact DESC, id",
                              "Cannot list incidents", error);
}

/**
 * cu_incidents_set_status:
 * @status: new, acknowledged or dismissed
 *
 * Sets the status of incident @id and of its anomalies, in one
 * transaction, so a rerun groups the reviewed anomalies back into the
 * same incident.
 *
 * Returns: %FALSE with %CU_LEDGER_ERROR_NOT_FOUND for an unknown id
 */
gboolean
cu_incidents_set_status (CuLedger    *ledger,
                         gint64       id,
                         const char  *status,
                         GError     **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  int changed;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  if (!g_str_equal (status, "new") && !g_str_equal (status, "acknowledged") && !g_str_equal (status, "dismissed"))
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "Unknown incident status “%s”: use new, acknowledged or dismissed", status);
      return FALSE;
    }
  if (!cu_ledger_begin (ledger, error))
    return FALSE;
  db = cu_ledger_get_db (ledger);
  if (sqlite3_prepare_v2 (db, "UPDATE incidents SET status = ?1 WHERE id = ?2", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto fail;
  changed = sqlite3_changes (db);
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (changed == 0)
    {
      cu_ledger_rollback (ledger);
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_NOT_FOUND, "No incident with id %" G_GINT64_FORMAT, id);
      return FALSE;
    }
  if (sqlite3_prepare_v2 (db, "UPDATE anomalies SET status = ?1 WHERE incident_id = ?2", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto fail;
  sqlite3_finalize (stmt);
  if (!cu_ledger_commit (ledger, error))
    {
      cu_ledger_rollback (ledger);
      return FALSE;
    }
  return TRUE;

fail:
  cu_ledger_set_sql_error (ledger, error, "Cannot update the incident");
  sqlite3_finalize (stmt);
  cu_ledger_rollback (ledger);
  return FALSE;
}

/**
 * cu_incident_describe:
 *
 * Returns: (transfer full): the incident as a person would say it,
 *   "Amazon EC2 in acme-prod, us-east-1, +$1,900.00 a day for 2 days"
 */
char *
cu_incident_describe (const CuIncident *incident)
{
  guint days;
  g_autofree char *per_day = NULL;

  g_return_val_if_fail (incident != NULL, NULL);

  days = cu_incident_get_days (incident);
  per_day = cu_money_format_display (incident->impact / (gint64) days, incident->currency);
  if (g_strcmp0 (incident->kind, "new_spend") == 0)
    return g_strdup_printf ("New spend: %s, %s a day over its first %u days", incident->root_cause, per_day, days);
  if (days == 1)
    return g_strdup_printf ("%s, +%s for 1 day", incident->root_cause, per_day);
  return g_strdup_printf ("%s, +%s a day for %u days", incident->root_cause, per_day, days);
}

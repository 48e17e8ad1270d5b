/* SPDX-License-Identifier: GPL-3.0-or-later */
/* anomaly-testset.c — a labelled test set for streaming anomaly scores
 *
 * Every file is built on a true time grid (UTC) from a level with slight
 * growth, its cycles, AR(1) noise and the incidents, then turned into what
 * an export would hold:
 *
 *   5-minute files   3 weeks, daily cycle, AR noise (φ up to 0.6), times
 *                    jittered by up to 2 s, a second collector's row now
 *                    and then 2 s before the row above it (out of order),
 *                    a 2-hour outage, 0.5 % of rows lost, and local clock
 *                    times: on 2025-10-26 02:00–02:55 appears twice
 *   hourly files     12 weeks, daily and weekly cycles (office hours,
 *                    quiet weekends), the same daylight-saving repeat, a
 *                    10-hour outage, 0.5 % of rows lost
 *   daily files      2 years, weekly cycle, a 3-day gap, 2 days exported
 *                    twice (the second row a late correction)
 *
 * Incidents, 2–4 a file after the warm-up, their kind and place drawn from
 * the file's seed: a spike (1–3 rows, 6–12 noise standard deviations up or
 * down), a level shift (5–10 σ, permanent), a slow drift (a ramp to
 * 10–15 σ over 6 hours, 2 days or 2 weeks, then staying), a variance change
 * (noise ×3–5 for 4 hours, a day or 10 days).
 *
 * Scoring follows the Numenta Anomaly Benchmark's standard profile: each
 * file's windows share 10 % of its rows, centred on the incident starts;
 * the first flag in a window earns σ(y) = 2 / (1 + e^{5y}) − 1 with y the
 * flag's place from −1 (window start) to 0 (window end); a window without
 * a flag costs 1; every flagged row outside the windows costs 0.11 σ(y),
 * y counted in window lengths after the previous window (−0.11 before any).
 * The first 15 % of each file is not scored. The sum over all files is
 * normalised to 100 for a perfect detector and 0 for one that flags
 * nothing.
 */
#define G_LOG_DOMAIN "cumulus-test-anomaly-set"

#include "anomaly-testset.h"

#include <math.h>
#include <string.h>

#define NAB_TP 1.0
#define NAB_FP 0.11
#define NAB_FN 1.0
#define PROBATION 0.15

typedef enum { KIND_5MIN, KIND_HOURLY, KIND_DAILY } FileKind;

typedef struct {
  double value;
  gint64 label;       /* the time as written */
  gssize origin;      /* row of the true grid, -1 for an inserted row */
} Row;

static double
gaussian (GRand *rand)
{
  double u1 = g_rand_double (rand), u2 = g_rand_double (rand);

  return sqrt (-2.0 * log (1.0 - u1)) * cos (2.0 * G_PI * u2);
}

static double
nab_sigmoid (double y)
{
  return 2.0 / (1.0 + exp (5.0 * y)) - 1.0;
}

const char *
test_incident_kind_name (TestIncidentKind kind)
{
  switch (kind)
    {
    case TEST_INCIDENT_SPIKE: return "spike";
    case TEST_INCIDENT_LEVEL_SHIFT: return "level shift";
    case TEST_INCIDENT_DRIFT: return "drift";
    case TEST_INCIDENT_VARIANCE: return "variance change";
    default: return "?";
    }
}

void
test_series_free (TestSeries *s)
{
  if (s == NULL)
    return;
  g_free (s->name);
  g_free (s->times);
  g_free (s->values);
  g_free (s->incidents);
  g_free (s->quiet);
  g_free (s);
}

/* Windows (10 % of the rows shared by the incidents, centred on their
 * starts, never overlapping) and the quiet rows. */
static void
finish_labels (TestSeries *s)
{
  gsize len = s->n_incidents > 0 ? (gsize) (0.1 * s->n / s->n_incidents) : 0;

  s->probation = (gsize) (PROBATION * s->n);
  for (guint k = 0; k < s->n_incidents; k++)
    {
      TestIncident *inc = &s->incidents[k];

      inc->window_start = inc->start > len / 2 ? inc->start - len / 2 : 0;
      inc->window_end = MIN (inc->start + len / 2, s->n - 1);
      if (k > 0 && inc->window_start <= s->incidents[k - 1].window_end)
        inc->window_start = s->incidents[k - 1].window_end + 1;
    }
  s->quiet = g_new0 (gboolean, s->n);
  for (gsize i = s->probation; i < s->n; i++)
    s->quiet[i] = TRUE;
  for (guint k = 0; k < s->n_incidents; k++)
    {
      const TestIncident *inc = &s->incidents[k];

      for (gsize i = inc->window_start; i <= MAX (inc->window_end, inc->end) && i < s->n; i++)
        s->quiet[i] = FALSE;
    }
}

static double
cycle_5min (double t, double amp)
{
  double hod = fmod (t, 86400.0) / 3600.0;

  return 1.0 + amp * sin (2 * G_PI * (hod - 9.0) / 24.0);
}

static double
cycle_hourly (double t, double amp, double weekend)
{
  double hod = fmod (t, 86400.0) / 3600.0;
  gint64 day = (gint64) floor (t / 86400.0);
  int dow = (int) (((day + 3) % 7 + 7) % 7); /* 0 = Monday (1970-01-01 was a Thursday) */
  double office = hod >= 8 && hod < 19 ? 1.0 : 0.0;
  double c = 1.0 + amp * (office - 0.45) + 0.1 * amp * sin (2 * G_PI * hod / 24.0);

  if (dow >= 5)
    c = 1.0 + (c - 1.0) * 0.2 - weekend;
  return c;
}

static double
cycle_daily (double t, double weekend)
{
  gint64 day = (gint64) floor (t / 86400.0);
  int dow = (int) (((day + 3) % 7 + 7) % 7);
  static const double shape[7] = { 0.04, 0.06, 0.05, 0.04, 0.01, -0.1, -0.1 };

  return 1.0 + (dow >= 5 ? -weekend : weekend * 0.4) + shape[dow];
}

static TestSeries *
generate_file (FileKind kind,
               guint    index,
               guint32  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  static const char *kind_names[] = { "5min", "hourly", "daily" };
  double step = kind == KIND_5MIN ? 300.0 : kind == KIND_HOURLY ? 3600.0 : 86400.0;
  gsize n0 = kind == KIND_5MIN ? 21 * 288 : kind == KIND_HOURLY ? 12 * 168 : 730;
  gint64 t0 = kind == KIND_DAILY ? G_GINT64_CONSTANT (1704067200)      /* 2024-01-01 */
                                 : G_GINT64_CONSTANT (1759708800);     /* 2025-10-06 */
  gint64 dst_switch = G_GINT64_CONSTANT (1761440400);                 /* 2025-10-26 01:00 UTC */
  double level = exp (g_rand_double_range (rand, log (20.0), log (2000.0)));
  double growth = g_rand_double_range (rand, -0.1, 0.3);
  double noise = g_rand_double_range (rand, 0.02, 0.06);
  double phi = kind == KIND_DAILY ? g_rand_double_range (rand, 0.0, 0.3) : g_rand_double_range (rand, 0.0, 0.6);
  double amp = g_rand_double_range (rand, 0.2, 0.6);
  double weekend = g_rand_double_range (rand, 0.1, 0.4);
  double warm = kind == KIND_HOURLY ? 5.0 * 168 : kind == KIND_5MIN ? 5.0 * 288 : 5.0 * 7 * 4;
  g_autofree double *clean = g_new (double, n0);
  g_autofree double *add = g_new0 (double, n0);
  g_autofree double *noise_mult = g_new (double, n0);
  g_autofree gboolean *protect = g_new0 (gboolean, n0);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  TestIncident incidents[4];
  gsize starts0[4], ends0[4];
  guint n_inc = (guint) g_rand_int_range (rand, 2, 5);
  gsize win = (gsize) (0.1 * n0 / n_inc);
  gsize lo = MAX ((gsize) warm, (gsize) (0.3 * n0)), hi = n0 - win / 2 - 1;
  double sd;
  TestSeries *s;
  double ar = 0.0;

  for (gsize k = 0; k < n0; k++)
    noise_mult[k] = 1.0;

  /* incident places: evenly spread over [lo, hi] with jitter, so that
   * windows never overlap */
  for (guint k = 0; k < n_inc; k++)
    {
      gsize slot = (hi - lo) / n_inc;
      gsize start = lo + k * slot + (gsize) g_rand_int_range (rand, 0, (gint32) MAX (slot / 3, 1));
      TestIncidentKind ik = (TestIncidentKind) g_rand_int_range (rand, 0, 4);
      gsize dur;

      incidents[k].kind = ik;
      switch (ik)
        {
        case TEST_INCIDENT_SPIKE:
          incidents[k].size = g_rand_double_range (rand, 6.0, 12.0) * (g_rand_boolean (rand) ? 1 : -1);
          dur = (gsize) g_rand_int_range (rand, 1, kind == KIND_DAILY ? 2 : 4);
          break;
        case TEST_INCIDENT_LEVEL_SHIFT:
          incidents[k].size = g_rand_double_range (rand, 5.0, 10.0) * (g_rand_boolean (rand) ? 1 : -1);
          dur = 1;
          break;
        case TEST_INCIDENT_DRIFT:
          incidents[k].size = g_rand_double_range (rand, 10.0, 15.0) * (g_rand_boolean (rand) ? 1 : -1);
          dur = kind == KIND_5MIN ? 72 : kind == KIND_HOURLY ? 48 : 14;
          break;
        case TEST_INCIDENT_VARIANCE:
        default:
          incidents[k].size = g_rand_double_range (rand, 3.0, 5.0);
          dur = kind == KIND_5MIN ? 48 : kind == KIND_HOURLY ? 24 : 10;
          break;
        }
      starts0[k] = start;
      ends0[k] = MIN (start + dur - 1, n0 - 1);
      for (gsize r = starts0[k]; r <= ends0[k] + 1 && r < n0; r++)
        protect[r] = TRUE;
    }

  /* the clean series and the noise scale: sd relative to the mean level */
  sd = noise * level;
  /* the cycles follow the local clock, as people's working hours do */
  for (gsize k = 0; k < n0; k++)
    {
      gint64 ut = t0 + (gint64) k * (gint64) step;
      double t = (double) (ut + (kind == KIND_DAILY ? 0 : ut < dst_switch ? 7200 : 3600));
      double c = kind == KIND_5MIN ? cycle_5min (t, amp)
                 : kind == KIND_HOURLY ? cycle_hourly (t, amp, weekend)
                 : cycle_daily (t, weekend);

      clean[k] = level * (1.0 + growth * k / n0) * c;
    }
  for (guint k = 0; k < n_inc; k++)
    {
      const TestIncident *inc = &incidents[k];

      for (gsize r = starts0[k]; r < n0; r++)
        switch (inc->kind)
          {
          case TEST_INCIDENT_SPIKE:
            if (r <= ends0[k])
              add[r] += inc->size * sd;
            break;
          case TEST_INCIDENT_LEVEL_SHIFT:
            add[r] += inc->size * sd;
            break;
          case TEST_INCIDENT_DRIFT:
            add[r] += inc->size * sd * MIN (1.0, (double) (r - starts0[k] + 1) / (ends0[k] - starts0[k] + 1));
            break;
          case TEST_INCIDENT_VARIANCE:
            if (r <= ends0[k])
              noise_mult[r] = inc->size;
            break;
          }
    }

  /* export: rows with their written times */
  {
    gsize gap_at = lo / 2 + (gsize) g_rand_int_range (rand, 0, (gint32) (lo / 4));
    gsize gap_len = kind == KIND_5MIN ? 24 : kind == KIND_HOURLY ? 10 : 3;

    for (gsize k = 0; k < n0; k++)
      {
        Row row;
        gint64 t = t0 + (gint64) k * (gint64) step;

        ar = phi * ar + sqrt (1.0 - phi * phi) * gaussian (rand);
        row.value = clean[k] + add[k] + sd * noise_mult[k] * ar;
        row.origin = (gssize) k;
        row.label = t;
        if (kind != KIND_DAILY)
          row.label += t < dst_switch ? 7200 : 3600;   /* CEST, then CET */
        if (kind == KIND_5MIN)
          row.label += g_rand_int_range (rand, -2, 3);
        if (k >= gap_at && k < gap_at + gap_len)
          continue;
        if (!protect[k] && k > 0 && kind != KIND_DAILY && g_rand_double (rand) < 0.005)
          continue;
        g_array_append_val (rows, row);
        if (kind == KIND_5MIN && !protect[k] && g_rand_double (rand) < 0.003)
          {
            Row extra = row;

            extra.label -= 2;
            extra.value = clean[k] + add[k] + sd * gaussian (rand);
            extra.origin = -1;
            g_array_append_val (rows, extra);
          }
        if (kind == KIND_DAILY && !protect[k] && (k == n0 / 3 || k == 2 * n0 / 3))
          {
            Row late = row;

            late.value = row.value * (1.0 + 0.2 * noise * gaussian (rand));
            late.origin = -1;
            g_array_append_val (rows, late);
          }
      }
  }

  s = g_new0 (TestSeries, 1);
  s->name = g_strdup_printf ("%s-%02u", kind_names[kind], index);
  s->step = step;
  s->period = kind == KIND_HOURLY ? 7 * 86400.0 : kind == KIND_5MIN ? 86400.0 : 7 * 86400.0;
  s->n = rows->len;
  s->times = g_new (gint64, s->n);
  s->values = g_new (double, s->n);
  s->n_incidents = n_inc;
  s->incidents = g_new0 (TestIncident, n_inc);
  for (gsize i = 0; i < s->n; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);

      s->times[i] = row->label;
      s->values[i] = row->value;
      for (guint k = 0; k < n_inc; k++)
        {
          if (row->origin == (gssize) starts0[k])
            s->incidents[k].start = i;
          if (row->origin == (gssize) ends0[k])
            s->incidents[k].end = i;
        }
    }
  for (guint k = 0; k < n_inc; k++)
    {
      s->incidents[k].kind = incidents[k].kind;
      s->incidents[k].size = incidents[k].size;
    }
  finish_labels (s);
  return s;
}

/**
 * test_set_generate:
 *
 * Returns: (transfer full) (element-type TestSeries): 24 labelled files,
 *   8 at each interval, the same on every run.
 */
GPtrArray *
test_set_generate (void)
{
  GPtrArray *set = g_ptr_array_new_with_free_func ((GDestroyNotify) test_series_free);

  for (guint i = 0; i < 8; i++)
    {
      g_ptr_array_add (set, generate_file (KIND_5MIN, i, 7100 + i));
      g_ptr_array_add (set, generate_file (KIND_HOURLY, i, 7200 + i));
      g_ptr_array_add (set, generate_file (KIND_DAILY, i, 7300 + i));
    }
  return set;
}

/**
 * test_series_new_labelled:
 *
 * A labelled file from outside the generator (a public series): incidents
 * given by their first and last rows; their kind is taken as a level
 * shift, the windows and quiet rows computed as for the generated files.
 *
 * Returns: (transfer full): the labelled series.
 */
TestSeries *
test_series_new_labelled (const char   *name,
                          const gint64 *times,
                          const double *values,
                          gsize         n,
                          double        step,
                          const gsize  *starts,
                          const gsize  *ends,
                          guint         n_incidents)
{
  TestSeries *s = g_new0 (TestSeries, 1);

  s->name = g_strdup (name);
  s->step = step;
  s->period = step;
  s->n = n;
  s->times = g_memdup2 (times, n * sizeof (gint64));
  s->values = g_memdup2 (values, n * sizeof (double));
  s->n_incidents = n_incidents;
  s->incidents = g_new0 (TestIncident, MAX (n_incidents, 1));
  for (guint k = 0; k < n_incidents; k++)
    {
      s->incidents[k].kind = TEST_INCIDENT_LEVEL_SHIFT;
      s->incidents[k].start = starts[k];
      s->incidents[k].end = ends[k];
    }
  finish_labels (s);
  return s;
}

/**
 * test_series_to_csv:
 *
 * Returns: (transfer full): the file as an export would write it, a
 *   `timestamp,value` header (`date,value` for daily files).
 */
char *
test_series_to_csv (const TestSeries *s)
{
  GString *out = g_string_new (s->step >= 86400.0 ? "date,value\n" : "timestamp,value\n");

  for (gsize i = 0; i < s->n; i++)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (s->times[i]);
      g_autofree char *label = g_date_time_format (dt, s->step >= 86400.0 ? "%F" : "%F %T");
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (out, "%s,%s\n", label, g_ascii_formatd (buf, sizeof buf, "%.6f", s->values[i]));
    }
  return g_string_free (out, FALSE);
}

/**
 * test_nab_score:
 * @set: (element-type TestSeries): the files
 * @scores: one score array per file
 * @threshold: a row is flagged when its score reaches this
 * @result: (out caller-allocates): the normalised score and the counts
 *
 * Scores flags the way the Numenta Anomaly Benchmark does (standard
 * profile; see the top of this file), and counts the quiet rows that
 * score 0.99 or more.
 */
void
test_nab_score (GPtrArray           *set,
                const double *const *scores,
                double               threshold,
                TestNabResult       *result)
{
  double raw = 0.0, perfect = 0.0, null_score = 0.0;

  memset (result, 0, sizeof *result);
  for (guint f = 0; f < set->len; f++)
    {
      const TestSeries *s = set->pdata[f];
      const double *sc = scores[f];
      guint w = 0;
      gboolean seen_window = FALSE;

      for (guint k = 0; k < s->n_incidents; k++)
        {
          perfect += NAB_TP * nab_sigmoid (-1.0);
          null_score -= NAB_FN;
        }
      for (guint k = 0; k < s->n_incidents; k++)
        {
          const TestIncident *inc = &s->incidents[k];
          double len = (double) (inc->window_end - inc->window_start + 1);
          gboolean hit = FALSE;

          for (gsize i = inc->window_start; i <= inc->window_end; i++)
            if (i >= s->probation && sc[i] >= threshold)
              {
                double y = ((double) i - inc->window_end) / len;

                raw += NAB_TP * nab_sigmoid (y);
                hit = TRUE;
                break;
              }
          if (hit)
            result->detected++;
          else
            raw -= NAB_FN;
          result->windows++;
        }
      for (gsize i = s->probation; i < s->n; i++)
        {
          gboolean in_window = FALSE;

          while (w < s->n_incidents && i > s->incidents[w].window_end)
            {
              w++;
              seen_window = TRUE;
            }
          if (w < s->n_incidents && i >= s->incidents[w].window_start)
            in_window = TRUE;
          if (s->quiet[i])
            {
              result->quiet_rows++;
              result->quiet_high += sc[i] >= 0.99;
            }
          if (in_window || sc[i] < threshold)
            continue;
          result->false_flags++;
          if (!seen_window)
            raw -= NAB_FP;
          else
            {
              const TestIncident *prev = &s->incidents[w - 1];
              double len = (double) (prev->window_end - prev->window_start + 1);

              raw += NAB_FP * nab_sigmoid (((double) i - prev->window_end) / len);
            }
        }
    }
  result->score = perfect > null_score ? 100.0 * (raw - null_score) / (perfect - null_score) : 0.0;
}

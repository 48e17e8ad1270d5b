/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-money.c — the exact-money parser and formatters
 *
 * The input is the amount text, as a file or an answer gives it. What
 * parses must format to text that reads back as the same amount; no
 * amount, however close to the int64 limits, may overflow a formatter.
 * The first eight bytes also serve as a double for cu_money_from_double()
 * (NaN, infinities, 1e300: Azure's amounts are doubles today). While that
 * path crashes on every other input, CUMULUS_FUZZ_MONEY_TEXT_ONLY=1 leaves
 * it out so that a campaign explores the text parser.
 */
#define G_LOG_DOMAIN "cumulus-fuzz"

#include <string.h>

#include "fuzz-common.h"
#include "util/cu-money.h"

/* "-?[0-9]+(\.[0-9]+)?" */
static gboolean
is_plain_number (const char *s)
{
  const char *p = s;

  if (*p == '-')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  return *p == '\0';
}

static void
check_formats (gint64 micros)
{
  for (guint decimals = 0; decimals <= 6; decimals++)
    {
      g_autofree char *plain = cu_money_format_plain (micros, decimals);
      gint64 back = 0;
      g_autoptr(GError) error = NULL;

      FUZZ_CHECK (plain != NULL && is_plain_number (plain));
      /* six decimals are exact: the text reads back as the amount */
      if (decimals == 6 && cu_money_parse (plain, -1, &back, &error))
        FUZZ_CHECK (back == micros);
    }
  {
    g_autofree char *usd = cu_money_format_display (micros, "USD");
    g_autofree char *chf = cu_money_format_display (micros, "CHF");

    FUZZ_CHECK (usd != NULL && strstr (usd, "--") == NULL && strstr (usd, ".-") == NULL);
    FUZZ_CHECK (chf != NULL && strstr (chf, "--") == NULL && strstr (chf, ".-") == NULL);
  }
  (void) cu_money_round_cents (micros);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  gint64 micros = 0;

  /* with an explicit length (CSV fields are not nul-terminated) … */
  if (cu_money_parse ((const char *) data, (gssize) size, &micros, &error))
    {
      FUZZ_CHECK (error == NULL);
      check_formats (micros);
    }
  else
    FUZZ_CHECK (error != NULL && error->domain == CU_MONEY_ERROR);
  g_clear_error (&error);

  /* … and nul-terminated, which must agree up to the first NUL */
  {
    g_autofree char *text = g_strndup ((const char *) data, size);
    gint64 m2 = 0;

    if (memchr (data, '\0', size) == NULL)
      {
        gboolean ok1 = cu_money_parse ((const char *) data, (gssize) size, &micros, NULL);
        gboolean ok2 = cu_money_parse (text, -1, &m2, NULL);

        FUZZ_CHECK (ok1 == ok2);
        if (ok1)
          FUZZ_CHECK (micros == m2);
      }
  }

  if (size >= sizeof (double) && g_getenv ("CUMULUS_FUZZ_MONEY_TEXT_ONLY") == NULL)
    {
      double v;
      gint64 m;

      memcpy (&v, data, sizeof v);
      m = cu_money_from_double (v);
      check_formats (m);
      {
        g_autofree char *compact = cu_money_format_compact (v, "USD");
        (void) compact;
      }
      (void) cu_money_to_double (m);
    }
  return 0;
}

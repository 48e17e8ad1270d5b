/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-replay.c — runs a fuzz target without libFuzzer
 *
 *   fuzz-NAME-replay [--mutations N] [--seed S] FILE|DIR…
 *   fuzz-NAME-replay --seed S --write-mutation M OUT FILE
 *
 * The second form writes mutation M of FILE to OUT, so that an input the
 * smoke run found ("running FILE mutation M" is the last line of its log)
 * can be kept as a file of its own.
 *
 * For the test suite's smoke run in the default (gcc) build: every corpus
 * file, then N deterministic mutations of it (a fixed xorshift generator
 * seeded from S and the file's name: the same bytes on every run), go
 * through LLVMFuzzerTestOneInput() under AddressSanitizer, UBSan and
 * LeakSanitizer. Each file runs in its own child process, so one crash
 * does not hide the others; the output is TAP, one test per file, and a
 * failing file's log names the input (its mutation number) that failed.
 */
#define G_LOG_DOMAIN "cumulus-fuzz"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz-common.h"

static const char * const tokens[] = {
  "\"", ",", "\n", "\r\n", "\x1f", "\0", "-", ".", "e", "E+308", "9223372036854",
  "9223372036854.7758075", "-9223372036854.775808", "5000000000000", "99999999",
  "0000", "9999-12-31", "T23:59:59+14:00", "-23:59", "{}", "[]", "null", "\"\"", "{}{}",
  "1e400", "NaN", "-0", "<", ">", "</", "&amp;", "]]>", FUZZ_PIECE_SEPARATOR, "HTTP 500\n",
  "2147483647", "-2147483648", "18446744073709551616", "\xef\xbb\xbf", "\xff\xfe", "\xc3\x28",
};

static void
insert_bytes (GByteArray *a, gsize at, const guint8 *bytes, gsize n)
{
  gsize old = a->len;

  g_byte_array_set_size (a, (guint) (old + n));
  memmove (a->data + at + n, a->data + at, old - at);
  memcpy (a->data + at, bytes, n);
}

static guint64
next_random (guint64 *state)
{
  guint64 x = *state;

  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  *state = x;
  return x;
}

/* One to four edits of @in, chosen by @state. */
static GByteArray *
mutate (const guint8 *in, gsize len, guint64 *state)
{
  GByteArray *out = g_byte_array_sized_new (len + 64);
  guint edits = 1 + next_random (state) % 4;

  g_byte_array_append (out, in, len);
  for (guint e = 0; e < edits; e++)
    {
      guint64 r = next_random (state);
      gsize at = out->len ? next_random (state) % (out->len + 1) : 0;

      switch (r % 7)
        {
        case 0: /* flip a bit */
          if (at < out->len)
            out->data[at] ^= (guint8) (1u << (next_random (state) % 8));
          break;
        case 1: /* a byte becomes another */
          if (at < out->len)
            out->data[at] = (guint8) next_random (state);
          break;
        case 2: /* insert a token */
          {
            const char *t = tokens[next_random (state) % G_N_ELEMENTS (tokens)];
            gsize tl = *t ? strlen (t) : 1;

            insert_bytes (out, at, (const guint8 *) t, tl);
          }
          break;
        case 3: /* delete a run */
          if (at < out->len)
            {
              gsize n = 1 + next_random (state) % 16;

              g_byte_array_remove_range (out, (guint) at, (guint) MIN (out->len - at, n));
            }
          break;
        case 4: /* duplicate a run */
          if (at < out->len)
            {
              gsize n = 1 + next_random (state) % 64;
              g_autofree guint8 *copy = NULL;

              n = MIN (out->len - at, n);
              copy = g_memdup2 (out->data + at, n);

              insert_bytes (out, at, copy, n);
            }
          break;
        case 5: /* truncate */
          g_byte_array_set_size (out, (guint) at);
          break;
        default: /* a run of digits: amounts and dates grow */
          {
            guint n = 1 + next_random (state) % 24;

            for (guint i = 0; i < n; i++)
              {
                guint8 c = (guint8) ('0' + next_random (state) % 10);
                insert_bytes (out, at, &c, 1);
              }
          }
          break;
        }
    }
  return out;
}

static guint64
first_state (const char *path, guint64 seed)
{
  g_autofree char *base = g_path_get_basename (path);
  /* the name keeps each file's mutations apart from the others' */
  guint64 state = seed ^ g_str_hash (base) ^ G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);

  return state ? state : 1;
}

static int
write_mutation (const char *path, guint64 seed, guint wanted, const char *out)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  guint64 state = first_state (path, seed);

  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("%s", error->message);
  for (guint m = 1; m <= wanted; m++)
    {
      g_autoptr(GByteArray) input = mutate ((const guint8 *) contents, len, &state);

      if (m == wanted && !g_file_set_contents (out, (const char *) input->data, input->len, &error))
        g_error ("%s", error->message);
    }
  return 0;
}

static int
run_file (const char *path, guint mutations, guint64 seed)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  guint64 state = first_state (path, seed);

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  LLVMFuzzerInitialize (NULL, NULL);
  fprintf (stderr, "running %s\n", path);
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
  for (guint m = 1; m <= mutations; m++)
    {
      g_autoptr(GByteArray) input = mutate ((const guint8 *) contents, len, &state);

      /* printed first: a crash leaves it as the log's last line */
      fprintf (stderr, "running %s mutation %u\n", path, m);
      LLVMFuzzerTestOneInput (input->data, input->len);
    }
  return 0;
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
main (int argc, char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  guint mutations = 0, n_failed = 0;
  guint64 seed = 1;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--mutations") && i + 1 < argc)
        mutations = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--seed") && i + 1 < argc)
        seed = g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--write-mutation") && i + 3 < argc)
        return write_mutation (argv[i + 3], seed, (guint) g_ascii_strtoull (argv[i + 1], NULL, 10), argv[i + 2]);
      else if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
          const char *name;

          while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
            if (name[0] != '.')
              g_ptr_array_add (files, g_build_filename (argv[i], name, NULL));
        }
      else
        g_ptr_array_add (files, g_strdup (argv[i]));
    }
  g_ptr_array_sort (files, compare_paths);

  if (files->len == 0)
    {
      printf ("1..0 # SKIP no corpus files\n");
      return 0;
    }
  printf ("1..%u\n", files->len);
  fflush (stdout);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = files->pdata[i];
      pid_t pid = fork ();
      int status = 0;

      if (pid < 0)
        g_error ("fork: %s", g_strerror (errno));
      if (pid == 0)
        {
          int rc = run_file (path, mutations, seed);

          fflush (stderr);
          exit (rc);   /* exit, not _exit: LeakSanitizer checks here */
        }
      while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
        ;
      if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
        printf ("ok %u - %s\n", i + 1, path);
      else
        {
          n_failed++;
          if (WIFSIGNALED (status))
            printf ("not ok %u - %s (signal %d)\n", i + 1, path, WTERMSIG (status));
          else
            printf ("not ok %u - %s (exit %d)\n", i + 1, path, WEXITSTATUS (status));
        }
      fflush (stdout);
    }
  /* the "not ok" lines carry the verdict; a non-zero exit would make the
   * TAP harness call the whole run an error instead of naming the files */
  if (n_failed > 0)
    fprintf (stderr, "%u of %u corpus files failed\n", n_failed, files->len);
  return 0;
}

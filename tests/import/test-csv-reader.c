/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-csv-reader.c — the streaming CSV reader, byte by byte */
#define G_LOG_DOMAIN "cumulus-import"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "importers/cu-csv-reader.h"

/* Reads @text through a stream that hands out @chunk bytes at a time, so
 * that every record and field boundary also falls on a buffer boundary. */
static guint64 last_error_line;

static GPtrArray *
read_all (const char *text, gsize len, GError **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, len);
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(CuCsvReader) reader = cu_csv_reader_new (in);
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_free);

  while (cu_csv_reader_next (reader, NULL, error))
    {
      GString *s = g_string_new (NULL);

      g_string_append_printf (s, "%" G_GUINT64_FORMAT ":", cu_csv_reader_get_line (reader));
      for (guint i = 0; i < cu_csv_reader_get_n_fields (reader); i++)
        g_string_append_printf (s, "%s[%s]", i ? "," : "", cu_csv_reader_get_field (reader, i, NULL));
      g_ptr_array_add (records, g_string_free (s, FALSE));
    }
  last_error_line = cu_csv_reader_get_error_line (reader, NULL);
  return records;
}

static char *
joined (GPtrArray *records)
{
  g_ptr_array_add (records, NULL);
  return g_strjoinv (" | ", (char **) records->pdata);
}

static void
check (const char *text, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = read_all (text, strlen (text), &error);
  g_autofree char *got = NULL;

  g_assert_no_error (error);
  got = joined (records);
  g_assert_cmpstr (got, ==, expected);
}

static void
test_basic (void)
{
  check ("a,b,c\n1,2,3\n", "1:[a],[b],[c] | 2:[1],[2],[3]");
  check ("a,b\n1,2", "1:[a],[b] | 2:[1],[2]");                 /* no final newline */
  check ("a,,c\n,,\n", "1:[a],[],[c] | 2:[],[],[]");
  check ("a\n\n\nb\n", "1:[a] | 4:[b]");                        /* blank lines skipped */
  check ("", "");
}

static void
test_quotes (void)
{
  check ("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", "1:[a,b],[say \"hi\"],[]");
  check ("\"multi\nline\",x\nnext,y\n", "1:[multi\nline],[x] | 3:[next],[y]");
  check ("\"{\"\"env\"\":\"\"prod\"\"}\"\n", "1:[{\"env\":\"prod\"}]");
  check ("ab\"c,d\n", "1:[ab\"c],[d]");                         /* lenient inside unquoted */
}

static void
test_line_ends (void)
{
  check ("a,b\r\n1,2\r\n", "1:[a],[b] | 2:[1],[2]");
  check ("a,b\r1,2\r", "1:[a],[b] | 2:[1],[2]");
  check ("\"x\"\r\n\"y\"\r\n", "1:[x] | 2:[y]");
  check ("a\r\n\r\nb\r\n", "1:[a] | 3:[b]");
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;

  records = read_all ("a,b\n\"open,x\n", strlen ("a,b\n\"open,x\n"), &error);
  g_assert_error (error, CU_CSV_ERROR, CU_CSV_ERROR_MALFORMED);
  g_assert_cmpuint (last_error_line, ==, 2);
  g_clear_error (&error);
  g_clear_pointer (&records, g_ptr_array_unref);

  records = read_all ("a\n\"x\"y,z\n", strlen ("a\n\"x\"y,z\n"), &error);
  g_assert_error (error, CU_CSV_ERROR, CU_CSV_ERROR_MALFORMED);
  g_assert_cmpuint (last_error_line, ==, 2);
  g_clear_error (&error);
  g_clear_pointer (&records, g_ptr_array_unref);

  /* a quote opened on line 3 and never closed: the next quote, on line 4,
   * closes it and the text after that is the error; line 3 is named */
  {
    const char *text = "h1,h2,h3\n1,2,3\nx,\"Amazon,y\nz,\"Amazon Web Services, Inc.\",w\n";

    records = read_all (text, strlen (text), &error);
    g_assert_error (error, CU_CSV_ERROR, CU_CSV_ERROR_MALFORMED);
    g_assert_cmpuint (last_error_line, ==, 3);
    g_assert_nonnull (strstr (error->message, "line 4"));
  }
}

/* A record bigger than the input chunk, and many records across chunks */
static void
test_big (void)
{
  g_autoptr(GString) text = g_string_new ("h1,h2\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *field = g_strnfill (700 * 1024, 'x');

  g_string_append_printf (text, "\"%s\",%s\n", field, field);
  for (int i = 0; i < 100000; i++)
    g_string_append_printf (text, "%d,\"v\"\"%d\"\r\n", i, i);
  records = read_all (text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 100002);
  g_assert_cmpstr (g_ptr_array_index (records, 100001), ==, "100002:[99999],[v\"99999]");
  g_assert_cmpuint (strlen (g_ptr_array_index (records, 1)), ==, 2 + 2 * 700 * 1024 + 5);
}

static void
test_gzip (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GString) text = g_string_new ("a,b\n");
  g_autofree guchar *packed = NULL;
  gsize in_read, out_written;
  GConverterResult r;
  gsize cap;
  int fd;

  for (int i = 0; i < 20000; i++)
    g_string_append_printf (text, "%d,\"%d\"\n", i, i * 7);
  cap = text->len + 1024;
  packed = g_malloc (cap);
  r = g_converter_convert (G_CONVERTER (z), text->str, text->len, packed, cap,
                           G_CONVERTER_INPUT_AT_END, &in_read, &out_written, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r, ==, G_CONVERTER_FINISHED);

  fd = g_file_open_tmp ("cu-csv-XXXXXX.csv.gz", &path, &error);
  g_assert_no_error (error);
  close (fd);
  file = g_file_new_for_path (path);

  /* whole: decompressed transparently */
  g_assert_true (g_file_set_contents (path, (char *) packed, out_written, NULL));
  {
    g_autoptr(CuCsvReader) reader = cu_csv_reader_new_for_file (file, NULL, &error);
    guint n = 0;

    g_assert_no_error (error);
    g_assert_true (cu_csv_reader_is_compressed (reader));
    while (cu_csv_reader_next (reader, NULL, &error))
      n++;
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 20001);
    g_assert_cmpuint (cu_csv_reader_get_input_offset (reader), ==, out_written);
  }

  /* truncated: an error, not a short read */
  g_assert_true (g_file_set_contents (path, (char *) packed, out_written / 2, NULL));
  {
    g_autoptr(CuCsvReader) reader = cu_csv_reader_new_for_file (file, NULL, &error);

    g_assert_no_error (error);
    while (cu_csv_reader_next (reader, NULL, &error))
      ;
    g_assert_error (error, CU_CSV_ERROR, CU_CSV_ERROR_TRUNCATED);
  }
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/csv-reader/basic", test_basic);
  g_test_add_func ("/csv-reader/quotes", test_quotes);
  g_test_add_func ("/csv-reader/line-ends", test_line_ends);
  g_test_add_func ("/csv-reader/errors", test_errors);
  g_test_add_func ("/csv-reader/big", test_big);
  g_test_add_func ("/csv-reader/gzip", test_gzip);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-csv-reader.c — streaming RFC 4180 CSV reader
 *
 * One input buffer of fixed size and one record buffer that holds the
 * current record's fields, NUL-terminated, back to back. The record buffer
 * is capped so that a stray quote in a 400 MB file fails fast instead of
 * swallowing the rest of the file into memory.
 */
#define G_LOG_DOMAIN "cumulus-import"

#include "importers/cu-csv-reader.h"

#include <string.h>

#define INPUT_CHUNK      (256 * 1024)
#define MAX_RECORD_BYTES (16 * 1024 * 1024)

G_DEFINE_QUARK (cu-csv-error-quark, cu_csv_error)

typedef enum {
  STATE_FIELD_START,
  STATE_UNQUOTED,
  STATE_QUOTED,
  STATE_QUOTE_IN_QUOTED,
} State;

struct _CuCsvReader
{
  GObject       parent_instance;

  /* owned state */
  GInputStream *stream;        /* what records are read from (maybe a decompressor) */
  GInputStream *raw;           /* the file itself, for progress */
  guint64       raw_size;
  gboolean      compressed;

  char         *buf;
  gsize         buf_len;
  gsize         buf_pos;
  gboolean      eof;
  gboolean      skip_lf;       /* a record ended on CR; swallow the LF after it */

  char         *rec;           /* fields of the current record, NUL-terminated */
  gsize         rec_len;
  gsize         rec_alloc;
  gsize        *starts;        /* n_fields + 1 offsets into rec */
  guint         n_fields;
  guint         starts_alloc;

  guint64       line;          /* physical line the parser is on, 1-based */
  guint64       record_line;   /* line the current record starts on */
  guint64       n_records;
  guint64       error_line;    /* where the last error was found */
  int           error_field;   /* 0-based field of the last error, or -1 */
};

G_DEFINE_FINAL_TYPE (CuCsvReader, cu_csv_reader, G_TYPE_OBJECT)

static void
ensure_rec (CuCsvReader *self, gsize extra)
{
  if (self->rec_len + extra <= self->rec_alloc)
    return;
  while (self->rec_len + extra > self->rec_alloc)
    self->rec_alloc *= 2;
  self->rec = g_realloc (self->rec, self->rec_alloc);
}

static void
end_field (CuCsvReader *self)
{
  self->rec[self->rec_len++] = '\0';
  if (self->n_fields + 2 > self->starts_alloc)
    {
      self->starts_alloc *= 2;
      self->starts = g_renew (gsize, self->starts, self->starts_alloc);
    }
  self->n_fields++;
  self->starts[self->n_fields] = self->rec_len;
}

static gboolean
fill (CuCsvReader *self, GCancellable *cancellable, GError **error)
{
  gssize n;

  n = g_input_stream_read (self->stream, self->buf, INPUT_CHUNK, cancellable, error);
  if (n < 0)
    {
      self->error_line = self->line;
      self->error_field = -1;
      if (self->compressed && error != NULL && *error != NULL &&
          g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
        {
          g_clear_error (error);
          g_set_error (error, CU_CSV_ERROR, CU_CSV_ERROR_TRUNCATED,
                       "the gzip data ends early (the file is truncated)");
        }
      else if (self->compressed && error != NULL && *error != NULL &&
               g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
        {
          g_autofree char *msg = g_strdup ((*error)->message);
          g_clear_error (error);
          g_set_error (error, CU_CSV_ERROR, CU_CSV_ERROR_TRUNCATED,
                       "the gzip data is corrupt (%s)", msg);
        }
      return FALSE;
    }
  self->buf_len = (gsize) n;
  self->buf_pos = 0;
  if (n == 0)
    self->eof = TRUE;
  return TRUE;
}

static void
cu_csv_reader_finalize (GObject *object)
{
  CuCsvReader *self = CU_CSV_READER (object);

  g_clear_object (&self->stream);
  g_clear_object (&self->raw);
  g_free (self->buf);
  g_free (self->rec);
  g_free (self->starts);

  G_OBJECT_CLASS (cu_csv_reader_parent_class)->finalize (object);
}

static void
cu_csv_reader_class_init (CuCsvReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cu_csv_reader_finalize;
}

static void
cu_csv_reader_init (CuCsvReader *self)
{
  self->buf = g_malloc (INPUT_CHUNK);
  self->rec_alloc = 64 * 1024;
  self->rec = g_malloc (self->rec_alloc);
  self->starts_alloc = 64;
  self->starts = g_new (gsize, self->starts_alloc);
  self->line = 1;
}

/**
 * cu_csv_reader_new:
 * @stream: plain (already decompressed) CSV bytes
 *
 * Returns: (transfer full): a reader of @stream
 */
CuCsvReader *
cu_csv_reader_new (GInputStream *stream)
{
  CuCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_object_new (CU_TYPE_CSV_READER, NULL);
  self->stream = g_object_ref (stream);
  return self;
}

/**
 * cu_csv_reader_new_for_file:
 * @file: a CSV file, plain or gzip-compressed (detected by its first bytes,
 *   not its name)
 *
 * Returns: (transfer full): a reader, or %NULL with @error set when the file
 *   cannot be opened
 */
CuCsvReader *
cu_csv_reader_new_for_file (GFile         *file,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileInfo) info = NULL;
  CuCsvReader *self;
  guchar magic[2] = { 0, 0 };
  gsize n = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return NULL;
  if (!g_input_stream_read_all (G_INPUT_STREAM (in), magic, 2, &n, cancellable, error))
    return NULL;
  if (!g_seekable_seek (G_SEEKABLE (in), 0, G_SEEK_SET, cancellable, error))
    return NULL;

  self = g_object_new (CU_TYPE_CSV_READER, NULL);
  self->raw = G_INPUT_STREAM (g_object_ref (in));
  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  if (info != NULL)
    self->raw_size = (guint64) g_file_info_get_size (info);

  if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
    {
      g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);

      self->stream = g_converter_input_stream_new (self->raw, G_CONVERTER (z));
      self->compressed = TRUE;
    }
  else
    self->stream = g_object_ref (self->raw);

  return self;
}

/**
 * cu_csv_reader_next:
 *
 * Reads the next record. Blank lines are skipped.
 *
 * Returns: %TRUE when a record was read; %FALSE at the end of the input
 *   (with @error unset) or on an error
 */
gboolean
cu_csv_reader_next (CuCsvReader   *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  State state = STATE_FIELD_START;
  gboolean content = FALSE;
  guint64 quote_line = 0;

  g_return_val_if_fail (CU_IS_CSV_READER (self), FALSE);

  self->rec_len = 0;
  self->n_fields = 0;
  self->starts[0] = 0;
  self->record_line = self->line;

  for (;;)
    {
      const char *p, *end;

      if (self->buf_pos >= self->buf_len)
        {
          if (self->eof)
            break;
          if (!fill (self, cancellable, error))
            return FALSE;
          if (self->eof)
            break;
        }

      if (self->skip_lf)
        {
          self->skip_lf = FALSE;
          if (self->buf[self->buf_pos] == '\n')
            {
              self->buf_pos++;
              continue;
            }
        }

      if (self->rec_len + (self->buf_len - self->buf_pos) + 1 > MAX_RECORD_BYTES)
        {
          self->error_line = self->record_line;
          self->error_field = -1;
          g_set_error (error, CU_CSV_ERROR, CU_CSV_ERROR_TOO_LONG,
                       "a record longer than %d MiB (an unbalanced quote?)",
                       MAX_RECORD_BYTES / (1024 * 1024));
          return FALSE;
        }
      /* Every input byte yields at most one output byte (a separator
       * becomes the NUL that ends its field), so one check per chunk
       * lets the loop below append without bounds checks. */
      ensure_rec (self, (self->buf_len - self->buf_pos) + 1);

      p = self->buf + self->buf_pos;
      end = self->buf + self->buf_len;

      while (p < end)
        {
          char c = *p++;

          switch (state)
            {
            case STATE_UNQUOTED:
              /* the common case: run to the next separator */
              while (c != ',' && c != '\n' && c != '\r')
                {
                  self->rec[self->rec_len++] = c;
                  if (p == end)
                    goto next_chunk;
                  c = *p++;
                }
              G_GNUC_FALLTHROUGH;
            case STATE_FIELD_START:
              if (c == ',')
                {
                  content = TRUE;
                  end_field (self);
                  state = STATE_FIELD_START;
                }
              else if (c == '\n' || c == '\r')
                {
                  self->line++;
                  if (c == '\r')
                    {
                      if (p < end)
                        {
                          if (*p == '\n')
                            p++;
                        }
                      else
                        self->skip_lf = TRUE;
                    }
                  if (!content && state == STATE_FIELD_START)
                    {
                      /* blank line */
                      self->record_line = self->line;
                      continue;
                    }
                  end_field (self);
                  self->buf_pos = p - self->buf;
                  goto done;
                }
              else if (c == '"' && state == STATE_FIELD_START)
                {
                  content = TRUE;
                  quote_line = self->line;
                  state = STATE_QUOTED;
                }
              else
                {
                  content = TRUE;
                  self->rec[self->rec_len++] = c;
                  state = STATE_UNQUOTED;
                }
              break;

            case STATE_QUOTED:
              while (c != '"')
                {
                  if (c == '\n')
                    self->line++;
                  self->rec[self->rec_len++] = c;
                  if (p == end)
                    goto next_chunk;
                  c = *p++;
                }
              state = STATE_QUOTE_IN_QUOTED;
              break;

            case STATE_QUOTE_IN_QUOTED:
              if (c == '"')
                {
                  self->rec[self->rec_len++] = '"';
                  state = STATE_QUOTED;
                }
              else if (c == ',' || c == '\n' || c == '\r')
                {
                  /* handled exactly like the end of an unquoted field */
                  state = STATE_UNQUOTED;
                  p--;
                }
              else
                {
                  /* Name the line where the quoted field starts: when the
                   * quote closes on a later line, the likely mistake is a
                   * quote opened there and never closed. */
                  self->error_line = quote_line;
                  self->error_field = (int) self->n_fields;
                  if (quote_line != self->line)
                    g_set_error (error, CU_CSV_ERROR, CU_CSV_ERROR_MALFORMED,
                                 "the quoted field that starts here ends on line %" G_GUINT64_FORMAT
                                 " with an unexpected “%c” after its closing quote (is a quote here never closed?)",
                                 self->line, g_ascii_isprint (c) ? c : '?');
                  else
                    g_set_error (error, CU_CSV_ERROR, CU_CSV_ERROR_MALFORMED,
                                 "unexpected “%c” after a closing quote",
                                 g_ascii_isprint (c) ? c : '?');
                  return FALSE;
                }
              break;

            default:
              g_assert_not_reached ();
            }
        }
    next_chunk:
      self->buf_pos = self->buf_len;
    }

  /* end of input */
  if (state == STATE_QUOTED)
    {
      self->error_line = quote_line;
      self->error_field = (int) self->n_fields;
      g_set_error (error, CU_CSV_ERROR, CU_CSV_ERROR_MALFORMED,
                   "a quoted field never ends");
      return FALSE;
    }
  if (!content)
    return FALSE;
  ensure_rec (self, 1);
  end_field (self);

done:
  self->n_records++;
  return TRUE;
}

guint
cu_csv_reader_get_n_fields (CuCsvReader *self)
{
  return self->n_fields;
}

/**
 * cu_csv_reader_get_field:
 * @length: (out) (optional): the field's length in bytes
 *
 * Returns: (transfer none): the field, NUL-terminated, valid until the next
 *   call to cu_csv_reader_next(); "" for an index past the end
 */
const char *
cu_csv_reader_get_field (CuCsvReader *self,
                         guint        index,
                         gsize       *length)
{
  if (index >= self->n_fields)
    {
      if (length)
        *length = 0;
      return "";
    }
  if (length)
    *length = self->starts[index + 1] - self->starts[index] - 1;
  return self->rec + self->starts[index];
}

/**
 * cu_csv_reader_get_line:
 *
 * Returns: the 1-based line on which the current record starts
 */
guint64
cu_csv_reader_get_line (CuCsvReader *self)
{
  return self->record_line;
}

/**
 * cu_csv_reader_get_error_line:
 * @field: (out) (optional): the 0-based field the error is in, or -1
 *
 * Returns: the line on which the last error of cu_csv_reader_next() was found
 */
guint64
cu_csv_reader_get_error_line (CuCsvReader *self,
                              int         *field)
{
  if (field)
    *field = self->error_field;
  return self->error_line;
}

guint64
cu_csv_reader_get_n_records (CuCsvReader *self)
{
  return self->n_records;
}

gboolean
cu_csv_reader_is_compressed (CuCsvReader *self)
{
  return self->compressed;
}

/**
 * cu_csv_reader_get_input_offset:
 *
 * Returns: how many bytes of the file (compressed bytes for gzip) have been
 *   read, for progress; 0 when reading a plain stream
 */
guint64
cu_csv_reader_get_input_offset (CuCsvReader *self)
{
  if (self->raw != NULL && G_IS_SEEKABLE (self->raw))
    return (guint64) g_seekable_tell (G_SEEKABLE (self->raw));
  return 0;
}

guint64
cu_csv_reader_get_input_size (CuCsvReader *self)
{
  return self->raw_size;
}

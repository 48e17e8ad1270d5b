/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-csv.c — the streaming CSV reader (plain and gzip)
 *
 * The first input byte chooses how the stream hands out its bytes (all at
 * once, or in reads of 1–16 bytes), so records that straddle the reader's
 * refills are exercised as much as whole ones; the rest is the file. A
 * file that starts with the gzip magic goes through a temporary file and
 * cu_csv_reader_new_for_file(), as an import does.
 */
#define G_LOG_DOMAIN "cumulus-fuzz"

#include <gio/gio.h>
#include <string.h>

#include "fuzz-common.h"
#include "importers/cu-csv-reader.h"

/* A stream whose reads return at most @chunk bytes. */
#define FUZZ_TYPE_CHUNK_STREAM (fuzz_chunk_stream_get_type ())
G_DECLARE_FINAL_TYPE (FuzzChunkStream, fuzz_chunk_stream, FUZZ, CHUNK_STREAM, GInputStream)

struct _FuzzChunkStream
{
  GInputStream parent_instance;
  const guint8 *data;   /* borrowed */
  gsize         size;
  gsize         pos;
  gsize         chunk;
};

G_DEFINE_FINAL_TYPE (FuzzChunkStream, fuzz_chunk_stream, G_TYPE_INPUT_STREAM)

static gssize
fuzz_chunk_stream_read (GInputStream *stream, void *buffer, gsize count,
                        GCancellable *cancellable, GError **error)
{
  FuzzChunkStream *self = FUZZ_CHUNK_STREAM (stream);
  gsize n = MIN (MIN (count, self->chunk), self->size - self->pos);

  memcpy (buffer, self->data + self->pos, n);
  self->pos += n;
  return (gssize) n;
}

static void
fuzz_chunk_stream_class_init (FuzzChunkStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = fuzz_chunk_stream_read;
}

static void
fuzz_chunk_stream_init (FuzzChunkStream *self)
{
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
  g_autoptr(FuzzChunkStream) stream = NULL;
  g_autoptr(CuCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  guint64 records = 0;

  if (size < 1)
    return 0;
  stream = g_object_new (FUZZ_TYPE_CHUNK_STREAM, NULL);
  stream->data = data + 1;
  stream->size = size - 1;
  stream->chunk = data[0] < 128 ? G_MAXSIZE : (gsize) (1 + data[0] % 16);

  if (size >= 3 && data[1] == 0x1f && data[2] == 0x8b)
    {
      g_autofree char *path = g_build_filename (fuzz_tmpdir (), "fuzz.csv.gz", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      if (!g_file_set_contents (path, (const char *) data + 1, (gssize) size - 1, &error))
        g_error ("%s", error->message);
      reader = cu_csv_reader_new_for_file (file, NULL, &error);
      FUZZ_CHECK (reader != NULL);
    }
  else
    reader = cu_csv_reader_new (G_INPUT_STREAM (stream));
  while (cu_csv_reader_next (reader, NULL, &error))
    {
      guint n = cu_csv_reader_get_n_fields (reader);
      volatile guint8 sink = 0;

      records++;
      FUZZ_CHECK (cu_csv_reader_get_n_records (reader) == records);
      FUZZ_CHECK (cu_csv_reader_get_line (reader) >= 1);
      for (guint i = 0; i < n; i++)
        {
          gsize len = 0;
          const char *field = cu_csv_reader_get_field (reader, i, &len);

          FUZZ_CHECK (field != NULL);
          /* every byte the reader hands out must be readable, and the
           * field nul-terminated at its length */
          for (gsize j = 0; j < len; j++)
            sink ^= (guint8) field[j];
          FUZZ_CHECK (field[len] == '\0');
        }
      (void) sink;
      /* an index past the end reads as "", never out of bounds */
      {
        gsize len = 1;

        FUZZ_CHECK (*cu_csv_reader_get_field (reader, n + 7, &len) == '\0' && len == 0);
      }
    }
  if (error != NULL)
    {
      int field = -1;

      FUZZ_CHECK (error->message != NULL && *error->message != '\0');
      (void) cu_csv_reader_get_error_line (reader, &field);
    }
  (void) cu_csv_reader_is_compressed (reader);
  FUZZ_CHECK (cu_csv_reader_get_input_offset (reader) <= size);
  g_clear_object (&reader);
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-common.h — shared plumbing of the fuzz targets
 *
 * Every target is one LLVMFuzzerTestOneInput(). Built with
 * -Dfuzzing=true (clang) it links libFuzzer; in the default build it links
 * fuzz-replay.c, which replays a corpus and deterministic mutations of it
 * under AddressSanitizer and UBSan (see tests/fuzz/meson.build).
 *
 * Targets that talk HTTP get a loopback server (a SoupServer in its own
 * thread) that answers each request with the next "piece" of the input:
 * pieces are separated by a line holding FUZZ_PIECE_SEPARATOR, a piece may
 * start with "HTTP NNN\n" to choose its status (200 otherwise), and once
 * the pieces run out every request gets the target's default answer.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>

G_BEGIN_DECLS

#define FUZZ_PIECE_SEPARATOR "--8<--"

int  LLVMFuzzerInitialize   (int *argc, char ***argv);
int  LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A property a target checks on what it parsed: a failure is a finding. */
#define FUZZ_CHECK(cond) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      fuzz_check_failed (__FILE__, __LINE__, #cond); \
  } G_STMT_END

G_NORETURN void fuzz_check_failed (const char *file, int line, const char *cond);

/* CRITICALs and warnings abort (as G_DEBUG=fatal-warnings does in the
 * test suite), debug output is silenced, CUMULUS_TODAY is pinned. */
void        fuzz_init_glib       (void);

/* A fresh private directory for the whole process (removed at exit). */
const char *fuzz_tmpdir          (void);
/* Removes a workspace's ledger files so the next open starts empty. */
void        fuzz_reset_workspace (const char *dir);
/* Makes @to hold copies of the files of @from (and nothing else), to put a
 * workspace back to a saved state faster than SQLite creates one. */
void        fuzz_copy_files      (const char *from, const char *to);

/* The loopback server: started once; returns its base URL
 * "http://127.0.0.1:PORT". */
const char *fuzz_server_start    (const char *default_body);
/* Splits @data into the answers of the next requests. */
void        fuzz_server_set_input (const uint8_t *data, size_t size);
guint       fuzz_server_get_n_requests (void);

G_END_DECLS

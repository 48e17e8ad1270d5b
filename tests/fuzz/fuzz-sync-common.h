/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-sync-common.h — one cloud account synced against the fuzz server
 *
 * The Cost Explorer and Azure targets run the real sync job
 * (cu_sync_account()) on a workspace holding one account whose secret is
 * in the keyring (run them inside keyring-run.sh or any session with a
 * Secret Service); every HTTP answer comes from the input. The workspace
 * is put back to its first state before each input, so that no input
 * depends on the ones before it.
 */
#pragma once

#include "providers/cu-accounts.h"

/* @default_answer: the body of every request after the input's pieces */
void fuzz_sync_setup (const CuAccountSpec *spec, const char *default_answer);
void fuzz_sync_run   (const char *account, const uint8_t *data, size_t size);

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-tags.h — the tag keys the ledger's costs carry */
#pragma once

#include "store/cu-ledger.h"

G_BEGIN_DECLS

GStrv       cu_ledger_list_tag_keys   (CuLedger    *ledger,
                                       GError     **error);

G_END_DECLS

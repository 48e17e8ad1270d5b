/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-aws-provider.h — AWS behind the provider interface
 *
 * Sign-in: aws-keys accounts sign with their own access key; aws-role
 * accounts assume their role (with its external id) from the keys of their
 * source aws-keys account. Costs: Cost Explorer (cu-cost-explorer.h), one
 * range per sync; each request is billed USD 0.01. Test: STS
 * GetCallerIdentity, which costs nothing.
 */
#pragma once

#include "providers/cu-provider.h"

G_BEGIN_DECLS

extern const CuProvider cu_aws_provider;

G_END_DECLS

/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include "mime/limits.h"

void
bounce_limits_default(struct bounce_limits *lim)
{
	lim->max_bytes = 4u * 1024 * 1024;
	lim->max_depth = 16;
	lim->max_parts = 256;
	lim->max_header_bytes = 16u * 1024;
	lim->max_headers = 512;
	lim->max_rcpt = 1000;
}

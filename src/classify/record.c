/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "classify/record.h"

static const char *const kind_names[] = {
	[BOUNCE_KIND_NOT_BOUNCE] = "not-bounce",
	[BOUNCE_KIND_DSN] = "dsn",
	[BOUNCE_KIND_NONSTANDARD] = "nonstandard",
	[BOUNCE_KIND_AUTO_REPLY] = "auto-reply",
	[BOUNCE_KIND_FEEDBACK] = "feedback",
};

const char *
bounce_kind_name(enum bounce_kind kind)
{
	if ((unsigned)kind < sizeof(kind_names) / sizeof(kind_names[0]) &&
	    kind_names[kind] != NULL)
		return kind_names[kind];
	return "not-bounce";
}

void
bounce_result_free(struct bounce_result *res)
{
	if (res == NULL)
		return;
	free(res->rcpt);
	memset(res, 0, sizeof(*res));
}

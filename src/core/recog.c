/*
 * recog.c - run the recogniser registry (recog/registry.c).
 *
 * recog_run() tries each recogniser in order; records a recogniser added
 * before it declined are discarded, so a half-matched attempt never leaks
 * into the result of the next one.
 */
#include "config.h"

#include <stdio.h>

#include "bounce.h"
#include "recog.h"

int
recog_run(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t i, keep = res->nrcpt;

	for (i = 0; recog_registry[i] != NULL; i++) {
		const struct recog *r = recog_registry[i];

		if (r->match == NULL)
			continue;
		if (r->match(ctx, res) == 1 && res->nrcpt > keep) {
			snprintf(res->recogniser, sizeof(res->recogniser), "%s", r->name);
			return 1;
		}
		res->nrcpt = keep;
	}
	return 0;
}

void
recog_enrich(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t i;

	for (i = 0; recog_registry[i] != NULL; i++)
		if (recog_registry[i]->enrich != NULL)
			recog_registry[i]->enrich(ctx, res);
}

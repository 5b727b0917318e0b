/*
 * recog.c - run the recogniser registry (recognisers/registry.c).
 *
 * recog_run() tries each recogniser in order; records a recogniser added
 * before it declined are discarded, so a half-matched attempt never leaks
 * into the result of the next one.
 */
#include "config.h"

#include <string.h>

#include "classify/record.h"
#include "classify/recog.h"
#include "classify/recognisers/notice.h"

int
recog_run(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t i, keep = res->nrcpt;

	for (i = 0; recog_registry[i] != NULL; i++) {
		const struct recog *r = recog_registry[i];
		int found;

		if (r->match != NULL)
			found = r->match(ctx, res);
		else if (r->notice != NULL)
			found = notice_match(ctx, res, r->notice);
		else
			continue;
		if (found == 1 && res->nrcpt > keep) {
			size_t n = strlen(r->name);

			/* snprintf("%s") without the formatting machinery */
			if (n >= sizeof(res->recogniser))
				n = sizeof(res->recogniser) - 1;
			memcpy(res->recogniser, r->name, n);
			res->recogniser[n] = '\0';
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

	for (i = 0; recog_registry[i] != NULL; i++) {
		const struct recog *r = recog_registry[i];

		if (r->enrich != NULL)
			r->enrich(ctx, res);
		else if (r->notice != NULL && (r->notice->flags & NOTICE_ENRICH))
			notice_enrich(ctx, res, r->notice);
	}
}

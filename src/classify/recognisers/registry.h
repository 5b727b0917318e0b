/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * registry.h - the recognisers in the order they are tried, and trying
 * them.
 *
 * registry_run() tries each recogniser of registry_list (registry.c) on a
 * message that has no usable delivery-status part: the first that adds a
 * record wins, and its name becomes res->recogniser.  Records a recogniser
 * added before it declined are discarded, so a half-matched attempt never
 * leaks into the result of the next one.  registry_enrich() runs every
 * enrich hook, in the same order, on the records of a DSN.  A recogniser
 * is a file of code or a row of notice_table.c (struct recog, recog.h);
 * both are run here.  The list is constant and recognisers keep no state:
 * thread-safe.
 */
#ifndef BM_RECOG_REGISTRY_H
#define BM_RECOG_REGISTRY_H

struct bounce_result;
struct recog;
struct recog_ctx;

/* NULL-terminated, in the order tried. */
extern const struct recog *const registry_list[];

/* Try the recognisers; 1 when one matched (res->recogniser set), else 0
 * with res->nrcpt as it was. */
int registry_run(const struct recog_ctx *ctx, struct bounce_result *res);
/* Run every enrich hook on a DSN result. */
void registry_enrich(const struct recog_ctx *ctx, struct bounce_result *res);

#endif

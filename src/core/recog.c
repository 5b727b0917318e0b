/*
 * recog.c - run the recogniser registry (recog/registry.c).
 *
 * recog_run() tries each recogniser in order; records a recogniser added
 * before it declined are discarded, so a half-matched attempt never leaks
 * into the result of the next one.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bounce.h"
#include "recog.h"
#include "text.h"
#include "recog/common.h"

/* From: substrings (case-insensitive) that mark an automatic bounce. */
static const char *const recog_from_signals[] = {
	"mailer-daemon", "mailer_daemon", "mailerdaemon", "maildaemon",
	"postmaster", "mail delivery system", "mail delivery subsystem",
	"mail delivery service", "mail administrator", "mail system",
	"delivery subsystem", "mail transport system", "mail router",
	"post_master", "ndr administrator",
	"nicht zustellbar", NULL,
};

/* Subject: substrings (case-insensitive) of bounce notices, several
 * languages. */
static const char *const recog_subject_signals[] = {
	"undelivered mail", "undeliverable", "undelivered message",
	"delivery status notification", "delivery failure", "delivery failed",
	"delivery has failed", "mail delivery failed", "returned mail",
	"failure notice", "non-delivery", "nondelivery", "non delivery",
	"could not be delivered", "not delivered", "delivery problem",
	"delivery notification", "warning: could not send", "mail system error",
	"delayed mail", "delivery delayed", "message delayed",
	"unable to deliver", "delivery error", "returned to sender",
	"returning to sender", "mail failed", "delivery failure",
	"mail could not be delivered", "message not delivered",
	"unzustellbar", "nicht zustellbar", "non remis", "non distribu",
	"impossible de remettre", "onbestelbaar", "non recapitabile",
	"mancato recapito", "no se puede entregar", "no entregado",
	"n\xc3\xa3o entregue", "nedoru\xc4\x8diteln", NULL,
};

static int
recog_any(const char *s, const char *const *tab)
{
	size_t i, len = strlen(s);

	for (i = 0; tab[i] != NULL; i++)
		if (text_find(s, len, tab[i]) != NULL)
			return 1;
	return 0;
}

/* Both lists in one per-thread index (recog/common.h), so that From and
 * Subject are each read once rather than once per phrase.  A list the
 * index could not hold whole (`ok` false) is searched by recog_any(). */
struct recog_signal_list {
	const char *const *tab;
	size_t first, n;
	bool ok;
};

struct recog_signals {
	bool ready;
	struct common_scan scan;
	struct recog_signal_list from, subject;
};

static size_t
recog_shortest(const char *const *tab, size_t shortest)
{
	size_t i;

	for (i = 0; tab[i] != NULL; i++)
		if (strlen(tab[i]) < shortest)
			shortest = strlen(tab[i]);
	return shortest;
}

static void
recog_signal_index(struct common_scan *ix, struct recog_signal_list *l,
                   const char *const *tab)
{
	size_t i;

	l->tab = tab;
	l->first = ix->n;
	l->ok = true;
	for (i = 0; tab[i] != NULL; i++)
		if (common_scan_add(ix, tab[i]) < 0)
			l->ok = false;
	l->n = i;
}

static const struct recog_signals *
recog_signals_get(void)
{
	static _Thread_local struct recog_signals x;

	if (!x.ready) {
		/* every phrase is indexed: the window is the shortest one */
		common_scan_init(&x.scan,
		                 recog_shortest(recog_subject_signals,
		                                recog_shortest(recog_from_signals,
		                                               SIZE_MAX)));
		recog_signal_index(&x.scan, &x.from, recog_from_signals);
		recog_signal_index(&x.scan, &x.subject, recog_subject_signals);
		x.ready = true;
	}
	return &x;
}

/* recog_any(s, l->tab) */
static int
recog_signal_in(const struct recog_signals *x,
                const struct recog_signal_list *l, const char *s)
{
	uint64_t hits[COMMON_SCAN_WORDS];

	if (!l->ok)
		return recog_any(s, l->tab);
	common_scan_run(&x->scan, s, strlen(s), hits);
	return common_scan_any(hits, l->first, l->n);
}

int
recog_bounce_signal(const struct recog_ctx *ctx)
{
	const struct recog_signals *x;
	int sig = 0;

	if (ctx->signal_cache > 0)
		return ctx->signal_cache - 1;
	x = recog_signals_get();
	if (ctx->from != NULL && (recog_signal_in(x, &x->from, ctx->from) ||
	                          strcmp(ctx->from, "<>") == 0))
		sig |= RECOG_SIGNAL_FROM;     /* "From: <>": the null sender */
	if (ctx->subject != NULL && recog_signal_in(x, &x->subject, ctx->subject))
		sig |= RECOG_SIGNAL_SUBJECT;
	return sig;
}

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

/*
 * result.c - building a bounce_result: bounded recipient array, bounded
 * string copies, lookup by recipient.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "result.h"
#include "text.h"

#define RESULT_FIRST_CAP 4

struct bounce_rcpt *
result_add_rcpt(struct bounce_result *res, const struct bounce_limits *lim)
{
	struct bounce_limits def;
	struct bounce_rcpt *r;

	if (lim == NULL) {
		bounce_limits_default(&def);
		lim = &def;
	}
	if (res->nrcpt >= lim->max_rcpt) {
		res->rcpt_capped = true;
		res->truncated = true;
		return NULL;
	}
	if (res->nrcpt == res->rcpt_cap) {
		size_t ncap = res->rcpt_cap ? res->rcpt_cap * 2 : RESULT_FIRST_CAP;
		struct bounce_rcpt *n;

		if (ncap > lim->max_rcpt)
			ncap = lim->max_rcpt;
		if (ncap <= res->nrcpt)
			return NULL;
		n = realloc(res->rcpt, ncap * sizeof(*n));
		if (n == NULL)
			return NULL;
		res->rcpt = n;
		res->rcpt_cap = ncap;
	}
	r = &res->rcpt[res->nrcpt++];
	memset(r, 0, sizeof(*r));
	r->reason_hint = BM_REASON_UNDEFINED;
	r->reason = BM_REASON_UNDEFINED;
	r->cls = BM_CLASS_NONE;
	return r;
}

void
result_set_str(char *dst, size_t dstsz, const char *src, size_t len)
{
	if (dstsz == 0)
		return;
	if (src == NULL) {
		dst[0] = '\0';
		return;
	}
	text_collapse(src, len, dst, dstsz);
}

struct bounce_rcpt *
result_find_rcpt(struct bounce_result *res, const char *addr)
{
	size_t i;

	if (addr == NULL || addr[0] == '\0')
		return NULL;
	for (i = 0; i < res->nrcpt; i++)
		if (strcasecmp(res->rcpt[i].recipient, addr) == 0)
			return &res->rcpt[i];
	return NULL;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rules.c - the class decision table.  First row that holds wins; the
 * rows go from the most certain evidence to none.  A live address called
 * hard is the worst mistake (DESIGN 3), so "hard" needs positive
 * address-dead evidence and no specific evidence of another cause.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>

#include "classify/rules.h"

#define Y RULES_YES
#define N RULES_NO
#define A RULES_ANY

static const struct rules_row rules_table[] = {
	{ "not-a-failure", RULES_NONFAILURE, A, A, A, A, A, A,
	  RULES_REASON, BM_CLASS_NONE,
	  "delivered, auto-reply or feedback: the reason's own class" },
	{ "delay-is-soft", RULES_DELAYED, A, A, A, A, A, A,
	  RULES_FIXED, BM_CLASS_SOFT,
	  "a delay notice: the message has not failed yet" },
	{ "other-cause-wins", RULES_ANY_KIND, Y, A, Y, A, A, A,
	  RULES_OTHER, BM_CLASS_NONE,
	  "address-dead evidence contradicted by specific evidence of another cause: that cause decides" },
	{ "transient-unknown-user", RULES_TRANSIENT, Y, A, N, Y, A, A,
	  RULES_FIXED, BM_CLASS_HARD,
	  "4.1.1 with address-dead evidence and the MTA gave up: the mailbox does not exist" },
	{ "transient", RULES_TRANSIENT, A, A, A, A, A, A,
	  RULES_FIXED, BM_CLASS_SOFT,
	  "a 4.x.x failure: retry" },
	{ "address-dead", RULES_PERMANENT, Y, A, N, A, A, A,
	  RULES_FIXED, BM_CLASS_HARD,
	  "positive address-dead evidence and no specific evidence of another cause" },
	{ "dead-on-weak-evidence", RULES_PERMANENT, N, Y, A, A, A, A,
	  RULES_FIXED, BM_CLASS_UNDETERMINED,
	  "only generic wording points at the address: never hard" },
	{ "named-cause", RULES_ANY_KIND, A, A, A, A, Y, A,
	  RULES_REASON, BM_CLASS_NONE,
	  "a cause other than a dead address is named: its class" },
	{ "policy-code", RULES_ANY_KIND, A, A, A, A, A, Y,
	  RULES_FIXED, BM_CLASS_BLOCK,
	  "no cause named, but a 5.7.x code: a policy refusal" },
	{ "no-evidence", RULES_ANY_KIND, A, A, A, A, A, A,
	  RULES_FIXED, BM_CLASS_UNDETERMINED,
	  "no evidence of a cause: undetermined, never hard" },
};

#undef Y
#undef N
#undef A

#define RULES_N (sizeof(rules_table) / sizeof(rules_table[0]))

size_t rules_count(void)
{
	return RULES_N;
}

const struct rules_row *rules_row(size_t i)
{
	return i < RULES_N ? &rules_table[i] : NULL;
}

static bool rules_holds(enum rules_cond c, bool v)
{
	return c == RULES_ANY || (c == RULES_YES) == v;
}

size_t rules_decide(const struct rules_facts *f)
{
	size_t i;

	for (i = 0; i < RULES_N; i++) {
		const struct rules_row *r = &rules_table[i];

		if ((r->kind == RULES_ANY_KIND || r->kind == f->kind) &&
		    rules_holds(r->dead, f->dead) &&
		    rules_holds(r->dead_weak, f->dead_weak) &&
		    rules_holds(r->other, f->other) &&
		    rules_holds(r->code_x11, f->code_x11) &&
		    rules_holds(r->known, f->known) &&
		    rules_holds(r->code_5_7, f->code_5_7))
			return i;
	}
	return RULES_N - 1;
}

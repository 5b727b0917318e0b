/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rules.h - the class decision table (DESIGN 3, "Evidence, then verdict").
 *
 * classify.c reduces a recipient record to a few facts (struct
 * rules_facts: is it a failure, delayed, transient; is there positive
 * evidence that the address is dead; is there specific evidence of another
 * cause; ...) and rules_decide() returns the first row of the table whose
 * conditions hold.  The last row holds always, so every record gets a row.
 * The table is data: each row names its conditions, its verdict and why.
 * Pure functions over read-only data; thread-safe.
 */
#ifndef BM_RULES_H
#define BM_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "classify/record.h"

enum rules_kind {
	RULES_NONFAILURE = 0,   /* delivered, auto-reply, feedback */
	RULES_DELAYED,          /* Action: delayed: not failed yet */
	RULES_TRANSIENT,        /* failed with a 4.x.x code */
	RULES_PERMANENT,        /* failed with a 5.x.x code (or none) */
	RULES_ANY_KIND,         /* in a row: any of the above */
};

/* A condition on a yes/no fact. */
enum rules_cond { RULES_ANY = 0, RULES_YES, RULES_NO };

/* Where a row's class comes from. */
enum rules_verdict {
	RULES_FIXED,    /* the row's class */
	RULES_REASON,   /* the reason's class (the policy table of classify.c) */
	RULES_OTHER,    /* the other cause's class; the reason becomes that cause */
};

struct rules_facts {
	enum rules_kind kind;
	bool dead;       /* positive evidence the address is dead: an address-dead
	                  * code, a specific address-dead phrase, a recogniser */
	bool dead_weak;  /* the reason is address-dead, on weak evidence only */
	bool other;      /* specific evidence of another cause */
	bool code_x11;   /* the code is X.1.1 */
	bool known;      /* some reason is named */
	bool code_5_7;   /* the code is 5.7.x */
};

struct rules_row {
	const char *name;           /* printed by --explain */
	enum rules_kind kind;
	enum rules_cond dead, dead_weak, other, code_x11, known, code_5_7;
	enum rules_verdict verdict;
	enum bm_class cls;          /* RULES_FIXED only */
	const char *why;
};

size_t rules_count(void);
/* Row i, NULL past the end. */
const struct rules_row *rules_row(size_t i);
/* The first row whose conditions hold (always one). */
size_t rules_decide(const struct rules_facts *f);

#endif

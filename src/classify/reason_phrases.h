/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reason_phrases.h - private to reason.c and reason_phrases.c: the table
 * of reasons, each with its list of fixed phrases, in the order they are
 * tried.  Phrases are lower case with single spaces, at least four bytes
 * long; a leading or trailing space matches a word edge.  Read-only data,
 * safe to share between threads.
 */
#ifndef BM_REASON_PHRASES_H
#define BM_REASON_PHRASES_H

#include <stdbool.h>
#include <stddef.h>

#include "classify/record.h"

/* A phrase group: the phrases of one reason from one kind of source.
 * `specific` groups name a cause precisely enough to contradict another
 * cause's code or phrase (DESIGN 3, "specific beats generic"); the rest
 * ("denied", "policy", "timed out") only name a reason when nothing more
 * precise is there.  `name` is printed by --explain; `source` says where
 * the wording comes from. */
struct reason_rule {
	enum bm_reason reason;
	const char *const *phrases;  /* NULL-terminated */
	bool weak;                   /* low confidence: a status code outranks it */
	const char *name;            /* short group name, unique */
	bool specific;
	const char *source;
};

/* At most this many groups: the groups found in a text are a bit set. */
#define REASON_MAX_GROUPS 64

/* The first rule with a phrase in the text wins. */
extern const struct reason_rule reason_rules[];
extern const size_t reason_nrules;

#endif

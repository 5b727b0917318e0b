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

#include "classify/reason.h"

struct reason_rule {
	enum bm_reason reason;
	const char *const *phrases;  /* NULL-terminated */
	bool weak;                   /* low confidence: a status code outranks it */
};

/* The first rule with a phrase in the text wins. */
extern const struct reason_rule reason_rules[];
extern const size_t reason_nrules;

#endif

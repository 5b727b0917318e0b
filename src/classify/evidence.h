/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * evidence.h - the evidence behind a recipient's class, in words.
 *
 * classify_rcpt() fills struct bounce_evidence (record.h); this module
 * names its parts for people and programs: the status source, the phrase
 * groups found (each with its reason and source), the decision-table row
 * (rules.h).  evidence_groups() and evidence_explain() write into a
 * caller's buffer, always NUL-terminated, cut at its size; they return the
 * length they would have written (snprintf's convention).  Pure functions;
 * thread-safe.
 */
#ifndef BM_EVIDENCE_H
#define BM_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "classify/record.h"

/* "field", "text", "diagnostic", "inferred" or "" (no status). */
const char *evidence_status_source(enum bm_status_source src);
/* The decision-table row's name ("address-dead", ...). */
const char *evidence_rule(const struct bounce_rcpt *r);
/* "user-unknown,too-big": the groups of set, in table order. */
size_t evidence_groups(uint64_t set, char *buf, size_t size);
/* A few indented lines: every item of evidence and the deciding rule. */
size_t evidence_explain(const struct bounce_rcpt *r, char *buf, size_t size);

#endif

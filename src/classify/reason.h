/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reason.h - Sisimai's reason words, and diagnostic text -> reason.
 *
 * The reason vocabulary is Sisimai 5.1's, so results compare with it.
 * reason_from_text() matches the diagnostic against tables of fixed,
 * case-insensitive phrases (data, not code; no regex compiled per call) and
 * returns BM_REASON_UNDEFINED when nothing matches.  reason_from_status()
 * maps an RFC 3463 code to the reason its registry meaning implies.
 * The words themselves (enum bm_reason) live in record.h, below the
 * phrase tables that name them.  All functions are pure and thread-safe.
 */
#ifndef BM_REASON_H
#define BM_REASON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classify/record.h"

const char *reason_name(enum bm_reason r);       /* never NULL */
int reason_from_name(const char *name);          /* -1 if unknown */
enum bm_reason reason_from_text(const char *text, size_t len);
/* As reason_from_text(); *weak (may be NULL) is set to true when the
 * reason rests on a low-confidence phrase only. */
enum bm_reason reason_from_text_weak(const char *text, size_t len, bool *weak);
enum bm_reason reason_from_status(const char *status);

/* As reason_from_text_weak(), and *groups (may be NULL) gets one bit per
 * phrase group found anywhere in the text (bit g: group g below), for the
 * evidence.  One pass over the text. */
enum bm_reason reason_scan(const char *text, size_t len, bool *weak,
                           uint64_t *groups);

/* The phrase groups, in the order they are tried: how many, and each
 * one's name, source, reason and whether it names its cause precisely
 * (DESIGN 3: specific beats generic). */
size_t reason_group_count(void);
const char *reason_group_name(size_t g);
const char *reason_group_source(size_t g);
enum bm_reason reason_group_reason(size_t g);
bool reason_group_specific(size_t g);
/* The bit of the group called name, 0 if there is none. */
uint64_t reason_group_bit(const char *name);

#endif

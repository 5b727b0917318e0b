/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * addr.h - e-mail address parsing and normalisation.
 *
 * addr_normalise() accepts the forms found in bounces: "rfc822; a@b",
 * "utf-8; a@b", "<a@b>", "Name <a@b>", "a@b (comment)", quoted local parts.
 * It strips the address-type prefix, comments, brackets and the quotes or
 * punctuation of prose around it, validates (one unquoted "@", no control
 * characters, no spaces outside quotes, well-formed UTF-8 only, local part
 * <= 64, domain <= 253 octets with dot-separated labels and no non-ASCII
 * punctuation) and lower-cases the domain; the local part is lower-cased
 * too when fold_local is true.  Output is bounded by outsz.  Pure and
 * thread-safe.
 */
#ifndef BM_ADDR_H
#define BM_ADDR_H

#include <stdbool.h>
#include <stddef.h>

/* Returns 0 and writes the normalised address, or -1 if none is valid. */
int addr_normalise(const char *in, size_t inlen, char *out, size_t outsz,
                   bool fold_local);

/* Finds the first valid-looking address in free text (e.g. "<a@b>: 550 ...").
 * Same output rules as addr_normalise(); what it returns normalises to
 * itself.  Returns 0 or -1. */
int addr_find(const char *text, size_t len, char *out, size_t outsz);

#endif

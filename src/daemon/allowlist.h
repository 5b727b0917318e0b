/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * allowlist.h - addresses, domains and globs that are never listed.
 *
 * An entry with an '@' matches an address: exactly (case-insensitively), or
 * as a glob when it holds '*', '?' or '[' ("postmaster@*", "*@partner.example").
 * An entry without one matches the domain: "example.com" exactly, or a glob
 * ("*.example.com" for its subdomains).  allowlist_new() takes the config's
 * entries and, optionally, a file of more entries (one per line, blank
 * lines and '#' comments ignored, at most ALLOWLIST_MAX entries of up to
 * 320 octets, no blanks or control characters); the file is read when the
 * config is loaded, so a reload re-reads it.  The object is immutable
 * afterwards: allowlist_match() is thread-safe.  NULL with err on a bad
 * entry (naming the file and line) or an unreadable file.
 */
#ifndef BM_ALLOWLIST_H
#define BM_ALLOWLIST_H

#include <stdbool.h>
#include <stddef.h>

#define ALLOWLIST_MAX 100000
#define ALLOWLIST_ENTRY_MAX 320

struct allowlist;

struct allowlist *allowlist_new(char *const *entries, const char *file,
                                char *err, size_t errsz);
void allowlist_free(struct allowlist *a);
/* addr: "local@domain" (as listed; the domain compared case-insensitively). */
bool allowlist_match(const struct allowlist *a, const char *addr);
size_t allowlist_size(const struct allowlist *a);
/* Is s a well-formed entry? */
bool allowlist_entry_ok(const char *s);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * allowlist.c - never-list entries (see allowlist.h): exact entries are
 * compared case-insensitively, globs go to fnmatch(3) with FNM_CASEFOLD.
 * A linear scan: allowlists are short (tens of entries), and a match runs
 * only for a recipient that would otherwise be listed.
 */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daemon/allowlist.h"

struct allowlist_entry {
	char *pat;
	bool addr;                 /* has '@': matches the address, else the domain */
	bool glob;
};

struct allowlist {
	struct allowlist_entry *v;
	size_t n, cap;
};

bool
allowlist_entry_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > ALLOWLIST_ENTRY_MAX)
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return false;
	return true;
}

static int
allowlist_add(struct allowlist *a, const char *s, size_t n)
{
	struct allowlist_entry *e;

	if (a->n == ALLOWLIST_MAX)
		return -1;
	if (a->n == a->cap) {
		size_t nc = a->cap == 0 ? 16 : a->cap * 2;
		struct allowlist_entry *nv = realloc(a->v, nc * sizeof(*nv));

		if (nv == NULL)
			return -1;
		a->v = nv;
		a->cap = nc;
	}
	e = &a->v[a->n];
	if ((e->pat = strndup(s, n)) == NULL)
		return -1;
	e->addr = memchr(s, '@', n) != NULL;
	e->glob = strpbrk(e->pat, "*?[") != NULL;
	a->n++;
	return 0;
}

static int
allowlist_read(struct allowlist *a, const char *file, char *err, size_t errsz)
{
	char line[ALLOWLIST_ENTRY_MAX + 64];
	FILE *f = fopen(file, "re");
	unsigned lineno = 0;
	int rc = 0;

	if (f == NULL) {
		(void)snprintf(err, errsz, "allowlist.file %s: %s", file, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		size_t n = strlen(line);
		char *p = line;

		lineno++;
		if (n > 0 && line[n - 1] != '\n' && !feof(f)) {
			(void)snprintf(err, errsz, "%s:%u: line too long", file, lineno);
			rc = -1;
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
		    line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		if (!allowlist_entry_ok(p)) {
			(void)snprintf(err, errsz, "%s:%u: \"%.64s\" is not an address, domain or glob",
			    file, lineno, p);
			rc = -1;
			break;
		}
		if (allowlist_add(a, p, strlen(p)) < 0) {
			(void)snprintf(err, errsz, "%s:%u: too many entries (at most %d) or out of memory",
			    file, lineno, ALLOWLIST_MAX);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		(void)snprintf(err, errsz, "allowlist.file %s: read error", file);
		rc = -1;
	}
	(void)fclose(f);
	return rc;
}

struct allowlist *
allowlist_new(char *const *entries, const char *file, char *err, size_t errsz)
{
	struct allowlist *a = calloc(1, sizeof(*a));

	if (a == NULL) {
		(void)snprintf(err, errsz, "out of memory");
		return NULL;
	}
	for (size_t i = 0; entries != NULL && entries[i] != NULL; i++) {
		if (!allowlist_entry_ok(entries[i])) {
			(void)snprintf(err, errsz, "allowlist.entries: \"%.64s\" is not an address, "
			    "domain or glob", entries[i]);
			goto fail;
		}
		if (allowlist_add(a, entries[i], strlen(entries[i])) < 0) {
			(void)snprintf(err, errsz, "allowlist.entries: out of memory");
			goto fail;
		}
	}
	if (file != NULL && *file != '\0' && allowlist_read(a, file, err, errsz) < 0)
		goto fail;
	return a;
fail:
	allowlist_free(a);
	return NULL;
}

void
allowlist_free(struct allowlist *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i].pat);
	free(a->v);
	free(a);
}

size_t
allowlist_size(const struct allowlist *a)
{
	return a != NULL ? a->n : 0;
}

bool
allowlist_match(const struct allowlist *a, const char *addr)
{
	const char *at;

	if (a == NULL || addr == NULL || (at = strrchr(addr, '@')) == NULL)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct allowlist_entry *e = &a->v[i];
		const char *subject = e->addr ? addr : at + 1;

		if (e->glob ? fnmatch(e->pat, subject, FNM_CASEFOLD) == 0
		    : strcasecmp(e->pat, subject) == 0)
			return true;
	}
	return false;
}

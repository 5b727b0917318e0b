/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * conf_lint.c - structure checks of a config file that libconfuse skips.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/conf_lint.h"

#define LINT_FILE_MAX (1024 * 1024)
#define LINT_DEPTH 8
#define LINT_NAMES 64
#define LINT_NAME_MAX 64

struct lint_scope {
	char names[LINT_NAMES][LINT_NAME_MAX];
	int lines[LINT_NAMES];
	size_t n;
	int open_line;                  /* line of its '{' */
};

struct lint {
	const char *s;
	size_t len, i;
	int line;
};

/* Skip white space and comments; -1 on an unclosed block comment. */
static int
lint_space(struct lint *l)
{
	while (l->i < l->len) {
		char c = l->s[l->i];

		if (c == '\n') {
			l->line++;
			l->i++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			l->i++;
		} else if (c == '#' || (c == '/' && l->i + 1 < l->len && l->s[l->i + 1] == '/')) {
			while (l->i < l->len && l->s[l->i] != '\n')
				l->i++;
		} else if (c == '/' && l->i + 1 < l->len && l->s[l->i + 1] == '*') {
			l->i += 2;
			while (l->i + 1 < l->len && !(l->s[l->i] == '*' && l->s[l->i + 1] == '/')) {
				if (l->s[l->i] == '\n')
					l->line++;
				l->i++;
			}
			if (l->i + 1 >= l->len)
				return -1;
			l->i += 2;
		} else {
			break;
		}
	}
	return 0;
}

/* Skip a quoted string starting at l->i; -1 when it is never closed. */
static int
lint_string(struct lint *l)
{
	char q = l->s[l->i++];

	while (l->i < l->len && l->s[l->i] != q) {
		if (l->s[l->i] == '\\' && q == '"')
			l->i++;
		else if (l->s[l->i] == '\n')
			l->line++;
		l->i++;
	}
	if (l->i >= l->len)
		return -1;
	l->i++;
	return 0;
}

static bool
lint_word_char(char c)
{
	return c != '\0' && strchr(" \t\r\n{}=,\"'#+", c) == NULL &&
	    !(c == '/' );
}

/* Remember name in scope; false when it was there already. */
static bool
lint_note(struct lint_scope *sc, const char *name, size_t n, int line, int *first)
{
	if (n >= LINT_NAME_MAX)
		n = LINT_NAME_MAX - 1;
	for (size_t k = 0; k < sc->n; k++) {
		if (strlen(sc->names[k]) == n && strncmp(sc->names[k], name, n) == 0) {
			*first = sc->lines[k];
			return false;
		}
	}
	if (sc->n < LINT_NAMES) {
		memcpy(sc->names[sc->n], name, n);
		sc->names[sc->n][n] = '\0';
		sc->lines[sc->n++] = line;
	}
	return true;
}

static int
lint_text(const char *s, size_t len, int *line, char *err, size_t errsz)
{
	struct lint l = { s, len, 0, 1 };
	struct lint_scope *sc = calloc(LINT_DEPTH, sizeof *sc);
	int depth = 0, first, rc = -1;

	if (sc == NULL) {
		snprintf(err, errsz, "out of memory");
		*line = 0;
		return -1;
	}
	for (;;) {
		const char *name;
		size_t n;
		int at;

		if (lint_space(&l) != 0) {
			snprintf(err, errsz, "a comment is never closed");
			goto out;
		}
		if (l.i >= l.len)
			break;
		if (l.s[l.i] == '}') {
			if (depth == 0) {
				snprintf(err, errsz, "'}' without a '{'");
				goto out;
			}
			depth--;
			l.i++;
			continue;
		}
		if (!lint_word_char(l.s[l.i])) {
			rc = 0;                 /* not ours to judge: libconfuse reports it */
			goto out;
		}
		name = l.s + l.i;
		at = l.line;
		while (l.i < l.len && lint_word_char(l.s[l.i]))
			l.i++;
		n = (size_t)(l.s + l.i - name);
		if (lint_space(&l) != 0) {
			snprintf(err, errsz, "a comment is never closed");
			goto out;
		}
		if (l.i < l.len && l.s[l.i] == '{') {           /* a section */
			if (!lint_note(&sc[depth], name, n, at, &first)) {
				snprintf(err, errsz, "section \"%.*s\" is given twice (first at line %d)",
				    (int)(n < 64 ? n : 64), name, first);
				l.line = at;
				goto out;
			}
			if (depth + 1 >= LINT_DEPTH) {
				rc = 0;
				goto out;
			}
			depth++;
			memset(&sc[depth], 0, sizeof sc[depth]);
			sc[depth].open_line = at;
			l.i++;
			continue;
		}
		if (l.i + 1 < l.len && l.s[l.i] == '+' && l.s[l.i + 1] == '=') {
			l.i += 2;                                  /* a list append: allowed again */
		} else if (l.i < l.len && l.s[l.i] == '=') {
			if (!lint_note(&sc[depth], name, n, at, &first)) {
				snprintf(err, errsz, "option \"%.*s\" is given twice (first at line %d)",
				    (int)(n < 64 ? n : 64), name, first);
				l.line = at;
				goto out;
			}
			l.i++;
		} else {
			rc = 0;
			goto out;
		}
		/* the value: a word, a string, or a list { ... } */
		if (lint_space(&l) != 0) {
			snprintf(err, errsz, "a comment is never closed");
			goto out;
		}
		if (l.i < l.len && l.s[l.i] == '{') {
			int open = l.line;

			l.i++;
			for (;;) {
				if (lint_space(&l) != 0) {
					snprintf(err, errsz, "a comment is never closed");
					goto out;
				}
				if (l.i >= l.len) {
					snprintf(err, errsz, "the list opened here is never closed with '}'");
					l.line = open;
					goto out;
				}
				if (l.s[l.i] == '}') {
					l.i++;
					break;
				}
				if (l.s[l.i] == '"' || l.s[l.i] == '\'') {
					if (lint_string(&l) != 0) {
						rc = 0;          /* libconfuse says where */
						goto out;
					}
				} else {
					l.i++;
				}
			}
		} else if (l.i < l.len && (l.s[l.i] == '"' || l.s[l.i] == '\'')) {
			if (lint_string(&l) != 0) {
				rc = 0;                  /* libconfuse says where */
				goto out;
			}
		} else {
			while (l.i < l.len && lint_word_char(l.s[l.i]))
				l.i++;
		}
	}
	if (depth > 0) {
		snprintf(err, errsz, "section opened here is never closed with '}'");
		l.line = sc[depth].open_line;
		goto out;
	}
	rc = 0;
out:
	*line = rc == 0 ? 0 : l.line;
	free(sc);
	return rc;
}

int
conf_lint(const char *path, int *line, char *err, size_t errsz)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	int fd, rc = -1;

	*line = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errsz, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(err, errsz, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "not a regular file");
		goto out;
	}
	if (st.st_size > LINT_FILE_MAX) {
		snprintf(err, errsz, "larger than %d bytes", LINT_FILE_MAX);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	while (n < (size_t)st.st_size) {
		ssize_t got = read(fd, buf + n, (size_t)st.st_size - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			snprintf(err, errsz, "cannot read: %s", got < 0 ? strerror(errno) : "short read");
			goto out;
		}
		n += (size_t)got;
	}
	buf[n] = '\0';
	rc = lint_text(buf, n, line, err, errsz);
out:
	free(buf);
	close(fd);
	return rc;
}

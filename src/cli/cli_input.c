/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cli_input.c - files, mbox files and Maildir trees to messages.
 *
 * An input is read in chunks through one state machine, so an mbox of any
 * size needs at most max_bytes for the message being gathered plus the
 * start of the current line (CLI_HEAD_MAX) to tell a From_ line; NUL bytes
 * and CRLF line ends pass through untouched.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_input.h"

#define CLI_CHUNK 65536
#define CLI_HEAD_MAX 1024       /* a From_ line is far shorter */

struct cli_reader {
	const char *name;
	size_t max_bytes;
	cli_message_fn fn;
	void *arg;
	char *msg;              /* the message being gathered, <= max_bytes */
	size_t len;
	size_t msgno;           /* 0 until the first line is seen */
	bool mbox;
	bool at_start;          /* the next byte starts a line */
	char head[CLI_HEAD_MAX];
	size_t head_len;
	int rc;
};

static bool
cli_is_one_of(const char *s, const char *const *words)
{
	size_t i;

	for (i = 0; words[i] != NULL; i++)
		if (memcmp(s, words[i], 3) == 0)
			return true;
	return false;
}

/* True when line[0..len) is an mbox From_ line. */
static bool
cli_is_from_line(const char *line, size_t len)
{
	static const char *const days[] = {
		"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", NULL,
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec", NULL,
	};
	size_t i;

	if (len < 5 || memcmp(line, "From ", 5) != 0)
		return false;
	/* the sender is one word, or several (a list archive's "user at
	 * host"); what follows it is asctime()'s "Www Mmm dd hh:mm" */
	for (i = 5; i + 16 <= len; i++) {
		size_t p;

		if (line[i - 1] != ' ' || !cli_is_one_of(line + i, days) ||
		    line[i + 3] != ' ' || !cli_is_one_of(line + i + 4, months) ||
		    line[i + 7] != ' ')
			continue;
		p = i + 8;
		while (p < len && line[p] == ' ')
			p++;
		if (p >= len || line[p] < '0' || line[p] > '9')
			continue;
		while (p < len && line[p] >= '0' && line[p] <= '9')
			p++;
		if (p >= len || line[p] != ' ')
			continue;
		while (p < len && line[p] == ' ')
			p++;
		if (p + 5 <= len && line[p] >= '0' && line[p] <= '9' &&
		    line[p + 1] >= '0' && line[p + 1] <= '9' && line[p + 2] == ':' &&
		    line[p + 3] >= '0' && line[p + 3] <= '9' &&
		    line[p + 4] >= '0' && line[p + 4] <= '9')
			return true;
	}
	return false;
}

/* Append to the message; bytes past max_bytes are dropped. */
static void
cli_keep(struct cli_reader *r, const char *s, size_t n)
{
	if (r->msg == NULL && r->max_bytes > 0) {
		r->msg = malloc(r->max_bytes);
		if (r->msg == NULL) {
			fprintf(stderr, "bounce-classify: %s: %s\n", r->name, strerror(ENOMEM));
			r->rc = -1;
			r->max_bytes = 0;
		}
	}
	if (n > r->max_bytes - r->len)
		n = r->max_bytes - r->len;
	if (n > 0) {
		memcpy(r->msg + r->len, s, n);
		r->len += n;
	}
}

static void
cli_emit(struct cli_reader *r)
{
	if (r->fn(r->arg, r->name, r->msgno, r->msg != NULL ? r->msg : "", r->len) != 0)
		r->rc = -1;
	r->len = 0;
}

/* A whole line has gathered in head (or is too long to be a From_ line). */
static void
cli_line_start(struct cli_reader *r, bool complete)
{
	bool from = complete && cli_is_from_line(r->head, r->head_len);

	if (r->msgno == 0) {
		r->msgno = 1;
		r->mbox = from;
	} else if (r->mbox && from) {
		cli_emit(r);
		r->msgno++;
	}
	cli_keep(r, r->head, r->head_len);
	r->head_len = 0;
}

static void
cli_feed(struct cli_reader *r, const char *s, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t take = nl != NULL ? (size_t)(nl - s) + 1 : n;

		/* after the first line only an mbox needs the starts of lines */
		if (r->at_start && (r->msgno == 0 || r->mbox)) {
			size_t room = CLI_HEAD_MAX - r->head_len;
			size_t part = take < room ? take : room;

			memcpy(r->head + r->head_len, s, part);
			r->head_len += part;
			if (part < take || (nl == NULL && r->head_len == CLI_HEAD_MAX)) {
				cli_line_start(r, false);   /* too long for a From_ line */
				cli_keep(r, s + part, take - part);
				r->at_start = nl != NULL;
			} else if (nl != NULL) {
				cli_line_start(r, true);
			}
		} else {
			cli_keep(r, s, take);
			r->at_start = nl != NULL;
		}
		s += take;
		n -= take;
	}
}

static int
cli_read_fd(int fd, const char *name, size_t max_bytes, cli_message_fn fn,
            void *arg)
{
	struct cli_reader r;
	char chunk[CLI_CHUNK];
	ssize_t n;

	memset(&r, 0, sizeof(r));
	r.name = name;
	r.max_bytes = max_bytes;
	r.fn = fn;
	r.arg = arg;
	r.at_start = true;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "bounce-classify: %s: %s\n", name, strerror(errno));
			free(r.msg);
			return -1;
		}
		if (n == 0)
			break;
		cli_feed(&r, chunk, (size_t)n);
	}
	if (r.head_len > 0)             /* a last line with no newline */
		cli_line_start(&r, true);
	if (r.msgno == 0)
		r.msgno = 1;            /* an empty file is one empty message */
	cli_emit(&r);
	free(r.msg);
	return r.rc;
}

static int
cli_read_file(const char *path, const char *name, size_t max_bytes,
              cli_message_fn fn, void *arg)
{
	int fd, rc;

	if (strcmp(path, "-") == 0)
		return cli_read_fd(STDIN_FILENO, "-", max_bytes, fn, arg);
	fd = open(path, O_RDONLY | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "bounce-classify: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = cli_read_fd(fd, name, max_bytes, fn, arg);
	close(fd);
	return rc;
}

static int
cli_not_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

static int
cli_name_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static char *
cli_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s%s%s", a, a[0] != '\0' ? "/" : "", b);
	return p;
}

/* A Maildir (or Maildir++ folder) has cur/ or new/. */
static bool
cli_is_maildir(const char *dir)
{
	static const char *const subs[] = { "cur", "new", NULL };
	struct stat st;
	size_t i;

	for (i = 0; subs[i] != NULL; i++) {
		char *p = cli_join(dir, subs[i]);
		bool yes = p != NULL && stat(p, &st) == 0 && S_ISDIR(st.st_mode);

		free(p);
		if (yes)
			return true;
	}
	return false;
}

/* `dir` is the path to open, `rel` the name shown ("" at the top). */
static int
cli_walk(const char *dir, const char *rel, size_t max_bytes, cli_message_fn fn,
         void *arg)
{
	struct dirent **names;
	bool maildir = cli_is_maildir(dir);
	int n, i, rc = 0;

	n = scandir(dir, &names, cli_not_dots, cli_name_order);
	if (n < 0) {
		fprintf(stderr, "bounce-classify: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		const char *e = names[i]->d_name;
		char *path = cli_join(dir, e), *name = cli_join(rel, e);
		struct stat st;

		if (path == NULL || name == NULL) {
			fprintf(stderr, "bounce-classify: %s: %s\n", dir, strerror(ENOMEM));
			rc = -1;
		} else if (lstat(path, &st) != 0) {
			fprintf(stderr, "bounce-classify: %s: %s\n", path, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			bool skip = (e[0] == '.' && !cli_is_maildir(path)) ||
			    (maildir && strcmp(e, "tmp") == 0);

			if (!skip && cli_walk(path, name, max_bytes, fn, arg) != 0)
				rc = -1;
		} else if (e[0] != '.' && (S_ISREG(st.st_mode) ||
		           (S_ISLNK(st.st_mode) && stat(path, &st) == 0 &&
		            S_ISREG(st.st_mode)))) {
			if (cli_read_file(path, name, max_bytes, fn, arg) != 0)
				rc = -1;
		}
		free(path);
		free(name);
		free(names[i]);
	}
	free(names);
	return rc;
}

int
cli_input_path(const char *path, size_t max_bytes, cli_message_fn fn, void *arg)
{
	struct stat st;

	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return cli_walk(path, "", max_bytes, fn, arg);
	return cli_read_file(path, path, max_bytes, fn, arg);
}

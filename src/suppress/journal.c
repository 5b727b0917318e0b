/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * journal.c - the suppression list read back as a journal (see journal.h).
 *
 * The position file is one line, "bounce-milter-journal 1 DEV INO OFFSET",
 * replaced atomically.  The offset only ever moves over whole lines, so a
 * torn last line that the writer later cuts back is never behind it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suppress/journal.h"

#define JOURNAL_BUF (256u * 1024)     /* one read; longer lines are skipped */
#define JOURNAL_MAGIC "bounce-milter-journal 1"

struct journal {
	char *list, *pos;
	enum suppress_format fmt;
	bool fold;
	int fd;                     /* the file being shipped, or -1 */
	dev_t dev;
	ino_t ino;
	uint64_t off;               /* committed */
	uint64_t read_off;          /* after the last batch read */
	bool saved_valid;           /* a position from the file, not yet applied */
	dev_t saved_dev;
	ino_t saved_ino;
	uint64_t saved_off;
	bool replaced;
	bool unsaved;               /* the position moved since the last save */
	uint64_t skipped;
	char *buf;
};

static void
journal_err(char *err, size_t errsz, const char *what, const char *path)
{
	snprintf(err, errsz, "journal %s: %s: %s", path, what, strerror(errno));
}

static int
journal_load_pos(struct journal *j, char *err, size_t errsz)
{
	char line[128];
	unsigned long long dev, ino, off;
	FILE *f = fopen(j->pos, "re");

	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		journal_err(err, errsz, "cannot read position", j->pos);
		return -1;
	}
	if (fgets(line, sizeof line, f) == NULL ||
	    sscanf(line, JOURNAL_MAGIC " %llu %llu %llu", &dev, &ino, &off) != 3) {
		fclose(f);
		snprintf(err, errsz, "journal position %s: not a position file "
		    "(expected \"" JOURNAL_MAGIC " DEV INO OFFSET\")", j->pos);
		return -1;
	}
	fclose(f);
	j->saved_valid = true;
	j->saved_dev = (dev_t)dev;
	j->saved_ino = (ino_t)ino;
	j->saved_off = off;
	return 0;
}

static int
journal_save_pos(struct journal *j, char *err, size_t errsz)
{
	char tmp[PATH_MAX], dir[PATH_MAX], line[128];
	char *slash;
	int fd, n, rc = -1;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", j->pos) >= (int)sizeof tmp ||
	    snprintf(dir, sizeof dir, "%s", j->pos) >= (int)sizeof dir) {
		snprintf(err, errsz, "journal position %s: path too long", j->pos);
		return -1;
	}
	n = snprintf(line, sizeof line, JOURNAL_MAGIC " %llu %llu %llu\n",
	    (unsigned long long)j->dev, (unsigned long long)j->ino,
	    (unsigned long long)j->off);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		journal_err(err, errsz, "cannot create", tmp);
		return -1;
	}
	if (write(fd, line, (size_t)n) != n) {
		if (errno == 0)
			errno = ENOSPC;
		journal_err(err, errsz, "write", tmp);
		goto out;
	}
	if (fsync(fd) < 0) {
		journal_err(err, errsz, "fsync", tmp);
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		journal_err(err, errsz, "close", tmp);
		goto out;
	}
	fd = -1;
	if (rename(tmp, j->pos) < 0) {
		journal_err(err, errsz, "rename", tmp);
		goto out;
	}
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	else
		strcpy(dir, ".");
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || fsync(fd) < 0) {
		journal_err(err, errsz, "fsync of the directory", dir);
		goto out;
	}
	j->unsaved = false;
	rc = 0;
out:
	if (fd >= 0)
		(void)close(fd);
	return rc;
}

struct journal *
journal_open(const char *list, const char *pos, enum suppress_format fmt,
             bool fold, char *err, size_t errsz)
{
	struct journal *j = calloc(1, sizeof *j);

	if (j == NULL || (j->list = strdup(list)) == NULL ||
	    (j->pos = strdup(pos)) == NULL ||
	    (j->buf = malloc(JOURNAL_BUF)) == NULL) {
		snprintf(err, errsz, "journal %s: out of memory", list);
		journal_close(j);
		return NULL;
	}
	j->fd = -1;
	j->fmt = fmt;
	j->fold = fold;
	if (journal_load_pos(j, err, errsz) < 0) {
		journal_close(j);
		return NULL;
	}
	return j;
}

void
journal_close(struct journal *j)
{
	if (j == NULL)
		return;
	if (j->fd >= 0)
		(void)close(j->fd);
	free(j->list);
	free(j->pos);
	free(j->buf);
	free(j);
}

/* Open the file the path names now; 0 with j->fd -1 when there is none. */
static int
journal_follow(struct journal *j, char *err, size_t errsz)
{
	struct stat st;
	int fd = open(j->list, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		journal_err(err, errsz, "open", j->list);
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (errno == 0 || S_ISREG(st.st_mode) == 0)
			errno = EINVAL;
		journal_err(err, errsz, "not a regular file", j->list);
		(void)close(fd);
		return -1;
	}
	j->fd = fd;
	j->dev = st.st_dev;
	j->ino = st.st_ino;
	j->off = 0;
	if (j->saved_valid) {
		if (j->saved_dev == st.st_dev && j->saved_ino == st.st_ino &&
		    j->saved_off <= (uint64_t)st.st_size)
			j->off = j->saved_off;
		else
			j->replaced = j->saved_off > 0;
		j->saved_valid = false;
	}
	j->read_off = j->off;
	j->unsaved = true;
	return 0;
}

/* Does the path still name the open file? */
static bool
journal_current(const struct journal *j)
{
	struct stat st;

	return stat(j->list, &st) == 0 && st.st_dev == j->dev && st.st_ino == j->ino;
}

/* One pread of the open file at read_off under a shared lock, held only
 * for the copy: appends wait on it, so the parsing happens after. */
static ssize_t
journal_pread(struct journal *j, char *err, size_t errsz)
{
	ssize_t got;

	while (flock(j->fd, LOCK_SH) < 0) {
		if (errno != EINTR) {
			journal_err(err, errsz, "flock", j->list);
			return -1;
		}
	}
	do
		got = pread(j->fd, j->buf, JOURNAL_BUF, (off_t)j->read_off);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		journal_err(err, errsz, "read", j->list);
	(void)flock(j->fd, LOCK_UN);
	return got;
}

/* Whole lines of the open file from read_off, up to max entries.
 * *at_end: no complete line is left after what was read. */
static int
journal_scan(struct journal *j, journal_take_fn take, void *arg, size_t max,
             size_t *n, bool *at_end, char *err, size_t errsz)
{
	*at_end = false;
	while (*n < max) {
		ssize_t got = journal_pread(j, err, errsz);
		const char *p, *e, *nl;

		if (got < 0)
			return -1;
		p = j->buf;
		e = j->buf + got;
		if ((nl = memchr(p, '\n', (size_t)got)) == NULL) {
			if ((size_t)got == JOURNAL_BUF) {
				/* a line longer than any we write: pass over it */
				j->read_off += JOURNAL_BUF;
				j->skipped++;
				continue;
			}
			*at_end = true;     /* nothing, or a line still being written */
			break;
		}
		while (nl != NULL && *n < max) {
			const char *s = p, *le = nl;

			while (s < le && (*s == ' ' || *s == '\t'))
				s++;
			if (le > s && le[-1] == '\r')
				le--;
			if (s < le && *s != '#') {
				int r = take(arg, *n, s, (size_t)(le - s));

				if (r > 0)
					(*n)++;
				else if (r < 0)
					j->skipped++;
			}
			j->read_off += (uint64_t)(nl + 1 - p);
			p = nl + 1;
			nl = p < e ? memchr(p, '\n', (size_t)(e - p)) : NULL;
		}
	}
	return 0;
}

int
journal_read_with(struct journal *j, journal_take_fn take, void *arg, size_t max,
                  size_t *n, char *err, size_t errsz)
{
	*n = 0;
	for (int pass = 0; pass < 2; pass++) {
		bool renamed, at_end;

		if (j->fd < 0) {
			if (journal_follow(j, err, errsz) < 0)
				return -1;
			if (j->fd < 0)
				return 0;
		}
		/* seen before the lock: any append that passed its own inode
		 * check (under its exclusive lock) is complete once we hold ours */
		renamed = !journal_current(j);
		if (journal_scan(j, take, arg, max, n, &at_end, err, errsz) < 0)
			return -1;
		if (*n > 0 || !renamed || !at_end)
			return 0;
		/* the old file is drained (and its entries committed by the
		 * caller): follow the path, and say so durably at once, so a
		 * restart does not mistake the rename for one it missed */
		(void)close(j->fd);
		j->fd = -1;
		if (journal_follow(j, err, errsz) < 0)
			return -1;
		if (j->fd >= 0 && journal_save_pos(j, err, errsz) < 0)
			return -1;
	}
	return 0;
}

/* A list line -> out[i] (journal_read). */
struct journal_fields_arg {
	struct journal *j;
	struct suppress_line_fields *out;
};

static int
journal_take_fields(void *arg, size_t i, const char *line, size_t len)
{
	struct journal_fields_arg *a = arg;
	int r = suppress_line_fields(a->j->fmt, line, line + len, a->j->fold, &a->out[i]);

	return r == 0 ? 1 : r > 0 ? 0 : -1;
}

int
journal_read(struct journal *j, struct suppress_line_fields *out, size_t max,
             size_t *n, char *err, size_t errsz)
{
	struct journal_fields_arg a = { j, out };

	return journal_read_with(j, journal_take_fields, &a, max, n, err, errsz);
}

int
journal_commit(struct journal *j, char *err, size_t errsz)
{
	if (j->fd < 0)
		return 0;
	if (j->read_off != j->off) {
		j->off = j->read_off;
		j->unsaved = true;
	}
	return j->unsaved ? journal_save_pos(j, err, errsz) : 0;
}

void
journal_rewind(struct journal *j)
{
	j->read_off = j->off;
}

uint64_t
journal_backlog(struct journal *j)
{
	struct stat st;

	if (j->fd < 0 || fstat(j->fd, &st) < 0 || (uint64_t)st.st_size <= j->off)
		return 0;
	return (uint64_t)st.st_size - j->off;
}

uint64_t
journal_skipped(const struct journal *j)
{
	return j->skipped;
}

bool
journal_take_replaced(struct journal *j)
{
	bool r = j->replaced;

	j->replaced = false;
	return r;
}

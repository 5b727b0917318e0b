/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress_file.c - the suppression list's file: safe open (the checks of
 * Postfix's safe_open(), in our words), torn-line repair, and loading every
 * listed address into a set, all under an exclusive flock(2).
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suppress/suppress_err.h"
#include "suppress/suppress_file.h"
#include "suppress/suppress_line.h"

#define SUP_READ_CHUNK   (1u << 20)    /* loader buffer; longer lines skipped */
#define SUP_TAIL_CHUNK   65536

/* ------------------------------------------------------------ loading */

#define SUP_LOAD_BATCH 16            /* keys hashed and prefetched together */

struct sup_loader {
	struct suppress_set *set;
	bool fold;
	int format;                /* -1 until the first meaningful line */
	enum suppress_format want;
	size_t skipped;
	size_t nkeys;
	char keys[SUP_LOAD_BATCH][SUPPRESS_ADDR_MAX + 1];
	size_t klen[SUP_LOAD_BATCH];
	uint32_t khash[SUP_LOAD_BATCH];
};

/* Add the batched keys; their slots were prefetched first, so the cache
 * misses of the batch overlap instead of queueing.  0 or -2 (no memory). */
static int
sup_load_flush(struct sup_loader *ld)
{
	size_t i;
	bool existed;

	for (i = 0; i < ld->nkeys; i++)
		suppress_set_prefetch(ld->set, ld->khash[i]);
	for (i = 0; i < ld->nkeys; i++)
		if (suppress_set_add(ld->set, ld->keys[i], ld->klen[i], ld->khash[i],
		                     false, &existed) < 0)
			return -2;
	ld->nkeys = 0;
	return 0;
}

static int
sup_load_line(struct sup_loader *ld, const char *p, const char *end)
{
	char raw[SUPPRESS_ADDR_MAX * 2 + 8];
	char *addr = ld->keys[ld->nkeys];
	size_t n = 0;
	int alen, rc;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end || *p == '#')
		return 0;
	if (ld->format < 0) {
		ld->format = (int)suppress_line_guess(p, end);
		if ((enum suppress_format)ld->format != ld->want)
			return -1;
	}
	rc = suppress_line_parse((enum suppress_format)ld->format, p, end, raw,
	                         sizeof(raw), &n);
	if (rc > 0)
		return 0;
	if (rc < 0 || (alen = suppress_line_addr(raw, n, ld->fold, addr)) < 0) {
		ld->skipped++;
		return 0;
	}
	ld->klen[ld->nkeys] = (size_t)alen;
	ld->khash[ld->nkeys] = suppress_set_hash(addr, (size_t)alen);
	if (++ld->nkeys == SUP_LOAD_BATCH)
		return sup_load_flush(ld);
	return 0;
}

/* Size the set once from the first chunk's line length: no rehashing and
 * no intermediate tables while a big list loads. */
static void
sup_presize(struct suppress_set *set, const char *buf, size_t len, off_t size)
{
	const char *p = buf, *end = buf + len, *nl;
	size_t lines = 0;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lines++;
		p = nl + 1;
	}
	if (lines > 0)
		(void)suppress_set_reserve(set, (size_t)((double)size * (double)lines /
		                                         (double)len) + 1);
}

/* Read the whole file from offset 0 into the set.  -1 format mismatch (with
 * *found set), -2 out of memory, -3 read error (errno). */
static int
sup_load(int fd, off_t size, struct sup_loader *ld, int *found)
{
	char *buf;
	size_t have = 0;
	off_t off = 0;
	bool skipping = false;
	int rc = 0;

	if ((buf = malloc(SUP_READ_CHUNK)) == NULL)
		return -2;
	for (;;) {
		ssize_t r = pread(fd, buf + have, SUP_READ_CHUNK - have, off);
		char *p, *nl, *end;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -3;
			break;
		}
		if (off == 0 && r > 0 && size > r)
			sup_presize(ld->set, buf, (size_t)r, size);
		off += r;
		end = buf + have + r;
		p = buf;
		while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			if (!skipping && (rc = sup_load_line(ld, p, nl)) < 0)
				goto out;
			skipping = false;
			p = nl + 1;
		}
		if (r == 0) {
			/* unterminated tail (only if repair could not run) */
			if (!skipping && p < end)
				rc = sup_load_line(ld, p, end);
			break;
		}
		have = (size_t)(end - p);
		if (have == SUP_READ_CHUNK) {   /* absurd line: skip it */
			skipping = true;
			ld->skipped++;
			have = 0;
		} else if (have > 0) {
			memmove(buf, p, have);
		}
	}
	if (rc == 0)
		rc = sup_load_flush(ld);
out:
	if (rc == -1)
		*found = ld->format;
	free(buf);
	return rc;
}

/* ------------------------------------------------------------ safe open */

int
suppress_file_lock(int fd, int op)
{
	while (flock(fd, op) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

/* Cut an unterminated last line (crash mid-write); bytes removed or -1. */
static off_t
sup_repair_tail(int fd, off_t size)
{
	char buf[SUP_TAIL_CHUNK];
	off_t pos = size;
	ssize_t r;

	if (size == 0)
		return 0;
	while (pos > 0) {
		size_t want = pos > (off_t)sizeof(buf) ? sizeof(buf) : (size_t)pos;
		ssize_t i;

		r = pread(fd, buf, want, pos - (off_t)want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != (ssize_t)want)
			return -1;
		for (i = r - 1; i >= 0; i--) {
			if (buf[i] == '\n') {
				off_t keep = pos - (off_t)want + i + 1;

				if (keep == size)
					return 0;
				return ftruncate(fd, keep) < 0 ? -1 : size - keep;
			}
		}
		pos -= (off_t)want;
	}
	return ftruncate(fd, 0) < 0 ? -1 : size;
}

static int
sup_dirname(const char *path, char *dir, size_t dirsz)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL) {
		(void)snprintf(dir, dirsz, ".");
		return 0;
	}
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= dirsz)
		return -1;
	memcpy(dir, path, n);
	dir[n] = '\0';
	return 0;
}

/* Make a new directory entry durable (the file was just created). */
int
suppress_file_sync_dir(const char *path)
{
	char dir[4096];
	int fd, rc;

	if (sup_dirname(path, dir, sizeof(dir)) < 0)
		return -1;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	(void)close(fd);
	return rc;
}

static int
sup_check_dir(const char *path, char *err, size_t errsz)
{
	char dir[4096], ebuf[128];
	struct stat st;

	if (sup_dirname(path, dir, sizeof(dir)) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: path too long", path);
		return -1;
	}
	if (stat(dir, &st) < 0) {
		if (errno == ENOENT)
			suppress_err_set(err, errsz, "suppression list %s: directory %s does not exist",
			        path, dir);
		else
			suppress_err_set(err, errsz, "suppression list %s: directory %s: %s",
			        path, dir, SUPPRESS_ESTR(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		suppress_err_set(err, errsz, "suppression list %s: %s is not a directory",
		        path, dir);
		return -1;
	}
	/* Another user who may write the folder may rename the list away and
	 * plant one of their own; the sticky bit on a root-owned folder (/tmp)
	 * stops that for files they do not own. */
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) &&
	    !((st.st_mode & S_ISVTX) && st.st_uid == 0)) {
		suppress_err_set(err, errsz, "suppression list %s: directory %s is group- or "
		        "world-writable (mode %04o) and not sticky and root-owned", path, dir,
		        (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

/* Refusals shared by lstat (before open) and fstat (after). */
static int
sup_check_stat(const char *path, const struct stat *st, char *err,
               size_t errsz)
{
	if (S_ISLNK(st->st_mode)) {
		suppress_err_set(err, errsz, "suppression list %s: is a symbolic link", path);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		suppress_err_set(err, errsz, "suppression list %s: is not a regular file", path);
		return -1;
	}
	if (st->st_nlink != 1) {
		suppress_err_set(err, errsz, "suppression list %s: has %lu hard links (must be 1)",
		        path, (unsigned long)st->st_nlink);
		return -1;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		suppress_err_set(err, errsz,
		        "suppression list %s: is group- or world-writable (mode %04o)",
		        path, (unsigned)(st->st_mode & 07777));
		return -1;
	}
	return 0;
}

int
suppress_file_check(const char *path, char *err, size_t errsz)
{
	struct stat lst;
	char ebuf[128];

	if (sup_check_dir(path, err, errsz) < 0)
		return -1;
	if (lstat(path, &lst) != 0) {
		if (errno == ENOENT)
			return 0;
		suppress_err_set(err, errsz, "suppression list %s: %s", path, SUPPRESS_ESTR(errno));
		return -1;
	}
	return sup_check_stat(path, &lst, err, errsz);
}

int
suppress_file_open(const char *path, const struct suppress_opts *o,
              struct suppress_file *f, char *err, size_t errsz)
{
	struct stat lst, st;
	bool existed;
	char ebuf[128];
	off_t cut;
	int fl, found = -1, rc;
	struct sup_loader ld;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	if (sup_check_dir(path, err, errsz) < 0)
		return -1;
	existed = lstat(path, &lst) == 0;
	if (!existed && errno != ENOENT) {
		suppress_err_set(err, errsz, "suppression list %s: %s", path, SUPPRESS_ESTR(errno));
		return -1;
	}
	if (existed && sup_check_stat(path, &lst, err, errsz) < 0)
		return -1;
	f->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
	             O_NONBLOCK, 0640);
	if (f->fd < 0) {
		if (errno == ELOOP)
			suppress_err_set(err, errsz, "suppression list %s: is a symbolic link", path);
		else
			suppress_err_set(err, errsz, "suppression list %s: %s", path, SUPPRESS_ESTR(errno));
		return -1;
	}
	if (fstat(f->fd, &st) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: fstat: %s", path, SUPPRESS_ESTR(errno));
		goto fail;
	}
	if (sup_check_stat(path, &st, err, errsz) < 0)
		goto fail;
	if (existed && (lst.st_dev != st.st_dev || lst.st_ino != st.st_ino)) {
		suppress_err_set(err, errsz, "suppression list %s: replaced while being opened", path);
		goto fail;
	}
	if ((fl = fcntl(f->fd, F_GETFL)) < 0 ||
	    fcntl(f->fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: fcntl: %s", path, SUPPRESS_ESTR(errno));
		goto fail;
	}
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	if (suppress_file_lock(f->fd, LOCK_EX) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: flock: %s", path, SUPPRESS_ESTR(errno));
		goto fail;
	}
	/* size again under the lock: another writer may have appended */
	if (fstat(f->fd, &st) < 0 || (cut = sup_repair_tail(f->fd, st.st_size)) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: repairing the last line: %s",
		        path, SUPPRESS_ESTR(errno));
		goto fail;
	}
	f->repaired = (size_t)cut;
	if (st.st_size - cut == 0 && o->format == SUPPRESS_CSV) {
		ssize_t w = write(f->fd, SUPPRESS_CSV_HEADER, sizeof(SUPPRESS_CSV_HEADER) - 1);

		if (w != (ssize_t)(sizeof(SUPPRESS_CSV_HEADER) - 1)) {
			suppress_err_set(err, errsz, "suppression list %s: writing the csv header: %s",
			        path, w < 0 ? SUPPRESS_ESTR(errno) : "short write");
			if (ftruncate(f->fd, 0) < 0) { /* nothing more to do */ }
			goto fail;
		}
	}
	if ((cut > 0 || st.st_size == 0) && o->fsync && fsync(f->fd) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: fsync: %s", path, SUPPRESS_ESTR(errno));
		goto fail;
	}
	if (!existed && o->fsync && suppress_file_sync_dir(path) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: fsync of the directory: %s",
		        path, SUPPRESS_ESTR(errno));
		goto fail;
	}
	if (suppress_set_init(&f->set, 1024) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: out of memory", path);
		goto fail;
	}
	ld.set = &f->set;
	ld.fold = o->fold_local;
	ld.format = -1;
	ld.want = o->format;
	ld.skipped = 0;
	ld.nkeys = 0;
	rc = sup_load(f->fd, st.st_size - cut, &ld, &found);
	if (rc == -1) {
		suppress_err_set(err, errsz, "suppression list %s: file holds %s entries, "
		        "format is %s", path,
		        suppress_format_name((enum suppress_format)found),
		        suppress_format_name(o->format));
		goto fail;
	}
	if (rc < 0) {
		suppress_err_set(err, errsz, "suppression list %s: loading: %s", path,
		        rc == -2 ? "out of memory" : SUPPRESS_ESTR(errno));
		goto fail;
	}
	f->skipped = ld.skipped;
	(void)suppress_file_lock(f->fd, LOCK_UN);
	return 0;
fail:
	suppress_set_free(&f->set);
	(void)close(f->fd);    /* also drops the lock */
	f->fd = -1;
	return -1;
}

/* Does the path still name our open file?  1 yes, 0 no (renamed, removed,
 * replaced), -1 cannot tell (errno). */
int
suppress_file_same(const char *path, dev_t dev, ino_t ino)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return st.st_dev == dev && st.st_ino == ino;
}


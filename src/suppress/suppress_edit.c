/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress_edit.c - removal and export for the control socket (see
 * suppress.h).  A removal takes `busy` like an append leader, so appends
 * queue behind it and the set cannot change under it; the file work runs
 * with the mutex released (lookups go on) and the old file flock'd (other
 * processes that append wait, then see a new inode and reopen).
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suppress/suppress.h"
#include "suppress/suppress_err.h"
#include "suppress/suppress_file.h"
#include "suppress/suppress_line.h"
#include "suppress/suppress_list.h"
#include "suppress/suppress_set.h"
#include "util/fdio.h"

#define SUP_EDIT_FILE_MAX ((off_t)1 << 31)   /* refuse to slurp more than 2 GiB */

/* Take the list as the writer: wait for the leader, then set busy. */
static void
sup_edit_begin(struct suppress_list *l)
{
	(void)pthread_mutex_lock(&l->mu);
	while (l->busy)
		(void)pthread_cond_wait(&l->cv, &l->mu);
	l->busy = true;
}

static void
sup_edit_end(struct suppress_list *l)
{
	l->busy = false;
	(void)pthread_cond_broadcast(&l->cv);
	(void)pthread_mutex_unlock(&l->mu);
}

/* Does the line hold the address a (stored form)?  Blank, comment, header
 * and unparsable lines never do: they are kept. */
static bool
sup_edit_line_is(const struct suppress_list *l, const char *p, const char *end,
                  const char *a, size_t alen)
{
	char raw[SUPPRESS_ADDR_MAX * 2 + 8], key[SUPPRESS_ADDR_MAX + 1];
	size_t n = 0;
	int klen;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end || *p == '#')
		return false;
	if (suppress_line_parse(l->opts.format, p, end, raw, sizeof(raw), &n) != 0)
		return false;
	if ((klen = suppress_line_addr(raw, n, l->opts.fold_local, key)) < 0)
		return false;
	return (size_t)klen == alen && memcmp(key, a, alen) == 0;
}

/* Read the whole file (fd at offset 0 via pread) into a new buffer. */
static char *
sup_edit_slurp(int fd, off_t size)
{
	char *buf = malloc((size_t)size + 1);
	off_t off = 0;

	if (buf == NULL)
		return NULL;
	while (off < size) {
		ssize_t r = pread(fd, buf + off, (size_t)(size - off), off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(buf);
			return NULL;
		}
		off += r;
	}
	return buf;
}

/* Copy every line but a's into fd; *dropped counts the lines left out.  An
 * unterminated last line (a writer died mid-line) is dropped as the loader
 * would cut it. */
static int
sup_edit_copy(const struct suppress_list *l, const char *buf, size_t len,
              const char *a, size_t alen, int fd, size_t *dropped)
{
	const char *p = buf, *end = buf + len, *nl, *keep = buf;

	*dropped = 0;
	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if (sup_edit_line_is(l, p, nl, a, alen)) {
			if (fdio_write_all(fd, keep, (size_t)(p - keep)) < 0)
				return -1;
			keep = nl + 1;
			(*dropped)++;
		}
		p = nl + 1;
	}
	return fdio_write_all(fd, keep, (size_t)(p - keep));
}

/* Put the new file at the path.  The exchange is atomic: if a consumer
 * renamed the list away meanwhile, the path is gone (ENOENT) and the new
 * file is not installed.  Returns 0, 1 when the path no longer named our
 * file (nothing changed), -1 with errno. */
static int
sup_edit_install(const struct suppress_list *l, const char *tmp)
{
	struct stat st;
	int same;

#ifdef RENAME_EXCHANGE
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, l->path, RENAME_EXCHANGE) == 0) {
		/* tmp now names what was at the path: it must be our old file */
		if (lstat(tmp, &st) == 0 && st.st_dev == l->dev && st.st_ino == l->ino)
			return unlink(tmp) == 0 || errno == ENOENT ? 0 : -1;
		(void)renameat2(AT_FDCWD, tmp, AT_FDCWD, l->path, RENAME_EXCHANGE);
		return 1;
	}
	if (errno == ENOENT)
		return 1;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
#endif
	/* no exchange on this file system: check, then rename (a consumer
	 * rename between the two would see its entries again in the new file) */
	if ((same = suppress_file_same(l->path, l->dev, l->ino)) <= 0)
		return same == 0 ? 1 : -1;
	return rename(tmp, l->path) == 0 ? 0 : -1;
}

/* The file part of a removal: busy set, mutex released. */
static int
sup_edit_rewrite(struct suppress_list *l, const char *a, size_t alen,
                 size_t *dropped, char *err, size_t errsz)
{
	char tmp[4096], ebuf[128];
	struct stat st;
	char *buf = NULL;
	int tfd = -1, rc = -1, same;

	*dropped = 0;
	if (snprintf(tmp, sizeof(tmp), "%s.rmXXXXXX", l->path) >= (int)sizeof(tmp)) {
		suppress_err_set(err, errsz, "suppression list %s: path too long", l->path);
		return -1;
	}
	if (suppress_file_lock(l->fd, LOCK_EX) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: flock: %s", l->path,
		                  SUPPRESS_ESTR(errno));
		return -1;
	}
	if ((same = suppress_file_same(l->path, l->dev, l->ino)) <= 0) {
		if (same < 0)
			suppress_err_set(err, errsz, "suppression list %s: %s", l->path,
			                  SUPPRESS_ESTR(errno));
		rc = same == 0 ? 1 : -1;
		goto out;
	}
	if (fstat(l->fd, &st) < 0 || st.st_size > SUP_EDIT_FILE_MAX ||
	    (buf = sup_edit_slurp(l->fd, st.st_size)) == NULL) {
		suppress_err_set(err, errsz, "suppression list %s: reading: %s", l->path,
		                  st.st_size > SUP_EDIT_FILE_MAX ? "file too large" :
		                  SUPPRESS_ESTR(errno));
		goto out;
	}
	if ((tfd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: creating %s: %s", l->path,
		                  tmp, SUPPRESS_ESTR(errno));
		goto out;
	}
	if (fchmod(tfd, st.st_mode & 0777) < 0 ||
	    sup_edit_copy(l, buf, (size_t)st.st_size, a, alen, tfd, dropped) < 0 ||
	    fsync(tfd) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: writing %s: %s", l->path,
		                  tmp, SUPPRESS_ESTR(errno));
		goto out;
	}
	if (*dropped == 0) {
		rc = 0;                 /* the set said listed, the file did not */
		goto out;
	}
	if ((rc = sup_edit_install(l, tmp)) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: replacing: %s", l->path,
		                  SUPPRESS_ESTR(errno));
		goto out;
	}
	if (rc == 0)
		tmp[0] = '\0';          /* installed: nothing to unlink */
	if (rc == 0 && suppress_file_sync_dir(l->path) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: fsync of the directory: %s",
		                  l->path, SUPPRESS_ESTR(errno));
		rc = -1;
	}
out:
	if (tfd >= 0) {
		(void)close(tfd);
		if (tmp[0] != '\0')
			(void)unlink(tmp);
	}
	(void)suppress_file_lock(l->fd, LOCK_UN);
	free(buf);
	return rc;
}

int
suppress_remove(struct suppress_list *l, const char *addr, bool *removed,
                char *err, size_t errsz)
{
	char a[SUPPRESS_ADDR_MAX + 1];
	size_t dropped = 0;
	int alen, rc = 0, same;

	*removed = false;
	if (l == NULL || addr == NULL ||
	    (alen = suppress_line_addr(addr, strnlen(addr, SUPPRESS_ADDR_MAX + 1),
	                               l != NULL && l->opts.fold_local, a)) < 0) {
		suppress_err_set(err, errsz, "not a valid address");
		return -1;
	}
	sup_edit_begin(l);
	for (int tries = 0; tries < 3; tries++) {
		size_t idx;

		if (l->fd < 0 || l->need_reopen ||
		    (same = suppress_file_same(l->path, l->dev, l->ino)) == 0) {
			if ((rc = suppress_list_reopen_locked(l, err, errsz)) < 0)
				break;
		} else if (same < 0) {
			char ebuf[128];

			suppress_err_set(err, errsz, "suppression list %s: %s", l->path,
			                  SUPPRESS_ESTR(errno));
			rc = -1;
			break;
		}
		idx = suppress_set_find(&l->set, a, (size_t)alen,
		                        suppress_set_hash(a, (size_t)alen));
		if (idx == SUPPRESS_SET_NONE) {
			rc = 0;
			break;
		}
		(void)pthread_mutex_unlock(&l->mu);
		rc = sup_edit_rewrite(l, a, (size_t)alen, &dropped, err, errsz);
		(void)pthread_mutex_lock(&l->mu);
		if (rc < 0)
			break;
		if (rc == 1) {          /* renamed away meanwhile: look again */
			l->need_reopen = true;
			rc = 0;
			continue;
		}
		/* the new file, the set reloaded from it (it no longer holds a) */
		if (dropped > 0 && (rc = suppress_list_reopen_locked(l, err, errsz)) == 0)
			*removed = true;
		else if (dropped == 0)
			suppress_set_remove(&l->set, idx);
		break;
	}
	sup_edit_end(l);
	return rc;
}

static int
sup_edit_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

int
suppress_export(struct suppress_list *l, char **out, size_t *len,
                size_t *count, char *err, size_t errsz)
{
	char *buf = NULL, **v = NULL, *p;
	size_t i, n = 0, bytes = 0;
	int rc = -1;

	*out = NULL;
	*len = *count = 0;
	if (l == NULL) {
		suppress_err_set(err, errsz, "suppression list: not open");
		return -1;
	}
	(void)pthread_mutex_lock(&l->mu);
	for (i = 0; i < l->set.cap; i++) {
		const struct suppress_set_slot *sl = &l->set.slots[i];

		if (sl->off != 0 && !(sl->hash & SUPPRESS_SET_PENDING)) {
			n++;
			bytes += (size_t)l->set.arena[sl->off] + 1;
		}
	}
	if (n == 0) {
		rc = 0;
		goto out;
	}
	/* each address NUL-terminated first (to sort), then joined by '\n' */
	if ((buf = malloc(bytes)) == NULL || (v = malloc(n * sizeof(*v))) == NULL)
		goto oom;
	p = buf;
	n = 0;
	for (i = 0; i < l->set.cap; i++) {
		const struct suppress_set_slot *sl = &l->set.slots[i];
		size_t k;

		if (sl->off == 0 || (sl->hash & SUPPRESS_SET_PENDING))
			continue;
		k = l->set.arena[sl->off];
		memcpy(p, l->set.arena + sl->off + 1, k);
		p[k] = '\0';
		v[n++] = p;
		p += k + 1;
	}
	(void)pthread_mutex_unlock(&l->mu);
	qsort(v, n, sizeof(*v), sup_edit_cmp);
	if ((*out = malloc(bytes)) == NULL) {
		suppress_err_set(err, errsz, "suppression list %s: out of memory", l->path);
		free(v);
		free(buf);
		return -1;
	}
	p = *out;
	for (i = 0; i < n; i++) {
		size_t k = strlen(v[i]);

		memcpy(p, v[i], k);
		p[k] = '\n';
		p += k + 1;
	}
	*len = bytes;
	*count = n;
	free(v);
	free(buf);
	return 0;
oom:
	suppress_err_set(err, errsz, "suppression list %s: out of memory", l->path);
out:
	(void)pthread_mutex_unlock(&l->mu);
	free(v);
	free(buf);
	return rc;
}

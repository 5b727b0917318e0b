/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress.c - the durable suppression list: the shared list object, the
 * group-committed append path and reopen on a new inode.
 *
 * Appends queue a request; whichever waiting caller finds no batch in
 * progress becomes the leader, takes the whole queue, writes every new line
 * with one write(2) under flock(2), fsyncs once and wakes everybody (group
 * commit).  The set is only changed by the leader (or by reopen, which waits
 * for the leader), always under the mutex.  Lines: suppress_line.c; set:
 * suppress_set.c; safe open, repair and load: suppress_file.c; format
 * names: suppress_format.c; error text: suppress_err.c.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "suppress/suppress.h"
#include "suppress/suppress_err.h"
#include "suppress/suppress_file.h"
#include "suppress/suppress_line.h"
#include "suppress/suppress_list.h"
#include "suppress/suppress_set.h"

#define SUP_ERR_MAX      512
#define SUP_REOPEN_TRIES 3

/* ------------------------------------------------------------ the list */

enum sup_state { SUP_BAD, SUP_NEW, SUP_WRITE, SUP_DUP, SUP_SKIP };

struct sup_item {
	char addr[SUPPRESS_ADDR_MAX + 1];
	size_t alen;
	uint32_t hash;
	char *line;
	size_t llen;
	enum sup_state state;
};

struct sup_req {
	struct sup_req *next;
	struct sup_item *items;
	size_t n;
	bool done;
	int rc;
	size_t added;
	char err[SUP_ERR_MAX];
};


static void
sup_install(struct suppress_list *l, struct suppress_file *f)
{
	if (l->fd >= 0)
		(void)close(l->fd);
	suppress_set_free(&l->set);
	l->fd = f->fd;
	l->dev = f->dev;
	l->ino = f->ino;
	l->set = f->set;
	l->repaired = f->repaired;
	l->skipped = f->skipped;
	l->need_reopen = false;
}

/* Mutex held and busy set (or not yet shared). */
int
suppress_list_reopen_locked(struct suppress_list *l, char *err, size_t errsz)
{
	struct suppress_file f;

	if (suppress_file_open(l->path, &l->opts, &f, err, errsz) < 0) {
		if (l->fd >= 0)
			(void)close(l->fd);
		l->fd = -1;
		l->need_reopen = true;
		return -1;
	}
	sup_install(l, &f);
	return 0;
}

struct suppress_list *
suppress_open(const char *path, const struct suppress_opts *o, char *err,
              size_t errsz)
{
	struct suppress_list *l;
	struct suppress_file f;

	if (path == NULL || *path == '\0' || o == NULL ||
	    (size_t)o->format >= SUPPRESS_NFORMATS) {
		suppress_err_set(err, errsz, "suppression list: no path or bad format");
		return NULL;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL || (l->path = strdup(path)) == NULL) {
		free(l);
		suppress_err_set(err, errsz, "suppression list %s: out of memory", path);
		return NULL;
	}
	l->opts = *o;
	l->fd = -1;
	if (suppress_file_open(path, o, &f, err, errsz) < 0) {
		free(l->path);
		free(l);
		return NULL;
	}
	if (pthread_mutex_init(&l->mu, NULL) != 0) {
		suppress_err_set(err, errsz, "suppression list %s: mutex init failed", path);
		goto fail;
	}
	if (pthread_cond_init(&l->cv, NULL) != 0) {
		(void)pthread_mutex_destroy(&l->mu);
		suppress_err_set(err, errsz, "suppression list %s: cond init failed", path);
		goto fail;
	}
	sup_install(l, &f);
	l->qtail = &l->qhead;
	return l;
fail:
	suppress_set_free(&f.set);
	(void)close(f.fd);
	free(l->path);
	free(l);
	return NULL;
}

void
suppress_close(struct suppress_list *l)
{
	if (l == NULL)
		return;
	if (l->fd >= 0)
		(void)close(l->fd);
	suppress_set_free(&l->set);
	(void)pthread_cond_destroy(&l->cv);
	(void)pthread_mutex_destroy(&l->mu);
	free(l->wbuf);
	free(l->path);
	free(l);
}

int
suppress_check_path(const char *path, char *err, size_t errsz)
{
	return suppress_file_check(path, err, errsz);
}

bool
suppress_addr_ok(const char *addr)
{
	char a[SUPPRESS_ADDR_MAX + 1];

	return addr != NULL && suppress_line_addr(addr,
	    strnlen(addr, SUPPRESS_ADDR_MAX + 1), false, a) >= 0;
}

bool
suppress_contains(struct suppress_list *l, const char *addr)
{
	char a[SUPPRESS_ADDR_MAX + 1];
	size_t i;
	int n;
	bool yes;
	uint32_t h;

	if (l == NULL || addr == NULL)
		return false;
	if ((n = suppress_line_addr(addr, strnlen(addr, SUPPRESS_ADDR_MAX + 1),
	                            l->opts.fold_local, a)) < 0)
		return false;
	h = suppress_set_hash(a, (size_t)n);
	(void)pthread_mutex_lock(&l->mu);
	i = suppress_set_find(&l->set, a, (size_t)n, h);
	yes = i != (size_t)-1 && !(l->set.slots[i].hash & SUPPRESS_SET_PENDING);
	(void)pthread_mutex_unlock(&l->mu);
	return yes;
}

size_t
suppress_count(struct suppress_list *l)
{
	size_t n;

	if (l == NULL)
		return 0;
	(void)pthread_mutex_lock(&l->mu);
	n = l->set.used - l->set.pending;
	(void)pthread_mutex_unlock(&l->mu);
	return n;
}

/* One size_t member read under the mutex. */
static size_t
sup_read_locked(struct suppress_list *l, const size_t *member)
{
	size_t n;

	(void)pthread_mutex_lock(&l->mu);
	n = *member;
	(void)pthread_mutex_unlock(&l->mu);
	return n;
}

size_t
suppress_repaired_bytes(struct suppress_list *l)
{
	return l == NULL ? 0 : sup_read_locked(l, &l->repaired);
}

size_t
suppress_skipped_lines(struct suppress_list *l)
{
	return l == NULL ? 0 : sup_read_locked(l, &l->skipped);
}

/* ------------------------------------------------------------ batches */

struct sup_batch {
	struct sup_req **reqs;
	size_t nreqs;
	size_t len;                /* bytes in l->wbuf */
};

/* Decide every item against the set (mutex held): SKIP when durable
 * already, WRITE (inserted as pending) for the first copy, DUP for later
 * copies in the same batch.  Fills l->wbuf. */
static int
sup_build(struct suppress_list *l, struct sup_batch *b)
{
	size_t r, i;
	long idx;
	bool existed;

	b->len = 0;
	for (r = 0; r < b->nreqs; r++) {
		struct sup_req *q = b->reqs[r];

		for (i = 0; i < q->n; i++) {
			struct sup_item *it = &q->items[i];

			if (it->state == SUP_BAD)
				continue;
			if (it->llen > l->wcap - b->len) {
				size_t ncap = (l->wcap + it->llen) * 2;
				char *nb = realloc(l->wbuf, ncap);

				if (nb == NULL)
					return -1;
				l->wbuf = nb;
				l->wcap = ncap;
			}
			idx = suppress_set_add(&l->set, it->addr, it->alen, it->hash, true,
			                  &existed);
			if (idx < 0)
				return -1;
			if (existed) {
				it->state = (l->set.slots[idx].hash & SUPPRESS_SET_PENDING) ?
				            SUP_DUP : SUP_SKIP;
				continue;
			}
			memcpy(l->wbuf + b->len, it->line, it->llen);
			b->len += it->llen;
			it->state = SUP_WRITE;
		}
	}
	return 0;
}

/* Commit (ok) or roll back every pending insertion, newest first. */
static void
sup_settle(struct suppress_list *l, struct sup_batch *b, bool ok)
{
	size_t r, i, idx;

	for (r = b->nreqs; r-- > 0;) {
		struct sup_req *q = b->reqs[r];

		for (i = q->n; i-- > 0;) {
			struct sup_item *it = &q->items[i];

			if (it->state != SUP_WRITE)
				continue;
			idx = suppress_set_find(&l->set, it->addr, it->alen, it->hash);
			if (idx == (size_t)-1)
				continue;
			if (ok) {
				l->set.slots[idx].hash &= SUPPRESS_SET_HASH_MASK;
				l->set.pending--;
			} else {
				suppress_set_remove(&l->set, idx);
				it->state = SUP_NEW;
			}
		}
	}
}

struct sup_io {
	bool stale;                /* path names another file now: reopen */
	bool broken;               /* a torn line could not be cut: reopen */
};

/* Write and sync the batch, no mutex held (busy is set). */
static int
sup_write_batch(struct suppress_list *l, const char *buf, size_t len,
                struct sup_io *io, char *err, size_t errsz)
{
	struct stat st;
	char ebuf[128];
	ssize_t w;
	int same, e;

	io->stale = io->broken = false;
	if (suppress_file_lock(l->fd, LOCK_EX) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: flock: %s", l->path,
		        SUPPRESS_ESTR(errno));
		return -1;
	}
	/* under the lock: a consumer that renames, then locks, sees our line */
	if ((same = suppress_file_same(l->path, l->dev, l->ino)) <= 0) {
		if (same < 0)
			suppress_err_set(err, errsz, "suppression list %s: %s", l->path,
			        SUPPRESS_ESTR(errno));
		io->stale = same == 0;
		(void)suppress_file_lock(l->fd, LOCK_UN);
		return -1;
	}
	if (fstat(l->fd, &st) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: fstat: %s", l->path,
		        SUPPRESS_ESTR(errno));
		(void)suppress_file_lock(l->fd, LOCK_UN);
		return -1;
	}
	/* another process died mid-line: cut it before we append after it */
	if (st.st_size > 0) {
		char last;

		if (pread(l->fd, &last, 1, st.st_size - 1) != 1 || last != '\n') {
			io->stale = true;   /* reopen repairs and reloads */
			(void)suppress_file_lock(l->fd, LOCK_UN);
			return -1;
		}
	}
	do
		w = write(l->fd, buf, len);
	while (w < 0 && errno == EINTR);
	if (w != (ssize_t)len) {
		e = errno;
		if (w >= 0)
			suppress_err_set(err, errsz, "suppression list %s: short write (%zd of %zu "
			        "bytes)", l->path, w, len);
		else
			suppress_err_set(err, errsz, "suppression list %s: write: %s", l->path,
			        SUPPRESS_ESTR(e));
		goto undo;
	}
	if (l->opts.fsync && fsync(l->fd) < 0) {
		suppress_err_set(err, errsz, "suppression list %s: fsync: %s", l->path,
		        SUPPRESS_ESTR(errno));
		goto undo;
	}
	(void)suppress_file_lock(l->fd, LOCK_UN);
	return 0;
undo:
	if (ftruncate(l->fd, st.st_size) < 0)
		io->broken = true;
	(void)suppress_file_lock(l->fd, LOCK_UN);
	return -1;
}

/* The leader: mutex held, busy set.  Takes the whole queue. */
static void
sup_run_batch(struct suppress_list *l)
{
	struct sup_batch b = { NULL, 0, 0 };
	struct sup_req *q;
	struct sup_io io;
	char err[SUP_ERR_MAX];
	size_t r, i, n = 0;
	int rc = -1, tries, same = 1;

	err[0] = '\0';
	for (q = l->qhead; q != NULL; q = q->next)
		n++;
	if ((b.reqs = malloc(n * sizeof(*b.reqs))) == NULL) {
		suppress_err_set(err, sizeof(err), "suppression list %s: out of memory", l->path);
	}
	for (q = l->qhead; q != NULL; q = q->next) {
		if (b.reqs != NULL)
			b.reqs[b.nreqs++] = q;
	}
	if (b.reqs == NULL) {
		for (q = l->qhead; q != NULL; q = q->next) {
			q->rc = -1;
			(void)snprintf(q->err, sizeof(q->err), "%s", err);
			q->done = true;
		}
		l->qhead = NULL;
		l->qtail = &l->qhead;
		return;
	}
	l->qhead = NULL;
	l->qtail = &l->qhead;

	for (tries = 0; tries < SUP_REOPEN_TRIES; tries++) {
		if (l->fd < 0 || l->need_reopen ||
		    (same = suppress_file_same(l->path, l->dev, l->ino)) == 0) {
			if (suppress_list_reopen_locked(l, err, sizeof(err)) < 0)
				break;
		} else if (same < 0) {
			char ebuf[128];

			suppress_err_set(err, sizeof(err), "suppression list %s: %s", l->path,
			        SUPPRESS_ESTR(errno));
			break;
		}
		if (sup_build(l, &b) < 0) {
			sup_settle(l, &b, false);
			suppress_err_set(err, sizeof(err), "suppression list %s: out of memory",
			        l->path);
			break;
		}
		if (b.len == 0) {
			rc = 0;
			break;
		}
		(void)pthread_mutex_unlock(&l->mu);
		rc = sup_write_batch(l, l->wbuf, b.len, &io, err, sizeof(err));
		(void)pthread_mutex_lock(&l->mu);
		sup_settle(l, &b, rc == 0);
		if (rc == 0)
			break;
		if (io.broken)
			l->need_reopen = true;
		if (!io.stale)
			break;
		l->need_reopen = true;
		suppress_err_set(err, sizeof(err), "suppression list %s: file keeps changing",
		        l->path);
	}

	for (r = 0; r < b.nreqs; r++) {
		bool depends = false;
		size_t added = 0;

		q = b.reqs[r];
		for (i = 0; i < q->n; i++) {
			if (q->items[i].state == SUP_WRITE)
				added++;
			if (q->items[i].state == SUP_WRITE ||
			    q->items[i].state == SUP_DUP ||
			    q->items[i].state == SUP_NEW)
				depends = true;
		}
		if (rc == 0 || !depends) {
			q->rc = 0;
			q->added = rc == 0 ? added : 0;
		} else {
			q->rc = -1;
			q->added = 0;
			(void)snprintf(q->err, sizeof(q->err), "%s", err);
		}
		q->done = true;
	}
	free(b.reqs);
}

int
suppress_reopen(struct suppress_list *l, char *err, size_t errsz)
{
	int rc;

	if (l == NULL)
		return -1;
	(void)pthread_mutex_lock(&l->mu);
	while (l->busy)
		(void)pthread_cond_wait(&l->cv, &l->mu);
	l->busy = true;
	rc = suppress_list_reopen_locked(l, err, errsz);
	l->busy = false;
	(void)pthread_cond_broadcast(&l->cv);
	(void)pthread_mutex_unlock(&l->mu);
	return rc;
}

/* Validate and format every entry outside the lock. */
static size_t
sup_prepare(struct suppress_list *l, const struct suppress_entry *e, size_t n,
            struct sup_item *items)
{
	char line[SUPPRESS_LINE_MAX];
	time_t now = time(NULL);
	size_t i, bad = 0;
	int alen;

	for (i = 0; i < n; i++) {
		struct sup_item *it = &items[i];

		it->state = SUP_BAD;
		if (e[i].addr == NULL ||
		    (alen = suppress_line_addr(e[i].addr,
		                               strnlen(e[i].addr, SUPPRESS_ADDR_MAX + 1),
		                               l->opts.fold_local, it->addr)) < 0) {
			bad++;
			continue;
		}
		it->alen = (size_t)alen;
		it->hash = suppress_set_hash(it->addr, it->alen);
		it->llen = suppress_line_format(l->opts.format, it->addr, &e[i], now,
		                           line, sizeof(line));
		if (it->llen == 0 || (it->line = malloc(it->llen)) == NULL) {
			bad++;
			continue;
		}
		memcpy(it->line, line, it->llen);
		it->state = SUP_NEW;
	}
	return bad;
}

int
suppress_append(struct suppress_list *l, const struct suppress_entry *e,
                size_t n, size_t *added, char *err, size_t errsz)
{
	struct sup_item *items;
	struct sup_req req;
	struct stat st;
	size_t i, bad;
	bool stat_ok, fast;
	int rc;

	if (added != NULL)
		*added = 0;
	if (l == NULL || (e == NULL && n > 0)) {
		suppress_err_set(err, errsz, "suppression list: bad arguments");
		return -1;
	}
	if (n == 0)
		return 0;
	if ((items = calloc(n, sizeof(*items))) == NULL) {
		suppress_err_set(err, errsz, "suppression list %s: out of memory", l->path);
		return -1;
	}
	bad = sup_prepare(l, e, n, items);
	stat_ok = stat(l->path, &st) == 0;

	memset(&req, 0, sizeof(req));
	req.items = items;
	req.n = n;
	(void)pthread_mutex_lock(&l->mu);
	/* fast path: same file, every address durable already */
	fast = stat_ok && l->fd >= 0 && !l->need_reopen &&
	       st.st_dev == l->dev && st.st_ino == l->ino;
	for (i = 0; fast && i < n; i++) {
		size_t idx;

		if (items[i].state == SUP_BAD)
			continue;
		idx = suppress_set_find(&l->set, items[i].addr, items[i].alen,
		                   items[i].hash);
		if (idx == (size_t)-1 || (l->set.slots[idx].hash & SUPPRESS_SET_PENDING))
			fast = false;
	}
	if (fast) {
		req.rc = 0;
	} else {
		*l->qtail = &req;
		l->qtail = &req.next;
		while (!req.done) {
			if (!l->busy) {
				l->busy = true;
				sup_run_batch(l);
				l->busy = false;
				(void)pthread_cond_broadcast(&l->cv);
			} else {
				(void)pthread_cond_wait(&l->cv, &l->mu);
			}
		}
	}
	(void)pthread_mutex_unlock(&l->mu);

	rc = req.rc;
	if (added != NULL)
		*added = req.added;
	if (rc < 0)
		suppress_err_set(err, errsz, "%s", req.err);
	else if (bad > 0) {
		rc = -1;
		suppress_err_set(err, errsz, "suppression list %s: %zu of %zu addresses refused "
		        "(invalid)", l->path, bad, n);
	}
	for (i = 0; i < n; i++)
		free(items[i].line);
	free(items);
	return rc;
}


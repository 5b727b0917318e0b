/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * eventlog.c - the event log (see eventlog.h): safe open, locked append
 * with the rename protocol, and the JSON line.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "daemon/conf.h"
#include "daemon/eventlog.h"

static pthread_mutex_t ev_mu = PTHREAD_MUTEX_INITIALIZER;
static char *ev_path;          /* NULL: no event log */
static bool ev_fsync;
static int ev_fd = -1;
static dev_t ev_dev;
static ino_t ev_ino;

/* ------------------------------------------------------------------ file */

static int
ev_lock(int fd, int op)
{
	while (flock(fd, op) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

static int
ev_check(const char *path, const struct stat *st, char *err, size_t errsz)
{
	if (!S_ISREG(st->st_mode) || st->st_nlink != 1 ||
	    (st->st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		snprintf(err, errsz, "event log %s: must be a regular file with one link, "
		    "not group- or world-writable", path);
		return -1;
	}
	return 0;
}

/* Open path safely; mutex held.  The old descriptor is closed. */
static int
ev_open_locked(const char *path, char *err, size_t errsz)
{
	struct stat lst, st;
	bool existed = lstat(path, &lst) == 0;
	int fd;

	if (existed && S_ISLNK(lst.st_mode)) {
		snprintf(err, errsz, "event log %s: is a symbolic link", path);
		return -1;
	}
	if (existed && ev_check(path, &lst, err, errsz) < 0)
		return -1;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK,
	    0640);
	if (fd < 0) {
		snprintf(err, errsz, "event log %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || ev_check(path, &st, err, errsz) < 0 ||
	    (existed && (st.st_dev != lst.st_dev || st.st_ino != lst.st_ino))) {
		if (err[0] == '\0')
			snprintf(err, errsz, "event log %s: replaced while being opened", path);
		(void)close(fd);
		return -1;
	}
	(void)fcntl(fd, F_SETFL, O_WRONLY | O_APPEND);
	if (ev_fd >= 0)
		(void)close(ev_fd);
	ev_fd = fd;
	ev_dev = st.st_dev;
	ev_ino = st.st_ino;
	return 0;
}

int
eventlog_configure(const struct bm_config *cfg, char *err, size_t errsz)
{
	const char *path = cfg->ops.eventlog_file;
	char *np = NULL;
	int rc = 0;

	err[0] = '\0';
	pthread_mutex_lock(&ev_mu);
	if (*path == '\0') {
		if (ev_fd >= 0)
			(void)close(ev_fd);
		ev_fd = -1;
		free(ev_path);
		ev_path = NULL;
	} else if ((np = strdup(path)) == NULL) {
		snprintf(err, errsz, "event log %s: out of memory", path);
		rc = -1;
	} else if ((rc = ev_open_locked(path, err, errsz)) == 0) {
		free(ev_path);
		ev_path = np;
		ev_fsync = cfg->ops.eventlog_fsync;
	} else {
		free(np);
	}
	pthread_mutex_unlock(&ev_mu);
	return rc;
}

bool
eventlog_enabled(void)
{
	bool on;

	pthread_mutex_lock(&ev_mu);
	on = ev_path != NULL;
	pthread_mutex_unlock(&ev_mu);
	return on;
}

/* Lock the current file, reopening first when the path names another. */
static int
ev_lock_current(char *err, size_t errsz)
{
	for (int tries = 0; tries < 3; tries++) {
		struct stat st;

		if (ev_fd < 0 && ev_open_locked(ev_path, err, errsz) < 0)
			return -1;
		if (ev_lock(ev_fd, LOCK_EX) < 0) {
			snprintf(err, errsz, "event log %s: flock: %s", ev_path, strerror(errno));
			return -1;
		}
		if (stat(ev_path, &st) == 0 && st.st_dev == ev_dev && st.st_ino == ev_ino)
			return 0;
		(void)ev_lock(ev_fd, LOCK_UN);
		(void)close(ev_fd);
		ev_fd = -1;     /* renamed away by a consumer: start a new file */
	}
	snprintf(err, errsz, "event log %s: file keeps changing", ev_path);
	return -1;
}

int
eventlog_append(const char *lines, size_t len, char *err, size_t errsz)
{
	struct stat st;
	ssize_t w;
	int rc = -1;

	err[0] = '\0';
	pthread_mutex_lock(&ev_mu);
	if (ev_path == NULL || len == 0) {
		pthread_mutex_unlock(&ev_mu);
		return 0;
	}
	if (ev_lock_current(err, errsz) < 0)
		goto out;
	if (fstat(ev_fd, &st) < 0) {
		snprintf(err, errsz, "event log %s: fstat: %s", ev_path, strerror(errno));
		goto unlock;
	}
	do
		w = write(ev_fd, lines, len);
	while (w < 0 && errno == EINTR);
	if (w != (ssize_t)len) {
		snprintf(err, errsz, "event log %s: %s", ev_path,
		    w < 0 ? strerror(errno) : "short write");
		if (ftruncate(ev_fd, st.st_size) < 0) {
			/* a torn line stays; a reader skips lines that do not parse */
		}
		goto unlock;
	}
	if (ev_fsync && fsync(ev_fd) < 0) {
		snprintf(err, errsz, "event log %s: fsync: %s", ev_path, strerror(errno));
		if (ftruncate(ev_fd, st.st_size) < 0) {
			/* as above */
		}
		goto unlock;
	}
	rc = 0;
unlock:
	(void)ev_lock(ev_fd, LOCK_UN);
out:
	pthread_mutex_unlock(&ev_mu);
	return rc;
}

/* ------------------------------------------------------------------ JSON */

/* Length of a valid UTF-8 sequence at p (at most n octets), 0 if invalid. */
static size_t
ev_utf8(const unsigned char *p, size_t n)
{
	size_t need;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need;
}

static void
ev_str(struct buf *b, const char *key, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	size_t n = strnlen((const char *)p, max), i = 0;

	(void)buf_printf(b, ",\"%s\":\"", key);
	while (i < n) {
		size_t k = ev_utf8(p + i, n - i);

		if (k == 0) {
			(void)buf_append(b, "\xef\xbf\xbd", 3);
			i++;
		} else if (k > 1) {
			(void)buf_append(b, p + i, k);
			i += k;
		} else if (p[i] == '"' || p[i] == '\\') {
			(void)buf_putc(b, '\\');
			(void)buf_putc(b, (char)p[i++]);
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			(void)buf_printf(b, "\\u%04x", p[i++]);
		} else {
			(void)buf_putc(b, (char)p[i++]);
		}
	}
	(void)buf_putc(b, '"');
}

int
eventlog_format(struct buf *b, const struct eventlog_event *ev)
{
	char when[32];
	struct tm tm;

	if (gmtime_r(&ev->when, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(when, sizeof when, "1970-01-01T00:00:00Z");
	(void)buf_printf(b, "{\"time\":\"%s\"", when);
	ev_str(b, "queue_id", ev->queue_id, 64);
	ev_str(b, "kind", ev->kind, 32);
	ev_str(b, "class", ev->cls, 32);
	ev_str(b, "reason", ev->reason, 64);
	ev_str(b, "status", ev->status, 16);
	ev_str(b, "action", ev->action, 64);
	ev_str(b, "recipient", ev->recipient, 320);
	ev_str(b, "original_recipient", ev->original_recipient, 320);
	ev_str(b, "reporting_mta", ev->reporting_mta, 256);
	ev_str(b, "origin_spf", ev->spf, 32);
	(void)buf_printf(b, ",\"origin_trusted\":%s,\"listed\":%s",
	    ev->trusted ? "true" : "false", ev->listed ? "true" : "false");
	ev_str(b, "why", ev->why, 64);
	ev_str(b, "message_id", ev->message_id, EVENTLOG_HDR_MAX);
	ev_str(b, "list_id", ev->list_id, EVENTLOG_HDR_MAX);
	ev_str(b, "diagnostic", ev->diagnostic, EVENTLOG_DIAG_MAX);
	(void)buf_append(b, "}\n", 2);
	return b->truncated ? -1 : 0;
}

/* ------------------------------------------------------------------ original headers */


/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * control.c - the control socket server (see control.h): socket set-up,
 * the poll loop with its caps, and the commands.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>

#include <errno.h>
#include <stdarg.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "classify/addr.h"
#include "classify/record.h"
#include "control/ctlproto.h"
#include "daemon/action.h"
#include "daemon/allowlist.h"
#include "daemon/conf.h"
#include "daemon/control.h"
#include "daemon/stats.h"
#include "suppress/suppress.h"
#include "util/log.h"

#define CTL_CLIENTS_MAX  64          /* the config's cap is at most this */
#define CTL_IDLE_SECONDS 60
#define CTL_SEND_TIMEOUT 10
#define CTL_OUT_MAX      (512u << 20)  /* an export of ~10M addresses */

struct ctl_client {
	int fd;
	size_t len;
	time_t last;
	char in[CTLPROTO_LINE_MAX + 2];
};

static int ctl_fd = -1;
static uid_t ctl_uid;
static control_reload_fn ctl_reload;

/* ------------------------------------------------------------------ set-up */

int
control_open(const char *path, uid_t uid, gid_t gid, bool give, char *err,
             size_t errsz)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;
	int fd;

	if (strlen(path) >= sizeof sa.sun_path) {
		snprintf(err, errsz, "control socket %s: path too long", path);
		return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errsz, "control socket %s: exists and is not a socket", path);
			return -1;
		}
		/* a socket someone answers on belongs to a running daemon */
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0) {
			int in_use = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;

			(void)close(fd);
			if (in_use) {
				snprintf(err, errsz, "control socket %s: in use (another bounce-milter "
				    "running?)", path);
				return -1;
			}
		}
		if (unlink(path) != 0) {
			snprintf(err, errsz, "control socket %s: removing the stale socket: %s",
			    path, strerror(errno));
			return -1;
		}
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(err, errsz, "control socket: %s", strerror(errno));
		return -1;
	}
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		(void)umask(old);
		snprintf(err, errsz, "control socket %s: bind: %s", path, strerror(errno));
		(void)close(fd);
		return -1;
	}
	(void)umask(old);
	if (chmod(path, 0600) != 0 || (give && chown(path, uid, gid) != 0) ||
	    listen(fd, 16) != 0) {
		snprintf(err, errsz, "control socket %s: %s", path, strerror(errno));
		(void)close(fd);
		(void)unlink(path);
		return -1;
	}
	ctl_fd = fd;
	ctl_uid = give ? uid : geteuid();
	return 0;
}

/* ------------------------------------------------------------------ commands */

static void
ctl_ok(struct buf *out, const struct buf *data, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
ctl_ok(struct buf *out, const struct buf *data, const char *fmt, ...)
{
	char text[512];
	size_t n = 0;
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	for (size_t i = 0; data != NULL && i < data->len; i++)
		n += data->data[i] == '\n';
	(void)buf_printf(out, "OK %zu %s\n", n, text);
	if (data != NULL && data->len > 0)
		(void)buf_append(out, data->data, data->len);
}

static void
ctl_err(struct buf *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
ctl_err(struct buf *out, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	for (char *p = text; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	(void)buf_printf(out, "ERR %s\n", text);
}

/* The address as the milter would list it (addr_normalise, as for a
 * bounced recipient); -1 if it is not one. */
static int
ctl_addr(const char *in, const struct bm_config *cfg, char *out, size_t outsz)
{
	return addr_normalise(in, strlen(in), out, outsz, cfg->suppress.fold_local);
}

static void
ctl_list(const struct ctlproto_req *req, const struct bm_config *cfg,
         struct suppress_list *l, struct buf *out)
{
	char a[BM_ADDR_MAX], err[512] = "";
	struct buf data;
	bool removed;
	size_t added = 0;

	if (l == NULL) {
		ctl_err(out, "the suppression list is not open");
		return;
	}
	if ((req->cmd == CTLPROTO_LIST_QUERY || req->cmd == CTLPROTO_LIST_ADD ||
	    req->cmd == CTLPROTO_LIST_REMOVE) && ctl_addr(req->addr, cfg, a, sizeof a) != 0) {
		ctl_err(out, "not a valid address: %.300s", req->addr);
		return;
	}
	switch (req->cmd) {
	case CTLPROTO_LIST_QUERY:
		ctl_ok(out, NULL, "%s %s", suppress_contains(l, a) ? "listed" : "not-listed", a);
		return;
	case CTLPROTO_LIST_COUNT:
		buf_init(&data, 64);
		(void)buf_printf(&data, "%zu\n", suppress_count(l));
		ctl_ok(out, &data, "count");
		buf_free(&data);
		return;
	case CTLPROTO_LIST_ADD: {
		struct suppress_entry e = {
			.addr = a, .status = "", .reporting_mta = "", .queue_id = "control",
			.reason = req->reason[0] != '\0' ? req->reason : "manual",
		};

		if (allowlist_match(cfg->ops.allowlist, a)) {
			ctl_err(out, "%s matches the allowlist: not listed", a);
			return;
		}
		if (suppress_append(l, &e, 1, &added, err, sizeof err) != 0) {
			stats_inc(STATS_LIST_WRITE_ERRORS);
			ctl_err(out, "%s", err);
			return;
		}
		if (added > 0) {
			stats_inc(STATS_LISTED);
			log_msg(LOG_INFO, "control: list add rcpt=<%s> reason=%s", a, e.reason);
		}
		ctl_ok(out, NULL, "%s %s", added > 0 ? "added" : "already-listed", a);
		return;
	}
	case CTLPROTO_LIST_REMOVE:
		if (suppress_remove(l, a, &removed, err, sizeof err) != 0) {
			ctl_err(out, "%s", err);
			return;
		}
		if (removed)
			log_msg(LOG_INFO, "control: list remove rcpt=<%s>", a);
		ctl_ok(out, NULL, removed ? "removed %s" : "not-listed %s (nothing to remove)", a);
		return;
	case CTLPROTO_LIST_EXPORT: {
		char *all;
		size_t len, n;

		if (suppress_export(l, &all, &len, &n, err, sizeof err) != 0) {
			ctl_err(out, "%s", err);
			return;
		}
		(void)buf_printf(out, "OK %zu export\n", n);
		if (len > 0 && buf_append(out, all, len) != 0) {
			buf_reset(out);
			ctl_err(out, "export larger than %u bytes", CTL_OUT_MAX);
		}
		free(all);
		return;
	}
	default:
		ctl_err(out, "not a list command");
		return;
	}
}

void
control_execute(const struct ctlproto_req *req, struct buf *out)
{
	struct bm_config *cfg;
	struct buf data;
	char msg[512];

	switch (req->cmd) {
	case CTLPROTO_STATS:
	case CTLPROTO_STATS_PROM:
		buf_init(&data, 1u << 20);
		if (stats_render(&data, req->cmd == CTLPROTO_STATS_PROM) != 0)
			ctl_err(out, "stats: output too large");
		else
			ctl_ok(out, &data, "stats");
		buf_free(&data);
		return;
	case CTLPROTO_HELP:
		buf_init(&data, 4096);
		for (size_t i = 0; ctlproto_help[i] != NULL; i++)
			(void)buf_printf(&data, "%s\n", ctlproto_help[i]);
		ctl_ok(out, &data, "commands");
		buf_free(&data);
		return;
	case CTLPROTO_RELOAD:
		if (ctl_reload == NULL) {
			ctl_err(out, "reload is not available");
			return;
		}
		msg[0] = '\0';
		if (ctl_reload(msg, sizeof msg) == 0)
			ctl_ok(out, NULL, "%s", msg);
		else
			ctl_err(out, "%s", msg);
		return;
	default:
		break;
	}
	if ((cfg = conf_get()) == NULL) {
		ctl_err(out, "no configuration loaded");
		return;
	}
	ctl_list(req, cfg, action_list_hold(), out);
	action_list_release();
	conf_put(cfg);
}

/* ------------------------------------------------------------------ server */

static int
ctl_send(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A token bucket shared by every client: rate per second, burst = rate. */
static bool
ctl_take_token(unsigned rate)
{
	static double tokens = -1;
	static struct timespec last;
	struct timespec now;
	double dt;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	if (tokens < 0) {
		tokens = rate;
		last = now;
	}
	dt = (double)(now.tv_sec - last.tv_sec) + (double)(now.tv_nsec - last.tv_nsec) / 1e9;
	last = now;
	tokens += dt * rate;
	if (tokens > rate)
		tokens = rate;
	if (tokens < 1.0)
		return false;
	tokens -= 1.0;
	return true;
}

/* Answer and hang up.  A unix socket closed with unread input makes the
 * peer's read fail (ECONNRESET) before it sees our answer, so first say we
 * are done writing and read away what the client sent (at most 100 ms). */
static void
ctl_refuse(int fd, const char *msg)
{
	char sink[4096];
	struct pollfd pf = { fd, POLLIN, 0 };
	struct timespec t0, t1;

	(void)ctl_send(fd, msg, strlen(msg));
	(void)shutdown(fd, SHUT_WR);
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		long ms;

		(void)clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = 100 - ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (ms <= 0 || poll(&pf, 1, (int)ms) <= 0 ||
		    recv(fd, sink, sizeof sink, MSG_DONTWAIT) <= 0)
			break;
	}
	(void)close(fd);
}

static void
ctl_close(struct ctl_client *c)
{
	if (c->fd >= 0)
		(void)close(c->fd);
	c->fd = -1;
	c->len = 0;
}

/* Answer one request line; -1 when the client must be closed. */
static int
ctl_request(struct ctl_client *c, const char *line, size_t len, unsigned rate)
{
	struct ctlproto_req req;
	struct buf out;
	char err[128];
	int rc;

	stats_inc(STATS_CONTROL_REQUESTS);
	buf_init(&out, CTL_OUT_MAX);
	if (!ctl_take_token(rate))
		ctl_err(&out, "busy: more than %u requests per second", rate);
	else if (ctlproto_parse(line, len, &req, err, sizeof err) != 0)
		ctl_err(&out, "%s", err);
	else
		control_execute(&req, &out);
	rc = ctl_send(c->fd, out.data != NULL ? out.data : "", out.len);
	buf_free(&out);
	return rc;
}

/* Read what is there and answer every complete line. */
static void
ctl_readable(struct ctl_client *c, unsigned rate)
{
	ssize_t r = recv(c->fd, c->in + c->len, sizeof c->in - c->len, 0);
	char *nl;

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0) {
		ctl_close(c);
		return;
	}
	c->len += (size_t)r;
	c->last = time(NULL);
	while (c->fd >= 0 && (nl = memchr(c->in, '\n', c->len)) != NULL) {
		size_t n = (size_t)(nl - c->in);

		if (ctl_request(c, c->in, n, rate) != 0) {
			ctl_close(c);
			return;
		}
		memmove(c->in, nl + 1, c->len - n - 1);
		c->len -= n + 1;
	}
	if (c->len == sizeof c->in) {
		ctl_refuse(c->fd, "ERR request too long\n");
		c->fd = -1;
		c->len = 0;
	}
}

static bool
ctl_peer_ok(int fd)
{
	struct ucred cr;
	socklen_t n = sizeof cr;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &n) != 0)
		return false;
	return cr.uid == 0 || cr.uid == ctl_uid || cr.uid == geteuid();
}

static void
ctl_accept(struct ctl_client *cl, unsigned maxc)
{
	struct timeval tv = { CTL_SEND_TIMEOUT, 0 };
	int fd = accept4(ctl_fd, NULL, NULL, SOCK_CLOEXEC);
	unsigned i, used = 0;

	if (fd < 0)
		return;
	if (!ctl_peer_ok(fd)) {
		log_msg(LOG_WARNING, "control: refused a peer that is neither root nor the daemon's user");
		ctl_refuse(fd, "ERR permission denied\n");
		return;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		used += cl[i].fd >= 0;
	for (i = 0; i < CTL_CLIENTS_MAX && used < maxc; i++) {
		if (cl[i].fd < 0) {
			cl[i].fd = fd;
			cl[i].len = 0;
			cl[i].last = time(NULL);
			return;
		}
	}
	ctl_refuse(fd, "ERR too many clients\n");
}

static void *
ctl_thread(void *arg)
{
	static struct ctl_client cl[CTL_CLIENTS_MAX];
	struct pollfd pf[CTL_CLIENTS_MAX + 1];
	int map[CTL_CLIENTS_MAX + 1];

	(void)arg;
	for (unsigned i = 0; i < CTL_CLIENTS_MAX; i++)
		cl[i].fd = -1;
	for (;;) {
		struct bm_config *cfg = conf_get();
		unsigned maxc = cfg != NULL ? cfg->ops.control_max_clients : 8;
		unsigned rate = cfg != NULL ? cfg->ops.control_rate : 50;
		nfds_t n = 1;
		time_t now = time(NULL);

		conf_put(cfg);
		pf[0].fd = ctl_fd;
		pf[0].events = POLLIN;
		for (int i = 0; i < CTL_CLIENTS_MAX; i++) {
			if (cl[i].fd < 0)
				continue;
			if (now - cl[i].last > CTL_IDLE_SECONDS) {
				ctl_close(&cl[i]);
				continue;
			}
			pf[n].fd = cl[i].fd;
			pf[n].events = POLLIN;
			map[n++] = i;
		}
		if (poll(pf, n, 1000) <= 0)
			continue;
		for (nfds_t k = 1; k < n; k++)
			if (pf[k].revents != 0)
				ctl_readable(&cl[map[k]], rate);
		if (pf[0].revents & POLLIN)
			ctl_accept(cl, maxc);
	}
	return NULL;
}

int
control_start(control_reload_fn reload, char *err, size_t errsz)
{
	pthread_t t;
	int rc;

	if (ctl_fd < 0)
		return 0;
	ctl_reload = reload;
	if ((rc = pthread_create(&t, NULL, ctl_thread, NULL)) != 0) {
		snprintf(err, errsz, "cannot start the control thread: %s", strerror(rc));
		return -1;
	}
	(void)pthread_detach(t);
	return 0;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * main.c - bounce-milter: options, configuration, logging, socket, privilege
 * drop, signals, smfi_main.
 *
 * Start-up order (libmilter-notes section 10): load and check the config,
 * open the log (syslog, or stderr only with -f), block SIGUSR1/HUP/TERM/INT
 * before any thread exists, set the connection, register, open the socket (removing a stale UNIX socket), set
 * its mode and owner, set TCP_NODELAY on a TCP listener, drop privileges,
 * open the suppression list, detach unless -f, start the SPF module and the
 * SIGUSR1 reload thread, then smfi_main.  libmilter's own signal thread owns
 * HUP and TERM (orderly stop) and INT (abort).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <libmilter/mfapi.h>

#include "daemon/action.h"
#include "daemon/conf.h"
#include "daemon/control.h"
#include "daemon/escalate.h"
#include "daemon/eventlog.h"
#include "daemon/listener.h"
#include "util/log.h"
#include "daemon/milter.h"
#include "daemon/privs.h"
#include "daemon/sink_pg.h"
#include "daemon/stats.h"
#include "daemon/summary.h"
#include "trust/spf.h"

#ifndef BM_SYSCONFDIR
#define BM_SYSCONFDIR "/etc"
#endif
#define MAIN_DEFAULT_CONF BM_SYSCONFDIR "/bounce-milter.conf"
#define MAIN_ERRS 8192

static const char *main_conf_path = MAIN_DEFAULT_CONF;
static const char *main_socket_arg;      /* -p */
static bool main_foreground;

/* Each session's message buffer grows by realloc up to max_message_bytes.
 * glibc raises its mmap threshold after the first large free, so later
 * buffers come from the per-thread heaps: each growth copies, the old
 * chunk stays resident, and 256 held 1 MiB messages cost ~330 MB.  With
 * the threshold fixed, large buffers are mapped, grow in place with
 * mremap, and only their touched pages count (~275 MB).  256 KiB keeps
 * the per-message parse structures (~210 KiB) on the heap: mapping them
 * costs page faults on every message (p50 latency +140 us).  A fixed
 * mmap threshold also fixes the trim threshold at 128 KiB, which gives
 * the heap top back after every message; 32 MiB keeps it.  Failure
 * leaves glibc's defaults: more memory, same behaviour.  Other libcs keep
 * their own policy. */
static void
main_malloc_tune(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
	(void)mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	(void)mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
#endif
}

static void
main_usage(FILE *f)
{
	fprintf(f,
	    "usage: bounce-milter [-f] [-c FILE] [-p SOCKET]\n"
	    "       bounce-milter -t [-c FILE]\n"
	    "       bounce-milter -V | -h\n"
	    "  -f         stay in the foreground and log to stderr only (not syslog)\n"
	    "  -c FILE    configuration file (default %s)\n"
	    "  -p SOCKET  listen on SOCKET (inet:PORT@HOST, inet6:PORT@HOST, unix:/PATH),\n"
	    "             overriding \"socket\" in the configuration\n"
	    "  -t         check the configuration and exit (0 if it is good)\n"
	    "  -V         print the version and exit\n"
	    "  -h         print this help and exit\n", MAIN_DEFAULT_CONF);
}

/* Print "file:line: ..." lines to stderr and/or syslog. */
static void
main_report(const char *errs, bool to_syslog)
{
	char line[1024];
	const char *p = errs, *nl;

	while (p != NULL && *p != '\0') {
		size_t len;

		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		snprintf(line, sizeof line, "%.*s", (int)len, p);
		if (to_syslog)
			log_msg(LOG_ERR, "%s", line);
		else
			fprintf(stderr, "%s\n", line);
		p = nl != NULL ? nl + 1 : NULL;
	}
}

static const char *
main_unix_path(const char *sock)
{
	if (strncmp(sock, "unix:", 5) == 0)
		return sock + 5;
	if (strncmp(sock, "local:", 6) == 0)
		return sock + 6;
	return NULL;
}

static int
main_socket_setup(const struct bm_config *cfg, const char *sock)
{
	const char *path = main_unix_path(sock);
	char err[256];
	uid_t uid;
	gid_t gid;

	if (path == NULL)
		return 0;
	if (chmod(path, (mode_t)cfg->socket_mode) != 0) {
		log_msg(LOG_ERR, "chmod %s: %s", path, strerror(errno));
		return -1;
	}
	if (geteuid() == 0 && cfg->user[0] != '\0') {
		if (privs_lookup(cfg->user, &uid, &gid, err, sizeof err) != 0) {
			log_msg(LOG_ERR, "%s", err);
			return -1;
		}
		if (chown(path, uid, gid) != 0) {
			log_msg(LOG_ERR, "chown %s: %s", path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ reload */

/* SIGUSR1 and the control socket's "reload"; one at a time.  0 or -1,
 * with the result in msg (also logged). */
static pthread_mutex_t main_reload_lock = PTHREAD_MUTEX_INITIALIZER;

static int
main_reload_locked(char *msg, size_t msgsz)
{
	char *errs = malloc(MAIN_ERRS), err[256];
	struct bm_config *nc, *cur;

	if (errs == NULL) {
		snprintf(msg, msgsz, "reload: out of memory");
		log_msg(LOG_ERR, "%s", msg);
		return -1;
	}
	cur = conf_get();
	nc = conf_load_reuse(main_conf_path, cur, errs, MAIN_ERRS);
	if (nc == NULL) {
		main_report(errs, true);
		snprintf(msg, msgsz, "reload: %s has errors; keeping the running "
		    "configuration (%.*s)", main_conf_path, (int)strcspn(errs, "\n"), errs);
		log_msg(LOG_ERR, "%s", msg);
		free(errs);
		conf_put(cur);
		return -1;
	}
	free(errs);
	if (cur != NULL) {
		if (main_socket_arg == NULL && strcmp(cur->socket, nc->socket) != 0)
			log_msg(LOG_WARNING, "reload: socket changed; this takes a restart");
		if (strcmp(cur->user, nc->user) != 0)
			log_msg(LOG_WARNING, "reload: user changed; this takes a restart");
		if (strcmp(cur->pg_conninfo_file, nc->pg_conninfo_file) != 0 ||
		    strcmp(cur->pg_table, nc->pg_table) != 0 ||
		    strcmp(cur->pg_host, nc->pg_host) != 0 ||
		    strcmp(cur->pg_position_file, nc->pg_position_file) != 0 ||
		    strcmp(cur->pg_events_table, nc->pg_events_table) != 0 ||
		    cur->pg_batch != nc->pg_batch || cur->pg_retry_max_s != nc->pg_retry_max_s)
			log_msg(LOG_WARNING, "reload: pgsql settings changed; this takes a restart");
		if (strcmp(cur->ops.control_socket, nc->ops.control_socket) != 0)
			log_msg(LOG_WARNING, "reload: control.socket changed; this takes a restart");
		conf_put(cur);
	}
	/* before the list: a failure here leaves all of the old in place */
	if (eventlog_configure(nc, err, sizeof err) != 0 ||
	    escalate_configure(nc, err, sizeof err) != 0) {
		snprintf(msg, msgsz, "reload: %s; keeping the running configuration", err);
		log_msg(LOG_ERR, "%s", msg);
		conf_free(nc);
		return -1;
	}
	if (action_list_open(nc, err, sizeof err) != 0) {
		snprintf(msg, msgsz, "reload: suppression list %s: %s; keeping the running "
		    "configuration", nc->suppress_file, err);
		log_msg(LOG_ERR, "%s", msg);
		conf_free(nc);
		return -1;
	}
	log_open(nc->syslog_ident, nc->syslog_facility, main_foreground);
	snprintf(msg, msgsz, "configuration reloaded from %s, suppression list %s reopened",
	    main_conf_path, nc->suppress_file);
	conf_install(nc);
	log_msg(LOG_INFO, "%s", msg);
	return 0;
}

static int
main_reload(char *msg, size_t msgsz)
{
	int rc;

	pthread_mutex_lock(&main_reload_lock);
	rc = main_reload_locked(msg, msgsz);
	pthread_mutex_unlock(&main_reload_lock);
	return rc;
}

static void *
main_reload_thread(void *arg)
{
	sigset_t set;
	int sig;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGUSR1) {
			char msg[512];

			(void)main_reload(msg, sizeof msg);
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------ pgsql */

/* Start shipping the list to PostgreSQL, if configured (sink_pg.h). */
static int
main_pgsql_start(const struct bm_config *cfg, char *conninfo)
{
	struct sink_pg_opts o = { 0 };
	char host[256], pos[PATH_MAX], evpos[PATH_MAX], err[512];
	int rc;

	if (cfg->pg_host[0] != '\0') {
		snprintf(host, sizeof host, "%s", cfg->pg_host);
	} else if (gethostname(host, sizeof host) != 0) {
		snprintf(host, sizeof host, "unknown");
	}
	host[sizeof host - 1] = '\0';
	if (cfg->pg_position_file[0] != '\0')
		rc = snprintf(pos, sizeof pos, "%s", cfg->pg_position_file);
	else
		rc = snprintf(pos, sizeof pos, "%s.pgsql-position", cfg->suppress_file);
	if (rc < 0 || (size_t)rc >= sizeof pos) {
		log_msg(LOG_ERR, "pgsql: position file path too long");
		return -1;
	}
	o.conninfo = conninfo;
	o.table = cfg->pg_table;
	o.host = host;
	o.list = cfg->suppress_file;
	o.position = pos;
	o.format = cfg->suppress.format;
	o.fold_local = cfg->suppress.fold_local;
	o.batch = cfg->pg_batch;
	o.retry_max_s = cfg->pg_retry_max_s;
	o.poll_ms = 200;
	if (cfg->ops.eventlog_file[0] != '\0' && cfg->pg_events_table[0] != '\0') {
		rc = snprintf(evpos, sizeof evpos, "%s.pgsql-position", cfg->ops.eventlog_file);
		if (rc < 0 || (size_t)rc >= sizeof evpos) {
			log_msg(LOG_ERR, "pgsql: event log position file path too long");
			return -1;
		}
		o.events = cfg->ops.eventlog_file;
		o.events_position = evpos;
		o.events_table = cfg->pg_events_table;
	}
	rc = sink_pg_start(&o, err, sizeof err);
	memset(conninfo, 0, strlen(conninfo));   /* the thread keeps its copy */
	free(conninfo);
	if (rc != 0) {
		log_msg(LOG_ERR, "%s", err);
		return -1;
	}
	log_msg(LOG_INFO, "pgsql: shipping %s to table %s as host %s (position %s)",
	    cfg->suppress_file, cfg->pg_table, host, pos);
	if (o.events != NULL)
		log_msg(LOG_INFO, "pgsql: shipping the event log %s to table %s",
		    o.events, o.events_table);
	return 0;
}

/* ------------------------------------------------------------------ main */

static int
main_check(void)
{
	char *errs = malloc(MAIN_ERRS);
	struct bm_config *c;

	if (errs == NULL) {
		fprintf(stderr, "bounce-milter: out of memory\n");
		return 1;
	}
	c = conf_load(main_conf_path, errs, MAIN_ERRS);
	if (c == NULL) {
		main_report(errs, false);
		free(errs);
		return 1;
	}
	printf("%s: configuration OK\n", main_conf_path);
	conf_free(c);
	free(errs);
	return 0;
}

int
main(int argc, char **argv)
{
	struct bm_config *cfg;
	char *errs, err[256], *pg_conninfo = NULL;
	const char *sock;
	sigset_t set;
	pthread_t reload;
	bool check = false;
	int ch, rc;

	main_malloc_tune();
	while ((ch = getopt(argc, argv, "fc:p:tVh")) != -1) {
		switch (ch) {
		case 'f':
			main_foreground = true;
			break;
		case 'c':
			main_conf_path = optarg;
			break;
		case 'p':
			main_socket_arg = optarg;
			break;
		case 't':
			check = true;
			break;
		case 'V':
			printf("bounce-milter %s\n", PACKAGE_VERSION);
			return 0;
		case 'h':
			main_usage(stdout);
			return 0;
		default:
			main_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		main_usage(stderr);
		return 2;
	}
	if (check)
		return main_check();
	/* reloads run after daemon() changed to "/": keep an absolute path */
	if (main_conf_path[0] != '/') {
		static char abs[PATH_MAX];

		if (realpath(main_conf_path, abs) == NULL) {
			fprintf(stderr, "bounce-milter: %s: %s\n", main_conf_path, strerror(errno));
			return 1;
		}
		main_conf_path = abs;
	}

	if ((errs = malloc(MAIN_ERRS)) == NULL) {
		fprintf(stderr, "bounce-milter: out of memory\n");
		return 1;
	}
	cfg = conf_load(main_conf_path, errs, MAIN_ERRS);
	if (cfg == NULL) {
		main_report(errs, false);
		free(errs);
		return 1;
	}
	free(errs);
	log_open(cfg->syslog_ident, cfg->syslog_facility, main_foreground);

	/* before any thread: only the intended sigwait threads see these */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if ((rc = pthread_sigmask(SIG_BLOCK, &set, NULL)) != 0) {
		log_msg(LOG_ERR, "pthread_sigmask: %s", strerror(rc));
		return 1;
	}

	sock = main_socket_arg != NULL ? main_socket_arg : cfg->socket;
	if (smfi_setconn((char *)sock) != MI_SUCCESS) {
		log_msg(LOG_ERR, "bad socket \"%s\"", sock);
		return 1;
	}
	if (smfi_register(*milter_desc()) != MI_SUCCESS) {
		log_msg(LOG_ERR, "smfi_register failed");
		return 1;
	}
	umask(0777 & ~(mode_t)cfg->socket_mode);
	if (smfi_opensocket(true) != MI_SUCCESS) {
		log_msg(LOG_ERR, "cannot open socket %s (in use, or no permission?)", sock);
		return 1;
	}
	umask(022);
	if (main_socket_setup(cfg, sock) != 0)
		return 1;
	if (listener_nodelay(err, sizeof err) < 0)
		log_msg(LOG_WARNING, "%s", err);

	/* read as root: the file may be readable by no one else */
	if (cfg->pg_conninfo_file[0] != '\0' &&
	    (pg_conninfo = sink_pg_read_conninfo(cfg->pg_conninfo_file, err, sizeof err)) == NULL) {
		log_msg(LOG_ERR, "%s", err);
		return 1;
	}
	if (cfg->ops.control_socket[0] != '\0') {
		uid_t uid = 0;
		gid_t gid = 0;
		bool give = geteuid() == 0 && cfg->user[0] != '\0';

		if (give && privs_lookup(cfg->user, &uid, &gid, err, sizeof err) != 0) {
			log_msg(LOG_ERR, "%s", err);
			return 1;
		}
		if (control_open(cfg->ops.control_socket, uid, gid, give, err, sizeof err) != 0) {
			log_msg(LOG_ERR, "%s", err);
			return 1;
		}
	}
	if (privs_drop(cfg->user, err, sizeof err) != 0) {
		log_msg(LOG_ERR, "%s", err);
		return 1;
	}
	if (action_init() != 0) {
		log_msg(LOG_ERR, "out of memory");
		return 1;
	}
	if (action_list_open(cfg, err, sizeof err) != 0) {
		log_msg(LOG_ERR, "suppression list %s: %s", cfg->suppress_file, err);
		return 1;
	}
	if (eventlog_configure(cfg, err, sizeof err) != 0 ||
	    escalate_configure(cfg, err, sizeof err) != 0) {
		log_msg(LOG_ERR, "%s", err);
		return 1;
	}
	if (!main_foreground && daemon(0, 0) != 0) {
		log_msg(LOG_ERR, "daemon: %s", strerror(errno));
		return 1;
	}
	if (spf_init(err, sizeof err) != 0) {
		log_msg(LOG_ERR, "SPF: %s", err);
		return 1;
	}
	if (pg_conninfo != NULL && main_pgsql_start(cfg, pg_conninfo) != 0)
		return 1;
	stats_init();
	conf_install(cfg);
	if (control_start(main_reload, err, sizeof err) != 0 ||
	    summary_start(err, sizeof err) != 0) {
		log_msg(LOG_ERR, "%s", err);
		return 1;
	}
	if ((rc = pthread_create(&reload, NULL, main_reload_thread, NULL)) != 0) {
		log_msg(LOG_ERR, "cannot start the reload thread: %s", strerror(rc));
		return 1;
	}
	(void)pthread_detach(reload);

	log_msg(LOG_INFO, "starting bounce-milter %s on %s (config %s, list %s)",
	    PACKAGE_VERSION, sock, main_conf_path, cfg->suppress_file);
	rc = smfi_main();
	/* connections may still be running (smfi_main does not wait for them):
	 * leave the list and SPF state to process exit rather than free them
	 * under a callback; every list write is already durable */
	log_msg(LOG_INFO, "stopping");
	sink_pg_stop();   /* after its batch: the position stays right */
	return rc == MI_SUCCESS ? 0 : 1;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * conf.h - the daemon's configuration: libconfuse file -> immutable struct.
 *
 * conf_load() parses the file (libconfuse lives only in conf*.c), checks
 * every value and every path (the list's directory must exist and be
 * writable by the run-time user), and returns a complete, immutable
 * struct bm_config, or NULL with errors written as "file:line: what is
 * wrong".  Readers take a reference with conf_get() and drop it with
 * conf_put(); conf_swap() installs a newly loaded config (SIGUSR1)
 * without disturbing connections that still hold the old one.  The swap and
 * the reference counts are under one mutex; the struct itself is never
 * written after loading, so readers need no lock.
 *
 * File syntax (every option documented in conf/bounce-milter.conf and
 * bounce-milter.conf(5), with its default):
 *   socket = "inet:9704@127.0.0.1"     user = ""        socket_mode = "0660"
 *   syslog_facility = "mail"           syslog_ident = "bounce-milter"
 *   max_message_bytes = 1048576        bounce_address = {}   (globs, e.g. "bounces+*@example.com")
 *   max_suppress_per_message = 10      max_suppress_per_hour = 1000
 *   max_suppress_per_domain = 10000    max_total_message_bytes = 536870912
 *   suppress { file = "/var/lib/bounce-milter/suppressed.txt"  format = "plain"
 *              classes = {"hard"}  reasons = {}  fold_local = true
 *              fsync = "always"    on_error = "tempfail"  complaints = false }
 *   trust    { spf = "on"  spf_timeout_ms = 2000  authserv_id = ""
 *              origins = {"signed", "trusted", "aligned"}  relays = {} }
 *   verp     { patterns = {}  tag_length = 16 }
 *   signing  { keys = {}  valid_days = 7 }     (keys: "K:/path", K a digit)
 */
#ifndef BM_CONF_H
#define BM_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "classify/classify.h"
#include "classify/reason.h"
#include "daemon/conf_ops.h"
#include "suppress/suppress.h"
#include "trust/origin.h"
#include "trust/sign.h"
#include "trust/verp.h"

enum bm_on_error { BM_ON_ERROR_TEMPFAIL, BM_ON_ERROR_ACCEPT };

struct bm_config {
	char *path;                      /* the file it came from */
	char *socket;
	char *user;                      /* "" = keep the current user (must not be root) */
	unsigned socket_mode;
	int syslog_facility;             /* LOG_MAIL, ... */
	char *syslog_ident;
	size_t max_message_bytes;
	char **bounce_address;           /* NULL-terminated glob list */
	unsigned max_suppress_per_message;
	unsigned max_suppress_per_hour;    /* per client network (IPv4 /24, IPv6 /64) */
	unsigned max_suppress_per_domain;  /* per recipient domain, per hour */
	size_t max_total_message_bytes;    /* all sessions' message data together */

	char *suppress_file;
	struct suppress_opts suppress;   /* format, fsync, fold_local */
	bool suppress_class[BM_CLASS_COUNT];
	bool suppress_reason[BM_REASON_COUNT];
	enum bm_on_error on_error;
	bool suppress_complaints;

	bool spf_on;                     /* "off": no SPF lookups at all */
	bool origin_ok[ORIGIN_COUNT];    /* levels that may suppress */
	unsigned spf_timeout_ms;
	char *authserv_id;               /* "" = never trust Authentication-Results */
	char **relays;                   /* NULL-terminated networks: trusted relays */

	char **verp_patterns;            /* NULL-terminated */
	unsigned verp_tag_len;           /* hex digits after K DDD */
	struct sign_keys keys;           /* signing keys, n 0 = none */
	char **key_specs;                /* signing.keys as written ("1:/path") */

	/* pgsql: ship the list to PostgreSQL (sink_pg.h); "" = off.  The
	 * connection string itself is read once at start-up (main.c). */
	char *pg_conninfo_file;
	char *pg_table;
	char *pg_host;                   /* "" = gethostname() */
	unsigned pg_batch;
	char *pg_position_file;          /* "" = suppress.file + ".pgsql-position" */
	unsigned pg_retry_max_s;
	char *pg_events_table;           /* "" = the event log is not shipped */

	struct conf_ops ops;
};

/* Load and validate.  errs gets "file:line: message" lines (bounded). */
struct bm_config *conf_load(const char *path, char *errs, size_t errsz);
/* The same for a reload: when signing.keys is unchanged from prev, prev's
 * keys (read at start-up, as root) are kept instead of read again. */
struct bm_config *conf_load_reuse(const char *path, const struct bm_config *prev,
                                  char *errs, size_t errsz);
void conf_free(struct bm_config *c);

/* Reference-counted current config. */
void conf_install(struct bm_config *c);        /* first config, or a swap */
struct bm_config *conf_get(void);              /* +1 reference */
void conf_put(struct bm_config *c);            /* -1; frees a retired config at 0 */

#endif

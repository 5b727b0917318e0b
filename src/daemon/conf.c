/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <confuse.h>

#include "daemon/conf.h"
#include "daemon/conf_lint.h"
#include "daemon/conf_ops_schema.h"
#include "daemon/conf_schema.h"
#include "daemon/privs.h"

/* ------------------------------------------------------------------ load state */

/* One load at a time per thread (struct conf_load: conf_schema.h). */
_Thread_local struct conf_load *conf_cur;

static void
conf_adderr(const char *path, int line, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void
conf_adderr(const char *path, int line, const char *fmt, va_list ap)
{
	struct conf_load *ld = conf_cur;
	char msg[512];
	int n;

	if (ld == NULL)
		return;
	ld->nerr++;
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (ld->errs == NULL || ld->len + 1 >= ld->errsz)
		return;
	if (line > 0)
		n = snprintf(ld->errs + ld->len, ld->errsz - ld->len, "%s:%d: %s\n",
		    path, line, msg);
	else
		n = snprintf(ld->errs + ld->len, ld->errsz - ld->len, "%s: %s\n",
		    path, msg);
	if (n > 0)
		ld->len += (size_t)n < ld->errsz - ld->len ? (size_t)n : ld->errsz - ld->len - 1;
}

static void
conf_err(int line, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
conf_err(int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_adderr(conf_cur != NULL ? conf_cur->path : "?", line, fmt, ap);
	va_end(ap);
}

static void
conf_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void
conf_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
{
	conf_adderr(conf_cur != NULL ? conf_cur->path : "?",
	    cfg != NULL ? cfg->line : 0, fmt, ap);
}

/* ------------------------------------------------------------------ building */

/* A config and its reference count; callers only ever see `c`. */
struct conf_box {
	struct bm_config c;      /* first member: (struct conf_box *)&box->c */
	unsigned refs;
};

static char **
conf_strv(cfg_t *sec, const char *name)
{
	unsigned n = cfg_size(sec, name);
	char **v = calloc((size_t)n + 1, sizeof *v);

	if (v == NULL)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		const char *s = cfg_getnstr(sec, name, i);

		if ((v[i] = strdup(s != NULL ? s : "")) == NULL) {
			for (unsigned j = 0; j < i; j++)
				free(v[j]);
			free(v);
			return NULL;
		}
	}
	return v;
}

static void
conf_strv_free(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

static char *
conf_dup(cfg_t *sec, const char *name)
{
	const char *s = cfg_getstr(sec, name);

	return strdup(s != NULL ? s : "");
}

/* Writable (and searchable, for a directory) by uid/gid? */
static bool
conf_writable(const struct stat *st, uid_t uid, gid_t gid, bool dir)
{
	mode_t need_u = S_IWUSR | (dir ? S_IXUSR : 0);
	mode_t need_g = S_IWGRP | (dir ? S_IXGRP : 0);
	mode_t need_o = S_IWOTH | (dir ? S_IXOTH : 0);

	if (uid == 0)
		return true;
	if (st->st_uid == uid)
		return (st->st_mode & need_u) == need_u;
	if (st->st_gid == gid)
		return (st->st_mode & need_g) == need_g;
	return (st->st_mode & need_o) == need_o;
}

static void
conf_check_list(struct bm_config *c, struct conf_load *ld)
{
	char dir[PATH_MAX];
	char *slash;
	struct stat st;
	uid_t uid = geteuid();
	gid_t gid = getegid();
	bool other_user = false;
	char err[256];

	if (c->user[0] != '\0') {
		uid_t u;
		gid_t g;

		if (privs_lookup(c->user, &u, &g, err, sizeof err) != 0)
			return;   /* already reported at the user option */
		other_user = u != uid;
		uid = u;
		gid = g;
	}
	snprintf(dir, sizeof dir, "%s", c->suppress_file);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		return;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &st) != 0) {
		conf_err(ld->line_file, "suppress.file: directory %s: %s", dir, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		conf_err(ld->line_file, "suppress.file: %s is not a directory", dir);
		return;
	}
	if (other_user ? !conf_writable(&st, uid, gid, true)
	    : access(dir, W_OK | X_OK) != 0) {
		conf_err(ld->line_file, "suppress.file: directory %s is not writable by %s%s%s",
		    dir, c->user[0] != '\0' ? "user " : "the current user",
		    c->user[0] != '\0' ? c->user : "", "");
		return;
	}
	/* the same checks as the open at start-up, so -t fails where it would */
	if (suppress_check_path(c->suppress_file, err, sizeof err) != 0) {
		conf_err(ld->line_file, "suppress.file: %s", err);
		return;
	}
	if (lstat(c->suppress_file, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			conf_err(ld->line_file, "suppress.file: %s is not a regular file", c->suppress_file);
			return;
		}
		if (other_user ? !conf_writable(&st, uid, gid, false)
		    : access(c->suppress_file, W_OK) != 0)
			conf_err(ld->line_file, "suppress.file: %s is not writable by %s%s",
			    c->suppress_file,
			    c->user[0] != '\0' ? "user " : "the current user",
			    c->user[0] != '\0' ? c->user : "");
	} else if (errno != ENOENT) {
		conf_err(ld->line_file, "suppress.file: %s: %s", c->suppress_file, strerror(errno));
	}
}

/* The connection string may hold a password: its file must be readable
 * by no one but its owner, root or the run-time user.  Only its mode and
 * owner are checked here (-t and every reload); main.c reads it once, at
 * start-up, before privileges are dropped. */
static void
conf_check_pg(struct bm_config *c, struct conf_load *ld)
{
	struct stat st;
	uid_t uid = geteuid();
	char err[256];

	if (c->pg_conninfo_file[0] == '\0')
		return;
	if (c->user[0] != '\0') {
		gid_t g;

		if (privs_lookup(c->user, &uid, &g, err, sizeof err) != 0)
			return;   /* already reported at the user option */
	}
	if (lstat(c->pg_conninfo_file, &st) != 0) {
		conf_err(ld->line_pg, "pgsql.conninfo_file: %s: %s", c->pg_conninfo_file,
		    strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		conf_err(ld->line_pg, "pgsql.conninfo_file: %s is not a regular file",
		    c->pg_conninfo_file);
		return;
	}
	if ((st.st_mode & 077) != 0)
		conf_err(ld->line_pg, "pgsql.conninfo_file: %s is readable by group or "
		    "others (mode %04o); it may hold a password: chmod 600",
		    c->pg_conninfo_file, (unsigned)(st.st_mode & 07777));
	else if (st.st_uid != 0 && st.st_uid != uid)
		conf_err(ld->line_pg, "pgsql.conninfo_file: %s must belong to root or "
		    "to the run-time user", c->pg_conninfo_file);
}

/* Two NULL-terminated lists with the same strings in the same order? */
static bool
conf_strv_eq(char *const *a, char *const *b)
{
	if (a == NULL || b == NULL)
		return false;
	for (; *a != NULL && *b != NULL; a++, b++)
		if (strcmp(*a, *b) != 0)
			return false;
	return *a == NULL && *b == NULL;
}

static struct bm_config *
conf_build(cfg_t *cfg, const char *path, struct conf_load *ld,
           const struct bm_config *prev)
{
	struct conf_box *box = calloc(1, sizeof *box);
	struct bm_config *c;
	cfg_t *sup = cfg_getsec(cfg, "suppress");
	cfg_t *tr = cfg_getsec(cfg, "trust");
	cfg_t *vp = cfg_getsec(cfg, "verp");
	cfg_t *pg = cfg_getsec(cfg, "pgsql");
	cfg_t *sg = cfg_getsec(cfg, "signing");
	char err[256];
	unsigned mode = 0660;

	if (box == NULL || sup == NULL || tr == NULL || vp == NULL || pg == NULL || sg == NULL) {
		free(box);
		conf_err(0, "out of memory");
		return NULL;
	}
	c = &box->c;
	c->path = strdup(path);
	c->socket = conf_dup(cfg, "socket");
	c->user = conf_dup(cfg, "user");
	(void)conf_schema_parse_mode(cfg_getstr(cfg, "socket_mode"), &mode);
	c->socket_mode = mode;
	c->syslog_facility = conf_schema_facility(cfg_getstr(cfg, "syslog_facility"));
	c->syslog_ident = conf_dup(cfg, "syslog_ident");
	c->max_message_bytes = (size_t)cfg_getint(cfg, "max_message_bytes");
	c->bounce_address = conf_strv(cfg, "bounce_address");
	c->max_suppress_per_message = (unsigned)cfg_getint(cfg, "max_suppress_per_message");
	c->max_suppress_per_hour = (unsigned)cfg_getint(cfg, "max_suppress_per_hour");
	c->max_suppress_per_domain = (unsigned)cfg_getint(cfg, "max_suppress_per_domain");
	c->max_total_message_bytes = (size_t)cfg_getint(cfg, "max_total_message_bytes");

	c->suppress_file = conf_dup(sup, "file");
	c->suppress.format = (enum suppress_format)suppress_format_from_name(cfg_getstr(sup, "format"));
	c->suppress.fsync = strcmp(cfg_getstr(sup, "fsync"), "always") == 0;
	c->suppress.fold_local = cfg_getbool(sup, "fold_local") == cfg_true;
	for (unsigned i = 0; i < cfg_size(sup, "classes"); i++) {
		int k = bm_class_from_name(cfg_getnstr(sup, "classes", i));

		if (k >= 0 && k < BM_CLASS_COUNT)
			c->suppress_class[k] = true;
	}
	for (unsigned i = 0; i < cfg_size(sup, "reasons"); i++) {
		int k = reason_from_name(cfg_getnstr(sup, "reasons", i));

		if (k >= 0 && k < BM_REASON_COUNT)
			c->suppress_reason[k] = true;
	}
	c->on_error = strcmp(cfg_getstr(sup, "on_error"), "accept") == 0
	    ? BM_ON_ERROR_ACCEPT : BM_ON_ERROR_TEMPFAIL;
	c->suppress_complaints = cfg_getbool(sup, "complaints") == cfg_true;

	c->spf_on = strcmp(cfg_getstr(tr, "spf"), "off") != 0;
	for (unsigned i = 0; i < cfg_size(tr, "origins"); i++) {
		enum origin_level l = origin_parse(cfg_getnstr(tr, "origins", i));

		if (l < ORIGIN_COUNT)
			c->origin_ok[l] = true;
	}
	/* a level that may suppress lets every stronger one too */
	for (int l = ORIGIN_COUNT - 2; l >= 0; l--)
		if (c->origin_ok[l])
			c->origin_ok[l + 1] = true;
	c->spf_timeout_ms = (unsigned)cfg_getint(tr, "spf_timeout_ms");
	c->authserv_id = conf_dup(tr, "authserv_id");
	c->relays = conf_strv(tr, "relays");

	c->verp_patterns = conf_strv(vp, "patterns");
	c->verp_tag_len = (unsigned)cfg_getint(vp, "tag_length");
	c->keys.valid_days = (unsigned)cfg_getint(sg, "valid_days");

	c->pg_conninfo_file = conf_dup(pg, "conninfo_file");
	c->pg_table = conf_dup(pg, "table");
	c->pg_host = conf_dup(pg, "host");
	c->pg_batch = (unsigned)cfg_getint(pg, "batch");
	c->pg_position_file = conf_dup(pg, "position_file");
	c->pg_retry_max_s = (unsigned)cfg_getint(pg, "retry_max_s");
	c->pg_events_table = conf_dup(pg, "events_table");

	if (c->path == NULL || c->socket == NULL || c->user == NULL ||
	    c->syslog_ident == NULL || c->bounce_address == NULL ||
	    c->suppress_file == NULL || c->authserv_id == NULL ||
	    c->relays == NULL || c->verp_patterns == NULL ||
	    c->pg_conninfo_file == NULL || c->pg_table == NULL ||
	    c->pg_host == NULL || c->pg_position_file == NULL ||
	    c->pg_events_table == NULL) {
		conf_err(0, "out of memory");
		conf_free(c);
		return NULL;
	}

	/* Secrets are read here, as the user that loads the config: at start-up
	 * that is root, before the privilege drop, and the keys are kept.  A
	 * reload with the same signing.keys reuses them (a root-owned 0600 key
	 * file stays unreadable to the run-time user); a changed list is read
	 * as the run-time user.  -t reads them as whoever runs it. */
	c->key_specs = conf_strv(sg, "keys");
	if (c->key_specs == NULL) {
		conf_err(0, "out of memory");
	} else if (prev != NULL && conf_strv_eq(prev->key_specs, c->key_specs)) {
		unsigned days = c->keys.valid_days;

		c->keys = prev->keys;
		c->keys.valid_days = days;
	} else {
		for (unsigned i = 0; i < cfg_size(sg, "keys"); i++)
			if (sign_key_load(cfg_getnstr(sg, "keys", i), &c->keys, err, sizeof err) != 0)
				conf_err(ld->line_secret, "signing.keys: %s", err);
	}

	conf_check_list(c, ld);
	conf_check_pg(c, ld);
	if (conf_ops_build(cfg, &c->ops, err, sizeof err) != 0)
		conf_err(0, "%s", err);
	return c;
}

struct bm_config *
conf_load(const char *path, char *errs, size_t errsz)
{
	return conf_load_reuse(path, NULL, errs, errsz);
}

struct bm_config *
conf_load_reuse(const char *path, const struct bm_config *prev, char *errs, size_t errsz)
{
	struct conf_load ld = { .path = path, .errs = errs, .errsz = errsz };
	struct bm_config *c = NULL;
	cfg_t *cfg;
	int rc;

	if (errs != NULL && errsz > 0)
		errs[0] = '\0';
	conf_cur = &ld;
	{
		char lerr[256];
		int lline;

		/* before libconfuse: it exits the process on a read error (a
		 * directory), and lets a missing '}' or a duplicate through */
		if (conf_lint(path, &lline, lerr, sizeof lerr) != 0) {
			conf_err(lline, "%s", lerr);
			cfg = NULL;
			goto out;
		}
	}
	cfg = conf_schema_new(conf_errfunc);
	if (cfg == NULL) {
		conf_err(0, "out of memory");
		goto out;
	}
	rc = cfg_parse(cfg, path);
	if (rc == CFG_FILE_ERROR) {
		conf_err(0, "cannot read: %s", strerror(errno != 0 ? errno : ENOENT));
		goto out;
	}
	if (rc != CFG_SUCCESS || ld.nerr > 0) {
		if (ld.nerr == 0)
			conf_err(0, "syntax error");
		goto out;
	}
	c = conf_build(cfg, path, &ld, prev);
	if (c != NULL && ld.nerr > 0) {
		conf_free(c);
		c = NULL;
	}
out:
	if (cfg != NULL)
		cfg_free(cfg);
	conf_cur = NULL;
	return c;
}

void
conf_free(struct bm_config *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->socket);
	free(c->user);
	free(c->syslog_ident);
	conf_strv_free(c->bounce_address);
	free(c->suppress_file);
	free(c->authserv_id);
	conf_strv_free(c->relays);
	conf_strv_free(c->key_specs);
	conf_strv_free(c->verp_patterns);
	free(c->pg_conninfo_file);
	free(c->pg_table);
	free(c->pg_host);
	free(c->pg_position_file);
	free(c->pg_events_table);
	conf_ops_free(&c->ops);
	/* the keys are secret: clear them before the memory goes back */
	sign_keys_wipe(&c->keys);
	free((struct conf_box *)c);
}

/* ------------------------------------------------------------------ current config */

static pthread_mutex_t conf_lock = PTHREAD_MUTEX_INITIALIZER;
static struct bm_config *conf_current;

void
conf_install(struct bm_config *c)
{
	struct bm_config *old;
	bool drop = false;

	pthread_mutex_lock(&conf_lock);
	if (c != NULL)
		((struct conf_box *)c)->refs = 1;  /* the "current" reference */
	old = conf_current;
	conf_current = c;
	if (old != NULL)
		drop = --((struct conf_box *)old)->refs == 0;
	pthread_mutex_unlock(&conf_lock);
	if (drop)
		conf_free(old);
}

struct bm_config *
conf_get(void)
{
	struct bm_config *c;

	pthread_mutex_lock(&conf_lock);
	c = conf_current;
	if (c != NULL)
		((struct conf_box *)c)->refs++;
	pthread_mutex_unlock(&conf_lock);
	return c;
}

void
conf_put(struct bm_config *c)
{
	bool drop;

	if (c == NULL)
		return;
	pthread_mutex_lock(&conf_lock);
	drop = --((struct conf_box *)c)->refs == 0;
	pthread_mutex_unlock(&conf_lock);
	if (drop)
		conf_free(c);
}

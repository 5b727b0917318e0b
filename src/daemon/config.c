/* autoheader output: angle brackets, because "config.h" is this folder's config.h */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <confuse.h>

#include "config.h"
#include "privs.h"
#include "spf.h"

/* ------------------------------------------------------------------ names */

const char *const config_option_names[] = {
	"socket", "user", "socket_mode", "syslog_facility", "syslog_ident",
	"max_message_bytes", "bounce_address", "max_suppress_per_message",
	"max_suppress_per_hour",
	"suppress.file", "suppress.format", "suppress.classes", "suppress.reasons",
	"suppress.fold_local", "suppress.fsync", "suppress.on_error",
	"suppress.complaints",
	"trust.spf", "trust.spf_timeout_ms", "trust.authserv_id", "trust.pass_helo",
	"trust.pass_networks", "trust.dns_zone_file",
	"verp.patterns", "verp.secret_file", "verp.tag_length",
	NULL
};

#define CONFIG_DEFAULT_LIST "/var/lib/bounce-milter/suppressed.txt"

static const struct {
	const char *name;
	int facility;
} config_facilities[] = {
	{ "mail", LOG_MAIL }, { "daemon", LOG_DAEMON }, { "user", LOG_USER },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
	{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

/* ------------------------------------------------------------------ load state */

/* One load at a time per thread; validation callbacks have no user pointer. */
struct config_load {
	const char *path;
	char *errs;
	size_t errsz;
	size_t len;
	int nerr;
	int line_file, line_user, line_secret, line_zone;
};

static _Thread_local struct config_load *config_cur;

static void
config_adderr(const char *path, int line, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void
config_adderr(const char *path, int line, const char *fmt, va_list ap)
{
	struct config_load *ld = config_cur;
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
config_err(int line, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
config_err(int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_adderr(config_cur != NULL ? config_cur->path : "?", line, fmt, ap);
	va_end(ap);
}

static void
config_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void
config_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
{
	config_adderr(config_cur != NULL ? config_cur->path : "?",
	    cfg != NULL ? cfg->line : 0, fmt, ap);
}

/* ------------------------------------------------------------------ validators */

static const char *
config_str(cfg_opt_t *opt, unsigned i)
{
	const char *s = cfg_opt_getnstr(opt, i);

	return s != NULL ? s : "";
}

static bool
config_has_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static int
vd_socket(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = config_str(opt, 0);

	if ((strncmp(s, "inet:", 5) == 0 && s[5] != '\0') ||
	    (strncmp(s, "inet6:", 6) == 0 && s[6] != '\0') ||
	    (strncmp(s, "unix:/", 6) == 0) || (strncmp(s, "local:/", 7) == 0))
		if (!config_has_ctl(s))
			return 0;
	cfg_error(cfg, "socket: \"%s\" is not inet:PORT@HOST, inet6:PORT@HOST or unix:/ABSOLUTE/PATH", s);
	return -1;
}

static int
vd_user(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = config_str(opt, 0);
	char err[256];
	uid_t uid;
	gid_t gid;

	if (config_cur != NULL)
		config_cur->line_user = cfg->line;
	if (*s == '\0')
		return 0;
	if (privs_lookup(s, &uid, &gid, err, sizeof err) != 0) {
		cfg_error(cfg, "user: %s", err);
		return -1;
	}
	if (uid == 0) {
		cfg_error(cfg, "user: \"%s\" is root; the milter never runs as root", s);
		return -1;
	}
	return 0;
}

static int
config_parse_mode(const char *s, unsigned *mode)
{
	char *end;
	unsigned long v;

	if (*s == '\0' || strspn(s, "01234567") != strlen(s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 8);
	if (errno != 0 || *end != '\0' || v > 0777)
		return -1;
	*mode = (unsigned)v;
	return 0;
}

static int
vd_socket_mode(cfg_t *cfg, cfg_opt_t *opt)
{
	unsigned mode;

	if (config_parse_mode(config_str(opt, 0), &mode) == 0)
		return 0;
	cfg_error(cfg, "socket_mode: \"%s\" is not an octal mode between 0000 and 0777",
	    config_str(opt, 0));
	return -1;
}

static int
config_facility(const char *name)
{
	for (size_t i = 0; i < sizeof config_facilities / sizeof config_facilities[0]; i++)
		if (strcmp(config_facilities[i].name, name) == 0)
			return config_facilities[i].facility;
	return -1;
}

static int
vd_facility(cfg_t *cfg, cfg_opt_t *opt)
{
	if (config_facility(config_str(opt, 0)) >= 0)
		return 0;
	cfg_error(cfg, "syslog_facility: \"%s\" is not one of mail, daemon, user, local0 ... local7",
	    config_str(opt, 0));
	return -1;
}

static int
vd_ident(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = config_str(opt, 0);

	if (*s != '\0' && strlen(s) < 48 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == strlen(s))
		return 0;
	cfg_error(cfg, "syslog_ident: \"%s\" must be 1-47 letters, digits, '-', '_' or '.'", s);
	return -1;
}

static int
config_range(cfg_t *cfg, cfg_opt_t *opt, const char *name, long lo, long hi)
{
	long v = cfg_opt_getnint(opt, 0);

	if (v >= lo && v <= hi)
		return 0;
	cfg_error(cfg, "%s: %ld is out of range (%ld to %ld)", name, v, lo, hi);
	return -1;
}

static int
vd_max_message_bytes(cfg_t *cfg, cfg_opt_t *opt)
{
	return config_range(cfg, opt, "max_message_bytes", 4096, 64L * 1024 * 1024);
}

static int
vd_per_message(cfg_t *cfg, cfg_opt_t *opt)
{
	return config_range(cfg, opt, "max_suppress_per_message", 1, 100000);
}

static int
vd_per_hour(cfg_t *cfg, cfg_opt_t *opt)
{
	return config_range(cfg, opt, "max_suppress_per_hour", 1, 10000000);
}

static int
vd_spf_timeout(cfg_t *cfg, cfg_opt_t *opt)
{
	return config_range(cfg, opt, "trust.spf_timeout_ms", 1, 60000);
}

static int
vd_tag_length(cfg_t *cfg, cfg_opt_t *opt)
{
	return config_range(cfg, opt, "verp.tag_length", 8, 64);
}

static int
vd_globs(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		const char *s = config_str(opt, i);

		if (*s == '\0' || strlen(s) > 320 || config_has_ctl(s) ||
		    strpbrk(s, " \t") != NULL || strchr(s, '@') == NULL) {
			cfg_error(cfg, "bounce_address: \"%s\" is not an address pattern (local@domain, '*' and '?' allowed)", s);
			return -1;
		}
	}
	return 0;
}

static int
vd_list_file(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = config_str(opt, 0);

	if (config_cur != NULL)
		config_cur->line_file = cfg->line;
	if (*s != '/' || config_has_ctl(s) || strlen(s) >= PATH_MAX) {
		cfg_error(cfg, "suppress.file: \"%s\" must be an absolute path", s);
		return -1;
	}
	return 0;
}

static int
vd_format(cfg_t *cfg, cfg_opt_t *opt)
{
	if (suppress_format_from_name(config_str(opt, 0)) >= 0)
		return 0;
	cfg_error(cfg, "suppress.format: \"%s\" is not one of plain, csv, jsonl, postfix",
	    config_str(opt, 0));
	return -1;
}

static int
vd_classes(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		int c = bm_class_from_name(config_str(opt, i));

		if (c < 0 || !bm_class_is_failure((enum bm_class)c)) {
			cfg_error(cfg, "suppress.classes: \"%s\" is not one of hard, block, soft, undetermined",
			    config_str(opt, i));
			return -1;
		}
	}
	return 0;
}

static int
vd_reasons(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		if (reason_from_name(config_str(opt, i)) < 0) {
			cfg_error(cfg, "suppress.reasons: \"%s\" is not a reason word (see bounce-milter.conf(5))",
			    config_str(opt, i));
			return -1;
		}
	}
	return 0;
}

static int
vd_fsync(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = config_str(opt, 0);

	if (strcmp(s, "always") == 0 || strcmp(s, "never") == 0)
		return 0;
	cfg_error(cfg, "suppress.fsync: \"%s\" is not always or never", s);
	return -1;
}

static int
vd_on_error(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = config_str(opt, 0);

	if (strcmp(s, "tempfail") == 0 || strcmp(s, "accept") == 0)
		return 0;
	cfg_error(cfg, "suppress.on_error: \"%s\" is not tempfail or accept", s);
	return -1;
}

static int
vd_spf(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = config_str(opt, 0);

	if (strcmp(s, "pass") == 0 || strcmp(s, "not-fail") == 0 || strcmp(s, "off") == 0)
		return 0;
	cfg_error(cfg, "trust.spf: \"%s\" is not pass, not-fail or off", s);
	return -1;
}

static int
vd_authserv(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = config_str(opt, 0);

	if (strlen(s) < 256 && strpbrk(s, " \t;()\"") == NULL && !config_has_ctl(s))
		return 0;
	cfg_error(cfg, "trust.authserv_id: \"%s\" is not a host name", s);
	return -1;
}

static int
vd_pass_helo(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		const char *s = config_str(opt, i);

		if (*s == '\0' || strlen(s) > 253 || strpbrk(s, " \t@") != NULL ||
		    config_has_ctl(s)) {
			cfg_error(cfg, "trust.pass_helo: \"%s\" is not a host name", s);
			return -1;
		}
	}
	return 0;
}

static int
vd_pass_networks(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		if (!spf_network_valid(config_str(opt, i))) {
			cfg_error(cfg, "trust.pass_networks: \"%s\" is not an address or network (192.0.2.0/24, 2001:db8::/32)",
			    config_str(opt, i));
			return -1;
		}
	}
	return 0;
}

static int
vd_zone(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = config_str(opt, 0);

	if (config_cur != NULL)
		config_cur->line_zone = cfg->line;
	if (*s == '\0')
		return 0;
	if (access(s, R_OK) != 0) {
		cfg_error(cfg, "trust.dns_zone_file: %s: %s", s, strerror(errno));
		return -1;
	}
	return 0;
}

static int
vd_patterns(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		if (!verp_pattern_valid(config_str(opt, i))) {
			cfg_error(cfg, "verp.patterns: \"%s\" is not a VERP pattern (needs {local} and {domain}, e.g. bounces+{local}={domain}@example.com)",
			    config_str(opt, i));
			return -1;
		}
	}
	return 0;
}

static int
vd_secret(cfg_t *cfg, cfg_opt_t *opt)
{
	if (config_cur != NULL)
		config_cur->line_secret = cfg->line;
	return 0;
}

/* ------------------------------------------------------------------ schema */

static cfg_opt_t config_suppress_opts[] = {
	CFG_STR("file", CONFIG_DEFAULT_LIST, CFGF_NONE),
	CFG_STR("format", "plain", CFGF_NONE),
	CFG_STR_LIST("classes", "{hard}", CFGF_NONE),
	CFG_STR_LIST("reasons", "{}", CFGF_NONE),
	CFG_BOOL("fold_local", cfg_true, CFGF_NONE),
	CFG_STR("fsync", "always", CFGF_NONE),
	CFG_STR("on_error", "tempfail", CFGF_NONE),
	CFG_BOOL("complaints", cfg_false, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t config_trust_opts[] = {
	CFG_STR("spf", "not-fail", CFGF_NONE),
	CFG_INT("spf_timeout_ms", 2000, CFGF_NONE),
	CFG_STR("authserv_id", "", CFGF_NONE),
	CFG_STR_LIST("pass_helo", "{}", CFGF_NONE),
	CFG_STR_LIST("pass_networks", "{}", CFGF_NONE),
	CFG_STR("dns_zone_file", "", CFGF_NONE),
	CFG_END()
};

static cfg_opt_t config_verp_opts[] = {
	CFG_STR_LIST("patterns", "{}", CFGF_NONE),
	CFG_STR("secret_file", "", CFGF_NONE),
	CFG_INT("tag_length", 16, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t config_opts[] = {
	CFG_STR("socket", "inet:8891@127.0.0.1", CFGF_NONE),
	CFG_STR("user", "", CFGF_NONE),
	CFG_STR("socket_mode", "0660", CFGF_NONE),
	CFG_STR("syslog_facility", "mail", CFGF_NONE),
	CFG_STR("syslog_ident", "bounce-milter", CFGF_NONE),
	CFG_INT("max_message_bytes", 1048576, CFGF_NONE),
	CFG_STR_LIST("bounce_address", "{}", CFGF_NONE),
	CFG_INT("max_suppress_per_message", 10, CFGF_NONE),
	CFG_INT("max_suppress_per_hour", 1000, CFGF_NONE),
	CFG_SEC("suppress", config_suppress_opts, CFGF_NONE),
	CFG_SEC("trust", config_trust_opts, CFGF_NONE),
	CFG_SEC("verp", config_verp_opts, CFGF_NONE),
	CFG_END()
};

static const struct {
	const char *name;
	cfg_validate_callback_t cb;
} config_validators[] = {
	{ "socket", vd_socket }, { "user", vd_user }, { "socket_mode", vd_socket_mode },
	{ "syslog_facility", vd_facility }, { "syslog_ident", vd_ident },
	{ "max_message_bytes", vd_max_message_bytes },
	{ "bounce_address", vd_globs },
	{ "max_suppress_per_message", vd_per_message },
	{ "max_suppress_per_hour", vd_per_hour },
	{ "suppress|file", vd_list_file }, { "suppress|format", vd_format },
	{ "suppress|classes", vd_classes }, { "suppress|reasons", vd_reasons },
	{ "suppress|fsync", vd_fsync }, { "suppress|on_error", vd_on_error },
	{ "trust|spf", vd_spf }, { "trust|spf_timeout_ms", vd_spf_timeout },
	{ "trust|authserv_id", vd_authserv }, { "trust|pass_helo", vd_pass_helo },
	{ "trust|pass_networks", vd_pass_networks }, { "trust|dns_zone_file", vd_zone },
	{ "verp|patterns", vd_patterns }, { "verp|secret_file", vd_secret },
	{ "verp|tag_length", vd_tag_length },
};

/* ------------------------------------------------------------------ building */

/* A config and its reference count; callers only ever see `c`. */
struct config_box {
	struct bm_config c;      /* first member: (struct config_box *)&box->c */
	unsigned refs;
};

static char **
config_strv(cfg_t *sec, const char *name)
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
config_strv_free(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

static char *
config_dup(cfg_t *sec, const char *name)
{
	const char *s = cfg_getstr(sec, name);

	return strdup(s != NULL ? s : "");
}

/* Writable (and searchable, for a directory) by uid/gid? */
static bool
config_writable(const struct stat *st, uid_t uid, gid_t gid, bool dir)
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
config_check_list(struct bm_config *c, struct config_load *ld)
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
		config_err(ld->line_file, "suppress.file: directory %s: %s", dir, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		config_err(ld->line_file, "suppress.file: %s is not a directory", dir);
		return;
	}
	if (other_user ? !config_writable(&st, uid, gid, true)
	    : access(dir, W_OK | X_OK) != 0) {
		config_err(ld->line_file, "suppress.file: directory %s is not writable by %s%s%s",
		    dir, c->user[0] != '\0' ? "user " : "the current user",
		    c->user[0] != '\0' ? c->user : "", "");
		return;
	}
	if (lstat(c->suppress_file, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			config_err(ld->line_file, "suppress.file: %s is not a regular file", c->suppress_file);
			return;
		}
		if (other_user ? !config_writable(&st, uid, gid, false)
		    : access(c->suppress_file, W_OK) != 0)
			config_err(ld->line_file, "suppress.file: %s is not writable by %s%s",
			    c->suppress_file,
			    c->user[0] != '\0' ? "user " : "the current user",
			    c->user[0] != '\0' ? c->user : "");
	} else if (errno != ENOENT) {
		config_err(ld->line_file, "suppress.file: %s: %s", c->suppress_file, strerror(errno));
	}
}

static struct bm_config *
config_build(cfg_t *cfg, const char *path, struct config_load *ld)
{
	struct config_box *box = calloc(1, sizeof *box);
	struct bm_config *c;
	cfg_t *sup = cfg_getsec(cfg, "suppress");
	cfg_t *tr = cfg_getsec(cfg, "trust");
	cfg_t *vp = cfg_getsec(cfg, "verp");
	char err[256];
	unsigned mode = 0660;

	if (box == NULL || sup == NULL || tr == NULL || vp == NULL) {
		free(box);
		config_err(0, "out of memory");
		return NULL;
	}
	c = &box->c;
	c->path = strdup(path);
	c->socket = config_dup(cfg, "socket");
	c->user = config_dup(cfg, "user");
	(void)config_parse_mode(cfg_getstr(cfg, "socket_mode"), &mode);
	c->socket_mode = mode;
	c->syslog_facility = config_facility(cfg_getstr(cfg, "syslog_facility"));
	c->syslog_ident = config_dup(cfg, "syslog_ident");
	c->max_message_bytes = (size_t)cfg_getint(cfg, "max_message_bytes");
	c->bounce_address = config_strv(cfg, "bounce_address");
	c->max_suppress_per_message = (unsigned)cfg_getint(cfg, "max_suppress_per_message");
	c->max_suppress_per_hour = (unsigned)cfg_getint(cfg, "max_suppress_per_hour");

	c->suppress_file = config_dup(sup, "file");
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

	c->spf_policy = strcmp(cfg_getstr(tr, "spf"), "pass") == 0 ? BM_SPF_POLICY_PASS
	    : strcmp(cfg_getstr(tr, "spf"), "off") == 0 ? BM_SPF_POLICY_OFF
	    : BM_SPF_POLICY_NOT_FAIL;
	c->spf_timeout_ms = (unsigned)cfg_getint(tr, "spf_timeout_ms");
	c->authserv_id = config_dup(tr, "authserv_id");
	c->pass_helo = config_strv(tr, "pass_helo");
	c->pass_networks = config_strv(tr, "pass_networks");
	c->dns_zone_file = config_dup(tr, "dns_zone_file");

	c->verp_patterns = config_strv(vp, "patterns");
	c->verp_secret.tag_len = (unsigned)cfg_getint(vp, "tag_length");

	if (c->path == NULL || c->socket == NULL || c->user == NULL ||
	    c->syslog_ident == NULL || c->bounce_address == NULL ||
	    c->suppress_file == NULL || c->authserv_id == NULL ||
	    c->pass_helo == NULL || c->pass_networks == NULL ||
	    c->dns_zone_file == NULL || c->verp_patterns == NULL) {
		config_err(0, "out of memory");
		config_free(c);
		return NULL;
	}

	const char *secret = cfg_getstr(vp, "secret_file");
	if (secret != NULL && *secret != '\0' &&
	    verp_secret_load(secret, c->verp_secret.tag_len, &c->verp_secret,
	    err, sizeof err) != 0)
		config_err(ld->line_secret, "verp.secret_file: %s", err);

	config_check_list(c, ld);
	return c;
}

struct bm_config *
config_load(const char *path, char *errs, size_t errsz)
{
	struct config_load ld = { .path = path, .errs = errs, .errsz = errsz };
	struct bm_config *c = NULL;
	cfg_t *cfg;
	int rc;

	if (errs != NULL && errsz > 0)
		errs[0] = '\0';
	config_cur = &ld;
	cfg = cfg_init(config_opts, CFGF_NONE);
	if (cfg == NULL) {
		config_err(0, "out of memory");
		goto out;
	}
	cfg_set_error_function(cfg, config_errfunc);
	for (size_t i = 0; i < sizeof config_validators / sizeof config_validators[0]; i++)
		cfg_set_validate_func(cfg, config_validators[i].name, config_validators[i].cb);
	rc = cfg_parse(cfg, path);
	if (rc == CFG_FILE_ERROR) {
		config_err(0, "cannot read: %s", strerror(errno != 0 ? errno : ENOENT));
		goto out;
	}
	if (rc != CFG_SUCCESS || ld.nerr > 0) {
		if (ld.nerr == 0)
			config_err(0, "syntax error");
		goto out;
	}
	c = config_build(cfg, path, &ld);
	if (c != NULL && ld.nerr > 0) {
		config_free(c);
		c = NULL;
	}
out:
	if (cfg != NULL)
		cfg_free(cfg);
	config_cur = NULL;
	return c;
}

void
config_free(struct bm_config *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->socket);
	free(c->user);
	free(c->syslog_ident);
	config_strv_free(c->bounce_address);
	free(c->suppress_file);
	free(c->authserv_id);
	config_strv_free(c->pass_helo);
	config_strv_free(c->pass_networks);
	free(c->dns_zone_file);
	config_strv_free(c->verp_patterns);
	/* the secret is key material: clear it before the memory goes back */
	volatile unsigned char *k = c->verp_secret.key;
	for (size_t i = 0; i < sizeof c->verp_secret.key; i++)
		k[i] = 0;
	free((struct config_box *)c);
}

/* ------------------------------------------------------------------ current config */

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static struct bm_config *config_current;

void
config_install(struct bm_config *c)
{
	struct bm_config *old;
	bool drop = false;

	pthread_mutex_lock(&config_lock);
	if (c != NULL)
		((struct config_box *)c)->refs = 1;  /* the "current" reference */
	old = config_current;
	config_current = c;
	if (old != NULL)
		drop = --((struct config_box *)old)->refs == 0;
	pthread_mutex_unlock(&config_lock);
	if (drop)
		config_free(old);
}

struct bm_config *
config_get(void)
{
	struct bm_config *c;

	pthread_mutex_lock(&config_lock);
	c = config_current;
	if (c != NULL)
		((struct config_box *)c)->refs++;
	pthread_mutex_unlock(&config_lock);
	return c;
}

void
config_put(struct bm_config *c)
{
	bool drop;

	if (c == NULL)
		return;
	pthread_mutex_lock(&config_lock);
	drop = --((struct config_box *)c)->refs == 0;
	pthread_mutex_unlock(&config_lock);
	if (drop)
		config_free(c);
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * conf_schema.c - the libconfuse schema of bounce-milter.conf and one
 * validator per option (internal to conf.c; see conf_schema.h).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <confuse.h>

#include "classify/classify.h"
#include "classify/reason.h"
#include "daemon/conf_ops_schema.h"
#include "daemon/conf_schema.h"
#include "daemon/privs.h"
#include "daemon/sink_pg.h"
#include "suppress/suppress.h"
#include "trust/origin.h"
#include "trust/spf.h"
#include "trust/verp.h"

/* ------------------------------------------------------------------ names */

/* Declared in conf_schema.h; keep in step with the schema below. */
const char *const conf_option_names[] = {
	"socket", "user", "socket_mode", "syslog_facility", "syslog_ident",
	"max_message_bytes", "bounce_address", "max_suppress_per_message",
	"max_suppress_per_hour", "max_suppress_per_domain", "max_total_message_bytes",
	"suppress.file", "suppress.format", "suppress.classes", "suppress.reasons",
	"suppress.fold_local", "suppress.fsync", "suppress.on_error",
	"suppress.complaints",
	"trust.spf", "trust.spf_timeout_ms", "trust.authserv_id", "trust.origins",
	"trust.relays",
	"verp.patterns", "verp.tag_length", "signing.keys", "signing.valid_days",
	"pgsql.conninfo_file", "pgsql.table", "pgsql.host", "pgsql.batch",
	"pgsql.position_file", "pgsql.retry_max_s", "pgsql.events_table",
	/* operations: conf_ops.c */
	"control.socket", "control.max_clients", "control.max_requests_per_second",
	"allowlist.entries", "allowlist.file", "eventlog.file", "eventlog.fsync",
	"escalate.enabled", "escalate.days", "escalate.window_days", "escalate.reasons",
	"escalate.state_file", "summary_minutes",
	NULL
};

#define CONFIG_DEFAULT_LIST "/var/lib/bounce-milter/suppressed.txt"

static const struct {
	const char *name;
	int facility;
} conf_schema_facilities[] = {
	{ "mail", LOG_MAIL }, { "daemon", LOG_DAEMON }, { "user", LOG_USER },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
	{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

/* ------------------------------------------------------------------ validators */

const char *
conf_schema_str(cfg_opt_t *opt, unsigned i)
{
	const char *s = cfg_opt_getnstr(opt, i);

	return s != NULL ? s : "";
}

bool
conf_schema_has_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static int
vd_socket(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = conf_schema_str(opt, 0);

	if ((strncmp(s, "inet:", 5) == 0 && s[5] != '\0') ||
	    (strncmp(s, "inet6:", 6) == 0 && s[6] != '\0') ||
	    (strncmp(s, "unix:/", 6) == 0) || (strncmp(s, "local:/", 7) == 0))
		if (!conf_schema_has_ctl(s))
			return 0;
	cfg_error(cfg, "socket: \"%s\" is not inet:PORT@HOST, inet6:PORT@HOST or unix:/ABSOLUTE/PATH", s);
	return -1;
}

static int
vd_user(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = conf_schema_str(opt, 0);
	char err[256];
	uid_t uid;
	gid_t gid;

	if (conf_cur != NULL)
		conf_cur->line_user = cfg->line;
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

int
conf_schema_parse_mode(const char *s, unsigned *mode)
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

	if (conf_schema_parse_mode(conf_schema_str(opt, 0), &mode) == 0)
		return 0;
	cfg_error(cfg, "socket_mode: \"%s\" is not an octal mode between 0000 and 0777",
	    conf_schema_str(opt, 0));
	return -1;
}

int
conf_schema_facility(const char *name)
{
	for (size_t i = 0; i < sizeof conf_schema_facilities / sizeof conf_schema_facilities[0]; i++)
		if (strcmp(conf_schema_facilities[i].name, name) == 0)
			return conf_schema_facilities[i].facility;
	return -1;
}

static int
vd_facility(cfg_t *cfg, cfg_opt_t *opt)
{
	if (conf_schema_facility(conf_schema_str(opt, 0)) >= 0)
		return 0;
	cfg_error(cfg, "syslog_facility: \"%s\" is not one of mail, daemon, user, local0 ... local7",
	    conf_schema_str(opt, 0));
	return -1;
}

static int
vd_ident(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = conf_schema_str(opt, 0);

	if (*s != '\0' && strlen(s) < 48 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == strlen(s))
		return 0;
	cfg_error(cfg, "syslog_ident: \"%s\" must be 1-47 letters, digits, '-', '_' or '.'", s);
	return -1;
}

int
conf_schema_range(cfg_t *cfg, cfg_opt_t *opt, const char *name, long lo, long hi)
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
	return conf_schema_range(cfg, opt, "max_message_bytes", 4096, 64L * 1024 * 1024);
}

static int
vd_per_message(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_schema_range(cfg, opt, "max_suppress_per_message", 1, 100000);
}

static int
vd_per_hour(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_schema_range(cfg, opt, "max_suppress_per_hour", 1, 10000000);
}

static int
vd_total_bytes(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_schema_range(cfg, opt, "max_total_message_bytes", 65536,
	    64L * 1024 * 1024 * 1024);
}

static int
vd_per_domain(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_schema_range(cfg, opt, "max_suppress_per_domain", 1, 10000000);
}

static int
vd_spf_timeout(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_schema_range(cfg, opt, "trust.spf_timeout_ms", 1, 60000);
}

static int
vd_tag_length(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_schema_range(cfg, opt, "verp.tag_length", VERP_TAG_MIN, VERP_TAG_MAX);
}

static int
vd_valid_days(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_schema_range(cfg, opt, "signing.valid_days", 1, 365);
}

static int
vd_globs(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		const char *s = conf_schema_str(opt, i);

		if (*s == '\0' || strlen(s) > 320 || conf_schema_has_ctl(s) ||
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
	const char *s = conf_schema_str(opt, 0);

	if (conf_cur != NULL)
		conf_cur->line_file = cfg->line;
	if (*s != '/' || conf_schema_has_ctl(s) || strlen(s) >= PATH_MAX) {
		cfg_error(cfg, "suppress.file: \"%s\" must be an absolute path", s);
		return -1;
	}
	return 0;
}

static int
vd_format(cfg_t *cfg, cfg_opt_t *opt)
{
	if (suppress_format_from_name(conf_schema_str(opt, 0)) >= 0)
		return 0;
	cfg_error(cfg, "suppress.format: \"%s\" is not one of plain, csv, jsonl, postfix",
	    conf_schema_str(opt, 0));
	return -1;
}

static int
vd_classes(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		int c = bm_class_from_name(conf_schema_str(opt, i));

		if (c < 0 || !bm_class_is_failure((enum bm_class)c)) {
			cfg_error(cfg, "suppress.classes: \"%s\" is not one of hard, block, soft, undetermined",
			    conf_schema_str(opt, i));
			return -1;
		}
	}
	return 0;
}

static int
vd_reasons(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		if (reason_from_name(conf_schema_str(opt, i)) < 0) {
			cfg_error(cfg, "suppress.reasons: \"%s\" is not a reason word (see bounce-milter.conf(5))",
			    conf_schema_str(opt, i));
			return -1;
		}
	}
	return 0;
}

static int
vd_fsync(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = conf_schema_str(opt, 0);

	if (strcmp(s, "always") == 0 || strcmp(s, "never") == 0)
		return 0;
	cfg_error(cfg, "suppress.fsync: \"%s\" is not always or never", s);
	return -1;
}

static int
vd_on_error(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = conf_schema_str(opt, 0);

	if (strcmp(s, "tempfail") == 0 || strcmp(s, "accept") == 0)
		return 0;
	cfg_error(cfg, "suppress.on_error: \"%s\" is not tempfail or accept", s);
	return -1;
}

static int
vd_spf(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = conf_schema_str(opt, 0);

	if (strcmp(s, "on") == 0 || strcmp(s, "off") == 0)
		return 0;
	if (strcmp(s, "pass") == 0 || strcmp(s, "not-fail") == 0) {
		cfg_error(cfg, "trust.spf: \"%s\" is no longer a policy: SPF on the HELO name "
		    "does not show that our mail bounced; say which origins may suppress "
		    "with trust.origins", s);
		return -1;
	}
	cfg_error(cfg, "trust.spf: \"%s\" is not on or off", s);
	return -1;
}

static int
vd_authserv(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = conf_schema_str(opt, 0);

	if (strlen(s) < 256 && strpbrk(s, " \t;()\"") == NULL && !conf_schema_has_ctl(s))
		return 0;
	cfg_error(cfg, "trust.authserv_id: \"%s\" is not a host name", s);
	return -1;
}

static int
vd_origins(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		const char *s = conf_schema_str(opt, i);

		if (origin_parse(s) == ORIGIN_COUNT) {
			cfg_error(cfg, "trust.origins: \"%s\" is not signed, trusted, aligned or unaligned", s);
			return -1;
		}
	}
	return 0;
}

static int
vd_relays(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		if (!origin_network_valid(conf_schema_str(opt, i))) {
			cfg_error(cfg, "trust.relays: \"%s\" is not an address or network (192.0.2.0/24, 2001:db8::/32)",
			    conf_schema_str(opt, i));
			return -1;
		}
	}
	return 0;
}

static int
vd_patterns(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		if (!verp_pattern_valid(conf_schema_str(opt, i))) {
			cfg_error(cfg, "verp.patterns: \"%s\" is not a VERP pattern (needs {local} and {domain}, e.g. bounces+{local}={domain}@example.com)",
			    conf_schema_str(opt, i));
			return -1;
		}
	}
	return 0;
}

static int
vd_keys(cfg_t *cfg, cfg_opt_t *opt)
{
	if (conf_cur != NULL)
		conf_cur->line_secret = cfg->line;
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		const char *s = conf_schema_str(opt, i);

		if (s[0] < '0' || s[0] > '9' || s[1] != ':' || s[2] != '/') {
			cfg_error(cfg, "signing.keys: \"%s\" is not KEYID:/absolute/path (KEYID a digit 0-9)", s);
			return -1;
		}
	}
	return 0;
}

/* pgsql: the shipper to PostgreSQL (daemon/sink_pg.h) */
static int
vd_pg_conninfo(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = conf_schema_str(opt, 0);

	if (conf_cur != NULL)
		conf_cur->line_pg = cfg->line;
	if (*s != '\0' && *s != '/') {
		cfg_error(cfg, "pgsql.conninfo_file: \"%s\" is not an absolute path", s);
		return -1;
	}
	return 0;
}

static int
vd_pg_table(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = conf_schema_str(opt, 0);

	if (!sink_pg_table_valid(s)) {
		cfg_error(cfg, "pgsql.table: \"%s\" is not a table name (letters, digits, '_', one optional schema. prefix)", s);
		return -1;
	}
	return 0;
}

static int
vd_pg_events_table(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = conf_schema_str(opt, 0);

	if (*s != '\0' && !sink_pg_table_valid(s)) {
		cfg_error(cfg, "pgsql.events_table: \"%s\" is not a table name (letters, digits, '_', one optional schema. prefix)", s);
		return -1;
	}
	return 0;
}

static int
vd_pg_host(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = conf_schema_str(opt, 0);

	if (strlen(s) > 255 || conf_schema_has_ctl(s)) {
		cfg_error(cfg, "pgsql.host: \"%s\" is not a host name", s);
		return -1;
	}
	return 0;
}

static int
vd_pg_batch(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_schema_range(cfg, opt, "pgsql.batch", 1, 1000);
}

static int
vd_pg_position(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = conf_schema_str(opt, 0);

	if (*s != '\0' && (*s != '/' || conf_schema_has_ctl(s))) {
		cfg_error(cfg, "pgsql.position_file: \"%s\" is not an absolute path", s);
		return -1;
	}
	return 0;
}

static int
vd_pg_retry(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_schema_range(cfg, opt, "pgsql.retry_max_s", 1, 3600);
}

/* ------------------------------------------------------------------ schema */

static cfg_opt_t conf_schema_suppress_opts[] = {
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

static cfg_opt_t conf_schema_trust_opts[] = {
	CFG_STR("spf", "on", CFGF_NONE),
	CFG_INT("spf_timeout_ms", 2000, CFGF_NONE),
	CFG_STR("authserv_id", "", CFGF_NONE),
	CFG_STR_LIST("origins", "{signed, trusted, aligned}", CFGF_NONE),
	CFG_STR_LIST("relays", "{}", CFGF_NONE),
	CFG_END()
};

static cfg_opt_t conf_schema_verp_opts[] = {
	CFG_STR_LIST("patterns", "{}", CFGF_NONE),
	CFG_INT("tag_length", 16, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t conf_schema_pgsql_opts[] = {
	CFG_STR("conninfo_file", "", CFGF_NONE),
	CFG_STR("table", "bounce_suppressed", CFGF_NONE),
	CFG_STR("host", "", CFGF_NONE),
	CFG_INT("batch", 500, CFGF_NONE),
	CFG_STR("position_file", "", CFGF_NONE),
	CFG_INT("retry_max_s", 60, CFGF_NONE),
	CFG_STR("events_table", "bounce_events", CFGF_NONE),
	CFG_END()
};

static cfg_opt_t conf_schema_signing_opts[] = {
	CFG_STR_LIST("keys", "{}", CFGF_NONE),
	CFG_INT("valid_days", 7, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t conf_schema_opts[] = {
	CFG_STR("socket", "inet:9704@127.0.0.1", CFGF_NONE),
	CFG_STR("user", "", CFGF_NONE),
	CFG_STR("socket_mode", "0660", CFGF_NONE),
	CFG_STR("syslog_facility", "mail", CFGF_NONE),
	CFG_STR("syslog_ident", "bounce-milter", CFGF_NONE),
	CFG_INT("max_message_bytes", 1048576, CFGF_NONE),
	CFG_STR_LIST("bounce_address", "{}", CFGF_NONE),
	CFG_INT("max_suppress_per_message", 10, CFGF_NONE),
	CFG_INT("max_suppress_per_hour", 1000, CFGF_NONE),
	CFG_INT("max_suppress_per_domain", 10000, CFGF_NONE),
	CFG_INT("max_total_message_bytes", 536870912, CFGF_NONE),
	CFG_SEC("suppress", conf_schema_suppress_opts, CFGF_NONE),
	CFG_SEC("trust", conf_schema_trust_opts, CFGF_NONE),
	CFG_SEC("verp", conf_schema_verp_opts, CFGF_NONE),
	CFG_SEC("pgsql", conf_schema_pgsql_opts, CFGF_NONE),
	/* operations: conf_ops.c */
	CFG_SEC("control", conf_ops_control_opts, CFGF_NONE),
	CFG_SEC("allowlist", conf_ops_allowlist_opts, CFGF_NONE),
	CFG_SEC("eventlog", conf_ops_eventlog_opts, CFGF_NONE),
	CFG_SEC("escalate", conf_ops_escalate_opts, CFGF_NONE),
	CFG_INT("summary_minutes", 0, CFGF_NONE),
	CFG_SEC("signing", conf_schema_signing_opts, CFGF_NONE),
	CFG_END()
};

static const struct {
	const char *name;
	cfg_validate_callback_t cb;
} conf_schema_validators[] = {
	{ "socket", vd_socket }, { "user", vd_user }, { "socket_mode", vd_socket_mode },
	{ "syslog_facility", vd_facility }, { "syslog_ident", vd_ident },
	{ "max_message_bytes", vd_max_message_bytes },
	{ "bounce_address", vd_globs },
	{ "max_suppress_per_message", vd_per_message },
	{ "max_suppress_per_hour", vd_per_hour },
	{ "max_suppress_per_domain", vd_per_domain },
	{ "max_total_message_bytes", vd_total_bytes },
	{ "suppress|file", vd_list_file }, { "suppress|format", vd_format },
	{ "suppress|classes", vd_classes }, { "suppress|reasons", vd_reasons },
	{ "suppress|fsync", vd_fsync }, { "suppress|on_error", vd_on_error },
	{ "trust|spf", vd_spf }, { "trust|spf_timeout_ms", vd_spf_timeout },
	{ "trust|authserv_id", vd_authserv }, { "trust|origins", vd_origins },
	{ "trust|relays", vd_relays },
	{ "verp|patterns", vd_patterns }, { "signing|keys", vd_keys },
	{ "signing|valid_days", vd_valid_days },
	{ "verp|tag_length", vd_tag_length },
	{ "pgsql|conninfo_file", vd_pg_conninfo }, { "pgsql|table", vd_pg_table },
	{ "pgsql|host", vd_pg_host }, { "pgsql|batch", vd_pg_batch },
	{ "pgsql|position_file", vd_pg_position }, { "pgsql|retry_max_s", vd_pg_retry },
	{ "pgsql|events_table", vd_pg_events_table },
};

/* ------------------------------------------------------------------ parser */

cfg_t *
conf_schema_new(cfg_errfunc_t errfunc)
{
	cfg_t *cfg = cfg_init(conf_schema_opts, CFGF_NONE);

	if (cfg == NULL)
		return NULL;
	cfg_set_error_function(cfg, errfunc);
	for (size_t i = 0; i < sizeof conf_schema_validators / sizeof conf_schema_validators[0]; i++)
		cfg_set_validate_func(cfg, conf_schema_validators[i].name,
		    conf_schema_validators[i].cb);
	conf_ops_validators(cfg);
	return cfg;
}

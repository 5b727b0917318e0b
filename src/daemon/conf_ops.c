/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * conf_ops.c - schema, validators and build of the operations options (see
 * conf_ops.h and conf_ops_schema.h).  Defaults: no control socket, empty
 * allowlist, no event log, escalation off (3 distinct days within 7,
 * reasons mailboxfull and suspend), no syslog summary.
 */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <confuse.h>

#include "classify/reason.h"
#include "daemon/allowlist.h"
#include "daemon/conf_ops.h"
#include "daemon/conf_ops_schema.h"
#include "daemon/conf_schema.h"

cfg_opt_t conf_ops_control_opts[] = {
	CFG_STR("socket", "", CFGF_NONE),
	CFG_INT("max_clients", 8, CFGF_NONE),
	CFG_INT("max_requests_per_second", 50, CFGF_NONE),
	CFG_END()
};

cfg_opt_t conf_ops_allowlist_opts[] = {
	CFG_STR_LIST("entries", "{}", CFGF_NONE),
	CFG_STR("file", "", CFGF_NONE),
	CFG_END()
};

cfg_opt_t conf_ops_eventlog_opts[] = {
	CFG_STR("file", "", CFGF_NONE),
	CFG_STR("fsync", "always", CFGF_NONE),
	CFG_END()
};

cfg_opt_t conf_ops_escalate_opts[] = {
	CFG_BOOL("enabled", cfg_false, CFGF_NONE),
	CFG_INT("days", 3, CFGF_NONE),
	CFG_INT("window_days", 7, CFGF_NONE),
	CFG_STR_LIST("reasons", "{mailboxfull, suspend}", CFGF_NONE),
	CFG_STR("state_file", "", CFGF_NONE),
	CFG_END()
};

static bool
co_path_ok(const char *s, bool empty_ok)
{
	if (*s == '\0')
		return empty_ok;
	return *s == '/' && strlen(s) < PATH_MAX - 16 && !conf_schema_has_ctl(s);
}

static int
vd_control_socket(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = conf_schema_str(opt, 0);

	/* sun_path holds 108 octets on Linux, 104 on the BSDs */
	if (co_path_ok(s, true) && strlen(s) < 104)
		return 0;
	cfg_error(cfg, "control.socket: \"%s\" must be an absolute path of at most 103 octets", s);
	return -1;
}

static int
vd_max_clients(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_schema_range(cfg, opt, "control.max_clients", 1, 64);
}

static int
vd_rate(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_schema_range(cfg, opt, "control.max_requests_per_second", 1, 10000);
}

static int
vd_allow_entries(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		if (!allowlist_entry_ok(conf_schema_str(opt, i))) {
			cfg_error(cfg, "allowlist.entries: \"%s\" is not an address, domain or glob",
			    conf_schema_str(opt, i));
			return -1;
		}
	}
	return 0;
}

static int
vd_path(cfg_t *cfg, cfg_opt_t *opt, const char *name)
{
	if (co_path_ok(conf_schema_str(opt, 0), true))
		return 0;
	cfg_error(cfg, "%s: \"%s\" must be an absolute path", name, conf_schema_str(opt, 0));
	return -1;
}

static int vd_allow_file(cfg_t *c, cfg_opt_t *o) { return vd_path(c, o, "allowlist.file"); }
static int vd_eventlog_file(cfg_t *c, cfg_opt_t *o) { return vd_path(c, o, "eventlog.file"); }
static int vd_state_file(cfg_t *c, cfg_opt_t *o) { return vd_path(c, o, "escalate.state_file"); }

static int
vd_eventlog_fsync(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = conf_schema_str(opt, 0);

	if (strcmp(s, "always") == 0 || strcmp(s, "never") == 0)
		return 0;
	cfg_error(cfg, "eventlog.fsync: \"%s\" is not always or never", s);
	return -1;
}

static int
vd_days(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_schema_range(cfg, opt, "escalate.days", 2, 366);
}

static int
vd_window(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_schema_range(cfg, opt, "escalate.window_days", 2, 366);
}

static int
vd_esc_reasons(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		if (reason_from_name(conf_schema_str(opt, i)) < 0) {
			cfg_error(cfg, "escalate.reasons: \"%s\" is not a reason word", conf_schema_str(opt, i));
			return -1;
		}
	}
	return 0;
}

static int
vd_summary(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_schema_range(cfg, opt, "summary_minutes", 0, 1440);
}

void
conf_ops_validators(cfg_t *cfg)
{
	static const struct {
		const char *name;
		cfg_validate_callback_t cb;
	} v[] = {
		{ "control|socket", vd_control_socket },
		{ "control|max_clients", vd_max_clients },
		{ "control|max_requests_per_second", vd_rate },
		{ "allowlist|entries", vd_allow_entries },
		{ "allowlist|file", vd_allow_file },
		{ "eventlog|file", vd_eventlog_file },
		{ "eventlog|fsync", vd_eventlog_fsync },
		{ "escalate|days", vd_days },
		{ "escalate|window_days", vd_window },
		{ "escalate|reasons", vd_esc_reasons },
		{ "escalate|state_file", vd_state_file },
		{ "summary_minutes", vd_summary },
	};

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		cfg_set_validate_func(cfg, v[i].name, v[i].cb);
}

int
conf_ops_build(cfg_t *cfg, struct conf_ops *o, char *err, size_t errsz)
{
	cfg_t *ctl = cfg_getsec(cfg, "control");
	cfg_t *al = cfg_getsec(cfg, "allowlist");
	cfg_t *ev = cfg_getsec(cfg, "eventlog");
	cfg_t *es = cfg_getsec(cfg, "escalate");
	char **entries = NULL;
	unsigned n;

	memset(o, 0, sizeof *o);
	if (ctl == NULL || al == NULL || ev == NULL || es == NULL)
		goto oom;
	o->control_socket = strdup(cfg_getstr(ctl, "socket"));
	o->control_max_clients = (unsigned)cfg_getint(ctl, "max_clients");
	o->control_rate = (unsigned)cfg_getint(ctl, "max_requests_per_second");
	o->eventlog_file = strdup(cfg_getstr(ev, "file"));
	o->eventlog_fsync = strcmp(cfg_getstr(ev, "fsync"), "always") == 0;
	o->escalate = cfg_getbool(es, "enabled") == cfg_true;
	o->escalate_days = (unsigned)cfg_getint(es, "days");
	o->escalate_window = (unsigned)cfg_getint(es, "window_days");
	for (unsigned i = 0; i < cfg_size(es, "reasons"); i++) {
		int k = reason_from_name(cfg_getnstr(es, "reasons", i));

		if (k >= 0 && k < BM_REASON_COUNT)
			o->escalate_reason[k] = true;
	}
	o->escalate_state_file = strdup(cfg_getstr(es, "state_file"));
	o->summary_minutes = (unsigned)cfg_getint(cfg, "summary_minutes");
	if (o->control_socket == NULL || o->eventlog_file == NULL ||
	    o->escalate_state_file == NULL)
		goto oom;
	if (o->escalate && o->escalate_state_file[0] == '\0') {
		(void)snprintf(err, errsz, "escalate.state_file is required when escalate.enabled is true");
		return -1;
	}
	if (o->escalate && o->escalate_days > o->escalate_window) {
		(void)snprintf(err, errsz, "escalate.days (%u) is more than escalate.window_days (%u)",
		    o->escalate_days, o->escalate_window);
		return -1;
	}
	n = cfg_size(al, "entries");
	if ((entries = calloc((size_t)n + 1, sizeof *entries)) == NULL)
		goto oom;
	for (unsigned i = 0; i < n; i++)
		entries[i] = cfg_getnstr(al, "entries", i);
	o->allowlist = allowlist_new(entries, cfg_getstr(al, "file"), err, errsz);
	free(entries);
	return o->allowlist != NULL ? 0 : -1;
oom:
	(void)snprintf(err, errsz, "out of memory");
	return -1;
}

void
conf_ops_free(struct conf_ops *o)
{
	free(o->control_socket);
	free(o->eventlog_file);
	free(o->escalate_state_file);
	allowlist_free(o->allowlist);
	memset(o, 0, sizeof *o);
}

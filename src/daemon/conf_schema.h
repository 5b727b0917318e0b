/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * conf_schema.h - internal to the conf module: what bounce-milter.conf
 * may contain, and the per-thread state the loader and validators share.
 *
 * conf_schema_new() returns a libconfuse parser that knows every option
 * (conf_option_names), its default and its validator; parse errors and
 * invalid values go to errfunc.  The validators refuse bad values with
 * cfg_error() and note the line of the options conf.c checks again after
 * parsing (list file, user, signing keys) in conf_cur, which conf.c
 * sets for the duration of conf_load().  conf_schema_parse_mode() and
 * conf_schema_facility() turn already validated strings into values.
 * Only conf.c and conf_ops.c (for the validator helpers) include this
 * header, and test_conf.c for the option names; the rest of the daemon
 * uses conf.h.
 */
#ifndef BM_CONF_SCHEMA_H
#define BM_CONF_SCHEMA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <confuse.h>

/* One load at a time per thread: libconfuse validators have no user pointer. */
struct conf_load {
	const char *path;
	char *errs;
	size_t errsz;
	size_t len;
	int nerr;
	int line_file, line_user, line_secret;
	int line_pg;                  /* pgsql.conninfo_file */
};

/* Defined in conf.c: the load in progress on this thread, else NULL. */
extern _Thread_local struct conf_load *conf_cur;

/* The names of every option, dotted ("suppress.file"), NULL-terminated:
 * tests compare this with the sample config and the man page. */
extern const char *const conf_option_names[];

/* A parser for the whole schema, or NULL (out of memory); cfg_free() it. */
cfg_t *conf_schema_new(cfg_errfunc_t errfunc);

/* "0660" -> 0660; -1 unless all octal digits with a value up to 0777. */
int conf_schema_parse_mode(const char *s, unsigned *mode);

/* "mail" -> LOG_MAIL; -1 for an unknown name. */
int conf_schema_facility(const char *name);

/* Helpers for the validators here and in conf_ops.c: an option's i-th
 * string ("" when unset), whether a string holds a control character, and
 * an integer option checked against [lo, hi] (cfg_error() names it). */
const char *conf_schema_str(cfg_opt_t *opt, unsigned i);
bool conf_schema_has_ctl(const char *s);
int conf_schema_range(cfg_t *cfg, cfg_opt_t *opt, const char *name, long lo, long hi);

#endif

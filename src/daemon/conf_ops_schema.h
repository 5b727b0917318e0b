/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * conf_ops_schema.h - internal to the config module: the libconfuse side
 * of the operations sections of bounce-milter.conf (control, allowlist,
 * eventlog, escalate) and the summary_minutes option.
 *
 * conf_schema.c puts the four sections and the option into its schema and
 * calls conf_ops_validators() on every new parser; conf.c calls
 * conf_ops_build() after a successful parse (the allowlist file is read
 * there, so a reload re-reads it) and conf_ops_free() with the config.
 * conf_ops_build() returns -1 with one message in err.  Only conf*.c
 * include this header; struct conf_ops itself is conf_ops.h's.
 */
#ifndef BM_CONF_OPS_SCHEMA_H
#define BM_CONF_OPS_SCHEMA_H

#include <stddef.h>

#include <confuse.h>

struct conf_ops;

extern cfg_opt_t conf_ops_control_opts[];
extern cfg_opt_t conf_ops_allowlist_opts[];
extern cfg_opt_t conf_ops_eventlog_opts[];
extern cfg_opt_t conf_ops_escalate_opts[];

void conf_ops_validators(cfg_t *cfg);
int conf_ops_build(cfg_t *cfg, struct conf_ops *o, char *err, size_t errsz);

#endif

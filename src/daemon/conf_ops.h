/*
 * conf_ops.h - internal to the config module: the operations sections of
 * bounce-milter.conf (control, allowlist, eventlog, escalate) and the
 * summary_minutes option.
 *
 * conf_schema.c puts the four sections and the option into its schema and
 * calls conf_ops_validators() on every new parser; conf.c calls
 * conf_ops_build() after a successful parse (the allowlist file is read
 * there, so a reload re-reads it) and conf_ops_free() with the config.
 * conf_ops_build() returns -1 with one message in err.  Only conf*.c
 * include this header.
 */
#ifndef BM_CONF_OPS_H
#define BM_CONF_OPS_H

#include <stddef.h>

#include <confuse.h>

#include "daemon/conf.h"

extern cfg_opt_t conf_ops_control_opts[];
extern cfg_opt_t conf_ops_allowlist_opts[];
extern cfg_opt_t conf_ops_eventlog_opts[];
extern cfg_opt_t conf_ops_escalate_opts[];

void conf_ops_validators(cfg_t *cfg);
int conf_ops_build(cfg_t *cfg, struct conf_ops *o, char *err, size_t errsz);
void conf_ops_free(struct conf_ops *o);

#endif

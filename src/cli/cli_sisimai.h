/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cli_sisimai.h - bounce-classify -o sisimai: records with the field names
 * of Sisimai's JSON (Sisimai::Data in 4.x, Sisimai::Fact in 5.x), so
 * tools written for `Sisimai->dump` output can read ours.
 *
 * The output is one JSON array for the whole run, one object per line,
 * like Sisimai's dump of an mbox or a Maildir.  Like Sisimai, only bounces
 * give records (not ordinary mail, not successful deliveries).  Both
 * generations of key names are written: smtpcommand and command,
 * smtpagent and decodedby, softbounce and hardbounce.  Values are ours:
 * reason, deliverystatus and the rest are this classifier's verdicts;
 * recipient is the address delivery failed at and alias the one the
 * sender used, as in Sisimai (our recipient/final_recipient pair turned);
 * timestamp and timezoneoffset come from the bounce's Date: (0 and "" when
 * it has none); token is Sisimai's SHA-1 over addresser, recipient and
 * timestamp ("" without an addresser); diagnostictype and catch are
 * always empty (we keep no Diagnostic-Code type and run no hooks).
 * Writes to stdout; not thread-safe.
 */
#ifndef BM_CLI_SISIMAI_H
#define BM_CLI_SISIMAI_H

#include <stdbool.h>

#include "classify/bounce.h"

void cli_sisimai_begin(void);
/* Whether this record is one Sisimai would give. */
bool cli_sisimai_wants(const struct bounce_result *res, const struct bounce_rcpt *r);
void cli_sisimai_row(const char *origin, const struct bounce_result *res,
                     const struct bounce_rcpt *r);
void cli_sisimai_end(void);

#endif

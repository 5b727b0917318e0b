/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mta.h - the only calls into libmilter outside main.c and milter.c.
 *
 * Thin, checked wrappers for what the callbacks ask of the MTA: copying a
 * macro value (bounded, NUL-terminated, "" when the MTA did not send it),
 * deleting every forged X-Bounce-* header of a session (per name, from the
 * highest index down to 1, so Postfix's renumbering after each deletion
 * cannot make us delete the wrong header: CVE-2022-48521), adding a header,
 * and setting the SMTP reply.  Each returns 0 or -1; failures are logged.
 * Only valid inside the callback whose context is passed (eom for changes).
 */
#ifndef BM_MTA_H
#define BM_MTA_H

#include <stddef.h>

struct smfi_str;   /* libmilter's SMFICTX */
struct session;

/* Copy macro `name` ("i", "{mail_addr}") into out; 0 if it was sent. */
int mta_macro(struct smfi_str *ctx, const char *name, char *out, size_t outsz);
/* Delete every forged X-Bounce-* header noted in the session; returns the
 * number of failed deletions (0 = all sent). */
int mta_delete_forged(struct smfi_str *ctx, const struct session *s, const char *qid);
int mta_add_header(struct smfi_str *ctx, const char *name, const char *value,
                   const char *qid);
int mta_reply(struct smfi_str *ctx, const char *rcode, const char *xcode,
              const char *text);

#endif

/*
 * milter.h - the libmilter callbacks (bm_*) and their registration.
 *
 * milter_desc() returns the filled struct smfiDesc for smfi_register(): every
 * step has a callback, so that negotiation asks the MTA for all of connect,
 * helo, mail, rcpt, data, header, eoh and body (a step negotiated away makes
 * Postfix stall on delayed ACKs), and the actions are add and change headers
 * only.  The callbacks are thin: they copy what the MTA hands them into the
 * session (session.h), call action_eom() once at end of message and apply its
 * plan through mta.h.  No callback exits, aborts or blocks, except for the
 * durable suppression-list write inside action_eom().
 */
#ifndef BM_MILTER_H
#define BM_MILTER_H

#include <stdbool.h>

#include <libmilter/mfapi.h>

struct smfiDesc *milter_desc(void);

sfsistat bm_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
                      unsigned long f2, unsigned long f3, unsigned long *pf0,
                      unsigned long *pf1, unsigned long *pf2, unsigned long *pf3);
sfsistat bm_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *hostaddr);
sfsistat bm_helo(SMFICTX *ctx, char *helohost);
sfsistat bm_envfrom(SMFICTX *ctx, char **argv);
sfsistat bm_envrcpt(SMFICTX *ctx, char **argv);
sfsistat bm_data(SMFICTX *ctx);
sfsistat bm_header(SMFICTX *ctx, char *name, char *value);
sfsistat bm_eoh(SMFICTX *ctx);
sfsistat bm_body(SMFICTX *ctx, unsigned char *chunk, size_t len);
sfsistat bm_eom(SMFICTX *ctx);
sfsistat bm_abort(SMFICTX *ctx);
sfsistat bm_close(SMFICTX *ctx);

#endif

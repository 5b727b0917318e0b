/* SPDX-License-Identifier: BSD-2-Clause */
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
 * durable suppression-list write inside action_eom().  The callbacks are
 * static: the descriptor is the only way to them (the callback tests use
 * it too), so this header needs none of libmilter's types.
 */
#ifndef BM_MILTER_H
#define BM_MILTER_H

struct smfiDesc;

/* The descriptor (static storage) naming every callback; callers that
 * pass it to smfi_register() include <libmilter/mfapi.h> themselves. */
struct smfiDesc *milter_desc(void);

#endif

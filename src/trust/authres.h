/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * authres.h - reading the SPF result from an Authentication-Results header.
 *
 * authres_spf() parses one header value (RFC 8601: authserv-id, optional
 * version, then "; method=result ..." resinfo items, or "; none") and, only
 * when its authserv-id equals trusted_id (case-insensitive, exact), reports
 * the result of the first "spf" method and the identity it names: the
 * domain of smtp.helo= or of smtp.mailfrom= (after its last '@'); a result
 * counts only for that identity.  Comments "( ... )" (nested, depth
 * at most 8), quoted strings and folding white space are understood; method
 * names and results are case-insensitive; the legacy RFC 7001 "hardfail"
 * reads as fail.  Input is bounded by len (NUL bytes are invalid); no
 * allocation; pure and thread-safe.  The caller decides which header to
 * believe: the daemon honours an A-R result only when exactly one header
 * carries its configured authserv_id (two mean a sender added one: both
 * are void).
 */
#ifndef BM_AUTHRES_H
#define BM_AUTHRES_H

#include <stddef.h>

#include "trust/spf.h"

enum authres_status {
	AUTHRES_FOREIGN = 0,  /* another authserv-id (or none readable): ignore */
	AUTHRES_MALFORMED,    /* our id, but the rest is not RFC 8601: trust nothing */
	AUTHRES_NO_SPF,       /* our id, well formed, no spf method */
	AUTHRES_SPF,          /* our id, *res holds the spf result */
};

enum authres_ident { AUTHRES_ID_NONE = 0, AUTHRES_ID_HELO, AUTHRES_ID_MAILFROM };

struct authres_spf {
	enum spf_res res;           /* AUTHRES_SPF: the result */
	enum authres_ident ident;   /* which identity it names, if any */
	char domain[256];           /* that identity's domain */
};

enum authres_status authres_spf(const char *value, size_t len,
                                const char *trusted_id, struct authres_spf *out);

#endif

/*
 * authres.h - reading the SPF result from an Authentication-Results header.
 *
 * authres_spf() parses one header value (RFC 8601: authserv-id, optional
 * version, then "; method=result ..." resinfo items, or "; none") and, only
 * when its authserv-id equals trusted_id (case-insensitive, exact), reports
 * the result of the first "spf" method.  Comments "( ... )" (nested, depth
 * at most 8), quoted strings and folding white space are understood; method
 * names and results are case-insensitive; the legacy RFC 7001 "hardfail"
 * reads as fail.  Input is bounded by len (NUL bytes are invalid); no
 * allocation; pure and thread-safe.  The caller decides which header to
 * believe: the daemon honours only the top-most A-R header whose id is its
 * configured authserv_id and stops there whatever this returns for it.
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

enum authres_status authres_spf(const char *value, size_t len,
                                const char *trusted_id, enum spf_res *res);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * action_ctx.h - the per-message decision state that action.c fills and
 * report.c turns into headers and log lines, and the plan milter.c
 * applies (types only, so that action and report need not include each
 * other).
 *
 * One struct action_ctx per end-of-message, on action_eom()'s stack; one
 * struct action_rcpt per parsed recipient record, pointing into the
 * bounce_result that the context also points to.  Nothing here outlives
 * the call; no locking (one thread).
 */
#ifndef BM_ACTION_CTX_H
#define BM_ACTION_CTX_H

#include <stdbool.h>
#include <stddef.h>

#include "classify/bounce.h"
#include "trust/origin.h"
#include "trust/spf.h"

struct session;
struct bm_config;

#define BM_ACTION_VALUE_MAX 2048   /* one folded header value */
#define BM_ACTION_RCPT_HDRS 100    /* X-Bounce-Recipient headers per message */

/* What milter.c applies at end of message (action.h). */
struct action_header {
	const char *name;
	char value[BM_ACTION_VALUE_MAX];
};

struct action_plan {
	bool tempfail;                 /* answer 451 4.3.0, change nothing */
	struct action_header *hdrs;    /* headers to add, in order */
	size_t nhdrs;
};

enum action_state {
	ACTION_NOT_CANDIDATE = 0,  /* class/reason not configured to suppress */
	ACTION_NEW,                /* appended by this message */
	ACTION_LISTED,             /* already on the list */
	ACTION_REFUSED,            /* a candidate, not listed: see why */
};

struct action_rcpt {
	const struct bounce_rcpt *r;
	char target[BM_ADDR_MAX];  /* the address that is (or would be) listed */
	enum action_state state;
	enum origin_level level;   /* how far this record's origin is proven */
	const char *why;
	bool unlistable;           /* the list cannot hold target (suppress_addr_ok) */
	bool escalated;            /* a soft bounce listed by escalation */
	char word[80];             /* the listed reason when escalated */
	bool verp_mismatch;
};

struct action_ctx {
	struct session *s;
	const struct bm_config *cfg;
	const struct bounce_result *res;
	const char *qid;
	enum spf_res spf;
	bool spf_from_authres;
	bool keyed;                /* a signing secret is configured */
	bool signed_ok;            /* the envelope recipient signs the address to list */
	bool tagged_ok;            /* a valid BATV tag on a plain return path */
	const char *tag_why;       /* keyed, neither of the above: why= */
	const char *tag_word;      /* keyed: tag=valid|bad|expired|none */
	char net[64];              /* the client network: the hourly cap's key */
	bool relay;                /* the client is a configured relay */
	struct action_rcpt *rc;
	size_t nrc;
	unsigned added;            /* new entries chosen for this message */
};

#endif

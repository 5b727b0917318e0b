/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * session.h - per-connection and per-message state of the milter.
 *
 * A struct session lives from the first callback of an MTA connection to
 * close; it holds copies of the client address, the client name and the last
 * HELO, and the current message.  session_msg_reset() is the one idempotent
 * message cleanup: it runs at the start of every envfrom, in abort, at the end
 * of eom and in close, so no path leaks (early returns, two messages per
 * connection, abort mid-headers).  Everything the callbacks receive is copied
 * with a bound: headers are re-serialised ("Name: value" CRLF) into one
 * buffer, followed after eoh by at most max_message_bytes of body; past the
 * caps the message is marked truncated and the rest is dropped.  All
 * sessions together hold at most max_total_message_bytes of such data (an
 * atomic count; past it a message keeps nothing more and is marked
 * mem_capped).  The session
 * also notes forged X-Bounce-* headers (name and count per name, for deletion
 * from the highest index down), how many Authentication-Results headers
 * carry our authserv-id and the verdict of the first (action.c believes it
 * only when there is exactly one),
 * whether the message is examined (null sender, top-level multipart/report,
 * an envelope recipient matching bounce_address or a VERP pattern, also
 * inside a BATV prvs= address, whose tag is checked with the signing
 * keys), and owns
 * the message's SPF check and config reference.  No libmilter in here.
 * One session is used by one thread at a time (libmilter's promise).
 */
#ifndef BM_SESSION_H
#define BM_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "trust/authres.h"
#include "classify/bounce.h"
#include "util/buf.h"
#include "trust/sign.h"
#include "trust/verp.h"

#define BM_SESSION_HDR_MAX (256 * 1024)  /* re-serialised header bytes kept */
#define BM_SESSION_FORGED_MAX 32         /* distinct X-Bounce-* names tracked */
#define BM_SESSION_NAME_MAX 128
#define BM_SESSION_QID_MAX 64

struct bm_config;

struct session_forged {
	char name[BM_SESSION_NAME_MAX];  /* as first seen */
	unsigned count;                  /* occurrences, case-insensitive name */
};

struct session_msg {
	bool active;                     /* between envfrom and reset */
	struct bm_config *cfg;           /* reference held for the message */
	char mail_from[BM_ADDR_MAX];     /* without brackets; "" = null sender */
	bool null_sender;
	char qid[BM_SESSION_QID_MAX];
	unsigned nrcpt;
	bool to_bounce_address;          /* a recipient matched bounce_address */
	enum sign_status batv;           /* first BATV (prvs=) recipient: its tag */
	enum verp_status verp;           /* first VERP match among recipients */
	char verp_rcpt[BM_ADDR_MAX];     /* the VERP envelope recipient */
	char verp_addr[BM_ADDR_MAX];     /* its decoded address (also when the tag is bad) */
	bool ctype_seen;
	bool report_type;                /* top-level multipart/report */
	struct session_forged forged[BM_SESSION_FORGED_MAX];
	size_t nforged;
	bool forged_overflow;            /* more distinct names than tracked */
	unsigned authres_ours;           /* A-R headers carrying our authserv-id */
	enum authres_status authres;     /* verdict of the first of them */
	struct authres_spf authres_spf;  /* its spf result and identity */
	struct buf data;                 /* headers, blank line, body prefix */
	size_t hdr_bytes;
	size_t body_bytes;
	bool in_body;                    /* eoh seen */
	bool hdr_truncated;
	bool body_truncated;
	struct spf_check *spf;
	size_t held;                     /* bytes reserved under the global cap */
	bool mem_capped;                 /* max_total_message_bytes was reached */
};

struct session {
	struct sockaddr_storage addr;
	bool has_addr;
	char ip[64];                     /* printable client address, "" if none */
	char client_name[256];
	char helo[256];
	bool skip_ok;                    /* SMFIP_SKIP negotiated */
	struct session_msg msg;
};

struct session *session_new(void);
/* Resets the message, then frees; NULL is fine. */
void session_free(struct session *s);
void session_msg_reset(struct session *s);

void session_connect(struct session *s, const char *hostname,
                     const struct sockaddr *sa);
void session_helo(struct session *s, const char *helo);
/* Start a message with a config reference (ownership moves to the session). */
void session_mail(struct session *s, struct bm_config *cfg, const char *sender);
void session_rcpt(struct session *s, const char *rcpt);
void session_header(struct session *s, const char *name, const char *value);
void session_eoh(struct session *s);
/* Keep body bytes; returns true once nothing more is needed (SMFIS_SKIP). */
bool session_body(struct session *s, const unsigned char *chunk, size_t len);
void session_set_qid(struct session *s, const char *qid);

/* Does the message get parsed at eom? */
bool session_examined(const struct session *s);
/* Begin the SPF check if the message is a candidate and none runs yet. */
void session_spf_start(struct session *s);

/* Bytes of message data all sessions hold now (max_total_message_bytes). */
size_t session_held_bytes(void);

/* Strip one pair of angle brackets and surrounding blanks; bounded copy. */
void session_strip_addr(const char *in, char *out, size_t outsz);
/* Does the name start with "X-Bounce-" (any case)? */
bool session_is_ours(const char *name);

#endif

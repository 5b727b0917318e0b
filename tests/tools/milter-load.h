/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * milter-load.h - what the parts of milter-load share: the milter protocol's
 * wire constants (version 6, libmilter's mfdef.h), the options, the
 * messages read from files, per-thread statistics, one connection's
 * buffers, and the modes' entry points.
 *
 * milter-load-msg.c: small helpers (die, clocks, allocation, byte order, a
 * PRNG) and messages from files; milter-load-proto.c: the protocol codec
 * (connect, packets, negotiation) and one session (a message's steps and
 * every reply checked); milter-load-robust.c: the robustness and memory
 * modes (drop, garbage, badneg, hold); milter-load.c: options, the normal
 * and split modes, threads and the report.  Test tool, not installed.
 */
#ifndef BM_MILTER_LOAD_H
#define BM_MILTER_LOAD_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ------------------------------------------------------------ wire constants
 * Milter protocol version 6 (libmilter include/libmilter/mfdef.h). */
#define ML_VERSION 6u
#define ML_CHUNK 65535u           /* MILTER_CHUNK_SIZE */
#define ML_MAX_DATA 65535u       /* MILTER_MAX_DATA_SIZE: largest packet libmilter reads */
#define ML_MAX_REPLY (1u << 20)   /* largest reply we accept (replbody is 64K) */

enum {
	C_ABORT = 'A', C_BODY = 'B', C_CONNECT = 'C', C_MACRO = 'D',
	C_BODYEOB = 'E', C_HELO = 'H', C_HEADER = 'L', C_MAIL = 'M',
	C_EOH = 'N', C_OPTNEG = 'O', C_QUIT = 'Q', C_RCPT = 'R', C_DATA = 'T',
};

enum {
	R_ADDRCPT = '+', R_DELRCPT = '-', R_ADDRCPT_PAR = '2', R_SHUTDOWN = '4',
	R_ACCEPT = 'a', R_REPLBODY = 'b', R_CONTINUE = 'c', R_DISCARD = 'd',
	R_CHGFROM = 'e', R_CONN_FAIL = 'f', R_ADDHEADER = 'h', R_INSHEADER = 'i',
	R_SETSYMLIST = 'l', R_CHGHEADER = 'm', R_PROGRESS = 'p',
	R_QUARANTINE = 'q', R_REJECT = 'r', R_SKIP = 's', R_TEMPFAIL = 't',
	R_REPLYCODE = 'y', R_OPTNEG = 'O',
};

/* protocol step bits (SMFIP_*) */
#define P_NOCONNECT 0x00000001u
#define P_NOHELO    0x00000002u
#define P_NOMAIL    0x00000004u
#define P_NORCPT    0x00000008u
#define P_NOBODY    0x00000010u
#define P_NOHDRS    0x00000020u
#define P_NOEOH     0x00000040u
#define P_NR_HDR    0x00000080u
#define P_NODATA    0x00000200u
#define P_SKIP      0x00000400u
#define P_NR_CONN   0x00001000u
#define P_NR_HELO   0x00002000u
#define P_NR_MAIL   0x00004000u
#define P_NR_RCPT   0x00008000u
#define P_NR_DATA   0x00010000u
#define P_NR_EOH    0x00040000u
#define P_NR_BODY   0x00080000u
#define P_HDR_LEADSPC 0x00100000u
#define P_ALL_V6    0x001FFFFFu   /* every step bit Postfix 3.x offers */
#define A_ALL_V6    0x000001FFu   /* every action (SMFIF_*) Postfix offers */

/* ------------------------------------------------------------ options */
enum load_mode { MODE_NORMAL, MODE_DROP, MODE_GARBAGE, MODE_SPLIT, MODE_BADNEG, MODE_HOLD };

struct options {
	const char *socket;
	unsigned conns;
	unsigned msgs;
	const char *sender;       /* "<>", "auto" or an address */
	const char *rcpt;
	enum load_mode mode;
	int verbose;
	size_t hold_bytes;        /* body size in hold mode */
	pid_t pid;                /* milter pid to sample (hold mode), 0 = none */
	unsigned timeout_s;       /* per-read timeout */
	unsigned seed;
};

extern struct options opt;

/* ------------------------------------------------------------ messages */
struct header {
	char *name;
	char *value;   /* after the colon, leading white space kept, folds as LF */
};

struct message {
	char *path;
	struct header *hdr;
	size_t nhdr;
	char *body;    /* CRLF line ends */
	size_t bodylen;
	bool looks_bounce;
};

extern struct message *messages;
extern size_t nmessages;
extern size_t headers_cut;   /* header fields cut to fit one packet */

/* ------------------------------------------------------------ statistics */
struct stats {
	uint64_t messages;          /* messages that reached a final reply */
	uint64_t final[256];        /* final reply per reply code */
	uint64_t early[256];        /* of those, replies before end of message */
	uint64_t mods[256];         /* modification replies per code */
	uint64_t deletes;           /* chgheader with an empty value */
	uint64_t progress;
	uint64_t skips;
	uint64_t errors;            /* protocol errors, unexpected drops */
	uint64_t refused;           /* connect/helo not answered with continue */
	uint64_t *lat_ns;           /* per message eom latency */
	size_t nlat, latcap;
};

/* ------------------------------------------------------------ helpers (milter-load-msg.c) */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t now_ns(void);
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
uint32_t rd32(const unsigned char *p);
void wr32(unsigned char *p, uint32_t v);
uint32_t rnd(uint32_t *s);
/* Load a message file, or every regular file of a directory. */
void load_path(const char *path);

/* ------------------------------------------------------------ protocol (milter-load-proto.c) */
struct conn {
	int fd;
	bool split;               /* write every byte on its own */
	unsigned char *out;
	size_t olen, ocap;
	unsigned char *in;        /* receive buffer */
	size_t ipos, ilen, icap;
	uint32_t version, acts, prot;  /* negotiated */
	unsigned id;
	unsigned long qid;
};

/* How far a message goes: all the way, or stop before a step (drop mode),
 * or hold before BODYEOB (hold mode). */
enum stop_at { STOP_NONE, STOP_AFTER_MAIL, STOP_IN_HEADERS, STOP_IN_BODY, STOP_AFTER_EOB, STOP_HOLD };

/* The name of a reply code, or NULL for one that is not a reply. */
const char *reply_name(int cmd);

/* Connect to opt.socket (unix:PATH or inet:PORT@HOST); 0, or -1 with a
 * message printed. */
int conn_open(struct conn *c, unsigned id);
void conn_close(struct conn *c);
/* Queue bytes, or one packet (length, command, data), for conn_flush(). */
void out_raw(struct conn *c, const void *data, size_t len);
void out_pkt(struct conn *c, int cmd, const void *data, size_t len);
int conn_flush(struct conn *c);
/* Wait for readability; 1 ready, 0 timeout, -1 error. */
int wait_read(int fd, int ms);
/* The text of a read error (-1 .. -4). */
const char *read_err(int r);
void send_optneg(struct conn *c, uint32_t version, uint32_t acts, uint32_t prot);
/* Read the negotiation reply.  0 ok, <0 read error, -5 not an OPTNEG reply. */
int read_optneg(struct conn *c, int ms);
/* Offer everything version 6 has, check what comes back; 0 or -1. */
int negotiate(struct conn *c);
/* CONNECT and HELO after negotiation.  0 ok, 1 refused by the milter, -1 error. */
int session_steps(struct conn *c, struct stats *st);
/* negotiate(), then session_steps(). */
int session_start(struct conn *c, struct stats *st);
void record_latency(struct stats *st, uint64_t ns);
/* Send one message.  Returns 0 when it got a final reply (or stopped where
 * asked), -1 on a protocol error, 1 when the milter ended the connection
 * on purpose (conn_fail / shutdown). */
int send_message(struct conn *c, const struct message *m, struct stats *st,
                 enum stop_at stop, size_t body_target);
void session_quit(struct conn *c);

/* ------------------------------------------------------------ workers */
struct worker {
	pthread_t tid;
	unsigned id;
	struct stats st;
	bool failed_setup;
	uint64_t t_end;
};

extern pthread_barrier_t start_barrier, hold_barrier, release_barrier;
extern uint64_t t_start;

/* The robustness and memory modes (milter-load-robust.c). */
void run_drop(struct worker *w);
void run_garbage(struct worker *w);
void run_badneg(struct worker *w);
void run_hold(struct worker *w);

#endif

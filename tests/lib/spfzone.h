/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spfzone.h - the in-memory DNS zone file of the tests' DNS seam (spfseam.c).
 *
 * spfzone_load() reads lines "name TYPE data" ('#' comments, blank lines
 * allowed).  TYPE is A, AAAA, MX ("10 host"), PTR, TXT or SPF (data either
 * bare text or "quoted" "strings", joined as a resolver joins a TXT
 * record's strings), or NXDOMAIN / TEMPFAIL with no data: every lookup of
 * that name fails so.  Lines are at most 4096 bytes, at most 100000
 * records; addresses are checked.  Errors are "file:line: what is wrong".
 * Types are <arpa/nameser.h> ns_t_* values and errors <netdb.h> h_errno
 * values, ready for libspf2's SPF_dns_zone_add_str().  No libspf2 here.
 */
#ifndef BM_SPFZONE_H
#define BM_SPFZONE_H

#include <stddef.h>

struct spfzone_rr {
	char *name;
	int type;          /* ns_t_a, ..., or ns_t_any for NXDOMAIN / TEMPFAIL */
	int herrno;        /* NETDB_SUCCESS, HOST_NOT_FOUND or TRY_AGAIN */
	char *data;        /* NULL for the error entries */
};

struct spfzone {
	struct spfzone_rr *rr;
	size_t n;
};

/* 0, or -1 with err set and *z left empty. */
int spfzone_load(const char *path, struct spfzone *z, char *err, size_t errsz);
void spfzone_free(struct spfzone *z);

#endif

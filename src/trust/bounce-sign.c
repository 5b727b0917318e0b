/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bounce-sign - sign a return path for bounce-milter: BATV (Exim's prvs
 * format) and/or VERP with an HMAC tag and a day stamp.
 *
 *   bounce-sign -k KEYID:FILE [-d DAYS] [-p PATTERN [-l TAG_LENGTH]] [-b]
 *               [-T UNIXTIME] ADDRESS...
 *
 * One line per ADDRESS.  Without -p: the BATV address prvs=KDDDSSSSSS=ADDRESS.
 * With -p: the VERP address PATTERN filled with ADDRESS and its tag (when
 * the pattern has {tag}); -b also wraps it in BATV.  DAYS (default 7, as
 * Exim) is how many days from today the tag stays valid.  -T signs as if
 * the time were UNIXTIME (test vectors).  The algorithms are in batv.h and
 * verp.h and in bounce-sign(1).  Exit 0; 1 on a bad key file or address;
 * 2 on usage errors.
 *
 * It lives in src/trust, not src/cli, because it is the trust layer's own
 * command and cli may not know trust (the layer rule); it is not part of
 * libbmtrust.a.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "trust/batv.h"
#include "trust/sign.h"
#include "trust/verp.h"

#define SIGN_OUT_MAX 1024

static void
usage(FILE *f, int rc)
{
	fprintf(f, "usage: bounce-sign -k KEYID:FILE [-d DAYS] [-p PATTERN [-l TAG_LENGTH]] [-b]\n"
	    "                   [-T UNIXTIME] ADDRESS...\n"
	    "  -k KEYID:FILE  key id (a digit 0-9) and the file holding the secret (mode 0600)\n"
	    "  -d DAYS        days the tag stays valid (1-365, default 7)\n"
	    "  -p PATTERN     print the VERP address, e.g. bounces+{tag}+{local}={domain}@lists.example.com\n"
	    "  -l TAG_LENGTH  hex digits of the VERP HMAC after the key id and day stamp (8-60, default 16)\n"
	    "  -b             print a BATV address (the default without -p; with -p, wraps the VERP address)\n"
	    "  -T UNIXTIME    sign as if the time were UNIXTIME (for test vectors)\n");
	exit(rc);
}

static unsigned long
number(const char *s, unsigned long lo, unsigned long hi)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		usage(stderr, 2);
	return v;
}

int
main(int argc, char **argv)
{
	struct sign_keys ks;
	const struct sign_key *k;
	const char *keyspec = NULL, *pattern = NULL;
	unsigned days = 7, tag_len = 16;
	bool batv = false;
	time_t now = time(NULL);
	char err[512];
	int opt, rc = 0;

	while ((opt = getopt(argc, argv, "k:d:p:l:bT:h")) != -1) {
		switch (opt) {
		case 'k':
			keyspec = optarg;
			break;
		case 'd':
			days = (unsigned)number(optarg, 1, 365);
			break;
		case 'p':
			pattern = optarg;
			break;
		case 'l':
			tag_len = (unsigned)number(optarg, VERP_TAG_MIN, VERP_TAG_MAX);
			break;
		case 'b':
			batv = true;
			break;
		case 'T':
			now = (time_t)number(optarg, 0, 253402300799UL);
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 2);
		}
	}
	if (keyspec == NULL || optind >= argc)
		usage(stderr, 2);
	if (pattern != NULL && !verp_pattern_valid(pattern)) {
		fprintf(stderr, "bounce-sign: \"%s\" is not a VERP pattern\n", pattern);
		return 2;
	}
	if (pattern == NULL)
		batv = true;
	memset(&ks, 0, sizeof ks);
	if (sign_key_load(keyspec, &ks, err, sizeof err) != 0) {
		fprintf(stderr, "bounce-sign: %s\n", err);
		return 1;
	}
	k = &ks.k[0];
	for (int i = optind; i < argc; i++) {
		char tag[VERP_TAG_MAX + 5], verp[SIGN_OUT_MAX], out[SIGN_OUT_MAX];
		const char *addr = argv[i];

		if (pattern != NULL) {
			bool has_tag = strstr(pattern, "{tag}") != NULL;

			if ((has_tag && verp_tag(k, tag_len, addr, now, days, tag, sizeof tag) != 0) ||
			    verp_render(pattern, addr, has_tag ? tag : NULL, verp, sizeof verp) != 0) {
				fprintf(stderr, "bounce-sign: cannot sign \"%s\"\n", addr);
				rc = 1;
				continue;
			}
			addr = verp;
		}
		if (batv) {
			if (batv_sign(k, addr, now, days, out, sizeof out) != 0) {
				fprintf(stderr, "bounce-sign: cannot sign \"%s\"\n", addr);
				rc = 1;
				continue;
			}
			addr = out;
		}
		printf("%s\n", addr);
	}
	sign_keys_wipe(&ks);
	return rc;
}

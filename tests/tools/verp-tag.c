/*
 * verp-tag - print the VERP HMAC tag for addresses (tests, mailing software).
 *
 * Usage: verp-tag [-l TAG_LENGTH] SECRET_FILE ADDRESS...
 * One line per address: the first TAG_LENGTH (default 16, 8..64) lower-case
 * hex digits of HMAC-SHA256(secret, lower-case(ADDRESS)), where the secret
 * is the first line of SECRET_FILE (mode 0600 or stricter, no symlink).
 * The same tag as `printf %s "$addr" | tr A-Z a-z |
 * openssl dgst -sha256 -hmac "$secret" | cut -c...` (see verp.h).
 * Exit 0, or 1 on a bad secret file or address, 2 on usage errors.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trust/verp.h"

static void usage(void)
{
	fprintf(stderr, "usage: verp-tag [-l TAG_LENGTH] SECRET_FILE ADDRESS...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct verp_secret s;
	char err[512], tag[65];
	unsigned tag_len = 16;
	int opt, rc = 0;

	while ((opt = getopt(argc, argv, "l:h")) != -1) {
		char *end;
		unsigned long v;
		switch (opt) {
		case 'l':
			v = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 8 || v > 64)
				usage();
			tag_len = (unsigned)v;
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 2)
		usage();
	if (verp_secret_load(argv[optind], tag_len, &s, err, sizeof(err)) != 0) {
		fprintf(stderr, "verp-tag: %s\n", err);
		return 1;
	}
	for (int i = optind + 1; i < argc; i++) {
		if (verp_tag(&s, argv[i], tag, sizeof(tag)) != 0) {
			fprintf(stderr, "verp-tag: cannot tag \"%s\"\n", argv[i]);
			rc = 1;
			continue;
		}
		printf("%s\n", tag);
	}
	memset(&s, 0, sizeof(s));
	return rc;
}

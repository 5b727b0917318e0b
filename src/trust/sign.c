/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sign.c - signing keys from files, day stamps, HMAC in hex (libcrypto).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "trust/sign.h"

#define SIGN_READ 4096

static int
sign_read_secret(const char *path, struct sign_key *k, char *err, size_t errsz)
{
	char buf[SIGN_READ];
	struct stat st;
	size_t n = 0, line;
	ssize_t got;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) {
		snprintf(err, errsz, "%s: secret file is accessible by group or others "
		    "(mode %04o; use chmod 600)", path, (unsigned)(st.st_mode & 07777));
		goto out;
	}
	while (n < sizeof buf) {
		got = read(fd, buf + n, sizeof buf - n);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errsz, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (memchr(buf, '\n', n) != NULL)
			break;
	}
	for (line = 0; line < n && buf[line] != '\n'; line++)
		;
	if (line > 0 && buf[line - 1] == '\r')
		line--;
	if (line == 0) {
		snprintf(err, errsz, "%s: the secret (first line) is empty", path);
		goto out;
	}
	if (line > SIGN_KEY_MAX) {
		snprintf(err, errsz, "%s: the secret is longer than %d bytes", path,
		    SIGN_KEY_MAX);
		goto out;
	}
	memcpy(k->key, buf, line);
	k->len = line;
	rc = 0;
out:
	OPENSSL_cleanse(buf, sizeof buf);
	close(fd);
	return rc;
}

int
sign_key_load(const char *spec, struct sign_keys *ks, char *err, size_t errsz)
{
	struct sign_key k;
	char dummy[1];

	if (err == NULL || errsz == 0) {
		err = dummy;
		errsz = sizeof dummy;
	}
	err[0] = '\0';
	if (spec == NULL || ks == NULL || spec[0] < '0' || spec[0] > '9' ||
	    spec[1] != ':' || spec[2] == '\0') {
		snprintf(err, errsz, "\"%s\" is not KEYID:FILE (KEYID a digit 0-9)",
		    spec != NULL ? spec : "");
		return -1;
	}
	memset(&k, 0, sizeof k);
	k.id = (unsigned)(spec[0] - '0');
	if (sign_key_find(ks, k.id) != NULL) {
		snprintf(err, errsz, "key id %u is given twice", k.id);
		return -1;
	}
	if (ks->n >= SIGN_KEYS_MAX) {
		snprintf(err, errsz, "more than %d keys", SIGN_KEYS_MAX);
		return -1;
	}
	if (sign_read_secret(spec + 2, &k, err, errsz) != 0)
		return -1;
	ks->k[ks->n++] = k;
	OPENSSL_cleanse(&k, sizeof k);
	return 0;
}

const char *
sign_status_name(enum sign_status st)
{
	switch (st) {
	case SIGN_OK:
		return "valid";
	case SIGN_BAD:
		return "bad";
	case SIGN_EXPIRED:
		return "expired";
	default:
		return "none";
	}
}

const struct sign_key *
sign_key_find(const struct sign_keys *ks, unsigned id)
{
	for (size_t i = 0; ks != NULL && i < ks->n; i++)
		if (ks->k[i].id == id)
			return &ks->k[i];
	return NULL;
}

void
sign_keys_wipe(struct sign_keys *ks)
{
	if (ks != NULL)
		OPENSSL_cleanse(ks, sizeof *ks);
}

static unsigned
sign_today(time_t now)
{
	return now < 0 ? 0 : (unsigned)((unsigned long long)now / 86400ULL % 1000ULL);
}

void
sign_stamp(time_t now, unsigned days, char out[4])
{
	unsigned d = (sign_today(now) + days) % 1000;

	out[0] = (char)('0' + d / 100);
	out[1] = (char)('0' + d / 10 % 10);
	out[2] = (char)('0' + d % 10);
	out[3] = '\0';
}

bool
sign_expired(const char *p, time_t now, unsigned valid_days)
{
	unsigned d = 0;

	for (int i = 0; i < 3; i++) {
		if (p[i] < '0' || p[i] > '9')
			return true;
		d = d * 10 + (unsigned)(p[i] - '0');
	}
	/* days from today to the stamp, modulo the stamp's 1000-day cycle */
	return (d + 1000 - sign_today(now)) % 1000 > valid_days;
}

int
sign_hmac_hex(bool sha256, const struct sign_key *k, const char *msg, size_t len,
              char *out, size_t digits)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (k == NULL || k->len == 0 || msg == NULL || out == NULL)
		return -1;
	if (HMAC(sha256 ? EVP_sha256() : EVP_sha1(), k->key, (int)k->len,
	    (const unsigned char *)msg, len, md, &mdlen) == NULL ||
	    digits > (size_t)mdlen * 2)
		return -1;
	for (size_t i = 0; i < digits; i++)
		out[i] = hex[(md[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
	out[digits] = '\0';
	OPENSSL_cleanse(md, sizeof md);
	return 0;
}

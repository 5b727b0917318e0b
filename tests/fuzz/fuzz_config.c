/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_config.c - libFuzzer target: conf_load() over arbitrary file text.
 *
 * Each input is written to one private temporary file (created once, in a
 * fresh mkdtemp folder) and loaded.  A NULL result must come with an error
 * message; a loaded config must have its mandatory strings set and sane
 * bounds, and is freed again.  Nothing is installed (conf_install is not
 * called), so the target keeps no state between inputs.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char conf_path[64];

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_config: %s\n", what);
	abort();
}

static int write_input(const uint8_t *data, size_t size)
{
	if (conf_path[0] == '\0') {
		char dir[] = "/tmp/fuzz_config.XXXXXX";
		if (mkdtemp(dir) == NULL)
			return -1;
		snprintf(conf_path, sizeof conf_path, "%s/bm.conf", dir);
	}
	int fd = open(conf_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);
		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	return close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errs[2048];

	if (write_input(data, size) != 0)
		return 0;
	memset(errs, 0, sizeof errs);
	struct bm_config *c = conf_load(conf_path, errs, sizeof errs);
	if (memchr(errs, '\0', sizeof errs) == NULL)
		fail("error text not NUL-terminated");
	if (c == NULL) {
		if (errs[0] == '\0')
			fail("config rejected without an error message");
		return 0;
	}
	if (c->path == NULL || c->socket == NULL || c->user == NULL || c->syslog_ident == NULL ||
	    c->suppress_file == NULL || c->authserv_id == NULL || c->key_specs == NULL ||
	    c->bounce_address == NULL || c->relays == NULL || c->verp_patterns == NULL)
		fail("loaded config has a NULL field");
	if (c->max_message_bytes == 0 || c->max_suppress_per_message == 0 ||
	    c->max_suppress_per_hour == 0 || c->max_suppress_per_domain == 0 ||
	    c->max_total_message_bytes == 0)
		fail("loaded config has a zero limit");
	conf_free(c);
	return 0;
}

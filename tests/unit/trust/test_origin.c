/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_origin.c - origin levels and trusted relay networks (trust/origin.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "trust/origin.h"

static const struct sockaddr *
sa(struct sockaddr_storage *ss, const char *text)
{
	memset(ss, 0, sizeof *ss);
	if (strchr(text, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, text, &s6->sin6_addr), 1);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, text, &s4->sin_addr), 1);
	}
	return (const struct sockaddr *)ss;
}

static void
test_network_syntax_is_validated(void **state)
{
	static const struct {
		const char *net;
		bool ok;
	} rows[] = {
		{ "10.0.0.0/8", true }, { "127.0.0.1", true }, { "::1", true },
		{ "2001:db8::/32", true }, { "0.0.0.0/0", true }, { "::/0", true },
		{ "192.0.2.128/25", true },
		{ "10.0.0.1/8", false },      /* host bits set */
		{ "10.0.0.0/33", false }, { "::/129", false }, { "10.0.0.0/", false },
		{ "10.0.0.0/8x", false }, { "10.0.0.0/-1", false }, { "10.0.0.0/0008", false },
		{ "example.com", false }, { "", false }, { NULL, false },
		{ "10.0.0.0 /8", false },
		{ "2001:db8::1/32", false },
		{ "1111:2222:3333:4444:5555:6666:7777:8888:9999/128", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (origin_network_valid(rows[i].net) != rows[i].ok)
			fail_msg("origin_network_valid(%s) should be %d",
			    rows[i].net ? rows[i].net : "NULL", rows[i].ok);
}

static void
test_relay_networks_match(void **state)
{
	static const char *const nets[] = { "203.0.113.0/24", "2001:db8:ff::/48",
	    "198.18.0.1", NULL };
	static const struct {
		const char *ip;
		bool relay;
	} rows[] = {
		{ "203.0.113.9", true }, { "203.0.114.9", false },
		{ "2001:db8:ff:1::9", true }, { "2001:db8:fe::1", false },
		{ "198.18.0.1", true }, { "198.18.0.2", false },
		{ "::ffff:203.0.113.7", true },
		/* attack 2: loopback is not a relay unless configured */
		{ "127.0.0.1", false }, { "::1", false },
	};
	struct sockaddr_storage ss;

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (origin_relay(sa(&ss, rows[i].ip), nets) != rows[i].relay)
			fail_msg("origin_relay(%s) should be %d", rows[i].ip, rows[i].relay);
	assert_false(origin_relay(NULL, nets));
	assert_false(origin_relay(sa(&ss, "203.0.113.9"), NULL));
	{
		static const char *const lo[] = { "127.0.0.1", NULL };

		assert_true(origin_relay(sa(&ss, "127.0.0.1"), lo));
	}
}

static void
test_level_names(void **state)
{
	(void)state;
	for (int l = 0; l < ORIGIN_COUNT; l++)
		assert_int_equal(origin_parse(origin_name((enum origin_level)l)), l);
	assert_string_equal(origin_name(ORIGIN_SIGNED), "signed");
	assert_string_equal(origin_name(ORIGIN_UNALIGNED), "unaligned");
	assert_int_equal(origin_parse("SIGNED"), ORIGIN_SIGNED);
	assert_int_equal(origin_parse("spf"), ORIGIN_COUNT);
	assert_int_equal(origin_parse(NULL), ORIGIN_COUNT);
	assert_string_equal(origin_name((enum origin_level)99), "unaligned");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_network_syntax_is_validated),
		cmocka_unit_test(test_relay_networks_match),
		cmocka_unit_test(test_level_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

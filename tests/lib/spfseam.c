/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spfseam.c - the tests' DNS: a link-time seam around libspf2's server.
 *
 * Programs linked with -Wl,--wrap=SPF_server_new get this function instead
 * of libspf2's.  When the environment variable BM_TEST_DNS_ZONE names a
 * zone file (spfzone.h syntax), every server that trust/spf.c makes
 * answers from an in-memory copy of that zone (libspf2's zone layer), so
 * no test ever touches the network; without the variable it is libspf2's
 * own resolver, untouched.  A zone that does not load is reported on
 * stderr ("file:line: what is wrong") and the server is NULL, which
 * spf_init() reports as a start-up failure.  The product carries none of
 * this: the daemon has no option that names a zone.
 *
 * spf.c frees a DNS layer that its server does not own (SPF_server_new_dns
 * leaves destroy_resolver 0), so the zone layer made here is freed with
 * its server.  Thread-safe: each call builds its own layer.
 */
#include "config.h"

#include <netinet/in.h>
#include <spf2/spf.h>
#include <spf2/spf_dns_zone.h>

#include <stdio.h>
#include <stdlib.h>

#include "spfzone.h"

SPF_server_t *__real_SPF_server_new(SPF_server_dnstype_t dnstype, int debug);
SPF_server_t *__wrap_SPF_server_new(SPF_server_dnstype_t dnstype, int debug);

SPF_server_t *
__wrap_SPF_server_new(SPF_server_dnstype_t dnstype, int debug)
{
	const char *path = getenv("BM_TEST_DNS_ZONE");
	struct spfzone z;
	SPF_dns_server_t *dns;
	SPF_server_t *srv = NULL;
	char err[512];

	if (path == NULL || *path == '\0')
		return __real_SPF_server_new(dnstype, debug);
	if (spfzone_load(path, &z, err, sizeof err) != 0) {
		fprintf(stderr, "test DNS zone: %s\n", err);
		return NULL;
	}
	dns = SPF_dns_zone_new(NULL, "bounce-milter-test-zone", 0);
	if (dns == NULL)
		goto out;
	for (size_t i = 0; i < z.n; i++) {
		const struct spfzone_rr *rr = &z.rr[i];

		if (SPF_dns_zone_add_str(dns, rr->name, (ns_type)rr->type,
		    rr->herrno, rr->data) != SPF_E_SUCCESS) {
			fprintf(stderr, "test DNS zone: %s: libspf2 refused %s\n",
			    path, rr->name);
			SPF_dns_free(dns);
			goto out;
		}
	}
	srv = SPF_server_new_dns(dns, debug);
	if (srv == NULL)
		SPF_dns_free(dns);
out:
	spfzone_free(&z);
	return srv;
}

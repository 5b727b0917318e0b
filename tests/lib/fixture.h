/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fixture.h - reading test fixtures from tests/data.
 *
 * fixture_read() reads dir/name whole into a malloc'd buffer (NUL-terminated,
 * the terminator not counted in *len) that the caller frees.  Returns NULL
 * and sets errno when the file cannot be read or memory runs out.  For unit
 * tests only; no cmocka dependency, so any test program can link it.
 */
#ifndef BM_FIXTURE_H
#define BM_FIXTURE_H

#include <stddef.h>

char *fixture_read(const char *dir, const char *name, size_t *len);

#endif

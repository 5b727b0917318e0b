/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fdio.h - whole writes on a file descriptor.
 *
 * fdio_write_all() writes all n bytes, going on after a short write and
 * after EINTR.  0 when every byte is written; -1 otherwise, with errno
 * from the failing write(2) (a write that returns 0 leaves errno as it
 * was).  Bytes written before a failure stay written: the caller undoes
 * them if it must.  No state; thread-safe.
 */
#ifndef BM_FDIO_H
#define BM_FDIO_H

#include <stddef.h>

int fdio_write_all(int fd, const char *p, size_t n);

#endif

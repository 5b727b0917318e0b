/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress_err.c - the suppression list's error text (see suppress_err.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "suppress/suppress_err.h"

void
suppress_err_set(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* strerror() is not guaranteed thread-safe; hide the two strerror_r flavours */
const char *
suppress_err_str(int errnum, char *buf, size_t bufsz)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
	return strerror_r(errnum, buf, bufsz);
#else
	if (strerror_r(errnum, buf, bufsz) != 0)
		(void)snprintf(buf, bufsz, "error %d", errnum);
	return buf;
#endif
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * escalate.c - soft-bounce escalation (see escalate.h): a chained hash of
 * (reason, address) -> the distinct days seen, and its append-only state
 * file, compacted at start-up.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/conf.h"
#include "daemon/escalate.h"
#include "util/fdio.h"
#include "util/log.h"

#define ESC_KEY_MAX 400            /* reason, NUL, address */
#define ESC_DAYS_MAX 366
#define ESC_WBUF (1u << 20)        /* compaction write buffer */

struct esc_entry {
	struct esc_entry *next;
	uint32_t hash;
	uint16_t n, cap;
	uint32_t *days;
	size_t klen;
	char key[];                    /* "reason\taddress" */
};

static pthread_mutex_t esc_mu = PTHREAD_MUTEX_INITIALIZER;
static struct esc_entry **esc_tab;
static size_t esc_nb, esc_n;
static char *esc_path;
static int esc_fd = -1;
static bool esc_full_logged;

static uint32_t
esc_hash(const char *k, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	return h;
}

static int
esc_grow(void)
{
	size_t nb = esc_nb == 0 ? 4096 : esc_nb * 2;
	struct esc_entry **t = calloc(nb, sizeof *t);

	if (t == NULL)
		return -1;
	for (size_t i = 0; i < esc_nb; i++) {
		struct esc_entry *e = esc_tab[i], *next;

		for (; e != NULL; e = next) {
			next = e->next;
			e->next = t[e->hash & (nb - 1)];
			t[e->hash & (nb - 1)] = e;
		}
	}
	free(esc_tab);
	esc_tab = t;
	esc_nb = nb;
	return 0;
}

/* Find, or add when create; NULL when absent (or no memory / full). */
static struct esc_entry *
esc_find(const char *k, size_t n, bool create)
{
	uint32_t h = esc_hash(k, n);
	struct esc_entry *e;

	if (esc_nb > 0)
		for (e = esc_tab[h & (esc_nb - 1)]; e != NULL; e = e->next)
			if (e->hash == h && e->klen == n && memcmp(e->key, k, n) == 0)
				return e;
	if (!create)
		return NULL;
	if (esc_n >= ESCALATE_MAX_ENTRIES) {
		if (!esc_full_logged)
			log_msg(LOG_WARNING, "escalation: %d addresses tracked; new ones are not",
			    ESCALATE_MAX_ENTRIES);
		esc_full_logged = true;
		return NULL;
	}
	if ((esc_n + 1 > esc_nb * 2 || esc_nb == 0) && esc_grow() < 0)
		return NULL;
	if ((e = calloc(1, sizeof *e + n + 1)) == NULL)
		return NULL;
	e->hash = h;
	e->klen = n;
	memcpy(e->key, k, n);
	e->next = esc_tab[h & (esc_nb - 1)];
	esc_tab[h & (esc_nb - 1)] = e;
	esc_n++;
	return e;
}

static void
esc_remove(struct esc_entry *x)
{
	struct esc_entry **pp = &esc_tab[x->hash & (esc_nb - 1)];

	for (; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == x) {
			*pp = x->next;
			free(x->days);
			free(x);
			esc_n--;
			return;
		}
	}
}

/* Drop days before `from`; keep the rest in order. */
static void
esc_prune(struct esc_entry *e, uint32_t from)
{
	uint16_t j = 0;

	for (uint16_t i = 0; i < e->n; i++)
		if (e->days[i] >= from)
			e->days[j++] = e->days[i];
	e->n = j;
}

/* Add a day (if new); 1 added, 0 known, -1 no memory. */
static int
esc_add_day(struct esc_entry *e, uint32_t day)
{
	for (uint16_t i = 0; i < e->n; i++)
		if (e->days[i] == day)
			return 0;
	if (e->n == e->cap) {
		uint16_t nc = e->cap == 0 ? 4 : (uint16_t)(e->cap * 2);
		uint32_t *d;

		if (nc > ESC_DAYS_MAX)
			nc = ESC_DAYS_MAX;
		if (e->n == nc) {          /* a full year of days: drop the oldest */
			memmove(e->days, e->days + 1, (size_t)(e->n - 1) * sizeof *d);
			e->n--;
		} else {
			if ((d = realloc(e->days, nc * sizeof *d)) == NULL)
				return -1;
			e->days = d;
			e->cap = nc;
		}
	}
	e->days[e->n++] = day;
	return 1;
}

static void
esc_clear(void)
{
	for (size_t i = 0; i < esc_nb; i++) {
		struct esc_entry *e = esc_tab[i], *next;

		for (; e != NULL; e = next) {
			next = e->next;
			free(e->days);
			free(e);
		}
	}
	free(esc_tab);
	esc_tab = NULL;
	esc_nb = esc_n = 0;
	if (esc_fd >= 0)
		(void)close(esc_fd);
	esc_fd = -1;
	free(esc_path);
	esc_path = NULL;
	esc_full_logged = false;
}

/* ------------------------------------------------------------------ state file */

/* One state line: "DAY\tREASON\tADDRESS"; adds the day to the table. */
static void
esc_load_line(char *line, uint32_t from)
{
	char *t1 = strchr(line, '\t'), *t2, *end;
	unsigned long day;
	struct esc_entry *e;
	char key[ESC_KEY_MAX];
	int n;

	if (t1 == NULL || (t2 = strchr(t1 + 1, '\t')) == NULL)
		return;
	*t1 = *t2 = '\0';
	errno = 0;
	day = strtoul(line, &end, 10);
	if (errno != 0 || *end != '\0' || day > UINT32_MAX)
		return;
	n = snprintf(key, sizeof key, "%s\t%s", t1 + 1, t2 + 1);
	if (day < from || n <= 0 || (size_t)n >= sizeof key)
		return;
	if ((e = esc_find(key, (size_t)n, true)) != NULL)
		(void)esc_add_day(e, (uint32_t)day);
}

static int
esc_load(const char *path, uint32_t from, char *err, size_t errsz)
{
	char line[ESC_KEY_MAX + 32];
	FILE *f = fopen(path, "re");

	if (f == NULL)
		return errno == ENOENT ? 0 : (snprintf(err, errsz, "escalation state %s: %s",
		    path, strerror(errno)), -1);
	while (fgets(line, sizeof line, f) != NULL) {
		size_t n = strlen(line);

		if (n == 0 || line[n - 1] != '\n') {
			int c;

			while ((c = fgetc(f)) != EOF && c != '\n')
				;   /* an overlong or torn line: skipped */
			continue;
		}
		line[n - 1] = '\0';
		esc_load_line(line, from);
	}
	(void)fclose(f);
	return 0;
}

/* Rewrite the state with only the live days; then open it for appends. */
static int
esc_compact(const char *path, uint32_t from, char *err, size_t errsz)
{
	char tmp[4096], dir[4096], *slash, *buf;
	size_t len = 0;
	int fd, dfd;

	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp ||
	    (buf = malloc(ESC_WBUF)) == NULL) {
		snprintf(err, errsz, "escalation state %s: path too long or out of memory", path);
		return -1;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		snprintf(err, errsz, "escalation state %s: temporary file: %s", path, strerror(errno));
		free(buf);
		return -1;
	}
	for (size_t i = 0; i < esc_nb; i++) {
		for (struct esc_entry *e = esc_tab[i]; e != NULL; e = e->next) {
			esc_prune(e, from);
			for (uint16_t d = 0; d < e->n; d++) {
				int n;

				if (ESC_WBUF - len < ESC_KEY_MAX + 32) {
					if (fdio_write_all(fd, buf, len) < 0)
						goto fail;
					len = 0;
				}
				n = snprintf(buf + len, ESC_WBUF - len, "%u\t%s\n", e->days[d], e->key);
				if (n > 0 && (size_t)n < ESC_WBUF - len)
					len += (size_t)n;
			}
		}
	}
	if (fdio_write_all(fd, buf, len) < 0 || fsync(fd) < 0 || rename(tmp, path) < 0)
		goto fail;
	free(buf);
	snprintf(dir, sizeof dir, "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*(slash == dir ? slash + 1 : slash) = '\0';
		if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
			(void)fsync(dfd);
			(void)close(dfd);
		}
	}
	(void)close(fd);
	esc_fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (esc_fd < 0) {
		snprintf(err, errsz, "escalation state %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
fail:
	snprintf(err, errsz, "escalation state %s: writing: %s", path, strerror(errno));
	free(buf);
	(void)close(fd);
	(void)unlink(tmp);
	return -1;
}

int
escalate_configure(const struct bm_config *cfg, char *err, size_t errsz)
{
	const char *path = cfg->ops.escalate_state_file;
	uint32_t today, from;
	int rc = 0;

	if (!cfg->ops.escalate)
		return 0;
	today = (uint32_t)(escalate_clock_now() / ESCALATE_DAY);
	from = today >= cfg->ops.escalate_window ? today - cfg->ops.escalate_window + 1 : 0;
	pthread_mutex_lock(&esc_mu);
	if (esc_path != NULL && strcmp(esc_path, path) == 0) {
		pthread_mutex_unlock(&esc_mu);
		return 0;
	}
	esc_clear();
	if ((esc_path = strdup(path)) == NULL) {
		snprintf(err, errsz, "escalation state %s: out of memory", path);
		rc = -1;
	} else if (esc_load(path, from, err, errsz) < 0 ||
	    esc_compact(path, from, err, errsz) < 0) {
		rc = -1;
	}
	if (rc < 0)
		esc_clear();
	else
		log_msg(LOG_INFO, "escalation: %zu addresses with soft-bounce days from %s", esc_n,
		    path);
	pthread_mutex_unlock(&esc_mu);
	return rc;
}

static int
esc_append(const char *line, size_t n, char *err, size_t errsz)
{
	if (esc_fd < 0) {
		snprintf(err, errsz, "escalation state is not open");
		return -1;
	}
	if (fdio_write_all(esc_fd, line, n) < 0 || fsync(esc_fd) < 0) {
		snprintf(err, errsz, "escalation state %s: %s", esc_path, strerror(errno));
		return -1;
	}
	return 0;
}

int
escalate_note(const char *addr, const char *reason, unsigned days,
              unsigned window, bool *reached, char *err, size_t errsz)
{
	uint32_t today = (uint32_t)(escalate_clock_now() / ESCALATE_DAY);
	uint32_t from = today >= window ? today - window + 1 : 0;
	char key[ESC_KEY_MAX], line[ESC_KEY_MAX + 32];
	struct esc_entry *e;
	int n, added, rc = 0;

	*reached = false;
	n = snprintf(key, sizeof key, "%s\t%s", reason, addr);
	if (n <= 0 || (size_t)n >= sizeof key) {
		snprintf(err, errsz, "escalation: address too long");
		return -1;
	}
	pthread_mutex_lock(&esc_mu);
	if ((e = esc_find(key, (size_t)n, true)) == NULL) {
		pthread_mutex_unlock(&esc_mu);
		return 0;          /* full or no memory: not tracked (logged once) */
	}
	esc_prune(e, from);
	added = esc_add_day(e, today);
	if (added > 0) {
		int k = snprintf(line, sizeof line, "%u\t%s\n", today, key);

		if (esc_append(line, (size_t)k, err, errsz) < 0) {
			e->n--;            /* not saved: not counted */
			rc = -1;
		}
	}
	/* the days stay: a later soft bounce within the window reaches the
	 * threshold again (the list's dedupe set makes that a no-op, and an
	 * address taken off the list that still bounces is listed again) */
	if (rc == 0 && e->n >= days) {
		*reached = true;
	} else if (e->n == 0) {
		esc_remove(e);
	}
	pthread_mutex_unlock(&esc_mu);
	return rc;
}

size_t
escalate_tracked(void)
{
	size_t n;

	pthread_mutex_lock(&esc_mu);
	n = esc_n;
	pthread_mutex_unlock(&esc_mu);
	return n;
}

void
escalate_reset(void)
{
	pthread_mutex_lock(&esc_mu);
	esc_clear();
	pthread_mutex_unlock(&esc_mu);
}

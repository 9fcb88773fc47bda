/*
 * evbuffer_script: a tiny interpreter of evbuffer operations, the C half of the
 * differential fuzzer (tools/fuzz/run.sh builds it once against Debian's libevent and
 * once against evshim, feeds both the same script, and diffs what they print).
 *
 * Input: one operation per line (see tools/fuzz/README.md for the language). Output: one
 * line per operation with every observable result (return values, lengths, bytes copied
 * out, positions, callback invocations, cleanup callbacks), then the length and a hash
 * of every buffer the operation touched.
 *
 * Only layout-independent facts are printed. libevent's chain layout (how many chains,
 * how much contiguous space, which extents reserve_space hands out) is internal; where an
 * API exposes it (peek's count, get_contiguous_space, reserve_space's extents) we print
 * the facts every correct implementation shares (see the comments at each op).
 *
 * The interpreter also refuses, deterministically and on both sides, a few sequences
 * that are undefined or crash in libevent 2.1.12 itself; each is marked "LIBEVENT BUG"
 * below and prints a "skip" result instead of calling the library.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/buffer_compat.h>
#include <event2/thread.h>

#define NBUF 4
#define NPTR 4
#define NCB 8
#define NSEG 4
#define MAXVEC 64
#define FILESZ 6000

/* ---------------------------------------------------------------- output helpers */

static unsigned long long fnv(const unsigned char *p, size_t n, unsigned long long h)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}
#define FNV0 1469598103934665603ULL

static void put_esc(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned c = p[i];
		if (c == '\\')
			fputs("\\\\", stdout);
		else if (c >= 0x21 && c < 0x7f)
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

/* Bytes: in full when short, else length, hash, head and tail. */
static void put_bytes(const void *vp, size_t n)
{
	const unsigned char *p = vp;
	if (n <= 96) {
		printf("[%zu:", n);
		put_esc(p, n);
		putchar(']');
	} else {
		printf("[%zu h=%016llx:", n, fnv(p, n, FNV0));
		put_esc(p, 40);
		fputs("...", stdout);
		put_esc(p + n - 40, 40);
		putchar(']');
	}
}

/* ---------------------------------------------------------------- deterministic data */

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;
static unsigned long long rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A small alphabet so that short literal needles match often; \r \n \0 mixed in. */
static unsigned char pat_byte(void)
{
	static const char alpha[] = "aaaabbbcccdxyz01";
	unsigned r = (unsigned)(rnd() % 100);
	if (r < 5)
		return '\r';
	if (r < 10)
		return '\n';
	if (r < 13)
		return '\0';
	return (unsigned char)alpha[r % 16];
}

static unsigned char *scratch;
static size_t scratch_cap;
static unsigned char *need(size_t n)
{
	if (n + 1 > scratch_cap) {
		scratch_cap = n + 1 + (n >> 1);
		scratch = realloc(scratch, scratch_cap);
		if (!scratch) {
			perror("realloc");
			exit(2);
		}
	}
	return scratch;
}

static unsigned char *gen(size_t n)
{
	unsigned char *p = need(n);
	for (size_t i = 0; i < n; i++)
		p[i] = pat_byte();
	return p;
}


/* ---------------------------------------------------------------- state */

struct bslot {
	struct evbuffer *b;
	unsigned gen;		/* bumped by every op that may change the chain structure */
	int tainted;		/* shares chains with add_buffer_reference (see pullup) */
	int pristine;		/* no chain was ever allocated (see addbufref) */
	int deferred;
	int frz_start, frz_end;
	int res_live;
	int res_dirty;		/* something other than evbuffer_add changed it since */		/* a reserve_space is pending */
	unsigned res_gen;
	int res_n, res_nvec;
	ev_ssize_t res_size;
	struct evbuffer_iovec res_vec[4];
};
static struct bslot B[NBUF];

struct pslot {
	int owner;		/* -1: unset */
	unsigned gen;
	struct evbuffer_ptr p;
};
static struct pslot P[NPTR];

struct cbarg {
	int id;			/* registration number */
	int slot;		/* buffer slot at registration */
	int compat;
	int action;		/* what the callback does besides logging (see log_cb) */
	int acts;		/* how often it did: bounded, or two callbacks could feed
				 * each other forever */
	int cslot;
	struct evbuffer_cb_entry *ent;
};
struct cslot {
	int live;
	int owner;
	struct evbuffer_cb_entry *ent;
	struct cbarg *arg;
};
static struct cslot C[NCB];
static int cb_seq;
static struct cbarg **cbargs;	/* every registration's arg, freed at exit */
static int ncbargs;

static struct cbarg *new_cbarg(int slot, int compat)
{
	struct cbarg *a = calloc(1, sizeof *a);
	a->id = cb_seq++;
	a->slot = slot;
	a->compat = compat;
	cbargs = realloc(cbargs, (size_t)(ncbargs + 1) * sizeof *cbargs);
	cbargs[ncbargs++] = a;
	return a;
}

struct refinfo {
	int id;
	size_t len;
	const void *data;
	int ran;
	int zero;		/* zero-length: when its chain is released is layout-dependent */
	int nocb;
};
static struct refinfo *refs;
static int nrefs, refcap;

struct seginfo {
	int id;
	int ran;
};
struct sslot {
	struct evbuffer_file_segment *s;
	struct seginfo *info;
};
static struct sslot S[NSEG];
static struct seginfo seginfos[100000];
static int nseg;

static int sv[2] = { -1, -1 };	/* [0] the buffers' side, [1] ours */
static size_t sock_pending;	/* bytes we wrote that evbuffer_read has not taken */
static char tmpfile_path[64];	/* /proc/self/fd/N of the unlinked temporary file */
static struct event_base *base;
static int opno;
/* EVB_LAYOUT=1: also print what depends on the chain layout (peek counts and extent
 * sizes, contiguous space, reserved extents). Not a libevent contract; evshim mirrors
 * libevent's layout, and this mode checks that it does. */
static int layout;

/* event_set_mem_functions: blocks carry a header, so memory that libevent hands to the
 * caller to free (readln's line) must come from these functions. */
#define MM_MAGIC 0x6d6d6d6d5eed5eedULL
static int mm_on;
static void *mm_malloc_fn(size_t n)
{
	unsigned long long *p = malloc(n + 16);
	if (!p)
		return NULL;
	p[0] = MM_MAGIC;
	p[1] = n;
	return p + 2;
}
static void *mm_realloc_fn(void *q, size_t n)
{
	if (!q)
		return mm_malloc_fn(n);
	unsigned long long *p = (unsigned long long *)q - 2;
	if (p[0] != MM_MAGIC) {
		printf(" MM-REALLOC-FOREIGN");
		return NULL;
	}
	p = realloc(p, n + 16);
	if (!p)
		return NULL;
	p[1] = n;
	return p + 2;
}
static void mm_free_fn(void *q)
{
	if (!q)
		return;
	unsigned long long *p = (unsigned long long *)q - 2;
	if (p[0] != MM_MAGIC) {
		printf(" MM-FREE-FOREIGN");
		return;
	}
	p[0] = 0;
	free(p);
}
/* Free what libevent allocated for us. */
static void user_free(void *q)
{
	if (!mm_on) {
		free(q);
		return;
	}
	if (q && ((unsigned long long *)q)[-2] != MM_MAGIC) {
		printf(" NOT-FROM-MM");	/* and leak it: it is not ours to free */
		return;
	}
	mm_free_fn(q);
}

static int slot_of(const struct evbuffer *b)
{
	for (int i = 0; i < NBUF; i++)
		if (B[i].b == b)
			return i;
	return -1;
}

/* Contents through evbuffer_peek (no freeze checks, no side effects). */
static unsigned char *contents(struct evbuffer *b, size_t *lenp)
{
	size_t len = evbuffer_get_length(b);
	unsigned char *out = malloc(len + 1);
	size_t got = 0;
	int n = evbuffer_peek(b, -1, NULL, NULL, 0);
	if (n > 0) {
		struct evbuffer_iovec *v = calloc((size_t)n, sizeof(*v));
		int m = evbuffer_peek(b, -1, NULL, v, n);
		for (int i = 0; i < m && i < n; i++) {
			size_t l = v[i].iov_len;
			if (got + l > len)
				l = len - got;
			memcpy(out + got, v[i].iov_base, l);
			got += l;
		}
		free(v);
	}
	if (got != len)
		printf(" PEEK-SHORT(%zu/%zu)", got, len);
	*lenp = got;
	return out;
}

static void state(int i)
{
	if (i < 0 || i >= NBUF || !B[i].b)
		return;
	size_t n;
	unsigned char *c = contents(B[i].b, &n);
	printf(" | b%d len=%zu h=%016llx", i, evbuffer_get_length(B[i].b), fnv(c, n, FNV0));
	if (n <= 24) {
		putchar(' ');
		put_bytes(c, n);
	}
	free(c);
}

static const char *cur_op;
/* A callback changed buffer i. */
static void cb_touch(int i)
{
	B[i].gen++;
	B[i].pristine = 0;
	B[i].res_dirty = 1;
}

static void touch(int i)
{
	if (i >= 0 && i < NBUF) {
		B[i].gen++;
		B[i].pristine = 0;
		if (strcmp(cur_op, "add"))
			B[i].res_dirty = 1;
	}
}

/* ---------------------------------------------------------------- callbacks */

static int cb_depth;		/* callbacks act only when not nested in another's action */
static int cur_operands[3] = { -1, -1, -1 };
static void cb_touch(int i);

static void log_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct cbarg *a = arg;
	int me = slot_of(buf);
	size_t len = evbuffer_get_length(buf);
	printf("\n  cb#%d(b%d) at b%d orig=%zu add=%zu del=%zu len=%zu", a->id, a->slot,
	    me, info->orig_size, info->n_added, info->n_deleted, len);
	if (a->action == 6) {
		/* what the other buffers look like from inside a callback (libevent runs
		 * some in the middle of an operation) */
		for (int i = 0; i < NBUF; i++) {
			if (!B[i].b || i == me)
				continue;
			/* LIBEVENT BUG: evbuffer_remove_buffer runs the destination's callbacks
			 * (from its internal evbuffer_add) before it updates the source, whose
			 * length then still counts the bytes already moved. */
			if (!strcmp(cur_op, "removebuf") &&
			    (i == cur_operands[0] || i == cur_operands[1])) {
				printf(" b%d=?", i);
				continue;
			}
			printf(" b%d=%zu", i, evbuffer_get_length(B[i].b));
		}
		return;
	}
	if (cb_depth || !a->action || me < 0 || a->acts >= 4)
		return;
	a->acts++;
	cb_depth++;
	switch (a->action) {
	case 1:		/* remove itself (libevent saves the next entry first) */
		printf(" rm-self=%d", evbuffer_remove_cb_entry(buf, a->ent));
		for (int i = 0; i < NCB; i++)
			if (C[i].live && C[i].arg == a)
				C[i].live = 0;
		break;
	case 2:		/* drain half: nested callbacks see it */
		if (len > 64) {
			printf(" drain-half=%d", evbuffer_drain(buf, len / 2));
			cb_touch(me);
		}
		break;
	case 3:		/* answer data with more data */
		if (info->n_added && len < 20000) {
			printf(" add3=%d", evbuffer_add(buf, "<+>", 3));
			cb_touch(me);
		}
		break;
	case 4:		/* disable itself */
		printf(" disable=%d", evbuffer_cb_clear_flags(buf, a->ent, EVBUFFER_CB_ENABLED));
		break;
	case 5: {	/* add to a buffer the running operation does not use: libevent runs
			 * some callbacks in the middle of an operation (remove_buffer) */
		for (int k = 1; k < NBUF; k++) {
			int o = (me + k) % NBUF;
			if (!B[o].b || o == cur_operands[0] || o == cur_operands[1] ||
			    o == cur_operands[2])
				continue;
			printf(" add-b%d=%d", o, evbuffer_add(B[o].b, "{x}", 3));
			cb_touch(o);
			break;
		}
		break;
	}
	}
	cb_depth--;
}

static void other_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	(void)buf;
	(void)info;
	(void)arg;
	printf("\n  other_cb");
}

static void compat_cb(struct evbuffer *buf, size_t old_len, size_t new_len, void *arg)
{
	struct cbarg *a = arg;
	printf("\n  ocb#%d(b%d) at b%d old=%zu new=%zu len=%zu", a->id, a->slot, slot_of(buf),
	    old_len, new_len, evbuffer_get_length(buf));
}

static void ref_cleanup(const void *data, size_t len, void *arg)
{
	struct refinfo *r = arg;
	r->ran++;
	if (!r->zero || r->ran > 1)
		printf("\n  refcleanup#%d len=%zu data=%s ran=%d", r->id, len,
		    data == r->data ? "same" : "OTHER", r->ran);
}

static void seg_cleanup(struct evbuffer_file_segment const *seg, int flags, void *arg)
{
	struct seginfo *s = arg;
	(void)seg;
	s->ran++;
	printf("\n  segcleanup#%d flags=%d ran=%d", s->id, flags, s->ran);
}

/* ---------------------------------------------------------------- parsing */

#define MAXTOK 16
static char *tok[MAXTOK];
static int ntok;

static long long num(int i)
{
	if (i >= ntok)
		return 0;
	return strtoll(tok[i], NULL, 0);
}

/* A string argument: "s:" + text with \xHH and \\ escapes. */
static size_t parse_str(const char *t, unsigned char *out)
{
	size_t n = 0;
	if (strncmp(t, "s:", 2) == 0)
		t += 2;
	while (*t) {
		if (t[0] == '\\' && t[1] == 'x' && t[2] && t[3]) {
			char h[3] = { t[2], t[3], 0 };
			out[n++] = (unsigned char)strtoul(h, NULL, 16);
			t += 4;
		} else if (t[0] == '\\' && t[1] == '\\') {
			out[n++] = '\\';
			t += 2;
		} else {
			out[n++] = (unsigned char)*t++;
		}
	}
	return n;
}

static int bslot_arg(int i)
{
	long long v = num(i);
	if (v < 0 || v >= NBUF || !B[v].b)
		return -1;
	return (int)v;
}

/* Needle: literal "s:..." or "@pos,len" = bytes of buffer b at pos (taken by peek). */
static unsigned char needle_buf[8192];
static size_t get_needle(int b, const char *t)
{
	if (!strcmp(t, "!big"))	/* refused before the needle is read */
		return (size_t)EV_SSIZE_MAX + 1;
	if (t[0] == '@') {
		long long pos = 0, len = 0;
		sscanf(t + 1, "%lld,%lld", &pos, &len);
		size_t n;
		unsigned char *c = contents(B[b].b, &n);
		if (len > (long long)sizeof(needle_buf))
			len = sizeof(needle_buf);
		if (pos < 0)
			pos = 0;
		if ((size_t)pos > n)
			pos = (long long)n;
		if ((size_t)(pos + len) > n)
			len = (long long)n - pos;
		memcpy(needle_buf, c + pos, (size_t)len);
		free(c);
		return (size_t)len;
	}
	if (strlen(t) > sizeof(needle_buf))
		return 0;
	return parse_str(t, needle_buf);
}

/* A pointer argument: -1 = NULL; else a slot that must belong to buffer b. Stale
 * pointers (their buffer changed since they were set) are re-derived from their
 * position: libevent's internal chain pointer is only valid until the next change. */
static int ptr_arg(int i, int b, struct evbuffer_ptr **out)
{
	long long v = num(i);
	*out = NULL;
	if (v < 0)
		return 0;
	if (v >= NPTR || P[v].owner != b)
		return -1;
	if (P[v].gen != B[b].gen) {
		if (P[v].p.pos >= 0)
			evbuffer_ptr_set(B[b].b, &P[v].p, (size_t)P[v].p.pos, EVBUFFER_PTR_SET);
		P[v].gen = B[b].gen;
	}
	*out = &P[v].p;
	return 0;
}

static void store_ptr(long long v, int b, struct evbuffer_ptr p)
{
	if (v < 0 || v >= NPTR)
		return;
	P[v].owner = b;
	P[v].gen = B[b].gen;
	P[v].p = p;
}

/* ---------------------------------------------------------------- printf cases */

static char strarg[20000];
static void fill_str(size_t n)
{
	if (n >= sizeof(strarg))
		n = sizeof(strarg) - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = pat_byte();
		strarg[i] = c ? (char)c : '0';
	}
	strarg[n] = 0;
}

static int do_vprintf(struct evbuffer *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = evbuffer_add_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

#define PF(use_v, b, ...) ((use_v) ? do_vprintf((b), __VA_ARGS__) : evbuffer_add_printf((b), __VA_ARGS__))

static int run_printf(struct evbuffer *b, int v, int kind, long long n)
{
	if (n < 0)
		n = -n;
	n %= 12000;
	switch (kind) {
	case 0:
		fill_str((size_t)n);
		return PF(v, b, "%s", strarg);
	case 1:
		return PF(v, b, "%d|%u|%x|%ld|%lld|%hhd", (int)(n * 7919 - 40000), (unsigned)n,
		    (unsigned)(n * 2654435761u), -(long)n, (long long)n * 1000003LL, (signed char)n);
	case 2:
		return PF(v, b, "%*d", (int)n, (int)n);
	case 3:
		return PF(v, b, "a%cb%cc%cd", 0, '\r', '\n');
	case 4:
		fill_str(11000);
		return PF(v, b, "%.*s", (int)n, strarg);
	case 5:
		return PF(v, b, "%s", "");
	case 6:
		return PF(v, b, "%.3f|%e|%g", (double)n / 7.0, (double)n * 1e10, (double)n / 3.0);
	case 7:
		return PF(v, b, "%-*s|", (int)n, "xy");
	case 8:
		return PF(v, b, "%05d%%%c%5.2s|%zu", (int)n, 'q', "abc", (size_t)n);
	default:
		fill_str((size_t)n);
		return PF(v, b, "%s\r\n%s", strarg, strarg + n / 2);
	}
}

#define FMT3(T, val)                                                                   \
	(stars == 0 ? PF(v, b, spec, (T)(val))                                          \
	    : stars == 1 ? PF(v, b, spec, w, (T)(val)) : PF(v, b, spec, w, pr, (T)(val)))

static int run_fmt(struct evbuffer *b, int v, const char *spec, int stars, char t,
    const char *arg, int w, int pr)
{
	static unsigned char sbuf[4096];
	switch (t) {
	case 'i':
		return FMT3(int, strtoll(arg, NULL, 0));
	case 'u':
		return FMT3(unsigned, strtoull(arg, NULL, 0));
	case 'l':
		return FMT3(long, strtoll(arg, NULL, 0));
	case 'L':
		return FMT3(long long, strtoll(arg, NULL, 0));
	case 'U':
		return FMT3(unsigned long long, strtoull(arg, NULL, 0));
	case 'z':
		return FMT3(size_t, strtoull(arg, NULL, 0));
	case 'j':
		return FMT3(intmax_t, strtoll(arg, NULL, 0));
	case 't':
		return FMT3(ptrdiff_t, strtoll(arg, NULL, 0));
	case 'd':
		return FMT3(double, strtod(arg, NULL));
	case 'D':
		return FMT3(long double, strtold(arg, NULL));
	case 'c':
		return FMT3(int, strtol(arg, NULL, 0));
	case 'p':
		return FMT3(void *, NULL);
	case 's': {
		size_t n = parse_str(arg, sbuf);
		sbuf[n] = 0;
		return FMT3(const char *, (const char *)sbuf);
	}
	default:
		return stars == 0 ? PF(v, b, spec, 0) : PF(v, b, spec, w, pr);
	}
}

/* ---------------------------------------------------------------- socket helpers */

static void drain_peer(void)
{
	unsigned char buf[65536];
	size_t tot = 0;
	unsigned long long h = FNV0;
	unsigned char head[96];
	size_t headn = 0;
	for (;;) {
		ssize_t r = read(sv[1], buf, sizeof buf);
		if (r <= 0)
			break;
		h = fnv(buf, (size_t)r, h);
		for (ssize_t i = 0; i < r && headn < sizeof head; i++)
			head[headn++] = buf[i];
		tot += (size_t)r;
	}
	printf(" peer=%zu h=%016llx ", tot, h);
	put_bytes(head, headn);
}

static int open_tmp(void)
{
	int fd = open(tmpfile_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror("open tmp");
		exit(2);
	}
	return fd;
}

static void close_if_open(int fd)
{
	if (fcntl(fd, F_GETFD) != -1)
		close(fd);
}

/* ---------------------------------------------------------------- ops */

static void free_slot(int i)
{
	for (int c = 0; c < NCB; c++)
		if (C[c].live && C[c].owner == i)
			C[c].live = 0;
	for (int p = 0; p < NPTR; p++)
		if (P[p].owner == i)
			P[p].owner = -1;
	evbuffer_free(B[i].b);
	memset(&B[i], 0, sizeof B[i]);
}

static void op(void)
{
	const char *o = tok[0];
	int b = bslot_arg(1);
	int touched[2] = { -1, -1 };
	cur_op = o;
	cur_operands[0] = b;
	cur_operands[1] = bslot_arg(2);
	long long n = num(2);

#define NEEDB(x) do { if ((x) < 0) { printf(" nobuf"); return; } } while (0)

	if (!strcmp(o, "memfns")) {
		/* only meaningful before anything else was allocated by the library */
		if (opno != 1) {
			printf(" skip(not-first)");
			return;
		}
		event_set_mem_functions(mm_malloc_fn, mm_realloc_fn, mm_free_fn);
		mm_on = 1;
		printf(" ok");
	} else if (!strcmp(o, "threads")) {
		printf(" %d", evthread_use_pthreads());
	} else if (!strcmp(o, "new")) {
		long long i = num(1);
		if (i < 0 || i >= NBUF) {
			printf(" badslot");
			return;
		}
		if (B[i].b) {
			printf(" busy");
			return;
		}
		memset(&B[i], 0, sizeof B[i]);
		B[i].b = evbuffer_new();
		B[i].pristine = 1;
		printf(" %s", B[i].b ? "ok" : "NULL");
		touched[0] = (int)i;
	} else if (!strcmp(o, "free")) {
		NEEDB(b);
		free_slot(b);
		printf(" ok");
	} else if (!strcmp(o, "len")) {
		NEEDB(b);
		/* and the compat macros spell the same calls */
		printf(" %zu %zu", evbuffer_get_length(B[b].b), (size_t)EVBUFFER_LENGTH(B[b].b));
		if (!B[b].tainted && evbuffer_get_length(B[b].b)) {
			size_t n_all;
			unsigned char *c = contents(B[b].b, &n_all);
			unsigned char *d = EVBUFFER_DATA(B[b].b);
			printf(" data=%s", d && !memcmp(c, d, n_all) ? "ok" : "WRONG");
			free(c);
		}
		touched[0] = b;
	} else if (!strcmp(o, "add")) {
		NEEDB(b);
		unsigned char *d = gen((size_t)n);
		printf(" %d", evbuffer_add(B[b].b, d, (size_t)n));
		touched[0] = b;
	} else if (!strcmp(o, "prepend")) {
		NEEDB(b);
		unsigned char *d = gen((size_t)n);
		printf(" %d", evbuffer_prepend(B[b].b, d, (size_t)n));
		touched[0] = b;
	} else if (!strcmp(o, "printf") || !strcmp(o, "vprintf")) {
		NEEDB(b);
		printf(" %d", run_printf(B[b].b, o[0] == 'v', (int)num(2), num(3)));
		touched[0] = b;
	} else if (!strcmp(o, "fmt")) {
		/* fmt B V SPEC T ARG [W [P]]: one conversion, its argument of C type T, and
		 * the ints for '*' width/precision. */
		NEEDB(b);
		if (ntok < 6) {
			printf(" badfmt");
			return;
		}
		static char spec[512];
		size_t sl = parse_str(tok[3], (unsigned char *)spec);
		spec[sl] = 0;
		int stars = 0;
		for (size_t i = 0; i < sl; i++)
			stars += spec[i] == '*';
		int w = (int)num(6), pr = (int)num(7);
		int r = run_fmt(B[b].b, (int)n, spec, stars, tok[4][0], tok[5], w, pr);
		printf(" %d", r);
		touched[0] = b;
	} else if (!strcmp(o, "addhuge")) {
		/* lengths no memory has: refused before any byte is read */
		NEEDB(b);
		size_t big = n ? (size_t)-1 - (size_t)(n & 0xff) : ((size_t)1 << 63);
		printf(" %d", evbuffer_add(B[b].b, "x", big));
		touched[0] = b;
	} else if (!strcmp(o, "prependhuge")) {
		NEEDB(b);
		/* LIBEVENT BUG: a prepend of an impossible length into an empty buffer that
		 * kept a chain copies from before the data; with data in the buffer, the
		 * overflow check refuses SIZE_MAX first. */
		if (evbuffer_get_length(B[b].b) == 0) {
			printf(" skip(le-oob)");
			return;
		}
		printf(" %d", evbuffer_prepend(B[b].b, "x", (size_t)-1));
		touched[0] = b;
	} else if (!strcmp(o, "iovec")) {
		NEEDB(b);
		struct evbuffer_iovec v[8];
		int nv = 0;
		size_t tot = 0;
		int huge = 0;
		for (int i = 2; i < ntok && nv < 8; i++, nv++) {
			if (!strcmp(tok[i], "!big")) {
				/* a length no memory has: refused before any byte is read */
				v[nv].iov_len = (size_t)EV_SSIZE_MAX + 1;
				huge = 1;
				continue;
			}
			tot += (v[nv].iov_len = (size_t)num(i));
		}
		unsigned char *d = gen(tot);
		unsigned char *own = malloc(tot + 1);
		memcpy(own, d, tot);
		size_t off = 0;
		for (int i = 0; i < nv; i++) {
			v[i].iov_base = own + off;
			if (v[i].iov_len <= tot)
				off += v[i].iov_len;
		}
		(void)huge;
		printf(" %zu", evbuffer_add_iovec(B[b].b, nv ? v : NULL, nv));
		free(own);
		touched[0] = b;
	} else if (!strcmp(o, "addbuf") || !strcmp(o, "prepbuf") || !strcmp(o, "addbufref")) {
		int s = bslot_arg(2);
		NEEDB(b);
		NEEDB(s);
		int r;
		if (o[0] == 'a' && o[6] == 'r') {
			/* LIBEVENT BUG: evbuffer_add_buffer_reference into an empty buffer that
			 * still holds an empty chain frees that chain without unlinking it
			 * (use-after-free). Only call it into buffers with data, or that never
			 * allocated a chain. */
			if (evbuffer_get_length(B[b].b) == 0 && !B[b].pristine && b != s && !B[b].frz_end &&
			    evbuffer_get_length(B[s].b) != 0) {
				printf(" skip(le-uaf)");
				return;
			}
			r = evbuffer_add_buffer_reference(B[b].b, B[s].b);
			if (r == 0 && b != s && evbuffer_get_length(B[s].b)) {
				B[b].tainted = B[s].tainted = 1;
			}
		} else if (o[0] == 'a') {
			r = evbuffer_add_buffer(B[b].b, B[s].b);
			B[b].tainted |= B[s].tainted;
		} else {
			r = evbuffer_prepend_buffer(B[b].b, B[s].b);
			B[b].tainted |= B[s].tainted;
		}
		printf(" %d", r);
		touched[0] = b;
		touched[1] = s;
	} else if (!strcmp(o, "addref")) {
		NEEDB(b);
		if (n < 0)
			n = 0;
		if (nrefs == refcap) {
			printf(" refs-exhausted");
			return;
		}
		/* referenced memory stays put and unwritten until exit */
		unsigned char *d = malloc((size_t)n + 1);
		memcpy(d, gen((size_t)n), (size_t)n);
		struct refinfo *r = &refs[nrefs];
		r->id = nrefs++;
		r->len = (size_t)n;
		r->data = d;
		r->zero = (n == 0);
		int nocb = num(3) != 0;
		r->nocb = nocb;
		int rv = evbuffer_add_reference(B[b].b, d, (size_t)n, nocb ? NULL : ref_cleanup,
		    nocb ? NULL : r);
		printf(" ref#%d %d", r->id, rv);
		touched[0] = b;
	} else if (!strcmp(o, "remove") || !strcmp(o, "copyout")) {
		NEEDB(b);
		/* n may be huge (-1 = SIZE_MAX): only the buffer's length gets copied */
		size_t len = evbuffer_get_length(B[b].b);
		size_t room = (size_t)n < len ? (size_t)n : len;
		unsigned char *d = need(room);
		memset(d, 0xEE, room);
		long long r = o[0] == 'r' ? evbuffer_remove(B[b].b, d, (size_t)n)
		    : (long long)evbuffer_copyout(B[b].b, d, (size_t)n);
		printf(" %lld ", r);
		if (r > 0)
			put_bytes(d, (size_t)r);
		if (o[0] == 'r')
			touched[0] = b;
	} else if (!strcmp(o, "copyout_from")) {
		long long pi = num(1);
		if (pi < 0 || pi >= NPTR || P[pi].owner < 0) {
			printf(" noptr");
			return;
		}
		int ob = P[pi].owner;
		struct evbuffer_ptr *pp;
		ptr_arg(1, ob, &pp);
		/* LIBEVENT BUG: copyout_from with a not-found pointer (pos -1) overflows
		 * and dereferences a NULL chain. */
		if (pp->pos < 0) {
			printf(" skip(le-badptr)");
			return;
		}
		size_t len = evbuffer_get_length(B[ob].b);
		size_t room = (size_t)n < len ? (size_t)n : len;
		unsigned char *d = need(room);
		long long r = evbuffer_copyout_from(B[ob].b, pp, d, (size_t)n);
		printf(" %lld ", r);
		if (r > 0)
			put_bytes(d, (size_t)r);
	} else if (!strcmp(o, "removebuf")) {
		int d = bslot_arg(2);
		NEEDB(b);
		NEEDB(d);
		printf(" %d", evbuffer_remove_buffer(B[b].b, B[d].b, (size_t)num(3)));
		B[d].tainted |= B[b].tainted;
		touched[0] = b;
		touched[1] = d;
	} else if (!strcmp(o, "drain")) {
		NEEDB(b);
		printf(" %d", evbuffer_drain(B[b].b, (size_t)n));
		touched[0] = b;
	} else if (!strcmp(o, "pullup")) {
		NEEDB(b);
		/* LIBEVENT BUG: pullup writes into the spare room of a chain shared through
		 * evbuffer_add_buffer_reference (it ignores EVBUFFER_IMMUTABLE), so two
		 * buffers sharing it corrupt each other. Not called on such buffers. */
		if (B[b].tainted) {
			printf(" skip(le-shared)");
			return;
		}
		size_t len = evbuffer_get_length(B[b].b);
		unsigned char *p = evbuffer_pullup(B[b].b, (ev_ssize_t)n);
		if (!p) {
			printf(" NULL");
		} else {
			size_t want = n < 0 ? len : (size_t)n;
			putchar(' ');
			put_bytes(p, want);
			/* the pulled-up bytes must now be the first chunk */
			printf(" contig=%s", evbuffer_get_contiguous_space(B[b].b) >= want ? "ok" : "SHORT");
		}
		touched[0] = b;
	} else if (!strcmp(o, "readln") || !strcmp(o, "readline")) {
		NEEDB(b);
		size_t nr = 12345;
		int ln_ = !strcmp(o, "readln");
		char *l = ln_ ? evbuffer_readln(B[b].b, num(3) ? &nr : NULL,
		    (enum evbuffer_eol_style)num(2)) : evbuffer_readline(B[b].b);
		if (!l) {
			printf(" NULL");
		} else {
			putchar(' ');
			/* the line is NUL-terminated; with EOL_NUL or embedded NULs, strlen
			 * stops early, so print n_read_out bytes when we have it */
			size_t ln = (ln_ && num(3)) ? nr : strlen(l);
			put_bytes(l, ln);
			if (l[ln] != 0)
				printf(" NOT-TERMINATED");
			user_free(l);
		}
		if (ln_ && num(3))
			printf(" n=%zu", nr);
		touched[0] = b;
	} else if (!strcmp(o, "find")) {
		NEEDB(b);
		if (B[b].tainted) {	/* evbuffer_find pulls up: see pullup */
			printf(" skip(le-shared)");
			return;
		}
		size_t nl = ntok > 2 ? get_needle(b, tok[2]) : 0;
		if (nl > sizeof needle_buf) {
			printf(" skip(big)");
			return;
		}
		unsigned char *p = evbuffer_find(B[b].b, needle_buf, nl);
		if (!p) {
			printf(" NULL");
		} else {
			struct evbuffer_iovec v;
			evbuffer_peek(B[b].b, 1, NULL, &v, 1);
			long off = (long)(p - (unsigned char *)v.iov_base);
			printf(" at=%ld ", off);
			if (off < 0 || (size_t)off + nl > v.iov_len)
				printf("NOT-IN-FIRST-CHUNK");
			else
				put_bytes(p, nl);
		}
		touched[0] = b;
	} else if (!strcmp(o, "ptrset")) {
		long long pi = num(1);
		b = bslot_arg(2);
		NEEDB(b);
		if (pi < 0 || pi >= NPTR) {
			printf(" badptr");
			return;
		}
		int how = (int)num(4);
		if (how == EVBUFFER_PTR_ADD) {
			struct evbuffer_ptr *pp;
			if (ptr_arg(1, b, &pp) < 0) {
				printf(" noptr");
				return;
			}
			int r = evbuffer_ptr_set(B[b].b, pp, (size_t)num(3), EVBUFFER_PTR_ADD);
			printf(" %d pos=%lld", r, (long long)pp->pos);
		} else {
			struct evbuffer_ptr p;
			memset(&p, 0, sizeof p);
			int r = evbuffer_ptr_set(B[b].b, &p, (size_t)num(3), EVBUFFER_PTR_SET);
			printf(" %d pos=%lld", r, (long long)p.pos);
			store_ptr(pi, b, p);
		}
	} else if (!strcmp(o, "search") || !strcmp(o, "search_range")) {
		NEEDB(b);
		if (ntok < 3) {
			printf(" noneedle");
			return;
		}
		int rng_ = o[6] == '_';
		size_t nl = get_needle(b, tok[2]);
		struct evbuffer_ptr *st, *en = NULL;
		if (ptr_arg(3, b, &st) < 0 || (rng_ && ptr_arg(4, b, &en) < 0)) {
			printf(" noptr");
			return;
		}
		struct evbuffer_ptr r = rng_
		    ? evbuffer_search_range(B[b].b, (const char *)needle_buf, nl, st, en)
		    : evbuffer_search(B[b].b, (const char *)needle_buf, nl, st);
		printf(" nl=%zu pos=%lld", nl, (long long)r.pos);
		store_ptr(num(rng_ ? 5 : 4), b, r);
	} else if (!strcmp(o, "search_eol")) {
		NEEDB(b);
		struct evbuffer_ptr *st;
		if (ptr_arg(2, b, &st) < 0) {
			printf(" noptr");
			return;
		}
		size_t el = 777;
		struct evbuffer_ptr r = evbuffer_search_eol(B[b].b, st, num(5) ? &el : NULL,
		    (enum evbuffer_eol_style)num(3));
		printf(" pos=%lld", (long long)r.pos);
		if (num(5))
			printf(" eol_len=%zu", el);
		store_ptr(num(4), b, r);
	} else if (!strcmp(o, "peek")) {
		NEEDB(b);
		struct evbuffer_ptr *st;
		if (ptr_arg(3, b, &st) < 0) {
			printf(" noptr");
			return;
		}
		ev_ssize_t len = (ev_ssize_t)n;
		int nvec = (int)num(4);
		if (nvec < 0 || nvec > MAXVEC)
			nvec = MAXVEC;
		struct evbuffer_iovec v[MAXVEC];
		int r = evbuffer_peek(B[b].b, len, st, nvec ? v : NULL, nvec);
		if (layout) {
			printf(" L[r=%d", r);
			for (int i = 0; i < r && i < nvec; i++)
				printf(" %zu", v[i].iov_len);
			printf("]");
		}
		size_t total = evbuffer_get_length(B[b].b);
		size_t from = st ? (st->pos < 0 ? total : (size_t)st->pos) : 0;
		size_t remain = from <= total ? total - from : 0;
		size_t want = len < 0 ? remain : ((size_t)len < remain ? (size_t)len : remain);
		/* The count is layout-dependent (libevent even counts empty chains), except
		 * that it is >0 when there are bytes to see, 0 for no start and len 0 or a
		 * start at the end, and 1 for a start inside the buffer and len 0. */
		if (want > 0)
			printf(" want=%zu r%s", want, r > 0 ? ">0" : "=0!");
		else if (st || len == 0)
			printf(" want=0 r=%d", r);
		else
			printf(" want=0");
		if (nvec > 0 && r > 0) {
			/* Extents must be consecutive bytes of the buffer from 'from'. */
			size_t n_all;
			unsigned char *c = contents(B[b].b, &n_all);
			size_t got = 0;
			int ok = 1;
			for (int i = 0; i < r && i < nvec; i++) {
				if (from + got + v[i].iov_len > n_all ||
				    memcmp(c + from + got, v[i].iov_base, v[i].iov_len)) {
					ok = 0;
					break;
				}
				got += v[i].iov_len;
			}
			free(c);
			/* With room for every extent, they cover at least what was asked.
			 * Whether there was room is layout, so the check prints the same
			 * thing when it does not apply. */
			int applies = (len >= 0 && r <= nvec) || (len < 0 && r < nvec);
			printf(" extents=%s cover=%s", ok ? "ok" : "WRONG",
			    applies && got < want ? "SHORT" : "ok");
		}
	} else if (!strcmp(o, "reserve")) {
		NEEDB(b);
		int nvec = (int)num(3);
		if (nvec < 0 || nvec > 4)
			nvec = 4;
		struct bslot *s = &B[b];
		struct evbuffer_iovec v[4];
		memset(v, 0, sizeof v);
		/* LIBEVENT BUG: reserving 0 bytes in 2+ extents when the last chain with
		 * data is full and nothing follows it trips an assertion (abort) in
		 * evbuffer_read_setup_vecs_. */
		if (n == 0 && nvec >= 2 && !s->frz_end) {
			printf(" skip(le-assert)");
			return;
		}
		int r = evbuffer_reserve_space(s->b, (ev_ssize_t)n, v, nvec);
		if (layout) {
			printf(" L[r=%d", r);
			for (int i = 0; i < r && i < nvec; i++)
				printf(" %zu", v[i].iov_len);
			printf("]");
		}
		size_t sum = 0;
		for (int i = 0; i < r && i < nvec; i++)
			sum += v[i].iov_len;
		/* How many extents and how big is the layout's business; that they cover
		 * the request is not. */
		if (r <= 0 || n <= 0)
			printf(" %d", r);
		else
			printf(" ok=%d cover=%s", r >= 1 && r <= nvec, sum >= (size_t)n ? "ok" : "SHORT");
		s->gen++;
		s->pristine = 0;
		if (r > 0) {
			s->res_live = 1;
			s->res_dirty = 0;
			s->res_gen = s->gen;
			s->res_n = r;
			s->res_nvec = nvec;
			s->res_size = (ev_ssize_t)n;
			memcpy(s->res_vec, v, sizeof v);
			/* the data goes in right away, while the extents are surely valid */
			size_t k = n > 0 ? (size_t)n : 0, off = 0;
			unsigned char *d = gen(k);
			for (int i = 0; i < r && off < k; i++) {
				size_t l = v[i].iov_len < k - off ? v[i].iov_len : k - off;
				memcpy(v[i].iov_base, d + off, l);
				off += l;
			}
		} else {
			s->res_live = 0;
		}
		return;		/* no state(): keep the reservation's gen */
	} else if (!strcmp(o, "commit")) {
		NEEDB(b);
		struct bslot *s = &B[b];
		int mode = (int)num(3);
		struct evbuffer_iovec v[4];
		int nv;
		unsigned char fake[16];
		if (!s->res_live) {
			/* extents that were never reserved */
			v[0].iov_base = fake;
			v[0].iov_len = n > 0 ? (size_t)(n % 16) : 0;
			nv = mode == 3 ? 0 : 1;
			printf(" (unreserved)");
		} else {
			int stale = s->res_gen != s->gen;
			if (stale && s->res_dirty) {
				/* the extents may point into freed chains: not a fair question */
				printf(" (stale-dirty) skip");
				return;
			}
			size_t k = n < 0 ? 0 : (size_t)n, off = 0;
			if (s->res_size >= 0 && k > (size_t)s->res_size)
				k = (size_t)s->res_size;
			if (s->res_size < 0)
				k = 0;
			memcpy(v, s->res_vec, sizeof v);
			int used = 0;
			for (int i = 0; i < s->res_n; i++) {
				size_t l = v[i].iov_len < k - off ? v[i].iov_len : k - off;
				v[i].iov_len = l;
				off += l;
				if (l)
					used = i + 1;
			}
			nv = s->res_n;
			if (mode == 1)
				nv = used ? used : 1;
			else if (mode == 2)
				v[0].iov_len = s->res_vec[0].iov_len + 1;
			else if (mode == 3)
				nv = 0;
			if (stale)
				printf(" (stale)");
			else
				printf(" k=%zu", k);
		}
		int r = evbuffer_commit_space(s->b, v, nv);
		printf(" %d", r);
		if (r == 0 && nv > 0)
			s->res_live = 0;
		touched[0] = b;
	} else if (!strcmp(o, "expand")) {
		NEEDB(b);
		printf(" %d", evbuffer_expand(B[b].b, (size_t)n));
		touched[0] = b;
	} else if (!strcmp(o, "contig")) {
		NEEDB(b);
		/* The first chunk's size is layout; its bounds are not. */
		size_t cs = evbuffer_get_contiguous_space(B[b].b);
		if (layout)
			printf(" L[%zu]", cs);
		size_t len = evbuffer_get_length(B[b].b);
		printf(" %s", len == 0 ? (cs == 0 ? "empty-ok" : "NONZERO")
		    : (cs > 0 && cs <= len ? "ok" : "BAD"));
	} else if (!strcmp(o, "freeze") || !strcmp(o, "unfreeze")) {
		NEEDB(b);
		int at = (int)n;
		if (at)
			B[b].frz_start = o[0] == 'f';
		else
			B[b].frz_end = o[0] == 'f';
		printf(" %d", o[0] == 'f' ? evbuffer_freeze(B[b].b, at) : evbuffer_unfreeze(B[b].b, at));
	} else if (!strcmp(o, "addcb")) {
		NEEDB(b);
		long long ci = num(2);
		if (ci < 0 || ci >= NCB || C[ci].live) {
			printf(" busy");
			return;
		}
		struct cbarg *a = new_cbarg(b, 0);
		a->action = (int)num(3);
		a->cslot = (int)ci;
		C[ci].ent = evbuffer_add_cb(B[b].b, log_cb, a);
		a->ent = C[ci].ent;
		C[ci].live = C[ci].ent != NULL;
		C[ci].owner = b;
		C[ci].arg = a;
		printf(" cb#%d %s", a->id, C[ci].ent ? "ok" : "NULL");
	} else if (!strcmp(o, "rmcbent")) {
		long long ci = num(1);
		if (ci < 0 || ci >= NCB || !C[ci].live) {
			printf(" nocb");
			return;
		}
		printf(" %d", evbuffer_remove_cb_entry(B[C[ci].owner].b, C[ci].ent));
		C[ci].live = 0;
	} else if (!strcmp(o, "rmcb")) {
		NEEDB(b);
		long long ci = num(2);
		int kind = (int)num(3);
		if (ci < 0 || ci >= NCB || !C[ci].arg) {
			printf(" nocb");
			return;
		}
		/* kind 0: the registered (fn, arg); 1: another fn; 2: another arg */
		int r = evbuffer_remove_cb(B[b].b, kind == 1 ? other_cb : log_cb,
		    kind == 2 ? (void *)&C[ci] : (void *)C[ci].arg);
		printf(" %d", r);
		if (r == 0) {
			/* the newest matching registration on b went away */
			for (int i = 0; i < NCB; i++)
				if (C[i].live && C[i].owner == b && C[i].arg == C[ci].arg)
					C[i].live = 0;
		}
	} else if (!strcmp(o, "cbset") || !strcmp(o, "cbclear")) {
		long long ci = num(1);
		if (ci < 0 || ci >= NCB || !C[ci].live) {
			printf(" nocb");
			return;
		}
		ev_uint32_t f = (ev_uint32_t)num(2);
		int r = o[2] == 's' ? evbuffer_cb_set_flags(B[C[ci].owner].b, C[ci].ent, f)
		    : evbuffer_cb_clear_flags(B[C[ci].owner].b, C[ci].ent, f);
		printf(" %d", r);
	} else if (!strcmp(o, "setcb")) {
		NEEDB(b);
		/* evbuffer_setcb drops every callback of the buffer, add_cb ones too */
		for (int i = 0; i < NCB; i++)
			if (C[i].live && C[i].owner == b)
				C[i].live = 0;
		struct cbarg *a = NULL;
		if (n)
			a = new_cbarg(b, 1);
		printf(" %d", evbuffer_setcb(B[b].b, n ? compat_cb : NULL, a));
		if (a)
			printf(" ocb#%d", a->id);
	} else if (!strcmp(o, "lock")) {
		NEEDB(b);
		printf(" %d", evbuffer_enable_locking(B[b].b, NULL));
	} else if (!strcmp(o, "lockunlock")) {
		NEEDB(b);
		evbuffer_lock(B[b].b);
		evbuffer_lock(B[b].b);
		size_t l = evbuffer_get_length(B[b].b);
		evbuffer_unlock(B[b].b);
		evbuffer_unlock(B[b].b);
		printf(" %zu", l);
	} else if (!strcmp(o, "setflags") || !strcmp(o, "clearflags")) {
		NEEDB(b);
		/* LIBEVENT BUG: with EVBUFFER_FLAG_DRAINS_TO_FD, add_file chains are sendfile
		 * chains that copyout/pullup/search read as memory (garbage). The flag is
		 * only set on buffers that will never get a file; see the sendfile op. */
		ev_uint64_t f = (ev_uint64_t)num(2) & ~(ev_uint64_t)EVBUFFER_FLAG_DRAINS_TO_FD;
		if (num(2) & EVBUFFER_FLAG_DRAINS_TO_FD) {
			f |= EVBUFFER_FLAG_DRAINS_TO_FD;
			if (o[0] == 's')
				B[b].deferred |= 2;	/* remember: no files */
		}
		printf(" %d", o[0] == 's' ? evbuffer_set_flags(B[b].b, f) : evbuffer_clear_flags(B[b].b, f));
	} else if (!strcmp(o, "write") || !strcmp(o, "writeatmost")) {
		NEEDB(b);
		if (evbuffer_get_length(B[b].b) > 150000) {
			printf(" skip(big)");
			return;
		}
		int r = o[5] ? evbuffer_write_atmost(B[b].b, sv[0], (ev_ssize_t)n)
		    : evbuffer_write(B[b].b, sv[0]);
		printf(" %d", r);
		drain_peer();
		touched[0] = b;
	} else if (!strcmp(o, "sockin")) {
		long long k = num(1);
		if (k < 0 || sock_pending + (size_t)k > 32768) {
			printf(" skip(full)");
			return;
		}
		unsigned char *d = gen((size_t)k);
		ssize_t w = write(sv[1], d, (size_t)k);
		if (w > 0)
			sock_pending += (size_t)w;
		printf(" %zd", w);
	} else if (!strcmp(o, "read")) {
		NEEDB(b);
		/* LIBEVENT BUG: the same assertion as reserve_space of 0 bytes (see there). */
		if (n == 0 && !B[b].frz_end) {
			printf(" skip(le-assert)");
			return;
		}
		int r = evbuffer_read(B[b].b, sv[0], (int)n);
		if (r > 0)
			sock_pending -= (size_t)r;
		printf(" %d", r);
		touched[0] = b;
	} else if (!strcmp(o, "addfile")) {
		NEEDB(b);
		if (B[b].deferred & 2) {
			printf(" skip(le-sendfile)");
			return;
		}
		int fd = open_tmp();
		int r = evbuffer_add_file(B[b].b, fd, (ev_off_t)n, (ev_off_t)num(3));
		printf(" %d", r);
		if (r < 0)
			close_if_open(fd);	/* libevent closes it on some failures only */
		touched[0] = b;
	} else if (!strcmp(o, "segnew")) {
		long long si = num(1);
		if (si < 0 || si >= NSEG || S[si].s) {
			printf(" busy");
			return;
		}
		int fd = open_tmp();
		unsigned flags = (unsigned)num(4) | EVBUF_FS_CLOSE_ON_FREE;
		S[si].s = evbuffer_file_segment_new(fd, (ev_off_t)num(2), (ev_off_t)num(3), flags);
		if (!S[si].s) {
			close(fd);
			printf(" NULL");
			return;
		}
		S[si].info = &seginfos[nseg % 100000];
		S[si].info->id = nseg++;
		S[si].info->ran = 0;
		printf(" seg#%d", S[si].info->id);
	} else if (!strcmp(o, "segcb")) {
		long long si = num(1);
		if (si < 0 || si >= NSEG || !S[si].s) {
			printf(" noseg");
			return;
		}
		evbuffer_file_segment_add_cleanup_cb(S[si].s, seg_cleanup, S[si].info);
		printf(" ok");
	} else if (!strcmp(o, "segfree")) {
		long long si = num(1);
		if (si < 0 || si >= NSEG || !S[si].s) {
			printf(" noseg");
			return;
		}
		evbuffer_file_segment_free(S[si].s);
		S[si].s = NULL;
		printf(" ok");
	} else if (!strcmp(o, "segadd")) {
		NEEDB(b);
		long long si = num(2);
		if (si < 0 || si >= NSEG || !S[si].s) {
			printf(" noseg");
			return;
		}
		if (B[b].deferred & 2) {
			printf(" skip(le-sendfile)");
			return;
		}
		int r = evbuffer_add_file_segment(B[b].b, S[si].s, (ev_off_t)num(3), (ev_off_t)num(4));
		printf(" %d", r);
		/* libevent drops the caller's reference when adding fails */
		if (r < 0)
			S[si].s = NULL;
		touched[0] = b;
	} else if (!strcmp(o, "sendfile")) {
		/* A fresh buffer that drains to an fd: the file chain is written with
		 * sendfile and never read as memory. */
		struct evbuffer *t = evbuffer_new();
		evbuffer_set_flags(t, EVBUFFER_FLAG_DRAINS_TO_FD);
		int fd = open_tmp();
		int r = evbuffer_add_file(t, fd, (ev_off_t)num(1), (ev_off_t)num(2));
		printf(" add=%d", r);
		if (r < 0)
			close_if_open(fd);
		/* memory before and after the file: a write stops at a change of kind */
		long long pre = num(3), post = num(4);
		if (pre > 0)
			evbuffer_prepend(t, gen((size_t)pre), (size_t)pre);
		if (post > 0)
			evbuffer_add(t, gen((size_t)post), (size_t)post);
		printf(" len=%zu", evbuffer_get_length(t));
		for (int i = 0; i < 4 && evbuffer_get_length(t); i++) {
			int w = evbuffer_write(t, sv[0]);
			printf(" write=%d", w);
			if (w <= 0)
				break;
		}
		drain_peer();
		printf(" left=%zu", evbuffer_get_length(t));
		evbuffer_free(t);
	} else if (!strcmp(o, "defer")) {
		NEEDB(b);
		if (B[b].deferred & 1) {
			printf(" already");
			return;
		}
		if (!base)
			base = event_base_new();
		B[b].deferred |= 1;
		printf(" %d", evbuffer_defer_callbacks(B[b].b, base));
	} else if (!strcmp(o, "loop")) {
		if (!base) {
			printf(" nobase");
			return;
		}
		printf(" %d", event_base_loop(base, EVLOOP_NONBLOCK));
	} else {
		printf(" UNKNOWN-OP");
		return;
	}
	touch(touched[0]);
	touch(touched[1]);
	/* An empty buffer holds no shared chain any more (libevent frees drained chains). */
	for (int i = 0; i < 2; i++)
		if (touched[i] >= 0 && B[touched[i]].b && evbuffer_get_length(B[touched[i]].b) == 0)
			B[touched[i]].tainted = 0;
	state(touched[0]);
	if (touched[1] != touched[0])
		state(touched[1]);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	layout = getenv("EVB_LAYOUT") && atoi(getenv("EVB_LAYOUT"));
	refcap = 1 << 16;
	refs = calloc((size_t)refcap, sizeof *refs);
	for (int i = 0; i < NPTR; i++)
		P[i].owner = -1;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		perror("socketpair");
		return 2;
	}
	for (int i = 0; i < 2; i++) {
		int big = 1 << 20;
		setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
		setsockopt(sv[i], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
		fcntl(sv[i], F_SETFL, fcntl(sv[i], F_GETFL) | O_NONBLOCK);
	}
	{
		/* unlinked at once, so that a crash leaves nothing behind; every add_file
		 * opens it afresh (own offset, closed by the library) through /proc */
		char path[64];
		snprintf(path, sizeof path, "/tmp/evbfuzz.%d", (int)getpid());
		int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		unsigned char *d = gen(FILESZ);
		if (fd < 0 || write(fd, d, FILESZ) != FILESZ) {
			perror("tmpfile");
			return 2;
		}
		unlink(path);
		snprintf(tmpfile_path, sizeof tmpfile_path, "/proc/self/fd/%d", fd);
	}

	char line[65536];
	while (fgets(line, sizeof line, stdin)) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (!line[0] || line[0] == '#')
			continue;
		ntok = 0;
		for (char *t = strtok(line, " \t"); t && ntok < MAXTOK; t = strtok(NULL, " \t"))
			tok[ntok++] = t;
		if (!ntok)
			continue;
		printf("%d %s", opno++, tok[0]);
		for (int i = 1; i < ntok; i++)
			printf(" %s", tok[i]);
		printf(" ->");
		op();
		putchar('\n');
		fflush(stdout);	/* a crash keeps everything before it */
	}

	/* Tear down: run pending deferred callbacks, free everything, then report the
	 * cleanups whose timing is layout-dependent (zero-length references). */
	printf("end\n");
	if (base) {
		printf("final loop:");
		int r = event_base_loop(base, EVLOOP_NONBLOCK);
		printf(" -> %d\n", r);
	}
	for (int i = 0; i < NSEG; i++)
		if (S[i].s) {
			printf("segfree %d", i);
			evbuffer_file_segment_free(S[i].s);
			putchar('\n');
		}
	for (int i = 0; i < NBUF; i++)
		if (B[i].b) {
			printf("free b%d", i);
			free_slot(i);
			putchar('\n');
		}
	if (base)
		event_base_free(base);
	for (int i = 0; i < nrefs; i++)
		if (refs[i].zero && refs[i].ran != 1 && refs[i].ran != 0)
			printf("ref#%d (zero-length) cleanup ran %d times\n", i, refs[i].ran);
	int missing = 0;
	for (int i = 0; i < nrefs; i++)
		if (!refs[i].zero && !refs[i].nocb && refs[i].ran == 0)
			missing++;
	printf("refs=%d never-cleaned(nonzero)=%d\n", nrefs, missing);
	for (int i = 0; i < nrefs; i++)
		free((void *)refs[i].data);
	free(refs);
	for (int i = 0; i < ncbargs; i++)
		free(cbargs[i]);
	free(cbargs);
	close(sv[0]);
	close(sv[1]);
	free(scratch);
	return 0;
}

/* Differential fuzzing of evbuffer: runs a script of evbuffer operations read from stdin
 * (one per line, "op arg..."; see gen.py) and prints every result, callback and cleanup, so
 * that the output built against libevent and against evshim can be diffed.
 *
 * Build: cc evbuffer_script.c $(pkg-config --cflags --libs libevent) (or against evshim).
 * Only deterministic, well-defined uses of the API are scripted: no stale evbuffer_ptrs,
 * no writes into reserved space after the buffer changed, nothing libevent crashes on. */
#include <event2/buffer.h>
#include <event2/buffer_compat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define NB 4  /* buffers */
#define NP 4  /* evbuffer_ptr slots */
#define NC 8  /* callback slots */
#define NS 4  /* file segment slots */
#define MAXV 8

static struct evbuffer *B[NB];
static struct evbuffer_ptr P[NP];
static int P_valid[NP]; /* 1 when P[i] was set on buffer P_buf[i] and nothing changed since */
static int P_buf[NP];
static struct evbuffer_cb_entry *CB[NC];
static int CB_buf[NC];
static struct evbuffer_file_segment *SEG[NS];
static unsigned char *refpool; /* memory for evbuffer_add_reference, never freed */
static size_t refpool_len = 1 << 22;
static int pipefd[2];
static char tmpname[64];
static unsigned long opno;
static struct iovec RES[MAXV]; static int RES_n = -1, RES_buf = -1; /* pending reservation */

static int bufidx(struct evbuffer *b) { for (int i = 0; i < NB; i++) if (B[i] == b) return i; return -1; }

static void gen(unsigned char *out, size_t n, unsigned seed)
{
	static const char alpha[] = "aaaabbbcx\r\n\n\0yz";
	uint32_t x = seed * 2654435761u + 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		out[i] = (unsigned char)alpha[(x >> 16) % 16];
	}
}

static void show(const char *tag, const unsigned char *p, size_t n)
{
	printf(" %s[%zu]=\"", tag, n);
	for (size_t i = 0; i < n && i < 96; i++) {
		unsigned char c = p[i];
		if (c >= 32 && c < 127 && c != '"' && c != '\\') putchar(c);
		else printf("\\x%02x", c);
	}
	if (n > 96) printf("...");
	printf("\"");
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
	printf("#%08x", h);
}

/* Content hash and layout of a buffer, read with evbuffer_peek (allowed when frozen). */
static void state(void)
{
	printf("  S");
	for (int i = 0; i < NB; i++) {
		if (!B[i]) { printf(" -"); continue; }
		struct iovec v[64];
		int n = evbuffer_peek(B[i], -1, NULL, v, 64);
		uint32_t h = 2166136261u;
		for (int k = 0; k < n && k < 64; k++)
			for (size_t j = 0; j < v[k].iov_len; j++) h = (h ^ ((unsigned char *)v[k].iov_base)[j]) * 16777619u;
		printf(" %zu/%d/%zu/%08x", evbuffer_get_length(B[i]), evbuffer_peek(B[i], -1, NULL, NULL, 0),
		    evbuffer_get_contiguous_space(B[i]), h);
	}
	printf("\n");
}

static void cb_new(struct evbuffer *b, const struct evbuffer_cb_info *info, void *arg)
{
	printf("  cb%d b%d orig=%zu add=%zu del=%zu len=%zu\n", (int)(intptr_t)arg, bufidx(b), info->orig_size,
	    info->n_added, info->n_deleted, evbuffer_get_length(b));
}

static void cb_draining(struct evbuffer *b, const struct evbuffer_cb_info *info, void *arg)
{
	/* A callback that changes the buffer it watches (drains 1 byte when it grew by >= 3). */
	printf("  dcb%d b%d orig=%zu add=%zu del=%zu\n", (int)(intptr_t)arg, bufidx(b), info->orig_size, info->n_added, info->n_deleted);
	if (info->n_added >= 3 && evbuffer_get_length(b) > 0)
		printf("  dcb-drain=%d\n", evbuffer_drain(b, 1));
}

static void cb_old(struct evbuffer *b, size_t old_len, size_t new_len, void *arg)
{
	printf("  ocb%d b%d old=%zu new=%zu\n", (int)(intptr_t)arg, bufidx(b), old_len, new_len);
}

static void ref_cleanup(const void *data, size_t len, void *extra)
{
	printf("  refclean id=%d len=%zu off=%zu\n", (int)(intptr_t)extra, len, (size_t)((const unsigned char *)data - refpool));
}

static void seg_cleanup(struct evbuffer_file_segment const *seg, int flags, void *arg)
{
	(void)seg;
	printf("  segclean id=%d flags=%d\n", (int)(intptr_t)arg, flags);
}

/* Any change to a buffer invalidates positions into it (libevent says so). */
static void touched(int b)
{
	for (int i = 0; i < NP; i++) if (P_buf[i] == b) P_valid[i] = 0;
	if (RES_buf == b) RES_n = -1;
}

static struct evbuffer_ptr *ptr_arg(long p, int b)
{
	if (p < 0 || p >= NP || !P_valid[p] || P_buf[p] != b) return NULL;
	return &P[p];
}

static void pr_ptr(const char *tag, struct evbuffer_ptr p) { printf(" %s=%zd%s", tag, p.pos, p.internal_.chain ? "" : "(end)"); }

static void drain_pipe(void)
{
	unsigned char tmp[1 << 16];
	ssize_t n, total = 0;
	uint32_t h = 2166136261u;
	while ((n = read(pipefd[0], tmp, sizeof tmp)) > 0) {
		for (ssize_t i = 0; i < n; i++) h = (h ^ tmp[i]) * 16777619u;
		total += n;
	}
	printf(" piped=%zd#%08x", total, h);
}

int main(int argc, char **argv)
{
	char line[512];
	(void)argc; (void)argv;
	setvbuf(stdout, NULL, getenv("FUZZ_FLUSH") ? _IOLBF : _IOFBF, 1 << 16);
	refpool = malloc(refpool_len);
	gen(refpool, refpool_len, 7);
	if (pipe(pipefd) < 0) return 2;
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	fcntl(pipefd[1], F_SETFL, O_NONBLOCK);
	snprintf(tmpname, sizeof tmpname, "/tmp/evfuzz.%d", (int)getpid());
	{
		int fd = open(tmpname, O_CREAT | O_TRUNC | O_WRONLY, 0600);
		unsigned char *d = malloc(100000);
		gen(d, 100000, 99);
		if (write(fd, d, 100000) != 100000) return 2;
		close(fd);
		free(d);
	}
	for (int i = 0; i < NB; i++) B[i] = evbuffer_new();
	for (int i = 0; i < NP; i++) P_buf[i] = -1;

	while (fgets(line, sizeof line, stdin)) {
		char op[32];
		long a[10] = {0};
		int n = sscanf(line, "%31s %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld", op, &a[0], &a[1], &a[2], &a[3], &a[4], &a[5], &a[6], &a[7], &a[8], &a[9]);
		if (n < 1 || op[0] == '#') continue;
		++opno;
		int b = (int)a[0];
		if (strcmp(op, "free") && strcmp(op, "new") && (b < 0 || b >= NB || !B[b]) && strcmp(op, "segnew") && strcmp(op, "segfree")) {
			continue;
		}
		printf("%lu %s", opno, op);
		for (int i = 1; i < n; i++) printf(" %ld", a[i - 1]);
		printf(":");
		if (!strcmp(op, "add")) {
			unsigned char *d = malloc(a[1] + 1);
			gen(d, a[1], a[2]);
			printf(" r=%d", evbuffer_add(B[b], d, a[1]));
			free(d); touched(b);
		} else if (!strcmp(op, "prepend")) {
			unsigned char *d = malloc(a[1] + 1);
			gen(d, a[1], a[2]);
			printf(" r=%d", evbuffer_prepend(B[b], d, a[1]));
			free(d); touched(b);
		} else if (!strcmp(op, "printf")) {
			char s[20000];
			size_t len = (size_t)a[1] % sizeof s;
			gen((unsigned char *)s, len, a[2]);
			for (size_t i = 0; i < len; i++) if (!s[i]) s[i] = '0';
			s[len] = 0;
			switch (a[3] % 3) {
			case 0: printf(" r=%d", evbuffer_add_printf(B[b], "%s", s)); break;
			case 1: printf(" r=%d", evbuffer_add_printf(B[b], "[%ld:%s:%x]", a[2], s, (unsigned)a[1])); break;
			default: printf(" r=%d", evbuffer_add_printf(B[b], "%*d|%.3s", (int)(a[1] % 200), (int)a[2], s)); break;
			}
			touched(b);
		} else if (!strcmp(op, "drain")) {
			printf(" r=%d", evbuffer_drain(B[b], a[1])); touched(b);
		} else if (!strcmp(op, "remove")) {
			unsigned char *d = malloc(a[1] + 1);
			int r = evbuffer_remove(B[b], d, a[1]);
			printf(" r=%d", r);
			if (r > 0) show("d", d, r);
			free(d); touched(b);
		} else if (!strcmp(op, "copyout")) {
			unsigned char *d = malloc(a[1] + 1);
			ev_ssize_t r = evbuffer_copyout(B[b], d, a[1]);
			printf(" r=%zd", r);
			if (r > 0) show("d", d, r);
			free(d);
		} else if (!strcmp(op, "copyout_from")) {
			struct evbuffer_ptr *p = ptr_arg(a[1], b);
			if (!p) { printf(" skip\n"); continue; }
			unsigned char *d = malloc(a[2] + 1);
			ev_ssize_t r = evbuffer_copyout_from(B[b], p, d, a[2]);
			printf(" r=%zd", r);
			if (r > 0) show("d", d, r);
			free(d);
		} else if (!strcmp(op, "remove_buffer")) {
			int d = (int)a[1] % NB;
			if (!B[d]) { printf(" skip\n"); continue; }
			printf(" r=%d", evbuffer_remove_buffer(B[b], B[d], a[2])); touched(b); touched(d);
		} else if (!strcmp(op, "add_buffer")) {
			int s = (int)a[1] % NB;
			if (!B[s]) { printf(" skip\n"); continue; }
			printf(" r=%d", evbuffer_add_buffer(B[b], B[s])); touched(b); touched(s);
		} else if (!strcmp(op, "prepend_buffer")) {
			int s = (int)a[1] % NB;
			if (!B[s]) { printf(" skip\n"); continue; }
			printf(" r=%d", evbuffer_prepend_buffer(B[b], B[s])); touched(b); touched(s);
		} else if (!strcmp(op, "add_buffer_reference")) {
			int s = (int)a[1] % NB;
			/* libevent frees an empty destination's chains without forgetting them: skip. */
			if (!B[s] || evbuffer_get_length(B[b]) == 0) { printf(" skip\n"); continue; }
			printf(" r=%d", evbuffer_add_buffer_reference(B[b], B[s])); touched(b); touched(s);
		} else if (!strcmp(op, "add_reference")) {
			size_t len = (size_t)a[1], off = (size_t)a[2] % (refpool_len - len);
			printf(" r=%d", evbuffer_add_reference(B[b], refpool + off, len, a[3] ? ref_cleanup : NULL, (void *)(intptr_t)opno));
			touched(b);
		} else if (!strcmp(op, "readln")) {
			size_t nr = 12345;
			char *l = evbuffer_readln(B[b], &nr, (enum evbuffer_eol_style)a[1]);
			printf(" n=%zu", nr);
			if (l) { show("line", (unsigned char *)l, nr); free(l); } else printf(" NULL");
			touched(b);
		} else if (!strcmp(op, "readline")) {
			char *l = evbuffer_readline(B[b]);
			if (l) { show("line", (unsigned char *)l, strlen(l)); free(l); } else printf(" NULL");
			touched(b);
		} else if (!strcmp(op, "search") || !strcmp(op, "search_range")) {
			/* search b needlelen seed start(-1|slot) [end slot] -> result stored in slot a[4] */
			unsigned char nd[64];
			size_t nl = (size_t)a[1] % 64;
			gen(nd, nl, a[2]);
			struct evbuffer_ptr *st = ptr_arg(a[3], b), r;
			if (!strcmp(op, "search")) r = evbuffer_search(B[b], (char *)nd, nl, st);
			else r = evbuffer_search_range(B[b], (char *)nd, nl, st, ptr_arg(a[5], b));
			pr_ptr("pos", r);
			int slot = (int)(a[4] % NP);
			P[slot] = r; P_valid[slot] = r.pos >= 0; P_buf[slot] = b;
		} else if (!strcmp(op, "search_eol")) {
			size_t el = 777;
			struct evbuffer_ptr r = evbuffer_search_eol(B[b], ptr_arg(a[2], b), &el, (enum evbuffer_eol_style)a[1]);
			pr_ptr("pos", r);
			printf(" eol=%zu", el);
			int slot = (int)(a[3] % NP);
			P[slot] = r; P_valid[slot] = r.pos >= 0; P_buf[slot] = b;
		} else if (!strcmp(op, "ptr_set")) {
			/* ptr_set b slot position how */
			int slot = (int)(a[1] % NP);
			if (a[3] == EVBUFFER_PTR_ADD && !ptr_arg(slot, b)) { printf(" skip\n"); continue; }
			int r = evbuffer_ptr_set(B[b], &P[slot], (size_t)a[2], (enum evbuffer_ptr_how)a[3]);
			printf(" r=%d", r);
			pr_ptr("pos", P[slot]);
			P_valid[slot] = r == 0; P_buf[slot] = b;
		} else if (!strcmp(op, "peek")) {
			/* peek b len slot nvec */
			struct iovec v[MAXV];
			int nv = (int)(a[3] % MAXV);
			struct evbuffer_ptr *st = ptr_arg(a[2], b);
			if (a[2] >= 0 && !st) { printf(" skip\n"); continue; }
			int r = evbuffer_peek(B[b], a[1], st, nv ? v : NULL, nv);
			printf(" r=%d", r);
			for (int i = 0; i < r && i < nv; i++) show("v", v[i].iov_base, v[i].iov_len);
		} else if (!strcmp(op, "pullup")) {
			unsigned char *p = evbuffer_pullup(B[b], a[1]);
			if (!p) printf(" NULL");
			else show("d", p, a[1] < 0 ? evbuffer_get_length(B[b]) : (size_t)a[1]);
			touched(b);
		} else if (!strcmp(op, "find")) {
			unsigned char nd[64];
			size_t nl = (size_t)a[1] % 64;
			gen(nd, nl, a[2]);
			unsigned char *p = evbuffer_find(B[b], nd, nl);
			if (!p) printf(" NULL"); else show("at", p, nl);
			touched(b);
		} else if (!strcmp(op, "expand")) {
			printf(" r=%d", evbuffer_expand(B[b], a[1])); touched(b);
		} else if (!strcmp(op, "reserve")) {
			/* reserve b size nvec: fills the extents at once; "commit" may follow */
			touched(b);
			int nv = (int)a[2];
			struct iovec v[MAXV];
			int r = evbuffer_reserve_space(B[b], a[1], v, nv);
			printf(" r=%d", r);
			for (int i = 0; i < r; i++) {
				printf(" %zu", v[i].iov_len);
				gen(v[i].iov_base, v[i].iov_len, (unsigned)(opno + i));
				RES[i] = v[i];
			}
			if (r >= 0) { RES_n = r; RES_buf = b; }
		} else if (!strcmp(op, "commit")) {
			/* commit b n shrink...: commit the first n pending extents, each shortened */
			if (RES_buf != b || RES_n < 0) { printf(" skip\n"); continue; }
			int nv = (int)a[1];
			if (nv > RES_n) nv = RES_n;
			struct iovec v[MAXV];
			for (int i = 0; i < nv; i++) {
				v[i] = RES[i];
				size_t cut = i + 2 < n ? (size_t)a[2 + i] : 0;
				v[i].iov_len = cut >= v[i].iov_len ? 0 : v[i].iov_len - cut;
			}
			printf(" r=%d", evbuffer_commit_space(B[b], v, nv));
			touched(b);
		} else if (!strcmp(op, "length")) {
			printf(" r=%zu", evbuffer_get_length(B[b]));
		} else if (!strcmp(op, "freeze")) {
			printf(" r=%d", evbuffer_freeze(B[b], (int)a[1]));
		} else if (!strcmp(op, "unfreeze")) {
			printf(" r=%d", evbuffer_unfreeze(B[b], (int)a[1]));
		} else if (!strcmp(op, "addcb")) {
			int id = (int)(a[1] % NC);
			if (CB[id]) { printf(" skip\n"); continue; }
			CB[id] = evbuffer_add_cb(B[b], a[2] ? cb_draining : cb_new, (void *)(intptr_t)id);
			CB_buf[id] = b;
			printf(" ok");
		} else if (!strcmp(op, "delcb")) {
			int id = (int)(a[1] % NC);
			if (!CB[id] || CB_buf[id] != b) { printf(" skip\n"); continue; }
			printf(" r=%d", evbuffer_remove_cb_entry(B[b], CB[id]));
			CB[id] = NULL;
		} else if (!strcmp(op, "removecb")) {
			int id = (int)(a[1] % NC);
			int r = evbuffer_remove_cb(B[b], a[2] ? cb_draining : cb_new, (void *)(intptr_t)id);
			printf(" r=%d", r);
			if (r == 0 && CB[id] && CB_buf[id] == b) CB[id] = NULL;
			if (r == 0) { printf("\n"); printf("  note: removed\n"); state(); continue; }
		} else if (!strcmp(op, "cbflags")) {
			int id = (int)(a[1] % NC);
			if (!CB[id] || CB_buf[id] != b) { printf(" skip\n"); continue; }
			if (a[2]) printf(" r=%d", evbuffer_cb_set_flags(B[b], CB[id], (ev_uint32_t)a[3]));
			else printf(" r=%d", evbuffer_cb_clear_flags(B[b], CB[id], (ev_uint32_t)a[3]));
		} else if (!strcmp(op, "setcb")) {
			printf(" r=%d", evbuffer_setcb(B[b], a[1] ? cb_old : NULL, (void *)(intptr_t)a[1]));
			for (int i = 0; i < NC; i++) if (CB_buf[i] == b) CB[i] = NULL;
		} else if (!strcmp(op, "add_iovec")) {
			struct iovec v[MAXV];
			int nv = (int)(a[1] % MAXV);
			unsigned char *d = malloc(8 * 4096);
			gen(d, 8 * 4096, a[2]);
			for (int i = 0; i < nv; i++) { v[i].iov_base = d + 4096 * i; v[i].iov_len = (size_t)(i + 3 < n ? a[3 + i] : 0) % 4096; }
			printf(" r=%zu", evbuffer_add_iovec(B[b], v, nv));
			free(d); touched(b);
		} else if (!strcmp(op, "flags")) {
			if (a[1]) printf(" r=%d", evbuffer_set_flags(B[b], EVBUFFER_FLAG_DRAINS_TO_FD));
			else printf(" r=%d", evbuffer_clear_flags(B[b], EVBUFFER_FLAG_DRAINS_TO_FD));
		} else if (!strcmp(op, "add_file")) {
			/* add_file b offset length */
			int fd = open(tmpname, O_RDONLY);
			int r = evbuffer_add_file(B[b], fd, a[1], a[2]);
			printf(" r=%d", r);
			if (r < 0) close(fd);
			touched(b);
		} else if (!strcmp(op, "segnew")) {
			/* segnew id offset length flags (the slot's old segment is freed first) */
			int id = (int)(a[0] % NS);
			if (SEG[id]) evbuffer_file_segment_free(SEG[id]);
			int fd = open(tmpname, O_RDONLY);
			unsigned fl = (unsigned)a[3] & (EVBUF_FS_DISABLE_MMAP | EVBUF_FS_DISABLE_SENDFILE);
			SEG[id] = evbuffer_file_segment_new(fd, a[1], a[2], fl | EVBUF_FS_CLOSE_ON_FREE);
			printf(" %s", SEG[id] ? "ok" : "NULL");
			if (SEG[id]) evbuffer_file_segment_add_cleanup_cb(SEG[id], seg_cleanup, (void *)(intptr_t)opno);
			else close(fd);
		} else if (!strcmp(op, "segadd")) {
			/* segadd b id offset length */
			int id = (int)(a[1] % NS);
			if (!SEG[id]) { printf(" skip\n"); continue; }
			/* A failed add drops a reference (libevent): keep ours by taking one more first. */
			int r = evbuffer_add_file_segment(B[b], SEG[id], a[2], a[3]);
			printf(" r=%d", r);
			if (r < 0) SEG[id] = NULL; /* (it may be freed now; never touch it again) */
			touched(b);
		} else if (!strcmp(op, "sfile")) {
			/* sfile b id offset length: a sendfile chain, written out at once (its bytes
			 * are not readable in memory with libevent, so nothing else may see it) */
			int id = (int)(a[1] % NS);
			if (!SEG[id]) { printf(" skip\n"); continue; }
			evbuffer_unfreeze(B[b], 0); evbuffer_unfreeze(B[b], 1);
			evbuffer_set_flags(B[b], EVBUFFER_FLAG_DRAINS_TO_FD);
			int r = evbuffer_add_file_segment(B[b], SEG[id], a[2], a[3]), w, k = 0;
			printf(" r=%d", r);
			if (r < 0) SEG[id] = NULL;
			while ((w = evbuffer_write(B[b], pipefd[1])) > 0 && k++ < 100) {
				printf(" w=%d", w);
				drain_pipe();
			}
			printf(" w=%d", w);
			evbuffer_clear_flags(B[b], EVBUFFER_FLAG_DRAINS_TO_FD);
			touched(b);
		} else if (!strcmp(op, "segfree")) {
			int id = (int)(a[0] % NS);
			if (!SEG[id]) { printf(" skip\n"); continue; }
			evbuffer_file_segment_free(SEG[id]);
			SEG[id] = NULL;
			printf(" ok");
		} else if (!strcmp(op, "write")) {
			int r = evbuffer_write_atmost(B[b], pipefd[1], a[1]);
			printf(" r=%d", r);
			drain_pipe(); touched(b);
		} else if (!strcmp(op, "read")) {
			/* read b available howmuch */
			unsigned char *d = malloc(a[1] + 1);
			gen(d, a[1], (unsigned)opno);
			ssize_t w = a[1] ? write(pipefd[1], d, a[1]) : 0;
			int r = evbuffer_read(B[b], pipefd[0], (int)a[2]);
			printf(" w=%zd r=%d", w, r);
			drain_pipe();
			free(d); touched(b);
		} else if (!strcmp(op, "free")) {
			if (b < 0 || b >= NB || !B[b]) { printf(" skip\n"); continue; }
			evbuffer_free(B[b]);
			B[b] = NULL;
			for (int i = 0; i < NC; i++) if (CB_buf[i] == b) CB[i] = NULL;
			touched(b);
			printf(" ok");
		} else if (!strcmp(op, "new")) {
			if (b < 0 || b >= NB || B[b]) { printf(" skip\n"); continue; }
			B[b] = evbuffer_new();
			printf(" ok");
		} else {
			printf(" unknown");
		}
		printf("\n");
		state();
	}
	printf("end\n");
	for (int i = 0; i < NB; i++) if (B[i]) { printf("free b%d\n", i); evbuffer_free(B[i]); }
	for (int i = 0; i < NS; i++) if (SEG[i]) { printf("free seg%d\n", i); evbuffer_file_segment_free(SEG[i]); }
	unlink(tmpname);
	printf("done\n");
	return 0;
}

/*
 * evbuffer benchmarks.  Each workload is timed as a whole (per run); inputs
 * are generated from a fixed seed so both builds do identical work, and every
 * run checks the byte/line counts it should have produced.
 *
 * Buffers are consumed in batches, as a server would, so the working set
 * stays around a few hundred KiB: a workload that grows one buffer to tens
 * of MiB measures the kernel's page faults (and the VM's noise) more than
 * the library.
 *
 *   op=add_small      n adds of 16..64 random-length bytes, drained every
 *                     `batch` adds
 *   op=add_printf     n evbuffer_add_printf of a short record, same batches
 *   op=readln eol=..  n short lines fed 4 KiB at a time (as socket reads
 *                     would deliver them); after each feed, evbuffer_readln
 *                     (EVBUFFER_EOL_LF / _CRLF) every complete line
 *   op=search         evbuffer_search for a 16-byte needle at the end of
 *                     64 MiB of random lowercase text (first byte of the needle
 *                     occurs every ~26 bytes, so candidates are checked often)
 *   op=add_buffer     n times: add 256 B to A, evbuffer_add_buffer(B, A);
 *                     B drained every `batch`
 *   op=pingpong       1 MiB moved n times back and forth with add_buffer
 *   op=remove_buffer  16 MiB moved A -> B 1500 bytes at a time, B drained
 *                     whenever it holds 256 KiB
 *   op=reserve_commit n reserve(4096, 2 vecs) / fill 512 B / commit, drained
 *                     whenever it holds 256 KiB
 *   op=sock_rw        32 MiB through a socketpair: evbuffer_add a chunk,
 *                     evbuffer_write it, evbuffer_read it back (<= chunk per
 *                     call), drain
 */
#include "bench.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/util.h>

#define MiB (1024 * 1024)
#define BATCH 10000		/* small operations between drains */
#define DRAIN_AT (256 * 1024)	/* bytes a consumer lets pile up */

static char *blob;		/* BLOB_BYTES (+4 KiB) of random lowercase text:
				 * the payload of every workload */
#define BLOB_BYTES (64 * MiB)

static struct evbuffer *
new_buffer(void)
{
	struct evbuffer *b = evbuffer_new();
	if (!b)
		bench_fail("evbuffer_new");
	return b;
}

static void
expect_len(const char *what, struct evbuffer *b, size_t want)
{
	size_t got = evbuffer_get_length(b);
	if (got != want)
		bench_fail("%s: buffer holds %zu bytes, expected %zu", what,
		    got, want);
}

static void
add_chunked(struct evbuffer *b, const char *p, size_t len, size_t piece)
{
	while (len) {
		size_t k = len < piece ? len : piece;
		if (evbuffer_add(b, p, k) == -1)
			bench_fail("evbuffer_add");
		p += k;
		len -= k;
	}
}

/* ---- op=add_small ------------------------------------------------------ */

struct add_small {
	int n;
	unsigned char *lens;
	size_t total;
};

/* Drains a finished batch, checking the buffer held exactly what the batch added. */
static void drain_batch(struct evbuffer *b, const char *what, size_t *in_batch, size_t *total)
{
	if (evbuffer_get_length(b) != *in_batch || evbuffer_drain(b, *in_batch) == -1)
		bench_fail("%s: batch of %zu bytes, buffer has %zu", what, *in_batch,
		    evbuffer_get_length(b));
	*total += *in_batch;
	*in_batch = 0;
}

static double
run_add_small(void *arg)
{
	struct add_small *a = arg;
	struct evbuffer *b = new_buffer();
	double elapsed;
	size_t off = 0;
	int i;

	size_t in_batch = 0, total = 0;

	bench_start();
	for (i = 0; i < a->n; i++) {
		if (evbuffer_add(b, blob + off, a->lens[i]) == -1)
			bench_fail("evbuffer_add");
		off = (off + a->lens[i]) & (MiB - 1);
		in_batch += a->lens[i];
		if ((i + 1) % BATCH == 0 || i + 1 == a->n)
			drain_batch(b, "add_small", &in_batch, &total);
	}
	elapsed = bench_stop();
	if (total != a->total)
		bench_fail("add_small: %zu bytes, expected %zu", total,
		    a->total);
	expect_len("add_small drain", b, 0);
	evbuffer_free(b);
	return elapsed;
}

static void
bench_add_small(int n)
{
	struct add_small a;
	char label[64];
	int i;

	snprintf(label, sizeof(label), "buffer op=add_small n=%d batch=%d", n,
	    BATCH);
	if (!bench_want(label))
		return;
	a.n = n;
	a.total = 0;
	a.lens = malloc((size_t)n);
	if (!a.lens)
		bench_fail("malloc");
	for (i = 0; i < n; i++) {
		a.lens[i] = (unsigned char)(16 + bench_rand() % 49);
		a.total += a.lens[i];
	}
	bench_report(label, bench_measure(run_add_small, &a, 5, 100, 300));
	free(a.lens);
}

/* ---- op=add_printf ----------------------------------------------------- */

struct add_printf {
	int n;
	size_t total;
};

#define PRINTF_FMT "%d %s/%u:%08x\r\n"
#define PRINTF_ARGS(i) (i), "key", (unsigned)(i) * 7u, (unsigned)(i) * 2654435761u

static double
run_add_printf(void *arg)
{
	struct add_printf *a = arg;
	struct evbuffer *b = new_buffer();
	double elapsed;
	size_t in_batch = 0, total = 0;
	int i, k;

	bench_start();
	for (i = 0; i < a->n; i++) {
		if ((k = evbuffer_add_printf(b, PRINTF_FMT, PRINTF_ARGS(i))) < 0)
			bench_fail("evbuffer_add_printf");
		in_batch += (size_t)k;
		if ((i + 1) % BATCH == 0 || i + 1 == a->n)
			drain_batch(b, "add_printf", &in_batch, &total);
	}
	elapsed = bench_stop();
	if (total != a->total)
		bench_fail("add_printf: %zu bytes, expected %zu", total,
		    a->total);
	evbuffer_free(b);
	return elapsed;
}

static void
bench_add_printf(int n)
{
	struct add_printf a;
	char label[64], tmp[128];
	int i;

	snprintf(label, sizeof(label), "buffer op=add_printf n=%d batch=%d", n,
	    BATCH);
	if (!bench_want(label))
		return;
	a.n = n;
	a.total = 0;
	for (i = 0; i < n; i++)
		a.total += (size_t)snprintf(tmp, sizeof(tmp), PRINTF_FMT,
		    PRINTF_ARGS(i));
	bench_report(label, bench_measure(run_add_printf, &a, 5, 100, 300));
}

/* ---- op=readln --------------------------------------------------------- */

struct readln {
	int lines;
	enum evbuffer_eol_style style;
	char *text;
	size_t text_len, payload;	/* payload = bytes excluding EOLs */
};

static double
run_readln(void *arg)
{
	struct readln *r = arg;
	struct evbuffer *b = new_buffer();
	double elapsed;
	size_t n_read, got_bytes = 0, off;
	int got = 0;
	char *line;

	bench_start();
	for (off = 0; off < r->text_len; off += 4096) {
		size_t k = r->text_len - off < 4096 ? r->text_len - off : 4096;
		if (evbuffer_add(b, r->text + off, k) == -1)
			bench_fail("evbuffer_add");
		while ((line = evbuffer_readln(b, &n_read, r->style)) != NULL) {
			got++;
			got_bytes += n_read;
			free(line);
		}
	}
	elapsed = bench_stop();
	if (got != r->lines || got_bytes != r->payload)
		bench_fail("readln: %d lines / %zu bytes, expected %d / %zu",
		    got, got_bytes, r->lines, r->payload);
	expect_len("readln", b, 0);
	evbuffer_free(b);
	return elapsed;
}

static void
bench_readln(int lines, int crlf)
{
	struct readln r;
	char label[80];
	size_t cap, off = 0;
	int i;

	snprintf(label, sizeof(label), "buffer op=readln eol=%s lines=%d",
	    crlf ? "crlf" : "lf", lines);
	if (!bench_want(label))
		return;
	r.lines = lines;
	r.style = crlf ? EVBUFFER_EOL_CRLF : EVBUFFER_EOL_LF;
	cap = (size_t)lines * 40;
	r.text = malloc(cap);
	if (!r.text)
		bench_fail("malloc");
	r.payload = 0;
	bench_srand(42);
	for (i = 0; i < lines; i++) {
		/* Header-like lines, 8..33 bytes of content. */
		int k = 8 + (int)(bench_rand() % 26), j;
		for (j = 0; j < k; j++)
			r.text[off + (size_t)j] = blob[(off + (size_t)j) % BLOB_BYTES];
		off += (size_t)k;
		r.payload += (size_t)k;
		if (crlf)
			r.text[off++] = '\r';
		r.text[off++] = '\n';
	}
	r.text_len = off;
	bench_report(label, bench_measure(run_readln, &r, 5, 100, 400));
	free(r.text);
}

/* ---- op=search --------------------------------------------------------- */

static const char needle[] = "needle-in-a-hays";	/* 16 bytes, not in blob */

struct search {
	struct evbuffer *b;
	size_t len;
};

static double
run_search(void *arg)
{
	struct search *s = arg;
	struct evbuffer_ptr p;
	double elapsed;

	bench_start();
	p = evbuffer_search(s->b, needle, sizeof(needle) - 1, NULL);
	elapsed = bench_stop();
	if (p.pos != (ev_ssize_t)(s->len - (sizeof(needle) - 1)))
		bench_fail("search: found at %ld, expected %zu", (long)p.pos,
		    s->len - (sizeof(needle) - 1));
	return elapsed;
}

static void
bench_search(void)
{
	struct search s;
	const char *label = "buffer op=search bytes=64MiB";

	if (!bench_want(label))
		return;
	s.b = new_buffer();
	s.len = BLOB_BYTES;
	/* Stored as a socket would deliver it: 4 KiB at a time. */
	add_chunked(s.b, blob, BLOB_BYTES - (sizeof(needle) - 1), 4096);
	evbuffer_add(s.b, needle, sizeof(needle) - 1);
	expect_len("search", s.b, s.len);
	bench_report(label, bench_measure(run_search, &s, 5, 50, 400));
	evbuffer_free(s.b);
}

/* ---- op=add_buffer / pingpong / remove_buffer --------------------------- */

struct moves {
	int n;
	size_t size;
};

static double
run_add_buffer(void *arg)
{
	struct moves *m = arg;
	struct evbuffer *a = new_buffer(), *b = new_buffer();
	double elapsed;
	int i;

	bench_start();
	for (i = 0; i < m->n; i++) {
		if (evbuffer_add(a, blob + (size_t)i * 64, m->size) == -1 ||
		    evbuffer_add_buffer(b, a) == -1)
			bench_fail("add_buffer");
		if ((i + 1) % 1000 == 0) {
			expect_len("add_buffer", b, 1000 * m->size);
			evbuffer_drain(b, 1000 * m->size);
		}
	}
	elapsed = bench_stop();
	expect_len("add_buffer", b, (size_t)(m->n % 1000) * m->size);
	expect_len("add_buffer src", a, 0);
	evbuffer_free(a);
	evbuffer_free(b);
	return elapsed;
}

static double
run_pingpong(void *arg)
{
	struct moves *m = arg;
	struct evbuffer *a = new_buffer(), *b = new_buffer();
	double elapsed;
	int i;

	add_chunked(a, blob, m->size, 4096);
	bench_start();
	for (i = 0; i < m->n; i++)
		if (evbuffer_add_buffer(b, a) == -1 ||
		    evbuffer_add_buffer(a, b) == -1)
			bench_fail("pingpong add_buffer");
	elapsed = bench_stop();
	expect_len("pingpong", a, m->size);
	expect_len("pingpong", b, 0);
	evbuffer_free(a);
	evbuffer_free(b);
	return elapsed;
}

static double
run_remove_buffer(void *arg)
{
	struct moves *m = arg;
	struct evbuffer *a = new_buffer(), *b = new_buffer();
	double elapsed;
	size_t total = (size_t)16 * MiB;

	size_t moved = 0;
	int k;

	add_chunked(a, blob, total, 4096);
	bench_start();
	while (evbuffer_get_length(a)) {
		if ((k = evbuffer_remove_buffer(a, b, m->size)) <= 0)
			bench_fail("remove_buffer");
		moved += (size_t)k;
		if (evbuffer_get_length(b) >= DRAIN_AT)
			evbuffer_drain(b, evbuffer_get_length(b));
	}
	elapsed = bench_stop();
	if (moved != total)
		bench_fail("remove_buffer: moved %zu of %zu", moved, total);
	evbuffer_free(a);
	evbuffer_free(b);
	return elapsed;
}

static void
bench_moves(void)
{
	struct moves m;

	m.n = 100000;
	m.size = 256;
	if (bench_want("buffer op=add_buffer n=100000 size=256 batch=1000"))
		bench_report("buffer op=add_buffer n=100000 size=256 batch=1000",
		    bench_measure(run_add_buffer, &m, 5, 100, 300));
	m.n = 100000;
	m.size = MiB;
	if (bench_want("buffer op=pingpong n=100000 size=1MiB"))
		bench_report("buffer op=pingpong n=100000 size=1MiB",
		    bench_measure(run_pingpong, &m, 5, 100, 300));
	m.size = 1500;
	if (bench_want("buffer op=remove_buffer bytes=16MiB chunk=1500"))
		bench_report("buffer op=remove_buffer bytes=16MiB chunk=1500",
		    bench_measure(run_remove_buffer, &m, 5, 100, 300));
}

/* ---- op=reserve_commit ------------------------------------------------- */

static double
run_reserve_commit(void *arg)
{
	int n = *(int *)arg, i;
	struct evbuffer *b = new_buffer();
	struct evbuffer_iovec v[2];
	double elapsed;
	const size_t fill = 512;
	size_t in_buf = 0, total = 0;

	bench_start();
	for (i = 0; i < n; i++) {
		int nv = evbuffer_reserve_space(b, 4096, v, 2);
		size_t first;
		if (nv < 1)
			bench_fail("evbuffer_reserve_space");
		/* Use 512 bytes of the reservation, spilling into the second
		 * extent if the first is short (as a partial read would). */
		first = v[0].iov_len < fill ? v[0].iov_len : fill;
		memcpy(v[0].iov_base, blob, first);
		v[0].iov_len = first;
		if (first < fill) {
			if (nv < 2 || v[1].iov_len < fill - first)
				bench_fail("reserve_space: short reservation");
			memcpy(v[1].iov_base, blob, fill - first);
			v[1].iov_len = fill - first;
		} else
			nv = 1;
		if (evbuffer_commit_space(b, v, nv) == -1)
			bench_fail("evbuffer_commit_space");
		in_buf += fill;
		if (in_buf >= DRAIN_AT) {
			expect_len("reserve_commit", b, in_buf);
			evbuffer_drain(b, in_buf);
			total += in_buf;
			in_buf = 0;
		}
	}
	elapsed = bench_stop();
	expect_len("reserve_commit", b, in_buf);
	if (total + in_buf != (size_t)n * fill)
		bench_fail("reserve_commit: %zu bytes, expected %zu",
		    total + in_buf, (size_t)n * fill);
	evbuffer_free(b);
	return elapsed;
}

/* ---- op=sock_rw -------------------------------------------------------- */

struct sock_rw {
	int fds[2];
	size_t chunk, total;
};

static double
run_sock_rw(void *arg)
{
	struct sock_rw *s = arg;
	struct evbuffer *src = new_buffer(), *dst = new_buffer();
	size_t written = 0, got = 0;
	double elapsed;

	bench_start();
	while (written < s->total) {
		if (evbuffer_add(src, blob + (written & (MiB - 1)), s->chunk) == -1)
			bench_fail("evbuffer_add");
		while (evbuffer_get_length(src)) {
			int w = evbuffer_write(src, s->fds[0]);
			if (w <= 0)
				bench_fail("evbuffer_write: %d (%s)", w,
				    strerror(errno));
			written += (size_t)w;
			/* A unix stream socket makes written data readable at
			 * once, so every read here must make progress. */
			while (got < written) {
				int r = evbuffer_read(dst, s->fds[1],
				    (int)s->chunk);
				if (r <= 0)
					bench_fail("evbuffer_read: %d (%s)", r,
					    strerror(errno));
				got += (size_t)r;
			}
		}
		evbuffer_drain(dst, evbuffer_get_length(dst));
	}
	elapsed = bench_stop();
	if (got != s->total || written != s->total)
		bench_fail("sock_rw: wrote %zu, read %zu, expected %zu",
		    written, got, s->total);
	evbuffer_free(src);
	evbuffer_free(dst);
	return elapsed;
}

static void
bench_sock_rw(size_t chunk)
{
	struct sock_rw s;
	char label[80];

	snprintf(label, sizeof(label), "buffer op=sock_rw bytes=32MiB chunk=%zu",
	    chunk);
	if (!bench_want(label))
		return;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, s.fds) == -1)
		bench_fail("socketpair: %s", strerror(errno));
	fcntl(s.fds[0], F_SETFL, O_NONBLOCK);
	fcntl(s.fds[1], F_SETFL, O_NONBLOCK);
	s.chunk = chunk;
	s.total = (size_t)32 * MiB;
	bench_report(label, bench_measure(run_sock_rw, &s, 5, 100, 300));
	close(s.fds[0]);
	close(s.fds[1]);
}

int
main(void)
{
	size_t i;
	int n;

	/* Random lowercase text ('n', the needle's first byte, included);
	 * the '-' in the needle never occurs, so it is found only at the end. */
	blob = malloc(BLOB_BYTES + 4096);
	if (!blob)
		bench_fail("malloc");
	bench_srand(7);
	for (i = 0; i < BLOB_BYTES + 4096; i += 8) {
		uint64_t r = bench_rand();
		int k;
		for (k = 0; k < 8; k++, r >>= 8)
			blob[i + (size_t)k] = (char)('a' + (r & 0xff) % 26);
	}

	bench_add_small(1000000);
	bench_add_printf(200000);
	bench_readln(1000000, 0);
	bench_readln(1000000, 1);
	bench_search();
	bench_moves();
	n = 100000;
	if (bench_want("buffer op=reserve_commit n=100000"))
		bench_report("buffer op=reserve_commit n=100000",
		    bench_measure(run_reserve_commit, &n, 5, 100, 300));
	bench_sock_rw(4096);
	bench_sock_rw(65536);
	free(blob);
	return 0;
}

/* evbuffer micro-benchmarks; build against libevent and against evshim and compare.
 * Prints one line per benchmark: name and milliseconds (best of 3). */
#include <event2/buffer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
static volatile size_t sink;

static void small_adds(void)
{
	struct evbuffer *b = evbuffer_new();
	char d[16] = "0123456789abcdef";
	for (int r = 0; r < 20000; r++) {
		for (int i = 0; i < 500; i++) evbuffer_add(b, d, 7 + (i & 7));
		evbuffer_drain(b, evbuffer_get_length(b));
	}
	evbuffer_free(b);
}

static void printfs(void)
{
	struct evbuffer *b = evbuffer_new();
	for (int i = 0; i < 2000000; i++) {
		evbuffer_add_printf(b, "%d %s\n", i, "hello");
		if ((i & 1023) == 1023) evbuffer_drain(b, evbuffer_get_length(b));
	}
	evbuffer_free(b);
}

static struct evbuffer *lines;
static void readlns(void)
{
	struct evbuffer *b = evbuffer_new();
	evbuffer_add_buffer_reference(b, lines);
	char *l;
	size_t n, tot = 0;
	while ((l = evbuffer_readln(b, &n, EVBUFFER_EOL_CRLF))) { tot += n; free(l); }
	sink = tot;
	evbuffer_free(b);
}

static struct evbuffer *big;
static void search64(void)
{
	for (int k = 0; k < 4; k++) {
		struct evbuffer_ptr p = evbuffer_search(big, "needle!", 7, NULL);
		sink = p.pos;
		p = evbuffer_search(big, "the end", 7, NULL);
		sink += p.pos;
	}
}

static void moves(void)
{
	struct evbuffer *a = evbuffer_new(), *b = evbuffer_new();
	char d[100] = {0};
	for (int i = 0; i < 2000000; i++) {
		evbuffer_add(a, d, 100);
		evbuffer_add_buffer(b, a);
		if ((i & 255) == 255) evbuffer_drain(b, evbuffer_get_length(b));
	}
	evbuffer_free(a); evbuffer_free(b);
}

static void reserves(void)
{
	struct evbuffer *b = evbuffer_new();
	struct evbuffer_iovec v[2];
	for (int i = 0; i < 3000000; i++) {
		int n = evbuffer_reserve_space(b, 4096, v, 1);
		memset(v[0].iov_base, 'x', 100);
		v[0].iov_len = 100;
		evbuffer_commit_space(b, v, n > 0 ? 1 : 0);
		if ((i & 1023) == 1023) evbuffer_drain(b, evbuffer_get_length(b));
	}
	evbuffer_free(b);
}

static void sockio(size_t chunk)
{
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	struct evbuffer *out = evbuffer_new(), *in = evbuffer_new();
	char *d = calloc(1, chunk);
	size_t total = 0;
	for (int i = 0; i < (int)(400000000 / 8 / chunk); i++) {
		evbuffer_add(out, d, chunk);
		while (evbuffer_get_length(out)) {
			if (evbuffer_write(out, sv[0]) < 0) break;
			int r;
			while ((r = evbuffer_read(in, sv[1], -1)) > 0) if (evbuffer_get_length(in) >= chunk) break;
			total += evbuffer_get_length(in);
			evbuffer_drain(in, evbuffer_get_length(in));
		}
	}
	sink = total;
	free(d); close(sv[0]); close(sv[1]);
	evbuffer_free(out); evbuffer_free(in);
}
static void sock4k(void) { sockio(4096); }
static void sock64k(void) { sockio(65536); }

static void run(const char *name, void (*f)(void))
{
	double best = 1e18;
	for (int i = 0; i < 3; i++) { double t = now(); f(); t = now() - t; if (t < best) best = t; }
	printf("%-12s %8.1f ms\n", name, best);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	if (!only || !strcmp(only, "readlns")) {
	lines = evbuffer_new();
	for (int i = 0; i < 1000000; i++) evbuffer_add_printf(lines, "line %d of text\r\n", i);
	}
	if (!only || !strcmp(only, "search64")) {
	big = evbuffer_new();
	char blk[4096];
	for (size_t i = 0; i < sizeof blk; i++) blk[i] = "the quick brown fox jumps over the lazy dog\n"[i % 44];
	for (int i = 0; i < 64 * 256; i++) evbuffer_add(big, blk, sizeof blk);
	evbuffer_add(big, "the end", 7);
	}
#define RUN(n) if (!only || !strcmp(only, #n)) run(#n, n)
	RUN(small_adds); RUN(printfs); RUN(readlns); RUN(search64); RUN(moves); RUN(reserves); RUN(sock4k); RUN(sock64k);
	return 0;
}

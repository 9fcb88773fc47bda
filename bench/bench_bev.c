/*
 * Bufferevent benchmark: what a server built on socket bufferevents pays.
 *
 *   pingpong conns=100 msg=1024   100 TCP connections on 127.0.0.1, each a pair of socket
 *                                 bufferevents (client, server); every client sends a
 *                                 1 KiB message, the server echoes it, the client sends the
 *                                 next one when the echo is complete.  A run moves
 *                                 `rounds` round trips per connection.
 *   bulk bytes=32MiB              one TCP connection: the writer's write callback keeps its
 *                                 output topped up with 64 KiB chunks, the reader drains
 *                                 its input.  A run moves 32 MiB.
 *   raw-loop bytes=32MiB          the same transfer without libevent: non-blocking write()
 *                                 of 64 KiB chunks and read() of 64 KiB until EAGAIN, in
 *                                 turns, one thread — the physical limit of this machine.
 *
 *   memory bev-idle conns=9900    resident memory per idle socket bufferevent: 9,900
 *                                 socketpairs (2 fds each: under a 20,000-fd limit),
 *                                 a bufferevent reading on one end of each
 *                                 (created, enabled, one loop turn), measured in a fresh
 *                                 child process; bytes per bufferevent.
 *
 * The raw row prints the same numbers for both builds (it does not use the library); it is
 * there so that run.sh shows bulk next to the limit.  Every workload checks that every
 * byte arrived (the bulk and pingpong payloads are verified), and fails otherwise.
 *
 * bench/run.sh counts every row's system calls per run (BENCH_STRACE=1); a pingpong run
 * is 5,000 round trips.
 */
#include "bench.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>

#define MSG 1024
#define CHUNK 65536

static struct event_base *base;

/* Two connected non-blocking TCP sockets on 127.0.0.1. */
static void
tcp_pair(int lfd, const struct sockaddr_in *sin, int out[2])
{
	int c = socket(AF_INET, SOCK_STREAM, 0), s, one = 1;

	if (c < 0 || connect(c, (const struct sockaddr *)sin, sizeof(*sin)) < 0)
		bench_fail("connect: %s", strerror(errno));
	s = accept(lfd, NULL, NULL);
	if (s < 0)
		bench_fail("accept: %s", strerror(errno));
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	evutil_make_socket_nonblocking(c);
	evutil_make_socket_nonblocking(s);
	out[0] = c;
	out[1] = s;
}

static int
tcp_listener(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)sin, sizeof(*sin)) < 0 ||
	    listen(lfd, 1024) < 0 || getsockname(lfd, (struct sockaddr *)sin, &len) < 0)
		bench_fail("listen: %s", strerror(errno));
	return lfd;
}

/* ---- pingpong ------------------------------------------------------------------------- */

struct conn {
	struct bufferevent *client, *server;
	int rounds_left;
	unsigned char seq;
};

static struct conn *conns;
static int nconns, rounds, active, failures;
static long messages;

static void
client_send(struct conn *c)
{
	unsigned char msg[MSG];

	memset(msg, c->seq, sizeof(msg));
	if (bufferevent_write(c->client, msg, sizeof(msg)) != 0)
		failures++;
}

static void
server_read(struct bufferevent *bev, void *arg)
{
	(void)arg;
	/* Echo whatever arrived. */
	if (bufferevent_write_buffer(bev, bufferevent_get_input(bev)) != 0)
		failures++;
}

static void
client_read(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	unsigned char *p;

	if (evbuffer_get_length(in) < MSG)
		return;
	p = evbuffer_pullup(in, MSG);
	if (p[0] != c->seq || p[MSG - 1] != c->seq)
		failures++;
	evbuffer_drain(in, MSG);
	messages++;
	c->seq++;
	if (--c->rounds_left > 0)
		client_send(c);
	else if (--active == 0)
		event_base_loopbreak(base);
}

static void
conn_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev; (void)arg;
	if (what & (BEV_EVENT_ERROR | BEV_EVENT_EOF))
		failures++;
}

static void
pingpong_setup(int n)
{
	struct sockaddr_in sin;
	int lfd = tcp_listener(&sin), i, fds[2];

	nconns = n;
	conns = calloc((size_t)n, sizeof(*conns));
	if (!conns)
		bench_fail("calloc");
	for (i = 0; i < n; i++) {
		tcp_pair(lfd, &sin, fds);
		conns[i].client = bufferevent_socket_new(base, fds[0], BEV_OPT_CLOSE_ON_FREE);
		conns[i].server = bufferevent_socket_new(base, fds[1], BEV_OPT_CLOSE_ON_FREE);
		if (!conns[i].client || !conns[i].server)
			bench_fail("bufferevent_socket_new");
		bufferevent_setcb(conns[i].client, client_read, NULL, conn_event, &conns[i]);
		bufferevent_setcb(conns[i].server, server_read, NULL, conn_event, &conns[i]);
		bufferevent_enable(conns[i].client, EV_READ | EV_WRITE);
		bufferevent_enable(conns[i].server, EV_READ | EV_WRITE);
	}
	close(lfd);
}

static double
pingpong_run(void *ctx)
{
	int i;

	(void)ctx;
	active = nconns;
	bench_start();
	for (i = 0; i < nconns; i++) {
		conns[i].rounds_left = rounds;
		client_send(&conns[i]);
	}
	if (event_base_dispatch(base) < 0)
		bench_fail("pingpong: event_base_dispatch");
	if (active != 0 || failures)
		bench_fail("pingpong: %d connections unfinished, %d failures", active, failures);
	return bench_stop();
}

static void
pingpong_teardown(void)
{
	int i;

	for (i = 0; i < nconns; i++) {
		bufferevent_free(conns[i].client);
		bufferevent_free(conns[i].server);
	}
	free(conns);
	/* Let the finalizers run. */
	event_base_loop(base, EVLOOP_NONBLOCK);
}

/* ---- bulk ----------------------------------------------------------------------------- */

static size_t bulk_total, bulk_sent, bulk_received;
static unsigned char *chunk;
static struct bufferevent *bulk_writer, *bulk_reader;
static uint32_t bulk_sum;

static void
bulk_write_cb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	if (bulk_sent < bulk_total) {
		size_t n = bulk_total - bulk_sent < CHUNK ? bulk_total - bulk_sent : CHUNK;
		bufferevent_write(bev, chunk, n);
		bulk_sent += n;
	}
}

static void
bulk_read_cb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer_iovec v[8];
	int i, n;
	size_t len = evbuffer_get_length(in);

	(void)arg;
	/* Touch every byte, as a real consumer would. */
	n = evbuffer_peek(in, -1, NULL, v, 8);
	for (i = 0; i < n && i < 8; i++) {
		const unsigned char *p = v[i].iov_base;
		size_t k;
		for (k = 0; k < v[i].iov_len; k++)
			bulk_sum += p[k];
	}
	evbuffer_drain(in, len);
	bulk_received += len;
	if (bulk_received >= bulk_total)
		event_base_loopbreak(base);
}

static double
bulk_run(void *ctx)
{
	(void)ctx;
	bulk_sent = bulk_received = 0;
	bulk_sum = 0;
	bench_start();
	bulk_write_cb(bulk_writer, NULL);
	if (event_base_dispatch(base) < 0)
		bench_fail("bulk: event_base_dispatch");
	if (bulk_received != bulk_total || failures)
		bench_fail("bulk: received %zu of %zu bytes", bulk_received, bulk_total);
	if (bulk_sum != (uint32_t)(bulk_total / CHUNK) * (uint32_t)(CHUNK / 256) * (255u * 256u / 2u))
		bench_fail("bulk: corrupted data");
	return bench_stop();
}

/* ---- the raw loop --------------------------------------------------------------------- */

static int raw_fds[2];

static double
raw_run(void *ctx)
{
	static unsigned char rbuf[CHUNK];
	size_t sent = 0, received = 0, off = 0;
	uint32_t sum = 0;

	(void)ctx;
	bench_start();
	while (received < bulk_total) {
		while (sent < bulk_total) {
			size_t n = bulk_total - sent < CHUNK - off ? bulk_total - sent : CHUNK - off;
			ssize_t w = write(raw_fds[0], chunk + off, n);
			if (w <= 0)
				break;
			sent += (size_t)w;
			off = (off + (size_t)w) % CHUNK;
		}
		for (;;) {
			ssize_t r = read(raw_fds[1], rbuf, sizeof(rbuf)), k;
			if (r <= 0)
				break;
			for (k = 0; k < r; k++)
				sum += rbuf[k];
			received += (size_t)r;
		}
	}
	if (sum != (uint32_t)(bulk_total / CHUNK) * (uint32_t)(CHUNK / 256) * (255u * 256u / 2u))
		bench_fail("raw: corrupted data");
	return bench_stop();
}

/* ---- memory per idle bufferevent -------------------------------------------------------- */


static void
idle_read(struct bufferevent *bev, void *arg)
{
	(void)bev; (void)arg;
	bench_fail("memory: an idle bufferevent read");
}

/* Child: n socketpairs opened first, then n bufferevents made, enabled and run once. */
static void
idle_measure(int n)
{
	struct event_base *b;
	struct bufferevent **bevs;
	int *fds, i;
	long before, after;

	if (bench_need_fds((rlim_t)2 * n + 64) == -1)
		bench_fail("cannot raise RLIMIT_NOFILE to %d", 2 * n + 64);
	fds = calloc((size_t)n * 2, sizeof(*fds));
	bevs = calloc((size_t)n, sizeof(*bevs));
	b = event_base_new();
	if (!fds || !bevs || !b)
		bench_fail("memory: setup");
	for (i = 0; i < n; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds + 2 * i) < 0)
			bench_fail("socketpair: %s", strerror(errno));
		evutil_make_socket_nonblocking(fds[2 * i]);
	}
	event_base_loop(b, EVLOOP_NONBLOCK);
	before = bench_rss_bytes();
	for (i = 0; i < n; i++) {
		bevs[i] = bufferevent_socket_new(b, fds[2 * i], BEV_OPT_CLOSE_ON_FREE);
		if (!bevs[i])
			bench_fail("bufferevent_socket_new");
		bufferevent_setcb(bevs[i], idle_read, NULL, NULL, NULL);
		bufferevent_enable(bevs[i], EV_READ);
	}
	event_base_loop(b, EVLOOP_NONBLOCK);
	after = bench_rss_bytes();
	printf("memory bev-idle conns=%d value=%ld unit=B/bufferevent\n", n, (after - before) / n);
	fflush(stdout);
	_exit(0);
}

static void
idle_row(int n)
{
	int status;
	pid_t pid;
	char label[64];

	snprintf(label, sizeof(label), "memory bev-idle conns=%d", n);
	if (!bench_want(label))
		return;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		bench_fail("fork");
	if (pid == 0)
		idle_measure(n);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		bench_fail("memory: the measuring child failed");
}

int
main(void)
{
	struct sockaddr_in sin;
	int lfd, fds[2], i;
	char label[128];

	if (bench_need_fds(1024) == -1)
		bench_fail("RLIMIT_NOFILE");
	base = event_base_new();
	if (!base)
		bench_fail("event_base_new");

	rounds = bench_quick() ? 5 : 50;
	snprintf(label, sizeof(label), "bev pingpong conns=100 msg=%d", MSG);
	if (bench_want(label)) {
		pingpong_setup(100);
		bench_report(label, bench_measure(pingpong_run, NULL, 5, 60, 2000));
		pingpong_teardown();
	}

	chunk = malloc(CHUNK);
	if (!chunk)
		bench_fail("malloc");
	for (i = 0; i < CHUNK; i++)
		chunk[i] = (unsigned char)i;
	bulk_total = (size_t)(bench_quick() ? 4 : 32) << 20;

	snprintf(label, sizeof(label), "bev bulk bytes=%zuMiB", bulk_total >> 20);
	if (bench_want(label)) {
		lfd = tcp_listener(&sin);
		tcp_pair(lfd, &sin, fds);
		close(lfd);
		bulk_writer = bufferevent_socket_new(base, fds[0], BEV_OPT_CLOSE_ON_FREE);
		bulk_reader = bufferevent_socket_new(base, fds[1], BEV_OPT_CLOSE_ON_FREE);
		bufferevent_setcb(bulk_writer, NULL, bulk_write_cb, conn_event, NULL);
		bufferevent_setcb(bulk_reader, bulk_read_cb, NULL, conn_event, NULL);
		/* Refill when the output holds less than one chunk. */
		bufferevent_setwatermark(bulk_writer, EV_WRITE, CHUNK, 0);
		bufferevent_enable(bulk_reader, EV_READ);
		bench_report(label, bench_measure(bulk_run, NULL, 5, 40, 3000));
		bufferevent_free(bulk_writer);
		bufferevent_free(bulk_reader);
		event_base_loop(base, EVLOOP_NONBLOCK);
	}

	snprintf(label, sizeof(label), "bev raw-loop bytes=%zuMiB (no library: the limit)", bulk_total >> 20);
	if (bench_want(label)) {
		lfd = tcp_listener(&sin);
		tcp_pair(lfd, &sin, raw_fds);
		close(lfd);
		bench_report(label, bench_measure(raw_run, NULL, 5, 40, 3000));
		close(raw_fds[0]);
		close(raw_fds[1]);
	}
	free(chunk);
	event_base_free(base);
	if (!RUNNING_ON_VALGRIND)
		idle_row(bench_quick() ? 2000 : 9900);
	return 0;
}

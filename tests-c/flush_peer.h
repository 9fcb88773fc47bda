/* Shared scaffolding of the flush_* tests (not a test: tests-c/run.sh builds only *.c).
 *
 * A server socket on 127.0.0.1 whose peer is a forked process: it connects, optionally
 * sends lines the server may never read, reads until the connection ends (optionally
 * slowly, only after a go-ahead, or resetting the connection part way) and reports what
 * arrived through a pipe. Plus the message pattern, check() for the self-checking
 * evshim-only tests, callbacks that count calls made after a close was requested, and
 * whole servers: serve_until_done (a socket bufferevent with a read callback),
 * free_from_writecb_run (the workaround that works with libevent) and, when <evshim.h>
 * was included first, close_and_dispatch and flush_and_close_scenario.
 * Each test includes the <event2/...> headers itself too: tests-c/run.sh checks a test's
 * own includes against include/.
 *
 *	unsigned char *msg = pattern_message(LEN);
 *	struct peer_opts o = message_peer(msg, LEN, 512 << 10);   (then o.hold = 1, ...)
 *	struct flush_peer peer;
 *	int fd = flush_server(&peer, &o, 65536);   (accepted, non-blocking)
 *	...
 *	struct peer_result res;
 *	if (flush_peer_wait(&peer, &res) < 0) ...  (peer.status: its wait status)
 */
#ifndef FLUSH_PEER_H
#define FLUSH_PEER_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

enum { PEER_EOF, PEER_RESET, PEER_ERROR };

struct peer_result {
	long received;
	int intact; /* every byte received equals opts.expect at its offset */
	int end;    /* PEER_EOF, PEER_RESET (ECONNRESET), PEER_ERROR; the peer's own reset: PEER_EOF */
};

struct peer_opts {
	const unsigned char *expect; /* what should arrive (len bytes) */
	long len;
	int read_size;    /* bytes per read while fast */
	int rcvbuf;       /* SO_RCVBUF before connecting; 0 leaves the default */
	long slow_after;  /* from this many bytes received on: 4 KiB reads 1 ms apart; < 0 never */
	int login;        /* send "LOGIN\n" once connected */
	int ping;         /* after the first data, send "PING\n" (a line the server never reads) */
	int hold;         /* read nothing before flush_peer_go() */
	long reset_after; /* > 0: once this many bytes arrived, close with SO_LINGER 0 (a reset) */
};

#define PEER_DEFAULTS {NULL, 0, 16384, 65536, -1, 1, 0, 0, 0}

struct flush_peer {
	pid_t pid;
	int result_fd; /* the parent's end of the result pipe */
	int go_fd;     /* the parent's end of the go-ahead pipe */
	int status;    /* the peer's wait status, set by flush_peer_wait */
};

static inline const char *peer_end_text(int end)
{
	return end == PEER_EOF ? "EOF" : end == PEER_RESET ? "ECONNRESET" : "another error";
}

/* The peer process; never returns. */
static inline void flush_peer_run(const struct sockaddr_in *sin, const struct peer_opts *o, int resfd, int gofd)
{
	struct peer_result res = {0, 1, PEER_ERROR};
	unsigned char buf[16384], go;
	ssize_t n, i;
	int fd = socket(AF_INET, SOCK_STREAM, 0), pinged = 0;
	alarm(15);
	if (o->rcvbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &o->rcvbuf, sizeof o->rcvbuf);
	if (connect(fd, (const struct sockaddr *)sin, sizeof *sin) < 0)
		_exit(1);
	if (o->login && write(fd, "LOGIN\n", 6) != 6)
		_exit(1);
	if (o->hold && read(gofd, &go, 1) != 1)
		_exit(1);
	for (;;) {
		int slow = o->slow_after >= 0 && res.received >= o->slow_after;
		n = recv(fd, buf, slow ? 4096 : (size_t)o->read_size, 0);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			if (res.received + i >= o->len || buf[i] != o->expect[res.received + i])
				res.intact = 0;
		res.received += n;
		if (o->ping && !pinged) {
			pinged = 1;
			if (write(fd, "PING\n", 5) != 5)
				_exit(1);
		}
		if (o->reset_after > 0 && res.received >= o->reset_after) {
			struct linger lg = {1, 0};
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
			close(fd);
			n = 0;
			break;
		}
		if (slow)
			usleep(1000);
	}
	res.end = n == 0 ? PEER_EOF : errno == ECONNRESET ? PEER_RESET : PEER_ERROR;
	if (write(resfd, &res, sizeof res) != (ssize_t)sizeof res)
		_exit(1);
	_exit(0);
}

/* Listens on 127.0.0.1, forks the peer, accepts its connection and returns it
 * non-blocking, with SO_SNDBUF set to sndbuf (if > 0). Exits the test on failure. */
static inline int flush_server(struct flush_peer *peer, const struct peer_opts *o, int sndbuf)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), res_pipe[2], go_pipe[2], fd;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(lfd, 8) < 0 || pipe(res_pipe) < 0 ||
	    pipe(go_pipe) < 0)
		exit(1);
	getsockname(lfd, (struct sockaddr *)&sin, &slen);
	fflush(stdout);
	peer->pid = fork();
	if (peer->pid < 0)
		exit(1);
	if (peer->pid == 0) {
		close(lfd);
		close(res_pipe[0]);
		close(go_pipe[1]);
		flush_peer_run(&sin, o, res_pipe[1], go_pipe[0]);
	}
	close(res_pipe[1]);
	close(go_pipe[0]);
	peer->result_fd = res_pipe[0];
	peer->go_fd = go_pipe[1];
	peer->status = -1;
	fd = accept(lfd, NULL, NULL);
	close(lfd);
	if (fd < 0)
		exit(1);
	if (sndbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/* Waits (up to 5 s) until the peer's first bytes (its login line) are in fd's receive
 * queue, without reading them: a close from now on meets unread input, not input still on
 * its way (which would reset the connection whatever the closer did). */
static inline void wait_for_login(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	if (poll(&p, 1, 5000) != 1)
		exit(1);
}

/* Lets a peer made with opts.hold start reading. */
static inline void flush_peer_go(struct flush_peer *peer)
{
	if (write(peer->go_fd, "g", 1) != 1)
		exit(1);
}

/* Waits for the peer's end; 0 with its report in *res, or -1 if it sent none. */
static inline int flush_peer_wait(struct flush_peer *peer, struct peer_result *res)
{
	int ok;
	waitpid(peer->pid, &peer->status, 0);
	ok = read(peer->result_fd, res, sizeof *res) == (ssize_t)sizeof *res;
	close(peer->result_fd);
	close(peer->go_fd);
	return ok ? 0 : -1;
}

/* The test message: byte i is pattern(i). */
static inline unsigned char pattern(long i)
{
	return (unsigned char)(i * 131 + (i >> 12));
}

static inline unsigned char *pattern_message(long len)
{
	unsigned char *m = malloc((size_t)len);
	long i;
	if (!m)
		exit(1);
	for (i = 0; i < len; i++)
		m[i] = pattern(i);
	return m;
}

/* A peer expecting msg (len bytes) that reads the last slow_tail bytes slowly. */
static inline struct peer_opts message_peer(const unsigned char *msg, long len, long slow_tail)
{
	struct peer_opts o = PEER_DEFAULTS;
	o.expect = msg;
	o.len = len;
	o.slow_after = slow_tail < 0 ? -1 : len - slow_tail;
	return o;
}

/* Milliseconds on the monotonic clock (for generous bounds only, never printed). */
static inline long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- self-checking (evshim-only) tests ---- */

static int failures;

static inline void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
	if (!ok)
		failures++;
}

/* The peer's report on a whole message, checked (all of it, intact, then EOF); the counts
 * are printed on stdout if print_counts (only where they are deterministic), else on stderr. */
static inline void check_peer_got(struct flush_peer *peer, long len, int print_counts)
{
	struct peer_result res;
	if (flush_peer_wait(peer, &res) < 0) {
		check(0, "client reported");
		return;
	}
	fprintf(print_counts ? stdout : stderr, "client: received %ld of %ld bytes, intact %d, then %s\n", res.received,
	    len, res.intact, peer_end_text(res.end));
	check(res.received == len, "the whole message arrived");
	check(res.intact, "every byte is right");
	check(res.end == PEER_EOF, "the connection ended with EOF, not a reset");
}

static inline void check_peer_got_all(struct flush_peer *peer, long len)
{
	check_peer_got(peer, len, 1);
}

/* Callbacks that count calls made once `closing` is set (none may come after
 * bufferevent_flush_and_close). */
static int closing, late_callbacks;

static inline void late_datacb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	if (closing)
		late_callbacks++;
}

static inline void late_eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)what;
	(void)arg;
	if (closing)
		late_callbacks++;
}

/* A server: a socket bufferevent (BEV_OPT_CLOSE_ON_FREE) on the peer's connection, reading
 * with readcb(arg); the loop runs until it has nothing left, then waits for the peer: 0 with
 * its report in *res, -1 if it failed (peer->status says how). */
static inline int serve_until_done(struct flush_peer *peer, const struct peer_opts *o, int sndbuf,
    bufferevent_data_cb readcb, void *arg, struct peer_result *res)
{
	int fd = flush_server(peer, o, sndbuf);
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, NULL, NULL, arg);
	bufferevent_enable(bev, EV_READ);
	event_base_dispatch(base);
	event_base_free(base);
	return flush_peer_wait(peer, res);
}

#ifdef EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE /* <evshim.h> included first: evshim-only tests */

/* Hands bev over with bufferevent_flush_and_close (setting `closing` first), runs the loop
 * until it has nothing left, and checks the call, the loop's end and that fd is closed by
 * then. Returns the milliseconds from the call to the loop's end (also on stderr). */
static inline long close_and_dispatch(struct event_base *base, struct bufferevent *bev, int fd)
{
	long start, elapsed;
	int r;
	closing = 1;
	start = now_ms();
	check(bufferevent_flush_and_close(bev) == 0, "bufferevent_flush_and_close returned 0");
	r = event_base_dispatch(base);
	elapsed = now_ms() - start;
	fprintf(stderr, "dispatch took %ld ms\n", elapsed);
	check(r == 0 || r == 1, "event_base_dispatch returned normally");
	check(fcntl(fd, F_GETFD) == -1, "the socket is closed when event_base_dispatch returns");
	return elapsed;
}

/* The common body of the bufferevent_flush_and_close socket tests: a peer with opts (its
 * expect/len: the message) and a CLOSE_ON_FREE socket bufferevent on its connection, then
 * either serve_now(bev) before the loop runs, or on_login (the read callback, with the
 * late_* callbacks for writing and events); each ends by calling bufferevent_flush_and_close.
 * The loop runs until it has nothing left; then the socket must be closed, the peer must
 * have got the whole message and EOF, and no callback may have run late. Returns the exit
 * status. */
static inline int flush_and_close_scenario(const struct peer_opts *o, void (*serve_now)(struct bufferevent *),
    bufferevent_data_cb on_login)
{
	struct flush_peer peer;
	int fd = flush_server(&peer, o, 65536), r;
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (serve_now) {
		serve_now(bev);
	} else {
		bufferevent_setcb(bev, on_login, late_datacb, late_eventcb, NULL);
		bufferevent_enable(bev, EV_READ);
	}
	r = event_base_dispatch(base);
	check(r == 0 || r == 1, "event_base_dispatch returned normally");
	check(fcntl(fd, F_GETFD) == -1, "the socket is closed when event_base_dispatch returns");
	event_base_free(base);
	check_peer_got_all(&peer, o->len);
	check(late_callbacks == 0, "no callback of the bufferevent ran after bufferevent_flush_and_close");
	return failures ? 1 : 0;
}

#endif /* EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE */

/* The workaround that works with libevent (flush_close_*): on the login, stop reading,
 * queue the message (o->expect) and free the bufferevent from the write callback once the
 * output is empty. Runs the server until the loop is done, then waits for the peer: 0
 * with its report, -1 if it failed (peer->status says how). */
static inline void free_when_empty_writecb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0) {
		printf("server: write callback with an empty output: bufferevent_free (closes the socket)\n");
		bufferevent_free(bev);
	}
}

static inline void queue_on_login_readcb(struct bufferevent *bev, void *arg)
{
	const struct peer_opts *o = arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
	bufferevent_disable(bev, EV_READ);
	bufferevent_setcb(bev, NULL, free_when_empty_writecb, NULL, NULL);
	bufferevent_write(bev, o->expect, (size_t)o->len);
	printf("server: login read; reading disabled, %ld bytes queued\n", o->len);
}

static inline int free_from_writecb_run(struct flush_peer *peer, const struct peer_opts *o, struct peer_result *res)
{
	return serve_until_done(peer, o, 65536, queue_on_login_readcb, (void *)o, res);
}

#endif /* FLUSH_PEER_H */

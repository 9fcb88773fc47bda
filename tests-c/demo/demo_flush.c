/* DEMO: compare with libevent */
/*
 * demo_flush: the bug evshim was started for, told as a transcript. `make demo` builds it
 * against evshim and, when Debian's libevent is installed, against libevent too.
 *
 * A game server kicks a player who has logged in somewhere else: it sends a goodbye
 * message and closes the connection. The code was written for libevent 1.4 and "flushes"
 * the message by hand before closing, which silently stopped working in libevent 2.0:
 * the player never sees the message, and errno points at something unrelated.
 *
 *   act 1: the 1.4-era code, and what the player receives;
 *   act 2: why (the socket bufferevent freezes its output buffer; errno is stale);
 *   act 3: the fix: evshim's bufferevent_flush_and_close, or, with plain libevent,
 *          closing from the write callback once the output buffer is empty.
 *
 * The player is a forked process that logs in and reads until the connection ends, then
 * reports what it got. Everything printed is deterministic.
 */
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#if defined(__has_include)
#if __has_include(<evshim.h>)
#include <evshim.h> /* evshim's extensions; absent when built against libevent */
#endif
#endif

#define BIG (1 << 20)

static const char goodbye[] = "You have logged in from another place. Goodbye!\n";

struct report {
	long received;
	int intact;
	int end; /* 0 EOF, 1 connection reset, 2 other error */
};

static int step;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	printf("  [%d] ", ++step);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static unsigned char byte_at(const unsigned char *msg, long len, long i)
{
	return i < len ? msg[i] : 0;
}

/* The player: log in, read everything until the server closes, report. */
static void player(const struct sockaddr_in *server, const unsigned char *msg, long len, int report_fd)
{
	struct report rep = {0, 1, 2};
	unsigned char buf[16384];
	ssize_t n, i;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	alarm(10);
	if (connect(fd, (const struct sockaddr *)server, sizeof *server) < 0 || write(fd, "LOGIN alice\n", 12) != 12)
		_exit(1);
	while ((n = recv(fd, buf, sizeof buf, 0)) > 0) {
		for (i = 0; i < n; i++)
			if (rep.received + i >= len || buf[i] != byte_at(msg, len, rep.received + i))
				rep.intact = 0;
		rep.received += n;
	}
	rep.end = n == 0 ? 0 : errno == ECONNRESET ? 1 : 2;
	if (write(report_fd, &rep, sizeof rep) != (ssize_t)sizeof rep)
		_exit(1);
	_exit(0);
}

static void print_report(const struct report *rep, long len)
{
	say("the player received %ld of %ld bytes%s, then %s", rep->received, len,
	    rep->received == len && rep->intact ? " (all of it, intact)" : rep->received ? " (not all of it)" : "",
	    rep->end == 0 ? "the connection closed (EOF)" : rep->end == 1 ? "a connection reset" : "an error");
}

/* ---- act 1: the libevent 1.4 code ---- */

static int db_listener = -1;
static struct sockaddr_in db_addr;

static void kick_the_14_way(struct bufferevent *bev, void *arg)
{
	struct evbuffer *out = bufferevent_get_output(bev);
	int fd = bufferevent_getfd(bev), db, r, err;
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
	say("server: \"LOGIN alice\" arrived, but alice is already playing elsewhere: kick this connection");

	/* Something a real server does all the time: a non-blocking connect (here to its
	 * "database"), which fails with EINPROGRESS until the connection completes. */
	db = socket(AF_INET, SOCK_STREAM, 0);
	fcntl(db, F_SETFL, O_NONBLOCK);
	r = connect(db, (struct sockaddr *)&db_addr, sizeof db_addr);
	err = errno;
	say("server: meanwhile, a non-blocking connect() to the database: %d, errno %s (normal: it completes later)",
	    r, err == EINPROGRESS ? "EINPROGRESS" : strerror(err));

	bufferevent_write(bev, goodbye, sizeof goodbye - 1);
	say("server: bufferevent_write(bev, goodbye, %d)", (int)(sizeof goodbye - 1));
	r = evbuffer_write(out, fd);
	err = errno;
	say("server: evbuffer_write(bufferevent_get_output(bev), fd) = %d, errno %s (\"%s\")", r,
	    err == EINPROGRESS ? "EINPROGRESS" : "another value", strerror(err));
	say("server: the output buffer still holds %d bytes", (int)evbuffer_get_length(out));
	bufferevent_free(bev);
	close(db);
	say("server: bufferevent_free(bev) (BEV_OPT_CLOSE_ON_FREE: the socket is closed)");
}

/* ---- act 3: the fix ---- */

#ifndef EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE
static void close_when_sent(struct bufferevent *bev, void *arg)
{
	(void)arg;
	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0) {
		say("server: write callback: the output buffer is empty, now bufferevent_free(bev)");
		bufferevent_free(bev);
	}
}
#endif

static unsigned char *big;

static void kick_properly(struct bufferevent *bev, void *arg)
{
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
	say("server: \"LOGIN alice\" arrived: kick, this time with a 1 MiB goodbye");
	bufferevent_write(bev, big, BIG);
#ifdef EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE
	{
		int r = bufferevent_flush_and_close(bev);
		say("server: bufferevent_flush_and_close(bev) = %d: evshim sends what is queued, then closes and frees", r);
	}
#else
	bufferevent_disable(bev, EV_READ);
	bufferevent_setcb(bev, NULL, close_when_sent, NULL, NULL);
	say("server: no bufferevent_flush_and_close here: stop reading, and close from the write callback");
#endif
}

/* One connection: the player logs in, the server handles it with `on_login`. */
static void run(bufferevent_data_cb on_login, const unsigned char *msg, long len)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	struct report rep;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), pipefd[2], fd, status;
	pid_t pid;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(lfd, 8) < 0 || pipe(pipefd) < 0)
		exit(1);
	getsockname(lfd, (struct sockaddr *)&sin, &slen);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(lfd);
		player(&sin, msg, len, pipefd[1]);
	}
	fd = accept(lfd, NULL, NULL);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	say("a player connected");
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, on_login, NULL, NULL, NULL);
	bufferevent_enable(bev, EV_READ);
	event_base_dispatch(base);
	event_base_free(base);
	waitpid(pid, &status, 0);
	if (read(pipefd[0], &rep, sizeof rep) != (ssize_t)sizeof rep) {
		say("the player process failed");
		exit(1);
	}
	print_report(&rep, len);
	close(pipefd[0]);
	close(pipefd[1]);
	close(lfd);
}

int main(void)
{
	socklen_t slen = sizeof db_addr;
	long i;
	signal(SIGPIPE, SIG_IGN);

#ifdef EVSHIM_H_INCLUDED_
	printf("The flush story, on evshim (libevent API %s)\n\n", event_get_version());
#else
	printf("The flush story, on libevent %s\n\n", event_get_version());
#endif
	printf("Act 1. A server written for libevent 1.4 kicks a player like this:\n\n"
	       "    bufferevent_write(bev, goodbye, len);\n"
	       "    evbuffer_write(bufferevent_get_output(bev), fd);  /* \"flush\" */\n"
	       "    bufferevent_free(bev);                            /* and close */\n\n");

	db_listener = socket(AF_INET, SOCK_STREAM, 0);
	memset(&db_addr, 0, sizeof db_addr);
	db_addr.sin_family = AF_INET;
	db_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(db_listener, (struct sockaddr *)&db_addr, sizeof db_addr) < 0 || listen(db_listener, 8) < 0)
		return 1;
	getsockname(db_listener, (struct sockaddr *)&db_addr, &slen);
	run(kick_the_14_way, (const unsigned char *)goodbye, (long)sizeof goodbye - 1);

	printf("\nAct 2. Why the goodbye never left:\n"
	       "  - A socket bufferevent owns its output buffer and freezes its start: only the\n"
	       "    bufferevent's own write event may take bytes out (and only once the loop runs).\n"
	       "    evbuffer_write on it is refused before any system call and returns -1.\n"
	       "  - bufferevent_free then throws the queued bytes away and closes the socket.\n");
	printf("  - The refusal leaves errno alone, so errno still says EINPROGRESS, left over\n"
	       "    from the database connect: a false trail. (evshim keeps that, to behave\n"
	       "    exactly like libevent; with event_enable_debug_logging it also logs why.)\n");
	printf("  - evbuffer_unfreeze(output, 1) before evbuffer_write \"fixes\" short messages,\n"
	       "    but one non-blocking write only sends what fits in the socket buffer: a long\n"
	       "    message is cut off just the same.\n\n");

	printf("Act 3. The fix:\n");
	big = malloc(BIG);
	for (i = 0; i < BIG; i++)
		big[i] = (unsigned char)(i * 131 + (i >> 12));
	run(kick_properly, big, BIG);
	free(big);
	close(db_listener);
	return 0;
}

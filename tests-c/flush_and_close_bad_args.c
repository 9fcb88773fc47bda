/* evshim-only */
/* bufferevent_flush_and_close refuses what it cannot do: NULL returns -1 (with a log
 * message), and a second call on a bufferevent already being flushed and closed returns
 * -1 and changes nothing (the first close completes normally). Unverified until evshim
 * implements it. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <evshim.h>

#ifndef EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE
#error "evshim.h does not declare bufferevent_flush_and_close (EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE)"
#endif

static int failures, logs;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
	if (!ok)
		failures++;
}

static void log_cb(int severity, const char *msg)
{
	(void)severity;
	(void)msg;
	logs++;
}

int main(void)
{
	struct event_base *base = event_base_new();
	char buf[64];
	ssize_t n;
	int sv[2];
	event_set_log_callback(log_cb);
	check(bufferevent_flush_and_close(NULL) == -1, "NULL returns -1");
	check(logs > 0, "NULL is logged");

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_write(bev, "bye", 3);
	check(bufferevent_flush_and_close(bev) == 0, "first call returns 0");
	check(bufferevent_flush_and_close(bev) == -1, "second call returns -1");
	shutdown(sv[1], SHUT_WR); /* the peer is done too, so a lingering close can finish */
	event_base_dispatch(base);
	n = read(sv[1], buf, sizeof buf);
	check(n == 3, "the peer got the 3 bytes");
	n = read(sv[1], buf, sizeof buf);
	check(n == 0, "then EOF");
	check(fcntl(sv[0], F_GETFD) == -1, "the fd is closed after dispatch");
	close(sv[1]);
	event_base_free(base);
	return failures ? 1 : 0;
}

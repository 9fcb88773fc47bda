/*
 * demo_core: a guided tour of the event core, built against evshim by `make demo`.
 *
 *   1. a timer fires after 50 ms;
 *   2. its callback raises SIGUSR1, which a signal event catches inside the loop;
 *   3. the signal callback writes "ping" into a socketpair; an echo server on the
 *      other end reads it and writes it back; the client reads "ping" back and the
 *      loop ends because nothing is left to wait for.
 *
 * Everything printed is deterministic, so the transcript is the same with libevent:
 *   cc demo_core.c $(pkg-config --cflags --libs libevent) -o demo && ./demo
 */
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

struct demo {
	struct event_base *base;
	struct event *timer, *sigusr1, *server, *client;
	int client_fd, server_fd;
	int step;
};

static void say(struct demo *d, const char *fmt, const char *detail)
{
	printf("[%d] ", ++d->step);
	printf(fmt, detail);
	printf("\n");
}

/* 1. The timer: raise SIGUSR1. The handler libevent installed only records the
 *    signal; our callback runs later, from the loop, like any other event. */
static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct demo *d = arg;
	(void)fd;
	say(d, "timer fired (%s); raising SIGUSR1", what == EV_TIMEOUT ? "EV_TIMEOUT" : "?");
	raise(SIGUSR1);
	say(d, "%s", "raise() returned: the signal callback has not run yet");
}

/* 2. The signal event: start the echo exchange, then stop watching the signal. */
static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct demo *d = arg;
	(void)what;
	say(d, "signal callback for %s, called from the loop", sig == SIGUSR1 ? "SIGUSR1" : "?");
	event_del(d->sigusr1);
	if (write(d->client_fd, "ping", 4) != 4)
		say(d, "%s", "write failed");
	say(d, "%s", "client wrote \"ping\" to the socketpair");
}

/* 3a. The echo server: whatever arrives goes straight back. */
static void on_server_readable(evutil_socket_t fd, short what, void *arg)
{
	struct demo *d = arg;
	char buf[64];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	(void)what;
	if (n <= 0) {
		say(d, "%s", "server: peer closed, removing the server event");
		event_del(d->server);
		return;
	}
	buf[n] = '\0';
	say(d, "server read \"%s\" and echoes it", buf);
	if (write(fd, buf, (size_t)n) != n)
		say(d, "%s", "echo write failed");
}

/* 3b. The client: check the echo, then close its end so the server sees EOF. */
static void on_client_readable(evutil_socket_t fd, short what, void *arg)
{
	struct demo *d = arg;
	char buf[64];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	(void)what;
	buf[n > 0 ? n : 0] = '\0';
	say(d, "client got the echo back: \"%s\"", buf);
	say(d, "%s", "client closes its end");
	shutdown(fd, SHUT_WR);
}

int main(void)
{
	struct demo d;
	struct timeval fifty_ms = {0, 50000};
	int sv[2];

	memset(&d, 0, sizeof d);
	d.base = event_base_new();
	say(&d, "event_base_new: backend \"%s\"", event_base_get_method(d.base));
	say(&d, "running on libevent API version %s", event_get_version());

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	d.client_fd = sv[0];
	d.server_fd = sv[1];

	d.timer = evtimer_new(d.base, on_timer, &d);
	d.sigusr1 = evsignal_new(d.base, SIGUSR1, on_signal, &d);
	d.server = event_new(d.base, d.server_fd, EV_READ | EV_PERSIST, on_server_readable, &d);
	d.client = event_new(d.base, d.client_fd, EV_READ, on_client_readable, &d);

	evtimer_add(d.timer, &fifty_ms);
	evsignal_add(d.sigusr1, NULL);
	event_add(d.server, NULL);
	event_add(d.client, NULL);
	say(&d, "%s", "added: a 50 ms timer, SIGUSR1, an echo server and a client on a socketpair");

	say(&d, "%s", "event_base_dispatch: the loop runs until no events are left");
	int r = event_base_dispatch(d.base);
	say(&d, "event_base_dispatch returned %s (nothing left to wait for)", r == 1 ? "1" : "not 1");

	event_free(d.timer);
	event_free(d.sigusr1);
	event_free(d.server);
	event_free(d.client);
	close(sv[0]);
	close(sv[1]);
	event_base_free(d.base);
	say(&d, "%s", "everything freed; bye");
	return 0;
}

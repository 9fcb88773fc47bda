/* A persistent read event with a timeout: each activation restarts the timeout,
 * so it reports EV_TIMEOUT only after a quiet period, then again each period. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static int sv[2];

static void on_io(evutil_socket_t fd, short what, void *arg)
{
	char c;
	(void)arg;
	if (what & EV_READ) {
		if (read(fd, &c, 1) != 1)
			c = '?';
		printf("EV_READ '%c'\n", c);
	} else {
		printf("what=0x%02x\n", what);
	}
}

static void writer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	if (write(sv[1], arg, 1) != 1)
		printf("write failed\n");
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t200 = {0, 200000}, t60 = {0, 60000}, t180 = {0, 180000}, t480 = {0, 480000};

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	/* timeout 200ms; data at 60ms and 180ms (each well within 200ms of the last
	 * activation); then quiet: EV_TIMEOUT at ~380ms; loop ends at 480ms */
	struct event *io = event_new(base, sv[0], EV_READ | EV_PERSIST, on_io, NULL);
	event_add(io, &t200);
	event_base_once(base, -1, EV_TIMEOUT, writer, "a", &t60);
	event_base_once(base, -1, EV_TIMEOUT, writer, "b", &t180);
	event_base_loopexit(base, &t480);
	int r = event_base_dispatch(base);
	printf("dispatch=%d still pending=0x%02x\n", r, event_pending(io, EV_READ | EV_TIMEOUT, NULL));
	event_free(io);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

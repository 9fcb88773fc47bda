/* EV_ET: a partial read does not refire until new data arrives. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static int calls;

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	char c;
	ssize_t n = read(fd, &c, 1);
	(void)arg;
	calls++;
	printf("call %d what=0x%02x got=%c\n", calls, what, n == 1 ? c : '?');
}

int main(void)
{
	int sv[2];
	struct event_base *base = event_base_new();
	struct event *ev;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	printf("method supports EV_ET: %d\n",
	    (event_base_get_features(base) & EV_FEATURE_ET) != 0);
	ev = event_new(base, sv[0], EV_READ | EV_PERSIST | EV_ET, on_read, NULL);
	event_add(ev, NULL);
	printf("events: 0x%02x\n", event_get_events(ev));
	if (write(sv[1], "abc", 3) != 3)
		return 1;
	for (int i = 0; i < 3; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
	printf("after 3 loops with 3 bytes written: calls=%d\n", calls);

	if (write(sv[1], "d", 1) != 1)
		return 1;
	for (int i = 0; i < 3; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
	printf("after new data and 3 loops: calls=%d\n", calls);

	event_free(ev);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

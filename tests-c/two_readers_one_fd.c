/* Two read events on the same fd both fire; deleting one leaves the other working. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("  %s what=0x%02x\n", (const char *)arg, what);
}

int main(void)
{
	int sv[2];
	struct event_base *base = event_base_new();
	struct event *a, *b;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	a = event_new(base, sv[0], EV_READ | EV_PERSIST, on_read, "A");
	b = event_new(base, sv[0], EV_READ | EV_PERSIST, on_read, "B");
	event_add(a, NULL);
	event_add(b, NULL);
	if (write(sv[1], "x", 1) != 1)
		return 1;
	/* the byte is never read: EVLOOP_ONCE|EVLOOP_NONBLOCK runs one batch */
	printf("both added:\n");
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	printf("num added: %d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));

	event_del(a);
	printf("A deleted:\n");
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);

	event_add(a, NULL);
	event_del(b);
	printf("A re-added, B deleted:\n");
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);

	event_del(a);
	printf("none:\n");
	printf("loop returns %d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	event_free(a);
	event_free(b);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

/* When the peer closes, a read event fires and read() returns 0; a persistent
 * one keeps firing until it is deleted. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static int calls;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	char buf[16];
	struct event *self = arg;
	ssize_t n = read(fd, buf, sizeof buf);
	calls++;
	printf("call %d what=0x%02x read=%d\n", calls, what, (int)n);
	if (calls == 3)
		event_del(self);
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	struct event *ev = event_new(base, sv[0], EV_READ | EV_PERSIST, cb, event_self_cbarg());
	event_add(ev, NULL);
	if (write(sv[1], "abc", 3) != 3)
		return 1;
	close(sv[1]);
	int r = event_base_dispatch(base);
	printf("dispatch=%d calls=%d\n", r, calls);
	event_free(ev);
	close(sv[0]);
	event_base_free(base);
	return 0;
}

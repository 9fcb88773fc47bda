/* Events on a high fd number (dup2 to 900) work like any other. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	char c;
	(void)arg;
	printf("fd is 900=%d what=0x%02x read=%d\n", fd == 900, what, (int)read(fd, &c, 1));
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	if (dup2(sv[0], 900) != 900)
		return 1;
	close(sv[0]);
	struct event *ev = event_new(base, 900, EV_READ | EV_PERSIST, cb, NULL);
	printf("add=%d\n", event_add(ev, NULL));
	if (write(sv[1], "x", 1) != 1)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);
	event_del(ev);
	printf("loop=%d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	event_free(ev);
	close(900);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

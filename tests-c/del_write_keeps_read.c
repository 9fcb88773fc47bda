/* Separate read and write events on one fd: deleting the write event leaves
 * the read event working, and re-adding write works again. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("  %s what=0x%02x\n", (const char *)arg, what);
	if (what & EV_READ) {
		char c;
		if (read(fd, &c, 1) != 1)
			printf("  read failed\n");
	}
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	struct event *r = event_new(base, sv[0], EV_READ | EV_PERSIST, cb, "read");
	struct event *w = event_new(base, sv[0], EV_WRITE | EV_PERSIST, cb, "write");
	event_add(r, NULL);
	event_add(w, NULL);
	printf("both, no data:\n");
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	event_del(w);
	printf("write deleted, no data:\n");
	printf("  loop=%d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	if (write(sv[1], "x", 1) != 1)
		return 1;
	printf("write deleted, data:\n");
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	event_add(w, NULL);
	event_del(r);
	if (write(sv[1], "y", 1) != 1)
		return 1;
	printf("read deleted, write re-added, data waiting:\n");
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	event_del(w);
	event_add(r, NULL);
	printf("read re-added:\n");
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	event_free(r);
	event_free(w);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

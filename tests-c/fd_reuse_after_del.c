/* After event_del and close, a new socket that gets the same fd number can be
 * watched normally (no stale backend state). Also: closing an fd while its
 * event is still added, then event_del, is harmless. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	char c;
	printf("  %s what=0x%02x read=%d\n", (const char *)arg, what, (int)read(fd, &c, 1));
}

static void quiet(int sev, const char *msg) { (void)sev; (void)msg; }

int main(void)
{
	struct event_base *base = event_base_new();
	int a[2], b[2];
	event_set_log_callback(quiet);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0)
		return 1;
	struct event *e1 = event_new(base, a[0], EV_READ | EV_PERSIST, cb, "first");
	event_add(e1, NULL);
	event_del(e1);
	int old = a[0];
	close(a[0]);
	close(a[1]);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, b) < 0)
		return 1;
	printf("same fd number reused: %d\n", b[0] == old);
	struct event *e2 = event_new(base, b[0], EV_READ | EV_PERSIST, cb, "second");
	printf("add=%d\n", event_add(e2, NULL));
	if (write(b[1], "x", 1) != 1)
		return 1;
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);

	/* close while added, then del */
	close(b[0]);
	printf("del after close=%d\n", event_del(e2));
	printf("loop=%d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	close(b[1]);
	event_free(e1);
	event_free(e2);
	event_base_free(base);
	return 0;
}

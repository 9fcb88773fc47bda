/* EV_WRITE|EV_ET fires once for a writable socket and not again while it stays
 * writable; level-triggered EV_WRITE fires on every loop. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static int et_calls, lt_calls;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	int *c = arg;
	(*c)++;
	if (*c == 1)
		printf("%s first call what=0x%02x\n", c == &et_calls ? "ET" : "LT", what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	int a[2], b[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, b) < 0)
		return 1;
	struct event *et = event_new(base, a[0], EV_WRITE | EV_ET | EV_PERSIST, cb, &et_calls);
	struct event *lt = event_new(base, b[0], EV_WRITE | EV_PERSIST, cb, &lt_calls);
	event_add(et, NULL);
	event_add(lt, NULL);
	for (int i = 0; i < 5; i++)
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	printf("after 5 loops: ET=%d LT=%d\n", et_calls, lt_calls);
	event_free(et);
	event_free(lt);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	event_base_free(base);
	return 0;
}

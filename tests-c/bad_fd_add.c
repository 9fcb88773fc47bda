/* event_add with fd -1 and EV_READ succeeds but never fires; with a closed fd
 * it fails with a warning. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static int warnings;
static void logcb(int sev, const char *msg) { (void)msg; if (sev >= EVENT_LOG_WARN) warnings++; }

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("  %s what=0x%02x\n", (const char *)arg, what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t20 = {0, 20000};
	int sv[2];
	event_set_log_callback(logcb);

	struct event *neg = event_new(base, -1, EV_READ, cb, "fd -1 read");
	int r = event_add(neg, &t20);
	printf("fd -1 EV_READ add=%d warned=%d pending=0x%02x\n", r, warnings > 0,
	    event_pending(neg, EV_READ | EV_TIMEOUT, NULL));
	r = event_base_dispatch(base);
	printf("dispatch=%d\n", r);

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	close(sv[0]);
	close(sv[1]);
	warnings = 0;
	struct event *closed = event_new(base, sv[0], EV_READ, cb, "closed fd");
	r = event_add(closed, NULL);
	printf("closed fd add=%d warned=%d pending=0x%02x\n", r, warnings > 0,
	    event_pending(closed, EV_READ, NULL));
	printf("loop=%d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	event_free(neg);
	event_free(closed);
	event_base_free(base);
	return 0;
}

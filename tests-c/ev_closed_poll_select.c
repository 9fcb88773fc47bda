/* The poll and select methods when the peer closes or shuts down: which events fire, with
 * which what bits (poll maps HUP to READ|WRITE, select knows no EV_CLOSED). */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static int turn;
static const char *method;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("  turn %d: %s what=0x%02x\n", turn, (const char *)arg, what);
}

static void run(short events, const char *name, int shut)
{
	int sv[2];
	struct event_config *cfg = event_config_new();
	struct event_base *base;
	struct event *e;
	event_config_avoid_method(cfg, "epoll");
	if (method[0] == 's')
		event_config_avoid_method(cfg, "poll");
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	e = event_new(base, sv[0], events | EV_PERSIST, cb, (void *)name);
	event_add(e, NULL);
	if (shut)
		shutdown(sv[1], SHUT_WR);
	else
		close(sv[1]);
	for (turn = 1; turn <= 3; turn++)
		printf("%s: %s%s turn %d: r=%d\n", method, name, shut ? "/shut" : "", turn,
		    event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK));
	event_free(e);
	close(sv[0]);
	if (shut)
		close(sv[1]);
	event_base_free(base);
}

int main(void)
{
	for (int m = 0; m < 2; m++)
	for (int shut = 0; shut < 2; shut++) {
		method = m ? "select" : "poll";
		run(EV_CLOSED, "closed", shut);
		run(EV_READ | EV_CLOSED, "read|closed", shut);
		run(EV_WRITE | EV_CLOSED, "write|closed", shut);
		run(EV_READ, "read", shut);
		run(EV_WRITE, "write", shut);
		run(EV_READ | EV_WRITE, "read|write", shut);
		run(EV_CLOSED | EV_ET, "closed|et", shut);
	}
	return 0;
}

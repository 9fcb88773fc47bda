/* event_pending: which flags are reported, and the deadline in wall-clock time. */
#include <stdio.h>
#include <sys/time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static long ms_until(const struct timeval *tv)
{
	struct timeval now, d;
	gettimeofday(&now, NULL);
	timersub(tv, &now, &d);
	return d.tv_sec * 1000 + d.tv_usec / 1000;
}

static void cb(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	struct timeval tv = {0, 0};
	(void)fd;
	printf("in callback what=0x%02x pending=0x%02x\n", what,
	    event_pending(self, EV_READ | EV_WRITE | EV_TIMEOUT, &tv));
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t200 = {0, 200000}, tv;
	int sv[2];
	struct event *ev, *tm;
	long ms;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	ev = event_new(base, sv[0], EV_READ | EV_PERSIST, cb, event_self_cbarg());
	printf("not added: 0x%02x\n", event_pending(ev, EV_READ | EV_WRITE | EV_TIMEOUT, NULL));
	event_add(ev, NULL);
	printf("added, no timeout: 0x%02x\n",
	    event_pending(ev, EV_READ | EV_WRITE | EV_TIMEOUT, NULL));
	event_add(ev, &t200);
	tv.tv_sec = tv.tv_usec = 0;
	printf("added, timeout: 0x%02x\n", event_pending(ev, EV_READ | EV_WRITE | EV_TIMEOUT, &tv));
	ms = ms_until(&tv);
	printf("tv is wall-clock deadline (~200ms ahead): %d\n", ms > 100 && ms < 260);
	printf("asking only EV_WRITE: 0x%02x\n", event_pending(ev, EV_WRITE, NULL));
	printf("asking only EV_TIMEOUT: 0x%02x\n", event_pending(ev, EV_TIMEOUT, NULL));
	tv.tv_sec = 77;
	tv.tv_usec = 0;
	event_pending(ev, EV_READ, &tv);
	printf("tv untouched when EV_TIMEOUT not asked: %d\n", tv.tv_sec == 77);

	event_active(ev, EV_WRITE, 0);
	printf("active with EV_WRITE: 0x%02x\n", event_pending(ev, EV_READ | EV_WRITE | EV_TIMEOUT, NULL));
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);

	/* deadline reported inside the loop too */
	tm = evtimer_new(base, cb, event_self_cbarg());
	evtimer_add(tm, &t200);
	event_base_loop(base, EVLOOP_NONBLOCK);
	tv.tv_sec = tv.tv_usec = 0;
	printf("timer pending: 0x%02x\n", evtimer_pending(tm, &tv));
	ms = ms_until(&tv);
	printf("timer deadline ~200ms ahead: %d\n", ms > 100 && ms < 260);
	event_del(ev);
	printf("deleted: 0x%02x\n", event_pending(ev, EV_READ | EV_WRITE | EV_TIMEOUT, NULL));
	event_free(ev);
	event_free(tm);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

/* One fd's epoll registration follows the event that last changed it: ET or LT, and
 * whether unread data refires on the next turn. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static int turn;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("  turn %d: %s what=0x%02x\n", turn, (const char *)arg, what);
}

static void loops(struct event_base *base, const char *phase, int n)
{
	for (int k = 0; k < n; k++, turn++)
		printf("%s turn %d: r=%d\n", phase, turn, event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK));
}

int main(void)
{
	int sv[2];
	struct event_base *base = event_base_new();
	struct event *et, *lt, *etw, *ltw;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	et = event_new(base, sv[0], EV_READ | EV_ET | EV_PERSIST, cb, "et-read");
	lt = event_new(base, sv[0], EV_READ | EV_PERSIST, cb, "lt-read");
	etw = event_new(base, sv[0], EV_WRITE | EV_ET | EV_PERSIST, cb, "et-write");
	ltw = event_new(base, sv[0], EV_WRITE | EV_PERSIST, cb, "lt-write");
	turn = 1;
	event_add(et, NULL);
	if (write(sv[1], "abc", 3) != 3)
		return 1;
	loops(base, "et only", 3);
	event_add(lt, NULL); /* no registration change: nread 1 -> 2 */
	loops(base, "et+lt", 2);
	event_del(et);
	loops(base, "lt after del et", 2);
	event_add(et, NULL);
	event_del(lt);
	loops(base, "et after del lt", 2);
	event_add(etw, NULL); /* nwrite 0 -> 1 with EV_ET: MOD, ET, re-queues the ready fd */
	loops(base, "et+etw", 3);
	event_add(ltw, NULL);
	loops(base, "et+etw+ltw", 2);
	event_del(etw);
	loops(base, "et+ltw", 2);
	event_del(ltw); /* nwrite 1 -> 0, deleted event is LT: registration LT */
	loops(base, "et after del ltw", 3);
	if (write(sv[1], "d", 1) != 1)
		return 1;
	loops(base, "more data", 2);
	event_free(et);
	event_free(lt);
	event_free(etw);
	event_free(ltw);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

/* event_assign on caller-owned storage (stack, and a struct embedding struct
 * event) works like event_new; event_get_struct_event_size matches sizeof. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/event_struct.h>

struct conn {
	int id;
	struct event rd;
	struct event tm;
	int hits;
};

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	char buf[8];
	ssize_t n = read(fd, buf, sizeof buf);
	c->hits++;
	printf("conn %d read what=0x%02x n=%d\n", c->id, what, (int)n);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	(void)fd;
	c->hits++;
	printf("conn %d timer what=0x%02x\n", c->id, what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct event stack_ev;
	struct conn c = {42, {{{0}}}, {{{0}}}, 0};
	struct timeval t10 = {0, 10000};
	int sv[2];

	printf("struct event size matches: %d\n",
	    event_get_struct_event_size() == sizeof(struct event));
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	printf("assign rd=%d\n", event_assign(&c.rd, base, sv[0], EV_READ, on_read, &c));
	printf("assign tm=%d\n", evtimer_assign(&c.tm, base, on_timer, &c));
	printf("assign stack=%d\n", event_assign(&stack_ev, base, -1, 0, on_timer, &c));
	printf("initialized: %d %d %d\n", event_initialized(&c.rd), event_initialized(&c.tm),
	    event_initialized(&stack_ev));
	event_add(&c.rd, NULL);
	evtimer_add(&c.tm, &t10);
	event_active(&stack_ev, EV_WRITE, 0);
	if (write(sv[1], "hello", 5) != 5)
		return 1;
	int r = event_base_dispatch(base);
	printf("dispatch=%d hits=%d\n", r, c.hits);

	/* re-assign a non-pending event to different parameters */
	printf("reassign=%d\n", event_assign(&c.rd, base, sv[0], EV_WRITE, on_read, &c));
	printf("events now=0x%02x\n", event_get_events(&c.rd));
	event_active(&c.rd, EV_WRITE, 0);
	event_base_loop(base, EVLOOP_NONBLOCK);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

/* A level-triggered persistent read event keeps firing while unread data remains. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static int calls;
static struct event_base *base;

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	char c;
	ssize_t n = read(fd, &c, 1); /* one byte per callback */
	(void)arg;
	calls++;
	printf("call %d what=0x%02x got=%c n=%d\n", calls, what, n == 1 ? c : '?', (int)n);
	if (calls == 5)
		event_base_loopbreak(base);
}

int main(void)
{
	int sv[2];
	struct event *ev;
	int r;

	base = event_base_new();
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	ev = event_new(base, sv[0], EV_READ | EV_PERSIST, on_read, NULL);
	event_add(ev, NULL);
	if (write(sv[1], "abcdefgh", 8) != 8)
		return 1;
	r = event_base_dispatch(base);
	printf("dispatch=%d calls=%d got_break=%d\n", r, calls, event_base_got_break(base));

	/* 3 bytes are left: EVLOOP_NONBLOCK keeps looping while callbacks keep becoming
	 * active, so the first nonblocking loop drains them all; later ones run nothing */
	for (int i = 0; i < 4; i++) {
		r = event_base_loop(base, EVLOOP_NONBLOCK);
		printf("nonblock loop %d: r=%d calls=%d\n", i, r, calls);
	}
	event_free(ev);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

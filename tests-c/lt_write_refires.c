/* A persistent write event on an always-writable socket fires on every loop turn, beside
 * a read event on the same fd that only fires when data arrives. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static int turn;

static void on_write(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)arg;
	printf("  turn %d: write what=0x%02x\n", turn, what);
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	char c;
	(void)arg;
	printf("  turn %d: read what=0x%02x n=%d\n", turn, what, (int)read(fd, &c, 1));
}

int main(void)
{
	int sv[2];
	struct event_base *base = event_base_new();
	struct event *w, *r;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	w = event_new(base, sv[0], EV_WRITE | EV_PERSIST, on_write, NULL);
	r = event_new(base, sv[0], EV_READ | EV_PERSIST, on_read, NULL);
	event_add(w, NULL);
	event_add(r, NULL);
	for (turn = 1; turn <= 6; turn++) {
		if (turn == 3 && write(sv[1], "ab", 2) != 2)
			return 1;
		printf("turn %d: r=%d\n", turn, event_base_loop(base, EVLOOP_ONCE));
	}
	event_del(w);
	for (; turn <= 8; turn++) {
		if (turn == 7 && write(sv[1], "c", 1) != 1)
			return 1;
		printf("turn %d: r=%d\n", turn, event_base_loop(base, EVLOOP_NONBLOCK));
	}
	event_free(w);
	event_free(r);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

/* Callback order over several turns when level-triggered fds stay readable (re-queued by
 * the kernel behind what it reported) and other fds become readable meanwhile. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

#define N 5
static int sv[N][2];
static struct event *ev[N];
static int turn;

static void put(int k)
{
	if (write(sv[k][1], "x", 1) != 1)
		printf("write failed\n");
}

static void drain(int k)
{
	char buf[64];
	while (read(sv[k][0], buf, sizeof(buf)) > 0)
		;
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	int k = (int)(long)arg;
	(void)fd;
	printf("  turn %d: fd%d what=0x%02x\n", turn, k, what);
	if (turn == 1 && k == 0) {
		put(3);
		put(1);
	}
	if (turn == 2 && k == 2)
		drain(2);
	if (turn == 3 && k == 0)
		put(2);
	if (turn == 3 && k == 3)
		put(0); /* already ready: keeps its place */
	if (turn == 4 && k == 1) {
		/* re-adding a ready fd queues it anew, at the tail */
		event_del(ev[0]);
		event_add(ev[0], NULL);
		put(4);
	}
	if (turn == 5 && k == 3) {
		drain(3);
		drain(1);
	}
}

int main(void)
{
	struct event_base *base = event_base_new();
	for (int k = 0; k < N; k++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv[k]) < 0)
			return 1;
		fcntl(sv[k][0], F_SETFL, O_NONBLOCK);
		ev[k] = event_new(base, sv[k][0], EV_READ | EV_PERSIST, on_read, (void *)(long)k);
		event_add(ev[k], NULL);
	}
	put(2);
	put(0);
	for (turn = 1; turn <= 7; turn++) {
		int r = event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		printf("turn %d: r=%d\n", turn, r);
	}
	for (int k = 0; k < N; k++) {
		event_free(ev[k]);
		close(sv[k][0]);
		close(sv[k][1]);
	}
	event_base_free(base);
	return 0;
}

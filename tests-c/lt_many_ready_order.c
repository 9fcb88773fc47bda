/* More level-triggered fds stay readable than one epoll_wait batch returns (libevent starts
 * with 32): which fds fire in which turn, in which order. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

#define N 80
static int sv[N][2];
static int turn;

static void put(int k)
{
	if (write(sv[k][1], "x", 1) != 1)
		printf("write failed\n");
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	int k = (int)(long)arg;
	(void)fd; (void)what;
	printf(" %d", k);
	if (turn == 1 && k % 10 == 3)
		put(N - 1 - k / 10); /* new edges during the turn */
	if (turn == 3 && k % 7 == 0) {
		char c;
		if (read(sv[k][0], &c, 1) != 1)
			printf("read failed\n");
	}
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct event *ev[N];
	for (int k = 0; k < N; k++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv[k]) < 0)
			return 1;
		fcntl(sv[k][0], F_SETFL, O_NONBLOCK);
		ev[k] = event_new(base, sv[k][0], EV_READ | EV_PERSIST, on_read, (void *)(long)k);
		event_add(ev[k], NULL);
	}
	for (int j = 0; j < 60; j++)
		put((j * 37) % 60);
	for (turn = 1; turn <= 6; turn++) {
		printf("turn %d:", turn);
		int r = event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		printf("\nr=%d\n", r);
	}
	for (int k = 0; k < N; k++) {
		event_free(ev[k]);
		close(sv[k][0]);
		close(sv[k][1]);
	}
	event_base_free(base);
	return 0;
}

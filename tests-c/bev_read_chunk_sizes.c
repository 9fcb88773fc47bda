/* A socket bufferevent reads once per readiness and at most 4096 bytes per read when
 * more is waiting, so 10000 bytes already in the socket arrive as read callbacks of
 * 4096, 4096 and 1808 bytes, one per loop turn. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int calls;

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	(void)arg;
	calls++;
	printf(" %d", (int)evbuffer_get_length(in));
	evbuffer_drain(in, evbuffer_get_length(in));
}

int main(void)
{
	struct event_base *base = event_base_new();
	char data[10000] = {0};
	int sv[2], turns = 0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_enable(bev, EV_READ);
	if (write(sv[1], data, sizeof data) != (ssize_t)sizeof data)
		return 1;
	printf("read callbacks:");
	while (calls < 3 && turns < 10) {
		event_base_loop(base, EVLOOP_ONCE);
		turns++;
	}
	printf("\nloop turns: %d\n", turns);
	bufferevent_free(bev);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

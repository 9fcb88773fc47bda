/* The write callback runs after a write leaves the output at or below the write low
 * watermark (default 0: only once it is empty). max_single_write 100 makes each write
 * event send 100 bytes, so 1000 bytes take 10 writes: with low watermark 300 the write
 * callback sees 300, 200, 100 and 0 bytes left; with the default only 0. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static char data[1000];

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	printf(" writecb(output=%d)", (int)evbuffer_get_length(bufferevent_get_output(bev)));
}

static void run(size_t low)
{
	struct event_base *base = event_base_new();
	int sv[2];
	char sink[2000];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, writecb, NULL, NULL);
	bufferevent_set_max_single_write(bev, 100);
	if (low)
		bufferevent_setwatermark(bev, EV_WRITE, low, 0);
	bufferevent_write(bev, data, sizeof data);
	printf("low watermark %d:", (int)low);
	event_base_dispatch(base);
	printf("\n  peer received %d bytes\n", (int)recv(sv[1], sink, sizeof sink, MSG_DONTWAIT));
	bufferevent_free(bev);
	close(sv[1]);
	event_base_free(base);
}

int main(void)
{
	run(0);
	run(300);
	run(1000);
	return 0;
}

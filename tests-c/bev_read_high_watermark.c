/* A read high watermark limits how much is read: each read stops at the watermark,
 * and once the input holds `high` bytes reading is suspended (the read event is
 * removed while EV_READ stays enabled). Draining the input below the watermark resumes
 * reading at once, from the evbuffer callback, without waiting for the loop. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static int calls;

static void show(struct bufferevent *bev, const char *when)
{
	printf("%s: input=%d enabled=0x%02x read pending=%d\n", when,
	    (int)evbuffer_get_length(bufferevent_get_input(bev)), bufferevent_get_enabled(bev),
	    event_pending(&bev->ev_read, EV_READ, NULL) != 0);
}

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	(void)arg;
	calls++;
	show(bev, "  readcb");
	evbuffer_drain(in, evbuffer_get_length(in));
	show(bev, "  drained in readcb");
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	char data[250] = {0};
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_setwatermark(bev, EV_READ, 0, 100);
	bufferevent_enable(bev, EV_READ);
	if (write(sv[1], data, sizeof data) != (ssize_t)sizeof data)
		return 1;
	printf("peer wrote 250 bytes, high watermark 100\n");
	while (calls < 3)
		event_base_loop(base, EVLOOP_ONCE);

	printf("without a read callback the input fills up to the watermark and stays there\n");
	bufferevent_setcb(bev, NULL, NULL, NULL, NULL);
	if (write(sv[1], data, sizeof data) != (ssize_t)sizeof data)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);
	show(bev, "after one turn");
	event_base_loop(base, EVLOOP_NONBLOCK);
	show(bev, "after another turn");
	evbuffer_drain(bufferevent_get_input(bev), 30);
	show(bev, "user drained 30 outside the loop");
	event_base_loop(base, EVLOOP_ONCE);
	show(bev, "after one turn");
	printf("raising the watermark resumes reading\n");
	bufferevent_setwatermark(bev, EV_READ, 0, 1000);
	show(bev, "high watermark 1000");
	event_base_loop(base, EVLOOP_ONCE);
	show(bev, "after one turn");
	printf("lowering it below the input suspends reading\n");
	bufferevent_setwatermark(bev, EV_READ, 0, 50);
	show(bev, "high watermark 50");
	printf("removing it (0) resumes\n");
	bufferevent_setwatermark(bev, EV_READ, 0, 0);
	show(bev, "high watermark 0");
	bufferevent_free(bev);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

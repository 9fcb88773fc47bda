/* Without a rate limit, bufferevent_set_max_single_read/write cap each read and write
 * (default 16384 each; 0 or a size above EV_SSIZE_MAX restores the default): 450 bytes
 * waiting are read as 100+100+100+100+50 in consecutive turns, 700 bytes are written as
 * 300+300+100. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	(void)arg;
	printf(" %d", (int)evbuffer_get_length(in));
	evbuffer_drain(in, evbuffer_get_length(in));
}

static void out_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	(void)buf;
	(void)arg;
	if (info->n_deleted)
		printf(" -%d", (int)info->n_deleted);
}

int main(void)
{
	struct event_base *base = event_base_new();
	char data[700] = {0}, sink[1000];
	int sv[2], i, r;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	printf("defaults: read %d write %d\n", (int)bufferevent_get_max_single_read(bev),
	    (int)bufferevent_get_max_single_write(bev));
	r = bufferevent_set_max_single_read(bev, 100);
	printf("set_max_single_read(100): %d -> %d\n", r, (int)bufferevent_get_max_single_read(bev));
	r = bufferevent_set_max_single_write(bev, 300);
	printf("set_max_single_write(300): %d -> %d\n", r, (int)bufferevent_get_max_single_write(bev));
	printf("max_to_read %d, max_to_write %d\n", (int)bufferevent_get_max_to_read(bev),
	    (int)bufferevent_get_max_to_write(bev));

	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_enable(bev, EV_READ);
	if (write(sv[1], data, 450) != 450)
		return 1;
	printf("reads:");
	for (i = 0; i < 5; i++)
		event_base_loop(base, EVLOOP_ONCE);
	printf("\n");
	bufferevent_disable(bev, EV_READ);
	evbuffer_add_cb(bufferevent_get_output(bev), out_cb, NULL);
	bufferevent_write(bev, data, 700);
	printf("writes:");
	event_base_dispatch(base);
	printf("\npeer received %d\n", (int)recv(sv[1], sink, sizeof sink, MSG_DONTWAIT));

	bufferevent_set_max_single_read(bev, 0);
	bufferevent_set_max_single_write(bev, (size_t)EV_SSIZE_MAX + 1);
	printf("after set(0) / set(EV_SSIZE_MAX + 1): read %d write %d\n", (int)bufferevent_get_max_single_read(bev),
	    (int)bufferevent_get_max_single_write(bev));
	bufferevent_set_max_single_read(bev, 1000000);
	printf("set_max_single_read(1000000) -> %d\n", (int)bufferevent_get_max_single_read(bev));
	bufferevent_free(bev);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

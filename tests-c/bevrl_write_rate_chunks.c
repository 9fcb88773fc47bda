/* A write rate limit of 200 bytes per 50 ms tick (burst 200): 700 bytes of output leave
 * in writes of 200, 200, 200 and 100 bytes (seen as the output buffer's deletions), and
 * the write callback runs once, when the output is empty. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int writecbs;

static void out_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	(void)buf;
	(void)arg;
	if (info->n_deleted)
		printf(" -%d", (int)info->n_deleted);
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	writecbs++;
	printf(" [writecb]");
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval tick = {0, 50000};
	char data[700] = {0}, sink[1000];
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(100000, 100000, 200, 200, &tick);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_set_rate_limit(bev, cfg);
	bufferevent_setcb(bev, NULL, writecb, NULL, NULL);
	evbuffer_add_cb(bufferevent_get_output(bev), out_cb, NULL);
	bufferevent_write(bev, data, sizeof data);
	printf("output changes:");
	event_base_dispatch(base);
	printf("\nwrite callbacks %d, peer received %d\n", writecbs, (int)recv(sv[1], sink, sizeof sink, MSG_DONTWAIT));
	bufferevent_free(bev);
	ev_token_bucket_cfg_free(cfg);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

/* Two members of a group limited to 200 bytes per 50 ms tick (burst 200), each with 400
 * bytes waiting: no single read takes more than the group bucket divided between the
 * members (100) or the min_share (64) when the bucket is low, so it takes at least 8
 * reads; everything arrives, and the group totals count it. Printed as counts and
 * booleans: which member reads when depends on timing. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int got[2], reads, biggest, done;

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	int *mine = arg, n = (int)evbuffer_get_length(in);
	reads++;
	if (n > biggest)
		biggest = n;
	*mine += n;
	evbuffer_drain(in, (size_t)n);
	if (*mine == 400) {
		bufferevent_disable(bev, EV_READ);
		if (++done == 2)
			event_base_loopexit(bufferevent_get_base(bev), NULL);
	}
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval tick = {0, 50000};
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(200, 200, 200, 200, &tick);
	struct bufferevent_rate_limit_group *g = bufferevent_rate_limit_group_new(base, cfg);
	struct bufferevent *b[2];
	char data[400] = {0};
	int i, sv[2][2];
	ev_uint64_t total_read = 0, total_written = 0;
	for (i = 0; i < 2; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i]) < 0)
			return 1;
		fcntl(sv[i][0], F_SETFL, O_NONBLOCK);
		b[i] = bufferevent_socket_new(base, sv[i][0], BEV_OPT_CLOSE_ON_FREE);
		bufferevent_setcb(b[i], readcb, NULL, NULL, &got[i]);
		bufferevent_add_to_rate_limit_group(b[i], g);
		bufferevent_enable(b[i], EV_READ);
		if (write(sv[i][1], data, sizeof data) != (ssize_t)sizeof data)
			return 1;
	}
	event_base_dispatch(base);
	bufferevent_rate_limit_group_get_totals(g, &total_read, &total_written);
	printf("member 0 got %d, member 1 got %d, group total read %d\n", got[0], got[1], (int)total_read);
	printf("largest single read <= 100: %s\n", biggest <= 100 ? "yes" : "no");
	printf("at least 8 reads: %s\n", reads >= 8 ? "yes" : "no");
	for (i = 0; i < 2; i++) {
		bufferevent_free(b[i]);
		close(sv[i][1]);
	}
	event_base_loop(base, EVLOOP_NONBLOCK);
	bufferevent_rate_limit_group_free(g);
	ev_token_bucket_cfg_free(cfg);
	event_base_free(base);
	return 0;
}

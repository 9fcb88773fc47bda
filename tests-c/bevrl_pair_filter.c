/* Rate limits apply where data is read from or written to a socket, as in libevent: a
 * pair or a filter bufferevent accepts a configuration (and a group) and reports its
 * bucket, but moves data unlimited and never spends from it (group totals stay 0). An
 * emptied bucket does suspend it (bufferevent_decrement_read_limit): the pair stops
 * receiving, the filter stops its underlying socket bufferevent, until the bucket is
 * positive again. A limit on a filter's underlying socket bufferevent does limit. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static int got;

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	(void)arg;
	got += (int)evbuffer_get_length(in);
	evbuffer_drain(in, evbuffer_get_length(in));
}

static void spin(struct event_base *base)
{
	int i;
	for (i = 0; i < 20; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval day = {86400, 0};
	struct ev_token_bucket_cfg *tiny = ev_token_bucket_cfg_new(10, 10, 10, 10, &day);
	struct ev_token_bucket_cfg *small = ev_token_bucket_cfg_new(100, 100, 100, 100, &day);
	struct bufferevent_rate_limit_group *g = bufferevent_rate_limit_group_new(base, tiny);
	struct bufferevent *pair[2], *u, *f;
	static char data[5000];
	ev_uint64_t tr = 99, tw = 99;
	int sv[2];

	bufferevent_pair_new(base, 0, pair);
	bufferevent_set_rate_limit(pair[0], tiny);
	bufferevent_set_rate_limit(pair[1], tiny);
	bufferevent_add_to_rate_limit_group(pair[0], g);
	bufferevent_add_to_rate_limit_group(pair[1], g);
	bufferevent_setcb(pair[1], readcb, NULL, NULL, NULL);
	bufferevent_enable(pair[1], EV_READ);
	bufferevent_write(pair[0], data, 1000);
	spin(base);
	bufferevent_rate_limit_group_get_totals(g, &tr, &tw);
	printf("pair: received %d; group totals %d %d; max_to_read %d, max_to_write %d\n", got, (int)tr, (int)tw,
	    (int)bufferevent_get_max_to_read(pair[1]), (int)bufferevent_get_max_to_write(pair[0]));
	printf("pair: buckets read %d write %d\n", (int)bufferevent_get_read_limit(pair[1]),
	    (int)bufferevent_get_write_limit(pair[0]));
	got = 0;
	bufferevent_decrement_read_limit(pair[1], 10);
	bufferevent_write(pair[0], data, 100);
	spin(base);
	printf("pair: reader's bucket emptied: received %d, output waiting %d\n", got,
	    (int)evbuffer_get_length(bufferevent_get_output(pair[0])));
	bufferevent_decrement_read_limit(pair[1], -5);
	spin(base);
	printf("pair: bucket back to 5: received %d\n", got);

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	u = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	f = bufferevent_filter_new(u, NULL, NULL, BEV_OPT_CLOSE_ON_FREE, NULL, NULL);
	bufferevent_set_rate_limit(f, tiny);
	bufferevent_setcb(f, readcb, NULL, NULL, NULL);
	bufferevent_enable(f, EV_READ);
	got = 0;
	if (write(sv[1], data, 5000) != 5000)
		return 1;
	spin(base);
	printf("filter: received %d\n", got);
	got = 0;
	bufferevent_decrement_read_limit(f, 10);
	if (write(sv[1], data, 100) != 100)
		return 1;
	spin(base);
	printf("filter: bucket emptied: received %d, underlying reading %d\n", got,
	    event_pending(&u->ev_read, EV_READ, NULL) != 0);
	bufferevent_decrement_read_limit(f, -1);
	spin(base);
	printf("filter: bucket back to 1: received %d, underlying reading %d\n", got,
	    event_pending(&u->ev_read, EV_READ, NULL) != 0);
	got = 0;
	bufferevent_set_rate_limit(u, small);
	if (write(sv[1], data, 1000) != 1000)
		return 1;
	spin(base);
	printf("filter over a limited socket: received %d, socket bucket %d\n", got,
	    (int)bufferevent_get_read_limit(u));

	bufferevent_free(f);
	bufferevent_free(pair[0]);
	bufferevent_free(pair[1]);
	close(sv[1]);
	event_base_loop(base, EVLOOP_NONBLOCK);
	bufferevent_rate_limit_group_free(g);
	ev_token_bucket_cfg_free(tiny);
	ev_token_bucket_cfg_free(small);
	event_base_free(base);
	return 0;
}

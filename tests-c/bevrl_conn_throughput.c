/* A socket bufferevent limited to 500 bytes per 50 ms tick each way (burst 500), with
 * far more to read and to write, moves about 500 bytes per tick in each direction, each
 * read and write at most one bucket, so about one read per refill. Run for 500 ms;
 * checked as booleans with wide margins (between 30% of the expected amount and the most
 * the bucket can allow). */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static long got, reads, largest_read, largest_write;

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	long n = (long)evbuffer_get_length(in);
	(void)arg;
	reads++;
	if (n > largest_read)
		largest_read = n;
	got += n;
	evbuffer_drain(in, (size_t)n);
}

static void out_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	(void)buf;
	(void)arg;
	if ((long)info->n_deleted > largest_write)
		largest_write = (long)info->n_deleted;
}

int main(void)
{
	static char data[20000];
	struct event_base *base = event_base_new();
	struct timeval tick = {0, 50000}, run = {0, 500000}, t0, t1, d;
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(500, 500, 500, 500, &tick);
	struct bufferevent *bev;
	long ms, ticks, sent;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_set_rate_limit(bev, cfg);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	evbuffer_add_cb(bufferevent_get_output(bev), out_cb, NULL);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	if (write(sv[1], data, sizeof data) != (ssize_t)sizeof data)
		return 1;
	bufferevent_write(bev, data, sizeof data);
	gettimeofday(&t0, NULL);
	event_base_loopexit(base, &run);
	event_base_dispatch(base);
	gettimeofday(&t1, NULL);
	timersub(&t1, &t0, &d);
	ms = d.tv_sec * 1000 + d.tv_usec / 1000;
	ticks = ms / 50;
	sent = (long)sizeof data - (long)evbuffer_get_length(bufferevent_get_output(bev));

	printf("read at least 30%% of 500 per tick: %d\n", got * 10 >= ticks * 500 * 3);
	printf("read at most what the bucket allows: %d\n", got <= 500 * (ticks + 2));
	printf("wrote at least 30%% of 500 per tick: %d\n", sent * 10 >= ticks * 500 * 3);
	printf("wrote at most what the bucket allows: %d\n", sent <= 500 * (ticks + 2));
	printf("largest read <= 500: %d, largest write <= 500: %d\n", largest_read <= 500, largest_write <= 500);
	printf("one read per refill (bucket emptied each time): %d\n", reads >= ticks / 2 && reads <= ticks + 2);

	bufferevent_free(bev);
	close(sv[1]);
	event_base_loop(base, EVLOOP_NONBLOCK);
	ev_token_bucket_cfg_free(cfg);
	event_base_free(base);
	return 0;
}

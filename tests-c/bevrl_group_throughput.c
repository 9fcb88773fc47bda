/* A group limited to 1000 bytes per 50 ms tick each way (burst 1000), with three
 * thread-safe socket members that have far more to read and to write, moves about
 * 1000 bytes per tick in each direction, shared between the members: every member gets
 * a fair part (no read or write above a third of the bucket), and the group's totals
 * are the sum of what the members moved. Run for 500 ms; the rates are checked as
 * booleans with wide margins (between 30% of the expected amount and the most the
 * buckets can allow). */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/thread.h>

#define N 3
#define AMOUNT 60000

static long got[N], largest_read, largest_write;

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	long *mine = arg, n = (long)evbuffer_get_length(in);
	if (n > largest_read)
		largest_read = n;
	*mine += n;
	evbuffer_drain(in, (size_t)n);
}

static void out_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	(void)buf;
	(void)arg;
	if ((long)info->n_deleted > largest_write)
		largest_write = (long)info->n_deleted;
}

static void verdict(const char *what, long total, long sum, long ms, long per_member[N])
{
	long ticks = ms / 50, i, fair = 1;
	for (i = 0; i < N; i++)
		if (per_member[i] * 10 < total)
			fair = 0;
	printf("%s: group total = sum of members: %d\n", what, total == sum);
	printf("%s: at least 30%% of 1000 per tick: %d\n", what, total * 10 >= ticks * 1000 * 3);
	printf("%s: at most what the buckets allow: %d\n", what, total <= 1000 * (ticks + 2) + 64 * N);
	printf("%s: every member moved at least a tenth: %d\n", what, fair);
}

int main(void)
{
	static char data[AMOUNT];
	struct event_base *base;
	struct timeval tick = {0, 50000}, run = {0, 500000}, t0, t1, d;
	struct ev_token_bucket_cfg *cfg;
	struct bufferevent_rate_limit_group *g;
	struct bufferevent *b[N];
	long sent[N], sum_read = 0, sum_sent = 0, ms;
	ev_uint64_t total_read, total_written;
	int i, sv[2], peer[N];

	evthread_use_pthreads();
	base = event_base_new();
	cfg = ev_token_bucket_cfg_new(1000, 1000, 1000, 1000, &tick);
	g = bufferevent_rate_limit_group_new(base, cfg);
	for (i = 0; i < N; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			return 1;
		fcntl(sv[0], F_SETFL, O_NONBLOCK);
		peer[i] = sv[1];
		b[i] = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE | BEV_OPT_THREADSAFE);
		bufferevent_setcb(b[i], readcb, NULL, NULL, &got[i]);
		evbuffer_add_cb(bufferevent_get_output(b[i]), out_cb, NULL);
		bufferevent_add_to_rate_limit_group(b[i], g);
		bufferevent_enable(b[i], EV_READ | EV_WRITE);
		if (write(peer[i], data, 20000) != 20000)
			return 1;
		bufferevent_write(b[i], data, 20000);
	}
	gettimeofday(&t0, NULL);
	event_base_loopexit(base, &run);
	event_base_dispatch(base);
	gettimeofday(&t1, NULL);
	timersub(&t1, &t0, &d);
	ms = d.tv_sec * 1000 + d.tv_usec / 1000;

	bufferevent_rate_limit_group_get_totals(g, &total_read, &total_written);
	for (i = 0; i < N; i++) {
		sum_read += got[i];
		sent[i] = 20000 - (long)evbuffer_get_length(bufferevent_get_output(b[i]));
		sum_sent += sent[i];
	}
	verdict("read", (long)total_read, sum_read, ms, got);
	verdict("write", (long)total_written, sum_sent, ms, sent);
	printf("largest read <= 333: %d, largest write <= 333: %d\n", largest_read <= 333, largest_write <= 333);

	for (i = 0; i < N; i++) {
		bufferevent_free(b[i]);
		close(peer[i]);
	}
	event_base_loop(base, EVLOOP_NONBLOCK);
	bufferevent_rate_limit_group_free(g);
	ev_token_bucket_cfg_free(cfg);
	event_base_free(base);
	return 0;
}

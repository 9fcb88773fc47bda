/* Buckets refill by `rate` per tick (50 ms here) up to the burst. A bufferevent's bucket
 * (read and write together) is refilled lazily when asked (bufferevent_get_read/write_limit,
 * also outside the loop) and by its refill timer, which runs one tick after the bucket emptied and again every
 * tick while it is still empty: driven to -350 with a rate of 100, reading resumes only
 * after about four ticks, then reads what had waited. A group's bucket is refilled only
 * by the group's timer, every tick while the loop runs, never when asked. Timing facts
 * are printed as booleans with wide margins. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static struct bufferevent *bev;
static struct timeval t0;
static long resumed_ms = -1, first_read_ms = -1;
static int got;

static long ms_since(const struct timeval *t)
{
	struct timeval now, d;
	gettimeofday(&now, NULL);
	timersub(&now, t, &d);
	return d.tv_sec * 1000 + d.tv_usec / 1000;
}

static void readcb(struct bufferevent *b, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(b);
	(void)arg;
	if (first_read_ms < 0)
		first_read_ms = ms_since(&t0);
	if (resumed_ms < 0)
		resumed_ms = first_read_ms;
	got += (int)evbuffer_get_length(in);
	evbuffer_drain(in, evbuffer_get_length(in));
}

static void check(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (resumed_ms < 0 && event_pending(&bev->ev_read, EV_READ, NULL))
		resumed_ms = ms_since(&t0);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval tick = {0, 50000}, every = {0, 10000}, run = {0, 600000};
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(100, 300, 100, 100, &tick);
	struct ev_token_bucket_cfg *gcfg = ev_token_bucket_cfg_new(100, 250, 100, 250, &tick);
	struct bufferevent_rate_limit_group *g = bufferevent_rate_limit_group_new(base, gcfg);
	struct event *checker = event_new(base, -1, EV_PERSIST, check, NULL);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_enable(bev, EV_READ);
	bufferevent_set_rate_limit(bev, cfg);

	bufferevent_decrement_write_limit(bev, 100);
	bufferevent_rate_limit_group_decrement_read(g, 100);
	printf("emptied: group read limit %d\n", (int)bufferevent_rate_limit_group_get_read_limit(g));
	usleep(120000);
	printf("120 ms later, loop not running: own write limit %d, group read limit %d\n",
	    (int)bufferevent_get_write_limit(bev), (int)bufferevent_rate_limit_group_get_read_limit(g));

	printf("the same lazy refill filled the read bucket to its burst: %d\n", (int)bufferevent_get_read_limit(bev));
	bufferevent_decrement_read_limit(bev, 650);
	printf("own read bucket driven to -350: reading pending %d\n", event_pending(&bev->ev_read, EV_READ, NULL) != 0);
	if (write(sv[1], "0123456789012345678901234567890123456789012345678", 50) != 50)
		return 1;
	gettimeofday(&t0, NULL);
	event_add(checker, &every);
	event_base_loopexit(base, &run);
	event_base_dispatch(base);

	printf("reading resumed: %d\n", resumed_ms >= 0);
	printf("resumed after at least 100 ms: %d\n", resumed_ms >= 100);
	printf("resumed within 1 s: %d\n", resumed_ms >= 0 && resumed_ms < 1000);
	printf("first read at least 100 ms after the deficit: %d, read in all: %d\n", first_read_ms >= 100, got);
	printf("after the loop: own read limit %d (burst), group read %d write %d (burst)\n",
	    (int)bufferevent_get_read_limit(bev), (int)bufferevent_rate_limit_group_get_read_limit(g),
	    (int)bufferevent_rate_limit_group_get_write_limit(g));

	event_free(checker);
	bufferevent_free(bev);
	close(sv[1]);
	event_base_loop(base, EVLOOP_NONBLOCK);
	bufferevent_rate_limit_group_free(g);
	ev_token_bucket_cfg_free(cfg);
	ev_token_bucket_cfg_free(gcfg);
	event_base_free(base);
	return 0;
}

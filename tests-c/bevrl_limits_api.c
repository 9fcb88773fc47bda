/* The per-bufferevent bucket, with a one-day tick so it never refills during the test:
 * it starts at the *rate* (not the burst); get_read_limit/get_write_limit report it
 * (EV_SSIZE_MAX without a limit); get_max_to_read/write report the bucket clamped at 0,
 * and max_single_read/write only apply when there is no bucket;
 * bufferevent_decrement_read/write_limit may drive it negative, which suspends reading
 * or writing (the event is removed while the flag stays enabled) until it is positive
 * again. Removing the rate limit lifts the suspension. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static const char *num(ev_ssize_t v)
{
	static char bufs[4][24];
	static int i;
	char *b = bufs[i++ % 4];
	if (v == EV_SSIZE_MAX)
		snprintf(b, 24, "SSIZE_MAX");
	else
		snprintf(b, 24, "%ld", (long)v);
	return b;
}

static void show(struct bufferevent *bev, const char *when)
{
	printf("%-30s read limit %9s max %5s pending %d | write limit %9s max %5s pending %d\n", when,
	    num(bufferevent_get_read_limit(bev)), num(bufferevent_get_max_to_read(bev)),
	    event_pending(&bev->ev_read, EV_READ, NULL) != 0, num(bufferevent_get_write_limit(bev)),
	    num(bufferevent_get_max_to_write(bev)), event_pending(&bev->ev_write, EV_WRITE, NULL) != 0);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval day = {86400, 0};
	int sv[2], r;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(1000, 5000, 30000, 60000, &day);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_enable(bev, EV_READ);
	bufferevent_write(bev, "x", 1);
	show(bev, "no rate limit");
	r = bufferevent_set_rate_limit(bev, cfg);
	printf("set_rate_limit: %d\n", r);
	show(bev, "rate limit set");
	r = bufferevent_decrement_read_limit(bev, 300);
	show(bev, "decrement_read_limit(300)");
	r = bufferevent_decrement_read_limit(bev, 700);
	printf("returned %d\n", r);
	show(bev, "decrement_read_limit(700): 0");
	bufferevent_decrement_read_limit(bev, 50);
	show(bev, "decrement_read_limit(50): -50");
	bufferevent_decrement_read_limit(bev, -60);
	show(bev, "decrement_read_limit(-60): 10");
	bufferevent_decrement_write_limit(bev, 40000);
	show(bev, "decrement_write_limit(40000)");
	printf("enabled flags stay 0x%02x\n", bufferevent_get_enabled(bev));
	bufferevent_set_max_single_read(bev, 4);
	show(bev, "max_single_read 4");
	bufferevent_set_rate_limit(bev, NULL);
	show(bev, "rate limit removed");
	bufferevent_free(bev);
	ev_token_bucket_cfg_free(cfg);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

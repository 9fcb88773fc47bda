/* A socket bufferevent made with fd -1: no fd, only EV_WRITE enabled, no underlying
 * bufferevent, the base's middle priority, zero watermarks and timeouts, the default
 * 16384-byte single read/write limits and no rate limit. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

int main(void)
{
	struct event_base *base = event_base_new();
	event_base_priority_init(base, 5);
	struct bufferevent *bev = bufferevent_socket_new(base, -1, 0);
	size_t lo = 99, hi = 99;
	int r;

	printf("created: %d\n", bev != NULL);
	printf("getfd: %d\n", (int)bufferevent_getfd(bev));
	printf("enabled: 0x%02x\n", bufferevent_get_enabled(bev));
	printf("underlying is NULL: %d\n", bufferevent_get_underlying(bev) == NULL);
	printf("pair partner is NULL: %d\n", bufferevent_pair_get_partner(bev) == NULL);
	printf("get_base is base: %d\n", bufferevent_get_base(bev) == base);
	printf("priority: %d\n", bufferevent_get_priority(bev));
	printf("input/output distinct: %d\n",
	    bufferevent_get_input(bev) != NULL && bufferevent_get_output(bev) != NULL &&
	    bufferevent_get_input(bev) != bufferevent_get_output(bev));
	printf("input/output empty: %d %d\n", (int)evbuffer_get_length(bufferevent_get_input(bev)),
	    (int)evbuffer_get_length(bufferevent_get_output(bev)));
	r = bufferevent_getwatermark(bev, EV_READ, &lo, &hi);
	printf("read watermarks: r=%d low=%d high=%d\n", r, (int)lo, (int)hi);
	lo = hi = 99;
	r = bufferevent_getwatermark(bev, EV_WRITE, &lo, &hi);
	printf("write watermarks: r=%d low=%d high=%d\n", r, (int)lo, (int)hi);
	printf("timeouts set: read %d write %d\n", evutil_timerisset(&bev->timeout_read) != 0,
	    evutil_timerisset(&bev->timeout_write) != 0);
	printf("max_single_read: %d\n", (int)bufferevent_get_max_single_read(bev));
	printf("max_single_write: %d\n", (int)bufferevent_get_max_single_write(bev));
	printf("max_to_read: %d\n", (int)bufferevent_get_max_to_read(bev));
	printf("max_to_write: %d\n", (int)bufferevent_get_max_to_write(bev));
	printf("read_limit is EV_SSIZE_MAX: %d\n", bufferevent_get_read_limit(bev) == EV_SSIZE_MAX);
	printf("write_limit is EV_SSIZE_MAX: %d\n", bufferevent_get_write_limit(bev) == EV_SSIZE_MAX);
	printf("token bucket cfg is NULL: %d\n", bufferevent_get_token_bucket_cfg(bev) == NULL);
	printf("ev_read pending: %d, ev_write pending: %d\n",
	    event_pending(&bev->ev_read, EV_READ | EV_WRITE | EV_TIMEOUT, NULL) != 0,
	    event_pending(&bev->ev_write, EV_READ | EV_WRITE | EV_TIMEOUT, NULL) != 0);
	printf("events in base: %d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));

	bufferevent_free(bev);
	event_base_free(base);
	printf("done\n");
	return 0;
}

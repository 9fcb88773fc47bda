/* bufferevent_filter_new with NULL filters (identity) over one end of a pair: bytes
 * written to the filter reach the far end of the pair, bytes from the far end reach the
 * filter's read callback once the filter enables EV_READ (a new filter has only EV_WRITE,
 * like every bufferevent). get_underlying returns the pair end; the filter has no fd. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static void readcb(struct bufferevent *bev, void *arg)
{
	char buf[64];
	size_t n = bufferevent_read(bev, buf, sizeof buf);
	printf("  %s readcb \"%.*s\"\n", (const char *)arg, (int)n, buf);
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	printf("  %s writecb\n", (const char *)arg);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct bufferevent *p[2];
	bufferevent_pair_new(base, 0, p);
	struct bufferevent *f = bufferevent_filter_new(p[0], NULL, NULL, 0, NULL, NULL);
	printf("filter: %d, underlying is the pair end %d, getfd %d, enabled 0x%02x, base ok %d\n", f != NULL,
	    bufferevent_get_underlying(f) == p[0], (int)bufferevent_getfd(f), bufferevent_get_enabled(f),
	    bufferevent_get_base(f) == base);
	printf("pair end's underlying NULL %d\n", bufferevent_get_underlying(p[0]) == NULL);
	bufferevent_setcb(f, readcb, writecb, NULL, "filter");
	bufferevent_setcb(p[1], readcb, writecb, NULL, "far end");
	bufferevent_enable(p[1], EV_READ);
	bufferevent_write(f, "down through the filter", 23);
	printf("wrote to the filter: filter output %d, far end input %d\n",
	    (int)evbuffer_get_length(bufferevent_get_output(f)), (int)evbuffer_get_length(bufferevent_get_input(p[1])));
	event_base_loop(base, EVLOOP_NONBLOCK);
	bufferevent_write(p[1], "up", 2);
	printf("far end wrote, filter not reading: filter input %d\n", (int)evbuffer_get_length(bufferevent_get_input(f)));
	event_base_loop(base, EVLOOP_NONBLOCK);
	bufferevent_enable(f, EV_READ);
	printf("filter enabled EV_READ: filter input %d\n", (int)evbuffer_get_length(bufferevent_get_input(f)));
	event_base_loop(base, EVLOOP_NONBLOCK);
	bufferevent_free(f);
	bufferevent_free(p[0]);
	bufferevent_free(p[1]);
	event_base_free(base);
	return 0;
}

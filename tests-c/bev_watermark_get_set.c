/* bufferevent_setwatermark/getwatermark: EV_READ|EV_WRITE sets both pairs; getwatermark
 * answers only for exactly EV_READ or EV_WRITE (-1 otherwise) and accepts NULL outputs.
 * A write high watermark does not limit bufferevent_write on a socket bufferevent. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static void show(struct bufferevent *bev)
{
	size_t lo = 7777, hi = 7777;
	int r = bufferevent_getwatermark(bev, EV_READ, &lo, &hi);
	printf("  read: r=%d %d/%d", r, (int)lo, (int)hi);
	lo = hi = 7777;
	r = bufferevent_getwatermark(bev, EV_WRITE, &lo, &hi);
	printf("  write: r=%d %d/%d", r, (int)lo, (int)hi);
	lo = hi = 7777;
	r = bufferevent_getwatermark(bev, EV_READ | EV_WRITE, &lo, &hi);
	printf("  both: r=%d %d/%d", r, (int)lo, (int)hi);
	printf("  struct: read %d/%d write %d/%d\n", (int)bev->wm_read.low, (int)bev->wm_read.high,
	    (int)bev->wm_write.low, (int)bev->wm_write.high);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, -1, 0);
	char data[100] = {0};
	size_t lo = 0;
	int r;

	printf("new:\n");
	show(bev);
	bufferevent_setwatermark(bev, EV_READ, 5, 50);
	printf("set EV_READ 5/50:\n");
	show(bev);
	bufferevent_setwatermark(bev, EV_WRITE, 6, 60);
	printf("set EV_WRITE 6/60:\n");
	show(bev);
	bufferevent_setwatermark(bev, EV_READ | EV_WRITE, 1, 2);
	printf("set EV_READ|EV_WRITE 1/2:\n");
	show(bev);
	bufferevent_setwatermark(bev, 0, 9, 9);
	printf("set events 0 9/9 (nothing):\n");
	show(bev);
	bufferevent_setwatermark(bev, EV_READ, 100, 10);
	printf("set EV_READ low 100 > high 10 (accepted as is):\n");
	show(bev);
	r = bufferevent_getwatermark(bev, EV_WRITE, NULL, NULL);
	printf("getwatermark with NULL outputs: %d\n", r);
	r = bufferevent_getwatermark(bev, EV_READ, &lo, NULL);
	printf("getwatermark low only: %d low=%d\n", r, (int)lo);

	bufferevent_setwatermark(bev, EV_WRITE, 0, 10);
	r = bufferevent_write(bev, data, sizeof data);
	printf("write 100 with write high watermark 10: %d, output %d\n", r,
	    (int)evbuffer_get_length(bufferevent_get_output(bev)));
	bufferevent_free(bev);
	event_base_free(base);
	return 0;
}

/* A read rate limit of 100 bytes per 50 ms tick (burst 100): with 450 bytes waiting in
 * the socket, each read takes exactly what the bucket holds, so the read callback sees
 * 100, 100, 100, 100 and 50 bytes; between reads the bucket is empty, reading is
 * suspended and a refill timer brings it back one tick later. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static int total, calls, suspended_after_full;

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	int n = (int)evbuffer_get_length(in);
	(void)arg;
	calls++;
	total += n;
	printf(" %d", n);
	if (n == 100 && !event_pending(&bev->ev_read, EV_READ, NULL))
		suspended_after_full++;
	evbuffer_drain(in, (size_t)n);
	if (total == 450)
		bufferevent_disable(bev, EV_READ);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval tick = {0, 50000};
	char data[450] = {0};
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(100, 100, 100000, 100000, &tick);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_set_rate_limit(bev, cfg);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_enable(bev, EV_READ);
	if (write(sv[1], data, sizeof data) != (ssize_t)sizeof data)
		return 1;
	printf("read callbacks:");
	event_base_dispatch(base);
	printf("\ncalls %d, total %d, reading suspended after each full bucket: %d of 4\n", calls, total,
	    suspended_after_full);
	bufferevent_free(bev);
	ev_token_bucket_cfg_free(cfg);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

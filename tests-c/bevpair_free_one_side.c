/* bufferevent_pair_get_partner returns the other end (NULL for a non-pair). Freeing one
 * end unlinks the pair at once: the survivor's partner becomes NULL and it gets no
 * event callback at all (no EOF); what it writes afterwards just stays in its output,
 * data already delivered to it stays readable, and bufferevent_flush on it fails. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int cbs;

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	cbs++;
	printf("  readcb\n");
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	cbs++;
	printf("  writecb\n");
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)arg;
	cbs++;
	printf("  eventcb 0x%02x\n", what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct bufferevent *p[2];
	bufferevent_pair_new(base, 0, p);
	struct bufferevent *sock = bufferevent_socket_new(base, -1, 0);
	printf("partner of A is B %d, of B is A %d, of a socket bufferevent NULL %d\n",
	    bufferevent_pair_get_partner(p[0]) == p[1], bufferevent_pair_get_partner(p[1]) == p[0],
	    bufferevent_pair_get_partner(sock) == NULL);
	bufferevent_free(sock);
	bufferevent_setcb(p[1], readcb, writecb, eventcb, NULL);
	bufferevent_enable(p[1], EV_READ);
	bufferevent_write(p[0], "delivered", 9);
	bufferevent_free(p[0]);
	printf("A freed: B's partner NULL %d, B input %d\n",
	    bufferevent_pair_get_partner(p[1]) == NULL, (int)evbuffer_get_length(bufferevent_get_input(p[1])));
	printf("loop:\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	int r = bufferevent_write(p[1], "to nobody", 9);
	printf("B writes: %d, B output %d\n", r, (int)evbuffer_get_length(bufferevent_get_output(p[1])));
	r = bufferevent_flush(p[1], EV_WRITE, BEV_FINISHED);
	printf("B flush(BEV_FINISHED): %d\n", r);
	printf("loop:\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("callbacks on B: %d, B enabled 0x%02x\n", cbs, bufferevent_get_enabled(p[1]));
	bufferevent_free(p[1]);
	event_base_free(base);
	return 0;
}

/* A bufferevent pair moves data synchronously: bufferevent_write on one side puts the
 * bytes into the partner's input inside the call (when the partner is reading), but the
 * callbacks are always deferred (pairs force BEV_OPT_DEFER_CALLBACKS) and run from the
 * loop: the receiver's read callback first, then the sender's write callback. Data
 * written while the partner does not read stays in the sender's output until the
 * partner enables EV_READ. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static struct bufferevent *p[2];

static const char *name(struct bufferevent *bev)
{
	return bev == p[0] ? "A" : bev == p[1] ? "B" : "?";
}

static void readcb(struct bufferevent *bev, void *arg)
{
	char buf[64];
	size_t n = bufferevent_read(bev, buf, sizeof buf);
	(void)arg;
	printf("  %s readcb \"%.*s\"\n", name(bev), (int)n, buf);
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	printf("  %s writecb (output %d)\n", name(bev), (int)evbuffer_get_length(bufferevent_get_output(bev)));
}

static void show(const char *when)
{
	printf("%s: A in/out %d/%d, B in/out %d/%d\n", when, (int)evbuffer_get_length(bufferevent_get_input(p[0])),
	    (int)evbuffer_get_length(bufferevent_get_output(p[0])), (int)evbuffer_get_length(bufferevent_get_input(p[1])),
	    (int)evbuffer_get_length(bufferevent_get_output(p[1])));
}

int main(void)
{
	struct event_base *base = event_base_new();
	int r = bufferevent_pair_new(base, 0, p);
	printf("pair_new: %d, enabled A 0x%02x B 0x%02x\n", r, bufferevent_get_enabled(p[0]),
	    bufferevent_get_enabled(p[1]));
	bufferevent_setcb(p[0], readcb, writecb, NULL, NULL);
	bufferevent_setcb(p[1], readcb, writecb, NULL, NULL);
	bufferevent_write(p[0], "hello B", 7);
	show("A wrote, B not reading");
	bufferevent_enable(p[1], EV_READ);
	show("B enabled EV_READ");
	printf("loop:\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	bufferevent_enable(p[0], EV_READ);
	bufferevent_write(p[1], "hello A", 7);
	show("both reading, B wrote");
	bufferevent_write(p[0], "again", 5);
	show("A wrote");
	printf("loop:\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	bufferevent_disable(p[0], EV_WRITE);
	bufferevent_write(p[0], "held", 4);
	show("A disabled EV_WRITE and wrote");
	bufferevent_enable(p[0], EV_WRITE);
	show("A enabled EV_WRITE");
	printf("loop:\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	bufferevent_free(p[0]);
	bufferevent_free(p[1]);
	event_base_free(base);
	return 0;
}

/* Watermarks through a pair: the receiver's read high watermark caps each transfer
 * (the rest waits in the sender's output); draining the receiver's input lets the next
 * part through at once; its read low watermark holds back the read callback; the
 * sender's write callback runs only once its output is at or below its write low
 * watermark. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static struct bufferevent *p[2];

static void b_readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	(void)arg;
	printf("  B readcb: input %d, A output %d; B drains\n", (int)evbuffer_get_length(in),
	    (int)evbuffer_get_length(bufferevent_get_output(p[0])));
	evbuffer_drain(in, evbuffer_get_length(in));
	printf("  after the drain: B input %d, A output %d\n", (int)evbuffer_get_length(in),
	    (int)evbuffer_get_length(bufferevent_get_output(p[0])));
}

static void a_writecb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	printf("  A writecb: output %d\n", (int)evbuffer_get_length(bufferevent_get_output(bev)));
}

static void loop(void)
{
	event_base_loop(bufferevent_get_base(p[0]), EVLOOP_NONBLOCK);
}

int main(void)
{
	struct event_base *base = event_base_new();
	char data[25] = {0};
	bufferevent_pair_new(base, 0, p);
	bufferevent_setcb(p[0], NULL, a_writecb, NULL, NULL);
	bufferevent_setcb(p[1], b_readcb, NULL, NULL, NULL);
	bufferevent_setwatermark(p[1], EV_READ, 3, 10);
	bufferevent_setwatermark(p[0], EV_WRITE, 5, 0);
	bufferevent_enable(p[1], EV_READ);
	bufferevent_write(p[0], data, 25);
	printf("A wrote 25 (B read watermarks 3/10, A write low 5): B input %d, A output %d\n",
	    (int)evbuffer_get_length(bufferevent_get_input(p[1])), (int)evbuffer_get_length(bufferevent_get_output(p[0])));
	loop();
	bufferevent_write(p[0], data, 2);
	printf("A wrote 2: B input %d\n", (int)evbuffer_get_length(bufferevent_get_input(p[1])));
	loop();
	bufferevent_write(p[0], data, 1);
	printf("A wrote 1: B input %d\n", (int)evbuffer_get_length(bufferevent_get_input(p[1])));
	loop();
	bufferevent_free(p[0]);
	bufferevent_free(p[1]);
	event_base_free(base);
	return 0;
}

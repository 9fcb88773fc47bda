/* bufferevent_trigger runs the read/write callback as if data had arrived or been
 * written: immediately (from inside the call) unless BEV_TRIG_DEFER_CALLBACKS, and only
 * when the watermark condition holds (input >= read low, output <= write low) unless
 * BEV_TRIG_IGNORE_WATERMARKS. bufferevent_trigger_event passes any flags to the event
 * callback. A NULL callback is skipped. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	printf(" readcb");
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	printf(" writecb");
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)arg;
	printf(" eventcb(0x%02x)", what);
}

static void step(struct event_base *base, const char *what)
{
	printf(" | loop:");
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("  <- %s\n", what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, -1, 0);
	bufferevent_setcb(bev, readcb, writecb, eventcb, NULL);

	printf("call:");
	bufferevent_trigger(bev, EV_READ, 0);
	step(base, "READ, empty input, low 0");
	printf("call:");
	bufferevent_trigger(bev, EV_WRITE, 0);
	step(base, "WRITE, empty output, low 0");

	bufferevent_setwatermark(bev, EV_READ, 5, 0);
	bufferevent_setwatermark(bev, EV_WRITE, 2, 0);
	bufferevent_write(bev, "xyz", 3);
	printf("call:");
	bufferevent_trigger(bev, EV_READ | EV_WRITE, 0);
	step(base, "READ|WRITE, input 0 < low 5, output 3 > low 2");
	printf("call:");
	bufferevent_trigger(bev, EV_READ | EV_WRITE, BEV_TRIG_IGNORE_WATERMARKS);
	step(base, "same with IGNORE_WATERMARKS");
	printf("call:");
	bufferevent_trigger(bev, EV_READ | EV_WRITE, BEV_TRIG_IGNORE_WATERMARKS | BEV_TRIG_DEFER_CALLBACKS);
	step(base, "IGNORE_WATERMARKS|DEFER_CALLBACKS");
	printf("call:");
	bufferevent_trigger(bev, EV_TIMEOUT | EV_SIGNAL, BEV_TRIG_IGNORE_WATERMARKS);
	step(base, "neither EV_READ nor EV_WRITE");

	printf("call:");
	bufferevent_trigger_event(bev, BEV_EVENT_ERROR | BEV_EVENT_READING, 0);
	step(base, "trigger_event ERROR|READING");
	printf("call:");
	bufferevent_trigger_event(bev, BEV_EVENT_TIMEOUT | BEV_EVENT_WRITING, BEV_TRIG_DEFER_CALLBACKS);
	step(base, "trigger_event TIMEOUT|WRITING deferred");
	printf("call:");
	bufferevent_trigger_event(bev, 0x0100, 0);
	step(base, "trigger_event with an unknown flag");
	printf("call:");
	bufferevent_trigger_event(bev, BEV_EVENT_EOF, BEV_OPT_CLOSE_ON_FREE);
	step(base, "trigger_event with BEV_OPT_CLOSE_ON_FREE as option (ignored)");

	bufferevent_setcb(bev, NULL, NULL, NULL, NULL);
	printf("call:");
	bufferevent_trigger(bev, EV_READ | EV_WRITE, BEV_TRIG_IGNORE_WATERMARKS);
	bufferevent_trigger_event(bev, BEV_EVENT_EOF, 0);
	step(base, "no callbacks set");

	bufferevent_free(bev);
	event_base_free(base);
	return 0;
}

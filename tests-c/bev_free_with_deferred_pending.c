/* With BEV_OPT_DEFER_CALLBACKS, callbacks already queued when bufferevent_free is
 * called never run (free clears the callbacks first), whether the free comes from
 * outside the loop or from an earlier callback in the same deferred run; the
 * bufferevent's memory stays valid until the queued run has finished. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int free_in_read;

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	printf(" readcb");
	if (free_in_read) {
		printf(" free");
		bufferevent_free(bev);
	}
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

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2], r;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);

	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_DEFER_CALLBACKS);
	bufferevent_setcb(bev, readcb, writecb, eventcb, NULL);
	bufferevent_enable(bev, EV_READ);
	bufferevent_write(bev, "x", 1);
	if (write(sv[1], "y", 1) != 1)
		return 1;
	shutdown(sv[1], SHUT_WR);
	printf("one turn of I/O queues the callbacks:");
	event_base_loop(base, EVLOOP_ONCE);
	printf("\n");

	printf("queued read, write and EOF, then free outside the loop:");
	bufferevent_trigger(bev, EV_READ | EV_WRITE, BEV_TRIG_DEFER_CALLBACKS | BEV_TRIG_IGNORE_WATERMARKS);
	bufferevent_trigger_event(bev, BEV_EVENT_EOF, BEV_TRIG_DEFER_CALLBACKS);
	bufferevent_free(bev);
	r = event_base_loop(base, EVLOOP_NONBLOCK);
	printf(" | loop %d\n", r);

	bev = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS);
	bufferevent_setcb(bev, readcb, writecb, eventcb, NULL);
	free_in_read = 1;
	printf("queued read, write and EOF, the read callback frees:");
	bufferevent_trigger(bev, EV_READ | EV_WRITE, BEV_TRIG_IGNORE_WATERMARKS);
	bufferevent_trigger_event(bev, BEV_EVENT_EOF, 0);
	r = event_base_loop(base, EVLOOP_NONBLOCK);
	printf(" | loop %d\n", r);

	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

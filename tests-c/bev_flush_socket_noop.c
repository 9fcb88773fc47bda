/* bufferevent_flush on a socket bufferevent does nothing and returns 0, whatever the
 * mode (BEV_NORMAL, BEV_FLUSH, BEV_FINISHED) and direction: the peer sees no bytes until
 * the loop runs, and no callback is made. */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int cbs;

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	cbs++;
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)arg;
	(void)what;
	cbs++;
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2], r;
	char buf[64];
	ssize_t n;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, writecb, eventcb, NULL);
	bufferevent_write(bev, "pending", 7);
	r = bufferevent_flush(bev, EV_WRITE, BEV_NORMAL);
	printf("flush(EV_WRITE, BEV_NORMAL): %d\n", r);
	r = bufferevent_flush(bev, EV_WRITE, BEV_FLUSH);
	printf("flush(EV_WRITE, BEV_FLUSH): %d\n", r);
	r = bufferevent_flush(bev, EV_READ | EV_WRITE, BEV_FINISHED);
	printf("flush(EV_READ|EV_WRITE, BEV_FINISHED): %d\n", r);
	n = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
	printf("peer before the loop: %d (%s), output %d, callbacks %d\n", (int)n, n < 0 && errno == EAGAIN ? "EAGAIN" : "data",
	    (int)evbuffer_get_length(bufferevent_get_output(bev)), cbs);
	event_base_loop(base, EVLOOP_ONCE);
	n = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
	printf("peer after one turn: %d, callbacks %d\n", (int)n, cbs);
	bufferevent_free(bev);
	event_base_free(base);
	close(sv[1]);
	return 0;
}

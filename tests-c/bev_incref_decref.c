/* bufferevent_incref keeps a freed bufferevent alive: after bufferevent_free it gets no
 * more callbacks, but it keeps working (its events stay added: it still reads into its
 * input and writes its output) and its fd (BEV_OPT_CLOSE_ON_FREE) stays open until the
 * last bufferevent_decref, which returns 1 when it released the last reference and 0
 * otherwise. The fd is then closed when the loop runs. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static int reads;

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	reads++;
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2], r;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_enable(bev, EV_READ);
	bufferevent_incref(bev);
	bufferevent_incref(bev);
	r = bufferevent_decref(bev);
	printf("incref x2, decref: %d\n", r);
	bufferevent_free(bev);
	if (write(sv[1], "data", 4) != 4)
		return 1;
	r = event_base_loop(base, EVLOOP_NONBLOCK);
	printf("after free and a loop turn: loop %d, reads %d, fd open %d, enabled 0x%02x\n", r, reads,
	    fcntl(sv[0], F_GETFD) != -1, bufferevent_get_enabled(bev));
	printf("its events stay added: the data was read into the input anyway: %d\n",
	    (int)evbuffer_get_length(bufferevent_get_input(bev)));
	r = bufferevent_write(bev, "x", 1);
	printf("writing to it still works: write %d, write pending %d\n", r,
	    event_pending(&bev->ev_write, EV_WRITE, NULL) != 0);
	event_base_loop(base, EVLOOP_NONBLOCK);
	{
		char buf[8];
		printf("peer got %d\n", (int)recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
	}
	r = bufferevent_decref(bev);
	printf("last decref: %d, fd open %d\n", r, fcntl(sv[0], F_GETFD) != -1);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("after a loop turn: fd open %d\n", fcntl(sv[0], F_GETFD) != -1);

	bev = bufferevent_socket_new(base, -1, 0);
	r = bufferevent_decref(bev);
	printf("decref of a fresh bufferevent: %d\n", r);
	event_base_free(base);
	close(sv[1]);
	return 0;
}

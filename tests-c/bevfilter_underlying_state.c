/* What bufferevent_filter_new does to the underlying bufferevent: it takes over its
 * callbacks, enables EV_READ|EV_WRITE on it but keeps its reading suspended until the
 * filter itself enables EV_READ (disabling the filter's EV_READ suspends it again), and
 * holds a reference. So bufferevent_free on the underlying one does not destroy it
 * while the filter lives, but it clears its callbacks, which cuts the filter off: the
 * underlying bufferevent still reads, the filter never hears of it. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static void user_readcb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
}

static void filter_readcb(struct bufferevent *bev, void *arg)
{
	char buf[32];
	size_t n = bufferevent_read(bev, buf, sizeof buf);
	(void)arg;
	printf("  filter readcb \"%.*s\"\n", (int)n, buf);
}

static void show(struct bufferevent *u, const char *when)
{
	bufferevent_data_cb r = NULL, w = NULL;
	bufferevent_event_cb e = NULL;
	void *arg = NULL;
	bufferevent_getcb(u, &r, &w, &e, &arg);
	printf("%s: underlying enabled 0x%02x, read pending %d, callbacks set %d%d%d (user's readcb %d)\n", when,
	    bufferevent_get_enabled(u), event_pending(&u->ev_read, EV_READ, NULL) != 0, r != NULL, w != NULL, e != NULL,
	    r == user_readcb);
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *u = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(u, user_readcb, NULL, NULL, NULL);
	show(u, "before the filter");
	struct bufferevent *f = bufferevent_filter_new(u, NULL, NULL, 0, NULL, NULL);
	bufferevent_setcb(f, filter_readcb, NULL, NULL, NULL);
	show(u, "filter created");
	bufferevent_enable(f, EV_READ);
	show(u, "filter enable(EV_READ)");
	bufferevent_disable(f, EV_READ);
	show(u, "filter disable(EV_READ)");
	bufferevent_enable(f, EV_READ);
	bufferevent_free(u);
	show(u, "underlying freed by the program");
	if (write(sv[1], "still works", 11) != 11)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);
	printf("peer wrote 11: underlying input %d, filter input %d, fd open %d\n",
	    (int)evbuffer_get_length(bufferevent_get_input(u)), (int)evbuffer_get_length(bufferevent_get_input(f)),
	    fcntl(sv[0], F_GETFD) != -1);
	bufferevent_free(f);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("filter freed too: fd open %d\n", fcntl(sv[0], F_GETFD) != -1);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

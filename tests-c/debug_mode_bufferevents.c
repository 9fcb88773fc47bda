/* Under event_enable_debug_mode(), bufferevents work as without it: a socket bufferevent
 * (enable, disable, write, read, timeouts, setfd), a pair and a filter, then freed, with the
 * loop running in between. libevent's debug map checks every event_add/event_del of their
 * internal events; nothing may abort. */
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int reads;

static void readcb(struct bufferevent *bev, void *arg)
{
	char buf[32];
	size_t n = bufferevent_read(bev, buf, sizeof buf);
	(void)arg;
	reads++;
	printf("read %d bytes\n", (int)n);
}

int main(void)
{
	struct event_base *base;
	struct bufferevent *bev, *pair[2], *filt;
	struct timeval tv = {5, 0};
	int sv[2], sv2[2];

	event_enable_debug_mode();
	base = event_base_new();
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv2) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv2[0], F_SETFL, O_NONBLOCK);
	bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_set_timeouts(bev, &tv, &tv);
	printf("enable: %d\n", bufferevent_enable(bev, EV_READ | EV_WRITE));
	printf("disable write: %d\n", bufferevent_disable(bev, EV_WRITE));
	bufferevent_write(bev, "hello", 5);
	if (write(sv[1], "abc", 3) != 3)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);
	printf("setfd: %d\n", bufferevent_setfd(bev, sv2[0]));
	if (write(sv2[1], "de", 2) != 2)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);

	printf("pair: %d\n", bufferevent_pair_new(base, 0, pair));
	bufferevent_setcb(pair[1], readcb, NULL, NULL, NULL);
	bufferevent_enable(pair[1], EV_READ);
	bufferevent_write(pair[0], "xyz", 3);
	event_base_loop(base, EVLOOP_NONBLOCK);

	filt = bufferevent_filter_new(pair[0], NULL, NULL, 0, NULL, NULL);
	printf("filter: %s\n", filt ? "ok" : "NULL");
	bufferevent_write(filt, "12", 2);
	event_base_loop(base, EVLOOP_NONBLOCK);

	bufferevent_free(filt);
	bufferevent_free(pair[0]);
	bufferevent_free(pair[1]);
	bufferevent_free(bev);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("reads: %d\n", reads);
	close(sv[0]);
	close(sv[1]);
	close(sv2[1]);
	event_base_free(base);
	return 0;
}

/* bufferevent_socket_new(base, -1) then bufferevent_setfd: enabling and writing work
 * before there is an fd (the events are "added" with fd -1, nothing is sent); setfd
 * re-creates the events on the fd with the enabled flags, and pending output is sent
 * once the loop runs. */
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static void readcb(struct bufferevent *bev, void *arg)
{
	char buf[64];
	size_t n = bufferevent_read(bev, buf, sizeof buf - 1);
	(void)arg;
	buf[n] = '\0';
	printf("readcb: \"%s\"\n", buf);
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	printf("writecb: output %d\n", (int)evbuffer_get_length(bufferevent_get_output(bev)));
}

static void show(struct bufferevent *bev, const char *when)
{
	printf("%s: getfd=%s enabled=0x%02x ev_read pending=%d ev_write pending=%d\n", when,
	    bufferevent_getfd(bev) < 0 ? "-1" : "fd", bufferevent_get_enabled(bev),
	    event_pending(&bev->ev_read, EV_READ, NULL) != 0,
	    event_pending(&bev->ev_write, EV_WRITE, NULL) != 0);
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	char buf[64];
	ssize_t n;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);

	struct bufferevent *bev = bufferevent_socket_new(base, -1, 0);
	bufferevent_setcb(bev, readcb, writecb, NULL, NULL);
	show(bev, "new");
	int r = bufferevent_enable(bev, EV_READ);
	printf("enable(EV_READ) with fd -1: %d\n", r);
	show(bev, "enabled");
	r = bufferevent_write(bev, "early", 5);
	printf("write before setfd: %d\n", r);
	show(bev, "written");
	r = event_base_loop(base, EVLOOP_NONBLOCK);
	printf("loop without fd: %d, output %d\n", r, (int)evbuffer_get_length(bufferevent_get_output(bev)));

	r = bufferevent_setfd(bev, sv[0]);
	printf("setfd: %d, getfd is the fd: %d\n", r, bufferevent_getfd(bev) == sv[0]);
	show(bev, "after setfd");
	n = recv(sv[1], buf, sizeof buf, 0);
	printf("peer before loop: %d\n", (int)n);
	event_base_loop(base, EVLOOP_ONCE);
	n = recv(sv[1], buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	printf("peer after loop: %d \"%s\"\n", (int)n, buf);
	show(bev, "drained");

	if (write(sv[1], "hello", 5) != 5)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);

	bufferevent_free(bev);
	event_base_free(base);
	close(sv[0]);
	close(sv[1]);
	printf("done\n");
	return 0;
}

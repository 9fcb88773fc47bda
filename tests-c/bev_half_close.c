/* The peer shuts down its writing side (shutdown(SHUT_WR)): the bufferevent reports
 * BEV_EVENT_EOF|BEV_EVENT_READING and stops reading, but it can still write: data written
 * after the EOF (even from the event callback) reaches the peer. */
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static void readcb(struct bufferevent *bev, void *arg)
{
	char buf[32];
	size_t n = bufferevent_read(bev, buf, sizeof buf - 1);
	(void)arg;
	buf[n] = '\0';
	printf("readcb: \"%s\"\n", buf);
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	printf("writecb: output %d, freeing\n", (int)evbuffer_get_length(bufferevent_get_output(bev)));
	bufferevent_free(bev);
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	printf("eventcb: 0x%02x, enabled 0x%02x; replying\n", what, bufferevent_get_enabled(bev));
	bufferevent_write(bev, "reply after EOF", 15);
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
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, writecb, eventcb, NULL);
	bufferevent_enable(bev, EV_READ);
	if (write(sv[1], "question", 8) != 8)
		return 1;
	shutdown(sv[1], SHUT_WR);
	int r = event_base_dispatch(base);
	printf("dispatch: %d\n", r);
	n = read(sv[1], buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("peer read: %d \"%s\"\n", (int)n, buf);
	n = read(sv[1], buf, sizeof buf);
	printf("peer read again: %d (EOF)\n", (int)n);
	close(sv[1]);
	event_base_free(base);
	return 0;
}

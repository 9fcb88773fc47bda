/* bufferevent_free from inside each of the bufferevent's callbacks: the callback
 * returns normally and nothing of that bufferevent is called afterwards, although more
 * was ready in the same turn (data and EOF, a writable socket); with
 * BEV_OPT_CLOSE_ON_FREE the fd is closed before dispatch returns (the peer of an
 * AF_UNIX socket closed with unread data gets ECONNRESET instead of EOF). */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static const char *free_in;

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	printf(" readcb(%d)", (int)evbuffer_get_length(bufferevent_get_input(bev)));
	if (free_in[0] == 'r') {
		printf(" free");
		bufferevent_free(bev);
	}
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	printf(" writecb");
	if (free_in[0] == 'w') {
		printf(" free");
		bufferevent_free(bev);
	}
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	printf(" eventcb(0x%02x)", what);
	if (free_in[0] == 'e') {
		printf(" free");
		bufferevent_free(bev);
	}
}

/* What a recv on the peer end returns, by name. */
static const char *peer_recv(int fd)
{
	static char text[32];
	char buf[16];
	ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	if (n > 0)
		snprintf(text, sizeof text, "%d bytes", (int)n);
	else if (n == 0)
		snprintf(text, sizeof text, "EOF");
	else
		snprintf(text, sizeof text, "%s", errno == EAGAIN ? "EAGAIN" : errno == ECONNRESET ? "ECONNRESET" : "error");
	return text;
}

static void run(const char *where)
{
	struct event_base *base = event_base_new();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	free_in = where;
	bufferevent_setcb(bev, readcb, writecb, eventcb, NULL);
	bufferevent_enable(bev, EV_READ);
	if (where[0] != 'e')
		bufferevent_write(bev, "out", 3);
	if (write(sv[1], "in", 2) != 2)
		return;
	shutdown(sv[1], SHUT_WR);
	printf("free in %s:", where);
	int r = event_base_dispatch(base);
	printf(" | dispatch %d, peer recv: %s,", r, peer_recv(sv[1]));
	printf(" then %s\n", peer_recv(sv[1]));
	close(sv[1]);
	event_base_free(base);
}

int main(void)
{
	run("readcb");
	run("writecb");
	run("eventcb");
	return 0;
}

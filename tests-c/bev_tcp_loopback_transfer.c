/* Socket bufferevents over a real TCP connection on 127.0.0.1: 200000 bytes each way
 * at once, read back through read callbacks in whatever chunks arrive; every byte is
 * checked and the totals printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

#define LEN 200000

struct side {
	const char *name;
	unsigned char seed;
	size_t got;
	int bad;
	int eof;
};
static struct side cli = {"client", 7, 0, 0, 0}, srv = {"server", 91, 0, 0, 0};
static int done_sides;

static unsigned char byte_at(unsigned char seed, size_t i)
{
	return (unsigned char)(seed + i * 31 + (i >> 8));
}

static void readcb(struct bufferevent *bev, void *arg)
{
	struct side *me = arg;
	struct side *peer = me == &cli ? &srv : &cli;
	unsigned char buf[8192];
	size_t n, i;
	while ((n = bufferevent_read(bev, buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++)
			if (buf[i] != byte_at(peer->seed, me->got + i))
				me->bad++;
		me->got += n;
	}
	if (me->got == LEN && ++done_sides == 2)
		event_base_loopexit(bufferevent_get_base(bev), NULL);
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	struct side *me = arg;
	(void)bev;
	printf("%s eventcb 0x%02x\n", me->name, what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), cfd, sfd, one = 1;
	unsigned char *data = malloc(LEN);
	size_t i;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(lfd, 8) < 0)
		return 1;
	getsockname(lfd, (struct sockaddr *)&sin, &len);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(cfd, (struct sockaddr *)&sin, sizeof sin) < 0)
		return 1;
	sfd = accept(lfd, NULL, NULL);
	fcntl(cfd, F_SETFL, O_NONBLOCK);
	fcntl(sfd, F_SETFL, O_NONBLOCK);

	struct bufferevent *c = bufferevent_socket_new(base, cfd, BEV_OPT_CLOSE_ON_FREE);
	struct bufferevent *s = bufferevent_socket_new(base, sfd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(c, readcb, NULL, eventcb, &cli);
	bufferevent_setcb(s, readcb, NULL, eventcb, &srv);
	bufferevent_enable(c, EV_READ);
	bufferevent_enable(s, EV_READ);
	for (i = 0; i < LEN; i++)
		data[i] = byte_at(cli.seed, i);
	bufferevent_write(c, data, LEN);
	for (i = 0; i < LEN; i++)
		data[i] = byte_at(srv.seed, i);
	bufferevent_write(s, data, LEN);

	event_base_dispatch(base);
	printf("client got %d bytes, %d wrong\n", (int)cli.got, cli.bad);
	printf("server got %d bytes, %d wrong\n", (int)srv.got, srv.bad);
	printf("outputs empty: %d %d\n", evbuffer_get_length(bufferevent_get_output(c)) == 0,
	    evbuffer_get_length(bufferevent_get_output(s)) == 0);
	bufferevent_free(c);
	bufferevent_free(s);
	close(lfd);
	free(data);
	event_base_free(base);
	return 0;
}

/* Stress: 2000 TCP connections on 127.0.0.1, all open at the same time, through one
 * listening socket accepted with a plain event. Both ends are socket bufferevents: each
 * client connects with bufferevent_socket_connect, sends a seeded random payload (1 byte
 * to 16 KiB, every 50th 200 KB), the server echoes whatever it reads, and the client
 * checks every byte. Clients stay connected until all 2000 have their echo back; then
 * they all close and the servers free themselves on EOF. Only a summary is printed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

#define WANT 2000

struct conn {
	struct bufferevent *bev;
	unsigned char *payload;
	size_t len, got;
	int bad, done;
};

static struct event_base *base;
static struct conn *conns;
static int nconns, connected, completed, mismatched, client_errors, servers_open, servers_total;
static long long total_bytes;
static unsigned long long rng = 0x2545F4914F6CDD1DULL;

static unsigned long long next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void server_readcb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	bufferevent_write_buffer(bev, bufferevent_get_input(bev));
}

static void server_eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		bufferevent_free(bev);
		servers_open--;
	}
}

static void accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	int fd;
	(void)what;
	(void)arg;
	while ((fd = accept(lfd, NULL, NULL)) >= 0) {
		fcntl(fd, F_SETFL, O_NONBLOCK);
		struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
		bufferevent_setcb(bev, server_readcb, NULL, server_eventcb, NULL);
		bufferevent_enable(bev, EV_READ);
		servers_open++;
		servers_total++;
	}
}

static void client_readcb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	unsigned char buf[16384];
	size_t n, i;
	while ((n = bufferevent_read(bev, buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++)
			if (c->got + i >= c->len || buf[i] != c->payload[c->got + i])
				c->bad++;
		c->got += n;
	}
	if (!c->done && c->got >= c->len) {
		c->done = 1;
		if (c->bad || c->got != c->len)
			mismatched++;
		if (++completed == nconns) {
			/* Every connection has its echo: now close them all. */
			int k;
			for (k = 0; k < nconns; k++) {
				bufferevent_free(conns[k].bev);
				conns[k].bev = NULL;
			}
		}
	}
}

static void client_eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)arg;
	if (what & BEV_EVENT_CONNECTED)
		connected++;
	else if (what & (BEV_EVENT_ERROR | BEV_EVENT_EOF))
		client_errors++;
}

static void give_up(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	printf("gave up after 15 s: %d of %d echoes complete\n", completed, nconns);
	event_base_loopbreak(base);
}

int main(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	struct rlimit rl;
	struct timeval fifteen = {15, 0};
	int lfd, i, one = 1;

	nconns = WANT;
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < 2 * WANT + 100) {
		rlim_t want = 2 * WANT + 100;
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
			want = rl.rlim_max;
		rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || want < 2 * WANT + 100) {
			nconns = ((int)want - 100) / 2;
			printf("cannot raise RLIMIT_NOFILE enough: using %d connections\n", nconns);
		}
	}

	base = event_base_new();
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(lfd, 4096) < 0)
		return 1;
	getsockname(lfd, (struct sockaddr *)&sin, &len);
	fcntl(lfd, F_SETFL, O_NONBLOCK);
	struct event *acc = event_new(base, lfd, EV_READ | EV_PERSIST, accept_cb, NULL);
	event_add(acc, NULL);
	struct event *timeout = evtimer_new(base, give_up, NULL);
	evtimer_add(timeout, &fifteen);

	conns = calloc((size_t)nconns, sizeof *conns);
	for (i = 0; i < nconns; i++) {
		struct conn *c = &conns[i];
		size_t k;
		c->len = (i % 50 == 49) ? 200000 : 1 + (size_t)(next_rand() % 16384);
		c->payload = malloc(c->len);
		for (k = 0; k < c->len; k++)
			c->payload[k] = (unsigned char)next_rand();
		total_bytes += (long long)c->len;
		c->bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
		bufferevent_setcb(c->bev, client_readcb, NULL, client_eventcb, c);
		bufferevent_enable(c->bev, EV_READ);
		bufferevent_write(c->bev, c->payload, c->len);
		if (bufferevent_socket_connect(c->bev, (struct sockaddr *)&sin, sizeof sin) < 0)
			client_errors++;
	}

	/* Runs until the echoes are done and every server end has seen its EOF (the listener
	 * is removed once everything has been accepted and answered). */
	while (completed < nconns || servers_open > 0) {
		if (event_base_loop(base, EVLOOP_ONCE) < 0 || event_base_got_break(base))
			break;
	}
	printf("connections: %d, connected: %d, accepted: %d\n", nconns, connected, servers_total);
	printf("payload bytes echoed and checked: %lld\n", total_bytes);
	printf("echoes complete: %d, mismatched: %d, client errors: %d, server ends still open: %d\n", completed,
	    mismatched, client_errors, servers_open);
	event_free(acc);
	event_free(timeout);
	close(lfd);
	for (i = 0; i < nconns; i++)
		free(conns[i].payload);
	free(conns);
	event_base_free(base);
	return 0;
}

/* evconnlistener_set_cb: a listener created without a callback is enabled but not added and
 * accepts nothing (connections wait in the backlog) until a callback is set. Setting the
 * callback to NULL on a running listener leaves it added: libevent then accepts and closes
 * one connection per loop turn (so those clients see EOF; EVLOOP_ONCE|EVLOOP_NONBLOCK runs one turn). Setting a callback again resumes
 * normal accepting. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/listener.h>

static int clients[16];
static int nclients, accepted;
static struct sockaddr_in addr;

static void connect_clients(int n)
{
	while (n-- > 0) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0)
			perror("connect");
		clients[nclients++] = fd;
	}
}

/* How many clients see EOF (their connection was accepted and closed) right now. */
static int count_eof(void)
{
	int i, n = 0;
	for (i = 0; i < nclients; i++) {
		struct pollfd p = {clients[i], POLLIN, 0};
		char c;
		if (poll(&p, 1, 0) == 1 && recv(clients[i], &c, 1, MSG_PEEK) == 0)
			n++;
	}
	return n;
}

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)lev;
	(void)sa;
	(void)socklen;
	printf("  callback %s\n", (const char *)arg);
	accepted++;
	/* Kept open: the client must not see EOF from these. */
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct evconnlistener *lev;
	socklen_t len = sizeof(addr);
	int turn;

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lev = evconnlistener_new_bind(base, NULL, NULL, LEV_OPT_CLOSE_ON_FREE, -1, (struct sockaddr *)&addr, sizeof(addr));
	getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&addr, &len);
	printf("created without a callback: added=%d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
	connect_clients(2);
	for (turn = 1; turn <= 2; turn++) {
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		printf("turn %d: clients at EOF %d\n", turn, count_eof());
	}
	evconnlistener_set_cb(lev, on_accept, "A");
	printf("callback set: added=%d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	printf("one turn: accepted %d, clients at EOF %d\n", accepted, count_eof());

	evconnlistener_set_cb(lev, NULL, NULL);
	printf("callback unset: added=%d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
	connect_clients(3);
	for (turn = 1; turn <= 5; turn++) {
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		printf("turn %d: clients at EOF %d\n", turn, count_eof());
	}
	connect_clients(1);
	evconnlistener_set_cb(lev, on_accept, "B");
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	printf("callback B set, one turn: accepted %d, clients at EOF %d\n", accepted, count_eof());

	evconnlistener_free(lev);
	while (nclients > 0)
		close(clients[--nclients]);
	event_base_free(base);
	return 0;
}

/* The program watches the listening socket with its own EV_READ|EV_PERSIST event beside the
 * listener: both fire in the same turn (the newest event first), the program's event stays
 * level-triggered (it fires every turn while connections wait and the listener is disabled),
 * and re-enabling the listener then accepts what waited. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/listener.h>

static int clients[8];
static int nclients;
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

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)lev;
	(void)sa;
	(void)socklen;
	(void)arg;
	printf("  listener accepted a connection\n");
	close(fd);
}

static void on_user(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)arg;
	printf("  program's event fired (what=0x%x)\n", what);
}

static void turns(struct event_base *base, int n)
{
	int i;
	for (i = 1; i <= n; i++) {
		printf("turn %d\n", i);
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	}
}

int main(void)
{
	struct event_base *base = event_base_new();
	socklen_t len = sizeof(addr);
	struct evconnlistener *lev;
	struct event *ev;

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE, -1, (struct sockaddr *)&addr,
	    sizeof(addr));
	getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&addr, &len);
	ev = event_new(base, evconnlistener_get_fd(lev), EV_READ | EV_PERSIST, on_user, NULL);
	event_add(ev, NULL);

	connect_clients(2);
	printf("2 clients queued\n");
	turns(base, 2);
	printf("listener disabled=%d; 1 client queued\n", evconnlistener_disable(lev));
	connect_clients(1);
	turns(base, 2);
	printf("listener enabled=%d\n", evconnlistener_enable(lev));
	turns(base, 2);
	printf("program's event deleted=%d; 1 client queued\n", event_del(ev));
	connect_clients(1);
	turns(base, 2);

	event_free(ev);
	evconnlistener_free(lev);
	while (nclients > 0)
		close(clients[--nclients]);
	event_base_free(base);
	return 0;
}

/* A listener accepts every queued connection in one wake-up (one loop turn), in the
 * kernel's order, on a socket the program made and bound itself (evconnlistener_new with
 * backlog -1: libevent listens with its default). The callback gets an AF_INET address of
 * sizeof(struct sockaddr_in) bytes naming the client. Then: a callback that disables and
 * re-enables the listener inside the batch does not end the batch. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/listener.h>

#define NCLIENTS 5
static int clients[2 * NCLIENTS];
static unsigned short client_port[2 * NCLIENTS];
static int nclients;
static int accepted_this_turn, accepted_total, toggle_on;

static unsigned short local_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	getsockname(fd, (struct sockaddr *)&sin, &len);
	return ntohs(sin.sin_port);
}

static void connect_client(unsigned short port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		perror("connect");
	clients[nclients] = fd;
	client_port[nclients] = local_port(fd);
	nclients++;
}

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;
	int i, who = -1;
	(void)arg;
	for (i = 0; i < nclients; i++)
		if (client_port[i] == ntohs(sin->sin_port))
			who = i;
	printf("  accepted client %d (family inet=%d, socklen ok=%d, loopback=%d, arg ok=%d)\n", who,
	    sa->sa_family == AF_INET, socklen == (int)sizeof(struct sockaddr_in),
	    sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK), arg == (void *)&nclients);
	accepted_this_turn++;
	accepted_total++;
	if (toggle_on && accepted_total == NCLIENTS + 2) {
		int d = evconnlistener_disable(lev);
		int e = evconnlistener_enable(lev);
		printf("  disable=%d enable=%d inside the callback\n", d, e);
	}
	close(fd);
}

static void run_turns(struct event_base *base, int want)
{
	int turn = 0;
	while (accepted_total < want && turn < 10) {
		accepted_this_turn = 0;
		event_base_loop(base, EVLOOP_ONCE);
		printf("turn %d: %d accepted\n", ++turn, accepted_this_turn);
	}
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	struct evconnlistener *lev;
	int fd, i, acceptconn = 0;
	socklen_t len = sizeof(acceptconn);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&sin, sizeof(sin));

	lev = evconnlistener_new(base, on_accept, &nclients, LEV_OPT_CLOSE_ON_FREE, -1, fd);
	printf("listener created=%d\n", lev != NULL);
	getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acceptconn, &len);
	printf("listening=%d get_fd is ours=%d get_base is ours=%d\n", acceptconn,
	    evconnlistener_get_fd(lev) == fd, evconnlistener_get_base(lev) == base);

	for (i = 0; i < NCLIENTS; i++)
		connect_client(local_port(fd));
	printf("%d clients queued before dispatch\n", NCLIENTS);
	run_turns(base, NCLIENTS);

	toggle_on = 1;
	for (i = 0; i < NCLIENTS; i++)
		connect_client(local_port(fd));
	printf("%d more clients queued; the callback toggles the listener at the 2nd\n", NCLIENTS);
	run_turns(base, 2 * NCLIENTS);

	evconnlistener_free(lev);
	for (i = 0; i < nclients; i++)
		close(clients[i]);
	event_base_free(base);
	printf("done\n");
	return 0;
}

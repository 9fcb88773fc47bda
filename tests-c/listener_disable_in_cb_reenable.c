/* no-valgrind: timing: the first loop turn must end before a 30 ms timer is due, and under valgrind on a busy machine the first accepts can take longer */
/* A callback that disables its listener ends the accept batch; the rest of the backlog waits
 * in the kernel, and connections keep queueing while the listener is off. Re-enabling it
 * (from a timer, later) finds every one of them: none is lost. Also: a listener enabled from
 * outside the loop finds connections that queued while it was disabled. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/listener.h>

static int clients[16];
static unsigned short client_port[16];
static int nclients, accepted, turn_accepted;
static unsigned short port;
static struct evconnlistener *lev;

static unsigned short local_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	getsockname(fd, (struct sockaddr *)&sin, &len);
	return ntohs(sin.sin_port);
}

static void connect_client(void)
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
	client_port[nclients++] = local_port(fd);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	int i, who = -1;
	(void)socklen;
	(void)arg;
	for (i = 0; i < nclients; i++)
		if (client_port[i] == ntohs(((struct sockaddr_in *)sa)->sin_port))
			who = i;
	accepted++;
	turn_accepted++;
	printf("  accepted client %d\n", who);
	if (accepted == 2) {
		printf("  disabling inside the callback: %d\n", evconnlistener_disable(l));
	}
	close(fd);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	int r;
	connect_client();
	connect_client();
	r = evconnlistener_enable(lev);
	printf("  timer: 2 more clients connected, then enable=%d\n", r);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	struct event *timer = evtimer_new(base, on_timer, NULL);
	struct timeval ms30 = {0, 30000};
	int i, turn = 0;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 16,
	    (struct sockaddr *)&sin, sizeof(sin));
	port = local_port(evconnlistener_get_fd(lev));
	for (i = 0; i < 4; i++)
		connect_client();
	printf("4 clients queued\n");
	evtimer_add(timer, &ms30);
	while (accepted < 6 && turn < 20) {
		turn_accepted = 0;
		event_base_loop(base, EVLOOP_ONCE);
		printf("turn %d: %d accepted (total %d)\n", ++turn, turn_accepted, accepted);
	}

	printf("disable from outside the loop: %d\n", evconnlistener_disable(lev));
	for (i = 0; i < 3; i++)
		connect_client();
	turn_accepted = 0;
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("3 clients queued while disabled; a turn accepts %d\n", turn_accepted);
	printf("enable from outside the loop: %d\n", evconnlistener_enable(lev));
	turn_accepted = 0;
	event_base_loop(base, EVLOOP_ONCE);
	printf("next turn accepts %d (total %d)\n", turn_accepted, accepted);

	evconnlistener_free(lev);
	for (i = 0; i < nclients; i++)
		close(clients[i]);
	event_free(timer);
	event_base_free(base);
	return 0;
}

/* bufferevent_socket_connect_hostname with a NULL evdns_base resolves with the system
 * resolver inside the call (the socket exists when it returns) and connects:
 * "127.0.0.1" and "localhost" (AF_INET) report BEV_EVENT_CONNECTED, and
 * bufferevent_socket_get_dns_error stays 0; a NULL hostname means the loopback
 * address. Bad families and ports return -1 at once. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	printf("  eventcb 0x%02x, dns error %d\n", what, bufferevent_socket_get_dns_error(bev));
}

static void try_host(struct event_base *base, int lfd, int family, const char *host, int port)
{
	struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, NULL, eventcb, NULL);
	int r = bufferevent_socket_connect_hostname(bev, NULL, family, host, port);
	printf("%s (%s): returned %d, socket exists %d, dns error %d\n", host ? host : "NULL host",
	    family == AF_INET ? "AF_INET" : family == AF_UNSPEC ? "AF_UNSPEC" : "other", r,
	    bufferevent_getfd(bev) >= 0, bufferevent_socket_get_dns_error(bev));
	event_base_dispatch(base);
	if (lfd >= 0)
		close(accept(lfd, NULL, NULL));
	bufferevent_free(bev);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), port, r;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(lfd, 8) < 0)
		return 1;
	getsockname(lfd, (struct sockaddr *)&sin, &len);
	port = ntohs(sin.sin_port);

	try_host(base, lfd, AF_INET, "127.0.0.1", port);
	try_host(base, lfd, AF_UNSPEC, "127.0.0.1", port);
	try_host(base, lfd, AF_INET, "localhost", port);
	try_host(base, lfd, AF_INET, NULL, port);

	struct bufferevent *bev = bufferevent_socket_new(base, -1, 0);
	r = bufferevent_socket_connect_hostname(bev, NULL, AF_UNIX, "127.0.0.1", port);
	printf("AF_UNIX: %d\n", r);
	r = bufferevent_socket_connect_hostname(bev, NULL, AF_INET, "127.0.0.1", 0);
	printf("port 0: %d\n", r);
	r = bufferevent_socket_connect_hostname(bev, NULL, AF_INET, "127.0.0.1", 65536);
	printf("port 65536: %d\n", r);
	r = bufferevent_socket_connect_hostname(bev, NULL, AF_INET, "127.0.0.1", -1);
	printf("port -1: %d\n", r);
	printf("socket exists after the refusals: %d, dns error %d\n", bufferevent_getfd(bev) >= 0,
	    bufferevent_socket_get_dns_error(bev));
	bufferevent_free(bev);

	close(lfd);
	event_base_free(base);
	return 0;
}

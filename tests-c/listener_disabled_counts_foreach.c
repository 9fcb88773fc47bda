/* A listener's event is an ordinary event of the base, as in libevent: counted by
 * event_base_get_num_events while enabled (not while disabled, or created with
 * LEV_OPT_DISABLED, or enabled without a callback), visited by event_base_foreach_event with
 * the listener's fd, EV_READ|EV_PERSIST and the base's middle priority, and it keeps
 * event_base_dispatch running. LEV_OPT_DISABLED accepts nothing until enabled. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/listener.h>

static int accepted, lfd;
static struct evconnlistener *lev;

static int each(const struct event_base *b, const struct event *ev, void *arg)
{
	(void)b;
	(void)arg;
	printf("    event: listener fd=%d events=0x%x priority=%d pending read=%d\n", event_get_fd(ev) == lfd,
	    event_get_events(ev), event_get_priority(ev), event_pending(ev, EV_READ, NULL) != 0);
	return 0;
}

static void show(struct event_base *base, const char *when)
{
	printf("%s: added=%d active=%d\n", when, event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED),
	    event_base_get_num_events(base, EVENT_BASE_COUNT_ACTIVE));
	event_base_foreach_event(base, each, NULL);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)sa;
	(void)socklen;
	(void)arg;
	accepted++;
	close(fd);
	show(evconnlistener_get_base(l), "  inside the callback");
	printf("  disable=%d\n", evconnlistener_disable(l));
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	printf("  timer: accepted so far %d; enable=%d\n", accepted, evconnlistener_enable(arg));
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct timeval ms20 = {0, 20000};
	struct evconnlistener *nocb;
	int c, r;

	event_base_priority_init(base, 5);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_DISABLED, -1,
	    (struct sockaddr *)&sin, sizeof(sin));
	lfd = evconnlistener_get_fd(lev);
	show(base, "created with LEV_OPT_DISABLED");
	getsockname(lfd, (struct sockaddr *)&sin, &len);
	c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&sin, sizeof(sin));
	r = event_base_dispatch(base);
	printf("dispatch with only a disabled listener returns at once: %d, accepted %d\n", r, accepted);

	event_base_once(base, -1, EV_TIMEOUT, on_timer, lev, &ms20);
	r = event_base_dispatch(base);
	printf("dispatch returned %d once the callback disabled it; accepted %d\n", r, accepted);
	show(base, "after");
	printf("enable=%d\n", evconnlistener_enable(lev));
	show(base, "enabled");
	evconnlistener_free(lev);
	show(base, "freed");

	nocb = evconnlistener_new_bind(base, NULL, NULL, LEV_OPT_CLOSE_ON_FREE, -1, (struct sockaddr *)&sin, 0);
	printf("new_bind with socklen 0: %s\n", nocb ? "listener" : "NULL");
	sin.sin_port = 0;
	nocb = evconnlistener_new_bind(base, NULL, NULL, LEV_OPT_CLOSE_ON_FREE, -1, (struct sockaddr *)&sin, sizeof(sin));
	show(base, "enabled without a callback");
	printf("dispatch=%d\n", event_base_dispatch(base));
	evconnlistener_free(nocb);
	close(c);
	event_base_free(base);
	return 0;
}

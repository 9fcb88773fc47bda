/* no-valgrind: fills the descriptor table under a lowered RLIMIT_NOFILE, which valgrind (with libevent too) does not let it reach */
/* accept() failing with EMFILE (the process is out of descriptors) calls the error callback,
 * with EVUTIL_SOCKET_ERROR() saying EMFILE; the listener stays enabled, so once the callback
 * has freed a descriptor the queued connections are accepted. Without an error callback a
 * warning is logged instead. (evshim retries after a short pause instead of on the very
 * next turn; the outcome is the same.) */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/listener.h>

static int fillers[1024];
static int nfillers, accepted, errors, warnings;
static struct event_base *base;

static void fill_fd_table(void)
{
	int fd;
	while (nfillers < (int)(sizeof(fillers) / sizeof(fillers[0])) && (fd = dup(0)) >= 0)
		fillers[nfillers++] = fd;
}

static void free_one(void)
{
	close(fillers[--nfillers]);
}

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)lev;
	(void)sa;
	(void)socklen;
	(void)arg;
	accepted++;
	printf("  accepted connection %d\n", accepted);
	close(fd);
	if (accepted == 2 || accepted == 3)
		event_base_loopbreak(base);
}

static void on_error(struct evconnlistener *lev, void *arg)
{
	int err = EVUTIL_SOCKET_ERROR();
	(void)arg;
	errors++;
	printf("  error callback: EMFILE=%d still enabled: added=%d\n", err == EMFILE,
	    event_base_get_num_events(evconnlistener_get_base(lev), EVENT_BASE_COUNT_ADDED));
	free_one();
}

static void on_log(int severity, const char *msg)
{
	(void)msg;
	if (severity == EVENT_LOG_WARN && nfillers > 0) {
		warnings++;
		free_one();
	}
}

int main(void)
{
	struct rlimit rl = {64, 64};
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct evconnlistener *lev;
	int c[3], i;

	setrlimit(RLIMIT_NOFILE, &rl);
	base = event_base_new();
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE, -1, (struct sockaddr *)&sin,
	    sizeof(sin));
	evconnlistener_set_error_cb(lev, on_error);
	getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&sin, &len);
	for (i = 0; i < 3; i++)
		c[i] = socket(AF_INET, SOCK_STREAM, 0);

	fill_fd_table();
	printf("descriptor table full: %d\n", errno == EMFILE);
	connect(c[0], (struct sockaddr *)&sin, sizeof(sin));
	connect(c[1], (struct sockaddr *)&sin, sizeof(sin));
	event_base_dispatch(base);
	printf("with an error callback: errors=%d accepted=%d\n", errors, accepted);

	evconnlistener_set_error_cb(lev, NULL);
	event_set_log_callback(on_log);
	fill_fd_table();
	connect(c[2], (struct sockaddr *)&sin, sizeof(sin));
	event_base_dispatch(base);
	event_set_log_callback(NULL);
	printf("without: warnings=%d accepted=%d\n", warnings, accepted);

	while (nfillers > 0)
		free_one();
	for (i = 0; i < 3; i++)
		close(c[i]);
	evconnlistener_free(lev);
	event_base_free(base);
	return 0;
}

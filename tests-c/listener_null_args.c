/* evshim-only */
/* Bad input at the listener API: a NULL listener, a NULL base with no current base, a bad
 * fd. libevent crashes on most of these; evshim logs a warning and returns its error value
 * (-1, NULL, nothing). With event_init's current base, a NULL base means that base, as
 * event_assign has it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/event_compat.h>
#include <event2/listener.h>

#define CHECK(cond)                                                                  \
	do {                                                                             \
		if (!(cond)) {                                                               \
			printf("FAIL line %d: %s\n", __LINE__, #cond);                           \
			exit(1);                                                                 \
		}                                                                            \
	} while (0)

static int warnings;

static void on_log(int severity, const char *msg)
{
	(void)msg;
	if (severity == EVENT_LOG_WARN)
		warnings++;
}

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)lev;
	(void)sa;
	(void)socklen;
	(void)arg;
	close(fd);
}

static void on_error(struct evconnlistener *lev, void *arg)
{
	(void)lev;
	(void)arg;
}

int main(void)
{
	struct sockaddr_in sin;
	struct evconnlistener *lev;
	struct event_base *base;
	int w, fds[2];

	event_set_log_callback(on_log);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

#define EXPECT_WARN(expr)                                                            \
	do {                                                                             \
		w = warnings;                                                                \
		expr;                                                                        \
		CHECK(warnings == w + 1);                                                    \
	} while (0)
	EXPECT_WARN(CHECK(evconnlistener_enable(NULL) == -1));
	EXPECT_WARN(CHECK(evconnlistener_disable(NULL) == -1));
	EXPECT_WARN(CHECK(evconnlistener_get_fd(NULL) == -1));
	EXPECT_WARN(CHECK(evconnlistener_get_base(NULL) == NULL));
	EXPECT_WARN(evconnlistener_set_cb(NULL, on_accept, NULL));
	EXPECT_WARN(evconnlistener_set_error_cb(NULL, on_error));
	EXPECT_WARN(evconnlistener_free(NULL));
	EXPECT_WARN(CHECK(evconnlistener_new(NULL, on_accept, NULL, 0, -1, 0) == NULL));
	EXPECT_WARN(CHECK(evconnlistener_new_bind(NULL, on_accept, NULL, 0, -1, (struct sockaddr *)&sin, sizeof(sin)) == NULL));

	base = event_base_new();
	EXPECT_WARN(CHECK(evconnlistener_new(base, on_accept, NULL, 0, 0, -1) == NULL));
	CHECK(pipe(fds) == 0);
	EXPECT_WARN(CHECK(evconnlistener_new(base, on_accept, NULL, 0, 0, fds[0]) == NULL));
	EXPECT_WARN(CHECK(evconnlistener_new_bind(base, on_accept, NULL, 0, -1, (struct sockaddr *)&sin, 1) == NULL));
	close(fds[0]);
	close(fds[1]);
	CHECK(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED) == 0);
	event_base_free(base);

	/* The current base of the 1.x API. */
	base = event_init();
	lev = evconnlistener_new_bind(NULL, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE, -1, (struct sockaddr *)&sin, sizeof(sin));
	CHECK(lev != NULL);
	CHECK(evconnlistener_get_base(lev) == base);
	CHECK(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED) == 1);
	evconnlistener_free(lev);
	event_base_free(base);
	printf("ok\n");
	return 0;
}

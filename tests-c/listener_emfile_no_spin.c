/* evshim-only */
/* no-valgrind: fills the descriptor table under a lowered RLIMIT_NOFILE, which valgrind does not let it reach */
/* While accept() keeps failing with EMFILE, libevent calls the error callback on every loop
 * turn and spins a CPU (its registration is level-triggered and the backlog stays
 * readable). evshim calls it once per back-off (10 ms doubling to 500 ms): over ~300 ms the
 * loop runs a handful of turns, not thousands. The back-off timer is invisible (not counted,
 * not in foreach or the dump). The listener resumes by itself once descriptors free up;
 * evconnlistener_enable from the error callback retries on the next turn; disabling stops
 * the retries. Bounds are upper bounds on counts, which a loaded machine can only lower.
 * Last, a base freed while its listener is paused, then the listener (no base access). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/listener.h>

static int fillers[1024];
static int nfillers, accepted, errors, stop, nevents;
static int enable_in_errorcb, disable_in_errorcb;

#define CHECK(cond)                                                                  \
	do {                                                                             \
		if (!(cond)) {                                                               \
			printf("FAIL line %d: %s\n", __LINE__, #cond);                           \
			exit(1);                                                                 \
		}                                                                            \
	} while (0)

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
	close(fd);
}

static int count_each(const struct event_base *b, const struct event *ev, void *arg)
{
	(void)b;
	(void)ev;
	(void)arg;
	nevents++;
	return 0;
}

static void on_error(struct evconnlistener *lev, void *arg)
{
	(void)arg;
	CHECK(EVUTIL_SOCKET_ERROR() == EMFILE);
	errors++;
	if (enable_in_errorcb) {
		free_one();
		CHECK(evconnlistener_enable(lev) == 0);
	}
	if (disable_in_errorcb)
		CHECK(evconnlistener_disable(lev) == 0);
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	stop = 1;
}

/* Runs loop turns until `stop` (a timer after `ms`) or `accepted` reaches `want`; returns
 * the number of turns. */
static int run(struct event_base *base, int ms, int want)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
	struct event *t = evtimer_new(base, on_stop, NULL);
	int turns = 0;
	stop = 0;
	evtimer_add(t, &tv);
	while (!stop && accepted < want) {
		event_base_loop(base, EVLOOP_ONCE);
		turns++;
	}
	event_free(t);
	return turns;
}

int main(void)
{
	struct rlimit rl = {64, 64};
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct evconnlistener *lev;
	struct event_base *base;
	char *dump;
	size_t dumplen;
	FILE *f;
	int c[4], i, turns;

	setrlimit(RLIMIT_NOFILE, &rl);
	base = event_base_new();
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE, -1, (struct sockaddr *)&sin,
	    sizeof(sin));
	evconnlistener_set_error_cb(lev, on_error);
	getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&sin, &len);
	for (i = 0; i < 4; i++)
		c[i] = socket(AF_INET, SOCK_STREAM, 0);
	f = open_memstream(&dump, &dumplen);
	CHECK(f != NULL);

	/* 1. Persistent EMFILE: a few error callbacks and turns over ~300 ms, not a spin. */
	fill_fd_table();
	CHECK(connect(c[0], (struct sockaddr *)&sin, sizeof(sin)) == 0);
	turns = run(base, 300, 1);
	printf("EMFILE for 300 ms: %d turns, %d error callbacks\n", turns, errors);
	CHECK(accepted == 0);
	CHECK(errors >= 1 && errors <= 10);
	CHECK(turns <= 40);
	/* Paused: only the listener's own event is visible. */
	nevents = 0;
	event_base_foreach_event(base, count_each, NULL);
	CHECK(nevents == 1);
	CHECK(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED) == 1);
	event_base_dump_events(base, f);
	fflush(f);
	CHECK(strstr(dump, "Timeout") == NULL);

	/* 2. A descriptor frees up: the listener resumes by itself (back-off ≤ 500 ms). */
	free_one();
	turns = run(base, 3000, 1);
	printf("resumed by itself: accepted=%d\n", accepted);
	CHECK(accepted == 1);

	/* 3. evconnlistener_enable inside the error callback retries on the next turn. */
	fill_fd_table();
	errors = 0;
	enable_in_errorcb = 1;
	CHECK(connect(c[1], (struct sockaddr *)&sin, sizeof(sin)) == 0);
	turns = run(base, 3000, 2);
	printf("enable in the error callback: accepted=%d after %d turns\n", accepted, turns);
	CHECK(errors == 1 && accepted == 2 && turns <= 3);
	enable_in_errorcb = 0;

	/* 4. Disabled inside the error callback: no retries, the loop has nothing left. */
	while (nfillers > 0)
		free_one();
	fill_fd_table();
	errors = 0;
	disable_in_errorcb = 1;
	CHECK(connect(c[2], (struct sockaddr *)&sin, sizeof(sin)) == 0);
	turns = run(base, 100, 3);
	CHECK(errors == 1 && accepted == 2);
	CHECK(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED) == 0);
	CHECK(event_base_dispatch(base) == 1);
	disable_in_errorcb = 0;
	free_one();
	CHECK(evconnlistener_enable(lev) == 0);
	turns = run(base, 3000, 3);
	printf("disabled in the error callback, enabled later: accepted=%d\n", accepted);
	CHECK(accepted == 3);

	/* 5. Paused (back-off timer pending) when the base is freed, then the listener. */
	fill_fd_table();
	errors = 0;
	CHECK(connect(c[3], (struct sockaddr *)&sin, sizeof(sin)) == 0);
	turns = run(base, 5, 4);
	CHECK(errors == 1 && accepted == 3);
	event_base_free(base);
	evconnlistener_free(lev);
	printf("base freed before its paused listener\n");

	fclose(f);
	free(dump);
	while (nfillers > 0)
		free_one();
	for (i = 0; i < 4; i++)
		close(c[i]);
	printf("ok\n");
	return 0;
}

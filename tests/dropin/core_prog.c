/* A small program of libevent's core, built against Debian's libevent and run on evshim
 * unmodified (tests/dropin/run.sh): a timer, a pipe, a signal, evbuffers; with
 * PTHREADS defined also a second thread waking the loop. Prints its results on stdout and
 * the libevent objects mapped into it on stderr ("mapped: PATH"). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/buffer.h>
#include <event2/event.h>
#ifdef PTHREADS
#include <pthread.h>
#include <event2/thread.h>
#endif

static int fired[3];

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)arg;
	fired[0]++;
	printf("timer what=0x%x\n", what);
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	char b[64];
	ssize_t n = read(fd, b, sizeof(b));
	evbuffer_add(arg, b, n > 0 ? (size_t)n : 0);
	fired[1]++;
	printf("read what=0x%x n=%zd\n", what, n);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)arg;
	fired[2]++;
	printf("signal %s what=0x%x\n", sig == SIGUSR1 ? "USR1" : "?", what);
}

#ifdef PTHREADS
static struct event *user;

static void on_user(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)arg;
	printf("user event from another thread what=0x%x\n", what);
}

static void *wake(void *arg)
{
	(void)arg;
	event_active(user, EV_READ, 0);
	return NULL;
}
#endif

int main(void)
{
#ifdef PTHREADS
	printf("evthread_use_pthreads=%d\n", evthread_use_pthreads());
#endif
	printf("version %s 0x%08x event size %zu\n", event_get_version(), (unsigned)event_get_version_number(),
	    event_get_struct_event_size());
	struct event_base *base = event_base_new();
	struct evbuffer *in = evbuffer_new();
	int fds[2];
	if (pipe(fds) != 0)
		return 1;
	struct timeval t20 = {0, 20000};
	struct event *t = evtimer_new(base, on_timer, NULL);
	struct event *r = event_new(base, fds[0], EV_READ | EV_PERSIST, on_read, in);
	struct event *s = evsignal_new(base, SIGUSR1, on_signal, NULL);
	evtimer_add(t, &t20);
	event_add(r, NULL);
	event_add(s, NULL);
	if (write(fds[1], "hello, evshim\nsecond line\n", 26) != 26)
		return 1;
	raise(SIGUSR1);
#ifdef PTHREADS
	user = event_new(base, -1, 0, on_user, NULL);
	pthread_t th;
	pthread_create(&th, NULL, wake, NULL);
	pthread_join(th, NULL);
#endif
	event_base_loopexit(base, &(struct timeval){0, 100000});
	event_base_dispatch(base);
	char *line = evbuffer_readln(in, NULL, EVBUFFER_EOL_LF);
	printf("fired %d %d %d first line '%s' left %zu\n", fired[0], fired[1], fired[2], line ? line : "(null)",
	    evbuffer_get_length(in));
	free(line);
	event_free(t);
	event_free(r);
	event_free(s);
#ifdef PTHREADS
	event_free(user);
#endif
	evbuffer_free(in);
	event_base_free(base);
	FILE *maps = fopen("/proc/self/maps", "r");
	char l[4096], last[4096] = "";
	while (maps && fgets(l, sizeof(l), maps)) {
		char *p = strchr(l, '/');
		if (p && strstr(p, "libevent") && strcmp(p, last) != 0) {
			fprintf(stderr, "mapped: %s", p);
			strcpy(last, p);
		}
	}
	if (maps)
		fclose(maps);
	return 0;
}

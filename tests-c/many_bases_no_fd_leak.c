/* Creating and freeing many bases (with signals, threads, events) leaks no
 * file descriptors. */
#include <stdio.h>
#include <signal.h>
#include <dirent.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/thread.h>

static int count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }

static void cycle(int with_events)
{
	struct event_base *b = event_base_new();
	if (with_events) {
		int sv[2];
		struct timeval t = {0, 1000};
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			return;
		struct event *r = event_new(b, sv[0], EV_READ, cb, NULL);
		struct event *s = evsignal_new(b, SIGUSR1, cb, NULL);
		struct event *t1 = evtimer_new(b, cb, NULL);
		event_add(r, NULL);
		evsignal_add(s, NULL);
		evtimer_add(t1, &t);
		event_base_loop(b, EVLOOP_ONCE);
		event_free(r);
		event_free(s);
		event_free(t1);
		close(sv[0]);
		close(sv[1]);
	}
	event_base_free(b);
}

int main(void)
{
	/* warm up lazily created global state, then measure */
	cycle(1);
	int before = count_fds();
	for (int i = 0; i < 200; i++)
		cycle(i % 2);
	printf("200 plain/eventful bases: fds leaked=%d\n", count_fds() - before);
	evthread_use_pthreads();
	cycle(1);
	before = count_fds();
	for (int i = 0; i < 200; i++)
		cycle(i % 2);
	printf("200 bases with pthreads: fds leaked=%d\n", count_fds() - before);
	struct event_base *keep = event_base_new();
	printf("a live base holds some fds: %d\n", count_fds() - before > 0);
	event_base_free(keep);
	return 0;
}

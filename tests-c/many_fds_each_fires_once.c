/* 300 socketpairs with read events: writing to every 7th makes exactly those
 * callbacks run, once each; deleting half leaves the rest working. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

#define N 300
static int fds[N][2];
static int hits[N];

static void cb(evutil_socket_t fd, short what, void *arg)
{
	int i = (int)(long)arg;
	char c;
	(void)what;
	if (read(fd, &c, 1) == 1)
		hits[i]++;
}

static void report(const char *label)
{
	int count = 0;
	long sum = 0;
	int multi = 0;
	for (int i = 0; i < N; i++) {
		if (hits[i])
			count++;
		if (hits[i] > 1)
			multi++;
		sum += (long)i * hits[i];
		hits[i] = 0;
	}
	printf("%s: fired=%d index sum=%ld fired twice=%d\n", label, count, sum, multi);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct event *ev[N];

	for (int i = 0; i < N; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds[i]) < 0)
			return 1;
		ev[i] = event_new(base, fds[i][0], EV_READ | EV_PERSIST, cb, (void *)(long)i);
		event_add(ev[i], NULL);
	}
	printf("added=%d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
	for (int i = 0; i < N; i += 7)
		if (write(fds[i][1], "x", 1) != 1)
			return 1;
	event_base_loop(base, EVLOOP_NONBLOCK);
	report("every 7th written");
	for (int i = 0; i < N; i += 2)
		event_del(ev[i]);
	for (int i = 0; i < N; i++)
		if (write(fds[i][1], "y", 1) != 1)
			return 1;
	event_base_loop(base, EVLOOP_NONBLOCK);
	report("all written, evens deleted");
	for (int i = 0; i < N; i++) {
		event_free(ev[i]);
		close(fds[i][0]);
		close(fds[i][1]);
	}
	event_base_free(base);
	return 0;
}

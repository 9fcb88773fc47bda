/* A forking server's pattern (tmux, daemons): many events added before fork -- persistent
 * reads on 16 socketpairs, a read+timeout event, write events, three signals, a pending
 * timer -- and after event_reinit in the child every one of them fires again; the kernel
 * state was re-created for each (a fresh epoll set, fresh signal plumbing). */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <event2/event.h>

#define NPAIRS 16
static int reads[NPAIRS], writes, sigs[3], timers, rt_read, rt_timeout;
static struct event_base *base;
/* Globals, so they stay reachable when the child _exits (the valgrind pass counts lost
 * blocks as leaks). */
static struct event *volatile rtev, *volatile tm;

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	char b[16];
	(void)what;
	if (read(fd, b, sizeof(b)) > 0)
		reads[(long)arg]++;
}

static void on_write(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	writes++;
	event_del(arg);
}

static void on_sig(evutil_socket_t sig, short what, void *arg)
{
	(void)what; (void)arg;
	sigs[sig == SIGUSR1 ? 0 : sig == SIGUSR2 ? 1 : 2]++;
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	timers++;
}

static void on_rt(evutil_socket_t fd, short what, void *arg)
{
	char b[16];
	(void)arg;
	if (what & EV_READ) {
		if (read(fd, b, sizeof(b)) > 0)
			rt_read++;
	}
	if (what & EV_TIMEOUT)
		rt_timeout++;
}

static void report(const char *who)
{
	int r = 0;
	for (int i = 0; i < NPAIRS; i++)
		r += reads[i] == 1;
	printf("%s: fds read once %d/%d writes %d signals %d %d %d timers %d rt read %d timeout %d\n", who, r, NPAIRS,
	    writes, sigs[0], sigs[1], sigs[2], timers, rt_read, rt_timeout);
}

static void reset(void)
{
	for (int i = 0; i < NPAIRS; i++)
		reads[i] = 0;
	writes = sigs[0] = sigs[1] = sigs[2] = timers = rt_read = rt_timeout = 0;
}

/* Make every source ready and run the loop until all of it was seen. */
static void exercise(int sv[][2], int rt[2], struct event **wr, struct event *tm, struct event *rtev)
{
	struct timeval t30 = {0, 30000}, t100 = {0, 100000};
	for (int i = 0; i < NPAIRS; i++)
		if (write(sv[i][1], "x", 1) != 1)
			_exit(3);
	if (write(rt[1], "y", 1) != 1)
		_exit(3);
	raise(SIGUSR1);
	raise(SIGUSR2);
	raise(SIGHUP);
	event_add(wr[0], NULL);
	event_add(wr[1], NULL);
	evtimer_add(tm, &t30);
	event_base_loopexit(base, &t100);
	event_base_dispatch(base);
	/* The read+timeout event, re-added with nothing to read, times out. */
	event_add(rtev, &t30);
	event_base_loopexit(base, &t100);
	event_base_dispatch(base);
}

int main(void)
{
	int sv[NPAIRS][2], rt[2];
	struct event *rd[NPAIRS], *wr[2], *sg[3];
	struct timeval t50 = {0, 50000};
	base = event_base_new();
	for (long i = 0; i < NPAIRS; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i]) < 0)
			return 1;
		rd[i] = event_new(base, sv[i][0], EV_READ | EV_PERSIST, on_read, (void *)i);
		event_add(rd[i], NULL);
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, rt) < 0)
		return 1;
	rtev = event_new(base, rt[0], EV_READ, on_rt, NULL);
	event_add(rtev, &t50);
	wr[0] = event_new(base, sv[0][1], EV_WRITE | EV_PERSIST, on_write, NULL);
	event_assign(wr[0], base, sv[0][1], EV_WRITE | EV_PERSIST, on_write, wr[0]);
	wr[1] = event_new(base, sv[1][1], EV_WRITE | EV_PERSIST, on_write, NULL);
	event_assign(wr[1], base, sv[1][1], EV_WRITE | EV_PERSIST, on_write, wr[1]);
	int signals[3] = {SIGUSR1, SIGUSR2, SIGHUP};
	for (int i = 0; i < 3; i++) {
		sg[i] = evsignal_new(base, signals[i], on_sig, NULL);
		event_add(sg[i], NULL);
	}
	tm = evtimer_new(base, on_timer, NULL);
	evtimer_add(tm, &t50);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		printf("child: reinit=%d events=%d\n", event_reinit(base), event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
		exercise(sv, rt, wr, tm, rtev);
		report("child");
		fflush(stdout);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("parent: child exited normally=%d code=%d\n", WIFEXITED(status), WEXITSTATUS(status));
	/* The child drained the socketpairs it shared with us; the parent's base still works. */
	reset();
	exercise(sv, rt, wr, tm, rtev);
	report("parent");
	for (int i = 0; i < NPAIRS; i++)
		event_free(rd[i]);
	for (int i = 0; i < 3; i++)
		event_free(sg[i]);
	event_free(wr[0]);
	event_free(wr[1]);
	event_free(tm);
	event_free(rtev);
	event_base_free(base);
	return 0;
}

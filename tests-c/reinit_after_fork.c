/* After fork, event_reinit lets the child keep using the base: fd, timer and
 * signal events work in the child; the parent's base is unaffected. */
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <event2/event.h>

static const char *who = "parent";

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	char c;
	(void)arg;
	if (read(fd, &c, 1) == 1)
		printf("%s: read '%c' what=0x%02x\n", who, c, what);
}

static void on_sig(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)arg;
	printf("%s: signal what=0x%02x\n", who, what);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)arg;
	printf("%s: timer what=0x%02x\n", who, what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t10 = {0, 10000};
	int sv[2];
	int status;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	struct event *rd = event_new(base, sv[0], EV_READ | EV_PERSIST, on_read, NULL);
	struct event *sig = evsignal_new(base, SIGUSR1, on_sig, NULL);
	struct event *tm = evtimer_new(base, on_timer, NULL);
	event_add(rd, NULL);
	evsignal_add(sig, NULL);

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		who = "child";
		printf("child: reinit=%d\n", event_reinit(base));
		if (write(sv[1], "c", 1) != 1)
			_exit(2);
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		raise(SIGUSR1);
		event_base_loop(base, EVLOOP_ONCE);
		evtimer_add(tm, &t10);
		event_base_loop(base, EVLOOP_ONCE);
		printf("child: method %s\n", event_base_get_method(base));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("parent: child exited normally=%d code=%d\n", WIFEXITED(status), WEXITSTATUS(status));
	if (write(sv[1], "p", 1) != 1)
		return 1;
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	raise(SIGUSR1);
	event_base_loop(base, EVLOOP_ONCE);
	printf("parent: reinit without fork=%d\n", event_reinit(base));
	if (write(sv[1], "q", 1) != 1)
		return 1;
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	event_free(rd);
	event_free(sig);
	event_free(tm);
	event_base_free(base);
	return 0;
}

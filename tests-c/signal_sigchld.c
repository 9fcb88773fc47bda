/* A SIGCHLD event fires when a forked child exits; the child can be reaped in it. */
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <event2/event.h>

static struct event_base *base;
static int reaped;

static void on_chld(evutil_socket_t sig, short what, void *arg)
{
	int st;
	(void)arg;
	pid_t p;
	while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
		reaped++;
		printf("SIGCHLD (%d, what=0x%02x): child exited with %d\n", sig == SIGCHLD, what,
		    WEXITSTATUS(st));
	}
	if (reaped == 2)
		event_base_loopbreak(base);
}

int main(void)
{
	struct timeval five = {5, 0};
	base = event_base_new();
	struct event *ev = evsignal_new(base, SIGCHLD, on_chld, NULL);
	evsignal_add(ev, NULL);
	fflush(stdout);
	if (fork() == 0)
		_exit(3);
	int r = event_base_loop(base, EVLOOP_ONCE);
	printf("first loop=%d reaped=%d\n", r, reaped);
	fflush(stdout);
	if (fork() == 0) {
		usleep(30000);
		_exit(4);
	}
	event_base_loopexit(base, &five);
	r = event_base_dispatch(base);
	printf("dispatch=%d reaped=%d got_break=%d\n", r, reaped, event_base_got_break(base));
	event_free(ev);
	event_base_free(base);
	return 0;
}

/* Debug mode: event_assign over an added event aborts; after event_del it is fine.
 * event_debug_unassign on an added event aborts too. */
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <event2/event.h>
#include <event2/event_struct.h>

static void quiet(int sev, const char *msg) { (void)sev; (void)msg; }
static void cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }

static void child(int scenario)
{
	struct event ev;
	struct timeval t1 = {1, 0};
	event_enable_debug_mode();
	struct event_base *base = event_base_new();
	evtimer_assign(&ev, base, cb, NULL);
	evtimer_add(&ev, &t1);
	int r = 0;
	if (scenario == 0) {
		r = evtimer_assign(&ev, base, cb, NULL);
	} else if (scenario == 1) {
		evtimer_del(&ev);
		r = evtimer_assign(&ev, base, cb, NULL);
	} else if (scenario == 2) {
		event_debug_unassign(&ev);
	} else {
		evtimer_del(&ev);
		event_debug_unassign(&ev);
		printf("    initialized after unassign=%d\n", event_initialized(&ev));
	}
	printf("    returned %d\n", r);
	fflush(stdout);
	_exit(0);
}

int main(void)
{
	static const char *names[] = {"assign while added", "assign after del",
	    "unassign while added", "unassign after del"};
	event_set_log_callback(quiet);
	for (int s = 0; s < 4; s++) {
		int st;
		printf("%s:\n", names[s]);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			child(s);
		waitpid(pid, &st, 0);
		printf("  exited=%d aborted=%d\n", WIFEXITED(st), WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	}
	return 0;
}

/* Debug mode: event_add / event_pending on a never-assigned struct event
 * aborts; without debug mode event_add just fails. */
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <event2/event.h>
#include <event2/event_struct.h>

static void quiet(int sev, const char *msg) { (void)sev; (void)msg; }

static void child(int debug, int op)
{
	struct event ev;
	if (debug)
		event_enable_debug_mode();
	struct event_base *base = event_base_new();
	memset(&ev, 0, sizeof ev);
	ev.ev_base = base; /* looks plausible, but was never assigned */
	int r = op == 0 ? event_add(&ev, NULL) : event_pending(&ev, EV_READ, NULL);
	printf("    returned %d\n", r);
	fflush(stdout);
	_exit(0);
}

static void run(int debug, int op)
{
	int st;
	printf("%s, %s:\n", debug ? "debug mode" : "no debug mode", op == 0 ? "event_add" : "event_pending");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		child(debug, op);
	waitpid(pid, &st, 0);
	printf("  exited=%d aborted=%d\n", WIFEXITED(st), WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
}

int main(void)
{
	event_set_log_callback(quiet);
	run(1, 0);
	run(1, 1);
	run(0, 1);
	return 0;
}

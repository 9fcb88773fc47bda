/* event_enable_debug_mode after creating a base, or twice, is a fatal error
 * (exit status 1, not an abort); a fatal callback sees the error code. */
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include <event2/event.h>

static void quiet(int sev, const char *msg) { (void)sev; (void)msg; }
static void fatal(int err)
{
	printf("    fatal callback err=%d\n", err);
	fflush(stdout);
	_exit(7);
}

static void child(int scenario)
{
	if (scenario == 2)
		event_set_fatal_callback(fatal);
	if (scenario == 0) {
		event_base_free(event_base_new());
		event_enable_debug_mode();
	} else {
		event_enable_debug_mode();
		event_enable_debug_mode();
	}
	printf("    survived\n");
	fflush(stdout);
	_exit(0);
}

int main(void)
{
	static const char *names[] = {"after a base", "twice", "twice with fatal callback"};
	event_set_log_callback(quiet);
	for (int s = 0; s < 3; s++) {
		int st;
		printf("%s:\n", names[s]);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			child(s);
		waitpid(pid, &st, 0);
		printf("  exited=%d status=%d aborted=%d\n", WIFEXITED(st), WIFEXITED(st) ? WEXITSTATUS(st) : -1,
		    WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	}
	return 0;
}

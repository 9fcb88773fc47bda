/* Debug mode: event_assign/event_new on a blocking socket aborts (libevent
 * asserts O_NONBLOCK); a nonblocking one, fd -1 and signals are fine. Without
 * debug mode a blocking socket is accepted. */
#include <stdio.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <event2/event.h>

static void quiet(int sev, const char *msg) { (void)sev; (void)msg; }
static void cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }

/* The child _exits without freeing them: kept reachable, they are no leak to the valgrind
 * pass (VALGRIND=1 tests-c/run.sh). */
static struct event_base *volatile base; /* volatile: written, never read */
static struct event *volatile ev;

static void child(int debug, int scenario)
{
	int sv[2];
	if (debug)
		event_enable_debug_mode();
	base = event_base_new();
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		_exit(2);
	if (scenario == 1)
		fcntl(sv[0], F_SETFL, O_NONBLOCK);
	if (scenario <= 1)
		ev = event_new(base, sv[0], EV_READ, cb, NULL);
	else if (scenario == 2)
		ev = event_new(base, -1, 0, cb, NULL);
	else
		ev = evsignal_new(base, SIGUSR1, cb, NULL);
	printf("    event_new ok=%d\n", ev != NULL);
	fflush(stdout);
	_exit(0);
}

int main(void)
{
	static const char *names[] = {"blocking socket", "nonblocking socket", "fd -1", "signal"};
	event_set_log_callback(quiet);
	for (int debug = 1; debug >= 0; debug--) {
		for (int s = 0; s < 4; s++) {
			if (!debug && s > 0)
				break;
			int st;
			printf("%s, %s:\n", debug ? "debug mode" : "no debug mode", names[s]);
			fflush(stdout);
			pid_t pid = fork();
			if (pid == 0)
				child(debug, s);
			waitpid(pid, &st, 0);
			printf("  exited=%d aborted=%d\n", WIFEXITED(st),
			    WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
		}
	}
	return 0;
}

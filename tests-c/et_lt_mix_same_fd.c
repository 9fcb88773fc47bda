/* Edge- and level-triggered events on one fd: accepted normally (the fd's
 * registration becomes edge-triggered for all of its events), refused with a
 * warning in debug mode. */
#include <stdio.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <event2/event.h>

static int warnings, lt_calls, et_calls;
static void logcb(int sev, const char *msg) { (void)msg; if (sev == EVENT_LOG_WARN) warnings++; }

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(*(int *)arg)++;
}

static void run(int debug)
{
	if (debug)
		event_enable_debug_mode();
	struct event_base *base = event_base_new();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return;
	fcntl(sv[0], F_SETFL, O_NONBLOCK); /* debug mode insists */
	struct event *lt = event_new(base, sv[0], EV_READ | EV_PERSIST, cb, &lt_calls);
	struct event *et = event_new(base, sv[0], EV_WRITE | EV_ET | EV_PERSIST, cb, &et_calls);
	int r = event_add(lt, NULL);
	printf("  add LT=%d\n", r);
	warnings = 0;
	r = event_add(et, NULL);
	printf("  add ET on same fd=%d warned=%d\n", r, warnings > 0);
	if (write(sv[1], "x", 1) != 1)
		return;
	for (int i = 0; i < 3; i++)
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	printf("  3 loops, unread byte: LT calls=%d ET calls=%d\n", lt_calls, et_calls);
	event_free(lt);
	event_free(et);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
}

int main(void)
{
	int st;
	event_set_log_callback(logcb);
	/* debug mode must be enabled before any base exists: do it in a child first */
	printf("debug mode:\n");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		run(1);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("  child exited=%d status=%d\n", WIFEXITED(st), WEXITSTATUS(st));
	printf("normal mode:\n");
	run(0);
	return 0;
}

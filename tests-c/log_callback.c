/* event_set_log_callback receives libevent's warnings (severity only is
 * compared, never the text); debug logging reaches it only when enabled. */
#include <stdio.h>
#include <string.h>
#include <event2/event.h>
#include <event2/event_struct.h>

static int count, last_sev = -1, nonempty, debug_count;

static void logcb(int severity, const char *msg)
{
	if (severity == EVENT_LOG_DEBUG) {
		debug_count++;
		return;
	}
	count++;
	last_sev = severity;
	nonempty = msg != NULL && strlen(msg) > 0;
}

static void reset(void) { count = 0; last_sev = -1; nonempty = 0; }
static void report(const char *what, int ret)
{
	printf("%-36s ret=%d messages=%d severity=%d text non-empty=%d\n", what, ret, count,
	    last_sev, nonempty);
	reset();
}

static struct event_base *gbase;
static void reenter(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	reset();
	report("reentrant event_base_loop", event_base_loop(gbase, EVLOOP_NONBLOCK));
}

static void nop(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }

int main(void)
{
	struct event zeroed;
	memset(&zeroed, 0, sizeof zeroed);
	event_set_log_callback(logcb);
	printf("severity constants: %d %d %d %d\n", EVENT_LOG_DEBUG, EVENT_LOG_MSG, EVENT_LOG_WARN,
	    EVENT_LOG_ERR);

	report("event_add on a base-less event", event_add(&zeroed, NULL));
	report("event_pending on a base-less event", event_pending(&zeroed, EV_READ, NULL));
	event_base_free(NULL);
	report("event_base_free(NULL)", 0);

	gbase = event_base_new();
	struct event *ev = event_new(gbase, -1, 0, reenter, NULL);
	event_active(ev, EV_READ, 0);
	event_base_dispatch(gbase);

	/* no messages for normal operation */
	reset();
	struct event *t = evtimer_new(gbase, nop, NULL);
	struct timeval tv = {0, 1000};
	evtimer_add(t, &tv);
	event_base_dispatch(gbase);
	report("normal timer run", 0);
	printf("debug messages without debug logging: %d\n", debug_count);

	event_enable_debug_logging(EVENT_DBG_ALL);
	evtimer_add(t, &tv);
	event_base_dispatch(gbase);
	printf("debug messages with EVENT_DBG_ALL: %d\n", debug_count > 0);
	event_enable_debug_logging(EVENT_DBG_NONE);
	debug_count = 0;
	evtimer_add(t, &tv);
	event_base_dispatch(gbase);
	printf("debug messages after EVENT_DBG_NONE: %d\n", debug_count);

	event_set_log_callback(NULL);
	event_free(ev);
	event_free(t);
	event_base_free(gbase);
	return 0;
}

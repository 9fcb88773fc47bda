/* evshim-only */
/* While bufferevent_flush_and_close runs, the bufferevent belongs to the library: a
 * bufferevent_free, a bufferevent_setcb, a second bufferevent_flush_and_close, and every other
 * call that would change it or its data (write, enable, disable, setfd, set_timeouts, read)
 * is refused with one log message each (counted through event_set_log_callback) and changes
 * nothing: the callbacks installed by the refused bufferevent_setcb never run, the 1 MiB
 * message still arrives whole (the refused free did not discard it), then EOF, and the
 * socket is closed when event_base_dispatch returns. */
#include <signal.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <evshim.h>
#include "flush_peer.h"

#ifndef EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE
#error "evshim.h does not declare bufferevent_flush_and_close (EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE)"
#endif

#define MSG_LEN (1 << 20)

static unsigned char *msg;
static int logs, warnings;

static void log_cb(int severity, const char *text)
{
	(void)text;
	logs++;
	if (severity == EVENT_LOG_WARN)
		warnings++;
}

static void serve(struct bufferevent *bev)
{
	int before;
	bufferevent_write(bev, msg, MSG_LEN);
	closing = 1;
	check(bufferevent_flush_and_close(bev) == 0, "bufferevent_flush_and_close returned 0");
	check(logs == 0, "no log message so far");

	before = logs;
	bufferevent_free(bev);
	check(logs == before + 1, "bufferevent_free: refused with a log message");

	before = logs;
	bufferevent_setcb(bev, late_datacb, late_datacb, late_eventcb, NULL);
	check(logs == before + 1, "bufferevent_setcb: refused with a log message");

	before = logs;
	check(bufferevent_flush_and_close(bev) == -1, "a second bufferevent_flush_and_close returned -1");
	check(logs == before + 1, "with a log message");

	before = logs;
	check(bufferevent_write(bev, "late", 4) == -1, "bufferevent_write returned -1");
	check(bufferevent_disable(bev, EV_WRITE) == -1, "bufferevent_disable returned -1");
	check(bufferevent_enable(bev, EV_READ) == -1, "bufferevent_enable returned -1");
	check(bufferevent_setfd(bev, -1) == -1, "bufferevent_setfd returned -1");
	check(bufferevent_set_timeouts(bev, NULL, NULL) == -1, "bufferevent_set_timeouts returned -1");
	{
		char c;
		check(bufferevent_read(bev, &c, 1) == 0, "bufferevent_read read nothing");
	}
	check(logs == before + 6, "each refused with a log message");
	check(warnings == logs, "each one a warning");
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	event_set_log_callback(log_cb);
	msg = pattern_message(MSG_LEN);
	struct peer_opts o = message_peer(msg, MSG_LEN, 256 << 10);
	return flush_and_close_scenario(&o, serve, NULL);
}

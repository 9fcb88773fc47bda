/* EVENT_SHOW_METHOD makes event_base_new log the chosen method as a message (severity
 * EVENT_LOG_MSG) naming it. Unlike EVENT_NO<METHOD> and EVENT_PRECISE_TIMER, libevent 2.1.12
 * reads it even under EVENT_BASE_FLAG_IGNORE_ENV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <event2/event.h>

static int msgs, names_method;
static const char *want;

static void logcb(int severity, const char *msg)
{
	if (severity == EVENT_LOG_MSG) {
		msgs++;
		names_method += want && strstr(msg, want) != NULL;
	}
}

static void make(const char *label, int flags)
{
	msgs = names_method = 0;
	struct event_config *cfg = event_config_new();
	event_config_set_flag(cfg, flags);
	struct event_base *b = event_base_new_with_config(cfg);
	event_config_free(cfg);
	want = event_base_get_method(b);
	printf("%-28s method=%s messages=%d\n", label, want, msgs);
	event_base_free(b);
}

int main(void)
{
	event_set_log_callback(logcb);
	unsetenv("EVENT_SHOW_METHOD");
	make("no env", 0);
	setenv("EVENT_SHOW_METHOD", "1", 1);
	make("EVENT_SHOW_METHOD", 0);
	make("EVENT_SHOW_METHOD+IGNORE_ENV", EVENT_BASE_FLAG_IGNORE_ENV);
	setenv("EVENT_NOEPOLL", "1", 1);
	want = "poll";
	msgs = names_method = 0;
	struct event_base *b = event_base_new();
	printf("%-28s method=%s messages=%d names it=%d\n", "SHOW_METHOD+NOEPOLL", event_base_get_method(b), msgs,
	    names_method);
	event_base_free(b);
	return 0;
}

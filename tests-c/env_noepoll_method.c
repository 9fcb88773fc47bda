/* EVENT_NO<METHOD> environment variables steer backend choice unless
 * EVENT_BASE_FLAG_IGNORE_ENV is set. */
#include <stdio.h>
#include <stdlib.h>
#include <event2/event.h>

static void show(const char *label, int flags)
{
	struct event_config *cfg = event_config_new();
	event_config_set_flag(cfg, flags);
	struct event_base *base = event_base_new_with_config(cfg);
	printf("%-34s -> %s\n", label, base ? event_base_get_method(base) : "(no base)");
	if (base)
		event_base_free(base);
	event_config_free(cfg);
}

int main(void)
{
	unsetenv("EVENT_NOEPOLL");
	unsetenv("EVENT_NOPOLL");
	unsetenv("EVENT_NOSELECT");
	show("no env", 0);
	setenv("EVENT_NOEPOLL", "1", 1);
	show("EVENT_NOEPOLL", 0);
	struct event_base *b = event_base_new();
	printf("%-34s -> %s\n", "EVENT_NOEPOLL, event_base_new", event_base_get_method(b));
	event_base_free(b);
	show("EVENT_NOEPOLL + IGNORE_ENV", EVENT_BASE_FLAG_IGNORE_ENV);
	setenv("EVENT_NOEPOLL", "", 1);
	show("EVENT_NOEPOLL empty", 0);
	setenv("EVENT_NOPOLL", "yes", 1);
	show("EVENT_NOEPOLL + EVENT_NOPOLL", 0);
	setenv("EVENT_NOSELECT", "1", 1);
	show("all three", 0);
	show("all three + IGNORE_ENV", EVENT_BASE_FLAG_IGNORE_ENV);
	return 0;
}

/* event_config_require_features selects a backend that has the features;
 * impossible combinations give NULL. Also event_base_get_features. */
#include <stdio.h>
#include <event2/event.h>

static void try(int features, int flag)
{
	struct event_config *cfg = event_config_new();
	int r = event_config_require_features(cfg, features);
	int rf = event_config_set_flag(cfg, flag);
	struct event_base *base = event_base_new_with_config(cfg);
	printf("require 0x%02x (ret %d) flag 0x%02x (ret %d) -> %s", features, r, flag, rf,
	    base ? event_base_get_method(base) : "(no base)");
	if (base) {
		printf(" features=0x%02x", event_base_get_features(base));
		event_base_free(base);
	}
	printf("\n");
	event_config_free(cfg);
}

int main(void)
{
	try(0, 0);
	try(EV_FEATURE_ET, 0);
	try(EV_FEATURE_O1, 0);
	try(EV_FEATURE_FDS, 0);
	try(EV_FEATURE_EARLY_CLOSE, 0);
	try(EV_FEATURE_O1 | EV_FEATURE_FDS, 0);
	try(EV_FEATURE_ET | EV_FEATURE_EARLY_CLOSE, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	try(0, EVENT_BASE_FLAG_NOLOCK | EVENT_BASE_FLAG_PRECISE_TIMER);
	struct event_config *cfg = event_config_new();
	printf("num_cpus_hint=%d\n", event_config_set_num_cpus_hint(cfg, 4));
	struct timeval tv = {0, 5000};
	printf("max_dispatch_interval=%d\n", event_config_set_max_dispatch_interval(cfg, &tv, 10, 1));
	struct event_base *b = event_base_new_with_config(cfg);
	printf("base with dispatch limits ok=%d\n", b != NULL);
	event_base_free(b);
	event_config_free(cfg);
	return 0;
}

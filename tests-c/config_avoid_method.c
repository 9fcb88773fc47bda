/* event_config_avoid_method picks the next backend; avoiding all gives NULL. */
#include <stdio.h>
#include <event2/event.h>

static void try(const char **avoid)
{
	struct event_config *cfg = event_config_new();
	for (int i = 0; avoid[i]; i++)
		printf("avoid %s=%d ", avoid[i], event_config_avoid_method(cfg, avoid[i]));
	struct event_base *base = event_base_new_with_config(cfg);
	if (base)
		printf("-> %s features=0x%02x\n", event_base_get_method(base), event_base_get_features(base));
	else
		printf("-> (no base)\n");
	if (base)
		event_base_free(base);
	event_config_free(cfg);
}

int main(void)
{
	const char **m = event_get_supported_methods();
	printf("supported:");
	for (int i = 0; m[i]; i++)
		printf(" %s", m[i]);
	printf("\n");

	const char *none[] = {NULL};
	const char *ep[] = {"epoll", NULL};
	const char *ep_poll[] = {"epoll", "poll", NULL};
	const char *all[] = {"epoll", "poll", "select", NULL};
	const char *bogus[] = {"kqueue", "nonsense", NULL};
	const char *twice[] = {"epoll", "epoll", NULL};
	try(none);
	try(ep);
	try(ep_poll);
	try(all);
	try(bogus);
	try(twice);

	struct event_base *b = event_base_new_with_config(NULL);
	printf("new_with_config(NULL) -> %s\n", b ? event_base_get_method(b) : "(no base)");
	event_base_free(b);
	return 0;
}

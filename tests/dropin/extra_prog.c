/* A program that needs libevent_extra (evhttp) beside the core: evshim does not provide it,
 * so in both modes the program must stop at load with a message naming what is missing,
 * never run on a half-loaded libevent (tests/dropin/run.sh). */
#include <stdio.h>
#include <event2/event.h>
#include <event2/http.h>

int main(void)
{
	struct event_base *base = event_base_new();
	struct evhttp *http = evhttp_new(base);
	printf("evhttp_new=%d\n", http != NULL);
	if (http)
		evhttp_free(http);
	event_base_free(base);
	return 0;
}

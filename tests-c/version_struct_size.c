/* redsocks' startup checks: the run-time version equals the one compiled against, as a
 * string and as a number, and event_get_struct_event_size() equals sizeof(struct event). */
#include <stdio.h>
#include <string.h>
#include <event2/event.h>
#include <event2/event_struct.h>

int main(void)
{
	printf("version %s number 0x%08x\n", event_get_version(), (unsigned)event_get_version_number());
	printf("string equals LIBEVENT_VERSION=%d number equals LIBEVENT_VERSION_NUMBER=%d\n",
	    strcmp(event_get_version(), LIBEVENT_VERSION) == 0,
	    event_get_version_number() == LIBEVENT_VERSION_NUMBER);
	printf("event_get_struct_event_size=%zu sizeof(struct event)=%zu\n", event_get_struct_event_size(),
	    sizeof(struct event));
	return 0;
}

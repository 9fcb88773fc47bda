/* event_get_version / event_get_version_number agree with the LIBEVENT_VERSION macros. */
#include <stdio.h>
#include <string.h>
#include <event2/event.h>

int main(void)
{
	printf("version: %s\n", event_get_version());
	printf("version_number: 0x%08x\n", (unsigned)event_get_version_number());
	printf("LIBEVENT_VERSION: %s\n", LIBEVENT_VERSION);
	printf("LIBEVENT_VERSION_NUMBER: 0x%08x\n", (unsigned)LIBEVENT_VERSION_NUMBER);
	printf("string matches macro: %d\n", strcmp(event_get_version(), LIBEVENT_VERSION) == 0);
	printf("number matches macro: %d\n",
	    event_get_version_number() == LIBEVENT_VERSION_NUMBER);
	return 0;
}

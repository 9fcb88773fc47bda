/* EVUTIL_EAI_ADDRFAMILY and EVUTIL_EAI_NODATA follow <netdb.h>: when it is read first without
 * _GNU_SOURCE it lacks EAI_ADDRFAMILY/EAI_NODATA and libevent uses its own -901/-907. */
#include <netdb.h>
#include <event2/util.h>
#include <stdio.h>

int main(void)
{
	printf("ADDRFAMILY=%d NODATA=%d\n", EVUTIL_EAI_ADDRFAMILY, EVUTIL_EAI_NODATA);
	printf("strerror(-901)=%s\n", evutil_gai_strerror(EVUTIL_EAI_ADDRFAMILY));
	printf("strerror(-907)=%s\n", evutil_gai_strerror(EVUTIL_EAI_NODATA));
	return 0;
}

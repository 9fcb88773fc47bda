/* util.h's constants and macros: integer limits and types, EVUTIL_EAI_* and EVUTIL_AI_*
 * values, socket error macros, offsetof, and the keyvalq list type. */
#include <event2/util.h>
#include <event2/keyvalq_struct.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	struct evkeyvalq q;
	struct evkeyval kv;
	printf("sizes: u64=%d i64=%d u32=%d u16=%d u8=%d ptr=%d ssize=%d off=%d socklen=%d sock=%d\n",
	    (int)sizeof(ev_uint64_t), (int)sizeof(ev_int64_t), (int)sizeof(ev_uint32_t),
	    (int)sizeof(ev_uint16_t), (int)sizeof(ev_uint8_t), (int)sizeof(ev_uintptr_t),
	    (int)sizeof(ev_ssize_t), (int)sizeof(ev_off_t), (int)sizeof(ev_socklen_t),
	    (int)sizeof(evutil_socket_t));
	printf("limits: %llu %lld %lld %u %d %d %u %d %d %u %d %d\n",
	    (unsigned long long)EV_UINT64_MAX, (long long)EV_INT64_MAX, (long long)EV_INT64_MIN,
	    (unsigned)EV_UINT32_MAX, EV_INT32_MAX, EV_INT32_MIN, (unsigned)EV_UINT16_MAX,
	    EV_INT16_MAX, EV_INT16_MIN, (unsigned)EV_UINT8_MAX, EV_INT8_MAX, EV_INT8_MIN);
	printf("size limits: %llu %lld %lld\n", (unsigned long long)EV_SIZE_MAX,
	    (long long)EV_SSIZE_MAX, (long long)EV_SSIZE_MIN);
	printf("EAI: %d %d %d %d %d %d %d %d %d %d %d %d\n", EVUTIL_EAI_ADDRFAMILY,
	    EVUTIL_EAI_AGAIN, EVUTIL_EAI_BADFLAGS, EVUTIL_EAI_FAIL, EVUTIL_EAI_FAMILY,
	    EVUTIL_EAI_MEMORY, EVUTIL_EAI_NODATA, EVUTIL_EAI_NONAME, EVUTIL_EAI_SERVICE,
	    EVUTIL_EAI_SOCKTYPE, EVUTIL_EAI_SYSTEM, EVUTIL_EAI_CANCEL);
	printf("AI: %#x %#x %#x %#x %#x %#x %#x\n", EVUTIL_AI_PASSIVE, EVUTIL_AI_CANONNAME,
	    EVUTIL_AI_NUMERICHOST, EVUTIL_AI_NUMERICSERV, EVUTIL_AI_V4MAPPED, EVUTIL_AI_ALL,
	    EVUTIL_AI_ADDRCONFIG);
#if EVUTIL_AI_ADDRCONFIG & EVUTIL_AI_PASSIVE
	printf("preprocessor: overlap\n");
#else
	printf("preprocessor: distinct\n");
#endif
	printf("monot: %d %d invalid: %d\n", EV_MONOT_PRECISE, EV_MONOT_FALLBACK, EVUTIL_INVALID_SOCKET);
	EVUTIL_SET_SOCKET_ERROR(ECONNRESET);
	printf("socket error: %d %d %s\n", EVUTIL_SOCKET_ERROR() == ECONNRESET,
	    evutil_socket_geterror(0) == ECONNRESET, evutil_socket_error_to_string(EPIPE));
	printf("offsetof: %d %d\n", (int)evutil_offsetof(struct timeval, tv_usec),
	    (int)evutil_offsetof(struct evkeyval, key));
	printf("addrinfo: %d\n", (int)sizeof(struct evutil_addrinfo));
	q.tqh_first = &kv;
	q.tqh_last = &kv.next.tqe_next;
	kv.next.tqe_next = NULL;
	kv.next.tqe_prev = &q.tqh_first;
	kv.key = (char *)"Host";
	kv.value = (char *)"example.com";
	printf("keyvalq: %s=%s sizes %d %d\n", q.tqh_first->key, q.tqh_first->value,
	    (int)sizeof(struct evkeyval), (int)sizeof(struct evkeyvalq));
#ifdef EVENT__HAVE_GETADDRINFO
	printf("config: getaddrinfo\n");
#endif
	printf("version: %s %#x\n", EVENT__VERSION, EVENT__NUMERIC_VERSION);
	return 0;
}

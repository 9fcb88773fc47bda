/* evshim implements libevent_core and libevent_pthreads, not libevent_extra/openssl. This
 * file exists so that a program built against evshim fails here, instead of silently
 * picking up another libevent's header from the system include path. */
#error "evshim does not provide event2/rpc.h (libevent_extra / libevent_openssl)"

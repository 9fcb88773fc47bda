/* evshim: event2/bufferevent_compat.h is not implemented yet (see the project's issues). This file exists so
 * that a program built against evshim fails here, instead of silently picking up another
 * libevent's header from the system include path. */
#error "evshim does not provide event2/bufferevent_compat.h yet"

/* evshim: event2/util.h — portable helpers, and the integer and socket typedefs every other
 * libevent header uses. Prototypes and the plain constants come from evshim_generated.h;
 * this file adds the macros of libevent 2.1.12's util.h (as built for Linux), so that a
 * program that compiles against libevent's header compiles against this one. */
#ifndef EVENT2_UTIL_H_INCLUDED_
#define EVENT2_UTIL_H_INCLUDED_

#include <event2/visibility.h>
/* First, before any system header: it may turn on _GNU_SOURCE, as libevent's does. */
#include <event2/event-config.h>

#include <sys/time.h>
#include <stdint.h>
#include <sys/types.h>
#include <stddef.h>
#include <stdarg.h>
#include <netdb.h>
#include <errno.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <time.h>

/* Integer names, as macros, as libevent defines them. */
#define ev_uint64_t uint64_t
#define ev_int64_t int64_t
#define ev_uint32_t uint32_t
#define ev_int32_t int32_t
#define ev_uint16_t uint16_t
#define ev_int16_t int16_t
#define ev_uint8_t uint8_t
#define ev_int8_t int8_t
#define ev_uintptr_t uintptr_t
#define ev_intptr_t intptr_t
#define ev_ssize_t ssize_t
/* A 64-bit off_t, whatever _FILE_OFFSET_BITS the program uses (as in libevent). */
#define ev_off_t ev_int64_t

/* Limits of those types. */
#define EV_UINT64_MAX UINT64_MAX
#define EV_INT64_MAX  INT64_MAX
#define EV_INT64_MIN  INT64_MIN
#define EV_UINT32_MAX UINT32_MAX
#define EV_INT32_MAX  INT32_MAX
#define EV_INT32_MIN  INT32_MIN
#define EV_UINT16_MAX UINT16_MAX
#define EV_INT16_MIN  INT16_MIN
#define EV_INT16_MAX  INT16_MAX
#define EV_UINT8_MAX  UINT8_MAX
#define EV_INT8_MAX   INT8_MAX
#define EV_INT8_MIN   INT8_MIN
#define EV_SIZE_MAX EV_UINT64_MAX
#define EV_SSIZE_MAX EV_INT64_MAX
#define EV_SSIZE_MIN ((-EV_SSIZE_MAX) - 1)

#define ev_socklen_t socklen_t

/* What socket() and accept() return. */
#define evutil_socket_t int

/* libevent's addrinfo is the system's. */
#define evutil_addrinfo addrinfo

#include <event2/evshim_generated.h>

#ifdef __cplusplus
extern "C" {
#endif

/* C-variadic functions: cbindgen cannot write `...` (see src/ffi/variadic.rs). */
int evutil_snprintf(char *buf, size_t buflen, const char *format, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* Redeclared to add the format attribute libevent's prototype carries. */
int evutil_vsnprintf(char *buf, size_t buflen, const char *format, va_list ap)
#ifdef __GNUC__
	__attribute__((format(printf, 3, 0)))
#endif
	;

#ifdef __cplusplus
}
#endif

#define EVUTIL_CLOSESOCKET(s) evutil_closesocket(s)

/* Socket errors are errno on Unix. */
#define EVUTIL_SOCKET_ERROR() (errno)
#define EVUTIL_SET_SOCKET_ERROR(errcode)		\
		do { errno = (errcode); } while (0)
#define evutil_socket_geterror(sock) (errno)
#define evutil_socket_error_to_string(errcode) (strerror(errcode))

/* struct timeval arithmetic: the system's macros, and a comparison that accepts any of
 * ==, !=, <, <=, >, >= as `cmp`. */
#define evutil_timeradd(tvp, uvp, vvp) timeradd((tvp), (uvp), (vvp))
#define evutil_timersub(tvp, uvp, vvp) timersub((tvp), (uvp), (vvp))
#define evutil_timerclear(tvp) timerclear(tvp)
#define	evutil_timercmp(tvp, uvp, cmp)					\
	(((tvp)->tv_sec == (uvp)->tv_sec) ?				\
	 ((tvp)->tv_usec cmp (uvp)->tv_usec) :				\
	 ((tvp)->tv_sec cmp (uvp)->tv_sec))
#define evutil_timerisset(tvp) timerisset(tvp)

#define evutil_offsetof(type, field) offsetof(type, field)

#define evutil_gettimeofday(tv, tz) gettimeofday((tv), (tz))

/* These two codes exist in <netdb.h> only with _GNU_SOURCE; libevent falls back to its own
 * numbers otherwise, so their values depend on include order, exactly as with libevent. */
#if defined(EAI_ADDRFAMILY)
#define EVUTIL_EAI_ADDRFAMILY EAI_ADDRFAMILY
#else
#define EVUTIL_EAI_ADDRFAMILY -901
#endif
#if defined(EAI_NODATA) && (!defined(EAI_NONAME) || EAI_NODATA != EAI_NONAME)
#define EVUTIL_EAI_NODATA EAI_NODATA
#else
#define EVUTIL_EAI_NODATA -907
#endif

#endif /* EVENT2_UTIL_H_INCLUDED_ */

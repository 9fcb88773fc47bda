/* evshim: event2/keyvalq_struct.h — the key/value list type of libevent's HTTP API
 * (headers, query arguments). The layout is libevent's: a <sys/queue.h> TAILQ. */
#ifndef EVENT2_KEYVALQ_STRUCT_H_INCLUDED_
#define EVENT2_KEYVALQ_STRUCT_H_INCLUDED_

#ifdef __cplusplus
extern "C" {
#endif

/* Provide TAILQ_ENTRY/TAILQ_HEAD for programs that did not include <sys/queue.h>; they are
 * removed again at the end so the program's own include of <sys/queue.h> still works. */
#ifndef TAILQ_ENTRY
#define EVENT_DEFINED_TQENTRY_
#define TAILQ_ENTRY(type)						\
struct {								\
	struct type *tqe_next;	/* the next element */			\
	struct type **tqe_prev;	/* the previous element's next pointer */ \
}
#endif

#ifndef TAILQ_HEAD
#define EVENT_DEFINED_TQHEAD_
#define TAILQ_HEAD(name, type)						\
struct name {								\
	struct type *tqh_first;						\
	struct type **tqh_last;						\
}
#endif

/* One key/value pair. */
struct evkeyval {
	TAILQ_ENTRY(evkeyval) next;

	char *key;
	char *value;
};

/* A list of pairs. */
TAILQ_HEAD (evkeyvalq, evkeyval);

#ifdef EVENT_DEFINED_TQENTRY_
#undef TAILQ_ENTRY
#endif

#ifdef EVENT_DEFINED_TQHEAD_
#undef TAILQ_HEAD
#endif

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_KEYVALQ_STRUCT_H_INCLUDED_ */

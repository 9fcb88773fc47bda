/* evshim.h — extensions evshim offers beyond libevent's API. */
#ifndef EVSHIM_H_INCLUDED_
#define EVSHIM_H_INCLUDED_

#include <event2/util.h>

#endif /* EVSHIM_H_INCLUDED_ */

/* evshim-only */
/* An event set up before any base exists (event_set with no current base): every call
 * that needs the base fails with libevent's "event has no event_base set." warning
 * (libevent itself crashes on some of these: event_priority_set dereferences NULL). */
#include <event2/event.h>
#include <event2/event_compat.h>
#include <event2/event_struct.h>
#include <stdio.h>
static void logcb(int sev, const char *msg) { printf("log %d: %s\n", sev, msg); }
static void cb(evutil_socket_t fd, short w, void *a) {}
static void fin(struct event *e, void *a) {}
int main(void) {
  struct event ev; struct timeval tv;
  event_set_log_callback(logcb);
  event_set(&ev, -1, 0, cb, NULL);
  printf("add=%d\n", event_add(&ev, NULL));
  printf("del=%d\n", event_del(&ev));
  printf("del_noblock=%d\n", event_del_noblock(&ev));
  printf("pending=%d\n", event_pending(&ev, EV_TIMEOUT, &tv));
  printf("remove_timer=%d\n", event_remove_timer(&ev));
  event_active(&ev, EV_TIMEOUT, 1);
  printf("finalize=%d\n", event_finalize(0, &ev, fin));
  printf("prio=%d\n", event_priority_set(&ev, 0));
  return 0; }

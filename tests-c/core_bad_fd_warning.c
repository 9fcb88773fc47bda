/* event_add on a bad fd fails with epoll's own warning (also for a huge fd number, which
 * must not make the fd table grow to match). */
#include <event2/event.h>
#include <stdio.h>
static void logcb(int sev, const char *msg) { printf("log %d: %s\n", sev, msg); }
static void cb(evutil_socket_t fd, short w, void *a) {}
int main(void) {
  event_set_log_callback(logcb);
  struct event_base *b = event_base_new();
  struct event *e = event_new(b, 1000000, EV_READ, cb, NULL);
  printf("add=%d\n", event_add(e, NULL));
  struct event *e2 = event_new(b, 77, EV_WRITE|EV_ET, cb, NULL);
  printf("add=%d\n", event_add(e2, NULL));
  event_free(e); event_free(e2); event_base_free(b); return 0; }

/* Prints the size and field offsets of libevent's public structs. Built once against
 * Debian's headers and once against evshim's (tools/abi/check.sh), outputs diffed. */
#include <stddef.h>
#include <stdio.h>
#include <event2/event.h>
#include <event2/event_struct.h>
#include <event2/thread.h>
#include <event2/util.h>
#ifdef ABI_BUFFER
#include <event2/buffer.h>
#endif
#ifdef ABI_BUFFEREVENT
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>
#endif

#define SIZE(T) printf("sizeof(%s)=%zu\n", #T, sizeof(T))
#define OFF(T, f) printf("offsetof(%s, %s)=%zu size=%zu\n", #T, #f, offsetof(T, f), sizeof(((T *)0)->f))

int main(void)
{
	SIZE(struct event);
	OFF(struct event, ev_evcallback);
	OFF(struct event, ev_evcallback.evcb_active_next);
	OFF(struct event, ev_evcallback.evcb_flags);
	OFF(struct event, ev_evcallback.evcb_pri);
	OFF(struct event, ev_evcallback.evcb_closure);
	OFF(struct event, ev_evcallback.evcb_cb_union);
	OFF(struct event, ev_evcallback.evcb_cb_union.evcb_callback);
	OFF(struct event, ev_evcallback.evcb_arg);
	OFF(struct event, ev_timeout_pos);
	OFF(struct event, ev_timeout_pos.min_heap_idx);
	OFF(struct event, ev_fd);
	OFF(struct event, ev_base);
	OFF(struct event, ev_);
	OFF(struct event, ev_.ev_io.ev_io_next);
	OFF(struct event, ev_.ev_io.ev_timeout);
	OFF(struct event, ev_.ev_signal.ev_signal_next);
	OFF(struct event, ev_.ev_signal.ev_ncalls);
	OFF(struct event, ev_.ev_signal.ev_pncalls);
	OFF(struct event, ev_events);
	OFF(struct event, ev_res);
	OFF(struct event, ev_timeout);
	SIZE(struct event_callback);
	SIZE(struct evthread_lock_callbacks);
	OFF(struct evthread_lock_callbacks, lock_api_version);
	OFF(struct evthread_lock_callbacks, supported_locktypes);
	OFF(struct evthread_lock_callbacks, alloc);
	OFF(struct evthread_lock_callbacks, free);
	OFF(struct evthread_lock_callbacks, lock);
	OFF(struct evthread_lock_callbacks, unlock);
	SIZE(struct evthread_condition_callbacks);
	OFF(struct evthread_condition_callbacks, condition_api_version);
	OFF(struct evthread_condition_callbacks, alloc_condition);
	OFF(struct evthread_condition_callbacks, free_condition);
	OFF(struct evthread_condition_callbacks, signal_condition);
	OFF(struct evthread_condition_callbacks, wait_condition);
	SIZE(struct evutil_addrinfo);
	SIZE(evutil_socket_t);
	SIZE(ev_ssize_t);
	SIZE(ev_off_t);
#ifdef ABI_BUFFER
	SIZE(struct evbuffer_ptr);
	OFF(struct evbuffer_ptr, pos);
	OFF(struct evbuffer_ptr, internal_);
	SIZE(struct evbuffer_iovec);
	OFF(struct evbuffer_iovec, iov_base);
	OFF(struct evbuffer_iovec, iov_len);
	SIZE(struct evbuffer_cb_info);
	OFF(struct evbuffer_cb_info, orig_size);
	OFF(struct evbuffer_cb_info, n_added);
	OFF(struct evbuffer_cb_info, n_deleted);
	SIZE(enum evbuffer_eol_style);
	SIZE(enum evbuffer_ptr_how);
#endif
#ifdef ABI_BUFFEREVENT
	SIZE(struct bufferevent);
	OFF(struct bufferevent, ev_base);
	OFF(struct bufferevent, be_ops);
	OFF(struct bufferevent, ev_read);
	OFF(struct bufferevent, ev_write);
	OFF(struct bufferevent, input);
	OFF(struct bufferevent, output);
	OFF(struct bufferevent, wm_read);
	OFF(struct bufferevent, wm_read.low);
	OFF(struct bufferevent, wm_read.high);
	OFF(struct bufferevent, wm_write);
	OFF(struct bufferevent, readcb);
	OFF(struct bufferevent, writecb);
	OFF(struct bufferevent, errorcb);
	OFF(struct bufferevent, cbarg);
	OFF(struct bufferevent, timeout_read);
	OFF(struct bufferevent, timeout_write);
	OFF(struct bufferevent, enabled);
	SIZE(struct event_watermark);
#endif
	return 0;
}

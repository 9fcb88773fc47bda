/* The C halves of evshim's C-variadic exports (see variadic.rs): each turns `...` into a
 * va_list and calls the Rust entry point that takes one. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct evbuffer;
int evutil_vsnprintf(char *buf, size_t buflen, const char *format, va_list ap);
int evbuffer_add_vprintf(struct evbuffer *buf, const char *fmt, va_list ap);

int evshim_c_evutil_snprintf(char *buf, size_t buflen, const char *format, ...)
{
	va_list ap;
	int r;
	va_start(ap, format);
	r = evutil_vsnprintf(buf, buflen, format, ap);
	va_end(ap);
	return r;
}

int evshim_c_evbuffer_add_printf(struct evbuffer *buf, const char *fmt, ...)
{
	va_list ap;
	int r;
	va_start(ap, fmt);
	r = evbuffer_add_vprintf(buf, fmt, ap);
	va_end(ap);
	return r;
}

/* vsnprintf on a copy of `ap`, so a caller can measure first and format again with the same
 * va_list (Rust cannot va_copy). */
int evshim_c_vsnprintf_copy(char *buf, size_t buflen, const char *fmt, va_list ap)
{
	va_list aq;
	int r;
	va_copy(aq, ap);
	r = vsnprintf(buf, buflen, fmt, aq);
	va_end(aq);
	return r;
}

/* evbuffer_add_vprintf's formatter: a fast path for the conversions network code uses
 * (%d %i %u %x %X %c %s %% with the '-' and '0' flags, width, precision and the hh/h/l/ll/z/j/t
 * length modifiers), writing straight into the buffer's free space. Anything else (floats,
 * %p, %n, '+', ' ', '#', positional arguments, NULL strings) falls back to vsnprintf, so the
 * output is always exactly what the C library would produce. glibc's vsnprintf spends most
 * of its time setting up a FILE; this skips that.
 *
 * Called from Rust (src/ffi/buffer.rs), which cannot va_copy: the va_list is copied here for
 * every attempt, so the caller can measure and then format again with the same list. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strchrnul */
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#define UNSUPPORTED (-2)

struct out {
	char *p;
	size_t space; /* bytes that may be written at p */
	size_t len;   /* bytes the full output needs */
};

/* memcpy for the short pieces of a format (literal runs, digits): inline moves instead of a
 * call into libc, which costs more than the copy there. */
static inline void copy_small(char *d, const char *s, size_t n)
{
	if (n > 16) {
		memcpy(d, s, n);
	} else if (n >= 8) {
		uint64_t a, b;
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
	} else if (n > 0) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}

static inline void put(struct out *o, const char *s, size_t n)
{
	if (o->len < o->space) {
		size_t room = o->space - o->len;
		copy_small(o->p + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

/* The next '%' or the terminating NUL: literal runs between conversions are short, so a
 * byte loop beats a call to strchr; long ones still go to the C library. */
static inline const char *next_pct(const char *f)
{
	for (int i = 0; i < 16; i++, f++) {
		if (*f == '%' || *f == '\0')
			return f;
	}
	return strchrnul(f, '%');
}

static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static inline void pad(struct out *o, char c, size_t n)
{
	if (o->len < o->space) {
		size_t room = o->space - o->len;
		memset(o->p + o->len, c, n < room ? n : room);
	}
	o->len += n;
}

static int fast_format(struct out *o, const char *fmt, va_list ap)
{
	const char *f = fmt;
	for (;;) {
		const char *pct = next_pct(f);
		if (pct > f)
			put(o, f, (size_t)(pct - f));
		if (!*pct)
			break;
		f = pct + 1;
		int left = 0, zero = 0;
		for (;; f++) {
			if (*f == '-') left = 1;
			else if (*f == '0') zero = 1;
			else if (*f == '+' || *f == ' ' || *f == '#' || *f == '\'' || *f == 'I') return UNSUPPORTED;
			else break;
		}
		long width = 0;
		if (*f == '*') {
			int w = va_arg(ap, int);
			if (w < 0) { left = 1; width = -(long)w; } else width = w;
			f++;
		} else {
			while (*f >= '0' && *f <= '9') {
				width = width * 10 + (*f++ - '0');
				if (width > 100000) return UNSUPPORTED;
			}
			if (*f == '$') return UNSUPPORTED;
		}
		long prec = -1;
		if (*f == '.') {
			f++;
			if (*f == '*') {
				int p = va_arg(ap, int);
				prec = p < 0 ? -1 : p;
				f++;
			} else {
				prec = 0;
				while (*f >= '0' && *f <= '9') {
					prec = prec * 10 + (*f++ - '0');
					if (prec > 100000) return UNSUPPORTED;
				}
			}
		}
		int lm = 0; /* 0 int, 1 hh, 2 h, 3 l, 4 ll, 5 size_t, 6 intmax_t, 7 ptrdiff_t */
		switch (*f) {
		case 'h': f++; if (*f == 'h') { f++; lm = 1; } else lm = 2; break;
		case 'l': f++; if (*f == 'l') { f++; lm = 4; } else lm = 3; break;
		case 'z': f++; lm = 5; break;
		case 'j': f++; lm = 6; break;
		case 't': f++; lm = 7; break;
		default: break;
		}
		char c = *f++;
		char tmp[32];
		const char *s;
		size_t n;
		if (c == 'd' || c == 'i' || c == 'u' || c == 'x' || c == 'X') {
			unsigned long long v;
			int neg = 0;
			if (c == 'd' || c == 'i') {
				long long sv;
				switch (lm) {
				case 1: sv = (signed char)va_arg(ap, int); break;
				case 2: sv = (short)va_arg(ap, int); break;
				case 3: sv = va_arg(ap, long); break;
				case 4: sv = va_arg(ap, long long); break;
				case 5: sv = va_arg(ap, ssize_t); break;
				case 6: sv = va_arg(ap, intmax_t); break;
				case 7: sv = va_arg(ap, ptrdiff_t); break;
				default: sv = va_arg(ap, int); break;
				}
				neg = sv < 0;
				v = neg ? 0ull - (unsigned long long)sv : (unsigned long long)sv;
			} else {
				switch (lm) {
				case 1: v = (unsigned char)va_arg(ap, unsigned); break;
				case 2: v = (unsigned short)va_arg(ap, unsigned); break;
				case 3: v = va_arg(ap, unsigned long); break;
				case 4: v = va_arg(ap, unsigned long long); break;
				case 5: v = va_arg(ap, size_t); break;
				case 6: v = va_arg(ap, uintmax_t); break;
				case 7: v = (unsigned long long)va_arg(ap, ptrdiff_t); break;
				default: v = va_arg(ap, unsigned); break;
				}
			}
			char *e = tmp + sizeof tmp, *d = e;
			if (c == 'x' || c == 'X') {
				const char *digits = c == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
				while (v) { *--d = digits[v & 15]; v >>= 4; }
			} else {
				while (v >= 100) {
					unsigned r = (unsigned)(v % 100);
					v /= 100;
					d -= 2;
					d[0] = digit_pairs[2 * r];
					d[1] = digit_pairs[2 * r + 1];
				}
				if (v >= 10) {
					d -= 2;
					d[0] = digit_pairs[2 * v];
					d[1] = digit_pairs[2 * v + 1];
				} else if (v) {
					*--d = (char)('0' + v);
				}
			}
			size_t nd = (size_t)(e - d);
			size_t zeros = 0;
			if (prec >= 0) {
				if ((size_t)prec > nd) zeros = (size_t)prec - nd;
			} else if (nd == 0) {
				zeros = 1; /* the value 0 prints one digit unless the precision is 0 */
			}
			size_t body = nd + zeros + (size_t)neg;
			if (zero && !left && prec < 0 && (size_t)width > body) {
				zeros += (size_t)width - body;
				body = (size_t)width;
			}
			if (!left && (size_t)width > body) pad(o, ' ', (size_t)width - body);
			if (neg) put(o, "-", 1);
			if (zeros) pad(o, '0', zeros);
			put(o, d, nd);
			if (left && (size_t)width > body) pad(o, ' ', (size_t)width - body);
			continue;
		} else if (c == 's') {
			if (lm) return UNSUPPORTED;
			s = va_arg(ap, const char *);
			if (!s) return UNSUPPORTED;
			if (prec >= 0) {
				const char *z = memchr(s, 0, (size_t)prec);
				n = z ? (size_t)(z - s) : (size_t)prec;
			} else {
				n = strlen(s);
			}
		} else if (c == 'c') {
			if (lm) return UNSUPPORTED;
			tmp[0] = (char)va_arg(ap, int);
			s = tmp;
			n = 1;
		} else if (c == '%' && !left && !zero && width == 0 && prec < 0 && lm == 0) {
			put(o, "%", 1);
			continue;
		} else {
			return UNSUPPORTED;
		}
		if (zero) return UNSUPPORTED; /* undefined in C; leave it to the C library */
		if (!left && (size_t)width > n) pad(o, ' ', (size_t)width - n);
		put(o, s, n);
		if (left && (size_t)width > n) pad(o, ' ', (size_t)width - n);
	}
	return 0;
}

/* Formats into buf[0..buflen) without a terminating NUL; returns the full length (as
 * vsnprintf does) or -1. The caller's `ap` is not consumed. */
int evshim_c_format_copy(char *buf, size_t buflen, const char *fmt, va_list ap)
{
	va_list aq;
	struct out o = { buf, buflen, 0 };
	va_copy(aq, ap);
	int r = fast_format(&o, fmt, aq);
	va_end(aq);
	if (r == 0)
		return o.len > 0x7fffffff ? -1 : (int)o.len;
	va_copy(aq, ap);
	r = vsnprintf(buf, buflen, fmt, aq);
	va_end(aq);
	return r;
}

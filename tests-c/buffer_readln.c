/* evbuffer_readln with every end-of-line style, n_read_out, lines split across chains, and
 * evbuffer_search_eol. */
#include <event2/buffer.h>
#include <event2/buffer_compat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *names[] = {"ANY", "CRLF", "CRLF_STRICT", "LF", "NUL"};

static void lines(enum evbuffer_eol_style st, const char *data, size_t len, int split)
{
	struct evbuffer *b = evbuffer_new(), *tail = evbuffer_new();
	/* With `split`, the bytes arrive in separate chains (through add_buffer). */
	for (size_t i = 0; i < len; i += split ? 3 : len) {
		size_t n = split && len - i > 3 ? 3 : len - i;
		evbuffer_add(tail, data + i, n);
		evbuffer_add_buffer(b, tail);
	}
	printf("%s%s:", names[st], split ? " split" : "");
	char *l;
	size_t n = 99;
	while ((l = evbuffer_readln(b, &n, st))) {
		printf(" [");
		for (size_t i = 0; i < n; i++) printf(l[i] == '\r' ? "\\r" : l[i] == '\n' ? "\\n" : l[i] ? "%c" : "\\0", l[i]);
		printf("]%zu", n);
		free(l);
	}
	printf(" | n=%zu left=%zu\n", n, evbuffer_get_length(b));
	evbuffer_free(b);
	evbuffer_free(tail);
}

int main(void)
{
	static const char text[] = "a\r\nbb\ncc\r\rdd\n\r\nee\r\n\r\nf\0gg\n\rhh";
	for (int st = 0; st <= 4; st++)
		for (int split = 0; split < 2; split++) lines((enum evbuffer_eol_style)st, text, sizeof text - 1, split);
	lines(EVBUFFER_EOL_CRLF, "\nx\r\n", 4, 0);
	/* search_eol */
	struct evbuffer *b = evbuffer_new();
	evbuffer_add(b, "abc\r\n\r\ndef\n", 11);
	for (int st = 0; st <= 4; st++) {
		size_t el = 99;
		struct evbuffer_ptr p = evbuffer_search_eol(b, NULL, &el, (enum evbuffer_eol_style)st);
		printf("search_eol %s: pos=%zd eol_len=%zu\n", names[st], p.pos, el);
	}
	{
		struct evbuffer_ptr start;
		size_t el = 99;
		evbuffer_ptr_set(b, &start, 5, EVBUFFER_PTR_SET);
		struct evbuffer_ptr p = evbuffer_search_eol(b, &start, &el, EVBUFFER_EOL_LF);
		printf("search_eol LF from 5: pos=%zd eol_len=%zu\n", p.pos, el);
		evbuffer_ptr_set(b, &start, 11, EVBUFFER_PTR_SET);
		p = evbuffer_search_eol(b, &start, &el, EVBUFFER_EOL_LF);
		printf("search_eol LF from the end: pos=%zd eol_len=%zu\n", p.pos, el);
	}
	{
		size_t el = 99;
		struct evbuffer_ptr p = evbuffer_search_eol(b, NULL, &el, (enum evbuffer_eol_style)9);
		printf("search_eol bad style: pos=%zd eol_len=%zu\n", p.pos, el);
		size_t n = 99;
		char *l = evbuffer_readln(b, &n, (enum evbuffer_eol_style)9);
		printf("readln bad style: %s n=%zu\n", l ? l : "NULL", n);
	}
	char *l = evbuffer_readline(b);
	printf("readline: %s\n", l);
	free(l);
	evbuffer_free(b);
	/* A million short lines. */
	b = evbuffer_new();
	for (int i = 0; i < 100000; i++) evbuffer_add_printf(b, "line %d\r\n", i);
	size_t total = 0, count = 0, n;
	while ((l = evbuffer_readln(b, &n, EVBUFFER_EOL_CRLF))) { total += n; count++; free(l); }
	printf("100000 lines: count=%zu bytes=%zu left=%zu\n", count, total, evbuffer_get_length(b));
	evbuffer_free(b);
	return 0;
}

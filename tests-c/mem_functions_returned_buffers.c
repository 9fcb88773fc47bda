/* tor's pattern: event_set_mem_functions first, then every buffer libevent hands back to the
 * caller (evbuffer_readln, evbuffer_readline results) is freed with the caller's own free --
 * which here checks that the block came from the caller's own malloc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <event2/buffer.h>
#include <event2/buffer_compat.h>
#include <event2/event.h>

#define MAGIC 0x5eed5eedu
static long foreign_frees, own_blocks;

struct hdr {
	unsigned magic;
	unsigned pad;
	size_t size;
};

static void *my_malloc(size_t n)
{
	struct hdr *h = malloc(sizeof(*h) + n);
	if (!h)
		return NULL;
	h->magic = MAGIC;
	h->size = n;
	own_blocks++;
	return h + 1;
}

static void my_free(void *p)
{
	if (!p)
		return;
	struct hdr *h = (struct hdr *)p - 1;
	if (h->magic != MAGIC) {
		foreign_frees++; /* not ours: do not touch it */
		return;
	}
	h->magic = 0;
	own_blocks--;
	free(h);
}

static void *my_realloc(void *p, size_t n)
{
	if (!p)
		return my_malloc(n);
	struct hdr *h = (struct hdr *)p - 1;
	if (h->magic != MAGIC) {
		foreign_frees++;
		return NULL;
	}
	struct hdr *nh = realloc(h, sizeof(*nh) + n);
	if (!nh)
		return NULL;
	nh->size = n;
	return nh + 1;
}

int main(void)
{
	event_set_mem_functions(my_malloc, my_realloc, my_free);
	struct evbuffer *buf = evbuffer_new();
	evbuffer_add_printf(buf, "first line\r\nsecond\nthird\r\n%s\n", "fourth");
	char big[5000];
	memset(big, 'b', sizeof(big));
	evbuffer_add(buf, big, sizeof(big));
	evbuffer_add(buf, "\n", 1);
	size_t n = 0;
	char *l1 = evbuffer_readln(buf, &n, EVBUFFER_EOL_CRLF_STRICT);
	printf("readln crlf_strict: '%s' n=%zu\n", l1, n);
	my_free(l1);
	char *l2 = evbuffer_readln(buf, &n, EVBUFFER_EOL_LF);
	printf("readln lf: '%s' n=%zu\n", l2, n);
	my_free(l2);
	char *l3 = evbuffer_readline(buf);
	printf("readline: '%s'\n", l3);
	my_free(l3);
	char *l4 = evbuffer_readln(buf, &n, EVBUFFER_EOL_ANY);
	printf("readln any: '%s' n=%zu\n", l4, n);
	my_free(l4);
	char *l5 = evbuffer_readln(buf, &n, EVBUFFER_EOL_NUL);
	printf("readln nul (none): %s\n", l5 ? "line" : "NULL");
	char *l6 = evbuffer_readln(buf, &n, EVBUFFER_EOL_LF);
	printf("readln big: n=%zu all b=%d\n", n, l6 && strspn(l6, "b") == sizeof(big));
	my_free(l6);
	evbuffer_free(buf);
	printf("caller's free saw foreign blocks: %ld\n", foreign_frees);
	return 0;
}

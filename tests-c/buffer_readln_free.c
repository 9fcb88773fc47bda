/* no-valgrind: defines its own malloc and free to count blocks, and valgrind replaces them with its own; memcheck checks the same thing itself (free() of a block malloc did not make is an error) */
/* Without event_set_mem_functions, lines from evbuffer_readln / evbuffer_readline belong to
 * the caller and are released with the C library's free() (most programs do this). The
 * program's own malloc/free count the blocks: every line must be a malloc block. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <event2/buffer.h>
#include <event2/buffer_compat.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

#define MAX_BLOCKS 4096
static void *live[MAX_BLOCKS];
static int freed_unknown;

static void track(void *p)
{
	for (int i = 0; p && i < MAX_BLOCKS; i++)
		if (!live[i]) {
			live[i] = p;
			return;
		}
}

static int untrack(void *p)
{
	for (int i = 0; i < MAX_BLOCKS; i++)
		if (live[i] == p) {
			live[i] = NULL;
			return 1;
		}
	return 0;
}

void *malloc(size_t n) { void *p = __libc_malloc(n); track(p); return p; }
void *calloc(size_t a, size_t b) { void *p = __libc_calloc(a, b); track(p); return p; }
void *realloc(void *p, size_t n)
{
	if (p)
		untrack(p);
	void *q = __libc_realloc(p, n);
	track(q);
	return q;
}
void free(void *p)
{
	if (p && !untrack(p))
		freed_unknown++;
	__libc_free(p);
}

int main(void)
{
	struct evbuffer *buf = evbuffer_new();
	evbuffer_add_printf(buf, "alpha\r\nbeta\ngamma\r\n");
	char big[3000];
	memset(big, 'q', sizeof(big));
	evbuffer_add(buf, big, sizeof(big));
	evbuffer_add(buf, "\n", 1);
	int lines = 0, bad = 0;
	char *l;
	size_t n;
	while ((l = evbuffer_readln(buf, &n, EVBUFFER_EOL_ANY)) || (l = evbuffer_readline(buf))) {
		lines++;
		bad += !untrack(l);
		/* untracked above; give it back to the real allocator directly */
		__libc_free(l);
	}
	evbuffer_free(buf);
	printf("lines %d not from malloc %d frees of unknown blocks %d\n", lines, bad, freed_unknown);
	return 0;
}

/* arena.h - request-scoped bump allocator.
 *
 * Everything allocated from an arena lives until arena_free(); nothing is freed
 * one by one. One arena per HTTP request (and per CLI command where handy). */
#ifndef GX_ARENA_H
#define GX_ARENA_H

#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t n);   /* zeroed, 16-byte aligned; dies on OOM */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);

#endif

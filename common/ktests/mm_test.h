/* mm_test.h: helpers the memory tests share (page_test.c, vm_test.c). */
#ifndef KTESTS_MM_TEST_H
#define KTESTS_MM_TEST_H

#include <stddef.h>
#include <mm/page.h>

/* Allocate blocks of one order until the allocator says no, chaining them through their
 * first word. Returns the chain (NULL when there was none) and sets *count. */
static inline void *mm_test_take_all(unsigned order, size_t *count)
{
	void *head = NULL, *p;

	*count = 0;
	while ((p = page_alloc(order)) != NULL) {
		*(void **)p = head;
		head = p;
		(*count)++;
	}
	return head;
}

/* Free up to n blocks of a chain from mm_test_take_all() (SIZE_MAX: all of them). Returns
 * what is left of the chain. */
static inline void *mm_test_free_some(void *head, unsigned order, size_t n)
{
	while (head && n--) {
		void *next = *(void **)head;

		page_free(head, order);
		head = next;
	}
	return head;
}

#endif

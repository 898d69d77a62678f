/* list.h: intrusive doubly linked lists (the node lives inside the object).
 *
 *   struct thread { ...; struct list_node rq_link; };
 *   struct list_node runnable = LIST_INIT(runnable);   (a head is a node too)
 *   list_add_tail(&runnable, &t->rq_link);
 *   t = list_first_entry(&runnable, struct thread, rq_link);
 *
 * A list is circular with the head as a sentinel, so insertion and removal never test for
 * an empty list or an end. A node that is on no list points to itself (list_init),
 * which makes "is it linked?" a cheap question. */
#ifndef KERNEL_LIST_H
#define KERNEL_LIST_H

#include <stdbool.h>
#include <kernel/compiler.h>

struct list_node {
	struct list_node *next, *prev;
};

#define LIST_INIT(name) { &(name), &(name) }

static inline void list_init(struct list_node *n)
{
	n->next = n->prev = n;
}

static inline bool list_empty(const struct list_node *head)
{
	return head->next == head;
}

/* True when n is on some list (it was initialised and then added). */
static inline bool list_linked(const struct list_node *n)
{
	return n->next != n;
}

static inline void list_insert_between(struct list_node *n, struct list_node *prev,
				       struct list_node *next)
{
	n->prev = prev;
	n->next = next;
	prev->next = n;
	next->prev = n;
}

static inline void list_add_head(struct list_node *head, struct list_node *n)
{
	list_insert_between(n, head, head->next);
}

static inline void list_add_tail(struct list_node *head, struct list_node *n)
{
	list_insert_between(n, head->prev, head);
}

/* Take n off its list and leave it unlinked (pointing to itself). */
static inline void list_remove(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	list_init(n);
}

#define list_entry(node, type, member) container_of(node, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)

/* Iterate over every node; the body must not remove `pos` (use _safe for that). */
#define list_for_each(pos, head) for (pos = (head)->next; pos != (head); pos = pos->next)
#define list_for_each_safe(pos, tmp, head) \
	for (pos = (head)->next, tmp = pos->next; pos != (head); pos = tmp, tmp = pos->next)

#endif

/* ulib/args.h: small helpers for the command lines of the tools in common/user/bin/.
 *
 * There is no getopt: each tool has at most a flag or two, which it compares itself
 * (`strcmp(argv[1], "-l") == 0`). What every tool needs alike is here: reading a number
 * strictly (so that `kill 12x` is an error rather than `kill 12`) and saying how it is
 * used. */
#ifndef ULIB_ARGS_H
#define ULIB_ARGS_H

#include <stdbool.h>

/* Read all of s as a number in base (8 for modes, 10 for the rest), with an optional sign.
 * Returns true with *out set when s is nothing but such a number and lies in [min, max];
 * false for an empty string, stray characters (also leading blanks) or a value out of
 * range. */
bool args_number(const char *s, int base, long min, long max, long *out);

/* Apply op(argv[i], arg) to each argument from argv[first] on, as mkdir, rm, chmod and
 * kill do, going on after a failure: an op that returns a negated errno gets the line
 * "prog: ARGUMENT: text" on stderr. Returns the program's exit status: 0 when every op
 * returned 0 or more, 1 otherwise. */
int args_each(int argc, char **argv, int first, const char *prog,
	      int (*op)(const char *word, void *arg), void *arg);

/* Print "usage: text" on stderr and end the program with status 2, the usual status of a
 * command-line mistake. Never returns. */
__attribute__((noreturn)) void args_usage(const char *text);

#endif

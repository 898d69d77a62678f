/* sh: the shell: reads command lines and runs programs with their arguments.
 *
 *   sh                  read commands from fd 0; with a prompt if fd 0 is the console
 *   sh SCRIPT           read commands from the file SCRIPT
 *   sh -c LINE          run the one command line LINE
 *
 * The grammar of one line, deliberately small:
 *
 *   line     := [list] [comment]
 *   list     := command { sep command } [sep]
 *   sep      := ';' | '&'                 ('&': run the command before it in the background)
 *   command  := { word | redirect }       (at least one of them)
 *   redirect := '<' word | '>' word | '>>' word
 *   comment  := '#' anything              (a '#' that starts a word)
 *
 * Words are separated by blanks (spaces, tabs). Inside "double quotes" blanks, '<', '>',
 * '&', ';' and '#' are ordinary characters; quotes may be part of a word (a"b c"d is the
 * one word ab cd); "" is an empty word. $? becomes the exit status of the last command,
 * in and out of quotes. There are no single quotes, backslash escapes, variables, pipes,
 * globbing or 2>. The commands of a line are parsed one at a time, each when its turn
 * comes, so that in `false; echo $?` the $? is false's: a syntax error further on stops
 * the line only there.
 *
 * Running a command: the builtins cd, exit and wait run inside the shell (cd must: a
 * child's working directory is its own). Any other first word names a program: /bin/NAME,
 * or a path when it holds a '/'. The shell puts the redirections in place as its own
 * descriptors 0 and 1, spawns the program, which inherits them, and puts its own back
 * (see sh_redirect). It then waits for the program, handing it Ctrl-C while it runs, and
 * remembers its exit status as $?. With '&' it does not wait: it prints "[pid]" and, before
 * a later prompt or at `wait`, "[pid] done, status N".
 *
 * Limits: a line of SH_LINE_MAX bytes, SH_WORDS_MAX words (the kernel's argv limit),
 * SH_JOBS_MAX background jobs at a time. */
#include <stdbool.h>
#include <ulib/args.h>
#include <ulib/error.h>
#include <ulib/spawn.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/thread.h>

#define SH_LINE_MAX 512                 /* bytes of one line, its newline included */
#define SH_WORDS_MAX 32                 /* words of one command (PROC_ARGV_MAX) */
#define SH_JOBS_MAX 8                   /* background jobs running at once */
#define SH_CREATE_MODE 0644             /* files made by '>': rw-r--r-- (there is no umask) */
#define SH_STATUS_SYNTAX 2              /* $? after a syntax error, as in other shells */
#define SH_STATUS_NOT_FOUND 127         /* $? of a command that does not exist */
#define SH_STATUS_CANNOT_RUN 126        /* $? of one that exists but cannot start */

/* One parsed command. The pointers point into text, which holds the words after
 * quotes are removed and $? replaced: twice the line is room enough, since "$?" (two
 * bytes) becomes at most three digits (a status is 0 to 255) and each word adds one NUL.
 * sh_lex_put checks all the same: a `sh -c` line can be longer. */
struct sh_cmd {
	int argc;
	char *argv[SH_WORDS_MAX + 1];   /* NULL-terminated, for sys_spawn */
	char *in;                       /* the file of '<', or NULL */
	char *out;                      /* the file of '>' or '>>', or NULL */
	bool append;                    /* out came with '>>' */
	bool background;                /* it ended with '&' */
	char text[2 * SH_LINE_MAX];
};

/* The lexer's state while it reads a line, one struct sh_cmd after the other. */
struct sh_lexer {
	const char *p;                  /* the next character of the line */
	char *out;                      /* where the next word character goes (in text) */
	char *end;                      /* the end of text */
	const char *error;              /* the first syntax error, or NULL */
	int status;                     /* what $? stands for */
};

/* Commands come from a descriptor through this buffer, a line at a time. The console
 * returns one line per read; a file returns as much as asked, possibly many lines and
 * part of the next, which waits here for the following call. */
struct sh_input {
	int fd;
	size_t len;                     /* bytes waiting in buf */
	bool overlong;                  /* dropping the rest of a line that did not fit */
	char buf[SH_LINE_MAX];
};

/* A background job. The shell cannot ask "has pid ended?" without blocking (wait has no
 * WNOHANG), so each job gets a thread of the shell that blocks in wait for it and then
 * raises done; the main thread looks at done before each prompt. */
struct sh_job {
	int pid;                        /* 0: a free slot */
	int status;                     /* the exit status, valid once done is set */
	int done;                       /* atomic: set (release) by the waiter thread */
	struct uthread waiter;
};

struct sh {
	int status;                     /* $?: the exit status of the last command */
	bool interactive;               /* reading the console: prompts, Ctrl-C, job news */
	struct sh_input in;
	struct sh_job jobs[SH_JOBS_MAX];
};

/* ---- Reading lines ---- */

/* The index of the first newline among the n bytes of buf, or n if there is none. */
static size_t sh_newline(const char *buf, size_t n)
{
	size_t i = 0;

	while (i < n && buf[i] != '\n')
		i++;
	return i;
}

/* Take the line of n bytes and its newline out of the front of in->buf, copying the line
 * to line as a string unless line is NULL. */
static void sh_input_take(struct sh_input *in, char *line, size_t n)
{
	if (line) {
		memcpy(line, in->buf, n);
		line[n] = '\0';
	}
	in->len -= n + 1;
	memmove(in->buf, in->buf + n + 1, in->len);
}

/* Read the next line of in into line[SH_LINE_MAX], without its newline (the last line
 * of a file may lack one). Returns 1 for a line, 0 at the end of input, -E2BIG for a line
 * too long (dropped whole), or the negated errno of a failed read. */
static long sh_input_line(struct sh_input *in, char *line)
{
	size_t nl;
	long n;

	for (;;) {
		nl = sh_newline(in->buf, in->len);
		if (nl < in->len) {
			sh_input_take(in, in->overlong ? NULL : line, nl);
			if (!in->overlong)
				return 1;
			in->overlong = false;
			return -E2BIG;
		}
		if (in->len == sizeof in->buf) {
			in->overlong = true;    /* no newline in a full buffer: drop it */
			in->len = 0;
		}
		n = sys_read(in->fd, in->buf + in->len, sizeof in->buf - in->len);
		if (n < 0)
			return n;
		if (n == 0 && in->len == 0 && !in->overlong)
			return 0;
		if (n == 0)     /* a last line without a newline: as if it had one */
			in->buf[in->len++] = '\n';
		in->len += (size_t)n;
	}
}

/* ---- Parsing a line ---- */

static bool sh_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool sh_is_separator(char c)
{
	return c == ';' || c == '&';
}

static bool sh_is_operator(char c)
{
	return c == '<' || c == '>' || sh_is_separator(c);
}

/* Append c to the word being built, or note that the line does not fit. */
static void sh_lex_put(struct sh_lexer *lx, char c)
{
	if (lx->out == lx->end) {
		lx->error = "line too long";
		return;
	}
	*lx->out++ = c;
}

/* Append the digits of $? to the word being built. */
static void sh_lex_status(struct sh_lexer *lx)
{
	char digits[12];
	int i, n = snprintf(digits, sizeof digits, "%d", lx->status);

	for (i = 0; i < n; i++)
		sh_lex_put(lx, digits[i]);
}

/* Skip blanks. Returns true if a token follows, false at the end of the line or at a
 * comment. */
static bool sh_lex_next(struct sh_lexer *lx)
{
	while (sh_is_blank(*lx->p))
		lx->p++;
	return *lx->p != '\0' && *lx->p != '#';
}

/* Read the word at lx->p into the text: it ends at a blank, an operator or the end of
 * the line, outside quotes. Returns the word, or NULL with lx->error set. */
static char *sh_lex_word(struct sh_lexer *lx)
{
	char *word = lx->out;
	bool quoted = false;
	char c;

	while ((c = *lx->p) != '\0' && (quoted || !(sh_is_blank(c) || sh_is_operator(c)))) {
		if (c == '"') {
			quoted = !quoted;
			lx->p++;
		} else if (c == '$' && lx->p[1] == '?') {
			sh_lex_status(lx);
			lx->p += 2;
		} else {
			sh_lex_put(lx, c);
			lx->p++;
		}
	}
	if (quoted)
		lx->error = "a \" is missing its closing \"";
	sh_lex_put(lx, '\0');
	return lx->error ? NULL : word;
}

/* Read a redirection ('<', '>' or '>>' and its file name) into cmd. */
static void sh_parse_redirect(struct sh_lexer *lx, struct sh_cmd *cmd)
{
	char op = *lx->p++;
	bool append = op == '>' && *lx->p == '>';
	char **target = op == '<' ? &cmd->in : &cmd->out;

	if (append)
		lx->p++;
	if (*target) {
		lx->error = "one '<' and one '>' per command at most";
		return;
	}
	if (!sh_lex_next(lx) || sh_is_operator(*lx->p)) {
		lx->error = "a file name must follow '<', '>' or '>>'";
		return;
	}
	*target = sh_lex_word(lx);
	if (op == '>')
		cmd->append = append;
}

/* Read one argument word into cmd. */
static void sh_parse_word(struct sh_lexer *lx, struct sh_cmd *cmd)
{
	char *word;

	if (cmd->argc == SH_WORDS_MAX) {
		lx->error = "too many words";
		return;
	}
	word = sh_lex_word(lx);
	if (word)
		cmd->argv[cmd->argc++] = word;
}

/* Parse the next command of the line at lx->p into cmd, up to and including the ';' or
 * '&' that ends it, replacing $? by lx->status. Returns NULL, or the syntax error. */
static const char *sh_parse(struct sh_lexer *lx, struct sh_cmd *cmd)
{
	lx->out = cmd->text;
	lx->end = cmd->text + sizeof cmd->text;
	cmd->argc = 0;
	cmd->in = cmd->out = NULL;
	cmd->append = cmd->background = false;
	while (!lx->error && sh_lex_next(lx) && !sh_is_separator(*lx->p)) {
		if (*lx->p == '<' || *lx->p == '>')
			sh_parse_redirect(lx, cmd);
		else
			sh_parse_word(lx, cmd);
	}
	if (!lx->error && sh_is_separator(*lx->p)) {
		if (cmd->argc == 0 && !cmd->in && !cmd->out)
			lx->error = "a command must come before ';' or '&'";
		cmd->background = *lx->p++ == '&';
	}
	cmd->argv[cmd->argc] = NULL;
	return lx->error;
}

/* ---- Redirections ---- */

/* The shell's own descriptors 0 and 1 while a command's redirections replace them: a
 * copy of each replaced one, or -1 where nothing was replaced. */
struct sh_saved {
	int fd[2];
};

/* Close the descriptors of fds[0..n) that are open (>= 0). */
static void sh_close_all(const int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			sys_close(fds[i]);
}

/* Open the files of cmd's redirections; files[0] gets '<''s, files[1] '>''s, -1 where
 * there is none. Returns 0, or a negated errno after saying which file failed (then
 * nothing is open). */
static int sh_open_files(const struct sh_cmd *cmd, int files[2])
{
	int out_flags = O_WRONLY | O_CREAT | (cmd->append ? O_APPEND : O_TRUNC);

	files[0] = files[1] = -1;
	if (cmd->in && (files[0] = sys_open(cmd->in, O_RDONLY, 0)) < 0) {
		uerror("sh", cmd->in, files[0]);
		return files[0];
	}
	if (cmd->out && (files[1] = sys_open(cmd->out, out_flags, SH_CREATE_MODE)) < 0) {
		uerror("sh", cmd->out, files[1]);
		sh_close_all(files, 1);
		return files[1];
	}
	return 0;
}

/* Put cmd's redirections in place: afterwards descriptor 0 is the '<' file and 1 the '>'
 * file, and saved holds the shell's own. The children the shell spawns inherit 0 and 1,
 * which is all a redirection is. Everything that can fail (opening the files, copying
 * the shell's descriptors) is done before any descriptor is replaced. Returns 0, or a
 * negated errno after an error message, with nothing changed. */
static int sh_redirect(const struct sh_cmd *cmd, struct sh_saved *saved)
{
	int files[2], fd, err = sh_open_files(cmd, files);

	saved->fd[0] = saved->fd[1] = -1;
	if (err)
		return err;
	for (fd = 0; fd < 2; fd++) {
		if (files[fd] >= 0 && (saved->fd[fd] = sys_dup(fd)) < 0) {
			err = saved->fd[fd];
			uerror("sh", "redirection", err);
			saved->fd[fd] = -1;
			sh_close_all(saved->fd, 2);
			sh_close_all(files, 2);
			return err;
		}
	}
	for (fd = 0; fd < 2; fd++) {
		if (files[fd] >= 0) {
			sys_dup2(files[fd], fd);
			sys_close(files[fd]);
		}
	}
	return 0;
}

/* Put the shell's own descriptors back after a command. The copies in saved were also
 * inherited by the command (there is no close-on-exec); they are harmless extras there. */
static void sh_restore(const struct sh_saved *saved)
{
	int fd;

	for (fd = 0; fd < 2; fd++) {
		if (saved->fd[fd] >= 0) {
			sys_dup2(saved->fd[fd], fd);
			sys_close(saved->fd[fd]);
		}
	}
}

/* ---- Background jobs ---- */

/* The waiter thread of job arg: wait for its process, record the status, raise done.
 * Returns 0, or the negated errno of a failed wait. */
static int sh_job_waiter(void *arg)
{
	struct sh_job *job = arg;
	int r = sys_wait(job->pid, &job->status);

	__atomic_store_n(&job->done, 1, __ATOMIC_RELEASE);
	return r < 0 ? r : 0;
}

/* Report and forget the jobs that have ended; with block, wait for every job first. The
 * acquire load of done pairs with the waiter's release store, so status is read only
 * after it was written. */
static void sh_jobs_collect(struct sh *sh, bool block)
{
	struct sh_job *job;
	int code;

	for (job = sh->jobs; job < sh->jobs + SH_JOBS_MAX; job++) {
		if (job->pid == 0 || (!block && !__atomic_load_n(&job->done, __ATOMIC_ACQUIRE)))
			continue;
		uthread_join(&job->waiter, &code);
		if (code < 0)
			uerror("sh", "wait", code);
		else
			dprintf(2, "[%d] done, status %d\n", job->pid, job->status);
		job->pid = 0;
	}
}

/* A free job slot, collecting ended jobs if there is none at first; NULL if all
 * SH_JOBS_MAX jobs are still running. */
static struct sh_job *sh_job_slot(struct sh *sh)
{
	int i, pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < SH_JOBS_MAX; i++)
			if (sh->jobs[i].pid == 0)
				return &sh->jobs[i];
		sh_jobs_collect(sh, false);
	}
	return NULL;
}

/* ---- Running commands ---- */

/* Wait for the foreground command pid, which gets Ctrl-C meanwhile (only the shell that
 * talks to the console hands it out). Returns its exit status. */
static int sh_wait_foreground(struct sh *sh, int pid)
{
	int r, status;

	/* Handing Ctrl-C over is a convenience: if the kernel refuses, the command still
	 * runs, it only cannot be interrupted. */
	if (sh->interactive)
		sys_console_fg(pid);
	r = sys_wait(pid, &status);
	if (sh->interactive)
		sys_console_fg(0);
	if (r < 0) {
		uerror("sh", "wait", r);
		return 1;
	}
	return status;
}

/* Make the running process pid a background job in slot job. Returns $? of starting a
 * job: 0, or the command's status if no waiter thread could be made and the shell had to
 * wait for it here instead. */
static int sh_job_start(struct sh *sh, struct sh_job *job, int pid)
{
	int err;

	job->pid = pid;
	job->done = 0;
	err = uthread_create(&job->waiter, sh_job_waiter, job);
	if (err) {
		job->pid = 0;
		uerror("sh", "cannot watch a background job; waiting for it now", err);
		return sh_wait_foreground(sh, pid);
	}
	dprintf(2, "[%d]\n", pid);
	return 0;
}

/* The message and status of a command that could not start: "command not found" (127)
 * for a name that is not in /bin, else the error with the path (126, or 127 for ENOENT). */
static int sh_spawn_failed(const char *name, int err)
{
	if (err == -ENOENT && !strchr(name, '/')) {
		dprintf(2, "sh: %s: command not found\n", name);
		return SH_STATUS_NOT_FOUND;
	}
	uerror("sh", name, err);
	return err == -ENOENT ? SH_STATUS_NOT_FOUND : SH_STATUS_CANNOT_RUN;
}

/* Run program cmd->argv[0] with its arguments, in the foreground or as a job. Returns
 * the new $?. */
static int sh_spawn(struct sh *sh, const struct sh_cmd *cmd)
{
	struct sh_job *job = NULL;
	int pid;

	if (cmd->background && !(job = sh_job_slot(sh))) {
		dprintf(2, "sh: %d background jobs are running already; `wait` for them\n",
			SH_JOBS_MAX);
		return 1;
	}
	pid = spawn_command(cmd->argv, NULL);
	if (pid < 0)
		return sh_spawn_failed(cmd->argv[0], pid);
	if (job)
		return sh_job_start(sh, job, pid);
	return sh_wait_foreground(sh, pid);
}

/* ---- Builtins ---- */

/* cd [DIR]: change the shell's working directory (to / without DIR: there are no home
 * directories). */
static int sh_cd(struct sh *sh, int argc, char *const argv[])
{
	const char *dir = argc > 1 ? argv[1] : "/";
	int err;

	if (argc > 2) {
		dprintf(2, "sh: cd: too many arguments\n");
		return 1;
	}
	err = sys_chdir(dir);
	if (err) {
		uerror("sh: cd", dir, err);
		return 1;
	}
	return 0;
}

/* exit [N]: end the shell with status N (default: $?). Returns only on a usage error. */
static int sh_exit(struct sh *sh, int argc, char *const argv[])
{
	long status = sh->status;

	if (argc > 2) {
		dprintf(2, "sh: exit: too many arguments\n");
		return 1;
	}
	if (argc == 2 && !args_number(argv[1], 10, 0, 255, &status)) {
		dprintf(2, "sh: exit: %s: not a status (0 to 255)\n", argv[1]);
		status = SH_STATUS_SYNTAX;
	}
	exit((int)status);
}

/* wait: wait for every background job, reporting each. */
static int sh_wait(struct sh *sh, int argc, char *const argv[])
{
	if (argc > 1) {
		dprintf(2, "sh: wait: takes no arguments (it waits for all jobs)\n");
		return 1;
	}
	sh_jobs_collect(sh, true);
	return 0;
}

struct sh_builtin {
	const char *name;
	int (*run)(struct sh *sh, int argc, char *const argv[]);
};

static const struct sh_builtin sh_builtins[] = {
	{ "cd", sh_cd },
	{ "exit", sh_exit },
	{ "wait", sh_wait },
};

/* The builtin called name, or NULL. */
static const struct sh_builtin *sh_builtin_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof sh_builtins / sizeof sh_builtins[0]; i++)
		if (strcmp(sh_builtins[i].name, name) == 0)
			return &sh_builtins[i];
	return NULL;
}

/* Run one parsed command with its redirections in place. A builtin runs in the shell
 * itself, so '&' does not apply to it; a command of redirections only (`> f`) just opens
 * (and so creates or empties) its files. Returns the new $?. */
static int sh_run(struct sh *sh, const struct sh_cmd *cmd)
{
	const struct sh_builtin *builtin;
	struct sh_saved saved;
	int status = 0;

	if (sh_redirect(cmd, &saved))
		return 1;
	if (cmd->argc > 0 && (builtin = sh_builtin_find(cmd->argv[0])))
		status = builtin->run(sh, cmd->argc, cmd->argv);
	else if (cmd->argc > 0)
		status = sh_spawn(sh, cmd);
	sh_restore(&saved);
	return status;
}

/* Parse and run the commands of one line, one after the other, updating $?. An empty
 * line or a comment leaves $? as it was. */
static void sh_line(struct sh *sh, const char *line)
{
	static struct sh_cmd cmd;       /* static: large, and the shell runs one at a time */
	struct sh_lexer lx = { .p = line };
	const char *error;

	while (sh_lex_next(&lx)) {
		lx.status = sh->status;
		error = sh_parse(&lx, &cmd);
		if (error) {
			dprintf(2, "sh: syntax error: %s\n", error);
			sh->status = SH_STATUS_SYNTAX;
			return;
		}
		sh->status = sh_run(sh, &cmd);
	}
}

/* ---- The shell ---- */

/* Read and run lines from sh->in.fd until its end. Returns the exit status of the shell,
 * the last command's. */
static int sh_loop(struct sh *sh)
{
	char line[SH_LINE_MAX];
	long r;

	for (;;) {
		if (sh->interactive) {
			sh_jobs_collect(sh, false);
			dprintf(2, "%s", sys_getuid() == 0 ? "# " : "$ ");
		}
		r = sh_input_line(&sh->in, line);
		if (r == 0)
			break;
		if (r == -E2BIG) {
			dprintf(2, "sh: line too long (at most %d bytes)\n", SH_LINE_MAX - 1);
			sh->status = SH_STATUS_SYNTAX;
		} else if (r < 0) {
			uerror("sh", "read", (int)r);
			return 1;
		} else {
			sh_line(sh, line);
		}
	}
	if (sh->interactive)
		dprintf(2, "exit\n");   /* Ctrl-D echoes nothing: say why the shell ends */
	return sh->status;
}

/* True when fd is a device (the console), i.e. a person is typing. */
static bool sh_is_console(int fd)
{
	struct stat st;

	return sys_fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR;
}

int main(int argc, char **argv)
{
	static struct sh sh;            /* static: the job table is large */

	if (argc == 3 && strcmp(argv[1], "-c") == 0) {
		sh_line(&sh, argv[2]);
		return sh.status;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		args_usage("sh [SCRIPT | -c COMMAND]");
	if (argc == 2) {
		sh.in.fd = sys_open(argv[1], O_RDONLY, 0);
		if (sh.in.fd < 0) {
			uerror("sh", argv[1], sh.in.fd);
			return SH_STATUS_NOT_FOUND;
		}
	}
	sh.interactive = argc == 1 && sh_is_console(0);
	return sh_loop(&sh);
}

/*
 * The terminal: the only file that includes curses.h.  Sets the terminal
 * up and tears it down in one place, turns curses keys into review keys,
 * and draws the lines review/screen.c makes.  A fatal signal restores the
 * terminal before the process dies; SIGINT, SIGTERM and SIGHUP (the SSH
 * link dropped) end the loop cleanly so the open claim is released.  Every
 * decision is already committed when its key returns: quitting never loses
 * one.
 */
#include "review/review.h"

#include <curses.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t tui_stop;
static volatile sig_atomic_t tui_active;

static void on_stop(int sig)
{
	(void)sig;
	tui_stop = 1;
}

/* endwin() is not async-signal-safe, but a dying process that leaves the
 * terminal raw is worse; this is what htop and tmux's clients do too. */
static void on_fatal(int sig)
{
	if (tui_active)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void signals_set(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
}

static void signals_reset(void)
{
	int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		signal(sigs[i], SIG_DFL);
}

static int tui_start(struct err *e)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return err_set(e, "the review tool needs a terminal (scripts: --list, --approve, "
			       "--reject, --set)");
	if (!initscr())
		return err_set(e, "cannot set up the terminal");
	tui_active = 1;
	signals_set();
	raw();			/* ^C arrives as a key; SIGINT still stops from kill */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);	/* Esc must feel instant over SSH */
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_YELLOW, -1);	/* flagged */
		init_pair(2, COLOR_RED, -1);	/* errors, differences */
		init_pair(3, COLOR_CYAN, -1);	/* titles */
	}
	timeout(REVIEW_CLAIM_REFRESH * 1000 / 2);
	return 0;
}

static void tui_end(void)
{
	if (!tui_active)
		return;
	endwin();
	tui_active = 0;
	signals_reset();
}

static attr_t attr_of(unsigned a)
{
	attr_t c = A_NORMAL;
	int color = has_colors();
	if (a & SA_BAR)
		c |= A_REVERSE;
	if (a & SA_SELECTED)
		c |= A_REVERSE;
	if (a & SA_TITLE)
		c |= A_BOLD | (color ? COLOR_PAIR(3) : 0);
	if (a & SA_FLAGGED)
		c |= color ? COLOR_PAIR(1) : A_BOLD;
	if (a & (SA_ERROR | SA_DIFF))
		c |= color ? COLOR_PAIR(2) | A_BOLD : A_BOLD;
	if (a & SA_DIM)
		c |= A_DIM;
	return c;
}

static void draw(const struct review_screen *scr)
{
	erase();
	for (int y = 0; y < scr->rows && y < LINES; y++) {
		attrset(attr_of(scr->lines[y].attr));
		mvaddstr(y, 0, scr->lines[y].text);
	}
	attrset(A_NORMAL);
	if (scr->cur_y >= 0) {
		curs_set(1);
		move(scr->cur_y, scr->cur_x);
	} else {
		curs_set(0);
	}
	refresh();
}

/* A review key, or -1 while a character is still coming in. */
static int key_of(struct review_keyin *in, int ch)
{
	if (ch == ERR)
		return RK_TICK;
	if (ch < KEY_MIN) {
		ch = review_keyin_byte(in, (unsigned char)ch);
		if (ch == '\r')
			return RK_ENTER;
		if (ch == 127 || ch == 8)
			return RK_BACKSPACE;
		if (ch == 3)	/* ^C in raw mode: quit like q */
			return 'q';
		return ch;
	}
	switch (ch) {
	case KEY_UP: return RK_UP;
	case KEY_DOWN: return RK_DOWN;
	case KEY_LEFT: return RK_LEFT;
	case KEY_RIGHT: return RK_RIGHT;
	case KEY_PPAGE: return RK_PGUP;
	case KEY_NPAGE: return RK_PGDN;
	case KEY_HOME: return RK_HOME;
	case KEY_END: return RK_END;
	case KEY_BACKSPACE: return RK_BACKSPACE;
	case KEY_DC: return RK_DELETE;
	case KEY_ENTER: return RK_ENTER;
	case KEY_RESIZE: return RK_RESIZE;
	}
	return RK_TICK;
}

int review_tui_run(struct review_app *a, struct err *e)
{
	if (tui_start(e) < 0)
		return -1;
	struct review_keyin in;
	review_keyin_init(&in);
	int key = RK_TICK;
	while (!a->quit && !tui_stop) {
		if (key != -1) {
			struct review_screen scr;
			review_screen_render(a, LINES, COLS, &scr);
			draw(&scr);
			review_screen_release(&scr);
		}
		/* Bytes, not get_wch(): our decoder drops a bad byte alone. */
		key = key_of(&in, getch());
		if (!tui_stop && key != -1)
			review_app_key(a, key);
	}
	tui_end();
	if (a->fatal.code || a->fatal.msg[0]) {
		err_set(e, "%s", a->fatal.msg);
		return -1;
	}
	return 0;
}

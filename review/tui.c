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
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
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

static int kitty;	/* the terminal speaks kitty's graphics protocol */

static void tui_end(void)
{
	if (!tui_active)
		return;
	if (kitty) { /* its images outlive the screen they were drawn on */
		fputs(review_kitty_clear, stdout);
		fflush(stdout);
	}
	endwin();
	tui_active = 0;
	signals_reset();
}

/* ---- sixel images --------------------------------------------------------- */

/* Ask the terminal (DA1, ESC [ c) whether it shows sixel images: its
 * answer within 300 ms, read before curses takes the terminal. */
static int sixel_probe(void)
{
	struct termios old, raw;
	if (tcgetattr(STDIN_FILENO, &old) < 0)
		return 0;
	raw = old;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	char buf[128];
	size_t n = 0;
	if (write(STDOUT_FILENO, "\033[c", 3) == 3)
		while (n < sizeof(buf) - 1 && (n == 0 || buf[n - 1] != 'c')) {
			struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
			ssize_t k = poll(&p, 1, 300) > 0 ? read(STDIN_FILENO, buf + n, sizeof(buf) - 1 - n)
							 : -1;
			if (k <= 0)
				break;
			n += (size_t)k;
		}
	buf[n] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &old);
	return review_da1_sixel(buf);
}

/* What was last sent, so an unchanged image is not sent again (its pixels'
 * address too: the page cache reuses one raster for every page). */
static struct review_screen_image shown;
static const void *shown_pixels;

static int image_same(const struct review_screen_image *a)
{
	const void *px = a->img ? a->img->data : NULL;
	return a->img == shown.img && px == shown_pixels &&
	       !memcmp(&a->box, &shown.box, sizeof(a->box)) && a->y == shown.y &&
	       a->x == shown.x && a->rows == shown.rows && a->cols == shown.cols;
}

/* Pixels per cell from the terminal, else a common 10 x 20. */
static void cell_pixels(int *cw, int *ch)
{
	struct winsize ws;
	*cw = 10;
	*ch = 20;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_xpixel && ws.ws_col && ws.ws_row) {
		*cw = ws.ws_xpixel / ws.ws_col;
		*ch = ws.ws_ypixel / ws.ws_row;
	}
}

/* After curses has drawn: the image over its blank cells. */
static void image_send(const struct review_screen_image *im)
{
	int cw, ch;
	cell_pixels(&cw, &ch);
	char *six = NULL;
	size_t len = 0;
	struct err e = ERR_INIT;
	if (kitty)
		six = review_kitty_encode(im->img, im->box, im->cols * cw, im->rows * ch, &len);
	else if (review_sixel_encode(im->img, im->box, im->cols * cw, im->rows * ch, &six, &len,
				     &e) < 0)
		return;
	printf("\0337\033[%d;%dH", im->y + 1, im->x + 1); /* save the cursor, go there */
	fwrite(six, 1, len, stdout);
	fputs("\0338", stdout);
	fflush(stdout);
	free(six);
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
	int changed = !image_same(&scr->image);
	if (changed && shown.img) {
		clearok(curscr, TRUE); /* repaint: the old image goes */
		if (kitty) /* ... which kitty keeps under text unless told */
			fputs(review_kitty_clear, stdout);
	}
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
	if (changed && scr->image.img)
		image_send(&scr->image);
	shown = scr->image;
	shown_pixels = scr->image.img ? scr->image.img->data : NULL;
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
	/* kitty's protocol where the terminal is named for it, else sixel
	 * where the terminal says it shows it */
	kitty = a->sixel < 0 && review_kitty_terminal();
	if (kitty)
		a->sixel = 1;
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && a->sixel < 0)
		a->sixel = sixel_probe();
	if (a->sixel > 0)
		a->pixels = PIXELS_SIXEL;
	a->sixel = a->sixel > 0;
	memset(&shown, 0, sizeof(shown));
	shown_pixels = NULL;
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

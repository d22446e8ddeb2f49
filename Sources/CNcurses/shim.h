#ifndef LMS_CNCURSES_SHIM_H
#define LMS_CNCURSES_SHIM_H

// Wide-character curses: these must be defined before the header.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1

#include <locale.h>
#include <signal.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Macros and C globals do not import into Swift 6 (globals are not concurrency-safe): accessors.

static inline int lms_height(WINDOW *w) { return getmaxy(w); }
static inline int lms_width(WINDOW *w) { return getmaxx(w); }
static inline int lms_colors(void) { return COLORS; }
static inline int lms_color_pairs(void) { return COLOR_PAIRS; }
static inline int lms_key_resize(void) { return KEY_RESIZE; }
static inline int lms_key_code_yes(void) { return KEY_CODE_YES; }

static inline attr_t lms_attr_bold(void) { return A_BOLD; }
static inline attr_t lms_attr_dim(void) { return A_DIM; }
static inline attr_t lms_attr_italic(void) { return A_ITALIC; }
static inline attr_t lms_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t lms_attr_reverse(void) { return A_REVERSE; }

/// Writes one cell. The pair number goes through setcchar's extended argument, so pairs above
/// 255 work (COLOR_PAIR() would overflow into the attribute bits).
static inline int lms_put_cell(WINDOW *w, int y, int x, const wchar_t *text, attr_t attributes, int pair) {
    cchar_t cell;
    int extended = pair;
    if (setcchar(&cell, text, attributes, 0, &extended) != OK) return ERR;
    return mvwadd_wch(w, y, x, &cell);
}

static inline int lms_init_pair(int pair, int foreground, int background) {
    return init_extended_pair(pair, foreground, background);
}

// Signals: the handler only sets a flag; the UI loop notices it and restores the terminal.
static volatile sig_atomic_t lms_signal_received = 0;

static void lms_on_signal(int signal_number) { lms_signal_received = signal_number; }

static inline void lms_install_signal_handlers(void) {
    struct sigaction action;
    action.sa_handler = lms_on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

static inline int lms_take_signal(void) {
    int received = lms_signal_received;
    lms_signal_received = 0;
    return received;
}

#endif

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
static inline int lms_key_resize(void) { return KEY_RESIZE; }
static inline int lms_key_code_yes(void) { return KEY_CODE_YES; }

/// A terminfo string capability, or NULL when the terminal has none (tigetstr also answers
/// (char *)-1 for a name that is not a string capability).
static inline const char *lms_string_capability(const char *name) {
    const char *value = tigetstr(name);
    return (value == NULL || value == (const char *)-1) ? NULL : value;
}

static inline int lms_number_capability(const char *name) { return tigetnum(name); }

// tiparm is variadic, which Swift cannot call: fixed arities.
static inline const char *lms_tiparm1(const char *capability, int a) { return tiparm(capability, a); }
static inline const char *lms_tiparm2(const char *capability, int a, int b) { return tiparm(capability, a, b); }

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

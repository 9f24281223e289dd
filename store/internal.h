/* Private to store/: the connection and helpers shared by its files. */
#ifndef HOTICH_STORE_INTERNAL_H
#define HOTICH_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

struct store {
	sqlite3 *db;
	char *path;
	int in_tx;	/* depth of store_begin(); inner levels are SAVEPOINTs */
	int poisoned;	/* the transaction is lost: its commit must fail */
};

struct store_stmt {
	struct store *s;
	sqlite3_stmt *st;
};

/* PRAGMA application_id of our databases ("HOTI"); 0 in an older hotich's. */
#define HOTICH_APPLICATION_ID 0x484f5449

extern const char *const store_migrations[];
extern const int store_nmigrations;

/* err_set with SQLite's message; returns -1. */
int store_fail(struct store *s, struct err *e, const char *what);
sqlite3_stmt *store_prep(struct store *s, const char *sql, struct err *e);
void bind_text_or_null(sqlite3_stmt *st, int i, const char *v);
char *col_strdup(sqlite3_stmt *st, int i); /* NULL for NULL */

#endif

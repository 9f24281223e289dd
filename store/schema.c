/*
 * The schema, as a list of migrations.  Migration i brings user_version
 * from i to i + 1.  Append new migrations; never edit one that has landed.
 */
#include "store/internal.h"

static const char m0[] =
	"CREATE TABLE batches(\n"
	"  id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,\n"
	"  command TEXT, engine TEXT, models TEXT, summary TEXT);\n"
	"CREATE TABLE books(\n"
	"  id INTEGER PRIMARY KEY, batch_id INTEGER REFERENCES batches(id),\n"
	"  path TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE,\n"
	"  size INTEGER, version INTEGER NOT NULL DEFAULT 1,\n"
	"  kind TEXT, format TEXT, book_no TEXT, office TEXT,\n"
	"  pages INTEGER NOT NULL DEFAULT 0,\n"
	"  status TEXT NOT NULL DEFAULT 'ingested' CHECK(status IN ('ingested','failed')),\n"
	"  error TEXT, added_at TEXT NOT NULL);\n"
	"CREATE INDEX books_path ON books(path);\n"
	"CREATE TABLE pages(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  book_id INTEGER NOT NULL REFERENCES books(id) ON DELETE CASCADE,\n"
	"  page_no INTEGER NOT NULL,\n"
	"  status TEXT NOT NULL DEFAULT 'new' CHECK(status IN ('new','done','blank','failed')),\n"
	"  width INTEGER, height INTEGER, bits INTEGER, xres REAL, yres REAL,\n"
	"  compression TEXT, printed_page TEXT, attempts INTEGER NOT NULL DEFAULT 0,\n"
	"  error TEXT, ocr_ms INTEGER, done_at TEXT,\n"
	"  UNIQUE(book_id, page_no));\n"
	"CREATE INDEX pages_status ON pages(status);\n"
	"CREATE TABLE records(\n"
	"  id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK(kind IN ('ks','kh','kt')),\n"
	"  book_id INTEGER REFERENCES books(id), page_id INTEGER REFERENCES pages(id),\n"
	"  idx INTEGER NOT NULL DEFAULT 0,\n"
	"  source_file TEXT, source_row INTEGER NOT NULL DEFAULT 0,\n"
	"  entry_no TEXT, entry_int INTEGER,\n"
	"  status TEXT NOT NULL DEFAULT 'new'\n"
	"    CHECK(status IN ('new','clean','review','approved','rejected')),\n"
	"  ocr TEXT, created_at TEXT NOT NULL, updated_at TEXT);\n"
	"CREATE INDEX records_status ON records(kind, status);\n"
	"CREATE INDEX records_order ON records(book_id, entry_int, id);\n"
	"CREATE UNIQUE INDEX records_page_idx ON records(page_id, idx) WHERE page_id IS NOT NULL;\n"
	"CREATE TABLE fields(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,\n"
	"  name TEXT NOT NULL, raw TEXT NOT NULL DEFAULT '', value TEXT, conf REAL,\n"
	"  x INTEGER, y INTEGER, w INTEGER, h INTEGER, model TEXT, alts TEXT,\n"
	"  corrected INTEGER NOT NULL DEFAULT 0,\n"
	"  UNIQUE(record_id, name));\n"
	"CREATE TABLE findings(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  record_id INTEGER REFERENCES records(id) ON DELETE CASCADE,\n"
	"  book_id INTEGER REFERENCES books(id), page_id INTEGER REFERENCES pages(id),\n"
	"  stage TEXT NOT NULL, field TEXT NOT NULL DEFAULT '', code TEXT NOT NULL,\n"
	"  message TEXT NOT NULL, severity INTEGER NOT NULL,\n"
	"  match_source TEXT, match_id TEXT, score REAL,\n"
	"  resolved INTEGER NOT NULL DEFAULT 0);\n"
	"CREATE INDEX findings_record ON findings(record_id);\n"
	"CREATE INDEX findings_book ON findings(book_id) WHERE record_id IS NULL;\n"
	"CREATE TABLE existing(\n"
	"  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, stt TEXT NOT NULL,\n"
	"  data TEXT NOT NULL,\n"
	"  cmp TEXT, k1 TEXT, k2 TEXT, k3 TEXT, k4 TEXT, k5 TEXT,\n" /* dedup: entity, blocking keys */
	"  UNIQUE(kind, stt));\n"
	"CREATE INDEX existing_k1 ON existing(kind, k1) WHERE k1 IS NOT NULL;\n"
	"CREATE INDEX existing_k2 ON existing(kind, k2) WHERE k2 IS NOT NULL;\n"
	"CREATE INDEX existing_k3 ON existing(kind, k3) WHERE k3 IS NOT NULL;\n"
	"CREATE INDEX existing_k4 ON existing(kind, k4) WHERE k4 IS NOT NULL;\n"
	"CREATE INDEX existing_k5 ON existing(kind, k5) WHERE k5 IS NOT NULL;\n"
	/* dedup: our own records' entities and keys; seen = the record's
	 * updated_at when it was last linked (NULL: link it again) */
	"CREATE TABLE dedup_keys(\n"
	"  record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,\n"
	"  kind TEXT NOT NULL, cmp TEXT NOT NULL, k1 TEXT, k2 TEXT, k3 TEXT, k4 TEXT, k5 TEXT,\n"
	"  seen TEXT);\n"
	"CREATE INDEX dedup_keys_k1 ON dedup_keys(kind, k1) WHERE k1 IS NOT NULL;\n"
	"CREATE INDEX dedup_keys_k2 ON dedup_keys(kind, k2) WHERE k2 IS NOT NULL;\n"
	"CREATE INDEX dedup_keys_k3 ON dedup_keys(kind, k3) WHERE k3 IS NOT NULL;\n"
	"CREATE INDEX dedup_keys_k4 ON dedup_keys(kind, k4) WHERE k4 IS NOT NULL;\n"
	"CREATE INDEX dedup_keys_k5 ON dedup_keys(kind, k5) WHERE k5 IS NOT NULL;\n"
	/* dedup: how often each folded name occurs (term-frequency weights) */
	"CREATE TABLE dedup_tf(\n"
	"  kind TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,\n"
	"  n INTEGER NOT NULL, PRIMARY KEY(kind, field, value)) WITHOUT ROWID;\n"
	/* dedup: each run's fitted model and candidate counts, for the record */
	"CREATE TABLE dedup_runs(\n"
	"  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, at TEXT NOT NULL,\n"
	"  records INTEGER NOT NULL, pairs INTEGER NOT NULL, model TEXT);\n"
	"CREATE TABLE matches(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,\n"
	"  source TEXT NOT NULL CHECK(source IN ('existing','batch')),\n"
	"  other_id TEXT NOT NULL, score REAL NOT NULL,\n"
	"  decision TEXT CHECK(decision IN ('same','different')),\n"
	"  decided_by TEXT, decided_at TEXT,\n"
	"  UNIQUE(record_id, source, other_id));\n"
	"CREATE INDEX matches_other ON matches(source, other_id);\n"
	"CREATE TABLE reviews(\n"
	"  id INTEGER PRIMARY KEY, record_id INTEGER REFERENCES records(id),\n"
	"  item TEXT, reviewer TEXT NOT NULL, at TEXT NOT NULL, action TEXT NOT NULL,\n"
	"  field TEXT, old TEXT, new TEXT);\n"
	"CREATE TABLE claims(\n"
	"  item TEXT PRIMARY KEY, reviewer TEXT NOT NULL, expires_at INTEGER NOT NULL);\n"
	"CREATE TABLE exports(\n"
	"  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, format TEXT NOT NULL,\n"
	"  path TEXT NOT NULL, sha256 TEXT, count INTEGER NOT NULL DEFAULT 0,\n"
	"  at TEXT NOT NULL, selection TEXT, manifest TEXT);\n"
	"CREATE TABLE export_records(\n"
	"  export_id INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,\n"
	"  record_id INTEGER NOT NULL REFERENCES records(id),\n"
	"  PRIMARY KEY(export_id, record_id));\n"
	"CREATE INDEX export_records_record ON export_records(record_id);\n";

/* 1: where a page's OCR time went (preparing, layout and labels, values). */
static const char m1[] =
	"ALTER TABLE pages ADD COLUMN ms_pre INTEGER;\n"
	"ALTER TABLE pages ADD COLUMN ms_layout INTEGER;\n"
	"ALTER TABLE pages ADD COLUMN ms_values INTEGER;\n";

/* 2: each field's probability of being right and the evidence it rests on
 * (validate/accept.c); NULL until scored. */
static const char m2[] =
	"ALTER TABLE fields ADD COLUMN p REAL;\n"
	"ALTER TABLE fields ADD COLUMN evidence TEXT;\n";
/* 3: runs in which a page timed out or crashed the engine, so a later run
 * reads it again until it has had its tries (stage_ocr); the SHA-256 of
 * the CSV a keyed record came from, so the same file again resumes. */
static const char m3[] =
	"ALTER TABLE pages ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE records ADD COLUMN source_sha256 TEXT;\n"
	"CREATE INDEX records_keyed ON records(source_sha256, source_row)"
	" WHERE source_sha256 IS NOT NULL;\n";
/*
 * 4: shards and merges.  meta.uuid names this database for good (a copy
 * keeps it: it is the same shard); shard_order is each book's place in the
 * whole run a `run --shard` is a share of.  In a main database: merges
 * lists every database merged in; merge_sets and merge_plan hold, for the
 * shares of one run, the ids reserved for it and its books' page and
 * record counts, so each share's rows go straight to the ids one run
 * would have given them.
 */
static const char m4[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
	"INSERT INTO meta VALUES('uuid', lower(hex(randomblob(16))));\n"
	"CREATE TABLE shard_order(path TEXT PRIMARY KEY, ordinal INTEGER NOT NULL);\n"
	"CREATE TABLE merges(\n"
	"  uuid TEXT PRIMARY KEY, path TEXT NOT NULL, shard TEXT, shard_set TEXT,\n"
	"  books INTEGER NOT NULL, records INTEGER NOT NULL, at TEXT NOT NULL);\n"
	"CREATE TABLE merge_sets(\n"
	"  shard_set TEXT PRIMARY KEY, book_base INTEGER NOT NULL,\n"
	"  page_base INTEGER NOT NULL, record_base INTEGER NOT NULL);\n"
	"CREATE TABLE merge_plan(\n"
	"  shard_set TEXT NOT NULL, ordinal INTEGER NOT NULL,\n"
	"  pages INTEGER NOT NULL, records INTEGER NOT NULL,\n"
	"  PRIMARY KEY(shard_set, ordinal)) WITHOUT ROWID;\n";

const char *const store_migrations[] = {
	m0,
	m1,
	m2,
	m3,
	m4,
};
const int store_nmigrations = sizeof(store_migrations) / sizeof(*store_migrations);

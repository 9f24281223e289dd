/*
 * The validator set as data: column pattern -> field type and checker, in
 * one table; then the driver that runs it over a record, tries the OCR
 * engine's alternative readings when a reading fails, splits composite
 * printed values, checks required columns and OCR confidence, and runs the
 * cross-field rules.
 */
#include "validate/internal.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum vcomposite { VC_NONE, VC_DEATH_TIME, VC_ID_PAPER, VC_GBT };

struct vrule {
	const char *pattern;	/* fnmatch(3) against the export column; first match wins */
	enum validate_ftype type;
	vcheck_fn check;
	enum vcomposite composite;
};

static const struct vrule rules[] = {
	{"so", VT_NUMBER, vchk_entry, VC_NONE},
	{"quyenSo", VT_NUMBER, vchk_book_no, VC_NONE},
	{"trangSo", VT_NUMBER, vchk_page_no, VC_NONE},
	{"noiDangKy", VT_PLACE, vchk_office, VC_NONE},
	{"loaiDangKy", VT_CLOSED, vchk_reg_type, VC_NONE},
	{"*BangChu", VT_DATE, vchk_date_words, VC_NONE},
	{"nktNgayChet", VT_DATE, vchk_date, VC_DEATH_TIME},
	{"*GioPhutChet", VT_DATE, vchk_time, VC_NONE},
	{"*NgaySinh", VT_DATE, vchk_birth, VC_NONE},
	{"ngay*", VT_DATE, vchk_date, VC_NONE},
	{"*NgayCap*", VT_DATE, vchk_date, VC_NONE},
	{"gbtNgay", VT_DATE, vchk_date, VC_NONE},
	{"gbtSo", VT_NUMBER, vchk_pass, VC_GBT},
	{"*GioiTinh", VT_CLOSED, vchk_sex, VC_NONE},
	{"*DanToc", VT_CLOSED, vchk_ethnic, VC_NONE},
	{"*QuocTich", VT_CLOSED, vchk_nationality, VC_NONE},
	{"nycQuanHe", VT_CLOSED, vchk_relation, VC_NONE},
	{"*HoTen", VT_NAME, vchk_name, VC_NONE},
	{"nguoiThucHien", VT_NAME, vchk_name, VC_NONE},
	{"nguoiKy", VT_NAME, vchk_name, VC_NONE},
	{"nksSoDinhDanh", VT_ID, vchk_pid, VC_NONE},
	{"*SoDinhDanhCaNhan", VT_ID, vchk_pid, VC_NONE},
	{"*SoGiayToTuyThan", VT_ID, vchk_id_number, VC_ID_PAPER},
	{"*LoaiGiayToTuyThan", VT_CLOSED, vchk_id_type, VC_NONE},
	{"*NoiSinh", VT_PLACE, vchk_place, VC_NONE},
	{"*QueQuan", VT_PLACE, vchk_place, VC_NONE},
	{"*NoiCuTru", VT_PLACE, vchk_place, VC_NONE},
	{"*NoiChet", VT_PLACE, vchk_place, VC_NONE},
	{"*", VT_TEXT, vchk_pass, VC_NONE},
};

/* Columns a record of each kind must hold. */
static const char *const required_ks[] = {"so", "ngayDangKy", "nksHoTen", "nksNgaySinh",
					  "nksGioiTinh", NULL};
static const char *const required_kh[] = {"so", "ngayDangKy", "chongHoTen", "voHoTen", NULL};
static const char *const required_kt[] = {"so", "ngayDangKy", "nktHoTen", "nktNgayChet", NULL};

static const struct vrule *rule_of(const char *column)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(*rules); i++)
		if (fnmatch(rules[i].pattern, column, 0) == 0)
			return &rules[i];
	return &rules[sizeof(rules) / sizeof(*rules) - 1];
}

int validate_column_optional(const char *column)
{
	/* The register prints these only when it has them (register-formats.md):
	 * the registration type, the date in words, the registrar, remarks, the
	 * office; IDs, which books before 2016 leave out; the death notice. */
	static const char *const optional[] = {"loaiDangKy", "nksNgaySinhBangChu", "nguoiThucHien",
					       "ghiChu", "noiDangKy"};
	for (size_t i = 0; i < sizeof(optional) / sizeof(*optional); i++)
		if (!strcmp(column, optional[i]))
			return 1;
	return strstr(column, "GiayTo") || strstr(column, "DinhDanh") || !strncmp(column, "gbt", 3);
}

enum validate_ftype validate_column_type(const char *column)
{
	return rule_of(column)->type;
}

/* ---- findings ------------------------------------------------------------- */

void vrun_find(struct vrun *vr, const char *code, enum severity sev, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	record_add_finding(vr->sink, vr->col, code, sev, "%s", msg);
	free(msg);
}

int vrun_bad(const struct vrun *vr)
{
	return record_has_errors(vr->sink);
}

static int drop_all(const struct finding *f, const void *arg)
{
	return 1;
}

static int drop_column(const struct finding *f, const void *col)
{
	return !strcmp(f->field, col);
}

static int drop_cross(const struct finding *f, const void *arg)
{
	return vcross_owns(f->code);
}

static int has_severity(const struct record *r, enum severity sev)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].severity >= sev)
			return 1;
	return 0;
}

static void findings_move(struct record *to, struct record *from)
{
	for (size_t i = 0; i < from->nfindings; i++) {
		const struct finding *f = &from->findings[i];
		record_add_finding(to, f->field, f->code, f->severity, "%s", f->message);
	}
	record_clear_findings(from);
}

/* ---- one field ------------------------------------------------------------ */

/* Run a checker on one input into a fresh sink. */
static char *check_into(const struct validate_ctx *vc, const struct record *r, const char *col,
			vcheck_fn fn, const char *input, struct record *sink, int *corrected,
			char **note)
{
	struct vrun vr = {vc, r, sink, col, 0, NULL};
	char *in = text_squeeze(input);
	char *out = fn(&vr, in);
	free(in);
	*corrected = vr.corrected;
	*note = vr.note;
	return out;
}

/*
 * When the reading fails its checks, the engine's alternatives are tried:
 * if exactly one distinct value among those that pass, it wins.
 */
static char *try_alts(const struct validate_ctx *vc, const struct record *r, const char *col,
		      vcheck_fn fn, const struct field *f, struct record *sink, char **note)
{
	char *win = NULL;
	struct record best;
	record_init(&best, r->kind);
	int nwin = 0;
	for (size_t i = 0; i < f->nalts && nwin < 2; i++) {
		struct record s2;
		record_init(&s2, r->kind);
		int corr;
		char *n2;
		char *v = check_into(vc, r, col, fn, f->alts[i], &s2, &corr, &n2);
		free(n2);
		if (!record_has_errors(&s2) && *v && (!win || strcmp(win, v))) {
			nwin++;
			free(win);
			win = xstrdup(v);
			record_clear_findings(&best);
			findings_move(&best, &s2);
		}
		free(v);
		record_release(&s2);
	}
	if (nwin == 1) {
		record_clear_findings(sink);
		findings_move(sink, &best);
		*note = xasprintf("cách đọc khác của OCR: '%s'", win);
	} else {
		free(win);
		win = NULL;
	}
	record_release(&best);
	return win;
}

/*
 * Names are read twice, by two models (ocr/): when the other reading is a
 * different name, confidence alone must not accept either.  Compared on
 * the exact lower-case text: a lost tone mark (Thuỵ / Thuy) is a difference.
 */
static void second_reading_check(struct record *r, const struct field *f, const char *value)
{
	char *v = text_lower(value);
	for (size_t i = 0; i < f->nalts; i++) {
		char *a = text_lower(f->alts[i]);
		char *as = text_squeeze(a);
		int differs = *as && strcmp(v, as) != 0;
		if (differs)
			record_add_finding(r, f->name, "reading_disagrees", SEV_WARNING,
					   "Hai lần đọc khác nhau: '%s' / '%s'", value, f->alts[i]);
		free(a);
		free(as);
		if (differs)
			break;
	}
	free(v);
}

/* Map and check input as column col's value; findings go to r. */
static void field_apply(const struct validate_ctx *vc, struct record *r, const char *col,
			const char *input, int use_alts, int use_conf)
{
	const struct vrule *rule = rule_of(col);
	record_drop_findings(r, drop_column, col);
	if (!record_field(r, col))
		record_set_raw(r, col, "");
	struct record sink;
	record_init(&sink, r->kind);
	int corrected;
	char *note;
	char *clean = vnoise_clean(vc, input, rule->type);
	char *value = check_into(vc, r, col, rule->check, clean, &sink, &corrected, &note);
	free(clean);
	struct field *f = record_field(r, col);
	/* A well-formed but impossible reading (30/02, 5005) may be what the
	 * register says: it goes to a person, never to an alternative. */
	if (record_has_errors(&sink) && !has_severity(&sink, SEV_ERROR) && use_alts && f->nalts) {
		char *n2 = NULL;
		char *alt = try_alts(vc, r, col, rule->check, f, &sink, &n2);
		if (alt) {
			free(value);
			value = alt;
			free(note);
			note = n2;
			corrected = 1;
		}
	}
	findings_move(r, &sink);
	record_release(&sink);
	f = record_field(r, col);
	char *shown = text_squeeze(input);
	if (corrected && strcmp(shown, value)) {
		f->corrected = 1;
		record_add_finding(r, col, "corrected", SEV_INFO, "Đã sửa '%s' thành '%s' (%s)", shown,
				   value, note ? note : "");
	}
	free(shown);
	free(note);
	record_set_value(r, col, value);
	f = record_field(r, col);
	if (use_conf && rule->type == VT_NAME && !f->corrected && *value)
		second_reading_check(r, f, value);
	float min = validate_threshold(vc, rule->type);
	if (use_conf && f->conf >= 0 && f->conf < min && *value)
		record_add_finding(r, col, "low_confidence", SEV_WARNING,
				   "Độ tin cậy OCR thấp (%.1f < %.1f): %s", f->conf, min, value);
	free(value);
}

/* ---- composite printed values --------------------------------------------- */

/* "nktSoGiayToTuyThan" -> "nkt" + suffix. */
static char *sibling(const char *col, const char *own, const char *other)
{
	const char *p = strstr(col, own);
	return xasprintf("%.*s%s", p ? (int)(p - col) : 0, col, other);
}

static void composite_apply(const struct validate_ctx *vc, struct record *r, const char *col,
			    enum vcomposite kind, const char *input, int use_conf)
{
	struct vsplit sp;
	char *cols[3] = {NULL, NULL, NULL};
	if (kind == VC_DEATH_TIME) {
		vsplit_death_time(input, &sp);
		cols[1] = sibling(col, "NgayChet", "GioPhutChet");
	} else if (kind == VC_ID_PAPER) {
		vsplit_id_paper(input, &sp);
		cols[1] = sibling(col, "SoGiayToTuyThan", "LoaiGiayToTuyThan");
		cols[2] = sibling(col, "SoGiayToTuyThan", "GiayToKhac");
	} else {
		vsplit_gbt(input, &sp);
		cols[1] = xstrdup("gbtNgay");
		cols[2] = xstrdup("gbtCoQuanCap");
	}
	/* The parts were read with the whole: they carry its confidence and
	 * box, so the acceptance threshold applies to them too. */
	const struct field *whole = record_field(r, col);
	float conf = whole ? whole->conf : -1;
	struct box box = whole ? whole->box : (struct box){0, 0, 0, 0};
	for (int i = 1; i < 3; i++)
		if (sp.part[i] && cols[i]) {
			struct field *pf = record_field(r, cols[i]);
			if (!pf)
				pf = record_set_raw(r, cols[i], "");
			pf->conf = conf;
			pf->box = box;
		}
	/* The type of paper first: the number's check depends on it. */
	for (int i = 1; i < 3; i++)
		if (sp.part[i] && cols[i])
			field_apply(vc, r, cols[i], sp.part[i], 0, use_conf);
	if (kind == VC_ID_PAPER && !strcmp(col, "nktSoGiayToTuyThan") && *input &&
	    !*record_value(r, cols[1]))
		/* The death register prints the personal ID: type 4. */
		field_apply(vc, r, cols[1], "4", 0, 0);
	field_apply(vc, r, col, sp.part[0] ? sp.part[0] : input, !sp.part[0], use_conf);
	vsplit_release(&sp);
	for (int i = 0; i < 3; i++)
		free(cols[i]);
}

static void column_apply(const struct validate_ctx *vc, struct record *r, const char *col,
			 const char *input, int use_alts, int use_conf)
{
	const struct vrule *rule = rule_of(col);
	if (rule->composite != VC_NONE)
		composite_apply(vc, r, col, rule->composite, input, use_conf);
	else
		field_apply(vc, r, col, input, use_alts, use_conf);
}

static const char *const *required_of(enum book_kind k)
{
	return k == KIND_KS ? required_ks : k == KIND_KH ? required_kh : k == KIND_KT ? required_kt
										      : NULL;
}

static void required_check(struct record *r, const char *only)
{
	const char *const *req = required_of(r->kind);
	for (size_t i = 0; req && req[i]; i++) {
		if (only && strcmp(only, req[i]))
			continue;
		const struct field *f = record_field(r, req[i]);
		const char *v = f ? (f->value ? f->value : f->raw) : "";
		if (!*v || (!strcmp(req[i], "nksGioiTinh") && !strcmp(v, "3") && f && !*f->raw))
			record_add_finding(r, req[i], "field_missing", SEV_WARNING,
					   "Thiếu thông tin bắt buộc: %s", req[i]);
	}
}

static int count_bad(const struct record *r)
{
	int n = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		n += r->findings[i].severity >= SEV_WARNING;
	return n;
}

int validate_record(const struct validate_ctx *vc, struct record *r)
{
	record_drop_findings(r, drop_all, NULL);
	/* A register that does not say the registration type exports 6
	 * (unknown): the column must exist for its rule to say so. */
	if (!record_field(r, "loaiDangKy"))
		record_set_raw(r, "loaiDangKy", "");
	size_t n = r->nfields;
	char **names = xcalloc(n + 1, sizeof(*names));
	for (size_t i = 0; i < n; i++) {
		names[i] = xstrdup(r->fields[i].name);
		r->fields[i].corrected = 0;
	}
	/* Composites last: they overwrite the columns they split into. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			if ((rule_of(names[i])->composite != VC_NONE) != pass)
				continue;
			char *raw = xstrdup(record_raw(r, names[i]));
			column_apply(vc, r, names[i], raw, 1, 1);
			free(raw);
		}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	required_check(r, NULL);
	vcross_run(vc, r);
	return count_bad(r);
}

int validate_field(const struct validate_ctx *vc, struct record *r, const char *column)
{
	struct field *f = record_field(r, column);
	if (!f)
		f = record_set_raw(r, column, "");
	char *input = xstrdup(f->value ? f->value : f->raw);
	f->corrected = 0;
	record_drop_findings(r, drop_cross, NULL);
	column_apply(vc, r, column, input, 0, 0);
	free(input);
	required_check(r, column);
	vcross_run(vc, r);
	return count_bad(r);
}

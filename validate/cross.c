/*
 * Cross-field rules: dates against each other (registration after birth,
 * the 60-day rule against the registration type, parents' ages, marriage
 * ages, death after birth), the date in words against the digits, personal
 * IDs against sex and year of birth, "Thị" in a man's name.  Each rule reads
 * values (export form) and adds findings on the column a supervisor should
 * look at; vcross_owns() lists their codes so validate_field() can replace
 * them all.
 */
#include "validate/internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const cross_codes[] = {
	"registration_before_birth", "registration_type_mismatch", "parent_age", "marriage_age",
	"death_before_birth", "registration_before_death", "date_words_mismatch",
	"id_sex_mismatch", "id_year_mismatch", "name_sex_mismatch", "id_missing", NULL,
};

int vcross_owns(const char *code)
{
	for (size_t i = 0; cross_codes[i]; i++)
		if (!strcmp(cross_codes[i], code))
			return 1;
	return 0;
}

/* A column's value as a date (export form, existing); 0 or -1. */
static int date_of(const struct record *r, const char *col, struct vdate *d)
{
	return vdate_of_value(record_value(r, col), d);
}

static int full(const struct vdate *d)
{
	return d->m != 0;
}

/* Whole years from a to b (year-only dates: the smallest possible age). */
static int age_at(const struct vdate *birth, const struct vdate *at)
{
	int age = at->y - birth->y;
	if (!full(birth) || !full(at))
		return age - 1;
	if (at->m < birth->m || (at->m == birth->m && at->d < birth->d))
		age--;
	return age;
}

static void rule_registration_after(struct record *r, const char *event_col, const char *code,
				    const char *what)
{
	struct vdate reg, ev;
	if (date_of(r, "ngayDangKy", &reg) < 0 || date_of(r, event_col, &ev) < 0)
		return;
	if (vdate_cmp(&reg, &ev) < 0)
		record_add_finding(r, "ngayDangKy", code, SEV_ERROR, "Ngày đăng ký %s trước %s %s",
				   record_value(r, "ngayDangKy"), what, record_value(r, event_col));
}

/* Registration within 60 days of birth is on time (Law on Civil Status, art. 15). */
static void rule_late_registration(struct record *r)
{
	struct vdate reg, birth;
	const char *type = record_value(r, "loaiDangKy");
	if (date_of(r, "ngayDangKy", &reg) < 0 || date_of(r, "nksNgaySinh", &birth) < 0 ||
	    !full(&reg) || !full(&birth) || vdate_cmp(&reg, &birth) < 0)
		return;
	long days = vdate_serial(&reg) - vdate_serial(&birth);
	if (days > 60 && !strcmp(type, "1"))
		record_add_finding(r, "loaiDangKy", "registration_type_mismatch", SEV_WARNING,
				   "Ghi 'Đúng hạn' nhưng đăng ký sau %ld ngày kể từ ngày sinh", days);
	else if (days <= 60 && !strcmp(type, "4"))
		record_add_finding(r, "loaiDangKy", "registration_type_mismatch", SEV_WARNING,
				   "Ghi 'Quá hạn' nhưng đăng ký trong %ld ngày kể từ ngày sinh", days);
}

static void rule_parent_age(struct record *r, const char *col, const char *who)
{
	struct vdate child, parent;
	if (date_of(r, "nksNgaySinh", &child) < 0 || date_of(r, col, &parent) < 0)
		return;
	int diff = child.y - parent.y;
	if (diff < 12 || diff > 60)
		record_add_finding(r, col, "parent_age", SEV_WARNING,
				   "%s hơn con %d tuổi (năm sinh %d, con sinh năm %d)", who, diff,
				   parent.y, child.y);
}

/*
 * Minimum ages: from 2015 (Law 52/2014) full 20 / 18 years; before, "from
 * 20 / 18" counted from entering that year of age (Resolution 02/2000).
 */
static void rule_marriage_age(struct record *r, const char *col, int min, const char *who)
{
	struct vdate reg, birth;
	if (date_of(r, "ngayDangKy", &reg) < 0 || date_of(r, col, &birth) < 0)
		return;
	int need = reg.y >= 2015 ? min : min - 1;
	int age = age_at(&birth, &reg);
	if (!full(&birth) || !full(&reg))
		age++; /* year-only: flag only when certainly too young */
	if (age < need)
		record_add_finding(r, col, "marriage_age", SEV_WARNING,
				   "%s chưa đủ %d tuổi khi đăng ký kết hôn (%d tuổi)", who, min, age);
}

static void rule_death_after_birth(struct record *r)
{
	struct vdate birth, death;
	if (date_of(r, "nktNgaySinh", &birth) < 0 || date_of(r, "nktNgayChet", &death) < 0)
		return;
	if (vdate_cmp(&death, &birth) < 0)
		record_add_finding(r, "nktNgayChet", "death_before_birth", SEV_ERROR,
				   "Ngày chết %s trước ngày sinh %s", record_value(r, "nktNgayChet"),
				   record_value(r, "nktNgaySinh"));
}

static void rule_date_words(struct record *r)
{
	struct vdate w, d;
	const char *words = record_value(r, "nksNgaySinhBangChu");
	if (!*words || vdate_from_words(words, &w) < 0 ||
	    vdate_parse(record_value(r, "nksNgaySinh"), &d) < 0 || !full(&d))
		return;
	if (w.d != d.d || w.m != d.m || w.y != d.y)
		record_add_finding(r, "nksNgaySinhBangChu", "date_words_mismatch", SEV_WARNING,
				   "Ngày sinh bằng chữ (%02d/%02d/%04d) khác ngày sinh bằng số %s",
				   w.d, w.m, w.y, record_value(r, "nksNgaySinh"));
}

/* An ID column, whose sex (a column, or fixed) and date of birth it encodes. */
struct id_rule {
	enum book_kind kind;
	const char *id, *type, *sex, *birth;
	int fixed_sex;	/* 1 male, 2 female, 0: read sex */
};
static const struct id_rule id_rules[] = {
	{KIND_KS, "nksSoDinhDanh", NULL, "nksGioiTinh", "nksNgaySinh", 0},
	{KIND_KS, "meSoDinhDanhCaNhan", NULL, NULL, "meNgaySinh", 2},
	{KIND_KS, "chaSoDinhDanhCaNhan", NULL, NULL, "chaNgaySinh", 1},
	{KIND_KS, "meSoGiayToTuyThan", "meLoaiGiayToTuyThan", NULL, "meNgaySinh", 2},
	{KIND_KS, "chaSoGiayToTuyThan", "chaLoaiGiayToTuyThan", NULL, "chaNgaySinh", 1},
	{KIND_KT, "nktSoGiayToTuyThan", "nktLoaiGiayToTuyThan", "nktGioiTinh", "nktNgaySinh", 0},
	{KIND_KH, "chongSoGiayToTuyThan", "chongLoaiGiayToTuyThan", NULL, "chongNgaySinh", 1},
	{KIND_KH, "voSoGiayToTuyThan", "voLoaiGiayToTuyThan", NULL, "voNgaySinh", 2},
};

static void rule_id(struct record *r, const struct id_rule *ir)
{
	const char *id = record_value(r, ir->id);
	if (strlen(id) != 12 || strspn(id, "0123456789") != 12)
		return;
	if (ir->type && strcmp(record_value(r, ir->type), "4"))
		return;
	int sex = ir->fixed_sex ? ir->fixed_sex : vsex_of_value(record_value(r, ir->sex));
	int cd = id[3] - '0';
	if (sex && (cd % 2 == 1) != (sex == 2))
		record_add_finding(r, ir->id, "id_sex_mismatch", SEV_ERROR,
				   "Chữ số thứ tư của số định danh (%c) không khớp giới tính %s: %s",
				   id[3], sex == 2 ? "Nữ" : "Nam", id);
	struct vdate b;
	if (date_of(r, ir->birth, &b) < 0)
		return;
	int century = 1900 + cd / 2 * 100, yy = (id[4] - '0') * 10 + (id[5] - '0');
	if (b.y / 100 * 100 != century || b.y % 100 != yy)
		record_add_finding(r, ir->id, "id_year_mismatch", SEV_ERROR,
				   "Số định danh mã hóa năm sinh %d, khác năm sinh %d: %s",
				   century + yy, b.y, id);
}

/* Personal IDs exist for births registered from 2016; blank before is normal. */
static void rule_id_missing(struct record *r)
{
	struct vdate reg;
	if (record_field(r, "nksSoDinhDanh") && !*record_value(r, "nksSoDinhDanh") &&
	    date_of(r, "ngayDangKy", &reg) == 0 && reg.y >= 2016)
		record_add_finding(r, "nksSoDinhDanh", "id_missing", SEV_INFO,
				   "Đăng ký từ năm 2016 nhưng không có số định danh cá nhân");
}

/* "Thị" as a middle name marks a woman. */
static void rule_thi(const struct validate_ctx *vc, struct record *r, const char *name_col,
		     const char *sex_col, int fixed_sex)
{
	const char *name = record_value(r, name_col);
	int sex = fixed_sex ? fixed_sex : vsex_of_value(record_value(r, sex_col));
	if (sex != 1 || !*name)
		return;
	char *key = validate_tone_key(vc, name);
	const char *first = strchr(key, ' '), *last = strrchr(key, ' ');
	int thi = 0;
	for (const char *p = first; p && p < last; p = strchr(p + 1, ' '))
		if (!strncmp(p, " thi5 ", 6))
			thi = 1;
	free(key);
	if (thi)
		record_add_finding(r, name_col, "name_sex_mismatch", SEV_WARNING,
				   "Tên đệm 'Thị' nhưng giới tính Nam: %s", name);
}

void vcross_run(const struct validate_ctx *vc, struct record *r)
{
	if (r->kind == KIND_KS) {
		rule_registration_after(r, "nksNgaySinh", "registration_before_birth", "ngày sinh");
		rule_late_registration(r);
		rule_parent_age(r, "meNgaySinh", "Mẹ");
		rule_parent_age(r, "chaNgaySinh", "Cha");
		rule_date_words(r);
		rule_id_missing(r);
		rule_thi(vc, r, "nksHoTen", "nksGioiTinh", 0);
		rule_thi(vc, r, "chaHoTen", NULL, 1);
	} else if (r->kind == KIND_KH) {
		rule_marriage_age(r, "chongNgaySinh", 20, "Chồng");
		rule_marriage_age(r, "voNgaySinh", 18, "Vợ");
		rule_thi(vc, r, "chongHoTen", NULL, 1);
	} else if (r->kind == KIND_KT) {
		rule_death_after_birth(r);
		rule_registration_after(r, "nktNgayChet", "registration_before_death", "ngày chết");
		rule_thi(vc, r, "nktHoTen", "nktGioiTinh", 0);
	}
	for (size_t i = 0; i < sizeof(id_rules) / sizeof(*id_rules); i++)
		if (id_rules[i].kind == r->kind)
			rule_id(r, &id_rules[i]);
}

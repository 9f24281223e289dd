/* Unit tests: validate/ (each checker's findings and non-findings, mappings,
 * corrections that must and must not happen, cross-field rules, books). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/validate_fixture.h"

static int group_setup(void **state)
{
	return vc_setup("HOTICH_THRESHOLDS");
}

/* ---- helpers ------------------------------------------------------------- */

static const char *message_of(const struct record *r, const char *code)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (!strcmp(r->findings[i].code, code))
			return r->findings[i].message;
	return "";
}

static int bad_on(const struct record *r, const char *field)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (!strcmp(r->findings[i].field, field) && r->findings[i].severity >= SEV_WARNING)
			return 1;
	return 0;
}

/* A consistent birth record, keyed (conf -1). */
static void ks_clean(struct record *r)
{
	record_init(r, KIND_KS);
	record_set_raw(r, "so", "12");
	record_set_raw(r, "quyenSo", "01/2019");
	record_set_raw(r, "ngayDangKy", "10/09/2008");
	record_set_raw(r, "loaiDangKy", "Đúng hạn");
	record_set_raw(r, "nksHoTen", "NGUYỄN THỊ THUỲ DƯƠNG");
	record_set_raw(r, "nksNgaySinh", "27/08/2008");
	record_set_raw(r, "nksNgaySinhBangChu",
		       "Ngày Hai Mươi Bảy Tháng Tám Năm Hai Nghìn Không Trăm Linh Tám");
	record_set_raw(r, "nksGioiTinh", "Nữ");
	record_set_raw(r, "nksDanToc", "Kinh");
	record_set_raw(r, "nksQuocTich", "Việt Nam");
	record_set_raw(r, "nksNoiSinh", "Xã Tân Phú, Huyện Đức Hòa, Tỉnh Long An");
	record_set_raw(r, "nksSoDinhDanh", "080308001234");
	record_set_raw(r, "meHoTen", "Trần Thị Hoà");
	record_set_raw(r, "meNgaySinh", "1980");
	record_set_raw(r, "chaHoTen", "Nguyễn Văn Hùng");
	record_set_raw(r, "chaNgaySinh", "1978");
	record_set_raw(r, "nycHoTen", "Nguyễn Văn Hùng");
	record_set_raw(r, "nycQuanHe", "Cha");
}

static struct record *validated(struct record *r)
{
	validate_record(vc, r);
	return r;
}

static void dump(const struct record *r)
{
	for (size_t i = 0; i < r->nfindings; i++)
		fprintf(stderr, "  finding %s %s %d %s\n", r->findings[i].field, r->findings[i].code,
			r->findings[i].severity, r->findings[i].message);
}

/* ---- dates ---------------------------------------------------------------- */

static void dates_parse_every_printed_shape(void **state)
{
	struct vdate d;
	char out[16];
	static const char *const shapes[] = {"5/3/2021", "05/03/2021", "05.03.2021", "05-03-2021",
					     "ngày 05 tháng 03 năm 2021", " 05 / 03 / 2021 "};
	for (size_t i = 0; i < sizeof(shapes) / sizeof(*shapes); i++) {
		assert_int_equal(vdate_parse(shapes[i], &d), 0);
		vdate_format(&d, out);
		assert_string_equal(out, "05/03/2021");
	}
	assert_int_equal(vdate_parse("1985", &d), 0);
	vdate_format(&d, out);
	assert_string_equal(out, "1985");
	assert_int_equal(vdate_parse("05/03/21", &d), -1);
	assert_int_equal(vdate_parse("5 March 2021", &d), -1);
	assert_int_equal(vdate_parse("05/03/2021/7", &d), -1);
	assert_int_equal(vdate_parse("", &d), -1);
}

static void dates_calendar_and_leap_years(void **state)
{
	struct vdate d = {2004, 2, 29};
	assert_true(vdate_exists(&d));
	d.y = 2000;
	assert_true(vdate_exists(&d));
	d.y = 1900;
	assert_false(vdate_exists(&d));
	d.y = 2005;
	assert_false(vdate_exists(&d));
	d = (struct vdate){2005, 2, 30};
	assert_false(vdate_exists(&d));
	d = (struct vdate){2005, 4, 31};
	assert_false(vdate_exists(&d));
	d = (struct vdate){2005, 13, 1};
	assert_false(vdate_exists(&d));
	d = (struct vdate){2005, 12, 31};
	assert_true(vdate_exists(&d));
}

static void date_30_02_is_flagged_never_corrected(void **state)
{
	struct record r;
	ks_clean(&r);
	struct field *f = record_set_raw(&r, "nksNgaySinh", "30/02/2005");
	field_add_alt(f, "20/02/2005");
	record_set_raw(&r, "nksNgaySinhBangChu", "");
	record_set_raw(&r, "ngayDangKy", "10/03/2005");
	f = record_field(&r, "nksNgaySinh");
	f->conf = 95;
	validated(&r);
	assert_true(has(&r, "nksNgaySinh", "date_invalid"));
	assert_string_equal(message_of(&r, "date_invalid"), "Ngày không tồn tại: 30/02/2005");
	assert_string_equal(record_value(&r, "nksNgaySinh"), "30/02/2005");
	assert_int_equal(record_field(&r, "nksNgaySinh")->corrected, 0);
	record_release(&r);
}

static void date_29_02_in_leap_year_is_clean(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nksNgaySinh", "29/02/2008");
	record_set_raw(&r, "nksNgaySinhBangChu", "");
	record_set_raw(&r, "ngayDangKy", "01/03/2008");
	record_set_raw(&r, "nksSoDinhDanh", "");
	validated(&r);
	assert_false(bad_on(&r, "nksNgaySinh"));
	record_set_raw(&r, "nksNgaySinh", "29/02/2007");
	validated(&r);
	assert_true(has(&r, "nksNgaySinh", "date_invalid"));
	record_release(&r);
}

static void date_typed_year_5005_is_implausible(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nksNgaySinh", "12/05/5005");
	validated(&r);
	assert_true(has(&r, "nksNgaySinh", "date_implausible"));
	assert_non_null(strstr(message_of(&r, "date_implausible"), "2005"));
	assert_string_equal(record_value(&r, "nksNgaySinh"), "12/05/5005");
	record_release(&r);
}

static void date_formats_normalise_and_bad_shapes_flag(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "ngayDangKy", "1.9.2008");
	validated(&r);
	assert_string_equal(record_value(&r, "ngayDangKy"), "01/09/2008");
	assert_false(bad_on(&r, "ngayDangKy"));
	record_set_raw(&r, "ngayDangKy", "2008");	/* a registration needs a day */
	validated(&r);
	assert_true(has(&r, "ngayDangKy", "date_format"));
	record_set_raw(&r, "ngayDangKy", "1O/09/2008");
	validated(&r);
	assert_true(has(&r, "ngayDangKy", "date_format"));
	record_release(&r);
}

static void date_in_the_future_or_too_early(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "ngayDangKy", "01/01/2026");
	validated(&r);
	assert_true(has(&r, "ngayDangKy", "date_implausible"));
	record_set_raw(&r, "ngayDangKy", "01/01/1930");
	validated(&r);
	assert_true(has(&r, "ngayDangKy", "date_implausible"));
	record_release(&r);
}

/* ---- words ----------------------------------------------------------------- */

static void numbers_in_words(void **state)
{
	assert_int_equal(vnum_from_words("Hai Mươi Bảy"), 27);
	assert_int_equal(vnum_from_words("Mười Lăm"), 15);
	assert_int_equal(vnum_from_words("Hai Mươi Mốt"), 21);
	assert_int_equal(vnum_from_words("Hai Mươi Tư"), 24);
	assert_int_equal(vnum_from_words("Mười"), 10);
	assert_int_equal(vnum_from_words("Hai Nghìn Không Trăm Linh Tám"), 2008);
	assert_int_equal(vnum_from_words("Hai Ngàn Không Trăm Lẻ Tám"), 2008);
	assert_int_equal(vnum_from_words("Một Nghìn Chín Trăm Chín Mươi Chín"), 1999);
	assert_int_equal(vnum_from_words("Một Nghìn Chín Trăm Năm Mươi Lăm"), 1955);
	assert_int_equal(vnum_from_words("Hai Nghìn Không Trăm Mười Lăm"), 2015);
	assert_int_equal(vnum_from_words("Hai Nghìn Hai Mươi"), 2020);
	assert_int_equal(vnum_from_words("Hai Hai"), -1);
	assert_int_equal(vnum_from_words("Banana"), -1);
	assert_int_equal(vnum_from_words(""), -1);
}

static void dates_in_words_incl_southern(void **state)
{
	struct vdate d;
	assert_int_equal(vdate_from_words("Ngày Hai Mươi Bảy Tháng Tám Năm Hai Nghìn Không Trăm "
					  "Linh Tám", &d), 0);
	assert_int_equal(d.d, 27);
	assert_int_equal(d.m, 8);
	assert_int_equal(d.y, 2008);
	assert_int_equal(vdate_from_words("ngày mồng năm tháng năm năm hai ngàn lẻ năm", &d), 0);
	assert_int_equal(d.d, 5);
	assert_int_equal(d.m, 5);
	assert_int_equal(d.y, 2005);
	assert_int_equal(vdate_from_words("Ngày Mười Hai Tháng Mười Hai Năm Một Nghìn Chín Trăm "
					  "Tám Mươi Mốt", &d), 0);
	assert_int_equal(d.d, 12);
	assert_int_equal(d.m, 12);
	assert_int_equal(d.y, 1981);
	assert_int_equal(vdate_from_words("Ngày Một Tháng Tư Năm Hai Nghìn Không Trăm Hai Mươi",
					  &d), 0);
	assert_int_equal(d.m, 4);
	assert_int_equal(d.y, 2020);
	assert_int_equal(vdate_from_words("Ngày Hai Mươi Tháng", &d), -1);
	assert_int_equal(vdate_from_words("27/08/2008", &d), -1);
}

static void date_words_checked_against_digits(void **state)
{
	struct record r;
	ks_clean(&r);
	validated(&r);
	assert_false(has(&r, NULL, "date_words_mismatch"));
	record_set_raw(&r, "nksNgaySinhBangChu",
		       "Ngày Hai Mươi Bảy Tháng Tám Năm Hai Nghìn Không Trăm Linh Ba");
	validated(&r);
	assert_true(has(&r, "nksNgaySinhBangChu", "date_words_mismatch"));
	record_set_raw(&r, "nksNgaySinhBangChu", "Ngày Hai Mươi Bảy Tháng Xyz");
	validated(&r);
	assert_true(has(&r, "nksNgaySinhBangChu", "date_words_format"));
	record_release(&r);
}

/* ---- the clean record ------------------------------------------------------- */

static void clean_record_has_no_findings_and_maps_values(void **state)
{
	struct record r;
	ks_clean(&r);
	int bad = validate_record(vc, &r);
	if (bad)
		dump(&r);
	assert_int_equal(bad, 0);
	assert_false(record_has_errors(&r));
	assert_string_equal(record_value(&r, "nksHoTen"), "Nguyễn Thị Thuỳ Dương");
	assert_string_equal(record_value(&r, "nksGioiTinh"), "2");
	assert_string_equal(record_value(&r, "loaiDangKy"), "1");
	assert_string_equal(record_value(&r, "nksDanToc"), "Kinh");
	assert_string_equal(record_value(&r, "meNgaySinh"), "1980");
	assert_string_equal(record_value(&r, "quyenSo"), "01/2019");
	assert_string_equal(record_value(&r, "nycQuanHe"), "Cha");
	record_release(&r);
}

static void keyed_export_form_is_idempotent(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nksGioiTinh", "2");
	record_set_raw(&r, "loaiDangKy", "1");
	record_set_raw(&r, "nksHoTen", "Nguyễn Thị Thuỳ Dương");
	validated(&r);
	assert_false(record_has_errors(&r));
	assert_string_equal(record_value(&r, "nksGioiTinh"), "2");
	assert_string_equal(record_value(&r, "loaiDangKy"), "1");
	/* Validating the values again changes nothing. */
	for (size_t i = 0; i < r.nfields; i++) {
		char *v = xstrdup(r.fields[i].value);
		free(r.fields[i].raw);
		r.fields[i].raw = xstrdup(v);
		free(v);
	}
	char *before = xstrdup(record_value(&r, "nksNoiSinh"));
	validated(&r);
	assert_false(record_has_errors(&r));
	assert_string_equal(record_value(&r, "nksNoiSinh"), before);
	assert_string_equal(record_value(&r, "nksGioiTinh"), "2");
	free(before);
	record_release(&r);
}

static void tone_placement_is_kept_but_compares_equal(void **state)
{
	char *a = validate_tone_key(vc, "Thuỳ"), *b = validate_tone_key(vc, "Thùy"),
	     *c = validate_tone_key(vc, "Thuy"), *d = validate_tone_key(vc, "HOÀ");
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_string_equal(d, "hoa1");
	free(a);
	free(b);
	free(c);
	free(d);
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nksHoTen", "NGUYỄN THỊ THÙY DƯƠNG");
	validated(&r);
	assert_string_equal(record_value(&r, "nksHoTen"), "Nguyễn Thị Thùy Dương");
	record_release(&r);
}

/* ---- mappings --------------------------------------------------------------- */

static void sex_and_registration_type_codes(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nksGioiTinh", "Nam");
	record_set_raw(&r, "nksHoTen", "Nguyễn Văn An");
	record_set_raw(&r, "nksSoDinhDanh", "");
	validated(&r);
	assert_string_equal(record_value(&r, "nksGioiTinh"), "1");
	record_set_raw(&r, "nksGioiTinh", "không rõ giới");
	validated(&r);
	assert_string_equal(record_value(&r, "nksGioiTinh"), "3");
	assert_true(has(&r, "nksGioiTinh", "sex_unknown"));
	record_set_raw(&r, "loaiDangKy", "Quá hạn");
	record_set_raw(&r, "ngayDangKy", "10/12/2008");
	validated(&r);
	assert_string_equal(record_value(&r, "loaiDangKy"), "4");
	record_set_raw(&r, "loaiDangKy", "Đăng ký lại");
	validated(&r);
	assert_string_equal(record_value(&r, "loaiDangKy"), "2");
	record_set_raw(&r, "loaiDangKy", "");
	validated(&r);
	assert_string_equal(record_value(&r, "loaiDangKy"), "6");
	record_release(&r);
	record_init(&r, KIND_KS);
	record_set_raw(&r, "nksHoTen", "Lê An");
	validated(&r);
	/* A register that does not say: the record itself says 6 (unknown). */
	assert_string_equal(record_value(&r, "loaiDangKy"), "6");
	record_release(&r);
}

static void death_time_composite_splits(void **state)
{
	struct record r;
	record_init(&r, KIND_KT);
	record_set_raw(&r, "so", "3");
	record_set_raw(&r, "ngayDangKy", "06/03/2021");
	record_set_raw(&r, "nktHoTen", "Lê Văn Tám");
	record_set_raw(&r, "nktGioiTinh", "Nam");
	record_set_raw(&r, "nktNgaySinh", "01/01/1940");
	record_set_raw(&r, "nktNgayChet", "14 giờ 30 phút, ngày 05/03/2021");
	record_set_raw(&r, "nktSoGiayToTuyThan", "001040001234");
	validated(&r);
	assert_string_equal(record_value(&r, "nktNgayChet"), "05/03/2021");
	assert_string_equal(record_value(&r, "nktGioPhutChet"), "14:30");
	assert_string_equal(record_value(&r, "nktLoaiGiayToTuyThan"), "4");
	assert_string_equal(record_value(&r, "nktSoGiayToTuyThan"), "001040001234");
	assert_string_equal(record_raw(&r, "nktNgayChet"), "14 giờ 30 phút, ngày 05/03/2021");
	if (record_has_errors(&r))
		dump(&r);
	assert_false(record_has_errors(&r));
	/* Idempotent: the export form validates to itself. */
	record_set_raw(&r, "nktNgayChet", "05/03/2021");
	record_set_raw(&r, "nktGioPhutChet", "14:30");
	validated(&r);
	assert_string_equal(record_value(&r, "nktNgayChet"), "05/03/2021");
	assert_string_equal(record_value(&r, "nktGioPhutChet"), "14:30");
	record_set_raw(&r, "nktNgayChet", "25 giờ 10 phút, ngày 05/03/2021");
	validated(&r);
	assert_true(has(&r, "nktGioPhutChet", "time_invalid"));
	record_release(&r);
}

static void id_paper_composite_splits(void **state)
{
	struct record r;
	record_init(&r, KIND_KH);
	record_set_raw(&r, "so", "1");
	record_set_raw(&r, "ngayDangKy", "01/06/2015");
	record_set_raw(&r, "chongHoTen", "Phạm Văn Bình");
	record_set_raw(&r, "chongNgaySinh", "12/03/1989");
	record_set_raw(&r, "chongSoGiayToTuyThan", "CCCD số 074089001234");
	record_set_raw(&r, "voHoTen", "Đỗ Thị Mai");
	record_set_raw(&r, "voNgaySinh", "01/01/1992");
	record_set_raw(&r, "voSoGiayToTuyThan", "CMND số 025123456");
	validated(&r);
	assert_string_equal(record_value(&r, "chongLoaiGiayToTuyThan"), "4");
	assert_string_equal(record_value(&r, "chongSoGiayToTuyThan"), "074089001234");
	assert_string_equal(record_value(&r, "voLoaiGiayToTuyThan"), "1");
	assert_string_equal(record_value(&r, "voSoGiayToTuyThan"), "025123456");
	if (record_has_errors(&r))
		dump(&r);
	assert_false(record_has_errors(&r));
	record_set_raw(&r, "voSoGiayToTuyThan", "Hộ chiếu số B1234567");
	validated(&r);
	assert_string_equal(record_value(&r, "voLoaiGiayToTuyThan"), "2");
	assert_string_equal(record_value(&r, "voSoGiayToTuyThan"), "B1234567");
	record_set_raw(&r, "voSoGiayToTuyThan", "Giấy xác nhận số 77/XN");
	validated(&r);
	assert_string_equal(record_value(&r, "voLoaiGiayToTuyThan"), "8");
	assert_string_equal(record_value(&r, "voGiayToKhac"), "Giấy xác nhận");
	assert_string_equal(record_value(&r, "voSoGiayToTuyThan"), "77/XN");
	record_release(&r);
}

static void death_notice_composite_splits(void **state)
{
	struct record r;
	record_init(&r, KIND_KT);
	record_set_raw(&r, "gbtSo", "123 ngày 01/02/2021 của Bệnh viện Chợ Rẫy");
	validated(&r);
	assert_string_equal(record_value(&r, "gbtSo"), "123");
	assert_string_equal(record_value(&r, "gbtNgay"), "01/02/2021");
	assert_string_equal(record_value(&r, "gbtCoQuanCap"), "Bệnh viện Chợ Rẫy");
	record_set_raw(&r, "gbtSo", "45");
	record_set_raw(&r, "gbtNgay", "31/04/2021");
	validated(&r);
	assert_string_equal(record_value(&r, "gbtSo"), "45");
	assert_true(has(&r, "gbtNgay", "date_invalid"));
	record_release(&r);
}

/* ---- personal IDs ------------------------------------------------------------ */

static void id_century_digit_rule(void **state)
{
	assert_int_equal(vid_century_digit(1985, 0), 0);
	assert_int_equal(vid_century_digit(1985, 1), 1);
	assert_int_equal(vid_century_digit(2008, 0), 2);
	assert_int_equal(vid_century_digit(2008, 1), 3);
	assert_int_equal(vid_century_digit(2100, 0), 4);
	assert_int_equal(vid_century_digit(1899, 0), -1);
}

static void id_sex_and_year_mismatch(void **state)
{
	struct record r;
	ks_clean(&r); /* female, 2008: digit 3, year 08 */
	record_set_raw(&r, "nksSoDinhDanh", "080208001234");
	validated(&r);
	assert_true(has(&r, "nksSoDinhDanh", "id_sex_mismatch"));
	assert_false(has(&r, NULL, "id_year_mismatch"));
	record_set_raw(&r, "nksSoDinhDanh", "080307001234");
	validated(&r);
	assert_true(has(&r, "nksSoDinhDanh", "id_year_mismatch"));
	assert_false(has(&r, NULL, "id_sex_mismatch"));
	record_set_raw(&r, "nksSoDinhDanh", "080108001234"); /* 1908 */
	validated(&r);
	assert_true(has(&r, "nksSoDinhDanh", "id_year_mismatch"));
	record_set_raw(&r, "nksSoDinhDanh", "080308001234");
	validated(&r);
	assert_false(bad_on(&r, "nksSoDinhDanh"));
	record_release(&r);
}

static void id_structure_is_a_warning(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nksSoDinhDanh", "0803080012");
	validated(&r);
	assert_true(has(&r, "nksSoDinhDanh", "id_format"));
	record_set_raw(&r, "nksSoDinhDanh", "003308001234"); /* 003 is not a province */
	validated(&r);
	assert_true(has(&r, "nksSoDinhDanh", "id_province"));
	for (size_t i = 0; i < r.nfindings; i++)
		if (!strcmp(r.findings[i].code, "id_province"))
			assert_int_equal(r.findings[i].severity, SEV_WARNING);
	record_set_raw(&r, "nksSoDinhDanh", "244308001234"); /* born abroad: Romania */
	validated(&r);
	assert_false(has(&r, NULL, "id_province"));
	record_set_raw(&r, "nksSoDinhDanh", "O80308001234"); /* O for 0: corrected */
	validated(&r);
	assert_string_equal(record_value(&r, "nksSoDinhDanh"), "080308001234");
	assert_true(has(&r, "nksSoDinhDanh", "corrected"));
	assert_int_equal(record_field(&r, "nksSoDinhDanh")->corrected, 1);
	record_release(&r);
}

static void id_optional_before_2016(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nksSoDinhDanh", "");
	validated(&r);
	assert_false(record_has_errors(&r));
	assert_false(has(&r, NULL, "id_missing"));
	record_set_raw(&r, "ngayDangKy", "10/09/2017");
	record_set_raw(&r, "nksNgaySinh", "01/09/2017");
	record_set_raw(&r, "nksNgaySinhBangChu", "");
	validated(&r);
	assert_true(has(&r, "nksSoDinhDanh", "id_missing")); /* info only */
	assert_false(record_has_errors(&r));
	record_release(&r);
}

/* ---- names -------------------------------------------------------------------- */

static void syllables(void **state)
{
	static const char *const good[] = {"Nguyễn", "Thị", "Thuỳ", "Dương", "Quốc", "Huỳnh",
					   "Giang", "gì", "Khánh", "Nghĩa", "Kỳ", "Gia",
					   "Quyên", "Yến", "Oanh", "Hoàng", "Võ", "Vũ", "Đặng"};
	static const char *const bad[] = {"Nguyen2", "Ngyễn", "Kan", "Cường1", "Ghanh",
					  "Thịt̀", "Xzy", "Hoàc", "Ngiên", "Wang", "Phảt"};
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		if (!validate_syllable_ok(vc, good[i]))
			fail_msg("'%s' should be a syllable", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (validate_syllable_ok(vc, bad[i]))
			fail_msg("'%s' should not be a syllable", bad[i]);
}

static void name_findings(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "meHoTen", "Trần Q9 Hoà");
	validated(&r);
	assert_true(has(&r, "meHoTen", "name_chars"));
	/* A digit for the letter it looks like, in a word that is no syllable. */
	record_set_raw(&r, "meHoTen", "Trần Th1 Hoà");
	validated(&r);
	assert_string_equal(record_value(&r, "meHoTen"), "Trần Thị Hoà");
	assert_true(has(&r, "meHoTen", "corrected"));
	record_set_raw(&r, "meHoTen", "Trần Thị Hoàc");
	validated(&r);
	assert_true(has(&r, "meHoTen", "name_syllable"));
	record_set_raw(&r, "meHoTen", "Trần");
	validated(&r);
	assert_true(has(&r, "meHoTen", "name_short"));
	record_set_raw(&r, "meHoTen", "Khúc Thị Hoà"); /* rare, real */
	validated(&r);
	assert_true(has(&r, "meHoTen", "name_surname_rare"));
	assert_false(bad_on(&r, "meHoTen"));
	record_release(&r);
}

static void thi_in_a_mans_name(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nksGioiTinh", "Nam");
	record_set_raw(&r, "nksSoDinhDanh", "080208001234");
	validated(&r);
	assert_true(has(&r, "nksHoTen", "name_sex_mismatch"));
	record_set_raw(&r, "nksHoTen", "Nguyễn Văn Thị"); /* Thị as a given name is not a middle name */
	validated(&r);
	assert_false(has(&r, NULL, "name_sex_mismatch"));
	record_set_raw(&r, "chaHoTen", "Nguyễn Thị Hùng");
	validated(&r);
	assert_true(has(&r, "chaHoTen", "name_sex_mismatch"));
	record_release(&r);
}

static void huynh_hoang_vo_vu_never_merge(void **state)
{
	static const char *const names[] = {"HUỲNH VĂN AN", "HOÀNG VĂN AN", "VÕ THỊ LAN", "VŨ THỊ LAN"};
	static const char *const want[] = {"Huỳnh Văn An", "Hoàng Văn An", "Võ Thị Lan", "Vũ Thị Lan"};
	for (size_t i = 0; i < 4; i++) {
		struct record r;
		ks_clean(&r);
		struct field *f = record_set_raw(&r, "meHoTen", names[i]);
		field_add_alt(f, names[(i + 2) % 4]);
		validated(&r);
		assert_string_equal(record_value(&r, "meHoTen"), want[i]);
		assert_false(has(&r, "meHoTen", "corrected"));
		/* The other reading is another person: a supervisor decides. */
		assert_true(has(&r, "meHoTen", "reading_disagrees"));
		record_release(&r);
	}
	/* "Vo" without marks is one slip from both Võ and Vũ: never guessed. */
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "meHoTen", "Vo Thị Lan");
	validated(&r);
	assert_string_equal(record_value(&r, "meHoTen"), "Vo Thị Lan");
	assert_false(has(&r, "meHoTen", "corrected"));
	record_release(&r);
}

static void surname_corrected_only_when_not_a_syllable(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "meHoTen", "Nguyêễn Thị Hoà"); /* two marks: not a syllable */
	validated(&r);
	assert_string_equal(record_value(&r, "meHoTen"), "Nguyễn Thị Hoà");
	assert_true(has(&r, "meHoTen", "corrected"));
	assert_string_equal(record_raw(&r, "meHoTen"), "Nguyêễn Thị Hoà");
	/* A syllable, but no surname: Nguyễn is 38% of people, so a lost or
	 * moved mark on it is far likelier than a 'Nguyến' (corrected, raw kept). */
	record_set_raw(&r, "meHoTen", "Nguyến Thị Hoà");
	validated(&r);
	assert_string_equal(record_value(&r, "meHoTen"), "Nguyễn Thị Hoà");
	assert_true(has(&r, "meHoTen", "corrected"));
	record_set_raw(&r, "meHoTen", "TRÂN VĂN GIANG");
	validated(&r);
	assert_string_equal(record_value(&r, "meHoTen"), "Trần Văn Giang");
	/* A middle or given word only when it is no syllable: Quôc (a stop
	 * ending needs a rising or heavy tone), Nguyêñ (the tilde on the n). */
	record_set_raw(&r, "chaHoTen", "Đặng Quôc Dũng");
	validated(&r);
	assert_string_equal(record_value(&r, "chaHoTen"), "Đặng Quốc Dũng");
	record_set_raw(&r, "chaHoTen", "Nguyêñ Thanh Chi");
	validated(&r);
	assert_string_equal(record_value(&r, "chaHoTen"), "Nguyễn Thanh Chi");
	record_set_raw(&r, "chaHoTen", "Nguyêñ 6ia Ktm");
	validated(&r);
	assert_string_equal(record_value(&r, "chaHoTen"), "Nguyễn Gia Kim");
	/* A real given name read as written stays, however rare. */
	record_set_raw(&r, "chaHoTen", "Lê Thanh Trân");
	validated(&r);
	assert_string_equal(record_value(&r, "chaHoTen"), "Lê Thanh Trân");
	assert_false(has(&r, "chaHoTen", "corrected"));
	/* La is a surname of its own, with no share to outweigh it. */
	record_set_raw(&r, "chaHoTen", "Lã Văn Minh");
	validated(&r);
	assert_string_equal(record_value(&r, "chaHoTen"), "Lã Văn Minh");
	record_release(&r);
}

/* ---- corrections from alternatives ---------------------------------------------- */

static void alternatives_correct_only_when_one_wins(void **state)
{
	struct record r;
	ks_clean(&r);
	struct field *f = record_set_raw(&r, "nksDanToc", "Klnh#");
	field_add_alt(f, "Kinh");
	f->conf = 95;
	validated(&r);
	assert_string_equal(record_value(&r, "nksDanToc"), "Kinh");
	assert_int_equal(record_field(&r, "nksDanToc")->corrected, 1);
	assert_string_equal(record_raw(&r, "nksDanToc"), "Klnh#");
	assert_true(has(&r, "nksDanToc", "corrected"));
	/* Two alternatives that both pass and differ: flagged, not guessed. */
	f = record_set_raw(&r, "chaNgaySinh", "19x8");
	field_add_alt(f, "1978");
	field_add_alt(f, "1976");
	validated(&r);
	assert_true(has(&r, "chaNgaySinh", "date_format"));
	assert_string_equal(record_value(&r, "chaNgaySinh"), "19x8");
	record_release(&r);
}

static void closed_lists_correct_clear_slips_only(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nksDanToc", "Kimh");
	validated(&r);
	assert_string_equal(record_value(&r, "nksDanToc"), "Kinh");
	assert_true(has(&r, "nksDanToc", "corrected"));
	record_set_raw(&r, "nksDanToc", "Ê Đê");
	validated(&r);
	assert_string_equal(record_value(&r, "nksDanToc"), "Ê Đê"); /* an alias, as written */
	assert_false(has(&r, "nksDanToc", "corrected"));
	record_set_raw(&r, "nksDanToc", "Marsian");
	validated(&r);
	assert_true(has(&r, "nksDanToc", "ethnicity_unknown"));
	record_set_raw(&r, "nycQuanHe", "Bá"); /* Ba or Bà: a tie */
	validated(&r);
	assert_true(has(&r, "nycQuanHe", "relation_unknown"));
	record_set_raw(&r, "nycQuanHe", "Ông"); /* nội or ngoại lost */
	validated(&r);
	assert_true(has(&r, "nycQuanHe", "relation_incomplete"));
	record_set_raw(&r, "nycQuanHe", "Ba"); /* a father */
	validated(&r);
	assert_false(bad_on(&r, "nycQuanHe"));
	record_set_raw(&r, "nycQuanHe", "Ông nội");
	validated(&r);
	assert_false(bad_on(&r, "nycQuanHe"));
	record_set_raw(&r, "nksQuocTich", "Viet Nam");
	validated(&r);
	assert_string_equal(record_value(&r, "nksQuocTich"), "Việt Nam");
	record_set_raw(&r, "nksQuocTich", "Romania");
	validated(&r);
	assert_false(bad_on(&r, "nksQuocTich"));
	record_set_raw(&r, "nksQuocTich", "Atlantis");
	validated(&r);
	assert_true(has(&r, "nksQuocTich", "nationality_unknown"));
	record_release(&r);
}

/* ---- places ----------------------------------------------------------------- */

/* Grain and rule stubs read as marks at a value's edges are not the value. */
static void ocr_noise_is_trimmed_raw_kept(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nksDanToc", "Kinh, .");
	record_set_raw(&r, "chaHoTen", "Võ -Kim Xuân Diễm . '");
	record_set_raw(&r, "ngayDangKy", "06/01/2001:");
	record_set_raw(&r, "ghiChu", "Đăng ký lại.");
	validated(&r);
	assert_string_equal(record_value(&r, "nksDanToc"), "Kinh");
	assert_string_equal(record_value(&r, "chaHoTen"), "Võ Kim Xuân Diễm");
	assert_string_equal(record_value(&r, "ngayDangKy"), "06/01/2001");
	assert_string_equal(record_value(&r, "ghiChu"), "Đăng ký lại.");
	assert_string_equal(record_raw(&r, "nksDanToc"), "Kinh, .");
	assert_false(bad_on(&r, "nksDanToc"));
	record_set_raw(&r, "nksNoiSinh", "xã Phước Trung, “huyện Bác Ái, : tỉnh. Ninh Thuận .");
	validated(&r);
	assert_string_equal(record_value(&r, "nksNoiSinh"), "xã Phước Trung, huyện Bác Ái, tỉnh Ninh Thuận");
	/* A mark read apart from its letter is a word of noise; a stroke between a
	 * unit's type and its name is a space, one inside a name stays. */
	record_set_raw(&r, "nksNoiSinh", "thị trấn Trùng Khánh, ˆ huyện Trùng Khánh, tỉnh Cao Bằng˜");
	validated(&r);
	assert_string_equal(record_value(&r, "nksNoiSinh"),
			    "thị trấn Trùng Khánh, huyện Trùng Khánh, tỉnh Cao Bằng");
	record_set_raw(&r, "nksQueQuan", "huyện Chương Mỹ, thành phố-Hà Nội");
	validated(&r);
	assert_string_equal(record_value(&r, "nksQueQuan"), "huyện Chương Mỹ, thành phố Hà Nội");
	record_set_raw(&r, "nksQueQuan", "thành phố Phan Rang-Tháp Chàm, tỉnh–Ninh Thuận");
	validated(&r);
	assert_string_equal(record_value(&r, "nksQueQuan"),
			    "thành phố Phan Rang-Tháp Chàm, tỉnh Ninh Thuận");
	/* A tone read beside its syllable's marked vowel sits on it, where either
	 * placement puts it (Dầu, Hậu); the placement of Hoà and Hòa is kept. */
	record_set_raw(&r, "nksNoiSinh", "thành phố Thủ Dâù Một, tỉnh Bình Dương");
	record_set_raw(&r, "chaHoTen", "Lê Văn Hâụ");
	record_set_raw(&r, "meHoTen", "Trần Thị Hòa");
	validated(&r);
	assert_string_equal(record_value(&r, "nksNoiSinh"), "thành phố Thủ Dầu Một, tỉnh Bình Dương");
	assert_string_equal(record_raw(&r, "nksNoiSinh"), "thành phố Thủ Dâù Một, tỉnh Bình Dương");
	assert_string_equal(record_value(&r, "chaHoTen"), "Lê Văn Hậu");
	assert_string_equal(record_value(&r, "meHoTen"), "Trần Thị Hòa");
	/* A typewriter's mark read apart joins two words of a name: they part,
	 * and a tone goes back onto its syllable.  A place's word cased by a
	 * slip is cased again; capitals (II) stay. */
	record_set_raw(&r, "chaHoTen", "Hô`Thanh Minh Huệ");
	record_set_raw(&r, "meHoTen", "Đô”thu Diễm");
	record_set_raw(&r, "nksNoiSinh", "xã THanh Tuyền, huyện Dầu Tiếng, tỉnh Bình Dương");
	record_set_raw(&r, "nksQueQuan", "xã Cây Trường II, huyện Bàu Bàng, tỉnh Bình Dương");
	validated(&r);
	assert_string_equal(record_value(&r, "chaHoTen"), "Hồ Thanh Minh Huệ");
	assert_non_null(strstr(record_value(&r, "meHoTen"), " Thu Diễm"));
	assert_string_equal(record_value(&r, "nksNoiSinh"),
			    "xã Thanh Tuyền, huyện Dầu Tiếng, tỉnh Bình Dương");
	assert_string_equal(record_value(&r, "nksQueQuan"),
			    "xã Cây Trường II, huyện Bàu Bàng, tỉnh Bình Dương");
	/* A second field's remains after a date, a number or a name go. */
	record_set_raw(&r, "nksNgaySinh", "27/08/2017 Giới");
	record_set_raw(&r, "so", "16 Ngày đã#gkýz24/97/2017");
	record_set_raw(&r, "chaHoTen", "Trần Ngọc Nhung Năm-Sinbzt977");
	record_set_raw(&r, "meNgaySinh", "1 9 8 5");
	validated(&r);
	assert_string_equal(record_value(&r, "nksNgaySinh"), "27/08/2017");
	assert_string_equal(record_value(&r, "so"), "16");
	assert_string_equal(record_value(&r, "chaHoTen"), "Trần Ngọc Nhung");
	record_set_raw(&r, "chaHoTen", "PHAN KTM 0ANH");
	validated(&r);
	assert_string_equal(record_value(&r, "chaHoTen"), "Phan Kim Oanh");
	assert_string_not_equal(record_value(&r, "meNgaySinh"), "1");
	record_set_raw(&r, "nksDanToc", "Khơ-me Quốc+t£hzViệt Nam");
	validated(&r);
	assert_string_equal(record_value(&r, "nksDanToc"), "Khơ-me");
	/* An apostrophe inside a minority name stays. */
	record_set_raw(&r, "chaHoTen", "Ksor H'hen");
	validated(&r);
	assert_string_equal(record_value(&r, "chaHoTen"), "Ksor H'hen");
	record_release(&r);
}

/* A dotted zero read 9, a slash read 1: undone only where nothing else is a date. */
static void date_shape_slips_undone(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "ngayDangKy", "97/01/1996");
	record_set_raw(&r, "nksNgaySinh", "22/93/1995");
	validated(&r);
	assert_string_equal(record_value(&r, "ngayDangKy"), "07/01/1996");
	assert_string_equal(record_value(&r, "nksNgaySinh"), "22/03/1995");
	assert_true(has(&r, "ngayDangKy", "corrected"));
	record_set_raw(&r, "ngayDangKy", "06/0172001");
	validated(&r);
	assert_string_equal(record_value(&r, "ngayDangKy"), "06/01/2001");
	/* An impossible date as the register wrote it is a finding, not a slip. */
	record_set_raw(&r, "ngayDangKy", "30/02/2001");
	validated(&r);
	assert_true(has(&r, "ngayDangKy", "date_invalid"));
	assert_false(has(&r, "ngayDangKy", "corrected"));
	record_set_raw(&r, "ngayDangKy", "39/02/2001");
	validated(&r);
	assert_false(has(&r, "ngayDangKy", "corrected"));
	record_release(&r);
}

/* Relation words keep the register's case; a corrected one takes it too. */
static void relation_keeps_printed_case(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nycQuanHe", "cha");
	validated(&r);
	assert_string_equal(record_value(&r, "nycQuanHe"), "cha");
	record_set_raw(&r, "nycQuanHe", "Mẹ");
	validated(&r);
	assert_string_equal(record_value(&r, "nycQuanHe"), "Mẹ");
	record_set_raw(&r, "nksDanToc", "kinh");
	validated(&r);
	assert_string_equal(record_value(&r, "nksDanToc"), "Kinh");
	record_set_raw(&r, "nksDanToc", "&inh");	/* corrected: as listed */
	validated(&r);
	assert_string_equal(record_value(&r, "nksDanToc"), "Kinh");
	record_set_raw(&r, "nycQuanHe", "bãn thân");
	validated(&r);
	assert_string_equal(record_value(&r, "nycQuanHe"), "bản thân");
	record_release(&r);
}

static void places_match_and_correct(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nksNoiSinh", "Xã Tân Phú, Huyện Đức Hoà, Tỉnh Long An");
	validated(&r);
	assert_false(bad_on(&r, "nksNoiSinh"));
	assert_string_equal(record_value(&r, "nksNoiSinh"), "Xã Tân Phú, Huyện Đức Hoà, Tỉnh Long An");
	record_set_raw(&r, "nksNoiSinh", "Xã Tân Phú, Huyện Đức Hòa, Tỉnh Long Ạn");
	validated(&r);
	assert_string_equal(record_value(&r, "nksNoiSinh"), "Xã Tân Phú, Huyện Đức Hòa, Tỉnh Long An");
	assert_true(has(&r, "nksNoiSinh", "corrected"));
	record_set_raw(&r, "nksNoiSinh", "Xã Không Có, Huyện Đức Hòa, Tỉnh Long An");
	validated(&r);
	assert_true(has(&r, "nksNoiSinh", "place_unknown"));
	record_set_raw(&r, "nksNoiSinh", "Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh");
	validated(&r);
	assert_false(bad_on(&r, "nksNoiSinh"));
	/* A comma read as a full stop before a unit word is a comma. */
	record_set_raw(&r, "nksNoiSinh",
		       "khu phố 6. phường Tân Phước Khánh. thị xã Tân Uyên; tỉnh Bình Dương");
	validated(&r);
	assert_false(bad_on(&r, "nksNoiSinh"));
	assert_true(has(&r, "nksNoiSinh", "corrected"));
	assert_string_equal(record_value(&r, "nksNoiSinh"),
			    "khu phố 6, phường Tân Phước Khánh, thị xã Tân Uyên, tỉnh Bình Dương");
	/* The words below a commune have one spelling: "tố 9" is "tổ 9". */
	record_set_raw(&r, "nksNoiSinh",
		       "Sỗ 136, tố 9, khu phô 6, phường Tương Bình Hiệp, thành phố Thủ Dầu Một");
	validated(&r);
	assert_string_equal(record_value(&r, "nksNoiSinh"),
			    "Số 136, tổ 9, khu phố 6, phường Tương Bình Hiệp, thành phố Thủ Dầu Một");
	assert_true(has(&r, "nksNoiSinh", "corrected"));
	record_set_raw(&r, "nksNoiSinh", "ấp 3, xã Hưng Hòa, huyện Bàu Bàng, tỉnh Bình Dương");
	validated(&r);
	assert_false(has(&r, "nksNoiSinh", "corrected"));
	/* A two-word unit misread is damage, not a hospital's name. */
	record_set_raw(&r, "nksNoiSinh", "phường Định Hoà, thành phế Thủ Dầu Một");
	validated(&r);
	assert_true(has(&r, "nksNoiSinh", "place_unknown"));
	record_set_raw(&r, "nksNoiSinh", "phường Định Hoà, thành phố Thủ Dầu Một");
	validated(&r);
	assert_false(bad_on(&r, "nksNoiSinh"));
	/* A hamlet right under a district: the commune between them was lost. */
	record_set_raw(&r, "nksNoiSinh", "Số 60, tổ 9, ấp Hưng Hòa, huyện Bàu Bàng, tỉnh Bình Dương");
	validated(&r);
	assert_true(has(&r, "nksNoiSinh", "place_incomplete"));
	record_set_raw(&r, "nksNoiSinh",
		       "Số 60, tổ 9, ấp 3, xã Hưng Hòa, huyện Bàu Bàng, tỉnh Bình Dương");
	validated(&r);
	assert_false(bad_on(&r, "nksNoiSinh"));
	/* A comma at the end: the rest of the address was lost at the line's end. */
	record_set_raw(&r, "nksNoiSinh", "xã Thanh An, huyện Dầu Tiếng,");
	validated(&r);
	assert_true(has(&r, "nksNoiSinh", "place_incomplete"));
	assert_string_equal(record_value(&r, "nksNoiSinh"), "xã Thanh An, huyện Dầu Tiếng");
	/* Before "Thành phố" too; a stop before any other word is left as read. */
	record_set_raw(&r, "nksNoiSinh", "Bệnh viện Đa khoa. Thành phố Hồ Chí Minh");
	validated(&r);
	assert_string_equal(record_value(&r, "nksNoiSinh"), "Bệnh viện Đa khoa, Thành phố Hồ Chí Minh");
	record_set_raw(&r, "nksNoiSinh", "Số 5. Lê Lợi, phường Phú Hòa, thành phố Thủ Dầu Một");
	validated(&r);
	assert_string_equal(record_value(&r, "nksNoiSinh"),
			    "Số 5. Lê Lợi, phường Phú Hòa, thành phố Thủ Dầu Một");
	record_set_raw(&r, "nksNoiSinh", "Phường An Hội Tây, Thành phố Hồ Chí Minh"); /* 2025 */
	validated(&r);
	assert_false(bad_on(&r, "nksNoiSinh"));
	record_set_raw(&r, "nksNoiSinh", "xã An Linh, huyện Phú Giáo"); /* no province: found */
	validated(&r);
	assert_false(bad_on(&r, "nksNoiSinh"));
	record_set_raw(&r, "nksNoiSinh", "phường Phú Hòa, thành phố Thủ Dầu Một");
	validated(&r);
	assert_false(bad_on(&r, "nksNoiSinh"));
	record_set_raw(&r, "nksNoiSinh", "phường Hlệp An, thành phố Thủ Dầu Một"); /* own case kept */
	validated(&r);
	assert_string_equal(record_value(&r, "nksNoiSinh"), "phường Hiệp An, thành phố Thủ Dầu Một");
	record_set_raw(&r, "nksNoiSinh", "xã Tân Hưng, huyên Bàu Bàng, tỉnh Bình Dương");
	validated(&r);
	assert_string_equal(record_value(&r, "nksNoiSinh"), "xã Tân Hưng, huyện Bàu Bàng, tỉnh Bình Dương");
	assert_true(has(&r, "nksNoiSinh", "corrected"));
	record_set_raw(&r, "nksNoiSinh", "xã An Linh, huyện Không Có");
	validated(&r);
	assert_true(has(&r, "nksNoiSinh", "place_unknown"));
	record_set_raw(&r, "nksNoiSinh", "Tỉnh Atlantis");
	validated(&r);
	assert_true(has(&r, "nksNoiSinh", "place_unknown"));
	record_release(&r);
}

/* ---- cross-field ------------------------------------------------------------- */

static void registration_before_birth(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "ngayDangKy", "20/08/2008");
	validated(&r);
	assert_true(has(&r, "ngayDangKy", "registration_before_birth"));
	record_set_raw(&r, "ngayDangKy", "27/08/2008"); /* same day is fine */
	validated(&r);
	assert_false(has(&r, NULL, "registration_before_birth"));
	record_release(&r);
}

static void sixty_day_rule_against_registration_type(void **state)
{
	struct record r;
	ks_clean(&r); /* born 27/08/2008 */
	record_set_raw(&r, "ngayDangKy", "26/10/2008"); /* day 60 */
	validated(&r);
	assert_false(has(&r, NULL, "registration_type_mismatch"));
	record_set_raw(&r, "ngayDangKy", "27/10/2008"); /* day 61 */
	validated(&r);
	assert_true(has(&r, "loaiDangKy", "registration_type_mismatch"));
	record_set_raw(&r, "loaiDangKy", "Quá hạn");
	validated(&r);
	assert_false(has(&r, NULL, "registration_type_mismatch"));
	record_set_raw(&r, "ngayDangKy", "01/09/2008");
	validated(&r);
	assert_true(has(&r, "loaiDangKy", "registration_type_mismatch"));
	record_release(&r);
}

static void parents_ages(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "meNgaySinh", "1999"); /* 9 years older */
	record_set_raw(&r, "chaNgaySinh", "1940"); /* 68 years older */
	validated(&r);
	assert_true(has(&r, "meNgaySinh", "parent_age"));
	assert_true(has(&r, "chaNgaySinh", "parent_age"));
	record_set_raw(&r, "meNgaySinh", "1996"); /* 12 */
	record_set_raw(&r, "chaNgaySinh", "1948"); /* 60 */
	validated(&r);
	assert_false(has(&r, NULL, "parent_age"));
	record_release(&r);
}

static void marriage_ages(void **state)
{
	struct record r;
	record_init(&r, KIND_KH);
	record_set_raw(&r, "so", "1");
	record_set_raw(&r, "ngayDangKy", "01/06/2016");
	record_set_raw(&r, "chongHoTen", "Phạm Văn Bình");
	record_set_raw(&r, "chongNgaySinh", "02/06/1996"); /* 19 */
	record_set_raw(&r, "voHoTen", "Đỗ Thị Mai");
	record_set_raw(&r, "voNgaySinh", "01/06/1998"); /* 18 today */
	validated(&r);
	assert_true(has(&r, "chongNgaySinh", "marriage_age"));
	assert_false(has(&r, "voNgaySinh", "marriage_age"));
	record_set_raw(&r, "chongNgaySinh", "01/06/1996");
	validated(&r);
	assert_false(has(&r, NULL, "marriage_age"));
	record_release(&r);
}

static void death_rules(void **state)
{
	struct record r;
	record_init(&r, KIND_KT);
	record_set_raw(&r, "so", "1");
	record_set_raw(&r, "ngayDangKy", "01/03/2021");
	record_set_raw(&r, "nktHoTen", "Lê Văn Tám");
	record_set_raw(&r, "nktNgaySinh", "01/01/1940");
	record_set_raw(&r, "nktNgayChet", "05/03/2021");
	validated(&r);
	assert_true(has(&r, "ngayDangKy", "registration_before_death"));
	record_set_raw(&r, "ngayDangKy", "06/03/2021");
	record_set_raw(&r, "nktNgaySinh", "01/01/2022");
	validated(&r);
	assert_true(has(&r, "nktNgayChet", "death_before_birth"));
	record_release(&r);
}

static void required_fields(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nksHoTen", "");
	record_set_raw(&r, "nksGioiTinh", "");
	validated(&r);
	assert_true(has(&r, "nksHoTen", "field_missing"));
	assert_true(has(&r, "nksGioiTinh", "field_missing"));
	assert_string_equal(record_value(&r, "nksGioiTinh"), "3");
	record_release(&r);
}

/* ---- confidence ---------------------------------------------------------------- */

static void low_confidence_is_a_warning(void **state)
{
	struct record r;
	ks_clean(&r);
	record_field(&r, "nksHoTen")->conf = 50;
	record_field(&r, "nksDanToc")->conf = 99;
	validated(&r);
	assert_true(has(&r, "nksHoTen", "low_confidence"));
	assert_false(has(&r, "nksDanToc", "low_confidence"));
	assert_true(record_has_errors(&r));
	record_release(&r);
	struct err e = ERR_INIT;
	assert_int_equal(validate_thresholds_parse(vc, "name=40,date=91.5", &e), 0);
	assert_true(validate_threshold(vc, VT_NAME) == 40);
	ks_clean(&r);
	record_field(&r, "nksHoTen")->conf = 50;
	validated(&r);
	assert_false(has(&r, NULL, "low_confidence"));
	record_release(&r);
	assert_int_equal(validate_thresholds_parse(vc, "nome=40", &e), -1);
	assert_int_equal(validate_thresholds_parse(vc, "name=92", &e), 0);
	assert_int_equal(validate_column_type("meNgaySinh"), VT_DATE);
	assert_int_equal(validate_column_type("chongHoTen"), VT_NAME);
	assert_int_equal(validate_column_type("nksSoDinhDanh"), VT_ID);
	assert_int_equal(validate_column_type("ghiChu"), VT_TEXT);
	assert_string_equal(validate_ftype_name(VT_PLACE), "place");
}

/* ---- validate_field (review edits) ---------------------------------------------- */

static void validate_field_replaces_its_findings(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nksNgaySinh", "30/02/2008");
	validated(&r);
	assert_true(has(&r, "nksNgaySinh", "date_invalid"));
	record_set_value(&r, "nksNgaySinh", "27/08/2008");
	int bad = validate_field(vc, &r, "nksNgaySinh");
	if (bad)
		dump(&r);
	assert_int_equal(bad, 0);
	assert_false(has(&r, NULL, "date_invalid"));
	/* An edit that breaks a cross-field rule brings its finding back. */
	record_set_value(&r, "nksGioiTinh", "Nam");
	validate_field(vc, &r, "nksGioiTinh");
	assert_string_equal(record_value(&r, "nksGioiTinh"), "1");
	assert_true(has(&r, "nksSoDinhDanh", "id_sex_mismatch"));
	record_set_value(&r, "nksGioiTinh", "2");
	assert_int_equal(validate_field(vc, &r, "nksGioiTinh"), 0);
	assert_false(has(&r, NULL, "id_sex_mismatch"));
	record_release(&r);
}

static void dedup_findings_survive_validation(void **state)
{
	struct record r;
	ks_clean(&r);
	struct finding *f = record_add_finding(&r, "", "duplicate_existing", SEV_WARNING, "dup");
	f->match_source = xstrdup("existing");
	validated(&r);
	assert_true(has(&r, "", "duplicate_existing"));
	record_release(&r);
}

/* ---- books ----------------------------------------------------------------------- */

static void book_entries_missing_and_duplicates(void **state)
{
	struct validate_entry e[] = {{1, "1", ""}, {2, "2", ""}, {3, "5", ""}, {4, "5", ""}, {5, "6", ""}, {6, "9", ""}};
	enum validate_entry_flag flags[6];
	struct validate_book_finding *bf;
	size_t n;
	validate_book_entries("ks-01.tif", e, 6, flags, NULL, &bf, &n);
	int missing = 0, dup = 0;
	long long want_missing[] = {3, 4, 7, 8};
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(bf[i].code, "entry_missing")) {
			assert_int_equal(bf[i].number, want_missing[missing]);
			missing++;
			assert_non_null(strstr(bf[i].message, "ks-01.tif"));
		} else if (!strcmp(bf[i].code, "entry_duplicate")) {
			assert_int_equal(bf[i].number, 5);
			dup++;
		}
	}
	assert_int_equal(missing, 4);
	assert_int_equal(dup, 1);
	assert_int_equal(flags[0], VE_OK);
	assert_int_equal(flags[2], VE_DUPLICATE);
	assert_int_equal(flags[3], VE_DUPLICATE);
	assert_int_equal(flags[4], VE_OK);
	validate_book_findings_free(bf, n);
}

static void book_misread_number_is_not_a_thousand_gaps(void **state)
{
	struct validate_entry e[] = {{1, "10", ""}, {2, "11", ""}, {3, "7012", ""}, {4, "13", ""}, {5, "14", ""},
				     {6, "", ""}};
	enum validate_entry_flag flags[6];
	struct validate_book_finding *bf;
	size_t n;
	long long inferred[6];
	validate_book_entries("b", e, 6, flags, inferred, &bf, &n);
	/* 7012 stands where 12 is the one number left out: it is 12, no gap. */
	assert_int_equal(n, 0);
	assert_int_equal(flags[2], VE_INFERRED);
	assert_int_equal(inferred[2], 12);
	assert_int_equal(inferred[1], -1);
	assert_int_equal(flags[5], VE_UNREADABLE);
	validate_book_findings_free(bf, n);
	struct validate_entry ok[] = {{1, "1", ""}, {2, "2", ""}, {3, "3", ""}};
	validate_book_entries("b", ok, 3, flags, NULL, &bf, &n);
	assert_int_equal(n, 0);
	validate_book_findings_free(bf, n);
}

/* A misread at a tie or at the book's start is the misread, not a big gap. */
static void book_misread_start_or_tie_is_not_a_gap(void **state)
{
	struct validate_entry tie[] = {{1, "403", ""}, {2, "104", ""}, {3, "405", ""},
				       {4, "407", ""}, {5, "408", ""}};
	enum validate_entry_flag flags[6];
	struct validate_book_finding *bf;
	size_t n;
	validate_book_entries("b", tie, 5, flags, NULL, &bf, &n);
	assert_int_equal(flags[1], VE_INFERRED); /* 104 between 403 and 405 */
	assert_int_equal(flags[0], VE_OK);
	assert_int_equal(n, 1); /* 406 */
	assert_int_equal(bf[0].number, 406);
	validate_book_findings_free(bf, n);
	struct validate_entry start[] = {{1, "104", ""}, {2, "405", ""}, {3, "406", ""},
					 {4, "407", ""}};
	validate_book_entries("b", start, 4, flags, NULL, &bf, &n);
	assert_int_equal(flags[0], VE_OUT_OF_ORDER);
	assert_int_equal(n, 0);
	validate_book_findings_free(bf, n);
	/* A real gap with entries after it is kept: every missing number reported. */
	struct validate_entry gap[] = {{1, "1", ""},  {2, "2", ""},  {3, "3", ""},
				       {4, "40", ""}, {5, "41", ""}, {6, "42", ""}};
	validate_book_entries("b", gap, 6, flags, NULL, &bf, &n);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(flags[i], VE_OK);
	assert_int_equal(n, 36);
	validate_book_findings_free(bf, n);
}

/* A blank, misread or repeated number that fits its place is no gap; one that does not is. */
static void book_numbers_inferred_from_their_place(void **state)
{
	struct validate_entry e[] = {{1, "5", ""}, {2, "", ""}, {3, "x", ""}, {4, "8", ""},
				     {5, "10", ""}, {6, "10", ""}, {7, "11", ""}};
	enum validate_entry_flag flags[7];
	long long inferred[7];
	struct validate_book_finding *bf;
	size_t n;
	validate_book_entries("b", e, 7, flags, inferred, &bf, &n);
	assert_int_equal(inferred[1], 6);
	assert_int_equal(inferred[2], 7);
	/* "10, 10" after 8 and before 11: the first is 9, the second stays 10. */
	assert_int_equal(inferred[4], 9);
	assert_int_equal(flags[5], VE_OK);
	assert_int_equal(n, 0);
	validate_book_findings_free(bf, n);
	/* Two records where three numbers are out: a record is missing, say so. */
	struct validate_entry gap[] = {{1, "1", ""}, {2, "", ""}, {3, "", ""}, {4, "5", ""}};
	validate_book_entries("b", gap, 4, flags, inferred, &bf, &n);
	assert_int_equal(inferred[1], -1);
	assert_int_equal(flags[1], VE_UNREADABLE);
	assert_int_equal(n, 3);
	validate_book_findings_free(bf, n);
}

/* The book number reads the same on every page; a page that differs is flagged. */
static void book_number_that_differs_is_flagged(void **state)
{
	struct validate_entry e[] = {{1, "1", "04/1999"}, {2, "2", "04/1999"}, {3, "3", "64/1999"},
				     {4, "4", ""},	     {5, "5", "04/1999"}};
	int differs[5];
	const char *b = validate_book_number(e, 5, differs);
	assert_non_null(b);
	assert_string_equal(b, "04/1999");
	assert_int_equal(differs[0], 0);
	assert_int_equal(differs[2], 1);
	assert_int_equal(differs[3], 0); /* not read: nothing to compare */
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "quyenSo", "64/1999");
	validate_book_number_add(&r, b, 0);
	assert_true(has(&r, "quyenSo", "book_no_differs"));
	record_release(&r);
	/* Its entry continues the book's numbers: a misread, the book's number
	 * taken; one further off stays a question. */
	ks_clean(&r);
	record_set_raw(&r, "quyenSo", "64/1999");
	validate_book_number_add(&r, b, 1);
	assert_false(has(&r, "quyenSo", "book_no_differs"));
	assert_true(has(&r, "quyenSo", "book_no_inferred"));
	assert_string_equal(record_value(&r, "quyenSo"), "04/1999");
	assert_string_equal(record_raw(&r, "quyenSo"), "64/1999");
	record_release(&r);
	ks_clean(&r);
	record_set_raw(&r, "quyenSo", "05/1998");
	validate_book_number_add(&r, b, 1);
	assert_true(has(&r, "quyenSo", "book_no_differs"));
	record_release(&r);
	/* No majority: nothing is flagged, nothing is guessed. */
	struct validate_entry split[] = {{1, "1", "04/1999"}, {2, "2", "64/1999"}};
	assert_null(validate_book_number(split, 2, differs));
	assert_int_equal(differs[0] + differs[1], 0);
}

/* A blank entry number the book's order gives is taken, and not missing. */
static void inferred_entry_number_is_not_missing(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "so", "");
	validated(&r);
	assert_true(has(&r, "so", "field_missing"));
	validate_entry_inferred_set(&r, 7);
	assert_string_equal(record_value(&r, "so"), "7");
	assert_true(has(&r, "so", "entry_inferred"));
	assert_false(has(&r, "so", "field_missing"));
	assert_false(record_has_errors(&r));
	record_release(&r);
}

/* Number fields: digit look-alikes are fixed with evidence, words are not. */
static void number_fields_fix_digit_lookalikes_only(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "trangSo", "l");
	record_set_raw(&r, "so", "l2");
	record_set_raw(&r, "quyenSo", "O3/2O19");
	validated(&r);
	assert_string_equal(record_value(&r, "trangSo"), "1");
	assert_string_equal(record_value(&r, "so"), "12");
	assert_string_equal(record_value(&r, "quyenSo"), "03/2019");
	assert_true(record_field(&r, "trangSo")->corrected);
	assert_true(has(&r, "trangSo", "corrected"));
	assert_false(bad_on(&r, "trangSo"));
	record_set_raw(&r, "trangSo", "Nam");
	record_set_raw(&r, "so", "");
	validated(&r);
	assert_true(has(&r, "trangSo", "page_format"));
	assert_string_equal(record_value(&r, "trangSo"), "Nam");
	record_release(&r);
}

/* The parts of a composite value carry its OCR confidence: a doubtful
 * death notice does not get its issuing office accepted unseen. */
static void composite_parts_inherit_confidence(void **state)
{
	struct record r;
	record_init(&r, KIND_KT);
	struct field *f = record_set_raw(&r, "gbtSo", "123 ngày 01/02/2021 của UBND phường Thái Hòa");
	f->conf = 40;
	validated(&r);
	assert_string_equal(record_value(&r, "gbtCoQuanCap"), "UBND phường Thái Hòa");
	assert_true(has(&r, "gbtCoQuanCap", "low_confidence"));
	assert_true(has(&r, "gbtNgay", "low_confidence"));
	record_release(&r);
}

/* "Co" is Cô without its mark, or Con without its n: no clear winner. */
static void closed_list_marks_only_match_needs_no_near_rival(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nycQuanHe", "Co");
	validated(&r);
	assert_true(has(&r, "nycQuanHe", "relation_unknown"));
	record_set_raw(&r, "nycQuanHe", "Ong");
	validated(&r);
	assert_string_equal(record_value(&r, "nycQuanHe"), "Ông");
	record_release(&r);
}

static void name_ending_in_a_middle_word_is_flagged(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "nycHoTen", "Nguyễn Văn");
	validated(&r);
	assert_true(has(&r, "nycHoTen", "name_truncated"));
	record_set_raw(&r, "nycHoTen", "Nguyễn Văn Hùng");
	validated(&r);
	assert_false(has(&r, "nycHoTen", "name_truncated"));
	record_set_raw(&r, "nycHoTen", "Trần Thị");
	validated(&r);
	assert_true(has(&r, "nycHoTen", "name_truncated"));
	/* Vân is a given name, not Văn read without its breve. */
	record_set_raw(&r, "nycHoTen", "Hồ Bảo Vân");
	validated(&r);
	assert_false(has(&r, "nycHoTen", "name_truncated"));
	record_release(&r);
}

static void names_read_differently_twice_are_flagged(void **state)
{
	struct record r;
	ks_clean(&r);
	struct field *f = record_set_raw(&r, "chaHoTen", "Lê Đúc Thịnh");
	f->conf = 99;
	field_add_alt(record_field(&r, "chaHoTen"), "Lê Đức Thịnh");
	validated(&r);
	assert_true(has(&r, "chaHoTen", "reading_disagrees"));
	f = record_set_raw(&r, "chaHoTen", "Lê Đức Thịnh");
	f->conf = 99;
	field_add_alt(record_field(&r, "chaHoTen"), "LÊ ĐỨC THỊNH");
	validated(&r);
	assert_false(has(&r, "chaHoTen", "reading_disagrees"));
	record_release(&r);
}

/* A province lost or cut at the end of an address is flagged; a hospital
 * at the end of a place of birth is not. */
static void place_with_a_lost_province_is_flagged(void **state)
{
	struct record r;
	ks_clean(&r);
	record_set_raw(&r, "chaNoiCuTru", "Tổ 9, ấp 4, xã Thanh An, huyện Dầu Tiếng, tỉnh");
	record_set_raw(&r, "meNoiCuTru", "Số 44, xóm 12, xã Tiên Sơn, huyện Tiên Phước, tỉ uảng Nam");
	record_set_raw(&r, "nksNoiSinh", "Bệnh viện Phụ sản Hà Nội");
	validated(&r);
	assert_true(has(&r, "chaNoiCuTru", "place_unknown"));
	assert_true(has(&r, "meNoiCuTru", "place_unknown"));
	assert_false(bad_on(&r, "nksNoiSinh"));
	record_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates_parse_every_printed_shape),
		cmocka_unit_test(dates_calendar_and_leap_years),
		cmocka_unit_test(date_30_02_is_flagged_never_corrected),
		cmocka_unit_test(date_29_02_in_leap_year_is_clean),
		cmocka_unit_test(date_typed_year_5005_is_implausible),
		cmocka_unit_test(date_formats_normalise_and_bad_shapes_flag),
		cmocka_unit_test(date_in_the_future_or_too_early),
		cmocka_unit_test(numbers_in_words),
		cmocka_unit_test(dates_in_words_incl_southern),
		cmocka_unit_test(date_words_checked_against_digits),
		cmocka_unit_test(clean_record_has_no_findings_and_maps_values),
		cmocka_unit_test(keyed_export_form_is_idempotent),
		cmocka_unit_test(tone_placement_is_kept_but_compares_equal),
		cmocka_unit_test(sex_and_registration_type_codes),
		cmocka_unit_test(death_time_composite_splits),
		cmocka_unit_test(number_fields_fix_digit_lookalikes_only),
		cmocka_unit_test(composite_parts_inherit_confidence),
		cmocka_unit_test(closed_list_marks_only_match_needs_no_near_rival),
		cmocka_unit_test(name_ending_in_a_middle_word_is_flagged),
		cmocka_unit_test(names_read_differently_twice_are_flagged),
		cmocka_unit_test(place_with_a_lost_province_is_flagged),
		cmocka_unit_test(id_paper_composite_splits),
		cmocka_unit_test(death_notice_composite_splits),
		cmocka_unit_test(id_century_digit_rule),
		cmocka_unit_test(id_sex_and_year_mismatch),
		cmocka_unit_test(id_structure_is_a_warning),
		cmocka_unit_test(id_optional_before_2016),
		cmocka_unit_test(syllables),
		cmocka_unit_test(name_findings),
		cmocka_unit_test(thi_in_a_mans_name),
		cmocka_unit_test(huynh_hoang_vo_vu_never_merge),
		cmocka_unit_test(surname_corrected_only_when_not_a_syllable),
		cmocka_unit_test(alternatives_correct_only_when_one_wins),
		cmocka_unit_test(closed_lists_correct_clear_slips_only),
		cmocka_unit_test(places_match_and_correct),
		cmocka_unit_test(date_shape_slips_undone),
		cmocka_unit_test(relation_keeps_printed_case),
		cmocka_unit_test(ocr_noise_is_trimmed_raw_kept),
		cmocka_unit_test(registration_before_birth),
		cmocka_unit_test(sixty_day_rule_against_registration_type),
		cmocka_unit_test(parents_ages),
		cmocka_unit_test(marriage_ages),
		cmocka_unit_test(death_rules),
		cmocka_unit_test(required_fields),
		cmocka_unit_test(low_confidence_is_a_warning),
		cmocka_unit_test(validate_field_replaces_its_findings),
		cmocka_unit_test(dedup_findings_survive_validation),
		cmocka_unit_test(book_entries_missing_and_duplicates),
		cmocka_unit_test(book_misread_number_is_not_a_thousand_gaps),
		cmocka_unit_test(book_number_that_differs_is_flagged),
		cmocka_unit_test(book_misread_start_or_tie_is_not_a_gap),
		cmocka_unit_test(book_numbers_inferred_from_their_place),
		cmocka_unit_test(inferred_entry_number_is_not_missing),
	};
	return cmocka_run_group_tests(tests, group_setup, vc_teardown);
}

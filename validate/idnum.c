/*
 * Identity numbers: the 12-digit personal ID (số định danh cá nhân, also
 * the CCCD number) and ID papers ("CCCD số 074089001234").
 *
 * Personal ID layout (Circular 07/2016/TT-BCA, 59/2021/TT-BCA): 3 digits
 * province of birth registration (001-096) or country abroad (101-295),
 * 1 digit century and sex (0 male 1900s, 1 female 1900s, 2 male 2000s, 3
 * female 2000s, 4/5 2100s, ...), 2 digits year of birth, 6 digits serial.
 * The rules changed in 2024 (IDs for people without a birth register), so
 * structure problems are warnings; disagreement with sex or year of birth
 * (checked in cross.c) is an error.
 */
#include "validate/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int vid_century_digit(int year, int female)
{
	if (year < 1900 || year > 2399)
		return -1;
	return (year - 1900) / 100 * 2 + (female ? 1 : 0);
}

char *vdigits_only(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			sb_addc(&sb, *p);
		} else if (*p != ' ' && *p != '.') {
			sb_release(&sb);
			return NULL;
		}
	}
	if (!sb.len) {
		sb_release(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

/* Letters OCR gives for digits in a field that holds only digits. */
static char *digits_unconfused(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = s; *p; p++) {
		char c = *p;
		if (c == 'O' || c == 'o' || c == 'D')
			c = '0';
		else if (c == 'I' || c == 'l' || c == '|')
			c = '1';
		if (isdigit((unsigned char)c))
			sb_addc(&sb, c);
		else if (c != ' ' && c != '.') {
			sb_release(&sb);
			return NULL;
		}
	}
	return sb_detach(&sb);
}

static int prefix_known(const struct validate_ctx *vc, const char *id)
{
	int p = (id[0] - '0') * 100 + (id[1] - '0') * 10 + (id[2] - '0');
	return vc->id_prefix[p] != 0;
}

char *vchk_pid(struct vrun *vr, const char *in)
{
	if (!*in)
		return xstrdup("");
	char *d = vdigits_only(in);
	if (!d) {
		/* 0/O and 1/l only: a digit field cannot hold letters. */
		d = digits_unconfused(in);
		if (d && strlen(d) == 12 && prefix_known(vr->vc, d)) {
			vr->corrected = 1;
			free(vr->note);
			vr->note = xasprintf("chữ cái trong số định danh đọc thành chữ số: '%s'", in);
			return d;
		}
		free(d);
		vrun_find(vr, "id_format", SEV_WARNING, "Số định danh có ký tự không phải chữ số: %s",
			  in);
		return xstrdup(in);
	}
	if (strlen(d) != 12) {
		vrun_find(vr, "id_format", SEV_WARNING, "Số định danh phải có 12 chữ số: %s", d);
		return d;
	}
	if (!prefix_known(vr->vc, d))
		vrun_find(vr, "id_province", SEV_WARNING,
			  "Mã tỉnh/quốc gia %.3s của số định danh không có trong danh sách: %s", d, d);
	return d;
}

/* ---- ID papers ------------------------------------------------------------ */

static const struct {
	const char *words;	/* folded */
	const char *code;
} paper_types[] = {
	{"can cuoc cong dan", "4"}, {"the can cuoc", "4"}, {"can cuoc", "4"}, {"cccd", "4"},
	{"so dinh danh", "4"},
	{"chung minh quan doi", "5"}, {"cmqd", "5"}, {"chung minh si quan", "6"},
	{"chung minh cong an", "7"},
	{"chung minh nhan dan", "1"}, {"cmnd", "1"}, {"ho chieu", "2"},
	{"the thuong tru", "3"}, {"the tam tru", "3"}, {"the cu tru", "3"},
};

/* The type code named by folded words at the start of f, or NULL. */
static const char *paper_type_of(const char *f)
{
	for (size_t i = 0; i < sizeof(paper_types) / sizeof(*paper_types); i++)
		if (!strncmp(f, paper_types[i].words, strlen(paper_types[i].words)))
			return paper_types[i].code;
	return NULL;
}

void vsplit_release(struct vsplit *sp)
{
	for (int i = 0; i < 3; i++) {
		free(sp->part[i]);
		sp->part[i] = NULL;
	}
}

/* "CCCD số 074089001234" -> number, type "4"; "Giấy X số 12" -> type 8, "Giấy X". */
void vsplit_id_paper(const char *in, struct vsplit *sp)
{
	memset(sp, 0, sizeof(*sp));
	char *f = text_fold(in);
	const char *so = strstr(f, " so ");
	const char *type = paper_type_of(f);
	if (!type && !so)
		goto out;
	const char *num = so ? so + 4 : f;
	if (!so) {
		/* "CCCD 074089001234": the number is what follows the type words. */
		while (*num && !isdigit((unsigned char)*num))
			num++;
	}
	while (*num == ':' || *num == ' ')
		num++;
	sp->part[0] = text_upper(num);
	sp->part[1] = xstrdup(type ? type : "8");
	if (!type)
		sp->part[2] = vwords_slice(in, f, f, so + 1);
out:
	free(f);
}

char *vchk_id_type(struct vrun *vr, const char *in)
{
	if (!*in)
		return xstrdup("");
	if (strlen(in) == 1 && in[0] >= '1' && in[0] <= '8')
		return xstrdup(in);
	char *f = text_fold(in);
	const char *code = paper_type_of(f);
	free(f);
	if (code)
		return xstrdup(code);
	vrun_find(vr, "id_type_unknown", SEV_WARNING, "Loại giấy tờ tùy thân không rõ: %s", in);
	return xstrdup(in);
}

/* The type of the paper whose number column is vr->col ("...So..." -> "...Loai..."). */
static const char *paper_type_for(const struct vrun *vr)
{
	const char *p = strstr(vr->col, "SoGiayToTuyThan");
	if (!p)
		return "";
	char *col = xasprintf("%.*sLoaiGiayToTuyThan", (int)(p - vr->col), vr->col);
	const char *t = record_value(vr->rec, col);
	free(col);
	return t;
}

char *vchk_id_number(struct vrun *vr, const char *in)
{
	if (!*in)
		return xstrdup("");
	const char *type = paper_type_for(vr);
	if (!strcmp(type, "4"))
		return vchk_pid(vr, in);
	if (!strcmp(type, "1")) {
		char *d = vdigits_only(in);
		if (d && (strlen(d) == 9 || strlen(d) == 12))
			return d;
		free(d);
		vrun_find(vr, "id_format", SEV_WARNING, "Số CMND phải có 9 hoặc 12 chữ số: %s", in);
	}
	return xstrdup(in);
}

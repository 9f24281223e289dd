/*
 * Acceptance thresholds: the one table that says how sure the OCR engine
 * must be before a field that passed every check is accepted unseen.
 *
 * Target: accepted fields wrong at most 1 in 1,000.  How a number is set:
 * on generated books (hotich fixtures, truth.json), for each field type,
 * sort the OCR'd fields that passed every check by confidence and take the
 * lowest confidence above which the share of fields differing from the
 * truth stays <= 0.1 % (bench/ reads conf, value and truth per field;
 * validate_column_type() gives the type, and $HOTICH_THRESHOLDS or
 * validate_thresholds_parse() applies a measured table without a rebuild).
 *
 * Measured on 2026-11-22 with build/bench/eval --thresholds in two
 * independent runs: A, 213 records (hotich fixtures --pages 4 with --seed 501
 * --kind all --damage light --books 2; --seed 502 --kind all --damage heavy
 * --books 2; --seed 503 --kind ks --format T --books 2; --seed 504 --font
 * FreeSerif --damage none), and B, the 152 records of make bench's accuracy
 * sets.  Lowest confidence with at most 1 wrong in 1,000 checked fields,
 * A / B: text 96.4 / 96.1, number 76 / 23.5, date 79 / 96.1, name 96.9 /
 * 95.0, id 80.5 / 84.0, place 85.7 / 93.1, closed lists 0 / 93.3.  The two
 * disagree (a few hundred fields a type), so each type takes the higher of
 * the two, and never less than the earlier guess (0 wrong in n fields bounds
 * the error near 3/n: proving 0.1% needs 3,000 fields a type).
 * Names: Tesseract is confidently wrong on lost tone marks (Thuỵ read
 * Thuy at 97), so names go to a supervisor unless read at 97 or more.
 * A third run on 2026-11-23, C, 16 sets of 4-5 pages (~9,000 fields; seeds
 * 77, 91, 123 over every kind, format, damage level and three faces) put
 * free text at 96.6: "Đột quy" for "Đột quỵ" (a lost dot below) at 96.5 to
 * 96.6 three times, so text now needs 97.  make bench the same day read an
 * ID's ninth digit wrong at 90 (074179893652 for ...993652): nothing checks
 * an ID's last six digits, so IDs need 95.
 * make bench measures again on every run (bench/RESULTS.md).
 */
#include "validate/internal.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	enum validate_ftype type;
	const char *name;
	float conf;	/* minimum OCR confidence (0..100) to accept */
	const char *why;
} thresholds[VT_COUNT] = {
	{VT_TEXT, "text", 97, "measured 96.4 / 96.1 / 96.6; nothing else checks free text"},
	{VT_NUMBER, "number", 90, "measured 76 / 23.5; entry numbers are also checked per book"},
	{VT_DATE, "date", 96.5, "measured 79 / 96.1; a valid date misread stays valid"},
	{VT_NAME, "name", 97, "measured 96.9 / 95.0; lost tone marks read confidently"},
	{VT_ID, "id", 95, "measured 80.5 / 84.0 / 90.5; the last six digits have no check"},
	{VT_PLACE, "place", 93.5, "measured 85.7 / 93.1; matched against the commune lists"},
	{VT_CLOSED, "closed", 93.5, "measured 0 / 93.3; value must be in a closed list"},
};

const char *validate_ftype_name(enum validate_ftype t)
{
	return t >= 0 && t < VT_COUNT ? thresholds[t].name : "";
}

void vthresholds_default(struct validate_ctx *vc);
void vthresholds_default(struct validate_ctx *vc)
{
	for (int i = 0; i < VT_COUNT; i++)
		vc->threshold[thresholds[i].type] = thresholds[i].conf;
}

float validate_threshold(const struct validate_ctx *vc, enum validate_ftype t)
{
	return t >= 0 && t < VT_COUNT ? vc->threshold[t] : 100;
}

static int one_setting(struct validate_ctx *vc, const char *item, struct err *e)
{
	const char *eq = strchr(item, '=');
	if (!eq)
		return err_set(e, "bad threshold '%s': want TYPE=CONF", item);
	char *end;
	double v = strtod(eq + 1, &end);
	if (end == eq + 1 || *end || v < 0 || v > 100)
		return err_set(e, "bad threshold '%s': confidence 0..100", item);
	for (int i = 0; i < VT_COUNT; i++)
		if (strlen(thresholds[i].name) == (size_t)(eq - item) &&
		    !strncmp(thresholds[i].name, item, (size_t)(eq - item))) {
			vc->threshold[thresholds[i].type] = (float)v;
			return 0;
		}
	return err_set(e, "bad threshold '%s': unknown field type", item);
}

int validate_thresholds_parse(struct validate_ctx *vc, const char *spec, struct err *e)
{
	char *copy = xstrdup(spec);
	int rc = 0;
	for (char *p = copy; p && *p && rc == 0;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (*p)
			rc = one_setting(vc, p, e);
		p = comma ? comma + 1 : NULL;
	}
	free(copy);
	return rc;
}

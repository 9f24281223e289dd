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
 * Measured: not yet.  Until a measurement lands here, the numbers are
 * conservative guesses, set high so that doubt goes to a supervisor rather
 * than to the national database.  Closed lists and checked dates are
 * verified by content as well as by confidence, so they start lower than
 * free text, which nothing else checks.
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
	{VT_TEXT, "text", 92, "unmeasured; nothing else checks free text"},
	{VT_NUMBER, "number", 90, "unmeasured; entry numbers are also checked per book"},
	{VT_DATE, "date", 88, "unmeasured; calendar, range and cross-field checks"},
	{VT_NAME, "name", 92, "unmeasured; syllable and surname checks catch only some slips"},
	{VT_ID, "id", 90, "unmeasured; prefix, sex and year digits checked"},
	{VT_PLACE, "place", 88, "unmeasured; matched against the commune lists"},
	{VT_CLOSED, "closed", 80, "unmeasured; value must be in a closed list"},
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

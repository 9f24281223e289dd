/*
 * The report as one HTML page: inline CSS, an inline SVG chart, no script
 * and no external resource.  Every text from the database is escaped.
 * Sections carry ids (summary, rate, books, queue, failed, residual) and
 * numbers carry data- attributes, so a test can read the page back.
 */
#include "report/report.h"

#include <stdio.h>
#include <string.h>

static const char css[] =
	"body{font:15px/1.45 'DejaVu Sans',system-ui,sans-serif;margin:2em auto;max-width:1100px;"
	"color:#1d2430;padding:0 1em}"
	"h1{font-size:1.6em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.6em 0 .5em;"
	"border-bottom:2px solid #d8dee8;padding-bottom:.2em}"
	".meta{color:#5a6475;margin:0}.meta code{font-size:.9em}"
	".tiles{display:flex;flex-wrap:wrap;gap:.8em;margin-top:1em}"
	".tile{background:#f3f6fa;border-radius:6px;padding:.6em 1em;min-width:9em}"
	".tile b{display:block;font-size:1.7em}.tile.good b{color:#1f7a3a}"
	".tile.wait b{color:#a86400}.tile.bad b{color:#b3261e}"
	"table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3em .6em;"
	"border-bottom:1px solid #e3e7ee}th{background:#f3f6fa}td.n,th.n{text-align:right}"
	".gap{color:#b3261e}.ok{color:#1f7a3a}.none{color:#5a6475}"
	"svg{max-width:100%;height:auto}svg text{font:12px 'DejaVu Sans',sans-serif;fill:#5a6475}svg .bar{fill:#3b6fb6}";

static void esc(FILE *out, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
}

static long long accepted(const struct report *r)
{
	return r->clean + r->approved;
}

static void tile(FILE *out, const char *id, const char *cls, long long n, const char *label)
{
	fprintf(out, "<div class=\"tile %s\" id=\"%s\" data-n=\"%lld\"><b>%lld</b>%s</div>\n", cls,
		id, n, n, label);
}

static void head(const struct report *r, FILE *out)
{
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<title>hotich: batch %lld</title>\n<style>%s</style></head><body>\n"
		"<h1>The night of batch %lld</h1>\n<p class=\"meta\">started %s, ", r->batch_id,
		css, r->batch_id, r->started_at);
	if (*r->finished_at)
		fprintf(out, "ended %s", r->finished_at);
	else
		fputs("<b>still running</b>", out);
	fputs(" &middot; <code>", out);
	esc(out, r->command);
	fputs("</code></p>\n", out);
}

static void summary(const struct report *r, FILE *out)
{
	fputs("<section id=\"summary\"><div class=\"tiles\">\n", out);
	tile(out, "pages", "", r->pages, "pages read");
	tile(out, "records", "", r->records, "records");
	tile(out, "accepted", "good", accepted(r), "records accepted");
	tile(out, "review", "wait", r->review, "wait for a supervisor");
	tile(out, "failed-pages", r->nfailed ? "bad" : "", (long long)r->nfailed,
	     "pages or files failed");
	fputs("</div></section>\n", out);
}

/* Clock time of bin i, from started_at "YYYY-MM-DDTHH:MM:SSZ". */
static void bin_label(const struct report *r, size_t i, char out[16])
{
	int hh = 0, mm = 0;
	if (strlen(r->started_at) >= 16)
		sscanf(r->started_at + 11, "%2d:%2d", &hh, &mm);
	long long m = (hh * 60 + mm + (long long)i * r->bin_seconds / 60) % 1440;
	snprintf(out, 16, "%02lld:%02lld", m / 60, m % 60);
}

static void chart(const struct report *r, FILE *out)
{
	const int W = 1000, H = 260, L = 60, B = 40, T = 14;
	double max = 1, scale = 3600.0 / r->bin_seconds;
	for (size_t i = 0; i < r->nbins; i++)
		max = r->bins[i] * scale > max ? r->bins[i] * scale : max;
	double bw = (double)(W - L - 10) / (r->nbins ? r->nbins : 1);
	fprintf(out, "<section id=\"rate\"><h2>Pages per hour</h2>\n"
		"<svg width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"pages per hour\" "
		"data-bin-seconds=\"%d\">\n", W, H, W, H, r->bin_seconds);
	fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#8a94a6\"/>\n", L,
		H - B, W - 10, H - B);
	for (int k = 0; k <= 4; k++) { /* the rate axis: five ticks */
		double y = H - B - (H - B - T) * k / 4.0;
		fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n", L - 6, y + 4,
			max * k / 4);
	}
	size_t every = r->nbins / 12 + 1;
	for (size_t i = 0; i < r->nbins; i++) {
		double rate = r->bins[i] * scale, h = (H - B - T) * rate / max;
		char label[16];
		bin_label(r, i, label);
		fprintf(out, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			"data-pages=\"%lld\"><title>%s UTC: %lld pages (%.0f an hour)</title></rect>\n",
			L + i * bw + 1, H - B - h, bw > 3 ? bw - 2 : bw, h, r->bins[i], label, r->bins[i],
			rate);
		if (i % every == 0)
			fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
				L + (i + 0.5) * bw, H - B + 18, label);
	}
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">UTC, bins of %d min</text>\n"
		"</svg></section>\n", (W + L) / 2, H - 4, r->bin_seconds / 60);
}

static void entries_cell(const struct report_book *b, FILE *out)
{
	if (!b->first && !b->last)
		fputs("<td class=\"none\" data-gaps=\"\">no entry numbers", out);
	else if (!b->ngaps)
		fprintf(out, "<td class=\"ok\" data-gaps=\"\">%lld&ndash;%lld complete", b->first,
			b->last);
	else
		fprintf(out, "<td class=\"gap\" data-gaps=\"%s\">%lld&ndash;%lld, %lld missing: %s",
			b->gaps, b->first, b->last, b->ngaps, b->gaps);
	if (b->unnumbered && (b->first || b->last))
		fprintf(out, " <span class=\"gap\">(%lld without a number read)</span>", b->unnumbered);
	fputs("</td>", out);
}

static void books(const struct report *r, FILE *out)
{
	fputs("<section id=\"books\"><h2>Books</h2><table>\n<tr><th>book</th><th>kind</th>"
	      "<th>book no.</th><th class=\"n\">pages read</th><th class=\"n\">blank</th>"
	      "<th class=\"n\">failed</th><th class=\"n\">records</th><th>entry numbers</th></tr>\n",
	      out);
	for (size_t i = 0; i < r->nbooks; i++) {
		const struct report_book *b = &r->books[i];
		fputs("<tr class=\"book\"><td>", out);
		esc(out, b->name);
		fputs("</td><td>", out);
		esc(out, b->kind);
		fputs("</td><td>", out);
		esc(out, b->book_no);
		fprintf(out, "</td><td class=\"n\">%lld of %d</td><td class=\"n\">%lld</td>"
			"<td class=\"n\">%lld</td><td class=\"n\" data-records=\"%lld\">%lld</td>",
			b->done + b->blank + b->failed, b->pages, b->blank, b->failed, b->records,
			b->records);
		entries_cell(b, out);
		fputs("</tr>\n", out);
	}
	fputs("</table></section>\n", out);
}

static void queue(const struct report *r, FILE *out)
{
	fprintf(out, "<section id=\"queue\"><h2>Accepted, and why the rest waits</h2>\n"
		"<p><b>%lld</b> records accepted (%lld passed every check, %lld approved by a "
		"supervisor); <b>%lld</b> wait for a supervisor, %lld rejected.</p>\n",
		accepted(r), r->clean, r->approved, r->review, r->rejected);
	if (!r->nreasons) {
		fputs("<p class=\"none\">Nothing waits.</p></section>\n", out);
		return;
	}
	fputs("<table><tr><th>reason</th><th class=\"n\">records</th></tr>\n", out);
	for (size_t i = 0; i < r->nreasons; i++) {
		fputs("<tr class=\"reason\"><td>", out);
		esc(out, r->reasons[i].code);
		fprintf(out, "</td><td class=\"n\">%lld</td></tr>\n", r->reasons[i].n);
	}
	fputs("</table><p class=\"meta\">A record waits for every reason it has; "
	      "<code>hotich review</code> clears the queue.</p></section>\n", out);
}

static void failed(const struct report *r, FILE *out)
{
	fputs("<section id=\"failed\"><h2>Failed pages</h2>\n", out);
	if (!r->nfailed) {
		fputs("<p class=\"ok\">None.</p></section>\n", out);
		return;
	}
	fputs("<table><tr><th>book</th><th class=\"n\">page</th><th>reason</th></tr>\n", out);
	for (size_t i = 0; i < r->nfailed; i++) {
		fputs("<tr class=\"failed\"><td>", out);
		esc(out, r->failed[i].book);
		if (r->failed[i].page)
			fprintf(out, "</td><td class=\"n\">%d</td><td>", r->failed[i].page);
		else
			fputs("</td><td class=\"n\">whole file</td><td>", out);
		esc(out, r->failed[i].reason);
		fputs("</td></tr>\n", out);
	}
	fputs("</table></section>\n", out);
}

static void residual(const struct report *r, FILE *out)
{
	fprintf(out, "<section id=\"residual\" data-wrong-fields=\"%.3f\" data-wrong-records=\"%.3f\""
		" data-fields=\"%lld\"><h2>Expected residual error of what was accepted</h2>\n"
		"<p>About <b>%.1f</b> wrong fields among the %lld filled fields of the %lld accepted "
		"records (%.2f%%), and about <b>%.1f</b> records with at least one wrong field.</p>\n"
		"<p class=\"meta\">From %s.  Fields a supervisor set count as right.</p></section>\n",
		r->wrong_fields, r->wrong_records, r->fields_checked, r->wrong_fields,
		r->fields_checked, accepted(r),
		r->fields_checked ? 100.0 * r->wrong_fields / r->fields_checked : 0.0,
		r->wrong_records, r->residual_basis ? r->residual_basis : "nothing");
}

int report_html_write(const struct report *r, FILE *out, struct err *e)
{
	head(r, out);
	summary(r, out);
	chart(r, out);
	books(r, out);
	queue(r, out);
	failed(r, out);
	residual(r, out);
	fputs("<p class=\"meta\">Next: <code>hotich review</code> for the queue, "
	      "<code>hotich export</code> for what was accepted.</p>\n</body></html>\n", out);
	if (ferror(out))
		return err_set(e, "cannot write the report");
	return 0;
}

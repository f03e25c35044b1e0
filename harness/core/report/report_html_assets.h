/*
 * report_html_assets.h: the HTML report's style sheet and script, the files
 * of harness/core/report/report_html/ embedded at build time (scripts/embed-text.py).
 */
#ifndef SYNCHOST_REPORT_HTML_ASSETS_H
#define SYNCHOST_REPORT_HTML_ASSETS_H

extern const char report_html_css[];
extern const char report_html_js[];

#endif /* SYNCHOST_REPORT_HTML_ASSETS_H */

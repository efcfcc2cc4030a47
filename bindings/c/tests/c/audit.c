/* iamkit C ABI test for the audit: API checks, and every audit case. Reads lines NAME<TAB>INPUTS
 * (from scripts/cases.py emit audit), writes NAME<TAB>{"answer": ...} or NAME<TAB>{"error": ...}
 * per case for scripts/cases.py check audit. Built with -std=c11 -Wall -Wextra -Werror, run under
 * valgrind; ends with "N passed, N failed" for its own API checks. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iamkit.h"

static int passed = 0, failed = 0;

#define CHECK(cond, what)                                                  \
  do {                                                                     \
    if (cond) {                                                            \
      passed++;                                                            \
    } else {                                                               \
      failed++;                                                            \
      fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, what);       \
    }                                                                      \
  } while (0)

static int has(const char *s, const char *needle) { return s != NULL && strstr(s, needle) != NULL; }

static const char *REPORT =
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,"
    "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,"
    "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,"
    "cert_2_last_rotated\n"
    "<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported,"
    "not_supported,false,true,2020-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";

static void test_api(void) {
  char *out = NULL, *err = NULL;
  CHECK(iamkit_credential_report_json(REPORT, &out, &err) == IAMKIT_STATUS_OK && has(out, "\"isRoot\":true") &&
            has(out, "\"passwordLastUsed\":\"no_information\""),
        "a report parses, special values kept as text");
  iamkit_string_free(out);
  out = NULL;

  CHECK(iamkit_credential_report_json("user,arn\nalice,arn:aws:iam::111122223333:user/alice\n", &out, &err) ==
                IAMKIT_STATUS_INPUT &&
            out == NULL && has(err, "IAM_REPORT_FORMAT") && has(err, "user_creation_time"),
        "a missing column is IAM_REPORT_FORMAT naming the column");
  iamkit_string_free(err);
  err = NULL;

  size_t n = strlen(REPORT) * 2 + 128;
  char *inputs = malloc(n);
  char *escaped = malloc(strlen(REPORT) * 2 + 1), *w = escaped;
  for (const char *r = REPORT; *r; r++) {
    if (*r == '\n') {
      *w++ = '\\';
      *w++ = 'n';
    } else {
      *w++ = *r;
    }
  }
  *w = '\0';
  snprintf(inputs, n, "{\"credentialReport\": \"%s\", \"options\": {\"asOf\": \"2026-11-20T08:00:00Z\"}}", escaped);
  CHECK(iamkit_audit_json(inputs, &out, &err) == IAMKIT_STATUS_OK && has(out, "\"checkId\":\"root-access-keys\"") &&
            has(out, "\"status\":\"fail\"") && has(out, "\"asOfSource\":\"option\""),
        "the audit finds the root user's access key");
  iamkit_string_free(out);
  out = NULL;
  free(inputs);
  free(escaped);

  CHECK(iamkit_audit_json("{\"options\": {\"asOf\": \"yesterday\"}}", &out, &err) == IAMKIT_STATUS_INPUT &&
            has(err, "IAM_AUDIT_INPUT"),
        "a bad asOf is IAM_AUDIT_INPUT");
  iamkit_string_free(err);
  err = NULL;
  CHECK(iamkit_audit_json(NULL, &out, &err) == IAMKIT_STATUS_INVALID_ARGUMENT, "NULL inputs are an invalid argument");
  iamkit_string_free(err);
}

static int run_cases(const char *in_path, const char *out_path) {
  FILE *in = fopen(in_path, "r"), *out = fopen(out_path, "w");
  if (in == NULL || out == NULL) {
    fprintf(stderr, "cannot open %s or %s\n", in_path, out_path);
    if (in) fclose(in);
    if (out) fclose(out);
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  int n = 0;
  while (getline(&line, &cap, in) > 0) {
    line[strcspn(line, "\n")] = '\0';
    char *tab = strchr(line, '\t');
    if (tab == NULL) continue;
    *tab = '\0';
    char *answer = NULL, *err = NULL;
    if (iamkit_audit_json(tab + 1, &answer, &err) == IAMKIT_STATUS_OK) {
      fprintf(out, "%s\t{\"answer\": %s}\n", line, answer);
    } else {
      fprintf(out, "%s\t{\"error\": %s}\n", line, err);
    }
    iamkit_string_free(answer);
    iamkit_string_free(err);
    n++;
  }
  free(line);
  fclose(in);
  fclose(out);
  return n;
}

int main(int argc, char **argv) {
  test_api();
  if (argc > 2) {
    int n = run_cases(argv[1], argv[2]);
    CHECK(n > 50, "the audit cases are there");
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

/* iamkit C ABI test for the service catalog: API checks, and every catalog case. Reads lines
 * NAME<TAB>QUERY (from scripts/cases.py emit catalog), writes NAME<TAB>{"answer": ...} or
 * NAME<TAB>{"error": ...} for scripts/cases.py check catalog. Built with -std=c11 -Wall -Wextra
 * -Werror, run under valgrind; ends with "N passed, N failed" for its own API checks. */
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

static void test_api(void) {
  char *out = NULL, *err = NULL;
  CHECK(iamkit_catalog_json("{\"query\": \"action\", \"action\": \"s3:getobject\"}", &out, &err) == IAMKIT_STATUS_OK &&
            has(out, "\"action\":\"s3:GetObject\"") && has(out, "\"access\":\"Read\""),
        "an action is looked up case-insensitively");
  iamkit_string_free(out);
  out = NULL;
  CHECK(iamkit_catalog_json("{\"query\": \"lint\", \"policy\": {\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\","
                            " \"Action\": \"iam:PassRole\", \"Resource\": \"*\"}}}",
                            &out, &err) == IAMKIT_STATUS_OK &&
            has(out, "IAM_LINT_PASSROLE_STAR"),
        "the linter flags iam:PassRole on *");
  iamkit_string_free(out);
  out = NULL;
  CHECK(iamkit_catalog_json("{\"query\": \"review\", \"policy\": {\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\","
                            " \"Action\": \"iam:PassRole\", \"Resource\": \"*\"}}}",
                            &out, &err) == IAMKIT_STATUS_OK &&
            has(out, "IAM_LINT_PASSROLE_STAR") && has(out, "\"summary\":{\"services\":[{\"service\":\"iam\""),
        "a review holds the lint report and the summary");
  iamkit_string_free(out);
  out = NULL;
  CHECK(iamkit_catalog_json("{\"query\": \"nope\"}", &out, &err) == IAMKIT_STATUS_INPUT && out == NULL &&
            has(err, "IAM_INPUT_SCHEMA"),
        "an unknown query is IAM_INPUT_SCHEMA");
  iamkit_string_free(err);
  err = NULL;
  CHECK(iamkit_catalog_json(NULL, &out, &err) == IAMKIT_STATUS_INVALID_ARGUMENT, "NULL is an invalid argument");
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
    if (iamkit_catalog_json(tab + 1, &answer, &err) == IAMKIT_STATUS_OK) {
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
    CHECK(n > 20, "the catalog cases are there");
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

/* iamkit C ABI test: API, errors, ownership, threads, the panic guard, and every conformance case
 * (lines from scripts/cases-to-lines.py). Built with -std=c11 -Wall -Wextra -Werror and run under
 * valgrind; ends with "N passed, N failed". */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
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

static const char *POLICIES =
    "{\"identity\": [{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Read\", \"Effect\": \"Allow\","
    " \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]}]}";
static const char *ALLOWED_REQ =
    "{\"principal\": \"arn:aws:iam::111122223333:user/alice\", \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\"}";
static const char *DENIED_REQ =
    "{\"principal\": \"arn:aws:iam::111122223333:user/alice\", \"action\": \"s3:PutObject\", \"resource\": \"arn:aws:s3:::b/k\"}";

static int has(const char *s, const char *needle) { return s != NULL && strstr(s, needle) != NULL; }

static void test_api(void) {
  CHECK(strcmp(iamkit_version(), IAMKIT_VERSION) == 0, "iamkit_version matches the header");

  IamkitPolicySet *set = NULL;
  char *err = NULL;
  CHECK(iamkit_policy_set_new(POLICIES, &set, &err) == IAMKIT_STATUS_OK && set != NULL && err == NULL,
        "policy set builds");

  char *out = NULL;
  CHECK(iamkit_policy_set_evaluate_json(set, ALLOWED_REQ, &out, &err) == IAMKIT_STATUS_OK, "evaluate ok");
  CHECK(has(out, "\"decision\":\"allowed\"") && has(out, "\"sid\":\"Read\""), "allowed, with the deciding Sid");
  iamkit_string_free(out);
  out = NULL;

  CHECK(iamkit_policy_set_evaluate_json(set, DENIED_REQ, &out, &err) == IAMKIT_STATUS_OK, "evaluate ok");
  CHECK(has(out, "\"decision\":\"implicitDeny\"") && has(out, "\"deniedBy\":\"identity\""), "implicit deny");
  iamkit_string_free(out);
  out = NULL;

  /* batch: one bad request does not fail the others */
  char batch[1024];
  snprintf(batch, sizeof batch, "[%s, %s, {\"principal\": \"nobody\", \"action\": \"s3:GetObject\", \"resource\": \"*\"}]",
           ALLOWED_REQ, DENIED_REQ);
  CHECK(iamkit_policy_set_evaluate_batch_json(set, batch, &out, &err) == IAMKIT_STATUS_OK, "batch ok");
  CHECK(has(out, "allowed") && has(out, "implicitDeny") && has(out, "IAM_REQUEST_PRINCIPAL"), "batch results");
  iamkit_string_free(out);
  out = NULL;

  /* a malformed request: status INPUT, error JSON with a code, out untouched */
  char *sentinel = (char *)"untouched";
  out = sentinel;
  CHECK(iamkit_policy_set_evaluate_json(set, "{\"principal\": 1}", &out, &err) == IAMKIT_STATUS_INPUT,
        "bad request is INPUT");
  CHECK(out == sentinel, "out is not written on failure");
  CHECK(has(err, "\"code\":\"IAM_INPUT_SCHEMA\""), "schema error code");
  iamkit_string_free(err);
  err = NULL;

  /* NULL arguments: INVALID_ARGUMENT; a NULL error_json is allowed */
  CHECK(iamkit_policy_set_evaluate_json(NULL, ALLOWED_REQ, &out, &err) == IAMKIT_STATUS_INVALID_ARGUMENT,
        "NULL set");
  CHECK(has(err, "IAM_INVALID_ARGUMENT"), "invalid-argument code");
  iamkit_string_free(err);
  err = NULL;
  CHECK(iamkit_policy_set_evaluate_json(set, NULL, &out, NULL) == IAMKIT_STATUS_INVALID_ARGUMENT,
        "NULL request, NULL error_json");
  CHECK(iamkit_policy_set_evaluate_json(set, ALLOWED_REQ, NULL, NULL) == IAMKIT_STATUS_INVALID_ARGUMENT,
        "NULL out_json");
  CHECK(iamkit_evaluate_json("\xff\xfe", &out, &err) == IAMKIT_STATUS_INVALID_ARGUMENT, "non-UTF-8 input");
  iamkit_string_free(err);
  err = NULL;

  /* an invalid policy refuses to build, with a located error */
  IamkitPolicySet *bad = NULL;
  CHECK(iamkit_policy_set_new("{\"identity\": [{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\","
                              " \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"NumericEquals\": {\"k\": \"x\"}}}}]}",
                              &bad, &err) == IAMKIT_STATUS_INPUT && bad == NULL,
        "invalid policy refused");
  CHECK(has(err, "IAM_POLICY_CONDITION_VALUE") && has(err, "\"jsonPath\":\"$.identity[0].Statement.Condition.NumericEquals.k\""),
        "error code and JSON path");
  iamkit_string_free(err);
  err = NULL;

  /* validation is a value, not an error */
  CHECK(iamkit_policy_validate_json("{\"Statement\": {\"Effect\": \"allow\"}}", "identity", &out, &err) == IAMKIT_STATUS_OK,
        "validate ok");
  CHECK(has(out, "\"valid\":false") && has(out, "IAM_POLICY_EFFECT"), "diagnostics");
  iamkit_string_free(out);
  out = NULL;
  CHECK(iamkit_policy_validate_json("{}", "bogus", &out, &err) == IAMKIT_STATUS_INPUT, "unknown policy type");
  iamkit_string_free(err);
  err = NULL;

  iamkit_policy_set_free(set);
  iamkit_policy_set_free(NULL);
  iamkit_string_free(NULL);
}

struct worker {
  const IamkitPolicySet *set;
  int ok;
};

static void *work(void *arg) {
  struct worker *w = arg;
  for (int i = 0; i < 200; i++) {
    char *out = NULL;
    if (iamkit_policy_set_evaluate_json(w->set, (i % 2) ? ALLOWED_REQ : DENIED_REQ, &out, NULL) == IAMKIT_STATUS_OK &&
        has(out, (i % 2) ? "\"allowed\"" : "\"implicitDeny\"")) {
      w->ok++;
    }
    iamkit_string_free(out);
  }
  return NULL;
}

static void test_threads(void) {
  IamkitPolicySet *set = NULL;
  if (iamkit_policy_set_new(POLICIES, &set, NULL) != IAMKIT_STATUS_OK) {
    CHECK(0, "policy set for threads");
    return;
  }
  pthread_t t[4];
  struct worker w[4];
  for (int i = 0; i < 4; i++) {
    w[i].set = set;
    w[i].ok = 0;
    pthread_create(&t[i], NULL, work, &w[i]);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(t[i], NULL);
    CHECK(w[i].ok == 200, "a const handle shared by 4 threads");
  }
  iamkit_policy_set_free(set);
}

static void test_panic_guard(void) {
#if defined(IAMKIT_TEST_PANIC)
  char *err = NULL;
  CHECK(iamkit_test_panic(&err) == IAMKIT_STATUS_INTERNAL, "a panic becomes IAMKIT_STATUS_INTERNAL");
  CHECK(has(err, "\"code\":\"IAM_INTERNAL\""), "with code IAM_INTERNAL");
  iamkit_string_free(err);
#endif
}

static int test_cases(const char *path) {
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", path);
    return 0;
  }
  char *line = NULL;
  size_t cap = 0;
  int n = 0;
  while (getline(&line, &cap, f) > 0) {
    char *want = strtok(line, "\t");
    char *denied = strtok(NULL, "\t");
    char *json = strtok(NULL, "\n");
    if (want == NULL || denied == NULL || json == NULL) continue;
    n++;
    char *out = NULL, *err = NULL;
    IamkitStatus st = iamkit_evaluate_json(json, &out, &err);
    int ok;
    char needle[128];
    if (strncmp(want, "error:", 6) == 0) {
      snprintf(needle, sizeof needle, "\"code\":\"%s\"", want + 6);
      ok = st == IAMKIT_STATUS_INPUT && has(err, needle);
    } else {
      snprintf(needle, sizeof needle, "\"decision\":\"%s\"", want);
      ok = st == IAMKIT_STATUS_OK && has(out, needle);
      if (ok && strcmp(denied, "-") != 0) {
        snprintf(needle, sizeof needle, "\"deniedBy\":\"%s\"", denied);
        ok = has(out, needle);
      }
    }
    if (!ok) fprintf(stderr, "case %d: want %s %s, got %s %s\n", n, want, denied, out ? out : "", err ? err : "");
    CHECK(ok, "conformance case");
    iamkit_string_free(out);
    iamkit_string_free(err);
  }
  free(line);
  fclose(f);
  return n;
}

int main(int argc, char **argv) {
  test_api();
  test_threads();
  test_panic_guard();
  if (argc > 1) {
    int n = test_cases(argv[1]);
    CHECK(n > 250, "the conformance corpus is there");
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

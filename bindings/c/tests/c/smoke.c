/* iamkit C ABI test: the three calls (iamkit_call, iamkit_open, iamkit_handle_call), errors and
 * statuses, ownership, a handle shared by threads, and the panic guard. Built with -std=c11 -Wall
 * -Wextra -Werror and run under valgrind; ends with "N passed, N failed". The conformance corpus
 * runs through conformance.c. */
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
/* a group whose inline policy is URL-encoded, as the raw API returns it */
static const char *ACCOUNT =
    "{\"details\": {\"UserDetailList\": [{\"UserName\": \"alice\", \"Arn\": \"arn:aws:iam::111122223333:user/alice\","
    " \"GroupList\": [\"devs\"]}],"
    " \"GroupDetailList\": [{\"GroupName\": \"devs\", \"Arn\": \"arn:aws:iam::111122223333:group/devs\","
    " \"GroupPolicyList\": [{\"PolicyName\": \"read\", \"PolicyDocument\": \"%7B%22Version%22%3A%222012-10-17%22%2C"
    "%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%7D%7D\"}]}],"
    " \"RoleDetailList\": [], \"Policies\": []}}";

static int has(const char *s, const char *needle) { return s != NULL && strstr(s, needle) != NULL; }

static void test_policy_set(void) {
  CHECK(strcmp(iamkit_version(), IAMKIT_VERSION) == 0, "iamkit_version matches the header");

  IamkitHandle *set = NULL;
  char *err = NULL, *out = NULL;
  CHECK(iamkit_open("policySet", POLICIES, &set, &err) == IAMKIT_STATUS_OK && set != NULL && err == NULL,
        "a policy set opens");
  CHECK(strcmp(iamkit_handle_kind(set), "policySet") == 0, "its kind");

  CHECK(iamkit_handle_call(set, "evaluate", ALLOWED_REQ, &out, &err) == IAMKIT_STATUS_OK, "evaluate ok");
  CHECK(has(out, "\"decision\":\"allowed\"") && has(out, "\"sid\":\"Read\""), "allowed, with the deciding Sid");
  iamkit_string_free(out);
  out = NULL;

  CHECK(iamkit_handle_call(set, "decide", DENIED_REQ, &out, &err) == IAMKIT_STATUS_OK &&
            strcmp(out, "{\"decision\":\"implicitDeny\"}") == 0,
        "decide: the decision alone");
  iamkit_string_free(out);
  out = NULL;

  /* batch: one bad request does not fail the others */
  char batch[1024];
  snprintf(batch, sizeof batch,
           "{\"requests\": [%s, %s, {\"principal\": \"nobody\", \"action\": \"s3:GetObject\", \"resource\": \"*\"}]}",
           ALLOWED_REQ, DENIED_REQ);
  CHECK(iamkit_handle_call(set, "evaluateBatch", batch, &out, &err) == IAMKIT_STATUS_OK, "batch ok");
  CHECK(has(out, "allowed") && has(out, "implicitDeny") && has(out, "IAM_REQUEST_PRINCIPAL") &&
            has(out, "\"jsonPath\":\"$.requests[2]\""),
        "batch: answers and a located error per request");
  iamkit_string_free(out);
  out = NULL;

  /* a malformed request: status INPUT, error JSON with a code, out untouched */
  char *sentinel = (char *)"untouched";
  out = sentinel;
  CHECK(iamkit_handle_call(set, "evaluate", "{\"principal\": 1}", &out, &err) == IAMKIT_STATUS_INPUT,
        "bad request is INPUT");
  CHECK(out == sentinel, "out is not written on failure");
  CHECK(has(err, "\"code\":\"IAM_INPUT_SCHEMA\""), "schema error code");
  iamkit_string_free(err);
  err = NULL;
  out = NULL;

  /* an unknown call, NULL arguments: INVALID_ARGUMENT; a NULL error_json is allowed */
  CHECK(iamkit_handle_call(set, "whoCan", "{}", &out, &err) == IAMKIT_STATUS_INVALID_ARGUMENT &&
            has(err, "unknown policy-set call"),
        "a call the handle's table does not hold");
  iamkit_string_free(err);
  err = NULL;
  CHECK(iamkit_handle_call(NULL, "evaluate", ALLOWED_REQ, &out, &err) == IAMKIT_STATUS_INVALID_ARGUMENT,
        "NULL handle");
  CHECK(has(err, "IAM_INVALID_ARGUMENT"), "invalid-argument code");
  iamkit_string_free(err);
  err = NULL;
  CHECK(iamkit_handle_call(set, "evaluate", NULL, &out, NULL) == IAMKIT_STATUS_INVALID_ARGUMENT,
        "NULL input, NULL error_json");
  CHECK(iamkit_handle_call(set, "evaluate", ALLOWED_REQ, NULL, NULL) == IAMKIT_STATUS_INVALID_ARGUMENT,
        "NULL out_json");
  CHECK(iamkit_call("evaluate", "\xff\xfe", &out, &err) == IAMKIT_STATUS_INVALID_ARGUMENT, "non-UTF-8 input");
  iamkit_string_free(err);
  err = NULL;
  CHECK(iamkit_open("bogus", "{}", &set, &err) == IAMKIT_STATUS_INVALID_ARGUMENT && has(err, "unknown handle kind"),
        "an unknown handle kind");
  iamkit_string_free(err);
  err = NULL;

  /* an invalid policy refuses to open, with a located error */
  IamkitHandle *bad = NULL;
  CHECK(iamkit_open("policySet",
                    "{\"identity\": [{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\","
                    " \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"NumericEquals\": {\"k\": \"x\"}}}}]}",
                    &bad, &err) == IAMKIT_STATUS_INPUT &&
            bad == NULL,
        "invalid policy refused");
  CHECK(has(err, "IAM_POLICY_CONDITION_VALUE") && has(err, "\"jsonPath\":\"$.identity[0].Statement.Condition.NumericEquals.k\""),
        "error code and JSON path");
  iamkit_string_free(err);
  err = NULL;

  /* validation is a value, not an error */
  CHECK(iamkit_call("validate", "{\"policy\": {\"Statement\": {\"Effect\": \"allow\"}}}", &out, &err) == IAMKIT_STATUS_OK,
        "validate ok");
  CHECK(has(out, "\"valid\":false") && has(out, "IAM_POLICY_EFFECT"), "diagnostics");
  iamkit_string_free(out);
  out = NULL;
  CHECK(iamkit_call("validate", "{\"policy\": {}, \"type\": \"bogus\"}", &out, &err) == IAMKIT_STATUS_INPUT &&
            has(err, "IAM_INPUT_SCHEMA"),
        "unknown policy type");
  iamkit_string_free(err);
  err = NULL;

  iamkit_handle_free(set);
  iamkit_handle_free(NULL);
  iamkit_string_free(NULL);
}

struct worker {
  const IamkitHandle *handle;
  const char *call;
  const char *input;
  const char *want;
  int ok;
};

static void *work(void *arg) {
  struct worker *w = arg;
  for (int i = 0; i < 200; i++) {
    char *out = NULL;
    if (iamkit_handle_call(w->handle, w->call, w->input, &out, NULL) == IAMKIT_STATUS_OK && has(out, w->want)) w->ok++;
    iamkit_string_free(out);
  }
  return NULL;
}

static void shared_by_threads(const IamkitHandle *h, const char *call, const char *input, const char *want) {
  pthread_t t[4];
  struct worker w[4];
  for (int i = 0; i < 4; i++) {
    w[i] = (struct worker){h, call, input, want, 0};
    pthread_create(&t[i], NULL, work, &w[i]);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(t[i], NULL);
    CHECK(w[i].ok == 200, "a const handle shared by 4 threads");
  }
}

static void test_account(void) {
  IamkitHandle *account = NULL;
  char *err = NULL, *out = NULL;
  CHECK(iamkit_open("account", ACCOUNT, &account, &err) == IAMKIT_STATUS_OK && account != NULL && err == NULL,
        "an account opens (a URL-encoded group policy)");
  CHECK(iamkit_handle_call(account, "evaluate",
                           "{\"principal\": \"alice\", \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\"}",
                           &out, &err) == IAMKIT_STATUS_OK &&
            has(out, "\"decision\":\"allowed\"") && has(out, "group/devs inline policy read"),
        "the group's policy allows alice, and the explanation names it");
  iamkit_string_free(out);
  out = NULL;
  CHECK(iamkit_handle_call(account, "evaluate", "{\"principal\": \"bob\", \"action\": \"s3:GetObject\", \"resource\": \"*\"}",
                           &out, &err) == IAMKIT_STATUS_INPUT &&
            out == NULL && has(err, "IAM_ACCOUNT_PRINCIPAL"),
        "an unknown principal is IAM_ACCOUNT_PRINCIPAL, and nothing is written to out");
  iamkit_string_free(err);
  err = NULL;
  shared_by_threads(account, "whoCan", "{\"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\"}", "user/alice");
  iamkit_handle_free(account);

  IamkitHandle *bad = NULL;
  CHECK(iamkit_open("account", "{\"details\": {\"UserDetailList\": [{\"Arn\": \"arn:aws:iam::111122223333:user/x\"}]}}",
                    &bad, &err) == IAMKIT_STATUS_INPUT &&
            bad == NULL && has(err, "IAM_ACCOUNT_DATA") && has(err, "UserName"),
        "a user without a name is IAM_ACCOUNT_DATA naming the field");
  iamkit_string_free(err);
  err = NULL;
}

static void test_calls(void) {
  char *out = NULL, *err = NULL;
  CHECK(iamkit_call("credentials",
                    "{\"document\": {\"Code\": \"Success\", \"LastUpdated\": \"2026-11-23T08:00:00Z\", \"Type\": \"AWS-HMAC\","
                    " \"AccessKeyId\": \"ASIAEXAMPLE\", \"SecretAccessKey\": \"s3cr3t\", \"Token\": \"tok\","
                    " \"Expiration\": \"2026-11-23T14:00:00Z\"}, \"asOf\": \"2026-11-23T15:00:00Z\"}",
                    &out, &err) == IAMKIT_STATUS_OK &&
            has(out, "\"expired\":true") && has(out, "\"keyKind\":\"temporary\"") && !has(out, "s3cr3t"),
        "an instance-metadata credential document: expired, temporary, no secret in the report");
  iamkit_string_free(out);
  out = NULL;
  CHECK(iamkit_call("credentialReport", "{\"report\": \"user,arn\\nalice,arn:aws:iam::111122223333:user/alice\\n\"}", &out,
                    &err) == IAMKIT_STATUS_INPUT &&
            out == NULL && has(err, "IAM_REPORT_FORMAT") && has(err, "user_creation_time"),
        "a report missing a column is IAM_REPORT_FORMAT naming the column");
  iamkit_string_free(err);
  err = NULL;
  CHECK(iamkit_call("audit", "{\"options\": {\"asOf\": \"yesterday\"}}", &out, &err) == IAMKIT_STATUS_INPUT &&
            has(err, "IAM_AUDIT_INPUT"),
        "a bad asOf is IAM_AUDIT_INPUT");
  iamkit_string_free(err);
  err = NULL;
  CHECK(iamkit_call("lookupAction", "{\"action\": \"S3:getobject\"}", &out, &err) == IAMKIT_STATUS_OK &&
            has(out, "\"action\":\"s3:GetObject\"") && has(out, "\"access\":\"Read\""),
        "the embedded catalog: an action, any case");
  iamkit_string_free(out);
  out = NULL;
  CHECK(iamkit_call("nope", "{}", &out, &err) == IAMKIT_STATUS_INVALID_ARGUMENT && has(err, "unknown call `nope`"),
        "an unknown call");
  iamkit_string_free(err);
  err = NULL;
  CHECK(iamkit_call(NULL, "{}", &out, &err) == IAMKIT_STATUS_INVALID_ARGUMENT, "a NULL name");
  iamkit_string_free(err);
}

static void test_threads(void) {
  IamkitHandle *set = NULL;
  if (iamkit_open("policySet", POLICIES, &set, NULL) != IAMKIT_STATUS_OK) {
    CHECK(0, "policy set for threads");
    return;
  }
  shared_by_threads(set, "evaluate", ALLOWED_REQ, "\"allowed\"");
  iamkit_handle_free(set);
}

static void test_panic_guard(void) {
#if defined(IAMKIT_TEST_PANIC)
  char *err = NULL;
  CHECK(iamkit_test_panic(&err) == IAMKIT_STATUS_INTERNAL, "a panic becomes IAMKIT_STATUS_INTERNAL");
  CHECK(has(err, "\"code\":\"IAM_INTERNAL\""), "with code IAM_INTERNAL");
  iamkit_string_free(err);
#endif
}

int main(void) {
  test_policy_set();
  test_account();
  test_calls();
  test_threads();
  test_panic_guard();
  printf("c api: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

/* iamkit C ABI test for the account handle: API, errors, ownership, threads, and every account
 * case. Reads lines NAME<TAB>DETAILS<TAB>OPTIONS-or-"-"<TAB>QUERY (from scripts/cases.py
 * emit account), writes NAME<TAB>{"answer": ...} or NAME<TAB>{"error": ...} per case to the answers file
 * for scripts/cases.py check account. Built with -std=c11 -Wall -Wextra -Werror, run under
 * valgrind; ends with "N passed, N failed" for its own API checks. */
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

static const char *DETAILS =
    "{\"UserDetailList\": [{\"UserName\": \"alice\", \"UserId\": \"AIDAEXAMPLE\", \"Path\": \"/\","
    " \"Arn\": \"arn:aws:iam::111122223333:user/alice\", \"GroupList\": [\"devs\"]}],"
    " \"GroupDetailList\": [{\"GroupName\": \"devs\", \"Arn\": \"arn:aws:iam::111122223333:group/devs\","
    " \"GroupPolicyList\": [{\"PolicyName\": \"read\", \"PolicyDocument\": \"%7B%22Version%22%3A%222012-10-17%22%2C"
    "%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%7D%7D\"}]}],"
    " \"RoleDetailList\": [], \"Policies\": []}";

static int has(const char *s, const char *needle) { return s != NULL && strstr(s, needle) != NULL; }

static void *query_in_thread(void *arg) {
  const IamkitAccount *account = arg;
  for (int i = 0; i < 200; i++) {
    char *out = NULL, *err = NULL;
    IamkitStatus st = iamkit_account_query_json(
        account, "{\"query\": \"whoCan\", \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\"}", &out, &err);
    int ok = st == IAMKIT_STATUS_OK && has(out, "user/alice");
    iamkit_string_free(out);
    iamkit_string_free(err);
    if (!ok) return (void *)1;
  }
  return NULL;
}

static void test_api(void) {
  IamkitAccount *account = NULL;
  char *err = NULL, *out = NULL;
  CHECK(iamkit_account_new(DETAILS, NULL, &account, &err) == IAMKIT_STATUS_OK && account != NULL && err == NULL,
        "an account loads (a URL-encoded group policy)");

  CHECK(iamkit_account_query_json(account,
                                  "{\"query\": \"evaluate\", \"principal\": \"alice\", \"action\": \"s3:GetObject\","
                                  " \"resource\": \"arn:aws:s3:::b/k\"}",
                                  &out, &err) == IAMKIT_STATUS_OK &&
            has(out, "\"decision\":\"allowed\"") && has(out, "group/devs inline policy read"),
        "the group's policy allows alice, and the explanation names it");
  iamkit_string_free(out);
  out = NULL;

  CHECK(iamkit_account_query_json(account, "{\"query\": \"evaluate\", \"principal\": \"bob\", \"action\": \"s3:GetObject\","
                                           " \"resource\": \"*\"}", &out, &err) == IAMKIT_STATUS_INPUT &&
            out == NULL && has(err, "IAM_ACCOUNT_PRINCIPAL"),
        "an unknown principal is IAM_ACCOUNT_PRINCIPAL, and nothing is written to out");
  iamkit_string_free(err);
  err = NULL;

  CHECK(iamkit_account_query_json(account, NULL, &out, &err) == IAMKIT_STATUS_INVALID_ARGUMENT && has(err, "IAM_INVALID_ARGUMENT"),
        "a NULL query is an invalid argument");
  iamkit_string_free(err);
  err = NULL;
  CHECK(iamkit_account_query_json(NULL, "{}", &out, &err) == IAMKIT_STATUS_INVALID_ARGUMENT, "a NULL account is an invalid argument");
  iamkit_string_free(err);
  err = NULL;

  pthread_t threads[4];
  for (int i = 0; i < 4; i++) pthread_create(&threads[i], NULL, query_in_thread, account);
  int thread_failures = 0;
  for (int i = 0; i < 4; i++) {
    void *r = NULL;
    pthread_join(threads[i], &r);
    thread_failures += r != NULL;
  }
  CHECK(thread_failures == 0, "one account queried from four threads at once");
  iamkit_account_free(account);
  iamkit_account_free(NULL);

  IamkitAccount *bad = NULL;
  CHECK(iamkit_account_new("{\"UserDetailList\": [{\"Arn\": \"arn:aws:iam::111122223333:user/x\"}]}", NULL, &bad, &err) ==
                IAMKIT_STATUS_INPUT &&
            bad == NULL && has(err, "IAM_ACCOUNT_DATA") && has(err, "UserName"),
        "a user without a name is IAM_ACCOUNT_DATA naming the field");
  iamkit_string_free(err);
  err = NULL;

  CHECK(iamkit_credentials_json("{\"Code\": \"Success\", \"LastUpdated\": \"2026-11-23T08:00:00Z\", \"Type\": \"AWS-HMAC\","
                                " \"AccessKeyId\": \"ASIAEXAMPLE\", \"SecretAccessKey\": \"s3cr3t\", \"Token\": \"tok\","
                                " \"Expiration\": \"2026-11-23T14:00:00Z\"}",
                                "2026-11-23T15:00:00Z", &out, &err) == IAMKIT_STATUS_OK &&
            has(out, "\"expired\":true") && has(out, "\"keyKind\":\"temporary\"") && !has(out, "s3cr3t"),
        "an instance-metadata credential document: expired, temporary, no secret in the report");
  iamkit_string_free(out);
  out = NULL;
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
    char *name = strtok(line, "\t"), *details = strtok(NULL, "\t"), *options = strtok(NULL, "\t"),
         *query = strtok(NULL, "\t");
    if (name == NULL || details == NULL || options == NULL || query == NULL) continue;
    IamkitAccount *account = NULL;
    char *answer = NULL, *err = NULL;
    IamkitStatus st = iamkit_account_new(details, strcmp(options, "-") == 0 ? NULL : options, &account, &err);
    if (st == IAMKIT_STATUS_OK) st = iamkit_account_query_json(account, query, &answer, &err);
    if (st == IAMKIT_STATUS_OK) {
      fprintf(out, "%s\t{\"answer\": %s}\n", name, answer);
    } else {
      fprintf(out, "%s\t{\"error\": %s}\n", name, err);
    }
    iamkit_string_free(answer);
    iamkit_string_free(err);
    iamkit_account_free(account);
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
    CHECK(n > 50, "the account cases are there");
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

/* The conformance corpus through the C ABI: reads the tab-separated stream that
 * `iamkit-conformance emit --format tsv` writes (open<TAB>H<TAB>KIND<TAB>INPUT,
 * call<TAB>ID<TAB>H or -<TAB>NAME<TAB>INPUT) and writes one answer line per call,
 * {"id":ID,"answer":...} or {"id":ID,"error":...}, for `iamkit-conformance check`. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iamkit.h"

#define MAX_HANDLES 4096

struct slot {
  char name[32];
  IamkitHandle *handle; /* NULL when opening failed */
  char *error;          /* the open's error JSON */
};

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s CALLS.tsv ANSWERS.jsonl\n", argv[0]);
    return 2;
  }
  FILE *in = fopen(argv[1], "r"), *out = fopen(argv[2], "w");
  if (in == NULL || out == NULL) {
    fprintf(stderr, "cannot open %s or %s\n", argv[1], argv[2]);
    return 2;
  }
  static struct slot slots[MAX_HANDLES];
  int n_slots = 0, calls = 0;
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, in) > 0) {
    line[strcspn(line, "\n")] = '\0';
    char *what = strtok(line, "\t");
    if (what == NULL) continue;
    if (strcmp(what, "open") == 0) {
      char *name = strtok(NULL, "\t"), *kind = strtok(NULL, "\t"), *input = strtok(NULL, "");
      if (name == NULL || kind == NULL || input == NULL) return 2;
      if (n_slots == MAX_HANDLES) {
        fprintf(stderr, "more than %d handles in %s: raise MAX_HANDLES\n", MAX_HANDLES, argv[1]);
        return 2;
      }
      struct slot *s = &slots[n_slots++];
      snprintf(s->name, sizeof s->name, "%s", name);
      s->handle = NULL;
      s->error = NULL;
      iamkit_open(kind, input, &s->handle, &s->error);
      continue;
    }
    char *id = strtok(NULL, "\t"), *on = strtok(NULL, "\t"), *name = strtok(NULL, "\t"), *input = strtok(NULL, "");
    if (id == NULL || on == NULL || name == NULL || input == NULL) return 2;
    char *answer = NULL, *err = NULL;
    const char *error = NULL;
    if (strcmp(on, "-") == 0) {
      iamkit_call(name, input, &answer, &err);
    } else {
      struct slot *s = NULL;
      for (int i = 0; i < n_slots; i++)
        if (strcmp(slots[i].name, on) == 0) s = &slots[i];
      if (s == NULL) return 2;
      if (s->handle == NULL)
        error = s->error;
      else
        iamkit_handle_call(s->handle, name, input, &answer, &err);
    }
    if (error == NULL) error = err;
    if (answer != NULL)
      fprintf(out, "{\"id\":%s,\"answer\":%s}\n", id, answer);
    else
      fprintf(out, "{\"id\":%s,\"error\":%s}\n", id, error != NULL ? error : "null");
    iamkit_string_free(answer);
    iamkit_string_free(err);
    calls++;
  }
  for (int i = 0; i < n_slots; i++) {
    iamkit_handle_free(slots[i].handle);
    iamkit_string_free(slots[i].error);
  }
  free(line);
  fclose(in);
  fclose(out);
  fprintf(stderr, "c: %d calls answered\n", calls);
  return 0;
}

/* How long PCRE2's JIT takes, called from C, to find every match of the PII detector's
 * patterns in each document: the matching part of a compiled detection core, measured
 * before deciding to build one. Driven by benchmarks/pcre2_matching.py, which writes the
 * two input files and compiles this file; not part of Ethos.
 *
 * Input files: patterns as records (u32 length, u32 flags: 1 caseless, 2 multiline,
 * 4 dotall, 8 extended; then the UTF-8 pattern), at most 64; texts as records (u32 length,
 * u64 mask of the patterns to run on it, then the UTF-8 text). Each pattern of a text's
 * mask runs over the whole text as Python's finditer would (an empty match moves on by
 * one character). With ROUNDS > 0, prints one line per round: matches, CPU us per
 * document; with ROUNDS = 0, prints every match once as "document pattern start end" in
 * bytes, for the driver to compare with Python's.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned char *read_all(const char *path, size_t *size) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) { perror(path); exit(2); }
    fseek(file, 0, SEEK_END);
    *size = (size_t)ftell(file);
    rewind(file);
    unsigned char *data = malloc(*size ? *size : 1);
    if (data == NULL || fread(data, 1, *size, file) != *size) { perror(path); exit(2); }
    fclose(file);
    return data;
}

static uint32_t u32_at(const unsigned char *data) {
    uint32_t value;
    memcpy(&value, data, 4);
    return value;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s PATTERNS TEXTS ROUNDS\n", argv[0]); return 2; }
    size_t pattern_bytes, text_bytes;
    unsigned char *patterns = read_all(argv[1], &pattern_bytes);
    unsigned char *texts = read_all(argv[2], &text_bytes);
    int rounds = atoi(argv[3]);

    size_t count = 0, offset = 0;
    for (; offset < pattern_bytes; count++) offset += 8 + u32_at(patterns + offset);
    if (count > 64) { fprintf(stderr, "more than 64 patterns\n"); return 2; }
    pcre2_code **codes = calloc(count, sizeof *codes);
    offset = 0;
    for (size_t i = 0; i < count; i++) {
        uint32_t length = u32_at(patterns + offset), flags = u32_at(patterns + offset + 4);
        uint32_t options = PCRE2_UTF | PCRE2_UCP;
        if (flags & 1) options |= PCRE2_CASELESS;
        if (flags & 2) options |= PCRE2_MULTILINE;
        if (flags & 4) options |= PCRE2_DOTALL;
        if (flags & 8) options |= PCRE2_EXTENDED;
        int error;
        PCRE2_SIZE where;
        codes[i] = pcre2_compile(patterns + offset + 8, length, options, &error, &where, NULL);
        if (codes[i] == NULL) {
            PCRE2_UCHAR message[256];
            pcre2_get_error_message(error, message, sizeof message);
            fprintf(stderr, "pattern %zu does not compile: %s (offset %zu)\n", i, message, where);
            return 1;
        }
        if (pcre2_jit_compile(codes[i], PCRE2_JIT_COMPLETE) != 0) {
            fprintf(stderr, "pattern %zu: no JIT\n", i);
            return 1;
        }
        offset += 8 + length;
    }

    size_t documents = 0;
    for (offset = 0; offset < text_bytes; documents++) offset += 12 + u32_at(texts + offset);
    const unsigned char **starts = calloc(documents, sizeof *starts);
    size_t *lengths = calloc(documents, sizeof *lengths);
    uint64_t *masks = calloc(documents, sizeof *masks);
    offset = 0;
    for (size_t d = 0; d < documents; d++) {
        lengths[d] = u32_at(texts + offset);
        memcpy(&masks[d], texts + offset + 4, 8);
        starts[d] = texts + offset + 12;
        offset += 12 + lengths[d];
    }

    pcre2_match_data *match = pcre2_match_data_create(32, NULL);
    pcre2_jit_stack *stack = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
    pcre2_match_context *context = pcre2_match_context_create(NULL);
    pcre2_jit_stack_assign(context, NULL, stack);
    int dump = rounds == 0;
    if (dump) rounds = 1;
    for (int round = 0; round < rounds; round++) {
        long found = 0;
        struct timespec before, after;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &before);
        for (size_t d = 0; d < documents; d++) {
            const unsigned char *text = starts[d];
            size_t length = lengths[d];
            for (size_t p = 0; p < count; p++) {
                if (!(masks[d] >> p & 1)) continue;
                PCRE2_SIZE at = 0;
                while (at <= length) {
                    int rc = pcre2_jit_match(codes[p], text, length, at, 0, match, context);
                    if (rc < 0) break;
                    PCRE2_SIZE *span = pcre2_get_ovector_pointer(match);
                    found++;
                    if (dump) printf("%zu %zu %zu %zu\n", d, p, (size_t)span[0], (size_t)span[1]);
                    if (span[1] > span[0]) {
                        at = span[1];
                    } else {  /* an empty match: on by one character */
                        at = span[1] + 1;
                        while (at < length && (text[at] & 0xC0) == 0x80) at++;
                    }
                }
            }
        }
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &after);
        double micros = ((double)(after.tv_sec - before.tv_sec) * 1e9
                         + (double)(after.tv_nsec - before.tv_nsec)) / 1e3;
        if (!dump) printf("%ld %.3f\n", found, micros / (double)documents);
    }
    return 0;
}

// libFuzzer's driver (in the runtime -sanitize=fuzzer links), declared for the harness's main.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#include "CVellumTesting.h"

__attribute__((noinline)) uintptr_t vellum_frame_address(void) {
    return (uintptr_t)__builtin_frame_address(0);
}

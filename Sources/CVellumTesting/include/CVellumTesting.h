#ifndef CVELLUM_TESTING_H
#define CVELLUM_TESTING_H

#include <stdint.h>

/// The address of this function's own stack frame: a measure of how deep in its thread's
/// stack the caller runs. Taken from the frame pointer rather than the address of a local,
/// because AddressSanitizer moves locals whose address is taken to a "fake stack" on the heap.
uintptr_t vellum_frame_address(void);

#endif

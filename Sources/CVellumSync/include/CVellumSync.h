#ifndef CVELLUM_SYNC_H
#define CVELLUM_SYNC_H

// ThreadSanitizer's happens-before annotations, for locks it cannot see. The symbols are weak:
// in a build without ThreadSanitizer they resolve to null and each call is one untaken branch.
extern void __tsan_acquire(void *address) __attribute__((weak));
extern void __tsan_release(void *address) __attribute__((weak));

static inline void vellum_tsan_acquire(void *address) {
    if (__tsan_acquire) __tsan_acquire(address);
}

static inline void vellum_tsan_release(void *address) {
    if (__tsan_release) __tsan_release(address);
}

#endif

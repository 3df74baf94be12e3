// The annotations are inline functions in the header; SwiftPM wants one source file per C target.
#include "CVellumSync.h"

#include "core/normalizer.h"

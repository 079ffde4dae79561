#include "core/references.h"

#include "core/analyzer.h"

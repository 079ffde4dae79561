#include "core/searcher.h"

#include "core/index_reader.h"

#include "core/index_writer.h"

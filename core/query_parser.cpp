#include "core/query_parser.h"

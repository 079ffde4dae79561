#include "core/parser.h"

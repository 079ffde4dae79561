#include "core/dates.h"

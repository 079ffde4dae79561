#include "core/gazetteer.h"

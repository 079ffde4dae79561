#include "searchd/config.h"

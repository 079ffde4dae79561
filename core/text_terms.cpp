#include "core/text_terms.h"

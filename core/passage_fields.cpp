#include "core/passage_fields.h"

#include "core/snippet.h"

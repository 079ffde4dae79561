#include "searchd/http_server.h"

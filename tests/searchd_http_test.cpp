#include <catch2/catch.hpp>

TEST_CASE("searchd_http placeholder", "[.]") {}

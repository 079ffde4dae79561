#include <catch2/catch.hpp>

TEST_CASE("utf8 placeholder", "[.]") {}

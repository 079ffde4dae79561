#include <catch2/catch.hpp>

TEST_CASE("snippet placeholder", "[.]") {}

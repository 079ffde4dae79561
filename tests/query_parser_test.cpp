#include <catch2/catch.hpp>

TEST_CASE("query_parser placeholder", "[.]") {}

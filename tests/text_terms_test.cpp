#include <catch2/catch.hpp>

TEST_CASE("text_terms placeholder", "[.]") {}

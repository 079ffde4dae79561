#include <catch2/catch.hpp>

TEST_CASE("passage_fields placeholder", "[.]") {}

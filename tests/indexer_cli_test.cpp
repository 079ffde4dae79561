#include <catch2/catch.hpp>

TEST_CASE("indexer_cli placeholder", "[.]") {}

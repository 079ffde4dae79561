// searchd/static_files: path resolution under the web root (traversal, symlinks, hidden files)
// and Content-Types.
#include <catch2/catch.hpp>

#include <filesystem>

#include "searchd/static_files.h"
#include "tests/support/test_support.h"

using namespace treaty;
using treaty::searchd::content_type_for;
using treaty::searchd::read_static_file;
using treaty::searchd::resolve_static_path;
namespace fs = std::filesystem;

namespace {

// root/ with index.html, app.js, css/style.css, .hidden; a secret file beside root; symlinks
// inside root pointing in and out.
struct WebTree {
  test::TempDir dir;
  fs::path root = dir.path() / "web";
  WebTree() {
    fs::create_directories(root / "css");
    fs::create_directories(root / "sub");
    test::write_file(root / "index.html", "<!doctype html>");
    test::write_file(root / "app.js", "1;");
    test::write_file(root / "css" / "style.css", "a{}");
    test::write_file(root / "sub" / "index.html", "sub");
    test::write_file(root / ".hidden", "no");
    test::write_file(dir.path() / "secret.txt", "secret");
    fs::create_symlink(dir.path() / "secret.txt", root / "escape.txt");
    fs::create_directory_symlink(dir.path(), root / "up");
    fs::create_symlink(root / "app.js", root / "alias.js");
  }
};

}  // namespace

TEST_CASE("resolve_static_path serves files under the root", "[static_files]") {
  WebTree t;
  const fs::path root = fs::canonical(t.root);
  CHECK(resolve_static_path(t.root, "/") == root / "index.html");
  CHECK(resolve_static_path(t.root, "/index.html") == root / "index.html");
  CHECK(resolve_static_path(t.root, "/app.js") == root / "app.js");
  CHECK(resolve_static_path(t.root, "/css/style.css") == root / "css" / "style.css");
  CHECK(resolve_static_path(t.root, "/sub/") == root / "sub" / "index.html");
  CHECK(resolve_static_path(t.root, "/alias.js") == root / "app.js");  // a symlink staying inside
  REQUIRE(read_static_file(root / "app.js") == std::optional<std::string>("1;"));
}

TEST_CASE("resolve_static_path refuses traversal and odd paths", "[static_files]") {
  WebTree t;
  for (const char* path : {"", "index.html", "/missing.js", "/css", "/sub", "/..", "/../secret.txt",
                           "/css/../app.js", "/./app.js", "/css//style.css", "//app.js", "/.hidden",
                           "/%2e%2e/secret.txt", "/%252e%252e/secret.txt", "/css\\..\\app.js",
                           "/escape.txt", "/up/secret.txt", "/缔约方.html",
                           "/app.js?x=1"}) {
    INFO(path);
    CHECK_FALSE(resolve_static_path(t.root, path));
  }
  CHECK_FALSE(resolve_static_path(t.root, "/" + t.root.string() + "/app.js"));  // absolute path inside
  CHECK_FALSE(resolve_static_path(t.root, std::string("/app.js\0", 8)));
  CHECK_FALSE(resolve_static_path(t.root, "/" + std::string(2000, 'a')));
  CHECK_FALSE(resolve_static_path("", "/"));
  CHECK_FALSE(resolve_static_path(t.dir.path() / "none", "/"));
}

TEST_CASE("content_type_for maps extensions", "[static_files]") {
  CHECK(content_type_for("index.html") == "text/html; charset=utf-8");
  CHECK(content_type_for("a/b/INDEX.HTML") == "text/html; charset=utf-8");
  CHECK(content_type_for("app.js") == "text/javascript; charset=utf-8");
  CHECK(content_type_for("style.css") == "text/css; charset=utf-8");
  CHECK(content_type_for("x.svg") == "image/svg+xml");
  CHECK(content_type_for("x.png") == "image/png");
  CHECK(content_type_for("data.json") == "application/json; charset=utf-8");
  CHECK(content_type_for("README") == "application/octet-stream");
  CHECK(content_type_for("x.exe") == "application/octet-stream");
}

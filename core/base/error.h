// Expected failures travel as values (std::expected<T, Error>); a broken environment throws.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace treaty {

// An expected failure, ready to show to a user: "file:line: message".
struct Error {
  std::string message;  // what went wrong, in plain words
  std::string file;     // the file it is about; empty when none
  int line = 0;         // 1-based line in `file`; 0 when none applies

  // "file:line: message", "file: message" or "message", as much as is known.
  std::string describe() const {
    std::string out;
    if (!file.empty()) {
      out += file;
      if (line > 0) out += ":" + std::to_string(line);
      out += ": ";
    }
    return out + message;
  }
};

template <class T>
using Expected = std::expected<T, Error>;

// Shorthand for `return fail("...", file, line);` in functions returning Expected<T>.
inline std::unexpected<Error> fail(std::string message, std::string file = {}, int line = 0) {
  return std::unexpected<Error>(Error{std::move(message), std::move(file), line});
}

}  // namespace treaty

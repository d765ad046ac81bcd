// Internal helpers around casevault::Error.
#pragma once

#include <string>

#include "casevault/error.hpp"

namespace casevault {

[[noreturn]] inline void fail(Errc code, const std::string& message) { throw Error(code, message); }

}  // namespace casevault

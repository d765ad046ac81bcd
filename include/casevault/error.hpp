// casevault's error model for C++: every failing call throws casevault::Error.
//
// The numeric codes are frozen and shared with the C API (casevault.h), where
// they are returned as negative ints. A failed call leaves the store as it was:
// each operation runs in one transaction that is rolled back on error.
// Messages never contain personal data.
#pragma once

#include <stdexcept>
#include <string>

#include "casevault/export.hpp"

namespace casevault {

enum class Errc : int {
    ok = 0,
    internal = -1,          // a bug or an unexpected engine failure
    invalid_argument = -2,  // bad input; nothing was changed
    not_found = -3,         // no such record
    wrong_key = -4,         // the passphrase or key does not open this store
    corrupt = -5,           // not a casevault store, damaged or tampered with
    locked = -6,            // another connection holds the store; retry later
    duplicate = -7,         // a unique value (email, phone) is already taken
    no_codec = -8,          // the SQLite in this process cannot encrypt: refused
    io = -9,                // the file system refused (permissions, disk full)
    cancelled = -10,        // a progress callback asked to stop; nothing changed
    closed = -11,           // the vault was closed
    access_denied = -12,    // the acting principal may not do this (AccessDenied names the rule)
    unsupported = -13,      // the store needs a newer casevault, or vice versa
    expired = -14,          // a one-time code or deadline has passed
    disclosure_refused = -15,  // no disclosure rule of the policy allows it (DisclosureRefused names why)
};

// A short stable name for a code, e.g. "wrong_key".
CASEVAULT_EXPORT const char* errc_name(Errc code) noexcept;

class CASEVAULT_EXPORT Error : public std::runtime_error {
public:
    Error(Errc code, const std::string& message);
    Errc code() const noexcept { return code_; }

private:
    Errc code_;
};

}  // namespace casevault

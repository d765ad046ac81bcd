// Blind indexes: a keyed hash of a normalised value, with its own key per
// indexed column, so equal values can be found without decrypting and a
// digest from one column says nothing about another.
#pragma once

#include <map>
#include <string>

#include "crypto/primitives.hpp"
#include "crypto/secure_memory.hpp"

namespace casevault::crypto {

constexpr std::size_t kBlindIndexBytes = 16;

class BlindIndexer {
public:
    explicit BlindIndexer(const SecretBytes& root) : root_(root.clone()) {}

    // column names the index, e.g. "accounts.email"; normalized is the
    // already-normalised value.
    Bytes digest(const std::string& column, const std::string& normalized);

private:
    const SecretBytes& column_key(const std::string& column);
    SecretBytes root_;
    std::map<std::string, SecretBytes> keys_;
};

}  // namespace casevault::crypto

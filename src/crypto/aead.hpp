// XChaCha20-Poly1305 sealing of fields and wrapping of data keys. A sealed
// value is nonce (24 bytes) || ciphertext || tag (16 bytes); the associated
// data is never stored, the caller rebuilds it from where the value lives.
#pragma once

#include <optional>
#include <string>

#include "crypto/primitives.hpp"
#include "crypto/secure_memory.hpp"

namespace casevault::crypto {

Bytes seal(const SecretBytes& key, const std::string& plaintext, const std::string& ad);
// nullopt if the value was altered, moved or sealed under another key.
std::optional<std::string> open(const SecretBytes& key, const Bytes& sealed, const std::string& ad);

Bytes wrap_key(const SecretBytes& kek, const SecretBytes& key, const std::string& ad);
std::optional<SecretBytes> unwrap_key(const SecretBytes& kek, const Bytes& wrapped,
                                      const std::string& ad);

SecretBytes random_key();

// Associated data for a field: binds it to table, column, row and key version.
std::string field_ad(const char* table, const char* column, const std::string& row_id,
                     int key_version);

}  // namespace casevault::crypto

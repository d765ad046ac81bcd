// The key hierarchy.
//
//   passphrase --Argon2id(salt, params)--+
//                                        +--> master key (32 bytes)
//   raw host key (32 bytes) -------------+
//        master --crypto_kdf--> page key      (SQLCipher page encryption)
//                           --> KEK           (wraps per-subject data keys)
//                           --> blind-index root --BLAKE2b(column)--> per-column keys
//                           --> audit key     (keyed hash chain of the audit log)
#pragma once

#include <cstdint>
#include <string>

#include "crypto/secure_memory.hpp"

namespace casevault::crypto {

constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kSaltBytes = 16;  // crypto_pwhash_SALTBYTES

struct PurposeKeys {
    SecretBytes page;
    SecretBytes kek;
    SecretBytes blind_index_root;
    SecretBytes audit;
};

// Throws Error(invalid_argument) for out-of-range parameters.
SecretBytes derive_master_from_passphrase(const SecretBytes& passphrase,
                                          const unsigned char salt[kSaltBytes],
                                          std::uint32_t opslimit, std::uint32_t memlimit_log2);

PurposeKeys derive_purpose_keys(const SecretBytes& master);

void check_kdf_params(std::uint32_t opslimit, std::uint32_t memlimit_log2);

}  // namespace casevault::crypto

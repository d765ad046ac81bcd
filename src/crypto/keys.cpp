#include "crypto/keys.hpp"

#include <sodium.h>

#include "common/error.hpp"
#include "crypto/primitives.hpp"

namespace casevault::crypto {

namespace {
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "casevlt1";
enum SubkeyId : std::uint64_t { kPage = 1, kKek = 2, kBlindIndex = 3, kAudit = 4 };

SecretBytes subkey(const SecretBytes& master, std::uint64_t id) {
    SecretBytes out(kKeyBytes);
    if (crypto_kdf_derive_from_key(out.data(), out.size(), id, kKdfContext, master.data()) != 0) {
        fail(Errc::internal, "key derivation failed");
    }
    return out;
}
}  // namespace

void check_kdf_params(std::uint32_t opslimit, std::uint32_t memlimit_log2) {
    if (opslimit < 1 || opslimit > 255) fail(Errc::invalid_argument, "kdf opslimit must be in 1..255");
    if (memlimit_log2 < 13 || memlimit_log2 > 32) {
        fail(Errc::invalid_argument, "kdf memlimit_log2 must be in 13..32 (8 KiB .. 4 GiB)");
    }
}

SecretBytes derive_master_from_passphrase(const SecretBytes& passphrase,
                                          const unsigned char salt[kSaltBytes],
                                          std::uint32_t opslimit, std::uint32_t memlimit_log2) {
    init();
    check_kdf_params(opslimit, memlimit_log2);
    if (passphrase.empty()) fail(Errc::invalid_argument, "passphrase must not be empty");
    SecretBytes master(kKeyBytes);
    const std::size_t memlimit = std::size_t{1} << memlimit_log2;
    if (crypto_pwhash(master.data(), master.size(),
                      reinterpret_cast<const char*>(passphrase.data()), passphrase.size(), salt,
                      opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        fail(Errc::internal, "Argon2id ran out of memory");
    }
    return master;
}

PurposeKeys derive_purpose_keys(const SecretBytes& master) {
    init();
    if (master.size() != kKeyBytes) fail(Errc::invalid_argument, "a key must be 32 bytes");
    return PurposeKeys{subkey(master, kPage), subkey(master, kKek), subkey(master, kBlindIndex),
                       subkey(master, kAudit)};
}

}  // namespace casevault::crypto

#include "crypto/aead.hpp"

#include <sodium.h>

#include "common/error.hpp"
#include "crypto/keys.hpp"

namespace casevault::crypto {

namespace {
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

Bytes seal_raw(const unsigned char* key, const unsigned char* msg, std::size_t len,
               const std::string& ad) {
    Bytes out(kNonce + len + kTag);
    random_bytes(out.data(), kNonce);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        out.data() + kNonce, &clen, msg, len, reinterpret_cast<const unsigned char*>(ad.data()),
        ad.size(), nullptr, out.data(), key);
    return out;
}

bool open_raw(unsigned char* out, const unsigned char* key, const Bytes& sealed,
              const std::string& ad) {
    unsigned long long mlen = 0;
    return crypto_aead_xchacha20poly1305_ietf_decrypt(
               out, &mlen, nullptr, sealed.data() + kNonce, sealed.size() - kNonce, 
               reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), sealed.data(),
               key) == 0;
}
}  // namespace

Bytes seal(const SecretBytes& key, const std::string& plaintext, const std::string& ad) {
    init();
    return seal_raw(key.data(), reinterpret_cast<const unsigned char*>(plaintext.data()),
                    plaintext.size(), ad);
}

std::optional<std::string> open(const SecretBytes& key, const Bytes& sealed, const std::string& ad) {
    if (sealed.size() < kNonce + kTag) return std::nullopt;
    std::string out(sealed.size() - kNonce - kTag, '\0');
    if (!open_raw(reinterpret_cast<unsigned char*>(out.data()), key.data(), sealed, ad)) {
        return std::nullopt;
    }
    return out;
}

Bytes wrap_key(const SecretBytes& kek, const SecretBytes& key, const std::string& ad) {
    init();
    return seal_raw(kek.data(), key.data(), key.size(), ad);
}

std::optional<SecretBytes> unwrap_key(const SecretBytes& kek, const Bytes& wrapped,
                                      const std::string& ad) {
    if (wrapped.size() != kNonce + kKeyBytes + kTag) return std::nullopt;
    SecretBytes out(kKeyBytes);
    if (!open_raw(out.data(), kek.data(), wrapped, ad)) return std::nullopt;
    return out;
}

SecretBytes random_key() {
    SecretBytes k(kKeyBytes);
    random_bytes(k.data(), k.size());
    return k;
}

std::string field_ad(const char* table, const char* column, const std::string& row_id,
                     int key_version) {
    // Unit separators keep the parts unambiguous; none of them can contain one.
    std::string ad = "cv1\x1f";
    ad += table;
    ad += '\x1f';
    ad += column;
    ad += '\x1f';
    ad += row_id;
    ad += '\x1f';
    ad += std::to_string(key_version);
    return ad;
}

}  // namespace casevault::crypto

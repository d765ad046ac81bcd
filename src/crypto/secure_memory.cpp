#include "crypto/secure_memory.hpp"

#include <sodium.h>

#include <cstring>
#include <utility>

#include "common/error.hpp"
#include "crypto/primitives.hpp"

namespace casevault::crypto {

SecretBytes::SecretBytes(std::size_t size) : size_(size) {
    init();
    if (size == 0) return;
    data_ = static_cast<unsigned char*>(sodium_malloc(size));
    if (data_ == nullptr) {
        size_ = 0;
        fail(Errc::internal, "secure memory allocation failed");
    }
    sodium_memzero(data_, size);
}

SecretBytes::SecretBytes(const unsigned char* data, std::size_t size) : SecretBytes(size) {
    if (size > 0) std::memcpy(data_, data, size);
}

SecretBytes::~SecretBytes() { release(); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

SecretBytes SecretBytes::clone() const { return SecretBytes(data_, size_); }

void SecretBytes::release() noexcept {
    if (data_ != nullptr) sodium_free(data_);  // sodium_free wipes before freeing
    data_ = nullptr;
    size_ = 0;
}

SecretBytes secret_from_string(const std::string& s) {
    return SecretBytes(reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

}  // namespace casevault::crypto

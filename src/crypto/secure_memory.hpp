// Secret bytes in sodium_malloc'd memory (guard pages, no swap where the OS
// allows, wiped when freed).
#pragma once

#include <cstddef>
#include <string>

namespace casevault::crypto {

class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(std::size_t size);
    SecretBytes(const unsigned char* data, std::size_t size);
    ~SecretBytes();

    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;

    SecretBytes clone() const;

    unsigned char* data() noexcept { return data_; }
    const unsigned char* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }

private:
    void release() noexcept;
    unsigned char* data_ = nullptr;
    std::size_t size_ = 0;
};

// A passphrase copied into secure memory.
SecretBytes secret_from_string(const std::string& s);

}  // namespace casevault::crypto

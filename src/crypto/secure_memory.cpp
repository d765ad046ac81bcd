#include "crypto/secure_memory.hpp"

#include <sodium.h>

#include <cstring>
#include <mutex>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "crypto/primitives.hpp"

namespace casevault::crypto {

namespace {

// sodium_malloc costs an mmap, two mprotects and a munmap (TLB flushes on
// every core): far too slow for the per-record data keys. Small secrets are
// therefore carved from slabs that are themselves sodium_malloc'd (guard
// pages, mlock'd, wiped), and wiped again when a slot is returned.
class SlotPool {
public:
    static constexpr std::size_t kSlot = 64;
    static constexpr std::size_t kSlotsPerSlab = 256;

    unsigned char* take() {
        std::lock_guard<std::mutex> lock(mu_);
        if (free_.empty()) grow();
        unsigned char* p = free_.back();
        free_.pop_back();
        return p;
    }
    void give(unsigned char* p) {
        sodium_memzero(p, kSlot);
        std::lock_guard<std::mutex> lock(mu_);
        free_.push_back(p);
    }

private:
    void grow() {
        auto* slab = static_cast<unsigned char*>(sodium_malloc(kSlot * kSlotsPerSlab));
        if (slab == nullptr) fail(Errc::internal, "secure memory allocation failed");
        sodium_memzero(slab, kSlot * kSlotsPerSlab);
        for (std::size_t i = 0; i < kSlotsPerSlab; ++i) free_.push_back(slab + i * kSlot);
    }
    std::mutex mu_;
    std::vector<unsigned char*> free_;  // slabs live until the process ends
};

SlotPool& pool() {
    static SlotPool* p = new SlotPool();  // never destroyed: keys may be freed during exit
    return *p;
}

}  // namespace

SecretBytes::SecretBytes(std::size_t size) : size_(size) {
    init();
    if (size == 0) return;
    data_ = size <= SlotPool::kSlot ? pool().take() : static_cast<unsigned char*>(sodium_malloc(size));
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
    if (data_ != nullptr) {
        if (size_ <= SlotPool::kSlot) pool().give(data_);
        else sodium_free(data_);  // sodium_free wipes before freeing
    }
    data_ = nullptr;
    size_ = 0;
}

SecretBytes secret_from_string(const std::string& s) {
    return SecretBytes(reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

}  // namespace casevault::crypto

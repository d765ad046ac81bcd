#include "common/process.hpp"

#include <pthread.h>

#include <atomic>

namespace casevault {

namespace {
std::atomic<unsigned> g_generation{0};
void in_child() { g_generation.fetch_add(1); }
const int g_registered = pthread_atfork(nullptr, nullptr, in_child);
}  // namespace

unsigned fork_generation() {
    (void)g_registered;
    return g_generation.load(std::memory_order_relaxed);
}

}  // namespace casevault

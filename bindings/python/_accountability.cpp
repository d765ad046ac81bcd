// placeholder: filled in by issue 6 work
#include "_binding.hpp"
namespace casevault_py {
void bind_accountability(Handle&) {}
}  // namespace casevault_py

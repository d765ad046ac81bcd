// placeholder: filled in by issue 6 work
#include "_binding.hpp"
void bind_accountability(Handle&) {}

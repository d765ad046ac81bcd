// Opaque record ids: a short type prefix and 96 bits in hex, time-ordered
// (48 bits of milliseconds, 48 random bits). They reveal when a record was
// created, to the millisecond, and nothing about the person.
#pragma once

#include <string>

namespace casevault {

std::string new_id(const char* prefix);  // e.g. new_id("acc") -> "acc_3f0c9d2e7a41b8c65d09e1f2"
bool is_valid_id(const std::string& id, const char* prefix);

}  // namespace casevault

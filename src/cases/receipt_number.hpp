// USCIS receipt numbers: three letters naming the service centre or office
// that received the case, then ten digits ("EAC2190012345").
#pragma once

#include <string>
#include <vector>

namespace casevault::cases {

// The office prefixes accepted, in one place.
const std::vector<std::string>& receipt_offices();

// Upper-cases and drops spaces and dashes, then validates. Throws
// Error(invalid_argument) saying what is wrong (unknown office, wrong number
// of digits, letters among the digits) without echoing the value.
std::string normalize_receipt_number(const std::string& raw);

}  // namespace casevault::cases

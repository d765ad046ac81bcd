// Payment card numbers must never be stored: this finds one in free text.
// A candidate is a span of digit groups separated by single spaces or
// dashes ("4111 1111-1111 1111"), 13 to 19 digits in all, that passes the
// Luhn check. Used on every billing field and every free-text field, before
// anything is sealed or logged (issue 4 wires it into the record modules).
#pragma once

#include <string>

namespace casevault {

// True when text contains a card number. Says nothing about where, so the
// caller's error cannot echo it.
bool contains_card_number(const std::string& text);

// The Luhn (mod 10) check over a string of ASCII digits.
bool luhn_valid(const std::string& digits);

}  // namespace casevault

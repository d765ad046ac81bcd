// Payment card numbers must never be stored: this finds one in free text.
// A candidate is a span of digit groups separated by single spaces or
// dashes ("4111 1111-1111 1111"), 13 to 19 digits in all, that passes the
// Luhn check. Used on every billing field and every free-text field, before
// anything is sealed or logged.
#pragma once

#include <string>

namespace casevault {

// True when text contains a card number. Says nothing about where, so the
// caller's error cannot echo it.
bool contains_card_number(const std::string& text);

// Throws Error(invalid_argument) naming the field when text contains a
// card number; the number itself is not echoed.
void refuse_card_number(const std::string& text, const char* field);

// The Luhn (mod 10) check over a string of ASCII digits.
bool luhn_valid(const std::string& digits);

}  // namespace casevault

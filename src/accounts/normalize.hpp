// Validation and normalisation of account fields. The normalised form is
// what blind indexes hash; the sealed value keeps what the person typed
// (trimmed). Rules and limits are documented in docs/architecture.md.
#pragma once

#include <string>

namespace casevault::accounts {

// Trimmed of ASCII whitespace, ASCII letters lower-cased. Throws
// Error(invalid_argument) unless it looks like local@domain.tld.
std::string normalize_email(const std::string& email);

// "+" followed by the digits, separators (space . - / ( )) dropped; a leading
// "00" counts as "+". Requires a country code and 8..15 digits (E.164).
std::string normalize_phone(const std::string& phone);

// Trims; throws invalid_argument when empty (if required), too long, not
// UTF-8, or containing control characters. `field` names the field in errors.
std::string clean_text(const std::string& value, const char* field, std::size_t max_len, bool required);
// The same, saying whether line breaks and tabs are allowed.
std::string clean_text(const std::string& value, const char* field, std::size_t max_len, bool required,
                       bool multiline);

std::string trim(const std::string& s);

}  // namespace casevault::accounts

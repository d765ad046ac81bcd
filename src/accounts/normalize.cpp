#include "accounts/normalize.hpp"

#include "common/error.hpp"

namespace casevault::accounts {

namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool valid_utf8(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        if (c < 0x80) n = 0;
        else if ((c & 0xe0) == 0xc0 && c >= 0xc2) n = 1;
        else if ((c & 0xf0) == 0xe0) n = 2;
        else if ((c & 0xf8) == 0xf0 && c <= 0xf4) n = 3;
        else return false;
        if (i + n >= s.size()) return false;
        const auto c1 = static_cast<unsigned char>(s[i + (n > 0 ? 1 : 0)]);
        // Overlong forms, UTF-16 surrogates and code points above U+10FFFF.
        if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0) || (c == 0xf0 && c1 < 0x90) ||
            (c == 0xf4 && c1 >= 0x90)) {
            return false;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
        }
        i += n + 1;
    }
    return true;
}

bool has_control(const std::string& s, bool allow_newlines) {
    for (unsigned char c : s) {
        if (c == 0x7f) return true;
        if (c < 0x20 && !(allow_newlines && (c == '\n' || c == '\t' || c == '\r'))) return true;
    }
    return false;
}

}  // namespace

std::string trim(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && is_space(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && is_space(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

std::string clean_text(const std::string& value, const char* field, std::size_t max_len, bool required) {
    // Addresses span lines; other account fields are single-line.
    return clean_text(value, field, max_len, required, std::string(field) == "address");
}

std::string clean_text(const std::string& value, const char* field, std::size_t max_len, bool required,
                       bool multiline) {
    std::string t = trim(value);
    if (required && t.empty()) fail(Errc::invalid_argument, std::string(field) + " is required");
    if (t.size() > max_len) {
        fail(Errc::invalid_argument, std::string(field) + " is longer than " + std::to_string(max_len) + " bytes");
    }
    if (!valid_utf8(t)) fail(Errc::invalid_argument, std::string(field) + " is not valid UTF-8");
    if (has_control(t, multiline)) {
        fail(Errc::invalid_argument, std::string(field) + " contains control characters");
    }
    return t;
}

std::string normalize_email(const std::string& email) {
    std::string e = clean_text(email, "email", 254, true);
    for (char& c : e) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    const auto at = e.find('@');
    const bool one_at = at != std::string::npos && e.find('@', at + 1) == std::string::npos;
    if (!one_at || at == 0 || at > 64 || at + 1 >= e.size()) {
        fail(Errc::invalid_argument, "email must have the form local@domain");
    }
    const std::string domain = e.substr(at + 1);
    const auto dot = domain.find('.');
    if (dot == std::string::npos || dot == 0 || domain.back() == '.' ||
        domain.find("..") != std::string::npos) {
        fail(Errc::invalid_argument, "email domain must look like example.com");
    }
    for (unsigned char c : e) {
        if (is_space(c)) fail(Errc::invalid_argument, "email must not contain spaces");
    }
    return e;
}

std::string normalize_phone(const std::string& phone) {
    const std::string p = clean_text(phone, "phone", 64, true);
    std::string digits;
    std::size_t i = 0;
    bool country_code = false;
    if (!p.empty() && p[0] == '+') {
        country_code = true;
        i = 1;
    } else if (p.size() >= 2 && p[0] == '0' && p[1] == '0') {
        country_code = true;
        i = 2;
    }
    if (!country_code) {
        fail(Errc::invalid_argument, "phone must start with a country code: +<country> or 00<country>");
    }
    for (; i < p.size(); ++i) {
        const char c = p[i];
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/') {
            continue;
        } else {
            fail(Errc::invalid_argument, "phone may contain only digits, a leading + and the separators space . - / ( )");
        }
    }
    if (digits.size() < 8 || digits.size() > 15) {
        fail(Errc::invalid_argument, "phone must have 8 to 15 digits including the country code");
    }
    if (digits[0] == '0') fail(Errc::invalid_argument, "a country code cannot start with 0");
    return "+" + digits;
}

}  // namespace casevault::accounts

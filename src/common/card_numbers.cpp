#include "common/card_numbers.hpp"

#include "common/error.hpp"

#include <vector>

namespace casevault {

bool luhn_valid(const std::string& digits) {
    int sum = 0;
    bool twice = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        int d = *it - '0';
        if (twice) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
        twice = !twice;
    }
    return !digits.empty() && sum % 10 == 0;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Checks every span of consecutive groups of one run for 13..19 digits
// passing Luhn. A single group longer than 19 digits is some other number.
bool run_has_card(const std::vector<std::string>& groups) {
    for (std::size_t i = 0; i < groups.size(); ++i) {
        std::string digits;
        for (std::size_t j = i; j < groups.size(); ++j) {
            digits += groups[j];
            if (digits.size() > 19) break;
            if (digits.size() >= 13 && luhn_valid(digits)) return true;
        }
    }
    return false;
}

}  // namespace

bool contains_card_number(const std::string& text) {
    std::vector<std::string> groups;
    std::string group;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const char c = i < text.size() ? text[i] : '\0';
        if (is_digit(c)) {
            group += c;
            continue;
        }
        if (!group.empty()) {
            groups.push_back(group);
            group.clear();
        }
        // One space or dash between two digits continues the run; anything
        // else ends it.
        const bool joins = (c == ' ' || c == '-') && i + 1 < text.size() && is_digit(text[i + 1]) && !groups.empty() &&
                           i > 0 && is_digit(text[i - 1]);
        if (!joins) {
            if (run_has_card(groups)) return true;
            groups.clear();
        }
    }
    return false;
}

void refuse_card_number(const std::string& text, const char* field) {
    if (contains_card_number(text)) {
        fail(Errc::invalid_argument, std::string(field) +
                                         " contains a payment card number; casevault never stores one (keep only "
                                         "the brand and last four digits)");
    }
}

}  // namespace casevault

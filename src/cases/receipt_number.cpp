#include "cases/receipt_number.hpp"

#include <algorithm>

#include "common/error.hpp"

namespace casevault::cases {

const std::vector<std::string>& receipt_offices() {
    // Service centres (EAC Vermont, WAC California, LIN Nebraska, SRC Texas,
    // YSC Potomac), the National Benefits Center, the Missouri Service
    // Center, electronic filing (IOE), and the older centre codes still
    // found on notices (VSC, CSC, NSC, TSC).
    static const std::vector<std::string> offices = {"EAC", "WAC", "LIN", "SRC", "YSC", "NBC", "MSC",
                                                     "IOE", "VSC", "CSC", "NSC", "TSC"};
    return offices;
}

std::string normalize_receipt_number(const std::string& raw) {
    if (raw.size() > 64) fail(Errc::invalid_argument, "a receipt number is 13 characters");
    std::string s;
    for (char c : raw) {
        if (c == ' ' || c == '-') continue;
        s += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    if (s.size() < 3) fail(Errc::invalid_argument, "a receipt number is three letters and ten digits");
    const std::string office = s.substr(0, 3);
    const auto& known = receipt_offices();
    if (std::find(known.begin(), known.end(), office) == known.end()) {
        fail(Errc::invalid_argument, "a receipt number starts with a USCIS office code (EAC, WAC, LIN, SRC, ...)");
    }
    const std::string digits = s.substr(3);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        fail(Errc::invalid_argument, "a receipt number has only digits after the office code");
    }
    if (digits.size() != 10) fail(Errc::invalid_argument, "a receipt number has ten digits after the office code");
    return s;
}

}  // namespace casevault::cases

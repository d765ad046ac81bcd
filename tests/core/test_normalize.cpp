#include <gtest/gtest.h>

#include "accounts/normalize.hpp"
#include "test_util.hpp"

using namespace casevault;
using namespace casevault::accounts;

TEST(Normalize, EmailTrimsAndLowercases) {
    EXPECT_EQ(normalize_email("  Ana.Souza@Example.COM \t"), "ana.souza@example.com");
    EXPECT_EQ(normalize_email("a+tag@sub.example.org"), "a+tag@sub.example.org");  // tags are kept
}

TEST(Normalize, EmailRejectsMalformed) {
    for (const char* bad : {"", "   ", "ana", "ana@", "@example.com", "ana@example", "a@b@example.com",
                            "ana @example.com", "ana@.example.com", "ana@example..com", "ana@example.com."}) {
        EXPECT_CV_ERROR(normalize_email(bad), Errc::invalid_argument);
    }
    EXPECT_CV_ERROR(normalize_email(std::string(65, 'a') + "@example.com"), Errc::invalid_argument);
}

TEST(Normalize, PhoneKeepsCountryCodeAndDigits) {
    EXPECT_EQ(normalize_phone("+1 332 555 0101"), "+13325550101");
    EXPECT_EQ(normalize_phone("+1 (332) 555-0101"), "+13325550101");
    EXPECT_EQ(normalize_phone("001.332.555.0101"), "+13325550101");
    EXPECT_EQ(normalize_phone(" +55 11 91234-5678 "), "+5511912345678");
}

TEST(Normalize, PhoneRejectsMissingCountryCodeAndJunk) {
    for (const char* bad : {"332 555 0101", "+1 332 555 010x", "+1234567", "+1234567890123456", "+0 332 555 0101",
                            "", "+"}) {
        EXPECT_CV_ERROR(normalize_phone(bad), Errc::invalid_argument);
    }
}

TEST(Normalize, TextRejectsControlCharsAndBadUtf8) {
    EXPECT_EQ(clean_text("  José Álvarez ", "name", 200, true), "José Álvarez");
    EXPECT_CV_ERROR(clean_text("a\x01" "b", "name", 200, true), Errc::invalid_argument);
    EXPECT_CV_ERROR(clean_text("\xc3\x28", "name", 200, true), Errc::invalid_argument);
    EXPECT_CV_ERROR(clean_text("\xed\xa0\x80", "name", 200, true), Errc::invalid_argument);  // surrogate
    EXPECT_CV_ERROR(clean_text("abc\xe2\x82", "name", 200, true), Errc::invalid_argument);   // truncated
    EXPECT_CV_ERROR(clean_text(std::string(201, 'x'), "name", 200, true), Errc::invalid_argument);
    EXPECT_CV_ERROR(clean_text("   ", "name", 200, true), Errc::invalid_argument);
    EXPECT_EQ(clean_text("1 Main St\nApt 2", "address", 1000, false), "1 Main St\nApt 2");
}

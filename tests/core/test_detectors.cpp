// Groundwork of issue 4: card numbers in free text, USCIS receipt numbers.
#include "cases/receipt_number.hpp"
#include "common/card_numbers.hpp"
#include "test_util.hpp"

using namespace casevault;

TEST(CardNumbers, LuhnCheck) {
    EXPECT_TRUE(luhn_valid("4111111111111111"));
    EXPECT_TRUE(luhn_valid("378282246310005"));    // Amex, 15 digits
    EXPECT_TRUE(luhn_valid("6011111111111117"));   // Discover
    EXPECT_FALSE(luhn_valid("4111111111111112"));
    EXPECT_FALSE(luhn_valid(""));
}

TEST(CardNumbers, FoundWithSpacesDashesAndAroundText) {
    for (const char* text : {"4111111111111111", "card 4111 1111 1111 1111 thanks", "4111-1111-1111-1111",
                             "pay with 378282246310005.", "ref 12345 4111 1111 1111 1111",
                             "x4111111111111111x", "line one\n6011-1111-1111-1117\nline three",
                             "4222222222222"}) {  // 13 digits
        EXPECT_TRUE(contains_card_number(text)) << text;
    }
}

TEST(CardNumbers, OtherNumbersAreNot) {
    for (const char* text : {"", "no digits here", "+1 332 555 0101", "EAC2190012345", "4111111111111112",
                             "order 4111  1111 1111 1111",  // two spaces end the run
                             "12345678901234567890123",      // one group of 23 digits: some other number
                             "4111 1111 1111 111",            // 15 digits, fails Luhn
                             "born 1985-04-12, case 2021-0042"}) {
        EXPECT_FALSE(contains_card_number(text)) << text;
    }
}

TEST(ReceiptNumbers, NormalizedAndValidated) {
    EXPECT_EQ(cases::normalize_receipt_number("EAC2190012345"), "EAC2190012345");
    EXPECT_EQ(cases::normalize_receipt_number(" eac-219-001-2345 "), "EAC2190012345");
    EXPECT_EQ(cases::normalize_receipt_number("ioe 0912345678"), "IOE0912345678");
    EXPECT_CV_ERROR(cases::normalize_receipt_number("ABC2190012345"), Errc::invalid_argument);  // unknown office
    EXPECT_CV_ERROR(cases::normalize_receipt_number("EAC219001234"), Errc::invalid_argument);   // nine digits
    EXPECT_CV_ERROR(cases::normalize_receipt_number("EAC21900123456"), Errc::invalid_argument); // eleven
    EXPECT_CV_ERROR(cases::normalize_receipt_number("EAC21900I2345"), Errc::invalid_argument);  // a letter
    EXPECT_CV_ERROR(cases::normalize_receipt_number(""), Errc::invalid_argument);
    try {
        cases::normalize_receipt_number("ZZZ9990001111");
        ADD_FAILURE() << "an unknown office must be refused";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).find("ZZZ"), std::string::npos) << "the value is not echoed";
    }
}

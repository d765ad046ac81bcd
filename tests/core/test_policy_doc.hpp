// A small policy document for the core tests, built as JSON so a test can
// change one field and publish the result as a new version.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace cvtest {

inline nlohmann::json test_policy(int version = 1) {
    using nlohmann::json;
    return json{
        {"format", "casevault-policy/1"},
        {"metadata",
         {{"name", "Test tracker"},
          {"version", version},
          {"effective_date", "2026-01-01"},
          {"jurisdiction", "US"},
          {"controller", {{"name", "Test LLC"}, {"contact", "privacy@example.com"}}},
          {"text_url", "https://example.com/privacy"}}},
        {"categories",
         json::array({{{"id", "identity"}, {"description", "name"}, {"records", {"account"}}},
                      {{"id", "contact"}, {"description", "email and phone"}, {"records", {"account"}}},
                      {{"id", "case_data"}, {"description", "cases"}, {"records", {"case"}}},
                      {{"id", "billing"}, {"description", "payments"}, {"kind", "payment"}, {"records", {"billing"}}},
                      {{"id", "visitor_data"}, {"description", "cookies"}, {"kind", "device"}}})},
        {"purposes",
         json::array({
             {{"id", "terms"},
              {"description", "acceptance of the policy"},
              {"legal_basis", "consent"},
              {"categories", {"identity"}},
              {"requires_fresh_consent", true},
              {"on_decline", "close_and_erase"}},
             {{"id", "case_tracking"},
              {"description", "tracking cases"},
              {"legal_basis", "contract"},
              {"categories", {"case_data", "contact"}},
              {"depends_on", {"terms"}}},
             {{"id", "newsletter"},
              {"description", "the newsletter"},
              {"legal_basis", "consent"},
              {"categories", {"contact"}}},
             {{"id", "marketing"},
              {"description", "marketing messages"},
              {"legal_basis", "consent"},
              {"categories", {"contact"}},
              {"requires_fresh_consent", version > 1}},
             {{"id", "support_access"},
              {"description", "support reads case content"},
              {"legal_basis", "consent"},
              {"categories", {"case_data"}},
              {"consent_max_duration", "P30D"}},
             {{"id", "tax_records"},
              {"description", "tax records"},
              {"legal_basis", "legal_obligation"},
              {"categories", {"billing"}}},
             {{"id", "analytics"},
              {"description", "aggregate analytics"},
              {"legal_basis", "legitimate_interest"},
              {"categories", {"case_data"}},
              {"data_form", "aggregate"}},
             {{"id", "statistics_cookies"},
              {"description", "statistics cookies"},
              {"legal_basis", "consent"},
              {"categories", {"visitor_data"}}},
         })},
        {"consent", {{"channels", {"web", "email", "whatsapp", "api"}}}},
        {"subscriptions", json::array({{{"id", "newsletter"}, {"purpose", "newsletter"}}})},
        {"visitors",
         {{"cookie_categories",
           json::array({{{"id", "statistics"}, {"purpose", "statistics_cookies"}, {"expiry", "P30D"}}})}}},
        {"roles",
         json::array({{{"id", "subject"},
                       {"grants", json::array({{{"actions", {"read", "write"}},
                                                {"records", {"account", "consent", "case"}},
                                                {"scope", "own"}}})}},
                      {{"id", "support"},
                       {"grants", json::array({{{"actions", {"read"}},
                                                {"records", {"case"}},
                                                {"scope", "consented"},
                                                {"purpose", "support_access"}}})}}})},
        {"retention",
         {{"activity", json::array({{{"kind", "message"}, {"window", "P30D"}}})},
          {"rules", json::array({{{"id", "inactive"},
                                  {"categories", {"case_data"}},
                                  {"trigger", "inactivity"},
                                  {"after", "P60D"},
                                  {"action", "delete"}}})}}},
    };
}

}  // namespace cvtest

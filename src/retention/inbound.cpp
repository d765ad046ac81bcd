#include "retention/inbound.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>

#include "accounts/normalize.hpp"
#include "common/error.hpp"
#include "crypto/primitives.hpp"

namespace casevault::retention {

namespace {

constexpr std::size_t kMaxSubjectLine = 1000;
constexpr std::size_t kMaxBody = 64 * 1024;
constexpr const char* kCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford: no I L O U
constexpr std::size_t kCodeChars = 12;

bool is_word_char(unsigned char c) { return std::isalnum(c) || c == '\'' || c >= 0x80; }

// Lower-cased, with look-alike apostrophes read as "'" ("don’t", "donʼt")
// and Unicode spaces and quotation marks as spaces.
std::string normalized(const std::string& text) {
    static const std::pair<const char*, char> kMap[] = {
        {"\xE2\x80\x99", '\''}, {"\xE2\x80\x98", '\''}, {"\xCA\xBC", '\''}, {"\xC2\xB4", '\''},
        {"\xC2\xA0", ' '},      {"\xE2\x80\x8B", ' '}, {"\xE2\x80\x9C", ' '}, {"\xE2\x80\x9D", ' '},
        {"\xC2\xAB", ' '},      {"\xC2\xBB", ' '},      {"\xEF\xBB\xBF", ' '}, {"\xE2\x80\xAF", ' '},
    };
    std::string t;
    t.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        bool mapped = false;
        for (const auto& [from, to] : kMap) {
            const std::size_t n = std::strlen(from);
            if (text.compare(i, n, from) == 0) {
                t += to;
                i += n;
                mapped = true;
                break;
            }
        }
        if (!mapped) t += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i++])));
    }
    return t;
}

// Words, with "|" where a clause ends (, . ; : ! ? -), so a negation in one
// clause does not reach a command in the next ("Not happy, DELETE my account").
std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> out;
    std::string w;
    auto flush = [&] {
        if (!w.empty()) out.push_back(w);
        w.clear();
    };
    for (unsigned char c : normalized(text)) {
        if (is_word_char(c)) {
            w += static_cast<char>(c);
        } else {
            flush();
            if (std::strchr(",.;:!?-", c) && c != 0) out.push_back("|");
        }
    }
    flush();
    return out;
}

bool negation(const std::string& w) {
    static const char* const kWords[] = {"not",     "never",   "don't",   "dont",     "do'nt",
                                         "doesn't", "didn't", "won't",  "wont",    "cannot",   "can't",
                                         "cant",    "shouldn't", "mustn't", "without", "neither", "nor"};
    for (const char* n : kWords) {
        if (w == n) return true;
    }
    return false;
}

struct Found {
    bool cancel = false, erase = false;  // as a command (not negated)
    bool negated = false;                // a command word that was negated
};

Found find_words(const std::vector<std::string>& words) {
    Found f;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const bool c = words[i] == "cancel", d = words[i] == "delete";
        if (!c && !d) continue;
        // Up to three words back, within the clause and not past the other command word.
        bool neg = false;
        for (std::size_t back = 1; back <= 3 && back <= i; ++back) {
            const std::string& prev = words[i - back];
            if (prev == "|" || prev == "cancel" || prev == "delete") break;
            neg = neg || negation(prev);
        }
        if (neg) {
            f.negated = true;
        } else {
            f.cancel = f.cancel || c;
            f.erase = f.erase || d;
        }
    }
    return f;
}

ParsedCommand decide(const Found& f) {
    ParsedCommand p;
    if (f.cancel && f.erase) {
        p.outcome = InboundOutcome::ambiguous;
    } else if (f.cancel || f.erase) {
        p.outcome = InboundOutcome::accepted;
        p.command = f.cancel ? RequestKind::cancel : RequestKind::erase;
    } else {
        p.outcome = f.negated ? InboundOutcome::negated : InboundOutcome::no_command;
    }
    return p;
}

}  // namespace

ParsedCommand parse_command(const InboundMessage& m) {
    if (m.channel != Channel::email && m.channel != Channel::whatsapp) {
        fail(Errc::invalid_argument, "inbound commands come by email or WhatsApp");
    }
    // Checked for size and encoding only: the text is never stored.
    accounts::clean_text(m.subject_line, "subject_line", kMaxSubjectLine, false, true);
    accounts::clean_text(m.body, "body", kMaxBody, false, true);
    if (m.channel == Channel::email) return decide(find_words(words_of(m.subject_line)));

    const auto words = words_of(m.body);
    const std::string lower = accounts::trim(normalized(m.body));
    if (lower == "cancel" || lower == "delete") {
        ParsedCommand p;
        p.outcome = InboundOutcome::accepted;
        p.command = lower == "cancel" ? RequestKind::cancel : RequestKind::erase;
        return p;
    }
    ParsedCommand p = decide(find_words(words));
    if (p.outcome == InboundOutcome::accepted) {  // the word inside a longer message
        p.outcome = InboundOutcome::mention_only;
        p.command.reset();
    }
    return p;
}

std::string new_code() {
    unsigned char raw[kCodeChars];
    crypto::random_bytes(raw, sizeof raw);
    std::string code;
    for (std::size_t i = 0; i < kCodeChars; ++i) {
        if (i > 0 && i % 4 == 0) code += '-';
        code += kCodeAlphabet[raw[i] & 31];  // 32 symbols: the low five bits are uniform
    }
    crypto::wipe(raw, sizeof raw);
    return code;
}

std::optional<std::string> normalize_code(const std::string& code) {
    if (code.size() > 64) return std::nullopt;
    std::string out;
    for (unsigned char c : code) {
        if (c == ' ' || c == '-') continue;
        c = static_cast<unsigned char>(std::toupper(c));
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        if (!std::strchr(kCodeAlphabet, c) || c == 0) return std::nullopt;
        out += static_cast<char>(c);
    }
    if (out.size() != kCodeChars) return std::nullopt;
    return out;
}

}  // namespace casevault::retention

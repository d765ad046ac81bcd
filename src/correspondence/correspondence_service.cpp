#include "correspondence/correspondence_service.hpp"

#include <map>

#include "accounts/normalize.hpp"
#include "casevault/accounts.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"

namespace casevault::correspondence {

namespace {

constexpr const char* kMessages = "messages";
constexpr std::size_t kMaxBody = 1 << 20;

std::string message_target(const std::string& id) {
    return access::Guard::target_name(RecordKind::correspondence, id);
}

}  // namespace

std::pair<std::string, std::string> normalize_sender(const std::string& sender) {
    const std::string s = accounts::trim(sender);
    // The accounts' rules decide; the error names this field, not theirs.
    try {
        if (s.find('@') != std::string::npos) return {"email", accounts::normalize_email(s)};
        return {"phone", accounts::normalize_phone(s)};
    } catch (const Error& e) {
        if (e.code() != Errc::invalid_argument) throw;
        fail(Errc::invalid_argument,
             "sender must be an email address (local@domain) or a phone number with its country code");
    }
}

Message CorrespondenceService::decode(const store::MessageRow& row, const records::SubjectKeyCache::Entry& key) {
    Message m;
    m.id = row.id;
    m.subject = row.subject;
    m.case_id = row.case_id;
    m.channel = static_cast<MessageChannel>(row.channel);
    m.direction = static_cast<Direction>(row.direction);
    m.at = row.at;
    m.recorded_at = row.recorded_at;
    m.subject_line = records::open(key, row.subject_line, kMessages, "subject_line", row.id);
    m.body = records::open(key, row.body, kMessages, "body", row.id);
    m.sender = records::open(key, row.sender, kMessages, "sender", row.id);
    return m;
}

std::vector<Message> CorrespondenceService::record_many(const accounts::Context& ctx, const std::string& actor_id,
                                                        const std::vector<MessageFields>& batch) {
    const access::Actor actor = d_.guard.actor(actor_id, "write correspondence");
    if (batch.empty()) return {};
    if (batch.size() > 100000) fail(Errc::invalid_argument, "at most 100000 messages per batch");
    records::SubjectKeyCache keys(d_);
    struct Recorded {
        std::size_t count = 0;
        std::string first;            // the message id when it is the only one
        std::int64_t inbound_at = 0;  // the latest inbound message's time
    };
    std::map<std::string, Recorded> recorded;  // per subject
    std::vector<Message> out;
    out.reserve(batch.size());
    for (const auto& f : batch) {
        const int ch = static_cast<int>(f.channel), dir = static_cast<int>(f.direction);
        if (ch < 0 || ch > static_cast<int>(MessageChannel::survey)) fail(Errc::invalid_argument, "unknown channel");
        if (dir < 0 || dir > static_cast<int>(Direction::outbound)) fail(Errc::invalid_argument, "unknown direction");
        store::MessageRow row;
        row.id = new_id("msg");
        row.channel = ch;
        row.direction = dir;
        if (f.at < 0) fail(Errc::invalid_argument, "at must be a Unix time");
        if (f.at > ctx.now + 86400) fail(Errc::invalid_argument, "at is more than a day in the future");
        row.at = f.at == 0 ? ctx.now : f.at;
        row.recorded_at = ctx.now;
        std::optional<std::pair<std::string, std::string>> sender;
        if (f.sender && !accounts::trim(*f.sender).empty()) sender = normalize_sender(*f.sender);
        const bool needs_sender = f.direction == Direction::inbound &&
                                  (f.channel == MessageChannel::email || f.channel == MessageChannel::whatsapp);
        if (needs_sender && !sender) fail(Errc::invalid_argument, "sender is required for an inbound email or WhatsApp message");
        row.subject = f.subject;
        const bool by_sender = row.subject.empty();
        std::string no_match;
        if (by_sender) {
            if (f.direction != Direction::inbound || !sender) {
                fail(Errc::invalid_argument, "subject is required unless an inbound message names its sender");
            }
            no_match = "no account has the sender's " + sender->first;
            const auto account =
                d_.store.account_by_index(sender->first, d_.index.digest("accounts." + sender->first, sender->second));
            if (!account || account->status == static_cast<int>(AccountStatus::erased)) fail(Errc::not_found, no_match);
            row.subject = account->id;
        } else {
            records::check_id(row.subject, "acc", "an account");
        }
        if (f.case_id) records::check_id(*f.case_id, "cas", "a case");
        row.case_id = f.case_id;
        // Decided before anything about the subject or case is looked up, so
        // a refusal says nothing about them; a sender that matched an account
        // the actor may not write to looks like no match at all.
        access::Target t;
        t.kind = RecordKind::correspondence;
        t.subject = row.subject;
        t.case_id = row.case_id.value_or("");
        try {
            d_.guard.require(ctx.now, actor, Action::write, t, message_target(row.id));
        } catch (access::Denied& d) {
            if (by_sender) d.shown_as = Error(Errc::not_found, no_match);
            throw;
        }
        const auto& key = keys.get(row.subject);
        if (row.case_id) {
            const auto c = d_.store.case_row(*row.case_id);
            if (!c) fail(Errc::not_found, "no case with this id");
            if (c->subject != row.subject) fail(Errc::invalid_argument, "the case belongs to another account");
        }
        const auto subject_line = records::optional_text(f.subject_line, "subject_line", 1000, false);
        const std::string body = records::text_field(f.body, "body", kMaxBody, true);
        row.subject_line = records::seal(key, subject_line, kMessages, "subject_line", row.id);
        row.body = records::seal(key, body, kMessages, "body", row.id);
        if (sender) {
            const std::string shown = accounts::trim(*f.sender);
            row.sender = records::seal(key, shown, kMessages, "sender", row.id);
            row.sender_bidx = d_.index.digest("accounts." + sender->first, sender->second);
            row.foreign_sender = row.sender_bidx != key.email_bidx && row.sender_bidx != key.phone_bidx;
        }
        d_.store.insert_message(row);
        auto& seen = recorded[row.subject];
        if (seen.count++ == 0) seen.first = row.id;
        if (f.direction == Direction::inbound) seen.inbound_at = std::max(seen.inbound_at, row.at);
        Message m;
        m.id = row.id;
        m.subject = row.subject;
        m.case_id = row.case_id;
        m.channel = f.channel;
        m.direction = f.direction;
        m.at = row.at;
        m.recorded_at = row.recorded_at;
        m.subject_line = subject_line;
        m.body = body;
        if (sender) m.sender = accounts::trim(*f.sender);
        out.push_back(std::move(m));
    }
    // One audit entry per subject and batch: a single message is named, an
    // import of many is counted (each message written costs a B-tree insert;
    // an entry for each would double the cost of an import).
    for (const auto& [subject, seen] : recorded) {
        d_.log.append(ctx.now, actor.id, "message.record", subject,
                      seen.count == 1 ? message_target(seen.first) : "correspondence", "ok",
                      seen.count == 1 ? "" : "batch:" + std::to_string(seen.count));
        if (seen.inbound_at > 0) d_.on_activity(subject, "message", seen.inbound_at);
    }
    return out;
}

Message CorrespondenceService::get(const accounts::Context& ctx, const std::string& actor_id,
                                   const std::string& message_id) {
    const access::Actor actor = d_.guard.actor(actor_id, "read " + message_target(message_id));
    records::check_id(message_id, "msg", "a message");
    const auto row = d_.store.message(message_id);
    if (!row) fail(Errc::not_found, "no message with this id");
    access::Target t;
    t.kind = RecordKind::correspondence;
    t.subject = row->subject;
    t.case_id = row->case_id.value_or("");
    d_.guard.require(ctx.now, actor, Action::read, t, message_target(message_id));
    records::SubjectKeyCache keys(d_);
    Message m = decode(*row, keys.get(row->subject));
    d_.log.append_read(ctx.now, actor.id, "message.read", row->subject, message_target(message_id), "");
    return m;
}

MessagePage CorrespondenceService::list(const accounts::Context& ctx, const std::string& actor_id,
                                        const std::string& subject, const MessageListOptions& options) {
    const access::Actor actor = d_.guard.actor(actor_id, "read correspondence", subject);
    records::check_id(subject, "acc", "an account");
    if (options.limit < 1 || options.limit > 10000) fail(Errc::invalid_argument, "limit must be 1..10000");
    if (!options.after_id.empty()) records::check_id(options.after_id, "msg", "a message");
    if (options.case_id) records::check_id(*options.case_id, "cas", "a case");
    const auto rows = d_.store.messages(subject, options.after_id, options.limit, options.case_id);
    MessagePage page;
    if (rows.empty()) return page;
    records::SubjectKeyCache keys(d_);
    for (const auto& row : rows) {
        access::Target t;
        t.kind = RecordKind::correspondence;
        t.subject = row.subject;
        t.case_id = row.case_id.value_or("");
        if (!d_.guard.decide(ctx.now, actor, Action::read, t).allowed) continue;
        page.items.push_back(decode(row, keys.get(subject)));
    }
    if (rows.size() == options.limit) page.next_cursor = rows.back().id;
    if (!page.items.empty()) {
        d_.log.append_read(ctx.now, actor.id, "message.read", subject, "correspondence",
                           "list:" + std::to_string(page.items.size()));
    }
    return page;
}

std::optional<std::string> CorrespondenceService::match_sender(const accounts::Context& ctx,
                                                               const std::string& actor_id,
                                                               const std::string& sender) {
    const access::Actor actor = d_.guard.actor(actor_id, "write correspondence");
    const auto [column, normalized] = normalize_sender(sender);
    const auto account = d_.store.account_by_index(column, d_.index.digest("accounts." + column, normalized));
    if (!account || account->status == static_cast<int>(AccountStatus::erased)) return std::nullopt;
    access::Target t;
    t.kind = RecordKind::correspondence;
    t.subject = account->id;
    const access::Verdict v = d_.guard.decide(ctx.now, actor, Action::write, t);
    if (!v.allowed) {
        // No match, as far as this actor can tell: a refusal would say the
        // address belongs to a client. The denial is audited.
        d_.log.append_read(ctx.now, actor.id, "access.denied", account->id, "write correspondence", v.rule, "denied");
        return std::nullopt;
    }
    d_.log.append_read(ctx.now, actor.id, "message.match_sender", account->id, "correspondence", column);
    return account->id;
}

std::optional<store::Bytes> CorrespondenceService::reindex(const store::MessageRow& row,
                                                           accounts::SubjectKeys& keys, store::Store& store,
                                                           crypto::BlindIndexer& index) {
    if (!row.sender) return std::nullopt;
    const auto account = store.account(row.subject);
    if (!account) fail(Errc::corrupt, "a message belongs to no account");
    records::SubjectKeyCache::Entry key;
    key.key_version = account->key_version;
    key.key = keys.open(account->id, account->key_version, account->data_key);
    const auto [column, normalized] = normalize_sender(records::open(key, *row.sender, kMessages, "sender", row.id));
    return index.digest("accounts." + column, normalized);
}

}  // namespace casevault::correspondence

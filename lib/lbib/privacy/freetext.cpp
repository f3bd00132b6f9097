// SPDX-License-Identifier: MIT
#include "lbib/privacy/freetext.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <array>
#include <map>

#include "lbib/error.hpp"
#include "lbib/text/collate.hpp"
#include "lbib/text/string_set.hpp"
#include "lbib/text/validate.hpp"
#include "lbib/text/words.hpp"

namespace lbib::privacy {
namespace {

using enum Rule;

// Every text column of the schema. Dates, enumerations and keys are `structured`; so are
// texts lbib writes itself (audit details name fields and counts, never values).
constexpr std::array k_rules{
    ColumnRule{"borrower_mail", "kind", structured},
    ColumnRule{"borrower_mail", "message_id", structured},
    ColumnRule{"borrower_mail", "sent_on", structured},
    ColumnRule{"borrower_survey_answer", "question", structured},
    ColumnRule{"borrower_survey_answer", "answer", shared},
    ColumnRule{"borrower_survey_answer", "answered_on", structured},
    ColumnRule{"questionnaire", "message_id", structured},
    ColumnRule{"questionnaire", "sent_on", structured},
    ColumnRule{"questionnaire", "reminder_message_id", structured},
    ColumnRule{"questionnaire", "reminded_on", structured},
    ColumnRule{"questionnaire", "replied_on", structured},
    ColumnRule{"questionnaire_answer", "question", structured},
    ColumnRule{"questionnaire_answer", "answered_on", structured},
    ColumnRule{"questionnaire_answer", "answer", own, "expert_id = ?1"},
    ColumnRule{"answer", "answer", structured},
    ColumnRule{"assignment_recruit", "joined_on", structured},
    ColumnRule{"answer", "answered_on", structured},
    ColumnRule{"answer", "channel", structured},
    ColumnRule{"audit", "action", structured},
    ColumnRule{"audit", "as_name", staff},
    ColumnRule{"audit", "at", structured},
    ColumnRule{"audit", "detail", structured},
    ColumnRule{"audit", "entity", structured},
    ColumnRule{"audit", "os_user", staff},
    ColumnRule{"borrower", "contact_email", contact},
    ColumnRule{"borrower", "contact_name", contact},
    ColumnRule{"borrower", "contact_phone", contact},
    ColumnRule{"borrower", "municipality", structured},
    ColumnRule{"borrower", "sector", structured},
    ColumnRule{"borrower", "erased_on", structured},
    ColumnRule{"borrower", "organisation", shared},
    ColumnRule{"borrower", "unit", shared},
    ColumnRule{"catalogue_entry", "approved_on", structured},
    ColumnRule{"catalogue_entry", "description", own, "expert_id = ?1"},
    ColumnRule{"catalogue_entry", "recorded_by", staff},
    ColumnRule{"catalogue_entry", "reference", structured},
    ColumnRule{"consent", "given_on", structured},
    ColumnRule{"consent", "method", structured},
    ColumnRule{"consent", "purpose", structured},
    ColumnRule{"consent", "recorded_by", staff},
    ColumnRule{"consent", "text_version", structured},
    ColumnRule{"consent", "withdrawn_on", structured},
    ColumnRule{"consent_text", "body", structured},
    ColumnRule{"consent_text", "purpose", structured},
    ColumnRule{"consent_text", "sha256", structured},
    ColumnRule{"consent_text", "version", structured},
    ColumnRule{"decision", "kind", structured},
    ColumnRule{"decision", "on_date", structured},
    ColumnRule{"decision", "text", shared},
    ColumnRule{"dispatch", "channel", structured},
    ColumnRule{"dispatch", "message_id", structured},
    ColumnRule{"dispatch", "sent_on", structured},
    ColumnRule{"experience", "area", structured},
    ColumnRule{"experience", "magnitude", structured},
    ColumnRule{"experience", "role", structured},
    ColumnRule{"expert", "born_abroad", structured},
    ColumnRule{"expert", "care_professional", structured},
    ColumnRule{"expert", "channel", structured},
    ColumnRule{"expert", "email", contact},
    ColumnRule{"expert", "email_folded", contact},
    ColumnRule{"expert", "erased_on", structured},
    ColumnRule{"expert", "interviewed_on", structured},
    ColumnRule{"expert", "left_on", structured},
    ColumnRule{"expert", "municipality", contact},
    ColumnRule{"expert", "name", contact},
    ColumnRule{"expert", "name_folded", contact},
    ColumnRule{"expert", "notes", own, "id = ?1"},
    ColumnRule{"expert", "paused_on", structured},
    ColumnRule{"expert", "phone", contact},
    ColumnRule{"expert", "phone_digits", contact},
    ColumnRule{"expert", "postal_address", contact},
    ColumnRule{"expert", "retired", structured},
    ColumnRule{"expert", "status", structured},
    ColumnRule{"expert_wish", "paused_until", structured},
    ColumnRule{"expert_wish", "per_period", structured},
    ColumnRule{"expert_wish", "setting", structured},
    ColumnRule{"expert_wish_item", "key", structured},
    ColumnRule{"expert_wish_item", "kind", structured},
    ColumnRule{"followup", "booked_for", structured},
    ColumnRule{"followup", "compensation", structured},
    ColumnRule{"followup", "feedback_confirmed_on", structured},
    ColumnRule{"followup", "held_on", structured},
    ColumnRule{"followup", "new_insights", structured},
    ColumnRule{"followup", "quotes", shared},
    ColumnRule{"followup", "summary_sent_on", structured},
    ColumnRule{"followup_answer", "answer", shared},
    ColumnRule{"followup_answer", "question", structured},
    ColumnRule{"inquiry", "kind", structured},
    ColumnRule{"inquiry", "on_date", structured},
    ColumnRule{"inquiry", "reason", structured},
    ColumnRule{"library_state", "key", structured},
    ColumnRule{"library_state", "value", structured},
    ColumnRule{"loan", "carried_out_on", structured},
    ColumnRule{"loan", "fewer_reason", shared},
    ColumnRule{"loan", "form", structured},
    ColumnRule{"loan", "until_on", structured},
    ColumnRule{"notice", "kind", structured},
    ColumnRule{"notice", "message_id", structured},
    ColumnRule{"notice", "sent_on", structured},
    ColumnRule{"outreach", "audience", shared},
    ColumnRule{"outreach", "kind", structured},
    ColumnRule{"outreach", "note", shared},
    ColumnRule{"outreach", "on_date", structured},
    ColumnRule{"outreach", "sector", structured},
    ColumnRule{"outreach_target", "organisation", shared},
    ColumnRule{"open_call", "opened_on", structured},
    ColumnRule{"open_call", "text", shared},
    ColumnRule{"payment", "due_on", structured},
    ColumnRule{"payment", "payer", shared},
    ColumnRule{"payment", "rate_valid_from", structured},
    ColumnRule{"payment", "settled_on", structured},
    ColumnRule{"payment", "status", structured},
    ColumnRule{"payment", "unit", structured},
    ColumnRule{"pre_meeting", "held_on", structured},
    ColumnRule{"pre_meeting", "notes", shared},
    ColumnRule{"request", "fewer_reason", shared},
    ColumnRule{"request", "form", structured},
    ColumnRule{"request", "hold_until", structured},
    ColumnRule{"request", "municipality", structured},
    ColumnRule{"request", "notes", shared},
    ColumnRule{"request", "place", shared},
    ColumnRule{"request", "purpose", shared},
    ColumnRule{"request", "received_on", structured},
    ColumnRule{"request", "reply_by", structured},
    ColumnRule{"request", "state", structured},
    ColumnRule{"request", "state_reason", structured},
    ColumnRule{"request", "time", shared},
    ColumnRule{"merged_record", "kind", structured},
    ColumnRule{"mention_key", "key", contact},
    ColumnRule{"mention_key", "kind", structured},
    ColumnRule{"merged_record", "merged_on", structured},
    ColumnRule{"request_event", "correction", structured},
    ColumnRule{"request_event", "from_state", structured},
    ColumnRule{"request_event", "note", shared},
    ColumnRule{"request_event", "on_date", structured},
    ColumnRule{"request_event", "reason", structured},
    ColumnRule{"request_event", "to_state", structured},
    ColumnRule{"request_experience", "area", structured},
    ColumnRule{"request_experience", "role", structured},
    ColumnRule{"request_pick", "picked_on", structured},
    ColumnRule{"subject_request", "done_on", structured},
    ColumnRule{"subject_request", "due_on", structured},
    ColumnRule{"subject_request", "kind", structured},
    ColumnRule{"subject_request", "note", own, "expert_id = ?1"},
    ColumnRule{"subject_request", "received_on", structured},
    ColumnRule{"summary_recipient", "message_id", structured},
    ColumnRule{"summary_recipient", "sent_on", structured},
    ColumnRule{"survey_response", "answered_on", structured},
    ColumnRule{"survey_response", "answers", own, "kind = 'experts' AND respondent = ?1"},
    ColumnRule{"survey_response", "kind", structured},
};

// Tables that name a person by a kind and an id rather than by a foreign key.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> k_indirect_links{{
    {"expert", "id = ?1"},
    {"merged_record", "kind = 'expert' AND kept_id = ?1"},
    {"notice", "kind IN ('closing', 'survey-experts') AND recipient_id = ?1"},
    {"survey_response", "kind = 'experts' AND respondent = ?1"},
    {"audit", "entity = 'expert' AND entity_id = ?1"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 20> k_unlinked{{
    {"borrower", "organisations and their contact persons, not experts"},
    {"borrower_mail", "the mail to a borrower about its request"},
    {"borrower_survey_answer", "the borrower's answers to its survey after a loan"},
    {"consent_text", "the texts of the consents, the same for everyone"},
    {"decision", "the library's governance: owner, mandate, reports, decisions"},
    {"dispatch", "a mailing; who received it is in invitation"},
    {"followup", "the follow-up meeting with the borrower"},
    {"followup_answer",
     "the borrower's answers; those mailed to an expert are exported with "
     "the summary they were in"},
    {"inquiry", "counts of inquiries turned away, naming no one"},
    {"library_state", "the library's own state"},
    {"loan", "the loan; who took part is in loan_participant"},
    {"mention_key",
     "the keys a mention is found by, derived from the record's name, e-mail and phone "
     "(exported as those are)"},
    {"open_call", "a request's anonymous open call, naming no one"},
    {"outreach", "the library's outreach activities"},
    {"outreach_target", "the organisations an outreach activity addressed"},
    {"pre_meeting", "the meeting with the borrower"},
    {"request",
     "the borrower's request; what was sent to an expert is exported with the "
     "invitation"},
    {"request_event", "the request's history"},
    {"request_experience", "what a request asks for"},
    {"sqlite_sequence", "SQLite's id counters"},
}};

bool is_phone_char(char c) {
  return (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '+' || c == '(' || c == ')' ||
         c == '/' || c == '.';
}

// The length of a Unicode dash or space that separates digits in a phone number as typed
// (en dash, non-breaking hyphen, minus, no-break and thin spaces) at `text[i]`, or 0.
std::size_t phone_separator(std::string_view text, std::size_t i) {
  static constexpr std::array<std::string_view, 10> separators{
      "\u2010", "\u2011", "\u2012", "\u2013", "\u2014",
      "\u2212", "\u00a0", "\u202f", "\u2009", "\u2007"};
  for (const auto sep : separators) {
    if (text.substr(i, sep.size()) == sep) {
      return sep.size();
    }
  }
  return 0;
}

// An address as people write it: ASCII letters, digits and . _ % + - (a quotation mark, an
// ellipsis or a URL's ? & = ends it).
bool is_email_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '%' || c == '+' || c == '-';
}

// A span of `text` to replace.
struct Span {
  std::size_t begin;
  std::size_t end;
};

using text::any_word_of;

// The spans of whole words of `text` that are a name part in `words` (or its genitive).
void word_spans(std::string_view text, const text::StringSet* words, std::vector<Span>& out,
                std::vector<std::string>* found = nullptr,
                std::unordered_map<std::string, std::string>* memo = nullptr) {
  any_word_of(text, [&](std::string_view raw) {
    const auto begin = static_cast<std::size_t>(raw.data() - text.data());
    std::string word;
    const bool ascii = std::all_of(raw.begin(), raw.end(),
                                   [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
    if (memo != nullptr && !ascii) {
      // Names share their parts (Anna, Karlsson): each is folded once per redactor.
      auto [it, added] = memo->try_emplace(std::string(raw));
      if (added) {
        it->second = text::fold_for_match(raw);
      }
      word = it->second;
    } else {
      word = text::fold_for_match(raw);
    }
    bool hit = words != nullptr && words->contains(word);
    if (!hit && words != nullptr && word.size() > 2 && word.back() == 's') {
      hit = words->contains(std::string_view(word).substr(0, word.size() - 1));  // "Astrids"
    }
    if (hit) {
      out.push_back({begin, begin + raw.size()});
    }
    if (found != nullptr) {
      found->push_back(word);
    }
    return false;  // every word
  });
}

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

// Whether an address may begin (or end) between `before` and `after`: anything but two letters
// or two digits side by side. An address is written joined to what is around it ("-anna@…"
// as a bullet, "Kontakt.anna@…", "070…anna@…", "anna@example.se.Hon", "…se-adressen").
bool address_boundary(char before, char after) {
  return !is_ascii_alnum(before) || !is_ascii_alnum(after) ||
         is_ascii_digit(before) != is_ascii_digit(after);
}

// The spans of e-mail addresses in `text` that are in `emails`: for each @, the run of address
// characters around it, and in it every part that begins and ends at a boundary (the whole run
// first; at most 64 characters before the @ and 254 in all, as in any address lbib accepts, so
// a long run costs no more than a short one). With `found`,
// every such part, folded, for the callers that note what a text may mention.
void email_spans(std::string_view text, const text::StringSet* emails, std::vector<Span>& out,
                 std::vector<std::string>* found = nullptr, const text::StringSet* kept = nullptr,
                 std::vector<Span>* kept_out = nullptr) {
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    std::size_t begin = at;
    while (begin > 0 && is_email_char(text[begin - 1])) {
      --begin;
    }
    std::size_t end = at + 1;
    while (end < text.size() && is_email_char(text[end])) {
      ++end;
    }
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '!' || text[end - 1] == '?')) {
      --end;  // the full stop after an address ends the sentence
    }
    if (begin == at || end == at + 1) {
      continue;  // no address: nothing before or after the @
    }
    // The run is ASCII: folded, each byte stays where it was.
    const std::string run = text::fold_for_match(text.substr(begin, end - begin));
    const auto starts_at = [&](std::size_t b) {
      return b == begin || address_boundary(text[b - 1], text[b]);
    };
    const auto ends_at = [&](std::size_t e) {
      return e == end || address_boundary(text[e - 1], text[e]);
    };
    for (std::size_t b = begin; b < at; ++b) {
      if (at - b > 64 || !starts_at(b)) {
        continue;
      }
      for (std::size_t e = std::min(end, b + text::limits::email); e > at + 1; --e) {
        if (!ends_at(e)) {
          continue;
        }
        const std::string_view part = std::string_view(run).substr(b - begin, e - b);
        if (emails != nullptr && emails->contains(part)) {
          out.push_back({b, e});
        }
        if (kept != nullptr && kept->contains(part)) {
          kept_out->push_back({b, e});
        }
        if (found != nullptr) {
          found->emplace_back(part);
        }
      }
    }
  }
}

// What Redactor matches of one person: their name parts (two letters or more, not a
// number), their e-mail and the digits of their phone number (five or more), folded.
struct PersonKeys {
  std::vector<std::string> parts;
  std::optional<std::string> email;
  std::optional<std::string> phone;
};

PersonKeys person_keys(std::string_view name, std::optional<std::string_view> email,
                       std::optional<std::string_view> phone,
                       std::unordered_map<std::string, std::string>* memo) {
  PersonKeys keys;
  std::vector<Span> ignored;
  std::vector<std::string> parts;
  word_spans(name, nullptr, ignored, &parts, memo);
  for (auto& part : parts) {
    // One letter ("K.") says too little to be matched alone, and would redact every "i".
    if (text::is_matched_name_part(part)) {
      keys.parts.push_back(std::move(part));
    }
  }
  if (email && !email->empty()) {
    keys.email = text::fold_for_match(*email);
  }
  if (phone) {
    auto digits = phone_digits(*phone);
    if (digits.size() >= 5) {  // fewer digits would match dates and counts
      keys.phone = std::move(digits);
    }
  }
  return keys;
}

}  // namespace

std::span<const ColumnRule> column_rules() {
  return k_rules;
}

std::span<const std::pair<std::string_view, std::string_view>> unlinked_tables() {
  return k_unlinked;
}

std::vector<TextColumn> text_columns(db::Database& db) {
  SQLite::Statement q(db.sql(), R"sql(
    SELECT m.name, p.name, p."notnull" FROM sqlite_schema m JOIN pragma_table_info(m.name) p
    WHERE m.type = 'table' AND upper(p.type) = 'TEXT' ORDER BY m.name, p.cid)sql");
  std::vector<TextColumn> out;
  while (q.executeStep()) {
    TextColumn c{q.getColumn(0).getString(),
                 q.getColumn(1).getString(),
                 Rule::shared,
                 {},
                 q.getColumn(2).getInt() != 0};
    const auto it = std::find_if(k_rules.begin(), k_rules.end(), [&c](const ColumnRule& r) {
      return r.table == c.table && r.column == c.column;
    });
    if (it != k_rules.end()) {
      c.rule = it->rule;
      c.owner = std::string(it->owner);
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<PersonLink> expert_links(db::Database& db) {
  std::map<std::string, std::string> links;
  for (const auto& [table, condition] : k_indirect_links) {
    links.emplace(table, condition);
  }
  SQLite::Statement fk(db.sql(), R"sql(
    SELECT DISTINCT m.name, f."from" FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f
    WHERE m.type = 'table' AND f."table" = 'expert'
    UNION
    SELECT DISTINCT m.name, p.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p
    WHERE m.type = 'table' AND p.name = 'expert_id')sql");
  while (fk.executeStep()) {
    links.emplace(fk.getColumn(0).getString(), fk.getColumn(1).getString() + " = ?1");
  }
  std::vector<PersonLink> out;
  for (auto& [table, condition] : links) {
    out.push_back({table, condition});
  }
  return out;
}

std::string phone_digits(std::string_view phone) {
  return text::phone_digits(phone);
}

// Why a Redactor of the admitted people redacts these texts as one of everyone: redact()
// depends only on the sets of words, addresses and numbers (and the range of number lengths
// it tries). A word of a text is replaced when it, or it less a genitive s, is a name part in
// the set; an address when it is in the set; a window of a run of digits when it is a number
// in the set, or "46" and the rest of one that starts with 0. Every person who owns such a
// part, address or number is admitted (the digits of a run are a substring of all the text's
// digits), so every replacement is still found; no one else's parts can be found in these
// texts. The lengths tried shrink only to those of admitted numbers, and every hit has such a
// length, so the longest match at each place is the same. After spare(), the same on both
// sides, the spared parts admit no one and are in neither redactor.
void MentionIndex::add_text(std::string_view text) {
  std::vector<Span> ignored;
  std::vector<std::string> words;
  word_spans(text, nullptr, ignored, &words, &m_fold_memo);
  for (auto& w : words) {
    if (w.size() > 2 && w.back() == 's') {
      m_words.insert(w.substr(0, w.size() - 1));  // "Astrids" mentions Astrid
    }
    m_words.insert(std::move(w));
  }
  std::vector<std::string> addresses;
  email_spans(text, nullptr, ignored, &addresses);
  m_emails.insert(addresses.begin(), addresses.end());
  // A number Redactor finds is a run of digits within the text's digits (the separators
  // between them dropped): all the digits of the text, in order, hold every such run.
  std::string digits;
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    }
  }
  if (digits.size() >= 5) {  // Redactor matches no shorter number
    m_digits.push_back(std::move(digits));
  }
}

void MentionIndex::spare(std::string_view name, std::optional<std::string_view> email,
                         std::optional<std::string_view> phone) {
  m_admits.clear();
  const auto own = person_keys(name, email, phone, nullptr);
  for (const auto& w : own.parts) {
    m_words.erase(w);
  }
  if (own.email) {
    m_emails.erase(*own.email);
  }
  if (own.phone) {
    m_spared_phones.insert(*own.phone);
  }
}

bool MentionIndex::may_mention(std::string_view name, std::optional<std::string_view> email,
                               std::optional<std::string_view> phone) {
  // Called for every name of the register: no allocation for a plain ASCII word, and each
  // other word folded once.
  const auto admits = [this](const std::string& part) {
    // The parts Redactor::add_person matches on their own: two letters or more, not a number.
    return text::is_matched_name_part(part) && m_words.count(part) != 0;
  };
  if (!m_words.empty() && any_word_of(name, [&](std::string_view raw) {
        if (std::all_of(raw.begin(), raw.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
          m_ascii_word.assign(raw);  // folded as text::fold_for_match folds ASCII
          for (auto& c : m_ascii_word) {
            if (c >= 'A' && c <= 'Z') {
              c = static_cast<char>(c - 'A' + 'a');
            }
          }
          return admits(m_ascii_word);
        }
        auto [it, added] = m_admits.try_emplace(std::string(raw), false);
        if (added) {
          it->second = admits(text::fold_for_match(raw));
        }
        return it->second;
      })) {
    return true;
  }
  if (email && !email->empty() && !m_emails.empty() &&
      m_emails.count(text::fold_for_match(*email)) != 0) {
    return true;
  }
  if (phone && !m_digits.empty()) {
    const auto digits = phone_digits(*phone);
    if (digits.size() >= 5 && m_spared_phones.count(digits) == 0) {
      // Redactor also reads "46 70..." (from "+46 70...") as "070...".
      const std::string international =
          digits.front() == '0' ? "46" + digits.substr(1) : std::string();
      for (const auto& d : m_digits) {
        if (d.find(digits) != std::string::npos ||
            (!international.empty() && d.find(international) != std::string::npos)) {
          return true;
        }
      }
    }
  }
  return false;
}

MentionIndex::Candidates MentionIndex::candidates(db::Database& db, std::size_t limit) const {
  Candidates out;
  SQLite::Statement by_key(db.sql(), "SELECT kind, person FROM mention_key WHERE key = ?1");
  const auto look_up = [&by_key, &out, limit](const std::string& key) {
    by_key.bind(1, key);
    while (!out.many && by_key.executeStep()) {
      (by_key.getColumn(0).getString() == "expert" ? out.experts : out.borrowers)
          .push_back(by_key.getColumn(1).getInt64());
      out.many = out.experts.size() + out.borrowers.size() > limit;
    }
    by_key.reset();
  };
  // A name part may_mention admits is a word of the texts; an address is one of theirs.
  for (const auto& w : m_words) {
    if (text::is_matched_name_part(w)) {
      look_up(w);
    }
  }
  for (const auto& e : m_emails) {
    look_up(e);
  }
  // A phone number may_mention admits is a run of five or more of a text's digits (or "46"
  // and the rest of one that starts with 0): a key that begins at some digit. From each
  // digit, the keys that begin with the next five, six, ... digits, as long as any key does
  // (the smallest key not below them tells): a date's digits stop at five.
  SQLite::Statement next(db.sql(),
                         "SELECT key FROM mention_key WHERE key >= ?1 ORDER BY key LIMIT 1");
  const auto keys_beginning = [&](std::string_view digits) {
    for (std::size_t n = 5; n <= digits.size() && !out.many; ++n) {
      const std::string prefix(digits.substr(0, n));
      next.bind(1, prefix);
      const bool any = next.executeStep() && next.getColumn(0).getString().rfind(prefix, 0) == 0;
      const bool exact = any && next.getColumn(0).getString().size() == n;
      next.reset();
      if (!any) {
        break;
      }
      if (exact) {
        look_up(prefix);
      }
    }
  };
  std::unordered_set<std::string_view> walked;
  for (const auto& d : m_digits) {
    if (!walked.insert(d).second) {
      continue;
    }
    for (std::size_t from = 0; from + 5 <= d.size(); ++from) {
      const std::string_view rest = std::string_view(d).substr(from);
      keys_beginning(rest);
      if (rest.substr(0, 2) == "46") {
        keys_beginning("0" + std::string(rest.substr(2)));
      }
    }
  }
  for (auto* ids : {&out.experts, &out.borrowers}) {
    std::sort(ids->begin(), ids->end());
    ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
  }
  return out;
}

bool has_mention_keys(db::Database& db) {
  SQLite::Statement q(db.sql(),
                      "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'mention_key'");
  return q.executeStep();
}

std::int64_t refresh_mention_keys(db::WriteTransaction& tx, std::string_view kind,
                                  std::optional<std::int64_t> id) {
  const bool expert = kind == "expert";
  // By id, or for every row of the kind (as experts::refresh_identity_keys: "?2 IS NULL OR"
  // would make SQLite scan for one person). The same expression as migration 25.
  SQLite::Statement del(tx.sql(), id ? "DELETE FROM mention_key WHERE kind = ?1 AND person = ?2"
                                     : "DELETE FROM mention_key WHERE kind = ?1");
  del.bind(1, std::string(kind));
  std::string insert =
      expert ? "INSERT OR IGNORE INTO mention_key (key, kind, person) SELECT k.value, ?1, p.id "
               "FROM living_expert p, json_each(sv_mention_keys(p.name, p.email, p.phone)) k"
             : "INSERT OR IGNORE INTO mention_key (key, kind, person) SELECT k.value, ?1, p.id "
               "FROM living_borrower p, json_each(sv_mention_keys(p.contact_name, "
               "p.contact_email, p.contact_phone)) k";
  if (id) {
    insert += " WHERE p.id = ?2";
  }
  SQLite::Statement ins(tx.sql(), insert);
  ins.bind(1, std::string(kind));
  if (id) {
    del.bind(2, *id);
    ins.bind(2, *id);
  }
  const std::int64_t deleted = del.exec();
  ins.exec();
  return deleted;
}

void Redactor::add_person(std::int64_t id, std::string_view name,
                          std::optional<std::string_view> email,
                          std::optional<std::string_view> phone) {
  auto keys = person_keys(name, email, phone, &m_fold_memo);
  for (const auto& part : keys.parts) {
    m_words.insert(part);
  }
  if (keys.email) {
    m_emails.insert(*keys.email);
  }
  if (keys.phone) {
    m_min_phone = std::min(m_min_phone, keys.phone->size());
    m_max_phone = std::max(m_max_phone, keys.phone->size());
    m_phones.insert(*keys.phone);
  }
  if (m_keep == Keep::people) {
    Person p{id, std::move(keys.parts), keys.email.value_or(""), {}};
    if (keys.phone) {
      p.phones.push_back(std::move(*keys.phone));
    }
    m_people.push_back(std::move(p));
  }
}

void Redactor::spare(std::string_view name, std::optional<std::string_view> email,
                     std::optional<std::string_view> phone) {
  const auto own = person_keys(name, email, phone, nullptr);
  for (const auto& w : own.parts) {
    m_words.erase(w);
  }
  if (own.email) {
    m_emails.erase(*own.email);
    m_kept.insert(*own.email);
  }
  if (own.phone) {
    m_phones.erase(*own.phone);
  }
}

void Redactor::keep_address(std::string_view email) {
  if (!email.empty()) {
    m_kept.insert(text::fold_for_match(email));
  }
}

std::string Redactor::redact(std::string_view text, std::size_t* count) const {
  std::vector<Span> spans;
  std::vector<Span> kept;  // where the addresses to keep are
  if (!m_emails.empty() || !m_kept.empty()) {
    email_spans(text, m_emails.empty() ? nullptr : &m_emails, spans, nullptr,
                m_kept.empty() ? nullptr : &m_kept, &kept);
  }
  if (!m_words.empty()) {
    word_spans(text, &m_words, spans);
  }
  if (!m_phones.empty()) {
    // Runs of phone characters; within each, any window of digits that is a known number.
    std::size_t i = 0;
    while (i < text.size()) {
      if (!(text[i] >= '0' && text[i] <= '9') && text[i] != '+') {
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < text.size()) {
        if (is_phone_char(text[end])) {
          ++end;
        } else if (const auto n = phone_separator(text, end); n > 0) {
          end += n;
        } else {
          break;
        }
      }
      std::string digits;
      std::vector<std::size_t> at;  // the byte offset of each digit
      for (std::size_t k = i; k < end; ++k) {
        if (text[k] >= '0' && text[k] <= '9') {
          digits.push_back(text[k]);
          at.push_back(k);
        }
      }
      for (std::size_t from = 0; from < digits.size(); ++from) {
        // One digit longer than the longest number: "+46 70..." is "070..." in Sweden.
        for (std::size_t len = m_max_phone + 1; len >= m_min_phone && len > 0; --len) {
          if (from + len > digits.size()) {
            continue;
          }
          std::string window = digits.substr(from, len);
          const bool hit = m_phones.contains(window) || (window.rfind("46", 0) == 0 &&
                                                         m_phones.contains("0" + window.substr(2)));
          if (hit) {
            std::size_t begin = at[from];
            if (begin > i && text[begin - 1] == '+') {
              --begin;
            }
            spans.push_back({begin, at[from + len - 1] + 1});
            from += len - 1;
            break;
          }
        }
      }
      i = end;
    }
  }
  if (!kept.empty()) {
    // Nothing is replaced inside an address to keep, unless all of it is part of a longer
    // address to replace.
    std::erase_if(spans, [&kept](const Span& s) {
      return std::any_of(kept.begin(), kept.end(), [&s](const Span& k) {
        const bool overlaps = s.begin < k.end && k.begin < s.end;
        const bool covers = s.begin <= k.begin && k.end <= s.end;
        return overlaps && !covers;
      });
    });
  }
  if (count != nullptr) {
    *count = 0;
  }
  if (spans.empty()) {
    return std::string(text);
  }
  // In the order of the text; of two that begin at the same byte (an address and the name
  // part it begins with) the longer first. A span that begins inside one replaced (a name
  // inside an address) is part of that replacement, and so is any of it that reaches past it:
  // no piece of a mention is ever left.
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::string out;
  std::size_t pos = 0;
  for (const auto& s : spans) {
    if (s.begin < pos) {
      pos = std::max(pos, s.end);
      continue;
    }
    out.append(text.substr(pos, s.begin - pos));
    out.append(redacted_token);
    pos = s.end;
    if (count != nullptr) {
      ++*count;
    }
  }
  out.append(text.substr(pos));
  return out;
}

std::vector<std::int64_t> Redactor::mentioned(std::string_view text) const {
  if (m_keep != Keep::people) {
    throw make_error(ExitCode::software, "Redactor::mentioned needs a redactor that keeps people");
  }
  std::vector<Span> ignored;
  std::vector<std::string> words;
  std::vector<std::string> addresses;
  word_spans(text, nullptr, ignored, &words);
  email_spans(text, nullptr, ignored, &addresses);
  const std::unordered_set<std::string> word_set(words.begin(), words.end());
  const std::unordered_set<std::string> address_set(addresses.begin(), addresses.end());
  std::vector<std::int64_t> out;
  for (const auto& p : m_people) {
    const bool by_name =
        !p.parts.empty() && std::all_of(p.parts.begin(), p.parts.end(), [&](const std::string& w) {
          return word_set.count(w) != 0 || word_set.count(w + "s") != 0;
        });
    const bool by_email = !p.email.empty() && address_set.count(p.email) != 0;
    bool by_phone = false;
    if (!p.phones.empty()) {
      Redactor one;
      one.add_person(p.id, "", std::nullopt, p.phones.front());
      std::size_t n = 0;
      one.redact(text, &n);
      by_phone = n > 0;
    }
    if (by_name || by_email || by_phone) {
      out.push_back(p.id);
    }
  }
  return out;
}

}  // namespace lbib::privacy

// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "lbib/db/database.hpp"
#include "lbib/text/string_set.hpp"

/// Free text and the person: what each text column of the schema holds, which tables are
/// about one expert, and the redaction of a person's mentions from shared text.
namespace lbib::privacy {

/// What erasure and the subject's export do with one text column.
enum class Rule {
  structured,  ///< dates, enumerations, keys, hashes and texts lbib writes itself: no free text
  contact,     ///< a contact field of the person's own record, replaced by the erased stub
  own,         ///< free text of one person: cleared on their erasure, redacted for everyone else
  shared,      ///< free text that may mention anyone: each erased person's mentions redacted
  staff,       ///< who recorded something (a contact person or OS user): not a data subject
};

/// The rule for one column; for Rule::own, `owner` is the SQL condition (with ?1 the
/// expert's id) that selects the person's own rows.
struct ColumnRule {
  std::string_view table;
  std::string_view column;
  Rule rule;
  std::string_view owner = {};
};

/// Every text column lbib has a rule for. A test compares it with the schema, so a new text
/// column cannot be forgotten; at run time a column without a rule is treated as shared.
std::span<const ColumnRule> column_rules();

/// A text column of the register's schema.
struct TextColumn {
  std::string table;
  std::string column;
  Rule rule;
  std::string owner;  // Rule::own only
  bool not_null = false;
};

/// The TEXT columns of the register as it is (read from sqlite_schema), each with its rule.
std::vector<TextColumn> text_columns(db::Database& db);

/// How one table's rows belong to an expert: `condition` selects them, ?1 the expert's id.
struct PersonLink {
  std::string table;
  std::string condition;
};

/// The tables that hold rows about one expert, derived from the schema: every table with a
/// foreign key to expert(id) or an expert_id column, and the ones that name a person by a
/// kind and an id (notice, survey_response, audit).
std::vector<PersonLink> expert_links(db::Database& db);

/// Tables that hold no row about one person, each with the reason (the test of the links
/// requires every table to be linked or named here).
std::span<const std::pair<std::string_view, std::string_view>> unlinked_tables();

/// The fixed token that replaces a redacted mention.
inline constexpr std::string_view redacted_token = "[raderad]";

/// Finds and replaces the mentions of given people in free text: every part of their name
/// (as a whole word, also in the Swedish genitive), their e-mail and their phone number,
/// compared case- and accent-insensitively.
class Redactor {
 public:
  /// What a redactor keeps. Redacting needs only the sets of everyone's name parts, addresses
  /// and numbers; `mentioned` also needs each person's own, which at 100,000 people (erasing
  /// everyone when the library closes) is more than the sets themselves.
  enum class Keep { keys, people };

  explicit Redactor(Keep keep = Keep::keys) : m_keep(keep) {}

  /// Adds a person. Name parts shorter than two letters are not matched on their own.
  void add_person(std::int64_t id, std::string_view name, std::optional<std::string_view> email,
                  std::optional<std::string_view> phone);

  /// Never redacts what is `name`'s, `email`'s or `phone`'s: the words of the person whose
  /// own export this is (another person may share a first name with them).
  void spare(std::string_view name, std::optional<std::string_view> email,
             std::optional<std::string_view> phone);

  /// Never replaces anything inside `email` where it occurs (a living person's address, of
  /// which an erased person's address or name part may be a part), unless all of it is part
  /// of a longer address of someone added. spare() keeps the subject's own address so.
  void keep_address(std::string_view email);

  /// True when there is nothing to redact: no person was added, or all they had was spared.
  bool empty() const { return m_words.empty() && m_emails.empty() && m_phones.empty(); }

  /// `text` with every mention replaced by redacted_token; `count` receives how many.
  std::string redact(std::string_view text, std::size_t* count = nullptr) const;

  /// The people whose whole name, e-mail or phone `text` mentions, by id (a redactor made
  /// with Keep::people; any other is a bug, Error(software)).
  std::vector<std::int64_t> mentioned(std::string_view text) const;

 private:
  struct Person {
    std::int64_t id;
    std::vector<std::string> parts;  // folded name parts
    std::string email;               // folded
    std::vector<std::string> phones;
  };
  Keep m_keep;
  std::vector<Person> m_people;  // Keep::people only
  // Every person's keys, folded: one set each, compact (everyone's, when the library closes).
  text::StringSet m_words;
  text::StringSet m_emails;
  text::StringSet m_phones;
  text::StringSet m_kept;  // addresses never cut into (keep_address)
  std::unordered_map<std::string, std::string> m_fold_memo;  // name part as written -> folded
  std::size_t m_min_phone = 1000;
  std::size_t m_max_phone = 0;
};

/// The words, e-mail addresses and digits of some texts, as Redactor compares them. A person
/// none of whose name parts, e-mail or phone number occurs in those texts is never redacted
/// from them, so a Redactor for those texts needs only the people may_mention admits: the
/// subject's export redacts its few texts without holding the whole register's names.
class MentionIndex {
 public:
  /// Notes the words, addresses and digits of `text`.
  void add_text(std::string_view text);

  /// As Redactor::spare, for a Redactor that will spare the same: the subject's own name
  /// parts, e-mail and phone admit no one (call after the last add_text).
  void spare(std::string_view name, std::optional<std::string_view> email,
             std::optional<std::string_view> phone);

  /// False when Redactor::redact (after the same spare) and Redactor::mentioned cannot find
  /// this person in any text added (a true is not a mention: a first name may be another's).
  bool may_mention(std::string_view name, std::optional<std::string_view> email,
                   std::optional<std::string_view> phone);

  /// The people (experts, and borrowers' contact persons) one of whose mention keys
  /// (migration 25's table mention_key) is a word or an address of the texts added, or is in
  /// their digits: every living person may_mention admits, and few others, found by index
  /// without reading every name (call after spare). Each list in ascending order. More than
  /// `limit` found (a name part most people share) stops the search with `many` set: reading
  /// every name is then the faster way to the same people.
  struct Candidates {
    std::vector<std::int64_t> experts;
    std::vector<std::int64_t> borrowers;
    bool many = false;
  };
  Candidates candidates(db::Database& db, std::size_t limit) const;

 private:
  std::unordered_set<std::string> m_words;   // folded, and without a genitive s
  std::unordered_set<std::string> m_emails;  // folded
  std::vector<std::string> m_digits;         // every digit of each text, in order
  std::unordered_set<std::string> m_spared_phones;
  std::unordered_map<std::string, std::string> m_fold_memo;  // for add_text
  std::unordered_map<std::string, bool> m_admits;            // a name's non-ASCII word -> admits
  std::string m_ascii_word;
};

/// The digits of a phone number in national form ("+46 70-1" and "070-1" both give "0701").
std::string phone_digits(std::string_view phone);

/// Whether the register keeps mention keys (migration 25): a register opened read-only
/// without its migrations has none, and the subject's export then reads every name.
bool has_mention_keys(db::Database& db);

/// Writes the mention keys (text::mention_keys) of the living expert or borrower's contact
/// person `id` (`kind` "expert" or "borrower"), or of every one of that kind, in place of what
/// the table held for them: called by every write of a name, an e-mail or a phone. A person
/// not living (erased, or gone by a merge) is left with none. Returns how many rows it deleted.
std::int64_t refresh_mention_keys(db::WriteTransaction& tx, std::string_view kind,
                                  std::optional<std::int64_t> id);

}  // namespace lbib::privacy

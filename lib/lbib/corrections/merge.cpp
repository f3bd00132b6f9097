// SPDX-License-Identifier: MIT
#include "lbib/corrections/merge.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/privacy/freetext.hpp"
#include "lbib/text/date.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::corrections {
namespace {

// Tables linked to an expert that a merge leaves as they are, and why.
constexpr std::array<std::string_view, 2> k_not_moved{
    "expert",  // the record itself: merged field by field below
    "audit",   // the log says what happened to which id; it is never rewritten
};

// The id column of the links that name a person other than by a foreign key
// (privacy::expert_links' indirect links).
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> k_indirect_columns{{
    {"merged_record", "kept_id"},
    {"notice", "recipient_id"},
    {"survey_response", "respondent"},
}};

// The column that holds the expert's id in `link`: "COL = ?1" for a foreign key, else the
// indirect link's known column. A link of another form is a programming error: a new kind of
// link must say here how it is merged.
std::string id_column(const privacy::PersonLink& link) {
  for (const auto& [table, column] : k_indirect_columns) {
    if (link.table == table) {
      return std::string(column);
    }
  }
  constexpr std::string_view suffix = " = ?1";
  const std::string_view c = link.condition;
  if (c.size() > suffix.size() && c.substr(c.size() - suffix.size()) == suffix &&
      c.substr(0, c.size() - suffix.size()).find_first_of(" ()'") == std::string_view::npos) {
    return std::string(c.substr(0, c.size() - suffix.size()));
  }
  throw make_error(ExitCode::software, "expert merge: no rule for the link of table {}",
                   link.table);
}

// Where both have a consent in force for the same purpose, the older one ends on the day the
// newer was given (as when a consent is given again), so both stay in the history; and a
// withdrawal on either record is never undone by a consent on the other given before it.
void end_older_consents(db::WriteTransaction& tx, std::int64_t keep, std::int64_t drop) {
  constexpr const char* newer =
      "FROM active_consent n WHERE n.expert_id IN (?1, ?2) AND n.id <> consent.id AND n.purpose = "
      "consent.purpose AND (n.given_on > consent.given_on OR "
      "(n.given_on = consent.given_on AND n.id > consent.id))";
  SQLite::Statement q(
      tx.sql(),
      fmt::format("UPDATE consent SET withdrawn_on = (SELECT n.given_on {0}) "
                  "WHERE id IN (SELECT id FROM active_consent WHERE expert_id IN (?1, ?2)) "
                  "AND EXISTS (SELECT 1 {0})",
                  newer));
  q.bind(1, keep);
  q.bind(2, drop);
  q.exec();
  // The person's latest word on a purpose stands: a consent withdrawn on either record after a
  // consent still in force on the other was given ends that one too, on the same day.
  constexpr const char* later_withdrawal =
      "FROM consent w WHERE w.expert_id IN (?1, ?2) AND w.purpose = consent.purpose "
      "AND w.withdrawn_on IS NOT NULL AND w.withdrawn_on > consent.given_on";
  SQLite::Statement w(
      tx.sql(),
      fmt::format("UPDATE consent SET withdrawn_on = (SELECT max(w.withdrawn_on) "
                  "{0}) WHERE id IN (SELECT id FROM active_consent WHERE expert_id IN (?1, ?2)) "
                  "AND EXISTS (SELECT 1 {0})",
                  later_withdrawal));
  w.bind(1, keep);
  w.bind(2, drop);
  w.exec();
}

// The columns of `table` other than `skip`.
std::vector<std::string> columns_of(db::Database& db, std::string_view table,
                                    const std::vector<std::string_view>& skip) {
  SQLite::Statement q(db.sql(), "SELECT name FROM pragma_table_info(?) ORDER BY cid");
  q.bind(1, std::string(table));
  std::vector<std::string> out;
  while (q.executeStep()) {
    auto name = q.getColumn(0).getString();
    if (std::find(skip.begin(), skip.end(), name) == skip.end()) {
      out.push_back(std::move(name));
    }
  }
  return out;
}

// Fills `keep`'s empty columns of `table` from `drop`'s.
void fill_missing(db::WriteTransaction& tx, std::string_view table, std::int64_t keep,
                  std::int64_t drop, const std::vector<std::string_view>& skip) {
  for (const auto& column : columns_of(tx.database(), table, skip)) {
    SQLite::Statement s(tx.sql(),
                        fmt::format("UPDATE {0} SET \"{1}\" = (SELECT d.\"{1}\" FROM {0} d WHERE "
                                    "d.id = ?2) WHERE id = ?1 AND \"{1}\" IS NULL",
                                    table, column));
    s.bind(1, keep);
    s.bind(2, drop);
    s.exec();
  }
}

void check_pair(std::int64_t keep, std::int64_t drop, std::string_view command) {
  if (keep == drop) {
    throw make_error(ExitCode::usage, "{}: KEEP and DROP are the same id ({})", command, keep);
  }
}

// Deletes `drop` and records that it was merged into `keep` (for the erasure ledger).
void drop_record(db::WriteTransaction& tx, std::string_view kind, std::int64_t keep,
                 std::int64_t drop, text::Date today) {
  SQLite::Statement del(tx.sql(), fmt::format("DELETE FROM {} WHERE id = ?", kind));
  del.bind(1, drop);
  del.exec();
  SQLite::Statement rec(tx.sql(),
                        "INSERT INTO merged_record (kind, dropped_id, kept_id, merged_on) "
                        "VALUES (?, ?, ?, ?)");
  rec.bind(1, std::string(kind));
  rec.bind(2, drop);
  rec.bind(3, keep);
  rec.bind(4, text::format_date(today));
  rec.exec();
  // Records merged into `drop` earlier now belong to `keep` (for experts, the links did it).
  SQLite::Statement up(tx.sql(),
                       "UPDATE merged_record SET kept_id = ? WHERE kind = ? AND kept_id = ?");
  up.bind(1, keep);
  up.bind(2, std::string(kind));
  up.bind(3, drop);
  up.exec();
}

}  // namespace

void merge_experts(db::WriteTransaction& tx, std::int64_t keep, std::int64_t drop, text::Date today,
                   const audit::Actor& actor) {
  check_pair(keep, drop, "expert merge");
  auto& db = tx.database();
  for (const auto id : {keep, drop}) {
    if (experts::get(db, id).erased_on) {  // an unknown id is refused by name
      throw make_error(ExitCode::data, "expert {} was erased; an erased record cannot be merged",
                       id);
    }
  }
  SQLite::Statement both(db.sql(),
                         "SELECT a.request_id FROM loan_participant a JOIN loan_participant b "
                         "ON b.request_id = a.request_id AND b.expert_id = ?2 "
                         "WHERE a.expert_id = ?1 ORDER BY a.request_id LIMIT 1");
  both.bind(1, keep);
  both.bind(2, drop);
  if (both.executeStep()) {
    throw make_error(ExitCode::data,
                     "experts {} and {} both took part in the loan of request {}; one person "
                     "cannot take part twice (correct the loan first with 'lbib loan correct')",
                     keep, drop, both.getColumn(0).getInt64());
  }
  // Rows move from child to parent and back within this transaction (a payment follows its
  // participant): the foreign keys are checked once, at commit.
  tx.sql().exec("PRAGMA defer_foreign_keys = ON");
  // A regular expert stays one when the record merged into it was recruited for one
  // assignment (issue #16): that recruit counts as having joined on the day of the merge.
  SQLite::Statement scoped(db.sql(), "SELECT 1 FROM assignment_recruit WHERE expert_id = ?");
  scoped.bind(1, keep);
  const bool keep_regular = !scoped.executeStep();
  end_older_consents(tx, keep, drop);
  for (const auto& link : privacy::expert_links(db)) {
    if (std::find(k_not_moved.begin(), k_not_moved.end(), link.table) != k_not_moved.end()) {
      continue;
    }
    const auto column = id_column(link);
    // Where keep has the same row already, keep's stays and drop's is deleted.
    SQLite::Statement move(tx.sql(), fmt::format("UPDATE OR IGNORE {} SET \"{}\" = ?2 WHERE {}",
                                                 link.table, column, link.condition));
    move.bind(1, drop);
    move.bind(2, keep);
    move.exec();
    SQLite::Statement rest(tx.sql(),
                           fmt::format("DELETE FROM {} WHERE {}", link.table, link.condition));
    rest.bind(1, drop);
    rest.exec();
  }
  if (keep_regular) {
    SQLite::Statement joined(tx.sql(),
                             "UPDATE assignment_recruit SET joined_on = ?2 "
                             "WHERE expert_id = ?1 AND joined_on IS NULL");
    joined.bind(1, keep);
    joined.bind(2, text::format_date(today));
    joined.exec();
  }
  // The notes of both, joined; then every field keep lacks, from drop.
  SQLite::Statement notes(tx.sql(), R"sql(
    SELECT k.notes || char(10) || char(10) || d.notes FROM expert k, expert d
    WHERE k.id = ?1 AND d.id = ?2 AND k.notes IS NOT NULL AND d.notes IS NOT NULL)sql");
  notes.bind(1, keep);
  notes.bind(2, drop);
  if (notes.executeStep()) {
    const auto joined = notes.getColumn(0).getString();
    if (joined.size() > text::limits::notes) {
      throw make_error(ExitCode::data,
                       "notes: the notes of experts {} and {} together are longer than {} "
                       "characters; shorten one with 'lbib expert edit --notes' first",
                       keep, drop, text::limits::notes);
    }
    SQLite::Statement set(tx.sql(), "UPDATE expert SET notes = ? WHERE id = ?");
    set.bind(1, joined);
    set.bind(2, keep);
    set.exec();
  }
  // The status, the days it changed and erasure belong together and stay keep's; notes that
  // only drop has are taken like any other field.
  // The identity keys are derived from the name, e-mail and phone: computed anew below.
  fill_missing(tx, "expert", keep, drop,
               {"id", "status", "left_on", "paused_on", "erased_on", "name_folded", "email_folded",
                "phone_digits"});
  // What keep's record does not know (the background questions), drop's may.
  for (const char* column : {"born_abroad", "care_professional", "retired"}) {
    SQLite::Statement known(
        tx.sql(),
        fmt::format("UPDATE expert SET {0} = (SELECT d.{0} FROM expert d WHERE d.id = ?2) "
                    "WHERE id = ?1 AND {0} = 'unknown'",
                    column));
    known.bind(1, keep);
    known.bind(2, drop);
    known.exec();
  }
  SQLite::Statement first(tx.sql(),
                          "UPDATE expert SET interviewed_on = min(interviewed_on, (SELECT "
                          "interviewed_on FROM expert WHERE id = ?2)) WHERE id = ?1");
  first.bind(1, keep);
  first.bind(2, drop);
  first.exec();
  experts::refresh_identity_keys(tx, keep);
  drop_record(tx, "expert", keep, drop, today);
  privacy::refresh_mention_keys(tx, "expert", drop);  // gone: its keys with it
  audit::record(tx, actor, "merge", "expert", keep, fmt::format("merged expert {}", drop));
  audit::record(tx, actor, "merged", "expert", drop, fmt::format("into expert {}", keep));
}

void merge_borrowers(db::WriteTransaction& tx, std::int64_t keep, std::int64_t drop,
                     text::Date today, const audit::Actor& actor) {
  check_pair(keep, drop, "borrower merge");
  auto& db = tx.database();
  for (const auto id : {keep, drop}) {
    if (lending::get_borrower(db, id).erased_on) {  // an unknown id is refused by name
      throw make_error(ExitCode::data,
                       "borrower {}'s contact person was erased; an erased record cannot be "
                       "merged",
                       id);
    }
  }
  // Every table with a foreign key to borrower, as the schema says.
  SQLite::Statement fk(db.sql(), R"sql(
    SELECT DISTINCT m.name, f."from" FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f
    WHERE m.type = 'table' AND f."table" = 'borrower' ORDER BY m.name)sql");
  std::vector<std::pair<std::string, std::string>> links;
  while (fk.executeStep()) {
    links.emplace_back(fk.getColumn(0).getString(), fk.getColumn(1).getString());
  }
  for (const auto& [table, column] : links) {
    SQLite::Statement move(tx.sql(), fmt::format("UPDATE OR IGNORE {0} SET \"{1}\" = ?2 "
                                                 "WHERE \"{1}\" = ?1",
                                                 table, column));
    move.bind(1, drop);
    move.bind(2, keep);
    move.exec();
  }
  // The closing mailings and survey answers name a borrower by kind and id.
  struct Indirect {
    const char* table;
    const char* column;
    const char* kind;
  };
  for (const auto& link : {Indirect{"notice", "recipient_id", "survey-borrowers"},
                           Indirect{"survey_response", "respondent", "borrowers"}}) {
    SQLite::Statement move(tx.sql(), fmt::format("UPDATE OR IGNORE {0} SET {1} = ?2 WHERE kind = "
                                                 "'{2}' AND {1} = ?1",
                                                 link.table, link.column, link.kind));
    move.bind(1, drop);
    move.bind(2, keep);
    move.exec();
    SQLite::Statement rest(tx.sql(), fmt::format("DELETE FROM {0} WHERE kind = '{2}' AND {1} = ?1",
                                                 link.table, link.column, link.kind));
    rest.bind(1, drop);
    rest.exec();
  }
  fill_missing(tx, "borrower", keep, drop, {"id", "erased_on"});
  drop_record(tx, "borrower", keep, drop, today);
  // Keep's contact may have taken drop's phone; drop's keys go with it.
  privacy::refresh_mention_keys(tx, "borrower", keep);
  privacy::refresh_mention_keys(tx, "borrower", drop);
  audit::record(tx, actor, "merge", "borrower", keep, fmt::format("merged borrower {}", drop));
  audit::record(tx, actor, "merged", "borrower", drop, fmt::format("into borrower {}", keep));
}

}  // namespace lbib::corrections

// SPDX-License-Identifier: MIT
#pragma once

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/output/format.hpp"
#include "lbib/text/date.hpp"

/// Borrowers (låntagare): organisations that send requests, and the lending cycle around them.
namespace lbib::lending {

/// An organisation and its contact person for requests.
struct Borrower {
  std::int64_t id = 0;
  std::string organisation;
  std::optional<std::string> unit;
  std::string contact_name;
  std::string contact_email;
  std::optional<std::string> contact_phone;
  std::optional<text::Date> erased_on;      // the contact person was erased on this day
  std::optional<std::string> sector;        // a key of taxonomy.sectors
  std::optional<std::string> municipality;  // one of county.municipalities

  /// "Organisation, unit" as mail and reports show it.
  std::string display() const;
};

/// Changes to a borrower; an empty string clears an optional field.
struct BorrowerChanges {
  std::optional<std::string> organisation;
  std::optional<std::string> unit;
  std::optional<std::string> contact_name;
  std::optional<std::string> contact_email;
  std::optional<std::string> contact_phone;
  std::optional<std::string> sector;
  std::optional<std::string> municipality;
};

/// Checks a borrower's fields; throws Error(data) naming the field.
void validate(const Borrower& b);

/// Checks the sector against taxonomy.sectors and the municipality against
/// county.municipalities; throws Error(data) listing what is accepted.
void validate_place(const Borrower& b, const config::Config& config);

/// Whether a borrower that looks already registered may be added.
enum class Duplicates { refuse, allow };

/// The borrower (not erased) that `b` looks like, if any: the same contact e-mail in any case,
/// the same contact phone (its digits), or the same organisation, unit and contact name.
std::optional<std::int64_t> find_duplicate(db::Database& db, const Borrower& b);

/// Adds a borrower; returns the new id. A borrower that looks already registered
/// (find_duplicate) is refused unless `duplicates` allows it.
std::int64_t add_borrower(db::WriteTransaction& tx, const Borrower& b, const audit::Actor& actor,
                          Duplicates duplicates = Duplicates::refuse);

/// Applies `changes` to borrower `id`.
void edit_borrower(db::WriteTransaction& tx, std::int64_t id, const BorrowerChanges& changes,
                   const audit::Actor& actor);

/// The borrower with `id`; throws Error(no_input) when there is none.
Borrower get_borrower(db::Database& db, std::int64_t id);

/// Borrowers looked up one by one through one prepared statement, for a command that names the
/// borrowers of many requests (`remind`, `lbib today`).
class BorrowerLookup {
 public:
  explicit BorrowerLookup(db::Database& db);
  /// As `get_borrower`.
  Borrower get(std::int64_t id);

 private:
  SQLite::Statement m_query;
};

/// The borrower with `id` to act on: as `get_borrower`, and Error(data) when its contact person
/// was erased.
Borrower get_living_borrower(db::Database& db, std::int64_t id);

/// The ids of the borrowers, erased ones left out, in order (shell completion).
std::vector<std::int64_t> borrower_ids(db::Database& db);

/// All borrowers by id.
std::vector<Borrower> list_borrowers(db::Database& db);

/// Rows for `lbib borrower list`.
output::Table borrowers_table(const std::vector<Borrower>& borrowers);

/// The record for `lbib borrower show`.
output::Record borrower_record(const Borrower& b);

}  // namespace lbib::lending

// SPDX-License-Identifier: MIT
#include "lbib/lending/borrowers.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "lbib/error.hpp"
#include "lbib/privacy/freetext.hpp"
#include "lbib/text/collate.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::lending {
namespace {

constexpr const char* columns =
    "id, organisation, unit, contact_name, contact_email, contact_phone, erased_on, sector, "
    "municipality";

void bind_text(SQLite::Statement& s, int index, const std::optional<std::string>& v) {
  if (v) {
    s.bind(index, *v);
  } else {
    s.bind(index);
  }
}

std::optional<std::string> opt_text(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt : std::optional<std::string>(c.getString());
}

Borrower read(SQLite::Statement& q) {
  Borrower b{q.getColumn(0).getInt64(),
             q.getColumn(1).getString(),
             opt_text(q.getColumn(2)),
             q.getColumn(3).getString(),
             q.getColumn(4).getString(),
             opt_text(q.getColumn(5)),
             std::nullopt,
             std::nullopt,
             std::nullopt};
  if (!q.getColumn(6).isNull()) {
    b.erased_on = text::parse_date("erased_on", q.getColumn(6).getString());
  }
  b.sector = opt_text(q.getColumn(7));
  b.municipality = opt_text(q.getColumn(8));
  return b;
}

void bind_fields(SQLite::Statement& s, const Borrower& b) {
  s.bind(1, b.organisation);
  bind_text(s, 2, b.unit);
  s.bind(3, b.contact_name);
  s.bind(4, b.contact_email);
  bind_text(s, 5, b.contact_phone);
  bind_text(s, 6, b.sector);
  bind_text(s, 7, b.municipality);
}

output::Value opt(const std::optional<std::string>& s) {
  return s ? output::Value{*s} : output::Value{};
}

}  // namespace

std::string Borrower::display() const {
  return unit ? organisation + ", " + *unit : organisation;
}

void validate(const Borrower& b) {
  text::check_line("organisation", b.organisation, text::limits::name);
  if (b.organisation.empty()) {
    throw make_error(ExitCode::data, "organisation: must not be empty");
  }
  if (b.unit) {
    text::check_line("unit", *b.unit, text::limits::name);
  }
  text::check_line("contact-name", b.contact_name, text::limits::name);
  if (b.contact_name.empty()) {
    throw make_error(ExitCode::data, "contact-name: must not be empty");
  }
  text::check_email("contact-email", b.contact_email);
  if (b.contact_phone) {
    text::check_line("contact-phone", *b.contact_phone, text::limits::phone);
  }
}

void validate_place(const Borrower& b, const config::Config& config) {
  if (b.sector && config::find_term(config.sectors, *b.sector) == nullptr) {
    throw make_error(ExitCode::data, "sector: unknown sector '{}'; use one of: {}",
                     text::printable(*b.sector), config::keys_of(config.sectors));
  }
  const auto& names = config.county.municipalities;
  if (b.municipality && std::find(names.begin(), names.end(), *b.municipality) == names.end()) {
    throw make_error(ExitCode::data,
                     "municipality: '{}' is not one of the county's municipalities: {} (leave it "
                     "out for an organisation of the whole county)",
                     text::printable(*b.municipality), text::join(names, ", "));
  }
}

std::optional<std::int64_t> find_duplicate(db::Database& db, const Borrower& b) {
  SQLite::Statement q(db.sql(),
                      std::string("SELECT ") + columns + " FROM living_borrower ORDER BY id");
  const auto email = text::fold_identity(b.contact_email);
  const auto phone = b.contact_phone ? privacy::phone_digits(*b.contact_phone) : std::string();
  const auto fold = [](const std::optional<std::string>& s) {
    return s ? text::fold_identity(*s) : std::string();
  };
  while (q.executeStep()) {
    const Borrower other = read(q);
    const bool same_email = text::fold_identity(other.contact_email) == email;
    const bool same_phone = !phone.empty() && other.contact_phone &&
                            privacy::phone_digits(*other.contact_phone) == phone;
    const bool same_names =
        text::fold_identity(other.organisation) == text::fold_identity(b.organisation) &&
        fold(other.unit) == fold(b.unit) &&
        text::fold_identity(other.contact_name) == text::fold_identity(b.contact_name);
    if (same_email || same_phone || same_names) {
      return other.id;
    }
  }
  return std::nullopt;
}

std::int64_t add_borrower(db::WriteTransaction& tx, const Borrower& b, const audit::Actor& actor,
                          Duplicates duplicates) {
  validate(b);
  if (duplicates == Duplicates::refuse) {
    if (const auto existing = find_duplicate(tx.database(), b)) {
      throw make_error(ExitCode::data,
                       "already registered as borrower {} (the same contact e-mail, phone, or "
                       "organisation, unit and contact name); --allow-duplicate to add anyway",
                       *existing);
    }
  }
  SQLite::Statement s(tx.sql(),
                      "INSERT INTO borrower (organisation, unit, contact_name, contact_email, "
                      "contact_phone, sector, municipality) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  bind_fields(s, b);
  s.exec();
  const auto id = tx.sql().getLastInsertRowid();
  privacy::refresh_mention_keys(tx, "borrower", id);
  audit::record(tx, actor, "add", "borrower", id);
  return id;
}

void edit_borrower(db::WriteTransaction& tx, std::int64_t id, const BorrowerChanges& c,
                   const audit::Actor& actor) {
  Borrower b = get_living_borrower(tx.database(), id);
  std::vector<std::string> changed;
  const auto apply = [&](std::optional<std::string>& field, const std::optional<std::string>& v,
                         const char* name) {
    if (v) {
      field = v->empty() ? std::nullopt : v;
      changed.emplace_back(name);
    }
  };
  const auto apply_required = [&](std::string& field, const std::optional<std::string>& v,
                                  const char* name) {
    if (v) {
      field = *v;
      changed.emplace_back(name);
    }
  };
  apply_required(b.organisation, c.organisation, "organisation");
  apply(b.unit, c.unit, "unit");
  apply_required(b.contact_name, c.contact_name, "contact_name");
  apply_required(b.contact_email, c.contact_email, "contact_email");
  apply(b.contact_phone, c.contact_phone, "contact_phone");
  apply(b.sector, c.sector, "sector");
  apply(b.municipality, c.municipality, "municipality");
  if (changed.empty()) {
    throw make_error(ExitCode::usage,
                     "borrower edit: nothing to change; see 'lbib borrower edit --help'");
  }
  validate(b);
  SQLite::Statement s(tx.sql(),
                      "UPDATE borrower SET organisation = ?1, unit = ?2, contact_name = ?3, "
                      "contact_email = ?4, contact_phone = ?5, sector = ?6, municipality = ?7 "
                      "WHERE id = ?8");
  bind_fields(s, b);
  s.bind(8, id);
  s.exec();
  privacy::refresh_mention_keys(tx, "borrower", id);
  audit::record(tx, actor, "edit", "borrower", id, text::join(changed, ","));
}

BorrowerLookup::BorrowerLookup(db::Database& db)
    : m_query(db.sql(), std::string("SELECT ") + columns + " FROM borrower WHERE id = ?") {}

Borrower BorrowerLookup::get(std::int64_t id) {
  m_query.reset();
  m_query.bind(1, id);
  if (!m_query.executeStep()) {
    throw make_error(ExitCode::no_input, "no borrower with id {}", id);
  }
  Borrower b = read(m_query);
  m_query.reset();  // no statement left open between lookups
  return b;
}

Borrower get_borrower(db::Database& db, std::int64_t id) {
  return BorrowerLookup(db).get(id);
}

Borrower get_living_borrower(db::Database& db, std::int64_t id) {
  Borrower b = get_borrower(db, id);
  if (b.erased_on) {
    throw make_error(ExitCode::data, "borrower {}'s contact person was erased on {}", id,
                     text::format_date(*b.erased_on));
  }
  return b;
}

std::vector<std::int64_t> borrower_ids(db::Database& db) {
  SQLite::Statement q(db.sql(), "SELECT id FROM living_borrower ORDER BY id");
  std::vector<std::int64_t> ids;
  while (q.executeStep()) {
    ids.push_back(q.getColumn(0).getInt64());
  }
  return ids;
}

std::vector<Borrower> list_borrowers(db::Database& db) {
  SQLite::Statement q(db.sql(), std::string("SELECT ") + columns + " FROM borrower ORDER BY id");
  std::vector<Borrower> out;
  while (q.executeStep()) {
    out.push_back(read(q));
  }
  return out;
}

output::Table borrowers_table(const std::vector<Borrower>& borrowers) {
  output::Table t{{"id", "organisation", "unit", "contact_name", "contact_email", "contact_phone",
                   "sector", "municipality"},
                  {}};
  for (const auto& b : borrowers) {
    t.rows.push_back({b.id, b.organisation, opt(b.unit), b.contact_name, b.contact_email,
                      opt(b.contact_phone), opt(b.sector), opt(b.municipality)});
  }
  return t;
}

output::Record borrower_record(const Borrower& b) {
  output::Record r;
  r.fields = {{"id", b.id},
              {"organisation", b.organisation},
              {"unit", opt(b.unit)},
              {"contact_name", b.contact_name},
              {"contact_email", b.contact_email},
              {"contact_phone", opt(b.contact_phone)},
              {"sector", opt(b.sector)},
              {"municipality", opt(b.municipality)}};
  return r;
}

}  // namespace lbib::lending

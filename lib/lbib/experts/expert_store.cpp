// SPDX-License-Identifier: MIT
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <map>

#include "lbib/experts/store.hpp"
#include "lbib/privacy/freetext.hpp"

namespace lbib::experts::store {
namespace {

void bind_optional(SQLite::Statement& s, int index, const std::optional<std::string>& value) {
  if (value) {
    s.bind(index, *value);
  } else {
    s.bind(index);
  }
}

void bind_optional(SQLite::Statement& s, int index, const std::optional<int>& value) {
  if (value) {
    s.bind(index, *value);
  } else {
    s.bind(index);
  }
}

std::optional<std::string> optional_text(const SQLite::Column& c) {
  if (c.isNull()) {
    return std::nullopt;
  }
  return c.getString();
}

std::optional<int> optional_int(const SQLite::Column& c) {
  if (c.isNull()) {
    return std::nullopt;
  }
  return c.getInt();
}

std::optional<text::Date> optional_date(const SQLite::Column& c) {
  if (c.isNull()) {
    return std::nullopt;
  }
  return text::parse_date("date", c.getString());
}

// Binds ?1..?12 of INSERT and UPDATE alike.
void bind_profile(SQLite::Statement& s, const Profile& p) {
  s.bind(1, p.name);
  if (p.email.empty()) {  // reached by telephone only
    s.bind(2);
  } else {
    s.bind(2, p.email);
  }
  bind_optional(s, 3, p.phone);
  bind_optional(s, 4, p.municipality);
  bind_optional(s, 5, p.birth_year);
  s.bind(6, std::string(to_string(p.born_abroad)));
  s.bind(7, std::string(to_string(p.care_professional)));
  s.bind(8, std::string(to_string(p.retired)));
  s.bind(9, p.channel);
  s.bind(10, text::format_date(p.interviewed_on));
  bind_optional(s, 11, p.notes);
  bind_optional(s, 12, p.postal_address);
}

constexpr const char* expert_columns =
    "id, name, email, phone, municipality, birth_year, born_abroad, care_professional, "
    "retired, channel, interviewed_on, notes, status, left_on, erased_on, postal_address";

Expert read_expert(SQLite::Statement& q) {
  Expert e;
  e.id = q.getColumn(0).getInt64();
  Profile& p = e.profile;
  p.name = q.getColumn(1).getString();
  p.email = q.getColumn(2).getString();
  p.phone = optional_text(q.getColumn(3));
  p.municipality = optional_text(q.getColumn(4));
  p.birth_year = optional_int(q.getColumn(5));
  p.born_abroad = parse_answer("born_abroad", q.getColumn(6).getString());
  p.care_professional = parse_answer("care_professional", q.getColumn(7).getString());
  p.retired = parse_answer("retired", q.getColumn(8).getString());
  p.channel = q.getColumn(9).getString();
  p.interviewed_on = text::parse_date("interviewed_on", q.getColumn(10).getString());
  p.notes = optional_text(q.getColumn(11));
  e.status = parse_status("status", q.getColumn(12).getString());
  e.left_on = optional_date(q.getColumn(13));
  e.erased_on = optional_date(q.getColumn(14));
  p.postal_address = optional_text(q.getColumn(15));
  return e;
}

// The WHERE clause shared by the expert query and its experience and consent queries, so the
// three always select the same experts. Only the filters given are written, so each one can
// use its index (a generic "?1 IS NULL OR ..." cannot). Parameters: ?1 status,
// ?2 municipality, ?3 area, ?4 role, ?5 part of the name; bind_filter binds the same ones.
// A status filter asks of living experts only (`experts_source`), not of erased stubs.
std::string filter_clause(const Filter& f) {
  std::string where = "1";
  if (f.status) {
    where += " AND e.status = ?1";
  }
  if (f.municipality) {
    where += " AND e.municipality = ?2";
  }
  if (f.name_contains) {
    where += " AND instr(sv_fold(e.name), sv_fold(?5)) > 0";
  }
  if (f.area || f.role) {
    where += " AND e.id IN (SELECT f.expert_id FROM experience f WHERE 1";
    where += f.area ? " AND f.area = ?3" : "";
    where += f.role ? " AND f.role = ?4" : "";
    where += ")";
  }
  return where;
}

// The experts a filter chooses among, as `e`: every row, or the living ones for a status.
std::string_view experts_source(const Filter& f) {
  return f.status ? "living_expert e" : "expert e";
}

void bind_filter(SQLite::Statement& s, const Filter& f) {
  if (f.status) {
    s.bind(1, std::string(to_string(*f.status)));
  }
  if (f.municipality) {
    s.bind(2, *f.municipality);
  }
  if (f.area) {
    s.bind(3, *f.area);
  }
  if (f.role) {
    s.bind(4, *f.role);
  }
  if (f.name_contains) {
    s.bind(5, *f.name_contains);
  }
}

// Fills experiences and consents of `experts` (sorted by id) in two queries, not one per expert.
void attach_details(db::Database& db, std::vector<Expert>& experts, const std::string& where,
                    const Filter* filter, std::int64_t single_id) {
  const std::string_view source = filter != nullptr ? experts_source(*filter) : "expert e";
  std::map<std::int64_t, Expert*> by_id;
  for (auto& e : experts) {
    by_id[e.id] = &e;
  }
  const auto bind = [&](SQLite::Statement& s) {
    if (filter != nullptr) {
      bind_filter(s, *filter);
    } else {
      s.bind(1, single_id);
    }
  };
  // The selected ids are computed once (an uncorrelated IN), not re-filtered per detail row.
  const std::string selected = fmt::format("(SELECT e.id FROM {} WHERE {})", source, where);
  SQLite::Statement exp(db.sql(),
                        "SELECT x.expert_id, x.role, x.area, x.year, x.magnitude FROM experience x "
                        "WHERE x.expert_id IN " +
                            selected + " ORDER BY x.expert_id, x.role, x.area");
  bind(exp);
  while (exp.executeStep()) {
    Experience x;
    x.role = exp.getColumn(1).getString();
    x.area = exp.getColumn(2).getString();
    x.year = optional_int(exp.getColumn(3));
    x.magnitude = parse_magnitude("magnitude", exp.getColumn(4).getString());
    by_id.at(exp.getColumn(0).getInt64())->experiences.push_back(std::move(x));
  }
  SQLite::Statement con(db.sql(),
                        "SELECT c.expert_id, c.purpose, c.given_on, c.text_version, "
                        "c.recorded_by, c.withdrawn_on, c.method FROM consent c "
                        "WHERE c.expert_id IN " +
                            selected + " ORDER BY c.expert_id, c.id");
  bind(con);
  while (con.executeStep()) {
    Consent c;
    c.purpose = parse_purpose("purpose", con.getColumn(1).getString());
    c.given_on = text::parse_date("given_on", con.getColumn(2).getString());
    c.text_version = con.getColumn(3).getString();
    c.recorded_by = con.getColumn(4).getString();
    c.withdrawn_on = optional_date(con.getColumn(5));
    c.method = parse_method("method", con.getColumn(6).getString());
    by_id.at(con.getColumn(0).getInt64())->consents.push_back(std::move(c));
  }
}

}  // namespace

std::int64_t insert_expert(db::WriteTransaction& tx, const Profile& profile) {
  SQLite::Statement s(tx.sql(),
                      "INSERT INTO expert (name, email, phone, municipality, birth_year, "
                      "born_abroad, care_professional, retired, channel, interviewed_on, notes, "
                      "postal_address) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  bind_profile(s, profile);
  s.exec();
  const auto id = tx.sql().getLastInsertRowid();
  refresh_identity_keys(tx, id);
  return id;
}

void update_profile(db::WriteTransaction& tx, std::int64_t id, const Profile& profile) {
  SQLite::Statement s(tx.sql(),
                      "UPDATE expert SET name = ?1, email = ?2, phone = ?3, municipality = ?4, "
                      "birth_year = ?5, born_abroad = ?6, care_professional = ?7, retired = ?8, "
                      "channel = ?9, interviewed_on = ?10, notes = ?11, postal_address = ?12 "
                      "WHERE id = ?13");
  bind_profile(s, profile);
  s.bind(13, id);
  s.exec();
  refresh_identity_keys(tx, id);
}

void refresh_identity_keys(db::WriteTransaction& tx, std::optional<std::int64_t> id) {
  // The same expressions as migration 24, through the same C++ functions as same_identity's
  // probe (sv_fold_identity is text::fold_identity, sv_phone_digits text::phone_digits).
  // Only a living expert has keys (an erased stub's are cleared with its name). By id, or for
  // every row: "id = ?1 OR ?1 IS NULL" would make SQLite scan the table for one row.
  if (!id) {
    tx.sql().exec("UPDATE expert SET name_folded = NULL, email_folded = NULL, phone_digits = NULL");
  }
  std::string sql = R"sql(
    UPDATE expert SET
      name_folded = sv_fold_identity(name),
      email_folded = nullif(sv_fold_identity(email), ''),
      phone_digits = nullif(sv_phone_digits(phone), '')
    WHERE EXISTS (SELECT 1 FROM living_expert l WHERE l.id = expert.id))sql";
  if (id) {
    sql += " AND id = ?1";  // a correlated EXISTS: "id IN (SELECT ...)" would list them all
  }
  SQLite::Statement s(tx.sql(), sql);
  if (id) {
    s.bind(1, *id);
  }
  s.exec();
  // And the keys by which their mentions are found in free text (migration 25).
  privacy::refresh_mention_keys(tx, "expert", id);
}

void put_experience(db::WriteTransaction& tx, std::int64_t id, const Experience& x) {
  SQLite::Statement s(tx.sql(),
                      "INSERT INTO experience (expert_id, role, area, year, magnitude) "
                      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (expert_id, role, area) "
                      "DO UPDATE SET year = excluded.year, magnitude = excluded.magnitude");
  s.bind(1, id);
  s.bind(2, x.role);
  s.bind(3, x.area);
  bind_optional(s, 4, x.year);
  s.bind(5, std::string(to_string(x.magnitude)));
  s.exec();
}

bool delete_experience(db::WriteTransaction& tx, std::int64_t id, std::string_view role,
                       std::string_view area) {
  SQLite::Statement s(tx.sql(),
                      "DELETE FROM experience WHERE expert_id = ? AND role = ? AND area = ?");
  s.bind(1, id);
  s.bind(2, std::string(role));
  s.bind(3, std::string(area));
  return s.exec() > 0;
}

void insert_consent(db::WriteTransaction& tx, std::int64_t id, const Consent& c) {
  SQLite::Statement s(tx.sql(),
                      "INSERT INTO consent (expert_id, purpose, given_on, text_version, "
                      "recorded_by, method) VALUES (?, ?, ?, ?, ?, ?)");
  s.bind(1, id);
  s.bind(2, std::string(to_string(c.purpose)));
  s.bind(3, text::format_date(c.given_on));
  s.bind(4, c.text_version);
  s.bind(5, c.recorded_by);
  s.bind(6, std::string(to_string(c.method)));
  s.exec();
}

bool withdraw_consent(db::WriteTransaction& tx, std::int64_t id, Purpose purpose, text::Date date) {
  SQLite::Statement s(tx.sql(),
                      "UPDATE consent SET withdrawn_on = ? WHERE id = "
                      "(SELECT id FROM active_consent WHERE expert_id = ? AND purpose = ?)");
  s.bind(1, text::format_date(date));
  s.bind(2, id);
  s.bind(3, std::string(to_string(purpose)));
  return s.exec() > 0;
}

void set_status(db::WriteTransaction& tx, std::int64_t id, Status status,
                std::optional<text::Date> left_on) {
  // paused_on dates a pause, so retention can end one that lasts too long.
  SQLite::Statement s(tx.sql(),
                      "UPDATE expert SET status = ?1, left_on = ?2, paused_on = CASE WHEN ?1 = "
                      "'paused' THEN coalesce(paused_on, date('now')) END WHERE id = ?3");
  s.bind(1, std::string(to_string(status)));
  if (left_on) {
    s.bind(2, text::format_date(*left_on));
  }
  s.bind(3, id);
  s.exec();
}

std::optional<Expert> find(db::Database& db, std::int64_t id) {
  SQLite::Statement q(db.sql(), fmt::format("SELECT {} FROM expert WHERE id = ?", expert_columns));
  q.bind(1, id);
  if (!q.executeStep()) {
    return std::nullopt;
  }
  std::vector<Expert> one{read_expert(q)};
  attach_details(db, one, "e.id = ?1", nullptr, id);
  return std::move(one.front());
}

std::vector<Expert> select(db::Database& db, const Filter& filter) {
  SQLite::Statement q(
      db.sql(),
      fmt::format("SELECT {} FROM {} WHERE {} ORDER BY {}", expert_columns, experts_source(filter),
                  filter_clause(filter), filter.by_name ? "e.name COLLATE sv, e.id" : "e.id"));
  bind_filter(q, filter);
  std::vector<Expert> experts;
  while (q.executeStep()) {
    experts.push_back(read_expert(q));
  }
  attach_details(db, experts, filter_clause(filter), &filter, 0);
  return experts;
}

void each_listed(db::Database& db, const Filter& filter,
                 const std::function<void(const Listed&)>& visit) {
  // One row per expert and experience (or one with NULLs for an expert without any), in the
  // list's order and then by role and area, so each expert's rows come together: the expert is
  // complete when the next one starts. The experiences come from the (expert_id, role, area)
  // index in that order; the mailing consent in force from consent_in_force.
  SQLite::Statement q(
      db.sql(),
      fmt::format(
          "SELECT e.id, e.name, e.email, e.municipality, e.status, e.erased_on IS NOT NULL, "
          "EXISTS (SELECT 1 FROM active_consent c WHERE c.expert_id = e.id AND c.purpose = "
          "'mailing'), x.role, x.area "
          "FROM {} LEFT JOIN experience x ON x.expert_id = e.id WHERE {} "
          "ORDER BY {}, x.role, x.area",
          experts_source(filter), filter_clause(filter),
          filter.by_name ? "e.name COLLATE sv, e.id" : "e.id"));
  bind_filter(q, filter);
  Listed current;
  bool started = false;
  while (q.executeStep()) {
    const auto id = q.getColumn(0).getInt64();
    if (!started || id != current.id) {
      if (started) {
        visit(current);
      }
      started = true;
      current.id = id;
      current.name = q.getColumn(1).getString();
      current.email = q.getColumn(2).getString();
      current.municipality = optional_text(q.getColumn(3));
      current.status = q.getColumn(5).getInt() != 0 ? "erased" : q.getColumn(4).getString();
      current.mailing = q.getColumn(6).getInt() != 0;
      current.experiences.clear();
    }
    if (!q.getColumn(7).isNull()) {
      current.experiences.emplace_back(q.getColumn(7).getString(), q.getColumn(8).getString());
    }
  }
  if (started) {
    visit(current);
  }
}

std::optional<std::int64_t> same_identity(db::Database& db, const IdentityKeys& keys,
                                          std::optional<std::int64_t> except) {
  // One indexed lookup per key (expert_email_folded, expert_phone_digits, expert_name_folded);
  // an empty key is bound as NULL, which equals nothing.
  SQLite::Statement q(db.sql(), R"sql(
    SELECT min(id) FROM (
      SELECT id FROM living_expert WHERE email_folded = ?1
      UNION ALL
      SELECT id FROM living_expert WHERE phone_digits = ?2
      UNION ALL
      SELECT id FROM living_expert WHERE name_folded = ?3 AND birth_year = ?4)
    WHERE id IS NOT ?5)sql");
  const auto bind_key = [&q](int index, const std::string& key) {
    if (key.empty()) {
      q.bind(index);
    } else {
      q.bind(index, key);
    }
  };
  bind_key(1, keys.email);
  bind_key(2, keys.phone);
  bind_key(3, keys.name);
  bind_optional(q, 4, keys.birth_year);
  if (except) {
    q.bind(5, *except);
  }
  if (q.executeStep() && !q.getColumn(0).isNull()) {
    return q.getColumn(0).getInt64();
  }
  return std::nullopt;
}

}  // namespace lbib::experts::store

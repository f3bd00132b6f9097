// SPDX-License-Identifier: MIT
#include "lbib/privacy/privacy.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <array>

#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::privacy {
namespace {

std::string month_later(text::Date d) {
  const auto next = d.year() / (d.month() + std::chrono::months{1}) / d.day();
  // 31 January + one month is the last day of February, as art. 12(3) is read.
  return text::format_date(next.ok() ? next : next.year() / next.month() / std::chrono::last);
}

nlohmann::ordered_json column(const SQLite::Column& c) {
  if (c.isNull()) {
    return nullptr;
  }
  if (c.isInteger()) {
    return c.getInt64();
  }
  return c.getString();
}

// Rows of `sql` (with ?1 bound to `id`) as JSON objects keyed by column name.
nlohmann::ordered_json rows(db::Database& db, const char* sql, std::int64_t id) {
  SQLite::Statement q(db.sql(), sql);
  q.bind(1, id);
  auto out = nlohmann::ordered_json::array();
  while (q.executeStep()) {
    nlohmann::ordered_json row = nlohmann::ordered_json::object();
    for (int i = 0; i < q.getColumnCount(); ++i) {
      row[q.getColumnName(i)] = column(q.getColumn(i));
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

nlohmann::ordered_json export_expert(db::Database& db, const config::Config& config,
                                     std::int64_t id) {
  experts::get(db, id);  // an unknown id is refused by name
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["format"] = "lbib-subject-export";
  out["version"] = 1;
  out["controller"] = config.gdpr.controller.empty() ? config.library_name : config.gdpr.controller;
  out["expert"] =
      rows(db,
           "SELECT id, name, email, phone, municipality, birth_year, born_abroad, "
           "care_professional, retired, channel, interviewed_on, notes, status, left_on, "
           "erased_on FROM expert WHERE id = ?1",
           id)[0];
  out["experiences"] = rows(
      db, "SELECT role, area, year, magnitude FROM experience WHERE expert_id = ?1 ORDER BY id",
      id);
  out["consents"] =
      rows(db,
           "SELECT c.purpose, c.given_on, c.method, c.text_version, c.recorded_by, "
           "c.withdrawn_on, t.body AS text, t.sha256 AS text_sha256 FROM consent c "
           "LEFT JOIN consent_text t ON t.purpose = c.purpose AND t.version = c.text_version "
           "WHERE c.expert_id = ?1 ORDER BY c.id",
           id);
  out["invitations"] =
      rows(db,
           "SELECT i.request_id AS request, d.sent_on, r.purpose FROM invitation i "
           "JOIN dispatch d ON d.id = i.dispatch_id JOIN request r ON r.id = i.request_id "
           "WHERE i.expert_id = ?1 ORDER BY d.sent_on",
           id);
  out["loans"] = rows(
      db,
      "SELECT p.request_id AS request, l.carried_out_on, l.until_on, l.form, "
      "b.organisation || coalesce(', ' || b.unit, '') AS borrower FROM loan_participant p "
      "JOIN loan l ON l.request_id = p.request_id JOIN request r ON r.id = p.request_id "
      "JOIN borrower b ON b.id = r.borrower_id WHERE p.expert_id = ?1 ORDER BY l.carried_out_on",
      id);
  out["payments"] =
      rows(db,
           "SELECT request_id AS request, unit, quantity, rate, travel, amount, payer, status, "
           "due_on, settled_on FROM payment WHERE expert_id = ?1 ORDER BY due_on",
           id);
  out["catalogue_description"] =
      rows(db,
           "SELECT reference, description, approved_on, recorded_by FROM catalogue_entry "
           "WHERE expert_id = ?1",
           id);
  out["followup_summaries"] =
      rows(db,
           "SELECT s.request_id AS request, s.sent_on FROM summary_recipient s "
           "WHERE s.expert_id = ?1 ORDER BY s.sent_on",
           id);
  for (auto& summary : out["followup_summaries"]) {
    summary["answers"] =
        rows(db, "SELECT question, answer FROM followup_answer WHERE request_id = ?1",
             summary["request"].get<std::int64_t>());
  }
  out["subject_requests"] =
      rows(db,
           "SELECT id, kind, received_on, due_on, done_on FROM subject_request "
           "WHERE expert_id = ?1 ORDER BY id",
           id);
  out["audit"] = rows(db,
                      "SELECT at, os_user, as_name, action, detail FROM audit "
                      "WHERE entity = 'expert' AND entity_id = ?1 ORDER BY id",
                      id);
  return out;
}

void erase(db::WriteTransaction& tx, std::int64_t id, text::Date on, const audit::Actor& actor) {
  const auto e = experts::get(tx.database(), id);
  SQLite::Statement already(tx.sql(), "SELECT erased_on FROM expert WHERE id = ?");
  already.bind(1, id);
  if (already.executeStep() && !already.getColumn(0).isNull()) {
    throw make_error(ExitCode::data, "expert {} was erased on {}", id,
                     already.getColumn(0).getString());
  }
  if (on < e.profile.interviewed_on) {
    throw make_error(ExitCode::data, "date: {} is before the expert's interview",
                     text::format_date(on));
  }
  // The stub keeps the interview date (year recruited), the channel (recruitment report), its
  // status and the date it left (Figure 3's counting), and the ids in invitations and loans
  // (Table 1), so no report changes. With its consents gone it is never matched again.
  SQLite::Statement stub(tx.sql(), R"sql(
    UPDATE expert SET name = '(raderad)', email = 'raderad@invalid', phone = NULL,
      municipality = NULL, birth_year = NULL, born_abroad = 'unknown',
      care_professional = 'unknown', retired = 'unknown', notes = NULL, erased_on = ?2
    WHERE id = ?1)sql");
  stub.bind(1, id);
  stub.bind(2, text::format_date(on));
  stub.exec();
  for (const char* sql :
       {"DELETE FROM experience WHERE expert_id = ?", "DELETE FROM consent WHERE expert_id = ?",
        "DELETE FROM catalogue_entry WHERE expert_id = ?"}) {
    SQLite::Statement del(tx.sql(), sql);
    del.bind(1, id);
    del.exec();
  }
  audit::record(tx, actor, "erase", "expert", id);
}

bool compact(db::Database& db) {
  const auto checkpoint = [&db] {
    SQLite::Statement q(db.sql(), "PRAGMA wal_checkpoint(TRUNCATE)");
    return q.executeStep() && q.getColumn(0).getInt() == 0;  // 0: not blocked
  };
  if (!checkpoint()) {
    return false;
  }
  db.sql().exec("VACUUM");
  return checkpoint();
}

std::vector<Due> due(db::Database& db, const config::Config& config, text::Date today) {
  std::vector<Due> out;
  const bool en = config.language == "en";
  SQLite::Statement left(
      db.sql(),
      "SELECT id, left_on FROM expert WHERE status = 'left' AND erased_on IS NULL "
      "AND date(left_on, ?2) <= ?1 ORDER BY id");
  left.bind(1, text::format_date(today));
  left.bind(2, fmt::format("+{} months", config.erase_left_after_months));
  while (left.executeStep()) {
    const auto id = left.getColumn(0).getInt64();
    const auto since = left.getColumn(1).getString();
    out.push_back(
        {"erase", id, text::parse_date("left_on", since),
         en ? fmt::format("Expert {} left on {}: erasure is due (lbib gdpr purge).", id, since)
            : fmt::format("Erfaren {} lämnade {}: radering ska göras (lbib gdpr purge).", id,
                          since)});
  }
  SQLite::Statement old(db.sql(), R"sql(
    SELECT e.id, max(c.given_on) FROM expert e JOIN consent c ON c.expert_id = e.id
    WHERE e.status = 'active' AND e.erased_on IS NULL AND c.withdrawn_on IS NULL
    GROUP BY e.id HAVING date(max(c.given_on), ?2) <= ?1 ORDER BY e.id)sql");
  old.bind(1, text::format_date(today));
  old.bind(2, fmt::format("+{} years", config.reconfirm_consent_years));
  while (old.executeStep()) {
    const auto id = old.getColumn(0).getInt64();
    const auto since = old.getColumn(1).getString();
    out.push_back({"reconfirm", id, text::parse_date("given_on", since),
                   en ? fmt::format("Expert {}: consent given {} is due for re-confirmation "
                                    "(lbib expert edit {} --reconfirm).",
                                    id, since, id)
                      : fmt::format("Erfaren {}: samtycket från {} ska bekräftas på nytt "
                                    "(lbib expert edit {} --reconfirm).",
                                    id, since, id)});
  }
  // Open data-subject requests from a week before they fall due.
  SQLite::Statement dsr(db.sql(),
                        "SELECT id, kind, due_on FROM subject_request WHERE done_on IS NULL "
                        "AND date(due_on, '-7 days') <= ?1 ORDER BY due_on");
  dsr.bind(1, text::format_date(today));
  while (dsr.executeStep()) {
    const auto id = dsr.getColumn(0).getInt64();
    const auto kind = dsr.getColumn(1).getString();
    const auto due_on = dsr.getColumn(2).getString();
    out.push_back(
        {"subject-request", id, text::parse_date("due_on", due_on),
         en ? fmt::format("Data-subject request {} ({}) must be answered by {} "
                          "(lbib gdpr request done {}).",
                          id, kind, due_on, id)
            : fmt::format("Begäran {} från en registrerad ({}) ska vara besvarad senast {} "
                          "(lbib gdpr request done {}).",
                          id, kind, due_on, id)});
  }
  return out;
}

PurgeResult purge(db::WriteTransaction& tx, const config::Config& config, text::Date today,
                  const audit::Actor& actor) {
  PurgeResult result;
  for (const auto& d : due(tx.database(), config, today)) {
    if (d.kind == "erase") {
      erase(tx, d.id, today, actor);
      result.erased.push_back(d.id);
    } else if (d.kind == "reconfirm") {
      SQLite::Statement pause(tx.sql(), "UPDATE expert SET status = 'paused' WHERE id = ?");
      pause.bind(1, d.id);
      pause.exec();
      audit::record(tx, actor, "pause-unconfirmed", "expert", d.id);
      result.paused.push_back(d.id);
    }
  }
  audit::record(tx, actor, "purge", "register", std::nullopt,
                fmt::format("{} erased, {} paused", result.erased.size(), result.paused.size()));
  return result;
}

void reconfirm(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
               text::Date on, const audit::Actor& actor) {
  const auto e = experts::get(tx.database(), id);
  if (e.status == experts::Status::left) {
    throw make_error(ExitCode::data,
                     "expert {} has left the library; there is nothing to re-confirm", id);
  }
  int renewed = 0;
  for (const auto purpose :
       {experts::Purpose::register_, experts::Purpose::mailing, experts::Purpose::website}) {
    if (!e.has_consent(purpose)) {
      continue;
    }
    const std::string name(experts::to_string(purpose));
    experts::ensure_consent_text(tx, config, purpose);
    SQLite::Statement end(tx.sql(),
                          "UPDATE consent SET withdrawn_on = ? WHERE expert_id = ? AND purpose = ? "
                          "AND withdrawn_on IS NULL");
    end.bind(1, text::format_date(on));
    end.bind(2, id);
    end.bind(3, name);
    end.exec();
    SQLite::Statement ins(
        tx.sql(),
        "INSERT INTO consent (expert_id, purpose, given_on, text_version, recorded_by, method) "
        "SELECT ?1, ?2, ?3, ?4, ?5, method FROM consent WHERE expert_id = ?1 AND purpose = ?2 "
        "ORDER BY id DESC LIMIT 1");
    ins.bind(1, id);
    ins.bind(2, name);
    ins.bind(3, text::format_date(on));
    ins.bind(4, config.consent_text_version);
    ins.bind(5, actor.display());
    ins.exec();
    ++renewed;
  }
  if (renewed == 0) {
    throw make_error(ExitCode::data, "expert {} has no consent in force to re-confirm", id);
  }
  if (e.status == experts::Status::paused) {
    SQLite::Statement resume(tx.sql(), "UPDATE expert SET status = 'active' WHERE id = ?");
    resume.bind(1, id);
    resume.exec();
  }
  audit::record(tx, actor, "reconfirm", "expert", id);
}

std::int64_t add_subject_request(db::WriteTransaction& tx, std::optional<std::int64_t> expert,
                                 std::string_view kind, text::Date received,
                                 std::optional<std::string> note, const audit::Actor& actor) {
  constexpr std::array<std::string_view, 4> kinds{"access", "rectification", "erasure",
                                                  "withdrawal"};
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    throw make_error(
        ExitCode::data,
        "kind: '{}' is not accepted; use one of: access, rectification, erasure, withdrawal", kind);
  }
  if (expert) {
    experts::get(tx.database(), *expert);
  }
  if (note) {
    text::check_text("note", *note, 2000);
  }
  SQLite::Statement ins(tx.sql(),
                        "INSERT INTO subject_request (expert_id, kind, received_on, due_on, note) "
                        "VALUES (?, ?, ?, ?, ?)");
  expert ? ins.bind(1, *expert) : ins.bind(1);
  ins.bind(2, std::string(kind));
  ins.bind(3, text::format_date(received));
  ins.bind(4, month_later(received));
  note ? ins.bind(5, *note) : ins.bind(5);
  ins.exec();
  const auto id = tx.sql().getLastInsertRowid();
  audit::record(tx, actor, "subject-request", "subject_request", id, std::string(kind));
  return id;
}

void close_subject_request(db::WriteTransaction& tx, std::int64_t id, text::Date done,
                           const audit::Actor& actor) {
  SQLite::Statement q(tx.sql(), "SELECT received_on, done_on FROM subject_request WHERE id = ?");
  q.bind(1, id);
  if (!q.executeStep()) {
    throw make_error(ExitCode::no_input, "no data-subject request with id {}", id);
  }
  if (!q.getColumn(1).isNull()) {
    throw make_error(ExitCode::data, "data-subject request {} was answered on {}", id,
                     q.getColumn(1).getString());
  }
  if (text::format_date(done) < q.getColumn(0).getString()) {
    throw make_error(ExitCode::data, "date: before the request was received");
  }
  SQLite::Statement upd(tx.sql(), "UPDATE subject_request SET done_on = ? WHERE id = ?");
  upd.bind(1, text::format_date(done));
  upd.bind(2, id);
  upd.exec();
  audit::record(tx, actor, "subject-request-done", "subject_request", id);
}

output::Table subject_requests(db::Database& db) {
  output::Table t{{"id", "expert", "kind", "received_on", "due_on", "done_on"}, {}};
  SQLite::Statement q(
      db.sql(),
      "SELECT id, expert_id, kind, received_on, due_on, done_on FROM subject_request "
      "ORDER BY done_on IS NOT NULL, due_on, id");
  while (q.executeStep()) {
    t.rows.push_back(
        {q.getColumn(0).getInt64(),
         q.getColumn(1).isNull() ? output::Value{} : output::Value{q.getColumn(1).getInt64()},
         q.getColumn(2).getString(), q.getColumn(3).getString(), q.getColumn(4).getString(),
         q.getColumn(5).isNull() ? output::Value{} : output::Value{q.getColumn(5).getString()}});
  }
  return t;
}

output::Document processing_record(const config::Config& c) {
  const bool en = c.language == "en";
  const auto say = [en](const char* sv, const char* english) {
    return std::string(en ? english : sv);
  };
  output::Document d;
  d.language = c.language;
  d.title =
      say("Register över behandling (art. 30 GDPR): ", "Record of processing (GDPR art. 30): ") +
      c.library_name;
  using Kind = output::Document::Part::Kind;
  const auto field = [&](const std::string& name, const std::string& value) {
    d.parts.push_back({Kind::heading, name, {}});
    d.parts.push_back({Kind::paragraph,
                       value.empty()
                           ? say("(ej angivet i konfigurationen)", "(not set in the configuration)")
                           : value,
                       {}});
  };
  const auto list = [](const std::vector<std::string>& items) { return text::join(items, "; "); };
  field(say("Personuppgiftsansvarig", "Controller"), c.gdpr.controller);
  field(say("Kontakt", "Contact"), c.gdpr.contact);
  field(say("Dataskyddsombud", "Data protection officer"), c.gdpr.dpo);
  field(say("Ändamål", "Purposes"), list(c.gdpr.purposes));
  field(say("Rättslig grund", "Legal basis"), c.gdpr.legal_basis);
  field(say("Kategorier av registrerade", "Categories of data subjects"),
        say("Erfarna (patienter, brukare, klienter, anhöriga); uppdragsgivarnas kontaktpersoner.",
            "Experts by experience (patients, users, clients, relatives); borrowers' contact "
            "persons."));
  field(say("Kategorier av personuppgifter", "Categories of personal data"),
        say("Kontaktuppgifter, födelseår, kommun, erfarenheter av vård och socialtjänst (känsliga "
            "personuppgifter, art. 9), samtycken, deltagande i uppdrag, ersättningar.",
            "Contact data, birth year, municipality, experiences of care and social services "
            "(special category, art. 9), consents, participation in loans, compensation."));
  field(say("Mottagare", "Recipients"), list(c.gdpr.recipients));
  field(say("Överföring till tredje land", "Transfers to third countries"), say("Inga.", "None."));
  field(
      say("Lagring och gallring", "Retention"),
      fmt::format(
          fmt::runtime(en ? "Experts who left are erased {} months later; consent is re-confirmed "
                            "every {} years "
                            "(lbib gdpr purge). Backups are kept as scripts/backup.sh rotates them."
                          : "Erfarna som lämnat raderas {} månader senare; samtycke bekräftas på "
                            "nytt vart {} år "
                            "(lbib gdpr purge). Säkerhetskopior sparas så länge scripts/backup.sh "
                            "roterar dem."),
          c.erase_left_after_months, c.reconfirm_consent_years));
  field(say("Säkerhetsåtgärder", "Security measures"),
        say("Registret är en fil som bara kontaktpersonerna kan läsa (läge 0600, eller 0660 i "
            "delad grupp); "
            "säkerhetskopior krypteras (age); raderade uppgifter skrivs över (secure_delete, "
            "VACUUM); "
            "varje ändring loggas utan personuppgifter; samtycke per ändamål med text och version.",
            "The register is one file only the contact persons can read (mode 0600, or 0660 in a "
            "shared "
            "group); backups are encrypted (age); erased data is overwritten (secure_delete, "
            "VACUUM); "
            "every change is audited without personal values; consent per purpose with text and "
            "version."));
  return d;
}

}  // namespace lbib::privacy

// SPDX-License-Identifier: MIT
#include "lbib/privacy/privacy.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <functional>
#include <limits>
#include <map>

#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/experts/store.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/privacy/freetext.hpp"
#include "lbib/privacy/ledger.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::privacy {
namespace {

nlohmann::ordered_json column(const SQLite::Column& c) {
  if (c.isNull()) {
    return nullptr;
  }
  if (c.isInteger()) {
    return c.getInt64();
  }
  return c.getString();
}

// What a subject's export does with each text value it reads. It reads them twice: first to
// note them (`note`), so that the redactor holds only the people they may mention, not the
// whole register's; then to redact other people's mentions from them (`redactor`).
struct ExportTextPass {
  MentionIndex* note = nullptr;
  const Redactor* redactor = nullptr;
};

// Rows of `sql` (with ?1 bound to `id`) as JSON objects keyed by column name; text values
// go through `pass`.
nlohmann::ordered_json rows(db::Database& db, const std::string& sql, std::int64_t id,
                            const ExportTextPass& pass) {
  SQLite::Statement q(db.sql(), sql);
  q.bind(1, id);
  auto out = nlohmann::ordered_json::array();
  while (q.executeStep()) {
    nlohmann::ordered_json row = nlohmann::ordered_json::object();
    for (int i = 0; i < q.getColumnCount(); ++i) {
      auto value = column(q.getColumn(i));
      if (pass.note != nullptr && value.is_string()) {
        pass.note->add_text(value.get<std::string>());
      }
      if (pass.redactor != nullptr && value.is_string()) {
        value = pass.redactor->redact(value.get<std::string>());
      }
      row[q.getColumnName(i)] = std::move(value);
    }
    out.push_back(std::move(row));
  }
  return out;
}

// Everyone registered but the people in `except`: experts not erased and borrowers'
// contact persons not erased, for redacting their mentions from what others are given. With
// `only`, just the people its texts may mention (the same redactions in those texts).
Redactor others(db::Database& db, const std::vector<std::int64_t>& except_experts,
                const std::vector<std::int64_t>& except_borrowers, MentionIndex* only = nullptr,
                Redactor::Keep keep = Redactor::Keep::keys) {
  Redactor r(keep);
  // Every name of the register passes here: read in place, copied only when admitted.
  const auto view = [](const SQLite::Column& c) {
    const char* text = c.getText();
    return std::string_view(text, static_cast<std::size_t>(c.getBytes()));
  };
  const auto optional_view = [&view](const SQLite::Column& c) {
    return c.isNull() ? std::nullopt : std::optional<std::string_view>(view(c));
  };
  const auto admit = [only](std::string_view name, std::string_view email,
                            std::optional<std::string_view> phone) {
    return only == nullptr || only->may_mention(name, email, phone);
  };
  // Each person of a statement's rows (id, name, e-mail, phone) as Redactor::add_person takes
  // them, in the order of their ids (the order of the rows of the whole tables).
  const auto add_rows = [&](SQLite::Statement& q, const std::vector<std::int64_t>& except,
                            std::int64_t sign) {
    while (q.executeStep()) {
      const auto id = q.getColumn(0).getInt64();
      if (std::find(except.begin(), except.end(), id) == except.end()) {
        const auto name = view(q.getColumn(1));
        const auto email = view(q.getColumn(2));
        const auto phone = optional_view(q.getColumn(3));
        if (admit(name, email, phone)) {
          r.add_person(sign * id, name, email, phone);
        }
      }
    }
  };
  static constexpr std::string_view expert_sql = "SELECT id, name, email, phone FROM living_expert";
  static constexpr std::string_view borrower_sql =
      "SELECT id, contact_name, contact_email, contact_phone FROM living_borrower";
  if (only != nullptr && has_mention_keys(db)) {
    // Only the people one of whose mention keys is in the texts (migration 25), by index:
    // may_mention admits no one else, so the redactor is the same as from every name. When
    // they are many (a name part most people share), one pass over every name is faster
    // and admits the same people in the same order.
    const auto people = db.sql()
                            .execAndGet(
                                "SELECT (SELECT coalesce(max(id), 0) FROM expert) + "
                                "(SELECT coalesce(max(id), 0) FROM borrower)")
                            .getInt64();
    const auto candidates =
        only->candidates(db, static_cast<std::size_t>(std::max<std::int64_t>(1000, people / 16)));
    if (!candidates.many) {
      const auto add_by_id = [&db, &add_rows](
                                 std::string_view sql, const std::vector<std::int64_t>& ids,
                                 const std::vector<std::int64_t>& except, std::int64_t sign) {
        SQLite::Statement q(db.sql(), fmt::format("{} WHERE id = ?1", sql));
        for (const auto id : ids) {
          q.bind(1, id);
          add_rows(q, except, sign);
          q.reset();
        }
      };
      add_by_id(expert_sql, candidates.experts, except_experts, 1);
      add_by_id(borrower_sql, candidates.borrowers, except_borrowers, -1);
      return r;
    }
  }
  SQLite::Statement e(db.sql(), std::string(expert_sql));
  add_rows(e, except_experts, 1);
  SQLite::Statement b(db.sql(), std::string(borrower_sql));
  add_rows(b, except_borrowers, -1);
  return r;
}

// Keeps every living person's address (an expert's, a borrower's contact person's) from being
// cut into by what is redacted: info@hemma.se, or the name part "info", is part of
// karl.info@hemma.se. Called once the erased are stubs, so none of theirs is among them.
void keep_living_addresses(db::Database& db, Redactor& redactor) {
  for (const char* sql :
       {"SELECT email FROM living_expert", "SELECT contact_email FROM living_borrower"}) {
    SQLite::Statement q(db.sql(), sql);
    while (q.executeStep()) {
      const auto c = q.getColumn(0);
      redactor.keep_address(std::string_view(c.getText(), static_cast<std::size_t>(c.getBytes())));
    }
  }
}

// `s` cut to at most `n` characters (code points, as SQLite's length() counts them), the last
// of them an ellipsis when anything was cut.
std::string cut_to_characters(std::string_view s, std::size_t n) {
  if (text::code_point_count(s) <= n) {
    return std::string(s);
  }
  constexpr std::string_view ellipsis = "\u2026";
  std::size_t kept = 0;
  std::size_t end = 0;
  while (end < s.size()) {
    std::size_t next = end + 1;
    while (next < s.size() && (static_cast<unsigned char>(s[next]) & 0xC0) == 0x80) {
      ++next;
    }
    if (kept + 1 >= n) {
      break;  // room for the ellipsis
    }
    ++kept;
    end = next;
  }
  return std::string(s.substr(0, end)) + std::string(ellipsis);
}

// Replaces every mention of the people in `redactor` in every column that may hold free text
// about them (shared, and own columns of everyone else), and says how many per column. Takes
// the redactor, so that its memory (everyone's keys, when the library closes) is given back
// before the erasure ledger's lines are written.
void redact_everywhere(db::WriteTransaction& tx, Redactor redactor, ErasureReport& report) {
  if (redactor.empty()) {
    return;
  }
  for (const auto& c : text_columns(tx.database())) {
    if (c.rule != Rule::shared && c.rule != Rule::own) {
      continue;
    }
    // A batch of rows at a time, in the order of their rowids, each batch's changes written
    // before the next is read: what is held is one batch's texts, not every changed text of a
    // large register.
    static constexpr int batch = 1024;
    SQLite::Statement q(tx.sql(), fmt::format("SELECT rowid, \"{}\" FROM \"{}\" WHERE rowid >= ?1 "
                                              "AND \"{}\" IS NOT NULL ORDER BY rowid LIMIT {}",
                                              c.column, c.table, c.column, batch));
    SQLite::Statement upd(
        tx.sql(), fmt::format("UPDATE \"{}\" SET \"{}\" = ? WHERE rowid = ?", c.table, c.column));
    struct Changed {
      std::int64_t rowid;
      std::string value;
      std::size_t characters;  // of the text as it was, which its column's limit admitted
    };
    std::vector<Changed> changed;
    std::int64_t mentions = 0;
    std::int64_t from = std::numeric_limits<std::int64_t>::min();
    for (bool more = true; more;) {
      q.bind(1, from);
      int read = 0;
      std::int64_t last = from;
      while (q.executeStep()) {
        ++read;
        last = q.getColumn(0).getInt64();
        std::size_t n = 0;
        const auto text = q.getColumn(1).getString();
        auto redacted = redactor.redact(text, &n);
        if (n > 0) {
          mentions += static_cast<std::int64_t>(n);
          changed.push_back({last, std::move(redacted), text::code_point_count(text)});
        }
      }
      q.reset();
      more = read == batch && last < std::numeric_limits<std::int64_t>::max();
      from = last + (more ? 1 : 0);
      for (const auto& row : changed) {
        upd.bind(2, row.rowid);
        try {
          upd.bind(1, row.value);
          upd.exec();
        } catch (const SQLite::Exception& e) {
          // "[raderad]" is longer than "Bo": a text near its column's limit can outgrow it.
          // An erasure must not fail for that: the redacted text is cut to the length the
          // text had, its end marked (what is cut is after every replacement, not a mention).
          if (e.getExtendedErrorCode() != SQLITE_CONSTRAINT_CHECK) {
            throw;
          }
          upd.tryReset();  // returns the failed step's error again: reset() would throw it
          upd.bind(1, cut_to_characters(row.value, row.characters));
          upd.exec();
        }
        upd.reset();
      }
      changed.clear();
    }
    if (mentions > 0) {
      report.push_back({c.table, c.column, "redacted", mentions});
    }
  }
}

// Counts `sql` with ?1 bound to each id, added up.
std::int64_t count_for(db::WriteTransaction& tx, const std::string& sql,
                       const std::vector<std::int64_t>& ids) {
  SQLite::Statement q(tx.sql(), sql);
  std::int64_t n = 0;
  for (const auto id : ids) {
    q.bind(1, id);
    if (q.executeStep()) {
      n += q.getColumn(0).getInt64();
    }
    q.reset();
  }
  return n;
}

// Runs `sql` with ?1 bound to each id; the number of rows changed, added up.
std::int64_t exec_for(db::WriteTransaction& tx, const std::string& sql,
                      const std::vector<std::int64_t>& ids) {
  SQLite::Statement q(tx.sql(), sql);
  std::int64_t n = 0;
  for (const auto id : ids) {
    q.bind(1, id);
    n += q.exec();
    q.reset();
  }
  return n;
}

void add_line(ErasureReport& report, std::string table, std::string field, std::string action,
              std::int64_t count) {
  if (count > 0) {
    report.push_back({std::move(table), std::move(field), std::move(action), count});
  }
}

std::string plus(int n, std::string_view unit) {
  return fmt::format("{:+} {}", n, unit);
}

// The audit entries of an erasure and, for a real one, its lines in the erasure ledger: written
// before the commit, since an erasure the ledger does not list could come back with a restore.
// The lines are written as text from the start (everyone's, when the library closes, is some
// megabytes), and appended in one write.
void record_erasures(db::WriteTransaction& tx, const char* kind,
                     const std::vector<std::int64_t>& ids, text::Date on, const audit::Actor& actor,
                     EraseMode mode) {
  if (mode == EraseMode::dry_run) {
    return;
  }
  // A register in memory (unit tests) has no file, no backup to restore and so no ledger.
  const bool ledger = mode == EraseMode::erase && tx.database().path() != ":memory:";
  std::string lines;
  // The records merged into an erased one are the same person: a backup made before the
  // merge still has them, so the ledger lists them too.
  SQLite::Statement merged(tx.sql(),
                           "SELECT dropped_id FROM merged_record WHERE kind = ? AND kept_id = ?");
  const auto day = text::format_date(on);
  const auto register_id = db::register_id(tx.database());  // read once, not once a line
  if (ledger && !ids.empty()) {
    const auto widest = *std::max_element(ids.begin(), ids.end());
    lines.reserve(ids.size() * ledger::line_size(kind, widest, day, register_id));
  }
  for (const auto id : ids) {
    audit::record(tx, actor, mode == EraseMode::reapply ? "erase-reapplied" : "erase", kind, id);
    if (!ledger) {
      continue;
    }
    ledger::add_line(lines, kind, id, day, register_id);
    merged.bind(1, kind);
    merged.bind(2, id);
    while (merged.executeStep()) {
      ledger::add_line(lines, kind, merged.getColumn(0).getInt64(), day, register_id);
    }
    merged.reset();
  }
  if (ledger) {
    ledger::append(ledger::path_for(tx.database().path()), lines);
    tx.after_commit([] { ledger::committed(); });
  }
}

}  // namespace

std::vector<Mention> mentions(db::Database& db, std::string_view text) {
  std::vector<Mention> out;
  if (text.empty()) {
    return out;
  }
  MentionIndex index;
  index.add_text(text);
  for (const auto id : others(db, {}, {}, &index, Redactor::Keep::people).mentioned(text)) {
    if (id > 0) {
      out.push_back({"expert", id, experts::get(db, id).profile.name});
    } else {
      out.push_back({"borrower", -id, lending::get_borrower(db, -id).contact_name});
    }
  }
  return out;
}

namespace {

nlohmann::ordered_json expert_subject_export(db::Database& db, const config::Config& config,
                                             std::int64_t id, const ExportTextPass& pass) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["format"] = "lbib-subject-export";
  out["version"] = 2;
  out["controller"] = config.gdpr.controller.empty() ? config.library_name : config.gdpr.controller;
  out["expert"] =
      rows(db,
           "SELECT id, name, email, phone, postal_address, municipality, birth_year, born_abroad, "
           "care_professional, retired, channel, interviewed_on, notes, status, paused_on, "
           "left_on, erased_on FROM expert WHERE id = ?1",
           id, pass)[0];
  out["experiences"] = rows(
      db, "SELECT role, area, year, magnitude FROM experience WHERE expert_id = ?1 ORDER BY id", id,
      pass);
  out["consents"] =
      rows(db,
           "SELECT c.purpose, c.given_on, c.method, c.text_version, c.recorded_by, "
           "c.withdrawn_on, t.body AS text, t.sha256 AS text_sha256 FROM consent c "
           "LEFT JOIN consent_text t ON t.purpose = c.purpose AND t.version = c.text_version "
           "WHERE c.expert_id = ?1 ORDER BY c.id",
           id, pass);
  // What the request mail told them (the purpose), with other people's mentions redacted.
  out["invitations"] =
      rows(db,
           "SELECT i.request_id AS request, d.sent_on, r.purpose FROM invitation i "
           "JOIN dispatch d ON d.id = i.dispatch_id JOIN request r ON r.id = i.request_id "
           "WHERE i.expert_id = ?1 ORDER BY d.sent_on",
           id, pass);
  out["loans"] = rows(
      db,
      "SELECT p.request_id AS request, l.carried_out_on, l.until_on, l.form, "
      "b.organisation || coalesce(', ' || b.unit, '') AS borrower FROM loan_participant p "
      "JOIN loan l ON l.request_id = p.request_id JOIN request r ON r.id = p.request_id "
      "JOIN borrower b ON b.id = r.borrower_id WHERE p.expert_id = ?1 ORDER BY l.carried_out_on",
      id, pass);
  out["payments"] =
      rows(db,
           "SELECT request_id AS request, unit, quantity, rate, travel, amount, payer, status, "
           "due_on, settled_on FROM payment WHERE expert_id = ?1 ORDER BY due_on",
           id, pass);
  out["catalogue_description"] =
      rows(db,
           "SELECT reference, description, approved_on, recorded_by FROM catalogue_entry "
           "WHERE expert_id = ?1",
           id, pass);
  // Only the answers the summary carries (questions marked summary = true): what was sent.
  out["followup_summaries"] =
      rows(db,
           "SELECT s.request_id AS request, s.sent_on FROM summary_recipient s "
           "WHERE s.expert_id = ?1 ORDER BY s.sent_on",
           id, pass);
  for (auto& summary : out["followup_summaries"]) {
    auto answers = nlohmann::ordered_json::array();
    for (auto& a : rows(db, "SELECT question, answer FROM followup_answer WHERE request_id = ?1",
                        summary["request"].get<std::int64_t>(), pass)) {
      const auto key = a["question"].get<std::string>();
      const bool mailed =
          std::any_of(config.followup_questions.begin(), config.followup_questions.end(),
                      [&key](const config::Question& q) { return q.key == key && q.summary; });
      if (mailed) {
        answers.push_back(std::move(a));
      }
    }
    summary["answers"] = std::move(answers);
  }
  // Their own follow-up of each loan (issue #15): when the questionnaire went, and their answers.
  out["questionnaires"] =
      rows(db,
           "SELECT request_id AS request, sent_on, reminded_on, replied_on FROM questionnaire "
           "WHERE expert_id = ?1 ORDER BY sent_on, request_id",
           id, pass);
  out["questionnaire_answers"] =
      rows(db,
           "SELECT request_id AS request, question, answer, answered_on FROM questionnaire_answer "
           "WHERE expert_id = ?1 ORDER BY request_id, rowid",
           id, pass);
  out["subject_requests"] =
      rows(db,
           "SELECT id, kind, received_on, due_on, done_on, note FROM subject_request "
           "WHERE expert_id = ?1 ORDER BY id",
           id, pass);
  out["audit"] = rows(db,
                      "SELECT at, os_user, as_name, action, detail FROM audit "
                      "WHERE entity = 'expert' AND entity_id = ?1 ORDER BY id",
                      id, pass);
  // Every row of every table linked to them, derived from the schema, so a new table with an
  // expert id cannot be left out.
  auto records = nlohmann::ordered_json::object();
  for (const auto& link : expert_links(db)) {
    if (link.table == "expert") {
      continue;
    }
    records[link.table] = rows(
        db, fmt::format("SELECT * FROM \"{}\" WHERE {}", link.table, link.condition), id, pass);
  }
  out["records"] = std::move(records);
  return out;
}

nlohmann::ordered_json borrower_subject_export(db::Database& db, const config::Config& config,
                                               std::int64_t id, const ExportTextPass& pass) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["format"] = "lbib-subject-export";
  out["version"] = 2;
  out["controller"] = config.gdpr.controller.empty() ? config.library_name : config.gdpr.controller;
  out["borrower"] = rows(db,
                         "SELECT id, organisation, unit, contact_name, contact_email, "
                         "contact_phone, erased_on FROM borrower WHERE id = ?1",
                         id, pass)[0];
  out["requests"] = rows(db,
                         "SELECT id, received_on, purpose, form, time, place, reply_by, state "
                         "FROM request WHERE borrower_id = ?1 ORDER BY id",
                         id, pass);
  out["survey_answers"] = rows(db,
                               "SELECT answered_on, answers FROM survey_response "
                               "WHERE kind = 'borrowers' AND respondent = ?1",
                               id, pass);
  // The survey after each loan, and the mail lbib sent the borrower about its requests.
  out["loan_survey_answers"] = rows(db,
                                    "SELECT s.request_id, s.question, s.answer, s.answered_on "
                                    "FROM borrower_survey_answer s JOIN request r ON r.id = "
                                    "s.request_id WHERE r.borrower_id = ?1 ORDER BY 1, 2",
                                    id, pass);
  out["mails"] = rows(db,
                      "SELECT m.request_id, m.kind, m.sent_on FROM borrower_mail m JOIN request r "
                      "ON r.id = m.request_id WHERE r.borrower_id = ?1 ORDER BY 1, 3",
                      id, pass);
  out["notices"] = rows(db,
                        "SELECT kind, sent_on FROM notice "
                        "WHERE kind = 'survey-borrowers' AND recipient_id = ?1",
                        id, pass);
  out["audit"] = rows(db,
                      "SELECT at, os_user, as_name, action, detail FROM audit "
                      "WHERE entity = 'borrower' AND entity_id = ?1 ORDER BY id",
                      id, pass);
  return out;
}

}  // namespace

nlohmann::ordered_json export_expert(db::Database& db, const config::Config& config,
                                     std::int64_t id) {
  // One snapshot for the three reads below: a text edited between noting the mentions and
  // redacting them would otherwise go out with a name the redactor was never given.
  const db::ReadTransaction snapshot(db);
  const auto subject = experts::get(db, id);  // an unknown id is refused by name
  // The texts the export holds, first noted, so that the redactor holds only the people they
  // may mention (a scan of the names, none held): the same redactions as with everyone.
  MentionIndex index;
  expert_subject_export(db, config, id, ExportTextPass{&index, nullptr});
  // Other registered people are redacted wherever they appear, the person's own notes too;
  // what is the person's own (a first name another shares) is not.
  const auto own_phone = subject.profile.phone
                             ? std::optional<std::string_view>(*subject.profile.phone)
                             : std::nullopt;
  index.spare(subject.profile.name, subject.profile.email, own_phone);
  Redactor redactor = others(db, {id}, {}, &index);
  redactor.spare(subject.profile.name, subject.profile.email, own_phone);
  return expert_subject_export(db, config, id, ExportTextPass{nullptr, &redactor});
}

nlohmann::ordered_json export_borrower(db::Database& db, const config::Config& config,
                                       std::int64_t id) {
  const db::ReadTransaction snapshot(db);  // as for an expert: one snapshot for every read
  const auto subject = lending::get_borrower(db, id);  // an unknown id is refused by name
  MentionIndex index;  // as for an expert: only the people the texts may mention
  borrower_subject_export(db, config, id, ExportTextPass{&index, nullptr});
  const auto own_phone = subject.contact_phone
                             ? std::optional<std::string_view>(*subject.contact_phone)
                             : std::nullopt;
  index.spare(subject.contact_name, subject.contact_email, own_phone);
  Redactor redactor = others(db, {}, {id}, &index);
  redactor.spare(subject.contact_name, subject.contact_email, own_phone);
  return borrower_subject_export(db, config, id, ExportTextPass{nullptr, &redactor});
}

ErasureReport erase_experts(db::WriteTransaction& tx, const std::vector<std::int64_t>& ids,
                            text::Date on, const audit::Actor& actor, EraseMode mode) {
  ErasureReport report;
  if (ids.empty()) {
    return report;
  }
  Redactor redactor;
  for (const auto id : ids) {
    const auto e = experts::get_living(tx.database(), id);
    if (on < e.profile.interviewed_on) {
      throw make_error(ExitCode::data, "date: {} is before the expert's interview",
                       text::format_date(on));
    }
    redactor.add_person(
        id, e.profile.name, e.profile.email,
        e.profile.phone ? std::optional<std::string_view>(*e.profile.phone) : std::nullopt);
  }
  // What goes with the stub, counted before it goes.
  for (const char* field :
       {"name", "email", "phone", "postal_address", "municipality", "birth_year"}) {
    add_line(report, "expert", field, "removed",
             count_for(tx,
                       fmt::format("SELECT count(*) FROM expert WHERE id = ?1 AND {} IS NOT "
                                   "NULL",
                                   field),
                       ids));
  }
  // The keys duplicates are found by (migration 24): derived from the name, e-mail and phone,
  // and personal data like them.
  add_line(report, "expert", "name_folded, email_folded, phone_digits", "removed",
           count_for(tx,
                     "SELECT count(*) FROM expert WHERE id = ?1 AND coalesce(name_folded, "
                     "email_folded, phone_digits) IS NOT NULL",
                     ids));
  // The keys their mentions are found by (migration 25), derived from the same: deleted
  // after the stub is written, counted here.
  add_line(
      report, "mention_key", "*", "deleted",
      count_for(tx, "SELECT count(*) FROM mention_key WHERE kind = 'expert' AND person = ?1", ids));
  add_line(report, "expert", "born_abroad, care_professional, retired", "removed",
           static_cast<std::int64_t>(ids.size()));
  add_line(report, "expert", "interviewed_on", "kept-year", static_cast<std::int64_t>(ids.size()));
  // The person's own records go whole.
  for (const char* table :
       {"experience", "consent", "catalogue_entry", "expert_wish", "expert_wish_item"}) {
    add_line(report, table, "*", "deleted",
             exec_for(tx, fmt::format("DELETE FROM {} WHERE expert_id = ?1", table), ids));
  }
  // The person's own free text goes (a NOT NULL column: its row goes).
  for (const auto& c : text_columns(tx.database())) {
    if (c.rule != Rule::own || c.owner.empty()) {
      continue;
    }
    const auto sql = c.not_null ? fmt::format("DELETE FROM \"{}\" WHERE {}", c.table, c.owner)
                                : fmt::format(
                                      "UPDATE \"{}\" SET \"{}\" = NULL WHERE ({}) AND \"{}\" IS "
                                      "NOT NULL",
                                      c.table, c.column, c.owner, c.column);
    add_line(report, c.table, c.column, "cleared", exec_for(tx, sql, ids));
  }
  // The stub: the year of the interview, the channel, status and the date left stay for the
  // statistics; with its consents gone it is never matched again.
  exec_for(tx,
           fmt::format(R"sql(
    UPDATE expert SET name = '(raderad)', email = 'raderad@invalid', phone = NULL,
      name_folded = NULL, email_folded = NULL, phone_digits = NULL, postal_address = NULL, municipality = NULL, birth_year = NULL, born_abroad = 'unknown',
      care_professional = 'unknown', retired = 'unknown', notes = NULL, erased_on = '{}',
      interviewed_on = substr(interviewed_on, 1, 4) || '-01-01'
    WHERE id = ?1)sql",
                       text::format_date(on)),
           ids);
  for (const auto id : ids) {
    refresh_mention_keys(tx, "expert", id);  // a stub has none
  }
  keep_living_addresses(tx.database(), redactor);
  redact_everywhere(tx, std::move(redactor), report);
  record_erasures(tx, "expert", ids, on, actor, mode);
  return report;
}

void check_erasure_date(text::Date on, text::Date today) {
  if (today < on) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; an erasure is recorded on the day it is done "
                     "(today {} or earlier)",
                     text::format_date(on), text::format_date(today));
  }
}

ErasureReport erase(db::WriteTransaction& tx, std::int64_t id, text::Date on,
                    const audit::Actor& actor, EraseMode mode) {
  return erase_experts(tx, {id}, on, actor, mode);
}

ErasureReport erase_borrowers(db::WriteTransaction& tx, const std::vector<std::int64_t>& ids,
                              text::Date on, const audit::Actor& actor, EraseMode mode) {
  ErasureReport report;
  Redactor redactor;
  for (const auto id : ids) {
    const auto b = lending::get_living_borrower(tx.database(), id);
    redactor.add_person(
        -id, b.contact_name, b.contact_email,
        b.contact_phone ? std::optional<std::string_view>(*b.contact_phone) : std::nullopt);
  }
  if (ids.empty()) {
    return report;
  }
  const auto n = static_cast<std::int64_t>(ids.size());
  add_line(report, "borrower", "contact_name, contact_email", "removed", n);
  add_line(
      report, "borrower", "contact_phone", "removed",
      count_for(tx, "SELECT count(*) FROM borrower WHERE id = ?1 AND contact_phone IS NOT NULL",
                ids));
  add_line(report, "mention_key", "*", "deleted",
           count_for(tx, "SELECT count(*) FROM mention_key WHERE kind = 'borrower' AND person = ?1",
                     ids));
  add_line(report, "survey_response", "answers", "cleared",
           exec_for(tx,
                    "UPDATE survey_response SET answers = NULL WHERE kind = 'borrowers' AND "
                    "respondent = ?1 AND answers IS NOT NULL",
                    ids));
  // The answers to the survey after each loan: what the contact person wrote goes, the fact
  // that the survey was answered stays for the reports.
  add_line(report, "borrower_survey_answer", "answer", "cleared",
           exec_for(tx,
                    "UPDATE borrower_survey_answer SET answer = '(raderad)' WHERE request_id IN "
                    "(SELECT id FROM request WHERE borrower_id = ?1) AND answer <> '(raderad)'",
                    ids));
  exec_for(tx,
           fmt::format("UPDATE borrower SET contact_name = '(raderad)', contact_email = "
                       "'raderad@invalid', contact_phone = NULL, erased_on = '{}' WHERE id = ?1",
                       text::format_date(on)),
           ids);
  for (const auto id : ids) {
    refresh_mention_keys(tx, "borrower", id);  // an erased contact person has none
  }
  keep_living_addresses(tx.database(), redactor);
  redact_everywhere(tx, std::move(redactor), report);
  record_erasures(tx, "borrower", ids, on, actor, mode);
  return report;
}

std::size_t reapply_ledger(db::Database& db, const audit::Actor& actor) {
  // Only what the register does not show as erased, grouped by kind and day. Read a line at a
  // time: after the library closed, the ledger lists everyone.
  std::map<std::pair<std::string, std::string>, std::vector<std::int64_t>> pending;
  SQLite::Statement expert(db.sql(), "SELECT 1 FROM living_expert WHERE id = ?");
  SQLite::Statement borrower(db.sql(), "SELECT 1 FROM living_borrower WHERE id = ?");
  ledger::for_each(ledger::path_for(db.path()), db::register_id(db), [&](const ledger::Entry& e) {
    auto& q = e.kind == "expert" ? expert : borrower;
    q.bind(1, e.id);
    if (q.executeStep()) {
      pending[{e.kind, e.on}].push_back(e.id);
    }
    q.reset();
  });
  for (auto& group : pending) {
    auto& ids = group.second;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }
  if (pending.empty()) {
    return 0;
  }
  std::size_t n = 0;
  {
    db::WriteTransaction tx(db);
    for (const auto& [key, ids] : pending) {
      const auto on = text::parse_date("erasure ledger", key.second);
      if (key.first == "expert") {
        erase_experts(tx, ids, on, actor, EraseMode::reapply);
      } else {
        erase_borrowers(tx, ids, on, actor, EraseMode::reapply);
      }
      n += ids.size();
    }
    tx.commit();
  }
  compact(db);
  return n;
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

text::Date answer_due(text::Date received) {
  // Month arithmetic on year_month carries December into January of the next year; 31
  // January + one month is the last day of February, as art. 12(3) is read.
  const auto month = received.year() / received.month() + std::chrono::months{1};
  const auto next = month / received.day();
  return next.ok() ? next : month / std::chrono::last;
}

void each_due(db::Database& db, const config::Config& config, text::Date today,
              const std::function<void(const Due&)>& visit) {
  const auto& r = config.retention;
  const std::string_view lang = config.language;
  const auto today_s = text::format_date(today);
  // The command each sentence names, for `lbib remind` and `lbib today`; then the item goes to
  // `visit`, one at a time, so a register with 70,000 consents to re-confirm is never held whole.
  const auto emit = [&](Due d) {
    d.command = d.kind == "erase-paused-soon"
                    ? fmt::format("lbib expert edit {} --status active", d.id)
                : d.kind == "reconfirm"       ? fmt::format("lbib expert edit {} --reconfirm", d.id)
                : d.kind == "ask-join"        ? fmt::format("lbib expert join {}", d.id)
                : d.kind == "subject-request" ? fmt::format("lbib gdpr request done {}", d.id)
                                              : std::string("lbib gdpr purge");
    visit(d);
  };
  const auto each = [&](const std::string& sql, const std::vector<std::string>& binds,
                        const auto& add) {
    SQLite::Statement q(db.sql(), sql);
    for (std::size_t i = 0; i < binds.size(); ++i) {
      q.bind(static_cast<int>(i + 1), binds[i]);
    }
    while (q.executeStep()) {
      add(q);
    }
  };
  const auto date_of = [](SQLite::Statement& q, int column, const char* what) {
    return text::parse_date(what, q.getColumn(column).getString());
  };
  each(
      "SELECT id, left_on, date(left_on, ?2) FROM living_expert WHERE status = 'left' "
      "AND date(left_on, ?2) <= ?1 ORDER BY id",
      {today_s, plus(r.erase_left_after_months, "months")}, [&](SQLite::Statement& q) {
        const auto id = q.getColumn(0).getInt64();
        const auto since = q.getColumn(1).getString();
        emit({"erase",
              "expert",
              id,
              text::parse_date("left_on", since),
              i18n::tr_format_in(lang, "Expert {} left on {}: erasure is due (lbib gdpr purge).",
                                 id, since),
              {},
              date_of(q, 2, "due_on")});
      });
  // A pause that lasts too long ends in erasure; from warn_days before, a warning.
  each(
      "SELECT id, paused_on, date(paused_on, ?2) FROM living_expert WHERE status = 'paused' AND "
      "paused_on IS NOT NULL AND date(paused_on, ?2, ?3) <= ?1 ORDER BY id",
      {today_s, plus(r.erase_paused_after_months, "months"), plus(-r.warn_days, "days")},
      [&](SQLite::Statement& q) {
        const auto id = q.getColumn(0).getInt64();
        const auto since = q.getColumn(1).getString();
        const auto due_on = q.getColumn(2).getString();
        const bool now = due_on <= today_s;
        emit({now ? "erase-paused" : "erase-paused-soon",
              "expert",
              id,
              text::parse_date("paused_on", since),
              now ? i18n::tr_format_in(
                        lang,
                        "Expert {} has been paused since {}: erasure is due (lbib gdpr "
                        "purge), unless they return (lbib expert edit {} --status active).",
                        id, since, id)
                  : i18n::tr_format_in(lang,
                                       "Expert {} has been paused since {} and will be erased on "
                                       "{} unless they return (lbib expert edit {} --status "
                                       "active).",
                                       id, since, due_on, id),
              {},
              date_of(q, 2, "due_on")});
      });
  // The consents in force read in the order of their index (by expert), so the grouping needs no
  // sorting; the expert is looked up only for those whose newest consent is old enough.
  each(R"sql(
    SELECT c.expert_id, max(c.given_on), date(max(c.given_on), ?2) FROM active_consent c
    GROUP BY c.expert_id HAVING date(max(c.given_on), ?2) <= ?1 AND EXISTS (
      SELECT 1 FROM living_expert e WHERE e.id = c.expert_id AND e.status = 'active')
    ORDER BY c.expert_id)sql",
       {today_s, plus(r.reconfirm_consent_years, "years")}, [&](SQLite::Statement& q) {
         const auto id = q.getColumn(0).getInt64();
         const auto since = q.getColumn(1).getString();
         emit({"reconfirm",
               "expert",
               id,
               text::parse_date("given_on", since),
               i18n::tr_format_in(lang,
                                  "Expert {}: consent given {} is due for re-confirmation "
                                  "(lbib expert edit {} --reconfirm).",
                                  id, since, id),
               {},
               date_of(q, 2, "due_on")});
       });
  // A person recruited for one assignment who has not joined the library: once the request
  // closed, ask whether they join; the configured days after it closed, erasure is due.
  each(
      R"sql(
    SELECT a.expert_id, a.request_id, max(ev.on_date), date(max(ev.on_date), ?2)
    FROM assignment_recruit a JOIN living_expert e ON e.id = a.expert_id
    JOIN request r ON r.id = a.request_id JOIN request_event ev ON ev.request_id = r.id
    WHERE a.joined_on IS NULL
      AND r.state IN ('finished', 'declined', 'cancelled', 'withdrawn')
    GROUP BY a.expert_id HAVING max(ev.on_date) <= ?1 ORDER BY a.expert_id)sql",
      {today_s, plus(r.erase_assignment_recruits_after_days, "days")}, [&](SQLite::Statement& q) {
        const auto id = q.getColumn(0).getInt64();
        const auto request = q.getColumn(1).getInt64();
        const auto since = q.getColumn(2).getString();
        const auto due_on = q.getColumn(3).getString();
        const bool now = due_on <= today_s;
        // Asking is due from the day the request closed; the erasure on its own day.
        const auto closed = text::parse_date("closed", since);
        emit({now ? "erase-assignment" : "ask-join",
              "expert",
              id,
              closed,
              now ? i18n::tr_format_in(lang,
                                       "Expert {} was recruited for request {}, which closed on "
                                       "{}, and did not join the library: erasure is due (lbib "
                                       "gdpr purge).",
                                       id, request, since)
                  : i18n::tr_format_in(lang,
                                       "Expert {} was recruited for request {}, which closed on "
                                       "{}: ask whether they join the library (lbib expert join "
                                       "{}); otherwise they are erased on {}.",
                                       id, request, since, id, due_on),
              {},
              now ? date_of(q, 3, "due_on") : closed});
      });
  // A borrower's contact person, once every request of theirs ended long enough ago.
  // (Each borrower's requests through its index: not every request's history joined and grouped.)
  each(R"sql(
    SELECT id, since, date(since, ?2) FROM (
      SELECT b.id, (SELECT max(ev.on_date) FROM request r
                    JOIN request_event ev ON ev.request_id = r.id WHERE r.borrower_id = b.id) AS since
      FROM living_borrower b WHERE NOT EXISTS (
        SELECT 1 FROM request r WHERE r.borrower_id = b.id
          AND r.state NOT IN ('finished', 'declined', 'cancelled', 'withdrawn')
          AND EXISTS (SELECT 1 FROM request_event ev WHERE ev.request_id = r.id)))
    WHERE date(since, ?2) <= ?1 ORDER BY id)sql",
       {today_s, plus(r.erase_borrower_contact_after_months, "months")}, [&](SQLite::Statement& q) {
         const auto id = q.getColumn(0).getInt64();
         const auto since = q.getColumn(1).getString();
         emit({"erase-borrower",
               "borrower",
               id,
               text::parse_date("ended", since),
               i18n::tr_format_in(lang,
                                  "Borrower {}: the last request ended on {}; erasing the "
                                  "contact person is due (lbib gdpr purge).",
                                  id, since),
               {},
               date_of(q, 2, "due_on")});
       });
  each(
      // The requests that hold any such text first (four scans of small rows), then the closed
      // ones among them: not every closed request's row and history read in a big register.
      R"sql(
    SELECT id, since, date(since, ?2) FROM (
      SELECT r.id, (SELECT max(ev.on_date) FROM request_event ev WHERE ev.request_id = r.id) AS since
      FROM request r WHERE r.id IN (SELECT id FROM request WHERE notes IS NOT NULL
        UNION ALL SELECT request_id FROM pre_meeting WHERE notes IS NOT NULL
        UNION ALL SELECT request_id FROM followup WHERE quotes IS NOT NULL
        UNION ALL SELECT request_id FROM followup_answer)
      AND r.state IN ('finished', 'declined', 'cancelled', 'withdrawn'))
    WHERE date(since, ?2) <= ?1 ORDER BY id)sql",
      {today_s, plus(r.clear_request_notes_after_months, "months")}, [&](SQLite::Statement& q) {
        const auto id = q.getColumn(0).getInt64();
        const auto since = q.getColumn(1).getString();
        emit({"clear-request-notes",
              "request",
              id,
              text::parse_date("ended", since),
              i18n::tr_format_in(lang,
                                 "Request {} ended on {}: its notes, quotes and follow-up "
                                 "answers are due to be cleared (lbib gdpr purge).",
                                 id, since),
              {},
              date_of(q, 2, "due_on")});
      });
  // Rows older than the configured years: due since the oldest of them turned that old.
  const auto count_old = [&](const char* kind, const std::string& sql, int years,
                             const char* english) {
    SQLite::Statement q(db.sql(), sql);
    q.bind(1, today_s);
    q.bind(2, plus(-years, "years"));
    q.bind(3, plus(years, "years"));
    if (q.executeStep() && q.getColumn(0).getInt64() > 0) {
      const auto n = q.getColumn(0).getInt64();
      emit({kind,
            "register",
            0,
            date_of(q, 1, "oldest"),
            fmt::format(fmt::runtime(i18n::tr_in(lang, english)), n, years),
            {},
            date_of(q, 2, "due_on")});
    }
  };
  count_old("delete-audit",
            "SELECT count(*), min(substr(at, 1, 10)), date(min(substr(at, 1, 10)), ?3) FROM audit "
            "WHERE at < date(?1, ?2)",
            r.audit_years,
            i18n::N_("{} audit entries are older than {} years: deleting them is due (lbib gdpr "
                     "purge)."));
  count_old("delete-subject-requests",
            "SELECT count(*), min(done_on), date(min(done_on), ?3) FROM subject_request "
            "WHERE done_on < date(?1, ?2)",
            r.subject_requests_years,
            i18n::N_("{} answered data-subject requests are older than {} years: deleting them "
                     "is due (lbib gdpr purge)."));
  count_old("delete-payments",
            "SELECT count(*), min(settled_on), date(min(settled_on), ?3) FROM payment "
            "WHERE settled_on < date(?1, ?2)",
            r.payments_years,
            i18n::N_("{} settled payments are older than {} years: deleting them is due (lbib "
                     "gdpr purge)."));
  // Open data-subject requests from a week before they fall due.
  each(
      "SELECT id, kind, due_on FROM subject_request WHERE done_on IS NULL "
      "AND date(due_on, '-7 days') <= ?1 ORDER BY due_on",
      {today_s}, [&](SQLite::Statement& q) {
        const auto id = q.getColumn(0).getInt64();
        const auto kind = q.getColumn(1).getString();
        const auto due_on = q.getColumn(2).getString();
        const auto on = text::parse_date("due_on", due_on);
        emit({"subject-request",
              "subject_request",
              id,
              on,
              i18n::tr_format_in(lang,
                                 "Data-subject request {} ({}) must be answered by {} "
                                 "(lbib gdpr request done {}).",
                                 id, kind, due_on, id),
              {},
              on});
      });
}

std::vector<std::string> check_derived_keys(db::Database& db) {
  const auto count = [&db](const char* sql) {
    SQLite::Statement q(db.sql(), sql);
    return q.executeStep() ? q.getColumn(0).getInt64() : 0;
  };
  std::vector<std::string> problems;
  const auto report = [&problems](std::int64_t n, std::string line) {
    if (n > 0) {
      problems.push_back(std::move(line));
    }
  };
  // The same expressions as migration 24 and experts::store::refresh_identity_keys.
  const auto stale = count(R"sql(
    SELECT count(*) FROM living_expert WHERE name_folded IS NOT sv_fold_identity(name)
      OR email_folded IS NOT nullif(sv_fold_identity(email), '')
      OR phone_digits IS NOT nullif(sv_phone_digits(phone), ''))sql");
  report(stale, i18n::tr_format("{} living experts' identity keys do not match their name, "
                                "e-mail or phone: a duplicate of them may go unnoticed "
                                "(lbib check --rebuild-keys)",
                                stale));
  const auto erased = count(
      "SELECT count(*) FROM expert WHERE erased_on IS NOT NULL "
      "AND coalesce(name_folded, email_folded, phone_digits) IS NOT NULL");
  report(erased, i18n::tr_format("{} erased experts still have identity keys, which are "
                                 "personal data (lbib check --rebuild-keys)",
                                 erased));
  if (!has_mention_keys(db)) {
    return problems;
  }
  // Each living person's keys as migration 25 and refresh_mention_keys compute them, against
  // the table: one missing means their mentions are not found; one more, a key of nobody living.
  SQLite::Statement q(db.sql(), R"sql(
    WITH wanted AS MATERIALIZED (
      SELECT k.value AS key, 'expert' AS kind, p.id AS person FROM living_expert p,
        json_each(sv_mention_keys(p.name, p.email, p.phone)) k
      UNION
      SELECT k.value, 'borrower', p.id FROM living_borrower p,
        json_each(sv_mention_keys(p.contact_name, p.contact_email, p.contact_phone)) k),
    missing AS (SELECT count(*) AS n FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM mention_key m
      WHERE m.key = w.key AND m.kind = w.kind AND m.person = w.person))
    SELECT missing.n, (SELECT count(*) FROM mention_key) - ((SELECT count(*) FROM wanted) - missing.n)
    FROM missing)sql");
  if (q.executeStep()) {
    const auto missing = q.getColumn(0).getInt64();
    const auto extra = q.getColumn(1).getInt64();
    report(missing, i18n::tr_format("{} mention keys of living people are missing: another "
                                    "person's export may leave their names unredacted (lbib "
                                    "check --rebuild-keys)",
                                    missing));
    report(extra, i18n::tr_format("{} mention keys are not those of a living person's name, "
                                  "e-mail or phone (lbib check --rebuild-keys)",
                                  extra));
  }
  return problems;
}

void rebuild_derived_keys(db::WriteTransaction& tx, const audit::Actor& actor) {
  // Each clears the keys of its kind and writes those of the living: the experts' identity and
  // mention keys, then the contact persons' mention keys.
  experts::store::refresh_identity_keys(tx, std::nullopt);
  refresh_mention_keys(tx, "borrower", std::nullopt);
  audit::record(tx, actor, "rebuild-keys", "register", std::nullopt);
}

std::vector<Due> due(db::Database& db, const config::Config& config, text::Date today) {
  std::vector<Due> out;
  each_due(db, config, today, [&](const Due& d) { out.push_back(d); });
  return out;
}

PurgeResult purge(db::WriteTransaction& tx, const config::Config& config, text::Date today,
                  const audit::Actor& actor) {
  PurgeResult result;
  // What is due, read whole before anything changes (no statement reads the rows it writes),
  // but as a kind and an id each: a register of 100,000 can have 80,000 consents to pause.
  enum class Act : std::uint8_t { erase, erase_borrower, pause, clear_notes };
  std::vector<std::pair<Act, std::int64_t>> acts;
  each_due(tx.database(), config, today, [&acts](const Due& d) {
    if (d.kind == "erase" || d.kind == "erase-paused" || d.kind == "erase-assignment") {
      acts.emplace_back(Act::erase, d.id);
    } else if (d.kind == "erase-borrower") {
      acts.emplace_back(Act::erase_borrower, d.id);
    } else if (d.kind == "reconfirm") {
      acts.emplace_back(Act::pause, d.id);
    } else if (d.kind == "clear-request-notes") {
      acts.emplace_back(Act::clear_notes, d.id);
    }
  });
  SQLite::Statement pause(tx.sql(),
                          "UPDATE expert SET status = 'paused', paused_on = ? WHERE id = ?");
  pause.bind(1, text::format_date(today));
  std::vector<SQLite::Statement> clear;
  clear.reserve(4);
  for (const char* sql : {"UPDATE request SET notes = NULL WHERE id = ?",
                          "UPDATE pre_meeting SET notes = NULL WHERE request_id = ?",
                          "UPDATE followup SET quotes = NULL WHERE request_id = ?",
                          "DELETE FROM followup_answer WHERE request_id = ?"}) {
    clear.emplace_back(tx.sql(), sql);
  }
  for (const auto& [act, id] : acts) {
    switch (act) {
      case Act::erase:
        result.erased.push_back(id);
        break;
      case Act::erase_borrower:
        result.borrowers_erased.push_back(id);
        break;
      case Act::pause:
        pause.bind(2, id);
        pause.exec();
        pause.reset();
        audit::record(tx, actor, "pause-unconfirmed", "expert", id);
        result.paused.push_back(id);
        break;
      case Act::clear_notes:
        for (auto& q : clear) {
          q.bind(1, id);
          q.exec();
          q.reset();
        }
        audit::record(tx, actor, "clear-notes", "request", id);
        result.requests_cleared.push_back(id);
        break;
    }
  }
  erase_experts(tx, result.erased, today, actor);
  erase_borrowers(tx, result.borrowers_erased, today, actor);
  const auto& r = config.retention;
  const auto old = [&](const char* sql, int years) {
    SQLite::Statement q(tx.sql(), sql);
    q.bind(1, text::format_date(today));
    q.bind(2, plus(-years, "years"));
    return static_cast<std::int64_t>(q.exec());
  };
  result.audit_deleted = old("DELETE FROM audit WHERE at < date(?1, ?2)", r.audit_years);
  result.subject_requests_deleted =
      old("DELETE FROM subject_request WHERE done_on < date(?1, ?2)", r.subject_requests_years);
  result.payments_deleted =
      old("DELETE FROM payment WHERE settled_on < date(?1, ?2)", r.payments_years);
  audit::record(
      tx, actor, "purge", "register", std::nullopt,
      fmt::format("{} erased, {} paused, {} borrowers erased, {} requests cleared, {} "
                  "audit entries, {} subject requests, {} payments deleted",
                  result.erased.size(), result.paused.size(), result.borrowers_erased.size(),
                  result.requests_cleared.size(), result.audit_deleted,
                  result.subject_requests_deleted, result.payments_deleted));
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
                          "UPDATE consent SET withdrawn_on = ? WHERE id = (SELECT id FROM "
                          "active_consent WHERE expert_id = ? AND purpose = ?)");
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
  if (text::today() < received) {
    throw make_error(ExitCode::data,
                     "received: {} is in the future; a data-subject request is recorded once it "
                     "arrived (today {} or earlier)",
                     text::format_date(received), text::format_date(text::today()));
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
  ins.bind(4, text::format_date(answer_due(received)));
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

std::vector<std::int64_t> subject_request_ids(db::Database& db) {
  SQLite::Statement q(db.sql(), "SELECT id FROM subject_request ORDER BY id");
  std::vector<std::int64_t> ids;
  while (q.executeStep()) {
    ids.push_back(q.getColumn(0).getInt64());
  }
  return ids;
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
  std::vector<std::string> missing;
  for (const auto& [key, value] :
       {std::pair<const char*, const std::string*>{"controller", &c.gdpr.controller},
        {"contact", &c.gdpr.contact},
        {"dpo", &c.gdpr.dpo},
        {"legal_basis", &c.gdpr.legal_basis},
        {"legal_basis_special", &c.gdpr.legal_basis_special}}) {
    if (value->empty()) {
      missing.push_back(fmt::format("gdpr.{}", key));
    }
  }
  if (c.gdpr.purposes.empty()) {
    missing.emplace_back("gdpr.purposes");
  }
  if (!missing.empty()) {
    throw make_error(ExitCode::config,
                     "the record of processing needs the controller section of the "
                     "configuration; set: {}",
                     text::join(missing, ", "));
  }
  const auto tr = [&c](const char* english) { return i18n::tr_in(c.language, english); };
  output::Document d;
  d.language = c.language;
  d.title =
      i18n::tr_format_in(c.language, "Record of processing (GDPR art. 30): {}", c.library_name);
  using Kind = output::Document::Part::Kind;
  const auto field = [&](const char* name, const std::string& value) {
    d.parts.push_back({Kind::heading, tr(name), {}});
    d.parts.push_back({Kind::paragraph, value, {}});
  };
  // Each item is a sentence of its own.
  const auto list = [](const std::vector<std::string>& items) { return text::join(items, " "); };
  field(i18n::N_("a) Controller"), c.gdpr.controller);
  field(i18n::N_("Contact"), c.gdpr.contact);
  field(i18n::N_("Data protection officer"), c.gdpr.dpo);
  field(i18n::N_("b) Purposes"), list(c.gdpr.purposes));
  field(i18n::N_("Legal basis"),
        fmt::format("{} {}", c.gdpr.legal_basis, c.gdpr.legal_basis_special));
  field(i18n::N_("c) Categories of data subjects"),
        tr("Experts by experience (patients, users, clients, relatives); borrowers' contact "
           "persons; the library's contact persons (in the audit log)."));
  field(i18n::N_("c) Categories of personal data"),
        tr("Contact data, birth year, municipality, background answers; experiences of care and "
           "social services (special category, art. 9); consents with their texts; "
           "participation in requests and loans; compensation; free text: interview notes, "
           "request and pre-meeting notes, follow-up answers and quotes, survey answers, "
           "catalogue descriptions, notes on data-subject requests."));
  std::vector<std::string> recipients = c.gdpr.recipients;
  recipients.push_back(
      tr("The mail provider that carries the library's mail (requests, "
         "summaries, reminders)."));
  recipients.push_back(
      tr("Experts who took part in the same loan receive the follow-up "
         "summary (answers marked for it)."));
  recipients.push_back(
      tr("The public: the catalogue page shows descriptions the experts "
         "approved, without names."));
  recipients.push_back(
      tr("A new owner of the library, if the register is handed over (lbib "
         "export --all)."));
  field(i18n::N_("d) Recipients"), list(recipients));
  field(i18n::N_("e) Transfers to third countries"),
        c.gdpr.third_countries.empty() ? tr("None configured (gdpr.third_countries).")
                                       : list(c.gdpr.third_countries));
  const auto& r = c.retention;
  field(i18n::N_("f) Retention"),
        i18n::tr_format_in(
            c.language,
            "Experts who left are erased {} months later, and experts paused for {} months "
            "too; consent is re-confirmed every {} years; borrowers' contact persons are "
            "erased {} months after their last request ended; a request's notes, quotes "
            "and answers are cleared {} months after it ended; audit entries are kept {} "
            "years, answered data-subject requests {} years, settled payments {} years "
            "(lbib gdpr purge). Erasure removes a person's own free text and redacts "
            "their name, e-mail and phone in shared text.",
            r.erase_left_after_months, r.erase_paused_after_months, r.reconfirm_consent_years,
            r.erase_borrower_contact_after_months, r.clear_request_notes_after_months,
            r.audit_years, r.subject_requests_years, r.payments_years));
  std::string security =
      tr("The register is one file only the contact persons can read (mode 0600, or 0660 in a "
         "shared group); lbib refuses a register others can read; erased data is overwritten "
         "(secure_delete, VACUUM) and every erasure is kept in a ledger without personal data, "
         "so a restored copy cannot bring a person back; every change is audited without "
         "personal values; consent per purpose with text and version.");
  security += ' ';
  security += c.gdpr.backups.empty()
                  ? tr("Backups: not described in the configuration (gdpr.backups).")
                  : i18n::tr_format_in(c.language, "Backups: {}", c.gdpr.backups);
  field(i18n::N_("g) Security measures"), security);
  return d;
}

}  // namespace lbib::privacy

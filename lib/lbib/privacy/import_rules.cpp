// SPDX-License-Identifier: MIT
#include "lbib/privacy/import_rules.hpp"

#include <SQLiteCpp/Statement.h>

#include <array>
#include <limits>

#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/experts/wishes.hpp"
#include "lbib/followup/payments.hpp"
#include "lbib/governance/governance.hpp"
#include "lbib/lending/assignments.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/outreach/outreach.hpp"
#include "lbib/privacy/freetext.hpp"
#include "lbib/text/sha256.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::privacy {
namespace {

using Json = nlohmann::json;

// The fields whose command accepts line breaks (text::check_text); every other text field is
// one line (text::check_line), as the commands that write them check.
constexpr std::array multi_line_fields{"expert.notes",
                                       "request.purpose",
                                       "request.notes",
                                       "request_event.note",
                                       "pre_meeting.notes",
                                       "followup.quotes",
                                       "followup_answer.answer",
                                       "outreach.note",
                                       "subject_request.note",
                                       "catalogue_entry.description",
                                       "consent_text.body",
                                       "survey_response.answers",
                                       "questionnaire_answer.answer",
                                       "borrower_survey_answer.answer",
                                       "open_call.text"};

// The longest text any field of the schema holds (consent texts, survey answers); each
// field's own limit is the schema's CHECK and its aggregate's validator.
constexpr std::size_t longest_text = 20000;

// What privacy::erase leaves of an expert: these values and nothing else personal.
constexpr std::string_view erased_name = "(raderad)";
constexpr std::string_view erased_email = "raderad@invalid";

bool is_multi_line(std::string_view table, std::string_view column) {
  for (const std::string_view f : multi_line_fields) {
    if (f.size() == table.size() + 1 + column.size() && f.substr(0, table.size()) == table &&
        f[table.size()] == '.' && f.substr(table.size() + 1) == column) {
      return true;
    }
  }
  return false;
}

/// A text column, absent or null as nullopt; another JSON type is refused.
std::optional<std::string> opt_text(const Json& row, const char* column) {
  const auto it = row.find(column);
  if (it == row.end() || it->is_null()) {
    return std::nullopt;
  }
  if (!it->is_string()) {
    throw make_error(ExitCode::data, "{}: text expected", column);
  }
  return it->get<std::string>();
}

std::string text_of(const Json& row, const char* column) {
  return opt_text(row, column).value_or("");
}

std::optional<std::int64_t> opt_int(const Json& row, const char* column) {
  const auto it = row.find(column);
  if (it == row.end() || it->is_null()) {
    return std::nullopt;
  }
  if (!it->is_number_integer()) {
    throw make_error(ExitCode::data, "{}: a whole number expected", column);
  }
  return it->get<std::int64_t>();
}

std::int64_t int_of(const Json& row, const char* column) {
  return opt_int(row, column).value_or(0);
}

// A whole number that fits an int field of a validator; out of range is refused, not wrapped.
std::optional<int> opt_small_int(const Json& row, const char* column) {
  const auto v = opt_int(row, column);
  if (v && (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max())) {
    throw make_error(ExitCode::data, "{}: the number is out of range", column);
  }
  return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

std::optional<text::Date> opt_date(const Json& row, const char* column) {
  const auto s = opt_text(row, column);
  return s ? std::optional<text::Date>(text::parse_date(column, *s)) : std::nullopt;
}

// Text rules for every text value of the row, before any validator quotes a value.
void check_text_rules(std::string_view table, const Json& row) {
  for (const auto& [column, value] : row.items()) {
    if (!value.is_string()) {
      continue;
    }
    const auto field = text::printable(column.substr(0, 40));
    if (is_multi_line(table, column)) {
      text::check_text(field, value.get_ref<const std::string&>(), longest_text);
    } else {
      text::check_line(field, value.get_ref<const std::string&>(), longest_text);
    }
  }
}

void check_expert(const Json& row, const config::Config& config) {
  experts::Profile p;
  p.name = text_of(row, "name");
  p.email = text_of(row, "email");
  p.phone = opt_text(row, "phone");
  p.postal_address = opt_text(row, "postal_address");
  p.municipality = opt_text(row, "municipality");
  p.birth_year = opt_small_int(row, "birth_year");
  const auto answer = [&row](const char* column) {
    return experts::parse_answer(column, opt_text(row, column).value_or("unknown"));
  };
  p.born_abroad = answer("born_abroad");
  p.care_professional = answer("care_professional");
  p.retired = answer("retired");
  p.channel = text_of(row, "channel");
  p.interviewed_on = text::parse_date("interviewed_on", text_of(row, "interviewed_on"));
  p.notes = opt_text(row, "notes");
  if (opt_date(row, "erased_on")) {
    // An anonymous stub: nothing personal may remain, as no command could remove it later.
    const bool empty =
        p.name == erased_name && p.email == erased_email && !p.phone && !p.postal_address &&
        !p.municipality && !p.birth_year && !p.notes && p.born_abroad == experts::Answer::unknown &&
        p.care_professional == experts::Answer::unknown && p.retired == experts::Answer::unknown;
    if (!empty) {
      throw make_error(ExitCode::data,
                       "erased, but the stub still holds personal data (name, e-mail, phone, "
                       "postal address, municipality, birth year, answers or notes)");
    }
    return;
  }
  experts::validate(p, config);
}

void check_experience(const Json& row, const config::Config& config) {
  const auto year = opt_small_int(row, "year");
  experts::parse_experience(
      fmt::format("{}:{}:{}:{}", text_of(row, "role"), text_of(row, "area"),
                  year ? std::to_string(*year) : "", text_of(row, "magnitude")),
      config);
}

void check_consent(const Json& row) {
  experts::parse_purpose("purpose", text_of(row, "purpose"));
  experts::parse_method("method", opt_text(row, "method").value_or("oral"));
  text::parse_date("given_on", text_of(row, "given_on"));
  opt_date(row, "withdrawn_on");
  text::check_line("text_version", text_of(row, "text_version"), text::limits::key);
  text::check_line("recorded_by", text_of(row, "recorded_by"), text::limits::name);
}

void check_consent_text(const Json& row) {
  experts::parse_purpose("purpose", text_of(row, "purpose"));
  if (text::sha256(text_of(row, "body")) != text_of(row, "sha256")) {
    throw make_error(ExitCode::data, "the consent text does not match its SHA-256");
  }
}

void check_borrower(const Json& row, const config::Config& config) {
  lending::Borrower b;
  b.organisation = text_of(row, "organisation");
  b.unit = opt_text(row, "unit");
  b.contact_name = text_of(row, "contact_name");
  b.contact_email = text_of(row, "contact_email");
  b.contact_phone = opt_text(row, "contact_phone");
  b.sector = opt_text(row, "sector");
  b.municipality = opt_text(row, "municipality");
  lending::validate(b);
  lending::validate_place(b, config);
}

void check_request(const Json& row, const config::Config& config) {
  lending::RequestDetails d;
  d.purpose = opt_text(row, "purpose");
  d.form = opt_text(row, "form");
  d.time = opt_text(row, "time");
  d.place = opt_text(row, "place");
  d.digital = int_of(row, "digital") != 0;
  d.experts_wanted = opt_small_int(row, "experts_wanted").value_or(2);
  d.fewer_reason = opt_text(row, "fewer_reason");
  d.min_age = opt_small_int(row, "min_age");
  d.max_age = opt_small_int(row, "max_age");
  d.municipality = opt_text(row, "municipality");
  d.reply_by = opt_date(row, "reply_by");
  d.notes = opt_text(row, "notes");
  lending::validate(d, config);
  lending::parse_state("state", opt_text(row, "state").value_or("received"));
  if (const auto reason = opt_text(row, "state_reason")) {
    lending::parse_reason("state_reason", *reason);
  }
}

void check_wanted(const Json& row, const config::Config& config) {
  const auto role = opt_text(row, "role");
  const auto area = text_of(row, "area");
  lending::parse_wanted(role ? *role + ":" + area : area, config);
}

void check_event(const Json& row) {
  lending::parse_state("to_state", text_of(row, "to_state"));
  if (const auto from = opt_text(row, "from_state")) {
    lending::parse_state("from_state", *from);
  }
  if (const auto reason = opt_text(row, "reason")) {
    lending::parse_reason("reason", *reason);
  }
}

void check_form(const Json& row, const config::Config& config) {
  const auto form = opt_text(row, "form");
  if (form && config::find_term(config.forms, *form) == nullptr) {
    throw make_error(ExitCode::data, "form: unknown form '{}'; use one of: {}", *form,
                     config::keys_of(config.forms));
  }
}

void check_answer(const Json& row, const config::Config& config) {
  const auto key = text_of(row, "question");
  const bool known = std::any_of(config.followup_questions.begin(), config.followup_questions.end(),
                                 [&key](const auto& q) { return q.key == key; });
  if (!known) {
    throw make_error(ExitCode::data, "question: unknown question '{}'", key);
  }
}

void check_payment(const Json& row) {
  followup::parse_unit("unit", text_of(row, "unit"));
  followup::parse_payment_status("status", text_of(row, "status"));
  const auto rate = int_of(row, "rate");
  const auto quantity = int_of(row, "quantity");
  const auto travel = int_of(row, "travel");
  constexpr std::int64_t most = 1'000'000'000;  // far above any real rate, quantity or travel
  const bool in_range = rate >= 0 && rate <= most && quantity >= 1 && quantity <= 1000 &&
                        travel >= 0 && travel <= most;
  if (!in_range || int_of(row, "amount") != followup::payment_amount(rate, quantity, travel)) {
    throw make_error(ExitCode::data, "amount: not the rate times the quantity plus travel");
  }
}

void check_outreach(const Json& row, const config::Config& config) {
  outreach::Activity a;
  a.on = text::parse_date("on_date", text_of(row, "on_date"));
  a.kind = text_of(row, "kind");
  a.audience = opt_text(row, "audience");
  a.note = opt_text(row, "note");
  a.sector = opt_text(row, "sector");
  outreach::validate(a);
  outreach::validate_sector(a, config);
}

// A wish of an expert: its keys in the taxonomy, its enumerations, its cap.
void check_wish(std::string_view table, const Json& row, const config::Config& config) {
  experts::Wishes w;
  if (table == "expert_wish") {
    w.setting = experts::parse_setting("setting", text_of(row, "setting"));
    w.max_requests = opt_small_int(row, "max_requests");
    if (const auto per = opt_text(row, "per_period")) {
      w.per = experts::parse_period("per_period", *per);
    }
    w.paused_until = opt_date(row, "paused_until");
  } else {
    const auto kind = text_of(row, "kind");
    const auto key = text_of(row, "key");
    if (kind == "form-wanted") {
      w.forms_wanted = {key};
    } else if (kind == "form-unwanted") {
      w.forms_unwanted = {key};
    } else if (kind == "area-avoided") {
      w.areas_avoided = {key};
    } else {
      throw make_error(ExitCode::data,
                       "kind: '{}' is not accepted; use one of: form-wanted, form-unwanted, "
                       "area-avoided",
                       text::printable(kind));
    }
  }
  experts::validate(w, config);
}

void check_description(const Json& row) {
  if (text_of(row, "description").find_first_not_of(" \n\t") == std::string::npos) {
    throw make_error(ExitCode::data, "description: empty");
  }
}

void check_by_table(std::string_view table, const Json& row, const config::Config& config) {
  if (table == "expert") {
    check_expert(row, config);
  } else if (table == "experience") {
    check_experience(row, config);
  } else if (table == "consent") {
    check_consent(row);
  } else if (table == "consent_text") {
    check_consent_text(row);
  } else if (table == "borrower") {
    check_borrower(row, config);
  } else if (table == "request") {
    check_request(row, config);
  } else if (table == "request_experience") {
    check_wanted(row, config);
  } else if (table == "request_event") {
    check_event(row);
  } else if (table == "loan") {
    check_form(row, config);
  } else if (table == "followup_answer") {
    check_answer(row, config);
  } else if (table == "payment") {
    check_payment(row);
  } else if (table == "outreach") {
    check_outreach(row, config);
  } else if (table == "catalogue_entry") {
    check_description(row);
  } else if (table == "decision") {
    governance::validate(governance::Decision{text::parse_date("on_date", text_of(row, "on_date")),
                                              text_of(row, "kind"), text_of(row, "text")});
  } else if (table == "inquiry") {
    governance::validate(governance::Inquiry{text::parse_date("on_date", text_of(row, "on_date")),
                                             text_of(row, "kind"), text_of(row, "reason"),
                                             opt_small_int(row, "count").value_or(0)});
  } else if (table == "expert_wish" || table == "expert_wish_item") {
    check_wish(table, row, config);
  } else if (table == "open_call") {
    lending::validate_call(text_of(row, "text"));
  } else if (table == "outreach_target") {
    outreach::validate_target(text_of(row, "organisation"));
  }
}

// "expert 12", "payment of request 3", or the table alone: which row a message is about.
std::string row_name(std::string_view table, const Json& row) {
  for (const char* key : {"id", "expert_id", "request_id"}) {
    const auto it = row.find(key);
    if (it != row.end() && it->is_number_integer()) {
      return std::string_view(key) == "id"
                 ? fmt::format("{} {}", table, it->get<std::int64_t>())
                 : fmt::format("{} of {} {}", table,
                               std::string_view(key).substr(0, std::string_view(key).size() - 3),
                               it->get<std::int64_t>());
    }
  }
  return fmt::format("a row of {}", table);
}

std::optional<std::int64_t> first_id(db::Database& db, const std::string& sql) {
  SQLite::Statement q(db.sql(), sql);
  if (q.executeStep()) {
    return q.getColumn(0).getInt64();
  }
  return std::nullopt;
}

}  // namespace

void check_row(std::string_view table, const nlohmann::json& row, const config::Config& config) {
  try {
    check_text_rules(table, row);
    check_by_table(table, row, config);
  } catch (const Error& e) {
    throw make_error(ExitCode::data, "import: {}: {}", row_name(table, row), e.what());
  }
}

void check_register(db::Database& db) {
  if (const auto id = first_id(db, R"sql(
        SELECT e.id FROM living_expert e WHERE NOT EXISTS (
          SELECT 1 FROM active_consent c WHERE c.expert_id = e.id AND c.purpose = 'register')
        ORDER BY e.id LIMIT 1)sql")) {
    throw make_error(ExitCode::data,
                     "import: expert {} has no register consent in force; lbib keeps no one in "
                     "the register without it",
                     *id);
  }
  if (const auto id = first_id(db, R"sql(
        SELECT e.id FROM expert e WHERE e.erased_on IS NOT NULL AND (
          EXISTS (SELECT 1 FROM experience x WHERE x.expert_id = e.id) OR
          EXISTS (SELECT 1 FROM consent c WHERE c.expert_id = e.id) OR
          EXISTS (SELECT 1 FROM expert_wish w WHERE w.expert_id = e.id) OR
          EXISTS (SELECT 1 FROM expert_wish_item w WHERE w.expert_id = e.id) OR
          EXISTS (SELECT 1 FROM catalogue_entry d WHERE d.expert_id = e.id))
        ORDER BY e.id LIMIT 1)sql")) {
    throw make_error(ExitCode::data,
                     "import: expert {} is erased but still has experiences, consents, wishes or "
                     "a description",
                     *id);
  }
  if (const auto id = first_id(db, R"sql(
        SELECT c.expert_id FROM consent c WHERE NOT EXISTS (
          SELECT 1 FROM consent_text t WHERE t.purpose = c.purpose AND t.version = c.text_version)
        ORDER BY c.expert_id LIMIT 1)sql")) {
    throw make_error(ExitCode::data,
                     "import: a consent of expert {} refers to a consent text that is not in the "
                     "export",
                     *id);
  }
  // An erased person's own free text is gone (lib/lbib/privacy/freetext.cpp names it).
  for (const auto& c : text_columns(db)) {
    if (c.rule != Rule::own || c.owner.empty() || c.table == "expert") {
      continue;
    }
    std::string owner = c.owner;
    owner.replace(owner.find("?1"), 2, "e.id");
    if (const auto id = first_id(
            db, fmt::format("SELECT e.id FROM expert e WHERE e.erased_on IS NOT NULL AND EXISTS "
                            "(SELECT 1 FROM \"{}\" WHERE {} AND \"{}\" IS NOT NULL) ORDER BY e.id "
                            "LIMIT 1",
                            c.table, owner, c.column))) {
      throw make_error(ExitCode::data,
                       "import: expert {} is erased but {}.{} still holds their text", *id, c.table,
                       c.column);
    }
  }
  SQLite::Statement counters(db.sql(),
                             "SELECT name, seq FROM sqlite_sequence WHERE seq < 0 OR seq > ? "
                             "ORDER BY name LIMIT 1");
  counters.bind(1, max_id_counter);
  if (counters.executeStep()) {
    throw make_error(ExitCode::data, "import: the id counter of {} is out of range (0 to {})",
                     text::printable(counters.getColumn(0).getString().substr(0, 40)),
                     max_id_counter);
  }
}

}  // namespace lbib::privacy

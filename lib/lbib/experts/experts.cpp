// SPDX-License-Identifier: MIT
#include "lbib/experts/experts.hpp"

#include <SQLiteCpp/Statement.h>

#include <array>
#include <charconv>

#include "lbib/error.hpp"
#include "lbib/experts/store.hpp"
#include "lbib/privacy/freetext.hpp"
#include "lbib/text/collate.hpp"
#include "lbib/text/names.hpp"
#include "lbib/text/sha256.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::experts {
namespace {

using text::name_of;
using text::Names;
using text::parse_name;

constexpr Names<Answer, 3> answer_names{
    {{Answer::yes, "yes"}, {Answer::no, "no"}, {Answer::unknown, "unknown"}}};
constexpr Names<Magnitude, 2> magnitude_names{
    {{Magnitude::major, "major"}, {Magnitude::everyday, "everyday"}}};
constexpr Names<Status, 3> status_names{
    {{Status::active, "active"}, {Status::paused, "paused"}, {Status::left, "left"}}};
constexpr Names<Purpose, 3> purpose_names{{{Purpose::register_, "register"},
                                           {Purpose::mailing, "mailing"},
                                           {Purpose::website, "website"}}};

constexpr Names<Method, 2> method_names{{{Method::oral, "oral"}, {Method::written, "written"}}};

constexpr int min_year = 1900;

// This year: the latest a year of birth or of an experience can be.
int latest_year() {
  return static_cast<int>(text::today().year());
}

void check_experience(const Experience& x, const config::Config& config) {
  if (config::find_term(config.roles, x.role) == nullptr) {
    throw make_error(ExitCode::data, "experience: unknown role '{}'; use one of: {}", x.role,
                     config::keys_of(config.roles));
  }
  if (config::find_term(config.areas, x.area) == nullptr) {
    throw make_error(ExitCode::data, "experience: unknown area '{}'; use one of: {}", x.area,
                     config::keys_of(config.areas));
  }
}

// An empty string on the command line clears an optional field.
std::optional<std::string> cleared(const std::string& s) {
  if (s.empty()) {
    return std::nullopt;
  }
  return s;
}

}  // namespace

std::string_view to_string(Answer a) {
  return name_of(answer_names, a);
}
std::string_view to_string(Magnitude m) {
  return name_of(magnitude_names, m);
}
std::string_view to_string(Status s) {
  return name_of(status_names, s);
}
std::string_view to_string(Purpose p) {
  return name_of(purpose_names, p);
}
std::string_view to_string(Method m) {
  return name_of(method_names, m);
}
Method parse_method(std::string_view field, std::string_view s) {
  return parse_name(method_names, field, s);
}

Answer parse_answer(std::string_view field, std::string_view s) {
  return parse_name(answer_names, field, s);
}
Magnitude parse_magnitude(std::string_view field, std::string_view s) {
  return parse_name(magnitude_names, field, s);
}
Status parse_status(std::string_view field, std::string_view s) {
  return parse_name(status_names, field, s);
}
Purpose parse_purpose(std::string_view field, std::string_view s) {
  return parse_name(purpose_names, field, s);
}

int parse_year(std::string_view field, std::string_view s) {
  int year = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), year);
  // A year of birth or of an experience has passed: none after this one.
  const int latest = latest_year();
  if (s.size() != 4 || ec != std::errc{} || ptr != s.data() + s.size() || year < min_year ||
      year > latest) {
    throw make_error(ExitCode::data, "{}: not a year; a four-digit year from {} to {} is accepted",
                     field, min_year, latest);
  }
  return year;
}

Experience parse_experience(std::string_view spec, const config::Config& config) {
  text::check_line("experience", spec, text::limits::short_text);
  const auto parts = text::split(spec, ':');
  if (parts.size() < 2 || parts.size() > 4) {
    throw make_error(ExitCode::data,
                     "experience: not in the form ROLE:AREA[:YEAR][:major|everyday] "
                     "(for example relative:dementia:2019:major)");
  }
  Experience x;
  x.role = parts[0];
  x.area = parts[1];
  for (std::size_t i = 2; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    if (part.empty()) {
      continue;
    }
    if (part.front() >= '0' && part.front() <= '9') {
      x.year = parse_year("experience year", part);
    } else {
      x.magnitude = parse_magnitude("experience magnitude", part);
    }
  }
  check_experience(x, config);
  return x;
}

void ensure_consent_text(db::WriteTransaction& tx, const config::Config& config, Purpose purpose) {
  const std::string name(to_string(purpose));
  const auto it = config.consent_texts.find(name);
  if (it == config.consent_texts.end() || it->second.empty()) {
    throw make_error(ExitCode::config, "consent.texts has no text for '{}'", name);
  }
  const std::string hash = text::sha256(it->second);
  SQLite::Statement q(tx.sql(),
                      "SELECT sha256 FROM consent_text WHERE purpose = ? AND version = ?");
  q.bind(1, name);
  q.bind(2, config.consent_text_version);
  if (q.executeStep()) {
    if (q.getColumn(0).getString() != hash) {
      throw make_error(ExitCode::config,
                       "the {} consent text differs from the one recorded as version {}; a changed "
                       "text needs a new consent.text_version",
                       name, config.consent_text_version);
    }
    return;
  }
  SQLite::Statement ins(
      tx.sql(), "INSERT INTO consent_text (purpose, version, body, sha256) VALUES (?, ?, ?, ?)");
  ins.bind(1, name);
  ins.bind(2, config.consent_text_version);
  ins.bind(3, it->second);
  ins.bind(4, hash);
  ins.exec();
}

bool Expert::has_consent(Purpose p) const {
  for (const auto& c : consents) {
    if (c.purpose == p && !c.withdrawn_on) {
      return true;
    }
  }
  return false;
}

bool Changes::empty() const {
  return !name && !email && !phone && !postal_address && !municipality && !birth_year &&
         !born_abroad && !care_professional && !retired && !channel && !notes &&
         add_experiences.empty() && remove_experiences.empty() && give_consents.empty() &&
         withdraw_consents.empty() && !status;
}

void validate(const Profile& p, const config::Config& config) {
  text::check_line("name", p.name, text::limits::name);
  if (p.name.empty()) {
    throw make_error(ExitCode::data, "name: must not be empty");
  }
  text::check_optional_line("phone", p.phone, text::limits::phone);
  text::check_optional_line("address", p.postal_address, text::limits::postal_address);
  check_reachable(p);
  if (!p.email.empty()) {
    text::check_email("email", p.email);
  }
  text::check_optional_line("municipality", p.municipality, text::limits::municipality);
  if (p.notes) {
    text::check_text("notes", *p.notes, text::limits::notes);
  }
  // A person is born before they are interviewed: no year after this one.
  const int this_year = latest_year();
  if (p.birth_year && (*p.birth_year < min_year || *p.birth_year > this_year)) {
    throw make_error(ExitCode::data, "birth-year: a year from {} to {} is accepted", min_year,
                     this_year);
  }
  if (config::find_term(config.channels, p.channel) == nullptr) {
    throw make_error(ExitCode::data, "channel: unknown channel '{}'; use one of: {}", p.channel,
                     config::keys_of(config.channels));
  }
}

void check_reachable(const Profile& p) {
  if (p.email.empty() && (!p.phone || p.phone->empty()) &&
      (!p.postal_address || p.postal_address->empty())) {
    throw make_error(ExitCode::data,
                     "email: a person is reached by e-mail, by telephone or by letter; give "
                     "--email, --phone or --address (requests to someone without e-mail go on a "
                     "call list)");
  }
}

std::optional<std::int64_t> find_duplicate(db::Database& db, const Profile& profile,
                                           std::optional<std::int64_t> except) {
  store::IdentityKeys keys;
  keys.email = text::fold_identity(profile.email);
  keys.phone = profile.phone ? privacy::phone_digits(*profile.phone) : std::string();
  if (profile.birth_year) {  // the name counts only with the birth year
    keys.name = text::fold_identity(profile.name);
    keys.birth_year = profile.birth_year;
  }
  return store::same_identity(db, keys, except);
}

void refresh_identity_keys(db::WriteTransaction& tx, std::optional<std::int64_t> id) {
  store::refresh_identity_keys(tx, id);
}

std::int64_t recruit(db::WriteTransaction& tx, const config::Config& config, const Recruitment& r,
                     const audit::Actor& actor) {
  if (const auto since = db::closing_since(tx.database())) {
    throw make_error(ExitCode::data,
                     "the library is closing (since {}); no new experts are recruited", *since);
  }
  validate(r.profile, config);
  bool register_consent = false;
  for (const auto p : r.consents) {
    register_consent = register_consent || p == Purpose::register_;
  }
  if (!register_consent) {
    throw make_error(ExitCode::data,
                     "consent: the register consent is required to keep a person in the "
                     "register; add --consent register (and mailing, website as given)");
  }
  if (text::today() < r.profile.interviewed_on) {
    throw make_error(ExitCode::data,
                     "interviewed: {} is in the future; a person is recruited after the "
                     "interview (today {} or earlier)",
                     text::format_date(r.profile.interviewed_on), text::format_date(text::today()));
  }
  if (text::today() < r.consent_date) {
    throw make_error(ExitCode::data,
                     "consent-date: {} is in the future; a consent is recorded once it was given "
                     "(today {} or earlier)",
                     text::format_date(r.consent_date), text::format_date(text::today()));
  }
  if (!r.allow_duplicate) {
    if (const auto existing = find_duplicate(tx.database(), r.profile)) {
      throw make_error(ExitCode::data,
                       "already registered as expert {} (the same e-mail, phone, or name and "
                       "birth year); --allow-duplicate to add anyway",
                       *existing);
    }
  }
  const std::int64_t id = store::insert_expert(tx, r.profile);
  for (const auto& x : r.experiences) {
    check_experience(x, config);
    store::put_experience(tx, id, x);
  }
  std::vector<Purpose> seen;
  for (const auto p : r.consents) {
    if (std::find(seen.begin(), seen.end(), p) != seen.end()) {
      continue;
    }
    seen.push_back(p);
    ensure_consent_text(tx, config, p);
    store::insert_consent(
        tx, id,
        Consent{
            p, r.consent_date, config.consent_text_version, actor.display(), {}, r.consent_method});
  }
  if (!r.wishes.empty()) {
    record_wishes(tx, config, id, r.wishes);
  }
  audit::record(tx, actor, "recruit", "expert", id);
  return id;
}

void edit(db::WriteTransaction& tx, const config::Config& config, std::int64_t id, const Changes& c,
          text::Date today, const audit::Actor& actor) {
  if (c.empty()) {
    throw make_error(ExitCode::usage,
                     "expert edit: nothing to change; see 'lbib expert edit --help'");
  }
  Expert e = get_living(tx.database(), id);
  if (e.status == Status::left && (c.status || !c.give_consents.empty())) {
    throw make_error(ExitCode::data,
                     "expert {} has left the library; a person who left is not reactivated "
                     "(recruit them again if they return)",
                     id);
  }
  std::vector<std::string> changed;
  Profile& p = e.profile;
  const auto set = [&changed](auto& field, const auto& value, const char* name) {
    if (value) {
      field = *value;
      changed.emplace_back(name);
    }
  };
  set(p.name, c.name, "name");
  set(p.email, c.email, "email");
  if (c.phone) {
    p.phone = cleared(*c.phone);
    changed.emplace_back("phone");
  }
  if (c.postal_address) {
    p.postal_address = cleared(*c.postal_address);
    changed.emplace_back("postal_address");
  }
  if (c.municipality) {
    p.municipality = cleared(*c.municipality);
    changed.emplace_back("municipality");
  }
  if (c.notes) {
    p.notes = cleared(*c.notes);
    changed.emplace_back("notes");
  }
  set(p.birth_year, c.birth_year, "birth_year");
  set(p.born_abroad, c.born_abroad, "born_abroad");
  set(p.care_professional, c.care_professional, "care_professional");
  set(p.retired, c.retired, "retired");
  set(p.channel, c.channel, "channel");
  validate(p, config);
  const bool identity_changed = c.name || c.email || c.phone || c.birth_year;
  if (identity_changed && !c.allow_duplicate) {
    if (const auto existing = find_duplicate(tx.database(), p, id)) {
      throw make_error(ExitCode::data,
                       "expert {} would look like expert {} (the same e-mail, phone, or name and "
                       "birth year); merge them with 'lbib expert merge', or --allow-duplicate to "
                       "change anyway",
                       id, *existing);
    }
  }
  store::update_profile(tx, id, p);

  for (const auto& x : c.add_experiences) {
    check_experience(x, config);
    store::put_experience(tx, id, x);
    changed.emplace_back("experience+");
  }
  for (const auto& spec : c.remove_experiences) {
    const auto parts = text::split(spec, ':');
    if (parts.size() != 2 || !store::delete_experience(tx, id, parts[0], parts[1])) {
      throw make_error(ExitCode::data,
                       "remove-experience: expert {} has no such experience; give ROLE:AREA "
                       "as 'lbib expert show {}' lists it",
                       id, id);
    }
    changed.emplace_back("experience-");
  }
  for (const auto purpose : c.withdraw_consents) {
    if (purpose == Purpose::register_) {
      throw make_error(ExitCode::data,
                       "withdraw: the register consent cannot be withdrawn while the person "
                       "stays in the register; use 'lbib expert leave {}' and erasure",
                       id);
    }
    if (!store::withdraw_consent(tx, id, purpose, today)) {
      throw make_error(ExitCode::data, "withdraw: expert {} has no {} consent in force", id,
                       to_string(purpose));
    }
    changed.emplace_back(fmt::format("consent-{}", to_string(purpose)));
  }
  for (const auto purpose : c.give_consents) {
    if (e.has_consent(purpose)) {
      throw make_error(ExitCode::data, "consent: expert {} already has a {} consent in force", id,
                       to_string(purpose));
    }
    ensure_consent_text(tx, config, purpose);
    store::insert_consent(
        tx, id,
        Consent{
            purpose, today, config.consent_text_version, actor.display(), {}, c.consent_method});
    changed.emplace_back(fmt::format("consent+{}", to_string(purpose)));
  }
  if (c.status) {
    if (*c.status == Status::left) {
      throw make_error(ExitCode::data, "status: use 'lbib expert leave {}' to record leaving", id);
    }
    store::set_status(tx, id, *c.status, std::nullopt);
    changed.emplace_back("status");
  }
  audit::record(tx, actor, "edit", "expert", id, text::join(changed, ","));
}

void leave(db::WriteTransaction& tx, std::int64_t id, text::Date date, const audit::Actor& actor) {
  const Expert e = get_living(tx.database(), id);
  if (e.status == Status::left) {
    throw make_error(ExitCode::data, "expert {} already left on {}", id,
                     text::format_date(*e.left_on));
  }
  if (date < e.profile.interviewed_on) {
    throw make_error(ExitCode::data, "date: {} is before the expert's interview ({})",
                     text::format_date(date), text::format_date(e.profile.interviewed_on));
  }
  if (text::today() < date) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; leaving is recorded once the expert left (today "
                     "{} or earlier)",
                     text::format_date(date), text::format_date(text::today()));
  }
  store::set_status(tx, id, Status::left, date);
  audit::record(tx, actor, "leave", "expert", id);
}

void undo_leave(db::WriteTransaction& tx, std::int64_t id, const audit::Actor& actor) {
  const Expert e = get_living(tx.database(), id);
  if (e.status != Status::left) {
    throw make_error(ExitCode::data,
                     "expert {} has not left the library; there is no leave to undo", id);
  }
  if (const auto other = find_duplicate(tx.database(), e.profile, id)) {
    throw make_error(ExitCode::data,
                     "expert {} looks like expert {}, recruited since (the same e-mail, phone, or "
                     "name and birth year); merge them with 'lbib expert merge' instead",
                     id, *other);
  }
  store::set_status(tx, id, Status::active, std::nullopt);
  audit::record(tx, actor, "leave-undo", "expert", id, "status,left_on");
}

Expert get(db::Database& db, std::int64_t id) {
  if (auto e = store::find(db, id)) {
    return std::move(*e);
  }
  throw make_error(ExitCode::no_input, "no expert with id {}", id);
}

Expert get_living(db::Database& db, std::int64_t id) {
  Expert e = get(db, id);
  if (e.erased_on) {
    throw make_error(ExitCode::data, "expert {} was erased on {}", id,
                     text::format_date(*e.erased_on));
  }
  return e;
}

std::vector<std::int64_t> ids(db::Database& db) {
  SQLite::Statement q(db.sql(), "SELECT id FROM living_expert ORDER BY id");
  std::vector<std::int64_t> ids;
  while (q.executeStep()) {
    ids.push_back(q.getColumn(0).getInt64());
  }
  return ids;
}

std::vector<Expert> list(db::Database& db, const Filter& filter) {
  return store::select(db, filter);
}

void each_listed(db::Database& db, const Filter& filter,
                 const std::function<void(const Listed&)>& visit) {
  store::each_listed(db, filter, visit);
}

}  // namespace lbib::experts

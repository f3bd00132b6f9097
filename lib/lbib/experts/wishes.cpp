// SPDX-License-Identifier: MIT
#include "lbib/experts/wishes.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/text/names.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::experts {
namespace {

using text::name_of;
using text::Names;
using text::parse_name;

constexpr Names<Setting, 3> setting_names{
    {{Setting::any, "any"}, {Setting::digital, "digital"}, {Setting::in_person, "in-person"}}};
constexpr Names<Period, 3> period_names{
    {{Period::month, "month"}, {Period::quarter, "quarter"}, {Period::year, "year"}}};
constexpr Names<LeftOut, 7> left_out_names{{{LeftOut::paused, "paused"},
                                            {LeftOut::paused_until, "paused-until"},
                                            {LeftOut::setting, "setting"},
                                            {LeftOut::form_unwanted, "form-unwanted"},
                                            {LeftOut::form_not_wanted, "form-not-wanted"},
                                            {LeftOut::area_avoided, "area-avoided"},
                                            {LeftOut::cap_reached, "cap-reached"}}};

constexpr int max_cap = 1000;

// The kinds of expert_wish_item, in the order of the Wishes fields.
constexpr const char* form_wanted_kind = "form-wanted";
constexpr const char* form_unwanted_kind = "form-unwanted";
constexpr const char* area_avoided_kind = "area-avoided";

bool contains(const std::vector<std::string>& keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// The first of `keys` that is not in `terms`, if any.
const std::string* unknown_key(const std::vector<std::string>& keys,
                               const std::vector<config::Term>& terms) {
  for (const auto& k : keys) {
    if (config::find_term(terms, k) == nullptr) {
      return &k;
    }
  }
  return nullptr;
}

void check_forms(const std::vector<std::string>& keys, const config::Config& config,
                 const char* field) {
  if (const auto* k = unknown_key(keys, config.forms)) {
    throw make_error(ExitCode::data, "{}: unknown form '{}'; use one of: {}", field,
                     text::printable(*k), config::keys_of(config.forms));
  }
}

void write_items(db::WriteTransaction& tx, std::int64_t id, const char* kind,
                 const std::vector<std::string>& keys) {
  SQLite::Statement del(tx.sql(), "DELETE FROM expert_wish_item WHERE expert_id = ? AND kind = ?");
  del.bind(1, id);
  del.bind(2, kind);
  del.exec();
  SQLite::Statement ins(tx.sql(),
                        "INSERT OR IGNORE INTO expert_wish_item (expert_id, kind, key) VALUES "
                        "(?, ?, ?)");
  for (const auto& k : keys) {
    ins.bind(1, id);
    ins.bind(2, kind);
    ins.bind(3, k);
    ins.exec();
    ins.reset();
  }
}

}  // namespace

std::string_view to_string(Setting s) {
  return name_of(setting_names, s);
}
std::string_view to_string(Period p) {
  return name_of(period_names, p);
}
std::string_view to_string(LeftOut reason) {
  return name_of(left_out_names, reason);
}
Setting parse_setting(std::string_view field, std::string_view s) {
  return parse_name(setting_names, field, s);
}
Period parse_period(std::string_view field, std::string_view s) {
  return parse_name(period_names, field, s);
}

bool Wishes::empty() const {
  return forms_wanted.empty() && forms_unwanted.empty() && areas_avoided.empty() &&
         setting == Setting::any && !max_requests && !paused_until;
}

bool WishChanges::empty() const {
  return !forms_wanted && !forms_unwanted && !areas_avoided && !setting && !max_requests && !per &&
         !paused_until;
}

void validate(const Wishes& w, const config::Config& config) {
  check_forms(w.forms_wanted, config, "forms-wanted");
  check_forms(w.forms_unwanted, config, "forms-unwanted");
  if (const auto* k = unknown_key(w.areas_avoided, config.areas)) {
    throw make_error(ExitCode::data, "avoid-areas: unknown area '{}'; use one of: {}",
                     text::printable(*k), config::keys_of(config.areas));
  }
  for (const auto& f : w.forms_wanted) {
    if (contains(w.forms_unwanted, f)) {
      throw make_error(ExitCode::data, "forms-wanted: '{}' is also among the forms not wanted", f);
    }
  }
  if (w.max_requests && (*w.max_requests < 1 || *w.max_requests > max_cap)) {
    throw make_error(ExitCode::data,
                     "max-requests: {} is out of range; use 1 to {}, or 0 for no cap",
                     *w.max_requests, max_cap);
  }
}

// The wishes of expert `id`, or of everyone when `id` is 0.
static std::map<std::int64_t, Wishes> read_wishes(db::Database& db, std::int64_t id) {
  std::map<std::int64_t, Wishes> out;
  SQLite::Statement q(db.sql(),
                      "SELECT expert_id, setting, max_requests, per_period, paused_until FROM "
                      "expert_wish WHERE ?1 = 0 OR expert_id = ?1");
  q.bind(1, id);
  while (q.executeStep()) {
    Wishes& w = out[q.getColumn(0).getInt64()];
    w.setting = parse_setting("setting", q.getColumn(1).getString());
    if (!q.getColumn(2).isNull()) {
      w.max_requests = q.getColumn(2).getInt();
      w.per = parse_period("per", q.getColumn(3).getString());
    }
    if (!q.getColumn(4).isNull()) {
      w.paused_until = text::parse_date("paused_until", q.getColumn(4).getString());
    }
  }
  SQLite::Statement items(db.sql(),
                          "SELECT expert_id, kind, key FROM expert_wish_item WHERE ?1 = 0 OR "
                          "expert_id = ?1 ORDER BY expert_id, kind, key");
  items.bind(1, id);
  while (items.executeStep()) {
    Wishes& w = out[items.getColumn(0).getInt64()];
    const std::string kind = items.getColumn(1).getString();
    auto& list = kind == form_wanted_kind     ? w.forms_wanted
                 : kind == form_unwanted_kind ? w.forms_unwanted
                                              : w.areas_avoided;
    list.push_back(items.getColumn(2).getString());
  }
  return out;
}

Wishes get_wishes(db::Database& db, std::int64_t id) {
  auto all = read_wishes(db, id);
  return all.empty() ? Wishes{} : all.begin()->second;
}

std::map<std::int64_t, Wishes> all_wishes(db::Database& db) {
  return read_wishes(db, 0);
}

void set_wishes(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
                const WishChanges& c, const audit::Actor& actor) {
  if (c.empty()) {
    throw make_error(ExitCode::usage,
                     "expert prefer: nothing to change; see 'lbib expert prefer --help'");
  }
  const Expert e = get_living(tx.database(), id);
  if (e.status == Status::left) {
    throw make_error(ExitCode::data,
                     "expert {} has left the library; a person who left is not reactivated "
                     "(recruit them again if they return)",
                     id);
  }
  Wishes w = get_wishes(tx.database(), id);
  std::vector<std::string> changed;
  const auto set = [&changed](auto& field, const auto& value, const char* name) {
    if (value) {
      field = *value;
      changed.emplace_back(name);
    }
  };
  set(w.forms_wanted, c.forms_wanted, "forms_wanted");
  set(w.forms_unwanted, c.forms_unwanted, "forms_unwanted");
  set(w.areas_avoided, c.areas_avoided, "areas_avoided");
  set(w.setting, c.setting, "setting");
  set(w.max_requests, c.max_requests, "max_requests");
  set(w.per, c.per, "per_period");
  set(w.paused_until, c.paused_until, "paused_until");
  if (c.per && !w.max_requests) {
    throw make_error(ExitCode::usage, "--per: give --max-requests too (at most N requests per {})",
                     to_string(*c.per));
  }
  record_wishes(tx, config, id, w);
  audit::record(tx, actor, "prefer", "expert", id, text::join(changed, ","));
}

void record_wishes(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
                   const Wishes& w) {
  validate(w, config);
  SQLite::Statement up(tx.sql(), R"sql(
    INSERT INTO expert_wish (expert_id, setting, max_requests, per_period, paused_until)
    VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT (expert_id) DO UPDATE SET setting = ?2, max_requests = ?3, per_period = ?4,
      paused_until = ?5)sql");
  up.bind(1, id);
  up.bind(2, std::string(to_string(w.setting)));
  if (w.max_requests) {
    up.bind(3, *w.max_requests);
    up.bind(4, std::string(to_string(w.per)));
  } else {
    up.bind(3);
    up.bind(4);
  }
  w.paused_until ? up.bind(5, text::format_date(*w.paused_until)) : up.bind(5);
  up.exec();
  write_items(tx, id, form_wanted_kind, w.forms_wanted);
  write_items(tx, id, form_unwanted_kind, w.forms_unwanted);
  write_items(tx, id, area_avoided_kind, w.areas_avoided);
}

text::Date period_start(Period period, text::Date day) {
  using namespace std::chrono;
  switch (period) {
    case Period::month:
      return day.year() / day.month() / 1;
    case Period::quarter: {
      const unsigned m = static_cast<unsigned>(day.month());
      return day.year() / month{(m - 1) / 3 * 3 + 1} / 1;
    }
    case Period::year:
      break;
  }
  return day.year() / January / 1;
}

std::optional<LeftOut> left_out(const Wishes& w, const Ask& ask, text::Date today) {
  if (w.paused_until && today < *w.paused_until) {
    return LeftOut::paused_until;
  }
  if ((w.setting == Setting::digital && !ask.digital) ||
      (w.setting == Setting::in_person && ask.digital)) {
    return LeftOut::setting;
  }
  if (ask.form) {
    if (contains(w.forms_unwanted, *ask.form)) {
      return LeftOut::form_unwanted;
    }
    if (!w.forms_wanted.empty() && !contains(w.forms_wanted, *ask.form)) {
      return LeftOut::form_not_wanted;
    }
  }
  for (const auto& area : ask.areas) {
    if (contains(w.areas_avoided, area)) {
      return LeftOut::area_avoided;
    }
  }
  if (w.max_requests && ask.invited_in_period >= *w.max_requests) {
    return LeftOut::cap_reached;
  }
  return std::nullopt;
}

output::Table wishes_table(const Wishes& w) {
  output::Table t{{"forms_wanted", "forms_unwanted", "areas_avoided", "setting", "max_requests",
                   "per", "paused_until"},
                  {}};
  const auto keys = [](const std::vector<std::string>& list) {
    return list.empty() ? output::Value{} : output::Value{text::join(list, " ")};
  };
  t.rows.push_back({keys(w.forms_wanted), keys(w.forms_unwanted), keys(w.areas_avoided),
                    output::text_cell(to_string(w.setting)), output::maybe(w.max_requests),
                    w.max_requests ? output::text_cell(to_string(w.per)) : output::Value{},
                    output::maybe(w.paused_until)});
  return t;
}

}  // namespace lbib::experts

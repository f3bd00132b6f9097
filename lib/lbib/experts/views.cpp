// SPDX-License-Identifier: MIT
#include "lbib/experts/views.hpp"

#include <fmt/format.h>

#include "lbib/text/validate.hpp"

namespace lbib::experts {
using output::maybe;
using output::text_cell;

std::string describe(const Experience& x) {
  return x.year ? fmt::format("{}:{}:{}:{}", x.role, x.area, *x.year, to_string(x.magnitude))
                : fmt::format("{}:{}:{}", x.role, x.area, to_string(x.magnitude));
}

// No e-mail (reached by telephone, issue #14) is null, not an empty string.
static output::Value email_cell(const std::string& email) {
  return email.empty() ? output::Value{} : output::Value{email};
}

output::Table list_header() {
  return {{"id", "name", "email", "municipality", "status", "mailing", "experiences"}, {}};
}

std::vector<output::Value> list_row(const Listed& e) {
  std::string kinds;
  for (const auto& [role, area] : e.experiences) {
    if (!kinds.empty()) {
      kinds += ' ';
    }
    kinds += role;
    kinds += ':';
    kinds += area;
  }
  return {e.id,     e.name,    email_cell(e.email), maybe(e.municipality),
          e.status, e.mailing, std::move(kinds)};
}

Listed listed(const Expert& e) {
  Listed l{e.id,
           e.profile.name,
           e.profile.email,
           e.profile.municipality,
           e.erased_on ? "erased" : std::string(to_string(e.status)),
           e.has_consent(Purpose::mailing),
           {}};
  for (const auto& x : e.experiences) {
    l.experiences.emplace_back(x.role, x.area);
  }
  return l;
}

output::Table list_table(const std::vector<Expert>& experts) {
  auto t = list_header();
  for (const auto& e : experts) {
    t.rows.push_back(list_row(listed(e)));
  }
  return t;
}

output::Record show_record(const Expert& e) {
  const Profile& p = e.profile;
  output::Record r;
  r.fields = {
      {"id", e.id},
      {"name", p.name},
      {"email", email_cell(p.email)},
      {"phone", maybe(p.phone)},
      {"postal_address", maybe(p.postal_address)},
      {"municipality", maybe(p.municipality)},
      {"birth_year", maybe(p.birth_year)},
      {"born_abroad", text_cell(to_string(p.born_abroad))},
      {"care_professional", text_cell(to_string(p.care_professional))},
      {"retired", text_cell(to_string(p.retired))},
      {"channel", p.channel},
      {"interviewed_on", text::format_date(p.interviewed_on)},
      {"status", text_cell(to_string(e.status))},
      {"left_on", maybe(e.left_on)},
      {"erased_on", maybe(e.erased_on)},
      {"notes", maybe(p.notes)},
  };
  output::Table experiences{{"role", "area", "year", "magnitude"}, {}};
  for (const auto& x : e.experiences) {
    experiences.rows.push_back({x.role, x.area, maybe(x.year), text_cell(to_string(x.magnitude))});
  }
  output::Table consents{
      {"purpose", "given_on", "method", "text_version", "recorded_by", "withdrawn_on"}, {}};
  for (const auto& c : e.consents) {
    consents.rows.push_back({text_cell(to_string(c.purpose)), text::format_date(c.given_on),
                             text_cell(to_string(c.method)), c.text_version, c.recorded_by,
                             maybe(c.withdrawn_on)});
  }
  r.sections = {{"experiences", std::move(experiences)}, {"consents", std::move(consents)}};
  return r;
}

}  // namespace lbib::experts

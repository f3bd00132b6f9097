// SPDX-License-Identifier: MIT
#include "lbib/experts/views.hpp"

#include <fmt/format.h>

#include "lbib/text/validate.hpp"

namespace lbib::experts {
namespace {

output::Value opt(const std::optional<std::string>& s) {
  return s ? output::Value{*s} : output::Value{};
}

output::Value opt(const std::optional<int>& i) {
  return i ? output::Value{std::int64_t{*i}} : output::Value{};
}

output::Value opt(const std::optional<text::Date>& d) {
  return d ? output::Value{text::format_date(*d)} : output::Value{};
}

output::Value str(std::string_view s) {
  return std::string(s);
}

}  // namespace

std::string describe(const Experience& x) {
  return x.year ? fmt::format("{}:{}:{}:{}", x.role, x.area, *x.year, to_string(x.magnitude))
                : fmt::format("{}:{}:{}", x.role, x.area, to_string(x.magnitude));
}

output::Table list_table(const std::vector<Expert>& experts) {
  output::Table t{{"id", "name", "email", "municipality", "status", "mailing", "experiences"}, {}};
  for (const auto& e : experts) {
    std::vector<std::string> kinds;
    for (const auto& x : e.experiences) {
      kinds.push_back(fmt::format("{}:{}", x.role, x.area));
    }
    t.rows.push_back({e.id, e.profile.name, e.profile.email, opt(e.profile.municipality),
                      e.erased_on ? str("erased") : str(to_string(e.status)),
                      e.has_consent(Purpose::mailing), text::join(kinds, " ")});
  }
  return t;
}

output::Record show_record(const Expert& e) {
  const Profile& p = e.profile;
  output::Record r;
  r.fields = {
      {"id", e.id},
      {"name", p.name},
      {"email", p.email},
      {"phone", opt(p.phone)},
      {"municipality", opt(p.municipality)},
      {"birth_year", opt(p.birth_year)},
      {"born_abroad", str(to_string(p.born_abroad))},
      {"care_professional", str(to_string(p.care_professional))},
      {"retired", str(to_string(p.retired))},
      {"channel", p.channel},
      {"interviewed_on", text::format_date(p.interviewed_on)},
      {"status", str(to_string(e.status))},
      {"left_on", opt(e.left_on)},
      {"erased_on", opt(e.erased_on)},
      {"notes", opt(p.notes)},
  };
  output::Table experiences{{"role", "area", "year", "magnitude"}, {}};
  for (const auto& x : e.experiences) {
    experiences.rows.push_back({x.role, x.area, opt(x.year), str(to_string(x.magnitude))});
  }
  output::Table consents{
      {"purpose", "given_on", "method", "text_version", "recorded_by", "withdrawn_on"}, {}};
  for (const auto& c : e.consents) {
    consents.rows.push_back({str(to_string(c.purpose)), text::format_date(c.given_on),
                             str(to_string(c.method)), c.text_version, c.recorded_by,
                             opt(c.withdrawn_on)});
  }
  r.sections = {{"experiences", std::move(experiences)}, {"consents", std::move(consents)}};
  return r;
}

}  // namespace lbib::experts

// SPDX-License-Identifier: MIT
#include "lbib/mail/template.hpp"

#include <fmt/args.h>
#include <fmt/format.h>

#include "lbib/error.hpp"

namespace lbib::mail {

std::string fill(std::string_view templ, const Values& values, std::string_view what) {
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  for (const auto& [name, value] : values) {
    store.push_back(fmt::arg(name.c_str(), value));
  }
  try {
    return fmt::vformat(templ, store);
  } catch (const fmt::format_error& e) {
    std::vector<std::string> names;
    for (const auto& [name, value] : values) {
      names.push_back("{" + name + "}");
    }
    throw make_error(ExitCode::config, "template {}: {}; placeholders it may use: {}", what,
                     e.what(), fmt::join(names, " "));
  }
}

const Values& dispatch_placeholders() {
  static const Values values{
      {"library", "Levande Bibliotek"},
      {"library_email", "lb@example.se"},
      {"request", "1"},
      {"borrower", "Region Exempel, Utvecklingsenheten"},
      {"borrower_contact", "Kim Exempel <kim@example.se>"},
      {"purpose", "Utveckling av digitala kallelser"},
      {"form", "Fokusgrupp"},
      {"time", "2026-03-04 kl. 13-16"},
      {"place", "Digitalt"},
      {"reply_by", "2026-02-20"},
      {"experts_wanted", "2"},
      {"compensation", "Ersättning enligt riktlinjen."},
  };
  return values;
}

const Values& followup_placeholders() {
  static const Values values{
      {"library", "Levande Bibliotek"},
      {"library_email", "lb@example.se"},
      {"request", "1"},
      {"borrower", "Region Exempel, Utvecklingsenheten"},
      {"purpose", "Utveckling av digitala kallelser"},
      {"loan_date", "2026-03-04"},
      {"answers", "Hur gick lånet?\nBra."},
  };
  return values;
}

const Values& remind_placeholders() {
  static const Values values{
      {"library", "Levande Bibliotek"},
      {"count", "2"},
      {"today", "2026-03-04"},
      {"items", "Förfrågan 1: ..."},
  };
  return values;
}

const Values& closing_placeholders() {
  static const Values values{
      {"library", "Levande Bibliotek"},
      {"library_email", "lb@example.se"},
      {"closing_since", "2022-01-01"},
  };
  return values;
}

}  // namespace lbib::mail

// SPDX-License-Identifier: MIT
#include "lbib/mail/template.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

#include "lbib/error.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::mail {

namespace {

[[noreturn]] void refuse(std::string_view what, std::string_view problem, const Values& values) {
  std::vector<std::string> names;
  for (const auto& [name, value] : values) {
    names.push_back("{" + name + "}");
  }
  throw make_error(ExitCode::config, "template {}: {}; placeholders it may use: {}", what, problem,
                   fmt::join(names, " "));
}

}  // namespace

// Only {name}, {{ and }}: the part of fmt's syntax templates need. fmt itself is not used, as
// its positional fields, widths and precisions would let a template ask for any argument or
// for gigabytes of padding (and fmt 9 aborts on some of them; tests/fuzz/fuzz_mail found it).
std::string fill(std::string_view templ, const Values& values, std::string_view what) {
  std::string out;
  out.reserve(templ.size());
  for (std::size_t i = 0; i < templ.size(); ++i) {
    const char c = templ[i];
    const bool doubled = (c == '{' || c == '}') && i + 1 < templ.size() && templ[i + 1] == c;
    if (c == '{' && !doubled) {
      const std::size_t end = templ.find('}', i);
      if (end == std::string_view::npos) {
        refuse(what, "a '{' is not closed (write {{ for a literal brace)", values);
      }
      const std::string_view name = templ.substr(i + 1, end - i - 1);
      const auto found = std::find_if(values.begin(), values.end(),
                                      [&](const auto& v) { return v.first == name; });
      if (found == values.end()) {
        refuse(what, fmt::format("unknown placeholder {{{}}}", text::printable(name.substr(0, 40))),
               values);
      }
      out += found->second;
      i = end;
    } else if (c == '}' && !doubled) {
      refuse(what, "a '}' without its '{' (write }} for a literal brace)", values);
    } else {
      out += c;  // a character, or the first of {{ or }}
      i += doubled ? 1 : 0;
    }
  }
  return out;
}

std::string fill_line(std::string_view templ, const Values& values, std::string_view what) {
  std::string out = fill(templ, values, what);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      c = ' ';
    }
  }
  return out;
}

bool is_multi_line(std::string_view name) {
  constexpr std::array<std::string_view, 6> names{"purpose",      "answers",   "items",
                                                  "compensation", "questions", "rates"};
  return std::find(names.begin(), names.end(), name) != names.end();
}

void check_one_line(std::string_view templ, const Values& values, std::string_view what) {
  // Fill with markers: a multi-line placeholder's marker in the result names it.
  Values marked;
  for (const auto& [name, value] : values) {
    marked.emplace_back(name, is_multi_line(name) ? "\n{" + name + "}\n" : std::string());
  }
  const std::string filled = fill(templ, marked, what);
  const auto at = filled.find('\n');
  if (at != std::string::npos) {
    const auto end = filled.find('\n', at + 1);
    throw make_error(ExitCode::config,
                     "template {}: the placeholder {} can hold several lines, but this header is "
                     "one line",
                     what, filled.substr(at + 1, end - at - 1));
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

const Values& questionnaire_placeholders() {
  static const Values values{
      {"library", "Levande Bibliotek"},
      {"library_email", "lb@example.se"},
      {"request", "1"},
      {"borrower", "Region Exempel, Utvecklingsenheten"},
      {"loan_date", "2026-03-04"},
      {"questions", "1. Hur gick uppdraget?"},
  };
  return values;
}

const Values& borrower_placeholders() {
  static const Values values{
      {"library", "Levande Bibliotek"},
      {"library_email", "lb@example.se"},
      {"request", "1"},
      {"borrower", "Region Exempel, Utvecklingsenheten"},
      {"borrower_contact", "Anna Andersson"},
      {"purpose", "Utveckling av digitala kallelser"},
      {"form", "Fokusgrupp"},
      {"time", "2026-03-04 kl. 13-16"},
      {"place", "Digitalt"},
      {"experts_wanted", "2"},
      {"min_experts", "2"},
      {"compensation", "Ersättning enligt riktlinjen."},
      {"rates", "150 SEK per timme"},
      {"loan_date", "2026-03-04"},
      {"answers", "Hur gick lånet?\nBra."},
      {"questions", "1. Hur gick lånet?"},
  };
  return values;
}

}  // namespace lbib::mail

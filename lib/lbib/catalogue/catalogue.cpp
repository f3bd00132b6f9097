// SPDX-License-Identifier: MIT
#include "lbib/catalogue/catalogue.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "lbib/error.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::catalogue {

using i18n::N_;
namespace {

constexpr std::size_t max_description = 600;

std::string markdown_text(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (std::string_view("\\`*_[]<>#|").find(c) != std::string_view::npos) {
      out += '\\';
    }
    out += c;
  }
  return out;
}

/// Paragraphs of `text` (split at blank lines), each escaped for HTML, lines joined by <br>.
std::string html_paragraphs(std::string_view text) {
  std::string out = "<p>";
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    const auto line = rest.substr(0, nl);
    out += output::escape_xml(line);
    if (nl == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(nl + 1);
    if (!rest.empty() && rest.front() == '\n') {
      out += "</p><p>";
      while (!rest.empty() && rest.front() == '\n') {
        rest.remove_prefix(1);
      }
    } else {
      out += "<br>";
    }
  }
  return out + "</p>";
}

// Reflows down to 320 CSS px (WCAG 1.4.10): long Swedish compounds break anywhere they must,
// and a grid column is never wider than the screen. Prints on A4 with two cards a row, a card
// never split, an area's heading never left alone at the bottom of a page.
constexpr std::string_view css = R"css(
:root { color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
body { font-family: "DejaVu Sans", system-ui, sans-serif; color: #1a1a1a; background: #ffffff;
       margin: 0 auto; max-width: 60rem; padding: 1.5rem 1rem; line-height: 1.5;
       overflow-wrap: anywhere; hyphens: auto; }
h1 { color: #0b3d5c; font-size: 1.8rem; margin-bottom: 0.25rem; line-height: 1.25; }
h2 { color: #0b3d5c; border-bottom: 2px solid #0b3d5c; padding-bottom: 0.2rem; margin-top: 2rem; }
a { color: #0b4f8a; text-decoration: underline; }
a:focus-visible { outline: 3px solid #0b3d5c; outline-offset: 2px; }
ul.cards { list-style: none; padding: 0; margin: 0; display: grid; gap: 1rem;
           grid-template-columns: repeat(auto-fill, minmax(min(100%, 16rem), 1fr)); }
ul.cards > li { min-width: 0; }
article { border: 1px solid #555555; border-radius: 0.5rem; padding: 1rem; height: 100%; }
article h3 { margin: 0.5rem 0; font-size: 1.1rem; }
.illustration { display: block; width: 100%; height: auto; max-height: 9rem; border-radius: 0.3rem;
                background: #e8eef2; }
dl { margin: 0.5rem 0 0; } dt { font-weight: bold; } dd { margin: 0 0 0.3rem 0; }
footer { margin-top: 2rem; font-size: 0.9rem; color: #333333; }
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h1 { font-size: 18pt; } h2 { font-size: 14pt; margin-top: 6mm; }
  h2 { break-after: avoid; page-break-after: avoid; }
  ul.cards { grid-template-columns: 1fr 1fr; gap: 4mm; }
  ul.cards > li { break-inside: avoid; page-break-inside: avoid; }
  article { padding: 3mm 4mm; border-radius: 2mm; }
  .illustration { max-height: 16mm; }
  a { color: #1a1a1a; }
  a[href^="http"]::after { content: " (" attr(href) ")"; }
}
)css";

// A reference no card has: three random bytes from SQLite's generator (seeded by the
// operating system), in hexadecimal. Nothing about the person goes into it.
std::string fresh_reference(db::WriteTransaction& tx) {
  SQLite::Statement draw(tx.sql(), "SELECT upper(hex(randomblob(3)))");
  SQLite::Statement taken(tx.sql(), "SELECT 1 FROM catalogue_entry WHERE reference = ?");
  for (;;) {
    draw.reset();
    draw.executeStep();
    std::string reference = draw.getColumn(0).getString();
    taken.reset();
    taken.bind(1, reference);
    if (!taken.executeStep()) {
      return reference;
    }
  }
}

/// The href of the "Kontakta oss" link: the configured one, else mail to the library.
std::string contact_href(const config::Config& config) {
  return config.catalogue.contact_url.empty() ? "mailto:" + config.library_email
                                              : config.catalogue.contact_url;
}

}  // namespace

void describe(db::WriteTransaction& tx, std::int64_t id, const std::optional<Description>& d,
              const audit::Actor& actor) {
  SQLite::Statement expert(tx.sql(), "SELECT interviewed_on, erased_on FROM expert WHERE id = ?");
  expert.bind(1, id);
  if (!expert.executeStep() || !expert.getColumn(1).isNull()) {
    throw make_error(ExitCode::no_input, "no expert with id {}", id);
  }
  if (!d) {
    SQLite::Statement del(tx.sql(), "DELETE FROM catalogue_entry WHERE expert_id = ?");
    del.bind(1, id);
    if (del.exec() == 0) {
      throw make_error(ExitCode::no_input, "expert {} has no description to remove", id);
    }
    audit::record(tx, actor, "describe-remove", "expert", id);
    return;
  }
  text::check_text("description", d->text, max_description);
  if (d->text.find_first_not_of(" \n\t") == std::string::npos) {
    throw make_error(ExitCode::data, "description: empty; write 1 to {} characters",
                     max_description);
  }
  if (d->approved_on < text::parse_date("interviewed_on", expert.getColumn(0).getString())) {
    throw make_error(ExitCode::data, "approved: {} is before the expert's interview",
                     text::format_date(d->approved_on));
  }
  SQLite::Statement put(tx.sql(), R"sql(
    INSERT INTO catalogue_entry (expert_id, description, approved_on, recorded_by, reference)
    VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT (expert_id) DO UPDATE SET description = excluded.description,
      approved_on = excluded.approved_on, recorded_by = excluded.recorded_by)sql");
  put.bind(1, id);
  put.bind(2, d->text);
  put.bind(3, text::format_date(d->approved_on));
  put.bind(4, actor.display());
  put.bind(5, fresh_reference(tx));  // used only when the entry is new
  put.exec();
  audit::record(tx, actor, "describe", "expert", id);
}

std::vector<Card> cards(db::Database& db, const config::Config& config, text::Date today) {
  // Only what a card shows is read: never a name, address, municipality or note.
  const std::string shown = R"sql(
    SELECT e.id FROM catalogue_entry c JOIN expert e ON e.id = c.expert_id
    WHERE e.status = 'active' AND e.erased_on IS NULL
      AND EXISTS (SELECT 1 FROM consent k WHERE k.expert_id = e.id AND k.purpose = 'website'
                  AND k.withdrawn_on IS NULL)
      AND NOT EXISTS (SELECT 1 FROM assignment_recruit a WHERE a.expert_id = e.id
                        AND a.joined_on IS NULL))sql";
  struct Person {
    std::string reference;
    std::string description;
    std::optional<int> birth_year;
    std::vector<std::pair<std::string, std::string>> experiences;  // role, area
    std::optional<std::string> major_area;
  };
  std::map<std::int64_t, Person> people;
  SQLite::Statement q(
      db.sql(),
      "SELECT e.id, c.description, e.birth_year, c.reference FROM catalogue_entry c "
      "JOIN expert e ON e.id = c.expert_id WHERE e.id IN (" +
          shown + ") ORDER BY e.id");
  while (q.executeStep()) {
    Person& p = people[q.getColumn(0).getInt64()];
    p.description = q.getColumn(1).getString();
    p.reference = q.getColumn(3).getString();
    if (!q.getColumn(2).isNull()) {
      p.birth_year = q.getColumn(2).getInt();
    }
  }
  SQLite::Statement x(db.sql(),
                      "SELECT x.expert_id, x.role, x.area, x.magnitude FROM experience x "
                      "WHERE x.expert_id IN (" +
                          shown + ") ORDER BY x.expert_id, x.rowid");
  while (x.executeStep()) {
    Person& p = people.at(x.getColumn(0).getInt64());
    p.experiences.emplace_back(x.getColumn(1).getString(), x.getColumn(2).getString());
    if (!p.major_area && x.getColumn(3).getString() == "major") {
      p.major_area = x.getColumn(2).getString();
    }
  }
  const auto label = [&](const std::vector<config::Term>& terms, const std::string& key) {
    const auto* t = config::find_term(terms, key);
    return t != nullptr ? config.label(*t) : key;
  };
  // Grouped in the taxonomy's order of areas; by reference within an area, so neither the
  // order nor a card's name says who came first.
  std::map<std::size_t, std::vector<Card>> groups;
  for (const auto& [id, p] : people) {
    Card c;
    c.reference = p.reference;
    c.description = p.description;
    for (const auto& [role, area] : p.experiences) {
      c.experiences.push_back(
          fmt::format("{} – {}", label(config.roles, role), label(config.areas, area)));
    }
    const std::string area = p.major_area             ? *p.major_area
                             : !p.experiences.empty() ? p.experiences.front().second
                                                      : std::string();
    std::size_t order = config.areas.size();
    for (std::size_t i = 0; i < config.areas.size(); ++i) {
      if (config.areas[i].key == area) {
        order = i;
      }
    }
    c.area = area.empty() ? i18n::tr_in_context(config.language, "catalogue area", "Other")
                          : label(config.areas, area);
    if (p.birth_year) {
      const int age = static_cast<int>(today.year()) - *p.birth_year;
      const int from = age / 10 * 10;
      c.age_band = i18n::tr_format_in(config.language, "aged {}–{}", from, from + 9);
    }
    groups[order].push_back(std::move(c));
  }
  std::vector<Card> out;
  for (auto& [order, group] : groups) {
    std::sort(group.begin(), group.end(),
              [](const Card& a, const Card& b) { return a.reference < b.reference; });
    for (auto& c : group) {
      out.push_back(std::move(c));
    }
  }
  return out;
}

void write(std::ostream& out, output::Format format, const std::vector<Card>& cards,
           const config::Config& config, text::Date today,
           const std::vector<lending::OpenCall>& calls) {
  const auto w = [&config](const char* english) { return i18n::tr_in(config.language, english); };
  const std::string title =
      fmt::format("{} – {}", config.library_name, w(N_("meet our experts by experience")));
  // The intro around its "Kontakta oss" link.
  const std::string intro =
      w(N_("People with their own experience of health and social care, as patients, users, "
           "clients or relatives, introduce themselves here. Would your organisation like to "
           "borrow one of them for its development work?"));
  const std::string contact = w(N_("Contact us"));
  const std::string after_contact =
      w(N_(" and we will arrange a pre-meeting. Please quote the presentation's reference, the six "
           "characters after “Expert”."));
  const std::string href = contact_href(config);
  const std::string footer = fmt::format(
      "{} {}. {}", w(N_("Updated")), text::format_date(today),
      w(N_("Every description was approved by the person. Names and contact details are never "
           "shown.")));
  const std::string statement = w(N_("Accessibility statement"));
  const std::string card_word = w(N_("Expert"));
  // The open assignments: recruiting for one assignment (issue #16).
  const std::string calls_heading = w(N_("Open assignments"));
  const std::string calls_intro =
      w(N_("Do you have your own experience of what an assignment below asks for? You can take "
           "part in that assignment alone, without joining the library."));
  const std::string assignment_word = w(N_("Assignment"));
  const std::string reply_by_word = w(N_("Reply by:"));
  const auto call_quote = [&](const lending::OpenCall& c) {
    return i18n::tr_format_in(config.language, "and quote assignment {}.", c.request_id);
  };
  if (format == output::Format::md) {
    out << "# " << markdown_text(title) << "\n\n"
        << intro << " [" << contact << "](<" << href << ">)" << after_contact << "\n";
    if (!calls.empty()) {
      out << "\n## " << calls_heading << "\n\n" << calls_intro << "\n";
      for (const auto& c : calls) {
        out << "\n### " << assignment_word << ' ' << c.request_id << "\n\n"
            << markdown_text(c.text) << "\n\n- " << reply_by_word << ' '
            << text::format_date(c.reply_by) << "\n- [" << contact << "](<" << href << ">) "
            << call_quote(c) << '\n';
      }
    }
    std::string area;
    for (const auto& c : cards) {
      if (c.area != area) {
        area = c.area;
        out << "\n## " << markdown_text(area) << "\n";
      }
      out << "\n### " << card_word << ' ' << c.reference << "\n\n"
          << markdown_text(c.description) << "\n\n";
      for (const auto& x : c.experiences) {
        out << "- " << markdown_text(x) << '\n';
      }
      if (c.age_band) {
        out << "- " << w(N_("Age: ")) << *c.age_band << '\n';
      }
    }
    if (cards.empty()) {
      out << '\n' << w(N_("No presentations yet.")) << '\n';
    }
    out << '\n' << footer << '\n';
    if (!config.catalogue.accessibility_statement_url.empty()) {
      out << "\n[" << statement << "](<" << config.catalogue.accessibility_statement_url << ">)\n";
    }
    return;
  }
  if (format != output::Format::html) {
    throw make_error(ExitCode::usage, "--format: the catalogue is written as html or md");
  }
  const std::string& lang = config.language;  // "sv" or "en", checked when loaded
  out << "<!DOCTYPE html>\n<html lang=\"" << lang << "\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << output::escape_xml(title) << "</title>\n<style>" << css
      << "</style>\n</head>\n<body>\n<header>\n<h1>" << output::escape_xml(title) << "</h1>\n<p>"
      << output::escape_xml(intro) << " <a href=\"" << output::escape_xml(href) << "\">" << contact
      << "</a>" << output::escape_xml(after_contact) << "</p>\n</header>\n<main>\n";
  if (!calls.empty()) {
    out << "<section aria-labelledby=\"open-assignments\">\n<h2 id=\"open-assignments\">"
        << output::escape_xml(calls_heading) << "</h2>\n<p>" << output::escape_xml(calls_intro)
        << "</p>\n<ul class=\"cards\">\n";
    for (const auto& c : calls) {
      out << "<li><article class=\"call\" aria-labelledby=\"assignment-" << c.request_id
          << "\">\n<h3 id=\"assignment-" << c.request_id << "\">"
          << output::escape_xml(assignment_word) << ' ' << c.request_id << "</h3>\n"
          << html_paragraphs(c.text) << "\n<p>" << output::escape_xml(reply_by_word) << ' '
          << text::format_date(c.reply_by) << "</p>\n<p><a href=\"" << output::escape_xml(href)
          << "\">" << contact << "</a> " << output::escape_xml(call_quote(c)) << "</p>\n"
          << "</article></li>\n";
    }
    out << "</ul>\n</section>\n";
  }
  std::string area;
  int section = 0;
  for (const auto& c : cards) {
    if (c.area != area) {
      if (!area.empty()) {
        out << "</ul>\n</section>\n";
      }
      area = c.area;
      ++section;
      out << "<section aria-labelledby=\"area-" << section << "\">\n<h2 id=\"area-" << section
          << "\">" << output::escape_xml(area) << "</h2>\n<ul class=\"cards\">\n";
    }
    // The placeholder picture is decoration: hidden from assistive technology, so a screen
    // reader goes straight to the card's heading.
    out << "<li><article aria-labelledby=\"card-" << c.reference << "\">\n"
        << "<svg class=\"illustration\" aria-hidden=\"true\" focusable=\"false\" "
        << "viewBox=\"0 0 160 90\" preserveAspectRatio=\"xMidYMid meet\">"
        << "<rect width=\"160\" height=\"90\" fill=\"#e8eef2\"/>"
        << "<circle cx=\"80\" cy=\"34\" r=\"14\" fill=\"#9fb3c1\"/>"
        << "<path d=\"M52 80 q28 -34 56 0 z\" fill=\"#9fb3c1\"/></svg>\n"
        << "<h3 id=\"card-" << c.reference << "\">" << card_word << ' ' << c.reference << "</h3>\n"
        << html_paragraphs(c.description) << "\n<dl>\n<dt>" << w(N_("Experience")) << "</dt>\n";
    for (const auto& x : c.experiences) {
      out << "<dd>" << output::escape_xml(x) << "</dd>\n";
    }
    if (c.age_band) {
      out << "<dt>" << w(N_("Age")) << "</dt>\n<dd>" << output::escape_xml(*c.age_band)
          << "</dd>\n";
    }
    out << "</dl>\n</article></li>\n";
  }
  if (!area.empty()) {
    out << "</ul>\n</section>\n";
  } else {
    out << "<p>" << w(N_("No presentations yet.")) << "</p>\n";
  }
  out << "</main>\n<footer>\n<p>" << output::escape_xml(footer) << "</p>\n";
  if (!config.catalogue.accessibility_statement_url.empty()) {
    out << "<p><a href=\"" << output::escape_xml(config.catalogue.accessibility_statement_url)
        << "\">" << statement << "</a></p>\n";
  }
  out << "</footer>\n</body>\n</html>\n";
}

}  // namespace lbib::catalogue

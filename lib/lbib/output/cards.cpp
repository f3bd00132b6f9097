// SPDX-License-Identifier: MIT
#include "lbib/output/cards.hpp"

#include <ostream>

#include "lbib/error.hpp"
#include "lbib/output/page.hpp"

namespace lbib::output {
namespace {

// The placeholder picture of a card: a head and shoulders on a light ground, in the style
// sheet's colours. Decoration only, so it is hidden from assistive technology and a screen
// reader goes straight to the card's heading.
constexpr std::string_view illustration =
    "<svg class=\"illustration\" aria-hidden=\"true\" focusable=\"false\" "
    "viewBox=\"0 0 160 90\" preserveAspectRatio=\"xMidYMid meet\">"
    "<rect width=\"160\" height=\"90\" fill=\"#e8eef2\"/>"
    "<circle cx=\"80\" cy=\"34\" r=\"14\" fill=\"#9fb3c1\"/>"
    "<path d=\"M52 80 q28 -34 56 0 z\" fill=\"#9fb3c1\"/></svg>\n";

std::string html(const Linked& l) {
  std::string out = escape_xml(l.before);
  if (l.href.empty()) {
    out += escape_xml(l.text);
  } else {
    out += "<a href=\"" + escape_xml(l.href) + "\">" + escape_xml(l.text) + "</a>";
  }
  return out + escape_xml(l.after);
}

// A link's destination in Markdown, between < and >: those two and \ escaped.
std::string markdown_destination(std::string_view href) {
  std::string out;
  for (const char c : href) {
    if (c == '<' || c == '>' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string markdown(const Linked& l) {
  std::string out = escape_markdown(l.before);
  if (l.href.empty()) {
    out += escape_markdown(l.text);
  } else {
    out += "[" + escape_markdown(l.text) + "](<" + markdown_destination(l.href) + ">)";
  }
  return out + escape_markdown(l.after);
}

void write_html_card(std::ostream& out, const Card& c) {
  out << "<li><article";
  if (!c.kind.empty()) {
    out << " class=\"" << escape_xml(c.kind) << '"';
  }
  out << " aria-labelledby=\"" << escape_xml(c.anchor) << "\">\n";
  if (c.illustration) {
    out << illustration;
  }
  out << "<h3 id=\"" << escape_xml(c.anchor) << "\">" << escape_xml(c.heading) << "</h3>\n"
      << html_paragraphs(c.text) << '\n';
  if (!c.items_term.empty() || !c.facts.empty()) {
    out << "<dl>\n";
    if (!c.items_term.empty()) {
      out << "<dt>" << escape_xml(c.items_term) << "</dt>\n";
    }
    for (const auto& x : c.items) {
      out << "<dd>" << escape_xml(x) << "</dd>\n";
    }
    for (const auto& [term, value] : c.facts) {
      out << "<dt>" << escape_xml(term) << "</dt>\n<dd>" << escape_xml(value) << "</dd>\n";
    }
    out << "</dl>\n";
  }
  for (const auto& line : c.lines) {
    out << "<p>" << html(line) << "</p>\n";
  }
  out << "</article></li>\n";
}

void write_html_body(std::ostream& out, const CardPage& page) {
  out << "<header>\n<h1>" << escape_xml(page.title) << "</h1>\n<p>" << html(page.intro)
      << "</p>\n</header>\n<main>\n";
  for (const auto& s : page.sections) {
    out << "<section aria-labelledby=\"" << escape_xml(s.anchor) << "\">\n<h2 id=\""
        << escape_xml(s.anchor) << "\">" << escape_xml(s.heading) << "</h2>\n";
    if (!s.intro.empty()) {
      out << "<p>" << escape_xml(s.intro) << "</p>\n";
    }
    out << "<ul class=\"cards\">\n";
    for (const auto& c : s.cards) {
      write_html_card(out, c);
    }
    out << "</ul>\n</section>\n";
  }
  if (!page.note.empty()) {
    out << "<p>" << escape_xml(page.note) << "</p>\n";
  }
  out << "</main>\n<footer>\n";
  for (const auto& line : page.footer) {
    out << "<p>" << html(line) << "</p>\n";
  }
  out << "</footer>\n";
}

void write_markdown(std::ostream& out, const CardPage& page) {
  out << "# " << escape_markdown(page.title) << "\n\n" << markdown(page.intro) << '\n';
  for (const auto& s : page.sections) {
    out << "\n## " << escape_markdown(s.heading) << '\n';
    if (!s.intro.empty()) {
      out << '\n' << escape_markdown(s.intro) << '\n';
    }
    for (const auto& c : s.cards) {
      out << "\n### " << escape_markdown(c.heading) << "\n\n" << escape_markdown(c.text) << "\n\n";
      for (const auto& x : c.items) {
        out << "- " << escape_markdown(x) << '\n';
      }
      for (const auto& [term, value] : c.facts) {
        out << "- " << escape_markdown(term) << ": " << escape_markdown(value) << '\n';
      }
      for (const auto& line : c.lines) {
        out << "- " << markdown(line) << '\n';
      }
    }
  }
  if (!page.note.empty()) {
    out << '\n' << escape_markdown(page.note) << '\n';
  }
  for (const auto& line : page.footer) {
    out << '\n' << markdown(line) << '\n';
  }
}

}  // namespace

void write(std::ostream& out, Format format, const CardPage& page) {
  switch (format) {
    case Format::md:
      write_markdown(out, page);
      return;
    case Format::html:
      write_page(out, {page.language, page.title, Stylesheet::cards},
                 [&page](std::ostream& body) { write_html_body(body, page); });
      return;
    case Format::table:
    case Format::json:
    case Format::csv:
    case Format::svg:
      break;
  }
  throw make_error(ExitCode::usage, "--format: this page is written as html or md");
}

}  // namespace lbib::output

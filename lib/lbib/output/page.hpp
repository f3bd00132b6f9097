// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

/// The one writer of lbib's HTML pages and of the escaping every page, chart and Markdown text
/// goes through. A module decides what is on a page (a Document, a CardPage); only the output
/// layer writes its markup.
namespace lbib::output {

/// `text` with &, <, >, " escaped for HTML and XML: the one escaping of every HTML page, SVG
/// chart and table lbib writes.
std::string escape_xml(std::string_view text);

/// `text` for Markdown's running text: each of \ ` * _ [ ] < > # | gets a backslash, so what
/// people wrote never turns into emphasis, links, headings, table cells or raw HTML. Line
/// breaks are kept.
std::string escape_markdown(std::string_view text);

/// `text` as HTML paragraphs: a blank line (or several) separates two <p>, a single line break
/// is a <br>; every line escaped with escape_xml.
std::string html_paragraphs(std::string_view text);

/// The style sheets of lbib's pages, each written once in the output layer (page.cpp).
enum class Stylesheet {
  /// Reports and claims (Document): A4 print with tables that break between rows.
  document,
  /// The public catalogue (CardPage): a grid of cards that reflows to 320 CSS px and prints on
  /// A4 with two cards a row.
  cards,
};

/// What the head of a page says: its language (the lang attribute), its title and its style.
struct PageHead {
  std::string language;
  std::string title;
  Stylesheet stylesheet = Stylesheet::document;
  /// CSS written after the style sheet, for rules that name the page's own words (a report's
  /// @page margins with its title and date).
  std::string extra_style{};
};

/// Writes a self-contained HTML page: the doctype, <html lang>, the head (charset, viewport,
/// the escaped title, the inline style sheet), then `body` writes the contents of <body>, and
/// the page is closed. No script, no external resource.
void write_page(std::ostream& out, const PageHead& head,
                const std::function<void(std::ostream&)>& body);

}  // namespace lbib::output

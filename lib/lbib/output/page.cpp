// SPDX-License-Identifier: MIT
#include "lbib/output/page.hpp"

#include <ostream>

namespace lbib::output {
namespace {

// Print styles: A4 at full size (tables wrap inside the page rather than shrink it), tables
// that break between rows and repeat their headings, figures kept whole.
constexpr std::string_view document_css = R"css(
:root { color: #1a1a1a; background: #fff; }
*, *::before, *::after { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 11pt;
       line-height: 1.4; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       overflow-wrap: break-word; }
h1 { font-size: 1.6rem; line-height: 1.25; } h2 { font-size: 1.25rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 0.5rem 0 1rem; }
caption { caption-side: top; text-align: left; font-weight: bold; font-size: 10pt;
          padding: 0 0 0.3rem; }
th, td { border: 1px solid #767676; padding: 0.25rem 0.4rem; vertical-align: top; text-align: left;
         overflow-wrap: break-word; hyphens: auto; }
th { background: #e8e8e8; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.e { text-align: center; }
figure { margin: 1rem 0; } figure svg { display: block; width: 100%; height: auto; }
figcaption { font-weight: bold; font-size: 10pt; margin-bottom: 0.3rem; }
@media print {
  body { margin: 0; padding: 0; max-width: none; }
  thead { display: table-header-group; }
  tr, figure, caption { break-inside: avoid; }
  h2, caption, figcaption { break-after: avoid; }
  figure svg { max-height: 120mm; }
  .wide { page: landscape; }
}
)css";

// Reflows down to 320 CSS px (WCAG 1.4.10): long Swedish compounds break anywhere they must,
// and a grid column is never wider than the screen. Prints on A4 with two cards a row, a card
// never split, an area's heading never left alone at the bottom of a page.
constexpr std::string_view cards_css = R"css(
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

std::string_view stylesheet(Stylesheet sheet) {
  switch (sheet) {
    case Stylesheet::document:
      return document_css;
    case Stylesheet::cards:
      return cards_css;
  }
  return document_css;
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string escape_markdown(std::string_view s) {
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
    out += escape_xml(line);
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

void write_page(std::ostream& out, const PageHead& head,
                const std::function<void(std::ostream&)>& body) {
  out << "<!DOCTYPE html>\n<html lang=\"" << escape_xml(head.language) << "\">\n<head>\n"
      << "<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << escape_xml(head.title) << "</title>\n<style>" << stylesheet(head.stylesheet)
      << head.extra_style << "</style>\n</head>\n<body>\n";
  body(out);
  out << "</body>\n</html>\n";
}

}  // namespace lbib::output
